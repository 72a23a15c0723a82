"""The TCO model (analysis.tco): hand-computed costs, identities, the claims' arithmetic, the seeded Monte Carlo."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from analysis import data, systems, tco


def planted(**kw) -> tco.Inputs:
    base = dict(system_price_usd_per_gpu=40_000.0, network_capex_share=0.2, datacenter_capex_usd_per_mw=10e6,
                datacenter_life_years=15.0, lifetime_years=4.0, wacc=0.1, maintenance_share_per_year=0.03,
                utilization=0.8, electricity_usd_per_kwh=0.08, pue=1.25, it_power_kw=2.0, token_price_usd_per_m_output=2.0)
    base.update(kw)
    return tco.Inputs(**base)


def test_annuity_factor_by_hand():
    assert tco.annuity_factor(0.10, 4) == pytest.approx(0.1 / (1 - 1.1 ** -4))
    assert tco.annuity_factor(0.10, 4) == pytest.approx(0.315471, abs=1e-6)
    assert tco.annuity_factor(0.0, 5) == pytest.approx(0.2)
    # sum of discounted payments repays the principal
    a = tco.annuity_factor(0.07, 6)
    assert sum(a / 1.07 ** k for k in range(1, 7)) == pytest.approx(1.0)


def test_gpu_hour_cost_components_by_hand():
    c = tco.gpu_hour_cost(planted())
    hw = 40_000 / 0.8                      # system plus network capex
    a4, a15 = tco.annuity_factor(0.1, 4), tco.annuity_factor(0.1, 15)
    h = 8766.0
    assert c["system"] == pytest.approx(40_000 * a4 / h)
    assert c["network"] == pytest.approx(10_000 * a4 / h)
    assert c["datacenter"] == pytest.approx(10e6 * 2.0 / 1000 * a15 / h)
    assert c["maintenance"] == pytest.approx(0.03 * hw / h)
    assert c["power"] == pytest.approx(2.0 * 1.25 * 0.08)
    assert c["total"] == pytest.approx(sum(v for k, v in c.items() if k != "total"))


def test_gpu_hour_cost_vectorizes_like_a_loop():
    prices = np.array([20_000.0, 40_000.0, 80_000.0])
    vec = tco.gpu_hour_cost(planted(system_price_usd_per_gpu=prices))["total"]
    loop = [tco.gpu_hour_cost(planted(system_price_usd_per_gpu=p))["total"] for p in prices]
    np.testing.assert_allclose(vec, loop)


def test_nvidia_worked_example_recomputed():
    a = data.load("tco_anchors").set_index("anchor_id")["value"]
    h200 = tco.cost_per_million_tokens(a["nvidia_blog_h200_usd_per_gpu_hour"], a["nvidia_blog_h200_tokens"], 1.0)
    gb300 = tco.cost_per_million_tokens(a["nvidia_blog_gb300_usd_per_gpu_hour"], a["nvidia_blog_gb300_tokens"], 1.0)
    assert h200 == pytest.approx(1.41 / (90 * 3600) * 1e6)          # 4.35, not the 4.20 printed
    assert gb300 == pytest.approx(2.65 / (6000 * 3600) * 1e6)       # 0.123
    assert h200 / gb300 == pytest.approx(35.47, abs=0.01)


def test_revenue_per_mw_identity():
    # revenue = tokens/s per MW x utilization x seconds a year x price per token
    per_mw = tco.tokens_per_s_per_mw(500.0, 2.0, 1.25)
    assert per_mw == pytest.approx(500 * 400)
    r = tco.revenue_per_mw_year(500.0, 2.0, 1.25, 0.7, 2.19)
    assert r == pytest.approx(per_mw * 0.7 * 3600 * 8766 * 2.19 / 1e6)


def test_claims_arithmetic():
    assert tco.implied_price_ratio(68, 0.87) == pytest.approx(0.13 * 68)      # 8.84x Hopper
    assert tco.implied_price_ratio(900, 0.9997) == pytest.approx(0.0003 * 900)  # 0.27x: cheaper than Hopper
    for m, p in ((68, 8.84), (900, 0.27), (30, 3.0)):
        assert tco.implied_cost_reduction(m, tco.implied_price_ratio(m, tco.implied_cost_reduction(m, p))) == pytest.approx(
            tco.implied_cost_reduction(m, p))
    assert tco.implied_cost_reduction(900, 0.27) == pytest.approx(0.9997)


def test_peak_candidates_by_hand():
    c = tco.peak_candidates().set_index(["product_id", "candidate"])["ratio"]
    h100_hgx = 8 * 1.9789                  # dense FP8 PFLOP/s of an HGX H100 (8 x 1,978.9 TFLOP/s)
    assert c[("gb300-nvl72", "rack FP4 vs HGX H100 FP8, dense")] == pytest.approx(1100 / h100_hgx)
    assert c[("rubin-ultra-nvl576", "rack FP4 vs HGX H100 FP8, dense")] == pytest.approx(15000 / h100_hgx)
    assert c[("gb300-nvl72", "rack FP4 dense vs HGX H100 FP8 sparse (as marketed)")] == pytest.approx(1100 / 32)
    assert c[("gb300-nvl72", "package FP4 vs H100 FP8, dense")] == pytest.approx(15 / 1.9789)


def test_throughput_at_clamps_slow_and_refuses_fast():
    f = pd.DataFrame({"tokens_per_s_per_user": [10.0, 40.0], "output_tokens_per_s_per_gpu": [800.0, 200.0],
                      "output_tokens_per_s_per_gpu_low": [400.0, 100.0], "output_tokens_per_s_per_gpu_high": [1600.0, 400.0]})
    t = tco.throughput_at(f, [5.0, 20.0, 80.0])
    assert t["value"][0] == pytest.approx(800.0)      # slower users served at the slowest frontier point
    assert t["value"][1] == pytest.approx(400.0)      # log-log midpoint of 800 and 200
    assert np.isnan(t["value"][2])


def test_draw_throughput_hits_the_band_ends():
    assert tco.draw_throughput(100.0, 40.0, 300.0, tco.Z95) == pytest.approx(300.0)
    assert tco.draw_throughput(100.0, 40.0, 300.0, -tco.Z95) == pytest.approx(40.0)
    z = np.random.default_rng(1).standard_normal(200_000)
    d = tco.draw_throughput(100.0, 40.0, 300.0, z)
    np.testing.assert_allclose(np.percentile(d, [5, 50, 95]), [40.0, 100.0, 300.0], rtol=0.02)


def test_power_of_systems_without_system_power():
    # H200 publishes its 700 W TDP only: HGX H100's system-over-TDP ratio (10.2 kW / 8 / 700 W) applies
    assert tco.system_power_kw("h100") == pytest.approx(10.2 / 8)
    assert tco.system_power_kw("h200") == pytest.approx(0.7 * (10.2 / 8) / 0.7)
    assert tco.system_power_kw("mi355x") == pytest.approx(1.4 * systems.get("b200").power_kw / 1.0)


def test_deployment_fits_the_weights():
    assert tco.deployment("h100", "deepseek-r1") == ("fp8", 16)   # 671 GB of FP8 weights do not fit 8 x 80 GB
    assert tco.deployment("b200", "deepseek-r1") == ("fp4", 8)
    assert tco.deployment("rubin-ultra", "deepseek-r1") == ("fp4", 144)


def test_assumptions_merge_network_rows_and_apply_overrides():
    t = tco.assumptions()
    net = data.load("network_assumptions").set_index("parameter")
    assert tco.lookup(t, "electricity_usd_per_kwh") == net.at["electricity_usd_per_kwh", "value"]
    over = t[(t["parameter"] == "utilization")].copy()
    over[["value", "low", "high"]] = 0.35
    t2 = tco.assumptions(over)
    assert tco.lookup(t2, "utilization") == 0.35 and tco.lookup(t2, "wacc") == tco.lookup(t, "wacc")
    bad = over.assign(hardware="h999")
    with pytest.raises(KeyError, match=re.escape("utilization/all")):
        tco.assumptions(bad)


def test_override_file_is_validated_with_the_schema(tmp_path):
    rows = data.load("tco_assumptions")
    good = rows[rows["parameter"] == "wacc"].copy()
    path = tmp_path / "mine.csv"
    good.assign(value=0.12).to_csv(path, index=False)
    loaded = data.load_file("tco_assumptions", path)
    assert float(loaded["value"].iloc[0]) == 0.12
    good.assign(value=0.5).to_csv(path, index=False)          # outside its own range [0.07, 0.14]
    with pytest.raises(data.DataValidationError, match=r"mine.csv, line 2, column 'value'.*value-within-range"):
        data.load_file("tco_assumptions", path)
    good.assign(status="guessed").to_csv(path, index=False)
    with pytest.raises(data.DataValidationError, match=r"line 2, column 'status'"):
        data.load_file("tco_assumptions", path)


def test_monte_carlo_is_seeded_and_centred():
    thr = {"gb300": (5000.0, 2500.0, 10000.0), "h100": (100.0, 50.0, 200.0)}
    a = tco.monte_carlo(["gb300", "h100"], thr, n=3000, seed=7)
    b = tco.monte_carlo(["gb300", "h100"], thr, n=3000, seed=7)
    c = tco.monte_carlo(["gb300", "h100"], thr, n=3000, seed=8)
    pd.testing.assert_frame_equal(a, b)
    assert not a["usd_per_m_tokens"].equals(c["usd_per_m_tokens"])
    central = tco.inputs("gb300")
    point = tco.cost_per_million_tokens(tco.gpu_hour_cost(central)["total"], 5000.0, central.utilization)
    med = a.loc[a["hardware"] == "gb300", "usd_per_m_tokens"].median()
    assert 0.7 * point < med < 1.4 * point
    # throughput quantile shared across systems: their throughput draws are perfectly rank-correlated
    p = a.pivot(index="draw", columns="hardware", values="tokens_per_s_per_gpu")
    assert p["gb300"].rank().equals(p["h100"].rank())


def test_tornado_utilization_bar_by_hand():
    t = tco.tornado("gb300", (5000.0, 2500.0, 10000.0)).set_index("parameter")
    table = tco.assumptions()
    u, lo, hi = (tco.lookup(table, "utilization", which=w) for w in ("value", "low", "high"))
    assert t.at["utilization", "at_low"] == pytest.approx(t.at["utilization", "base"] * u / lo)
    assert t.at["utilization", "at_high"] == pytest.approx(t.at["utilization", "base"] * u / hi)
    assert t.at["tokens_per_s_per_gpu", "at_low"] == pytest.approx(t.at["tokens_per_s_per_gpu", "base"] * 2)
    assert list(t["swing"]) == sorted(t["swing"], reverse=True)


def test_cached_network_power_follows_the_data(tmp_path, monkeypatch):
    import shutil

    central = tco.network_power_kw("gb300")
    assert tco.network_power_kw("gb300") == central   # the cached answer
    copy = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, copy)
    path = copy / "network_assumptions.csv"
    text = path.read_text(encoding="utf-8")
    assert "switch_power_w_per_tb_s," in text and ",28.66,8.8,42.0," in text
    path.write_text(text.replace(",28.66,8.8,42.0,", ",42.0,8.8,42.0,", 1), encoding="utf-8")
    monkeypatch.setattr(data, "DATA_DIR", copy)
    # switches draw 42.0 / 28.66 of what they did: the network's power rises, the cache does not answer
    assert tco.network_power_kw("gb300") > central * 1.05
    monkeypatch.undo()
    assert tco.network_power_kw("gb300") == central
