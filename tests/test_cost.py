"""The cost chapter (analysis.chapters.cost, its figures in cost_figures): verdicts T1-T5 and S6, the claims'
consistency, the override file, the slider chart's own arithmetic, and the ``tco`` command line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from analysis import claims, data, figures, tco
from analysis.chapters import cost, cost_figures

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def results():
    return {cid: claims.evaluate(cid) for cid in cost.CLAIM_IDS}


def test_every_claim_gets_a_real_verdict(results):
    for r in results.values():
        assert isinstance(r.verdict, claims.Verdict)
        assert r.evidence and r.assumptions and r.would_change and len(r.summary) > 150
    assert results["T1"].verdict is claims.Verdict.NORMALIZED_ONLY
    assert results["T2"].verdict is claims.Verdict.CONTRADICTED
    assert results["T3"].verdict is claims.Verdict.PARTLY
    assert results["T5"].verdict is claims.Verdict.SUPPORTED


def test_t1_t2_consistency_by_hand():
    c = cost.consistency_table().set_index("claim")
    assert c.at["T1", "implied_price_ratio"] == pytest.approx(0.13 * 68)
    assert c.at["T2", "implied_price_ratio"] == pytest.approx(0.0003 * 900)
    a = data.load("tco_assumptions").set_index(["parameter", "hardware"])["value"]
    h100 = 8 * a[("system_price_usd_per_gpu", "h100")]
    assert c.at["T1", "sourced_price_ratio"] == pytest.approx(72 * a[("system_price_usd_per_gpu", "gb300")] / h100)
    assert c.at["T2", "sourced_price_ratio"] == pytest.approx(144 * a[("system_price_usd_per_gpu", "rubin-ultra")] / h100)
    # a Rubin Ultra rack at 0.27x an HGX H100 lies far outside any sourced or assumed price
    assert c.at["T2", "implied_price_ratio"] < c.at["T2", "sourced_price_ratio_low"] / 100


def test_t1_only_the_rack_peak_reproduces_68x(results):
    ev = {e.label: e.value for e in results["T1"].evidence}
    assert ev["rack FP4 vs HGX H100 FP8, dense (marketed peak)"] == pytest.approx(1100 / (8 * 1.9789))
    like = [v for k, v in ev.items() if k.startswith("tokens/s per GPU, best")]
    assert like and like[0] < 68 * (1 - cost.REPRODUCED_SHARE)


def test_waterfall_steps_multiply_to_the_total():
    w = cost.waterfall_table()
    steps = w[w["kind"] != "total"]
    assert np.prod(steps["end"] / steps["start"]) == pytest.approx(w["usd_per_m_tokens"].iloc[-1] / w["usd_per_m_tokens"].iloc[0])
    assert steps["log_share"].sum() == pytest.approx(1.0)


def test_cost_per_token_falls_from_hopper_to_blackwell_everywhere():
    s = cost.steps_table()
    h = s[(s["old"] == "h100") & (s["new"] == "gb200")]
    assert len(h) >= 10 and (h["p_cheaper"] >= cost.DECISIVE).all() and (h["cost_ratio"] > 3).all()


def test_amd_comparison_uses_mlperf_best_results():
    t = cost.amd_table()
    ml = data.load("tco_mlperf")
    for r in t.itertuples():
        best = ml[(ml["hardware"] == r.hardware) & (ml["scenario"] == r.scenario)]["tokens_per_s_per_gpu"].max()
        assert r.tokens_per_s_per_gpu == best
    mi355 = t[t["hardware"] == "mi355x"]
    assert set(mi355["division"]) == {"open"} and set(mi355["scenario"]) == {"Offline"}
    sa = t.set_index(["scenario", "hardware"]).loc[("Offline", "mi355x")]
    assert sa["semianalysis_usd_per_m_tokens"] == pytest.approx(1.48 / (11630.73 * 3600 * 0.7) * 1e6)


def test_override_file_changes_the_chapter(tmp_path, monkeypatch):
    rows = data.load("tco_assumptions")
    path = tmp_path / "my.csv"
    rows[rows["parameter"] == "utilization"].assign(value=0.9).to_csv(path, index=False)
    base = cost.gpu_hour_table(("gb300",))
    monkeypatch.setenv(cost.ENV, str(path))
    assert tco.lookup(cost.active_assumptions(), "utilization") == 0.9
    changed = cost.slider_table().set_index("name")
    monkeypatch.delenv(cost.ENV)
    central = cost.slider_table().set_index("name")
    ratio = central["usd_per_m_tokens"] / changed["usd_per_m_tokens"]
    np.testing.assert_allclose(ratio, 0.9 / 0.7)                       # utilization only divides
    assert cost.gpu_hour_table(("gb300",))["total"].iloc[0] == base["total"].iloc[0]
    rows[rows["parameter"] == "utilization"].assign(value=-1).to_csv(path, index=False)
    monkeypatch.setenv(cost.ENV, str(path))
    with pytest.raises(data.DataValidationError, match="my.csv"):
        cost.active_assumptions()


def test_slider_chart_computes_what_the_model_computes():
    """The chart's Vega expression, rendered by vl-convert, labels each bar with the model's own cost."""
    import vl_convert

    fig = cost_figures.slider_figure()
    svg = vl_convert.vegalite_to_svg(figures.vega_lite_spec(fig.chart))
    labels = [float(x) for x in re.findall(r"<text[^>]*>(\d+\.\d{3})</text>", svg)]
    expected = sorted(round(v, 3) for v in fig.table["usd_per_m_tokens"])
    assert sorted(labels) == pytest.approx(expected, abs=0.0015)
    params = {p["name"] for p in figures.vega_lite_spec(fig.chart)["params"]}
    assert params == {name for name, *_ in cost_figures.SLIDERS}


def test_chapter_has_enough_figures():
    ids = figures.figure_ids("06_cost")
    assert len(ids) >= 4 and all(i.startswith("fig-cost-") for i in ids)


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "analysis", "tco", *args], capture_output=True, text=True, cwd=REPO)


def test_cli_rejects_bad_input_with_exit_2():
    r = _cli("--hardware", "gb301")
    assert r.returncode == 2 and "invalid choice" in r.stderr and "gb300" in r.stderr and "mi355x" in r.stderr
    r = _cli("--hardware", "gb300", "--utilization", "1.5")
    assert r.returncode == 2 and "--utilization must be > 0 and <= 1" in r.stderr
    r = _cli("--hardware", "gb300", "--power-price", "cheap")
    assert r.returncode == 2 and "must be a number" in r.stderr
    r = _cli("--hardware", "gb300", "--model", "gpt-5")
    assert r.returncode == 2 and "deepseek-r1" in r.stderr
    r = _cli("--hardware", "mi355x")
    assert r.returncode == 2 and "--throughput" in r.stderr


def test_cli_out_of_reach_exits_3():
    r = _cli("--hardware", "h200", "--tokens-per-user", "5000")
    assert r.returncode == 3 and "at most" in r.stdout


def test_cli_json_matches_the_model_and_the_flags():
    r = _cli("--hardware", "gb300", "--tokens-per-user", "50", "--power-price", "0.08", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    i = out["inputs"]
    assert i["electricity_usd_per_kwh"] == 0.08
    assert out["usd_per_gpu_hour"]["power"] == pytest.approx(out["it_power_kw"] * i["pue"] * 0.08)
    t = out["tokens_per_s_per_gpu"]["value"]
    assert out["usd_per_m_output_tokens"]["value"] == pytest.approx(
        out["usd_per_gpu_hour"]["total"] / (t * 3600 * i["utilization"]) * 1e6)
    assert out["usd_per_m_output_tokens"]["low"] <= out["usd_per_m_output_tokens"]["value"] <= out["usd_per_m_output_tokens"]["high"]
