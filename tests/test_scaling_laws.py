"""Verdicts S1 to S5: computed, complete, and sensitive to the data they rest on."""

from __future__ import annotations

import csv
import shutil

import pytest

from analysis import claims, data
from analysis.chapters import scaling_laws as chapter


@pytest.fixture()
def edited(tmp_path, monkeypatch):
    """Copy data/, change one cell of one table, and point the loader at the copy."""

    def edit(table: str, key_column: str, key: str, column: str, value: str) -> None:
        copy = tmp_path / "data"
        if not copy.exists():
            shutil.copytree(data.DATA_DIR, copy)
        path = copy / f"{table}.csv"
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            header, rows = reader.fieldnames, list(reader)
        row = next(r for r in rows if r[key_column] == key)
        row[column] = value
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        monkeypatch.setattr(data, "DATA_DIR", copy)

    return edit


def test_the_chapter_judges_s1_to_s5():
    results = {cid: claims.evaluate(cid) for cid in chapter.CLAIM_IDS}
    assert results["S1"].verdict is claims.Verdict.NOT_TESTABLE
    assert results["S2"].verdict is claims.Verdict.SUPPORTED
    assert results["S3"].verdict is claims.Verdict.NORMALIZED_ONLY
    assert results["S4"].verdict is claims.Verdict.PARTLY
    assert results["S5"].verdict is claims.Verdict.PARTLY
    for r in results.values():
        assert r.evidence and r.assumptions and r.would_change and len(r.summary) > 100
    assert claims.CHECKS["S6"] == "analysis.chapters.cost:verdict_s6"   # S6 is tested with the cost model


def test_s3_evidence_names_the_bases():
    ev = {e.label: e.value for e in claims.evaluate("S3").evidence}
    assert ev["ratio, Tokens only (equal FLOPs per token)"] == pytest.approx(20.0)
    assert ev["ratio, Active weights + attention over the context"] == pytest.approx(15.17, abs=0.01)
    assert ev["ratio, All weights as if dense + attention"] == pytest.approx(150.1, abs=0.1)


def test_a_claimed_15x_would_be_supported(edited):
    edited("scaling_assumptions", "parameter", "claim_s3_compute_multiple", "value", "15")
    assert claims.evaluate("S3").verdict is claims.Verdict.SUPPORTED


def test_a_1000x_claim_would_be_contradicted(edited):
    edited("scaling_assumptions", "parameter", "claim_s3_compute_multiple", "value", "1000")
    assert claims.evaluate("S3").verdict is claims.Verdict.CONTRADICTED


def test_s4_turns_on_the_largest_proxy(edited):
    # had Google served 1,000 trillion tokens in May 2025, tokens would have grown 103x in the year
    edited("tokens_served", "observation_id", "google_2025_05", "tokens_per_month", "1.0e15")
    assert claims.evaluate("S4").verdict is claims.Verdict.SUPPORTED


def test_s5_with_slow_price_falls_becomes_supported(edited):
    # if fixed-capability prices fell only 2x-5x a year, both years' growth would be elastic
    edited("price_trends", "trend_id", "epoch2025_slowest", "decline_factor_per_year", "2")
    edited("price_trends", "trend_id", "epoch2025_fastest", "decline_factor_per_year", "5")
    assert claims.evaluate("S5").verdict is claims.Verdict.SUPPORTED


def test_s1_decisive_when_a_model_is_removed_from_the_edge(edited):
    # without o1-preview's September 2024 horizon (set it below GPT-4o's), the METR window before the
    # keynote gains less, and the index no longer decelerates at the keynote
    edited("time_horizons", "model_key", "o1_preview", "p50_minutes", "5.0")
    acc = chapter.acceleration_table()
    metr = acc[(acc["unit"] == "doublings") & (acc["end_date"] == "2025-03-18")].iloc[0]
    assert metr["last"] > metr["previous"]


def test_tables_for_the_chapter():
    laws = chapter.laws_table()
    assert laws["law"].tolist() == ["pre-training", "post-training", "test-time"] and (laws["low"] > 0).all()
    fits = chapter.fits_table().set_index("fit_id")
    assert fits.loc["besiroglu2024", "tokens_per_param"] == pytest.approx(18.33, abs=0.01)
    opt = chapter.inference_optimum_table()
    assert opt["inference_tokens"].iloc[0] == 0 and opt["inference_share"].iloc[0] == 0
    edges = chapter.edge_table()
    assert ((edges["share_accelerating"] >= 0) & (edges["share_accelerating"] <= 1)).all()
