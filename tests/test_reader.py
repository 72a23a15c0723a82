"""The reader's pages: scorecard, gallery citations, data catalog and zip, glossary, build info,
bibliography and CITATION.cff (analysis.build_info, analysis.catalog, analysis.chapters.reader)."""

from __future__ import annotations

import hashlib
import re
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import yaml
from pybtex.database import parse_string

from analysis import build_info, catalog, claims, data, figures
from analysis.chapters import reader

ROOT = Path(__file__).resolve().parents[1]


# ---- build info ---------------------------------------------------------------------------
def test_version_agrees_between_pyproject_and_citation_cff():
    assert build_info.report_version() == str(build_info.citation()["version"])


def test_commit_and_date_come_from_git_not_from_today():
    info = build_info.build_info(environ={})
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
    stamp = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%cI"], capture_output=True, text=True,
                           check=True)
    assert info.commit == head.stdout.strip()
    # the committer date in UTC: the same for every build of this commit
    utc = pd.Timestamp(stamp.stdout.strip()).tz_convert("UTC").date().isoformat()
    assert info.date == utc


def test_source_date_epoch_overrides_the_commit_date():
    # 86400 s after the epoch is 1970-01-02
    assert build_info.build_info(environ={"SOURCE_DATE_EPOCH": "86400"}).date == "1970-01-02"


def test_outside_git_everything_is_unknown_and_nothing_raises(tmp_path):
    for name in ("pyproject.toml", "CITATION.cff"):
        (tmp_path / name).write_bytes((ROOT / name).read_bytes())
    info = build_info.build_info(tmp_path, environ={})
    assert (info.commit, info.date, info.dirty, info.short_commit, info.year) == ("unknown",) * 2 + (False,) + (
        "unknown",) * 2
    assert info.version == build_info.report_version()


# ---- scorecard ------------------------------------------------------------------------------
def _records():
    # the real claims register with planted verdicts: no verdict function runs here (the ledger
    # itself is tested in test_claims.py); one evidence item per claim
    table = data.load("claims")
    scale = [v.value for v in claims.Verdict]
    return [
        {"claim_id": c, "chapter": ch, "claim": text, "status": "verdict", "verdict": scale[i % len(scale)],
         "summary": f"Reason for {c}. More detail.", "evidence": [{"label": f"number of {c}", "value": i, "unit": "x"}]}
        for i, (c, ch, text) in enumerate(zip(table["claim_id"], table["chapter"], table["claim"]))
    ]


def test_scorecard_has_one_row_per_claim_in_register_order():
    card = reader.scorecard(_records())
    assert card["claim_id"].tolist() == data.load("claims")["claim_id"].tolist()
    assert len(card) == 26
    assert card.loc[0, "reason"] == f"Reason for {card.loc[0, 'claim_id']}."
    assert card.loc[3, "evidence"] == f"number of {card.loc[3, 'claim_id']}: 3 x"


def test_scorecard_links_each_claim_to_its_chapters_verdicts():
    card = reader.scorecard(_records()).set_index("claim_id")
    assert card.loc["C3", "link"] == "05_cpo.html#verdicts"
    assert card.loc["T2", "link"] == "06_cost.html#verdicts"
    for page in card["page"].unique():
        assert "\n## Verdicts\n" in (ROOT / "book" / f"{page}.md").read_text(encoding="utf-8"), page


def test_verdict_counts_cover_the_scale_and_sum_to_the_claims():
    card = reader.scorecard(_records())
    counts = reader.verdict_counts(card)
    assert list(counts.index) == [v.value for v in claims.Verdict]
    # 26 claims dealt round-robin over 5 verdicts: 6, 5, 5, 5, 5
    assert counts.tolist() == [6, 5, 5, 5, 5]


def test_pending_claims_are_counted_apart_from_verdicts():
    card = pd.DataFrame({"verdict": ["supported", claims.PENDING]})
    counts = reader.verdict_counts(card)
    assert counts[claims.PENDING] == 1 and counts["supported"] == 1 and counts.sum() == 2


def test_scorecard_html_has_a_row_and_a_link_per_claim():
    card = reader.scorecard(_records())
    markup = reader.scorecard_html(card)
    assert markup.count('<tr id="scorecard-') == 26
    assert markup.count('href="05_cpo.html#verdicts"') == 4  # C1 to C4


