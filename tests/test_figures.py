"""Figures: stable ids, four byte-identical exports, source lines, offline HTML."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis import figures

REPO = Path(__file__).resolve().parents[1]


def test_ids_are_stable_and_chapters_exist():
    for fig_id, spec in figures.FIGURES.items():
        assert re.fullmatch(r"fig-[a-z0-9]+-[a-z0-9-]+", fig_id)
        assert fig_id.startswith(f"fig-{figures.CHAPTER_SLUGS[spec.chapter]}-"), fig_id
        assert fig_id == spec.fig_id
        assert (REPO / "book" / f"{spec.chapter}.md").exists()
        assert len(spec.alt) > 40 and spec.title


def test_every_figure_is_shown_in_its_chapter_and_nothing_else_is():
    shown = set()
    for page in (REPO / "book").glob("*.md"):
        shown |= set(re.findall(r"```\{glue:figure\} (fig-[\w-]+)", page.read_text(encoding="utf-8")))
    assert shown == set(figures.FIGURES)


def test_export_is_byte_identical(tmp_path):
    fig_id = "fig-jensen-inflation"
    first = figures.export(fig_id, tmp_path / "a")
    second = figures.export(fig_id, tmp_path / "b")
    assert [p.name for p in first] == [f"{fig_id}{s}" for s, _ in figures.FORMATS]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name
    spec = json.loads((tmp_path / "a" / f"{fig_id}.vl.json").read_text())
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert first[0].read_text().startswith("<svg")
    assert first[1].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    table = pd.read_csv(first[2])
    assert {"product", "inflation_factor", "spec_id"} <= set(table.columns)


def test_source_line_names_the_publishers_of_the_plotted_data():
    figure = figures.get("fig-jensen-m4-ratios").build()
    line = figures.source_line(figure.sources)
    assert line.startswith("Source: ") and "SemiAnalysis" in line and "NVIDIA" in line
    assert "Accessed 2026-11-26" in line


def test_display_html_is_offline_and_accessible():
    bundle = figures.display("fig-jensen-per-gpu")._repr_mimebundle_()
    markup = bundle["text/html"]
    assert 'role="img"' in markup and "aria-label=" in markup
    assert "vegaEmbed(" in markup
    assert not re.search(r"<script[^>]+src=", markup)
    assert "cdn" not in markup.lower()
    assert markup.count('download>') == 4


def test_unknown_figure_lists_the_ids():
    with pytest.raises(KeyError, match="fig-jensen-inflation"):
        figures.get("fig-nope")
