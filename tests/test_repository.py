"""The README works on a fresh machine: every command and path it names exists."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _readme() -> str:
    return (REPO / "README.md").read_text(encoding="utf-8")


def test_the_two_commands_come_first():
    blocks = re.findall(r"```sh\n(.*?)```", _readme(), re.S)
    first = [line.split("#")[0].strip() for line in blocks[0].splitlines()]
    assert first == ["make book", "make test"]


def test_every_make_target_in_the_readme_exists():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, re.M))
    named = set(re.findall(r"`make (\w+)`", _readme())) | {"book", "test"}
    assert named <= targets, named - targets


def test_ci_runs_exactly_the_readme_test_command():
    lines = [l.strip() for l in (REPO / ".ci" / "run").read_text().splitlines()]
    commands = [l for l in lines if l and not l.startswith("#") and not l.startswith("set ")]
    assert commands == ["make test"]


def test_every_path_in_the_readme_exists():
    for path in re.findall(r"`((?:book|analysis|data|tests|benchmarks)/[\w./-]*|[\w.-]+\.(?:yml|cff|txt|md))`", _readme()):
        if path.startswith("_build"):
            continue
        assert (REPO / path).exists(), path


def test_requirements_are_pinned_and_book_is_1x():
    lines = [l for l in (REPO / "requirements.txt").read_text().splitlines() if l and not l.startswith("#")]
    assert all("==" in l for l in lines)
    book = next(l for l in lines if l.lower().startswith("jupyter-book=="))
    assert book.split("==")[1].startswith("1.")


def test_no_notebook_files_are_committed():
    assert not list((REPO / "book").glob("*.ipynb"))


def test_chapters_use_the_package_and_never_chdir():
    for page in (REPO / "book").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        if "```{code-cell}" in text:
            assert "from analysis import" in text, page.name
            assert "os.chdir" not in text and "pip install" not in text, page.name


def test_myst_roles_in_chapters_are_well_formed():
    """A role missing its closing brace renders as literal text and the strict build does not notice."""
    for page in (REPO / "book").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        broken = re.findall(r"\{(?:numref|glue:text|glue:md|glue|ref|doc)`", text)
        assert not broken, (page.name, broken)
        for role in re.findall(r"\{(glue:text|glue:md|numref)\}`([^`]*)`", text):
            assert role[1].strip(), (page.name, role)
