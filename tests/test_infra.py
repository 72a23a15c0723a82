"""Tests of the build infrastructure's own code (book/_ext, conftest, _toc.yml)."""
from __future__ import annotations

import os
import importlib.util
import sys
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))

import figure_export  # noqa: E402
import input_hash  # noqa: E402


def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return root


@pytest.fixture
def repo(tmp_path):
    return _tree(
        tmp_path,
        {
            "analysis/__init__.py": "",
            "analysis/figures.py": "X = 1\n",
            "analysis/sub/m.py": "Y = 2\n",
            "analysis/README.txt": "not code\n",
            "data/metrics.csv": "a,b\n1,2\n",
            "data/datapackage.json": "{}\n",
            "book/intro.md": "# intro\n",
            "requirements.txt": "x==1\n",
        },
    )


def test_input_files_cover_analysis_py_data_and_requirements(repo):
    rels = [p.relative_to(repo).as_posix() for p in input_hash.input_files(repo)]
    assert rels == [
        "analysis/__init__.py",
        "analysis/figures.py",
        "analysis/sub/m.py",
        "data/datapackage.json",
        "data/metrics.csv",
        "requirements.txt",
    ]


def test_hash_is_stable_and_ignores_non_inputs(repo):
    h = input_hash.inputs_hash(repo)
    assert h == input_hash.inputs_hash(repo) and len(h) == 64
    (repo / "book" / "intro.md").write_text("# changed\n")
    (repo / "analysis" / "README.txt").write_text("changed\n")
    (repo / "analysis" / "__pycache__").mkdir()
    (repo / "analysis" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    os.utime(repo / "analysis" / "figures.py")  # mtime alone is not a change
    assert input_hash.inputs_hash(repo) == h


@pytest.mark.parametrize(
    "edit",
    [
        lambda r: (r / "analysis/figures.py").write_text("X = 1\n# a comment\n"),
        lambda r: (r / "analysis/sub/m.py").write_text("Y = 3\n"),
        lambda r: (r / "analysis/new.py").write_text(""),
        lambda r: (r / "data/metrics.csv").write_text("a,b\n1,3\n"),
        lambda r: (r / "data/raw/new.bin").parent.mkdir() or (r / "data/raw/new.bin").write_bytes(b"1"),
        lambda r: (r / "data/metrics.csv").rename(r / "data/metrics2.csv"),
        lambda r: (r / "requirements.txt").write_text("x==2\n"),
    ],
    ids=["comment", "subpackage", "new-module", "data-edit", "new-data-file", "rename", "pins"],
)
def test_any_input_change_changes_the_hash(repo, edit):
    before = input_hash.inputs_hash(repo)
    edit(repo)
    assert input_hash.inputs_hash(repo) != before


def test_content_moving_between_files_changes_the_hash(tmp_path):
    a = _tree(tmp_path / "a", {"analysis/x.py": "ab", "analysis/y.py": ""})
    b = _tree(tmp_path / "b", {"analysis/x.py": "a", "analysis/y.py": "b"})
    assert input_hash.inputs_hash(a) != input_hash.inputs_hash(b)


def test_prune_keeps_current_and_most_recent(tmp_path):
    names = [f"{i:016x}" for i in range(5)]
    for i, n in enumerate(names):
        d = tmp_path / n
        d.mkdir()
        os.utime(d, (time.time() - 100 + i, time.time() - 100 + i))
    (tmp_path / "not-a-cache").mkdir()
    removed = input_hash.prune_caches(tmp_path, names[0], keep=3)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([names[0], names[4], names[3], "not-a-cache"])
    assert {p.name for p in removed} == {names[1], names[2]}


def test_figures_are_exported_to_the_site_root(tmp_path):
    assert figure_export.export_dir(tmp_path) == tmp_path / "figures"


def test_toc_lists_only_existing_chapters():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    sys.path.insert(0, str(ROOT / "tests"))
    from test_site import toc_docnames

    names = toc_docnames()
    assert names[0] == toc["root"] == "book/intro"
    for n in names:
        assert (ROOT / f"{n}.md").is_file(), f"_toc.yml lists {n} but {n}.md does not exist"


def test_text_notebook_detection(tmp_path):
    # the repository's root conftest (tests/ has its own, also imported as "conftest")
    spec = importlib.util.spec_from_file_location("root_conftest", ROOT / "conftest.py")
    root_conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(root_conftest)
    is_text_notebook = root_conftest.is_text_notebook

    nb = tmp_path / "a.md"
    nb.write_text("---\njupytext:\n  text_representation:\n    format_name: myst\n---\n# A\n")
    plain = tmp_path / "b.md"
    plain.write_text("# plain markdown\n")
    assert is_text_notebook(nb) and not is_text_notebook(plain)