@pytest.mark.parametrize(
    "summary, limit, expected",
    [
        ("Ratio 3.3x per rack. Next sentence.", 220, "Ratio 3.3x per rack."),
        ("Split at 1.5x. Not at the decimal point.", 220, "Split at 1.5x."),
        ("Alpha beta; gamma delta; epsilon.", 20, "Alpha beta; …"),
        ("One two three four five", 12, "One two …"),
    ],
)
def test_one_line_reason(summary, limit, expected):
    assert reader.one_line(summary, limit) == expected


# ---- gallery and citations ------------------------------------------------------------------
INFO = build_info.BuildInfo("0.1.0", "0123456789abcdef0123456789abcdef01234567", "2026-12-03")


def test_every_figure_has_a_citation_with_id_version_commit_and_date():
    cff = build_info.citation()
    for fig_id in figures.FIGURES:
        cite = reader.figure_citation(fig_id, INFO, cff)
        for part in (fig_id, "version 0.1.0", "0123456789ab", "2026-12-03"):
            assert part in cite.plain, (fig_id, part)
        entry = parse_string(cite.bibtex, "bibtex").entries[f"gtc2025-{fig_id}"]
        assert entry.type == "misc"
        assert entry.fields["year"] == "2026"
        assert fig_id in entry.fields["title"] and INFO.commit in entry.fields["note"]
        assert "0.1.0" in entry.fields["howpublished"]


def test_citation_says_when_the_build_has_uncommitted_changes():
    dirty = build_info.BuildInfo("0.1.0", INFO.commit, INFO.date, dirty=True)
    cite = reader.figure_citation("fig-cpo-tiers", dirty)
    assert "uncommitted changes" in cite.plain and "uncommitted changes" in cite.bibtex


def test_bibtex_escape_protects_special_characters():
    entry = parse_string("@misc{k, title = {" + reader.bibtex_escape("50% & more_x") + "}}", "bibtex").entries["k"]
    assert entry.fields["title"] == r"50\% \& more\_x"


def test_gallery_shows_every_figure_once_with_thumbnail_alt_text_and_four_downloads():
    markup = reader.gallery_html(INFO)
    for fig_id, spec in figures.FIGURES.items():
        assert markup.count(f'id="gallery-{fig_id}"') == 1
        assert f'src="../figures/{fig_id}.png" alt="{spec.alt[:40]}' in markup.replace("&#x27;", "'")
        for suffix, _ in figures.FORMATS:
            assert f'href="../figures/{fig_id}{suffix}"' in markup
        assert f'href="{spec.chapter}.html#{fig_id}"' in markup


def test_every_figure_is_labelled_in_its_chapter():
    # the gallery links to <chapter>.html#<fig_id>: the MyST label of the glued figure
    for fig_id, spec in figures.FIGURES.items():
        source = (ROOT / "book" / f"{spec.chapter}.md").read_text(encoding="utf-8")
        assert re.search(rf"^:name: {re.escape(fig_id)}$", source, flags=re.M), fig_id


def test_key_figures_are_registered_and_one_per_chapter():
    chapters = [figures.get(f).chapter for f in reader.KEY_FIGURES]
    assert len(set(chapters)) == len(chapters) == len(figures.CHAPTER_SLUGS)


# ---- data catalog ---------------------------------------------------------------------------
def test_catalog_lists_every_table_with_its_loaded_row_count():
    tables = catalog.tables().set_index("table")
    assert list(tables.index) == data.table_names()
    for name in tables.index:
        frame = data.load(name)
        assert tables.loc[name, "rows"] == len(frame), name
        assert tables.loc[name, "columns"] == len(data.schema_of(name)["schema"]["fields"]), name
        if "source_url" in frame:
            assert tables.loc[name, "sources"] == frame["source_url"].nunique(), name


def test_catalog_columns_carry_units():
    optics = catalog.columns("network_optics").set_index("column")
    assert optics.loc["power_w", "unit"] == "W"
    specs = catalog.columns("hardware_specs").set_index("column")
    assert specs.loc["value", "unit"] == "per row (column unit)"
    assert specs.loc["source_url", "unit"] == ""
    # every numeric column has a unit or a per-row unit column, but for four ordinals and counts
    # whose descriptions give no [unit]
    missing = {f"{name}.{c.column}" for name in data.table_names() for c in catalog.columns(name).itertuples()
               if c.type in ("number", "integer") and not c.unit}
    assert missing == {"products.generation_order", "product_names.gpus_in_name", "perf_bootstrap.draw",
                       "perf_uncertainty.points"}


def test_table_sources_count_every_row_once():
    for name in ("claims", "network_optics", "hardware_specs"):
        assert catalog.table_sources(name)["rows"].sum() == len(data.load(name))


def test_catalog_html_has_every_table():
    markup = reader.catalog_html()
    for name in data.table_names():
        assert markup.count(f'id="table-{name}"') == 1, name


