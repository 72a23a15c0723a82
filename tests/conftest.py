"""Shared fixtures of the unit tests."""

from __future__ import annotations

import os
import shutil
import tempfile

# Hypothesis keeps constants and examples in a folder; keep it out of the working tree
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "gtc2025-hypothesis"))

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from analysis import data


@pytest.fixture()
def edited_spec(tmp_path, monkeypatch):
    """Point the loader at a copy of ``data/`` with one spec row's value replaced.

    Call it with the row's ``spec_id``, the value as written in the CSV and the
    new value; every ``data.load`` in the test then reads the edited copy.
    """

    def edit(spec_id: str, old: str, new: str) -> None:
        copy = tmp_path / "data"
        shutil.copytree(data.DATA_DIR, copy)
        path = copy / "hardware_specs.csv"
        text = path.read_text(encoding="utf-8")
        line = next(l for l in text.splitlines() if l.startswith(f"{spec_id},"))
        assert f",{old}," in line, line
        path.write_text(text.replace(line, line.replace(f",{old},", f",{new},", 1)), encoding="utf-8")
        monkeypatch.setattr(data, "DATA_DIR", copy)

    return edit


# property tests are reproducible and leave no example database behind
settings.register_profile("reproducible", derandomize=True, database=None, deadline=None)
settings.load_profile("reproducible")
