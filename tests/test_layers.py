"""The package's layers, read from the code's imports.

* core (``data``, ``units``, ``figures``, ``claims``) sits at the bottom and imports only core;
* concept modules (every other module of ``analysis``) compute: they import core's
  ``data`` and ``units`` and each other, never ``figures``, ``claims`` or ``analysis.chapters``;
* chapter modules (``analysis/chapters/*.py``) present: they may import core and concept
  modules, never another chapter; a chapter too long for one module continues in parts
  named ``<chapter>_<part>.py`` (``cost_figures``), which may import their own chapter's
  module (never the other way round);
* the claims ledger and the figure registry point into ``analysis.chapters``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from analysis import claims, figures

PACKAGE = Path(__file__).resolve().parent.parent / "analysis"
CORE = {"data", "units", "figures", "claims"}
ENTRY = {"__init__", "__main__"}  # the package docstring and the command line sit above every layer
PRESENTATION = {"figures", "claims"}


def analysis_imports(path: Path) -> set[str]:
    """Every ``analysis`` module a file imports (``analysis.x`` and ``from analysis import x`` alike), anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("analysis.")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "analysis":
                found |= {f"analysis.{a.name}" for a in node.names}
            elif node.module.startswith("analysis."):
                found.add(node.module)
    return found


def modules(kind: str) -> list[Path]:
    files = sorted(PACKAGE.glob("*.py")) if kind != "chapter" else sorted((PACKAGE / "chapters").glob("*.py"))
    if kind == "core":
        return [f for f in files if f.stem in CORE]
    if kind == "concept":
        return [f for f in files if f.stem not in CORE | ENTRY]
    return [f for f in files if f.stem != "__init__"]


def test_the_layers_are_populated():
    assert {f.stem for f in modules("core")} == CORE
    assert {"jensen_math", "models", "perf", "network"} <= {f.stem for f in modules("concept")}
    assert {"new_math_rules", "hardware_roadmap", "cpo", "performance_model"} <= {f.stem for f in modules("chapter")}


@pytest.mark.parametrize("path", modules("concept"), ids=lambda p: p.stem)
def test_concept_modules_never_import_presentation(path):
    bad = {m for m in analysis_imports(path)
           if m.split(".")[1] in PRESENTATION or m.startswith("analysis.chapters")}
    assert not bad, f"{path.name} imports {sorted(bad)}: concept modules compute; chapters present"


@pytest.mark.parametrize("path", modules("core"), ids=lambda p: p.stem)
def test_core_imports_only_core(path):
    bad = {m for m in analysis_imports(path) if m.split(".")[1] not in CORE}
    assert not bad, f"{path.name} imports {sorted(bad)}: core stays at the bottom"


def own_chapter(stem: str, stems: set[str]) -> str | None:
    """The chapter a part module continues (``cost_figures`` -> ``cost``), None for a chapter's own module.

    Examples
    --------
    >>> own_chapter("cost_figures", {"cost", "cost_figures", "cpo"}), own_chapter("cost", {"cost", "cost_figures"})
    ('cost', None)
    """
    heads = [s for s in stems if stem.startswith(s + "_")]
    return max(heads, key=len) if heads else None


@pytest.mark.parametrize("path", modules("chapter"), ids=lambda p: p.stem)
def test_chapters_never_import_each_other(path):
    stems = {f.stem for f in modules("chapter")}
    allowed = {f"analysis.chapters.{own_chapter(path.stem, stems)}"}
    bad = {m for m in analysis_imports(path) if m.startswith("analysis.chapters") and m not in allowed}
    assert not bad, f"{path.name} imports {sorted(bad)}: a chapter builds on concept modules, not on another chapter"


def test_a_chapter_continues_in_parts_named_after_it():
    stems = {f.stem for f in modules("chapter")}
    parts = {s: own_chapter(s, stems) for s in stems if own_chapter(s, stems)}
    assert parts == {"cost_figures": "cost"}
    # a part is not a chapter: only the chapter's own module says which chapter it is
    for stem in parts:
        assert "CHAPTER =" not in (PACKAGE / "chapters" / f"{stem}.py").read_text(encoding="utf-8")


def test_the_reader_sees_the_import_that_breaks_a_rule(tmp_path):
    # the check reads every form of import, inside functions too
    f = tmp_path / "concept.py"
    f.write_text("import numpy\nfrom analysis import data, figures as fg\n\ndef g():\n"
                 "    import analysis.claims\n    from analysis.chapters.cpo import verdict_c1\n")
    assert analysis_imports(f) == {"analysis.data", "analysis.figures", "analysis.claims", "analysis.chapters.cpo"}


def test_the_registries_point_into_the_chapters():
    builders = {spec.builder.split(":")[0] for spec in figures.FIGURES.values()}
    checks = {check.split(":")[0] for check in claims.CHECKS.values() if check}
    assert all(m.startswith("analysis.chapters.") for m in builders | checks), sorted(builders | checks)