def test_data_zip_is_deterministic_and_holds_the_package(tmp_path):
    a = catalog.write_zip(tmp_path / "a" / catalog.ZIP_NAME)
    b = catalog.write_zip(tmp_path / "b" / catalog.ZIP_NAME)
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
    with zipfile.ZipFile(a) as z:
        names = z.namelist()
        assert names == sorted(names)
        assert {f"data/{r['path']}" for r in data.datapackage()["resources"]} | {"data/datapackage.json"} <= set(names)
        assert {i.date_time for i in z.infolist()} == {catalog.ZIP_TIMESTAMP}
        assert z.read("data/claims.csv") == (data.DATA_DIR / "claims.csv").read_bytes()


def test_data_zip_changes_with_the_data(tmp_path):
    copy = tmp_path / "data"
    copy.mkdir()
    for name in catalog.zip_members():
        (copy / name).write_bytes((data.DATA_DIR / name).read_bytes())
    before = catalog.write_zip(tmp_path / "before.zip", copy).read_bytes()
    (copy / "README.md").write_text("changed\n", encoding="utf-8")
    assert catalog.write_zip(tmp_path / "after.zip", copy).read_bytes() != before


# ---- glossary ---------------------------------------------------------------------------------
def test_every_glossary_term_is_used_in_the_book():
    unused = [t.term for t in reader.GLOSSARY if not reader.term_pages(t)]
    assert not unused, unused


def test_glossary_covers_the_terms_the_issue_names():
    terms = " ".join(t.term for t in reader.GLOSSARY)
    for word in ("dense", "sparse", "FP4", "TPOT", "TTFT", "Interactivity", "NVL72"):
        assert word.lower() in terms.lower(), word


def test_a_term_nobody_uses_is_found_unused(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("Only TTFT here.\n", encoding="utf-8")
    assert reader.term_pages(reader.Term("X", "y", r"\bTPOT\b"), [page]) == []
    assert reader.term_pages(reader.Term("X", "y", r"\bTTFT\b"), [page]) == ["page"]


# ---- reproducibility ----------------------------------------------------------------------------
def test_pinned_versions_read_requirements(tmp_path):
    req = tmp_path / "requirements.txt"
    req.write_text("# comment==1\nSphinx==7.4.7\nvl_convert_python==1.9.0\n", encoding="utf-8")
    table = reader.pinned_versions(req, ("sphinx", "vl-convert-python"))
    assert table.values.tolist() == [["sphinx", "7.4.7"], ["vl-convert-python", "1.9.0"]]
    assert reader.pin_count(req) == 2
    with pytest.raises(KeyError, match="numpy"):
        reader.pinned_versions(req, ("numpy",))


def test_every_key_package_is_pinned():
    assert len(reader.pinned_versions()) == len(reader.KEY_PACKAGES)


# ---- bibliography and CITATION.cff ------------------------------------------------------------
BIB = ROOT / "book" / "references.bib"


def test_every_reference_is_a_source_of_the_data():
    urls = set(data.sources()["source_url"])
    entries = parse_string(BIB.read_text(encoding="utf-8"), "bibtex").entries
    assert len(entries) >= 15
    orphans = [k for k, e in entries.items() if not any(u.startswith(e.fields["url"]) for u in urls)]
    assert not orphans, orphans


def test_every_reference_is_cited_and_every_citation_exists():
    keys = set(parse_string(BIB.read_text(encoding="utf-8"), "bibtex").entries)
    cited = set()
    for page in (ROOT / "book").glob("*.md"):
        for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", page.read_text(encoding="utf-8")):
            cited |= {k.strip() for k in group.split(",")}
    assert cited == keys, (sorted(keys - cited), sorted(cited - keys))


#: The Citation File Format's own schema, version 1.2.0 (github.com/citation-file-format/citation-file-format,
#: tag 1.2.0, commit 396f738f; CC-BY-4.0), kept here so the test runs offline.
CFF_SCHEMA = ROOT / "tests" / "data" / "citation-file-format-1.2.0.schema.json"


def test_citation_cff_is_valid():
    import json

    import jsonschema

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(cff), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    assert str(cff["preferred-citation"]["version"]) == build_info.report_version()
    assert cff["preferred-citation"]["title"] == cff["title"]


def test_the_cff_schema_rejects_what_1_2_0_forbids():
    import json

    import jsonschema

    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    # 1.2.0 knows only software and dataset as the root type (the file said "report" before)
    assert not jsonschema.Draft7Validator(schema).is_valid({**cff, "type": "report"})
