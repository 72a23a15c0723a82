"""pytest configuration at the repo root: nbval over the chapters' text notebooks.

nbval 0.11 only collects ``.ipynb`` files and reads them with ``nbformat.read``.
The chapters are MyST text notebooks (``book/*.md`` with a jupytext header), so
this hook reads them with ``jupytext.read`` and hands the in-memory notebook to
nbval's collector.  Nothing is written to disk (a paired ``.ipynb`` next to the
``.md`` would be a duplicate document for the strict book build).

Run with ``python -m pytest --nbval-lax --nbval-current-env book/`` (``make
test-nbval``).  Text notebooks store no outputs, so only lax mode makes sense:
every cell must run without error; outputs are not compared.  The kernel's
working directory is the notebook's folder (``book/``), as in the book build.
"""
from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest

ROOT = Path(__file__).resolve().parent
BOOK = ROOT / "book"

# Local Sphinx extensions are not tests (tests/test_infra.py covers them).
collect_ignore = ["book/_ext"]


def is_text_notebook(path: Path) -> bool:
    """True for a ``.md`` file whose front matter is a jupytext MyST header."""
    if path.suffix != ".md":
        return False
    with path.open(encoding="utf-8") as fh:
        head = fh.read(4096)
    if not head.startswith("---"):
        return False
    front = head.split("\n---", 1)[0]
    return "jupytext:" in front and "format_name: myst" in front


def pytest_collect_file(file_path: Path, parent):
    opt = parent.config.option
    if not (getattr(opt, "nbval", False) or getattr(opt, "nbval_lax", False)):
        return None
    if file_path.suffix != ".md" or BOOK not in file_path.resolve().parents:
        return None
    if not is_text_notebook(file_path):
        return None
    return JupytextNbFile.from_parent(parent, path=file_path)


def _jupytext_nbfile_class():
    import nbval.plugin

    class _JupytextNbFile(nbval.plugin.IPyNbFile):
        """nbval's notebook collector, fed by ``jupytext.read`` instead of ``nbformat.read``."""

        def collect(self):
            import jupytext

            nb = jupytext.read(self.path)  # nbformat v4 NotebookNode, in memory only

            def _read(*_args, **_kwargs):
                return nb

            # nbval's collect() starts with nbformat.read(path); serve it our notebook.
            with mock.patch.object(nbval.plugin.nbformat, "read", _read):
                items = list(super().collect())
            return items

    return _JupytextNbFile


try:
    JupytextNbFile = _jupytext_nbfile_class()
except ImportError:  # nbval not installed: the hook above is never reached with --nbval*
    JupytextNbFile = None  # type: ignore[assignment]
