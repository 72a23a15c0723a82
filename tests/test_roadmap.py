"""Hardware roadmap: ridge points, growth factors and verdicts pinned by hand from the sources."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import claims, growth, models, roofline
from analysis.chapters import hardware_roadmap


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return growth.generation_table()


def test_availability_years():
    assert growth.availability_year("2025-H2") == 2025.75
    assert growth.availability_year("2024-Q4") == 2024.875
    with pytest.raises(ValueError):
        growth.availability_year("late 2026")


def test_ridge_points_by_hand(table):
    r = roofline.ridge_points(table).set_index(["product_id", "precision"])["ridge_flop_per_byte"]
    assert r[("h100-sxm", "bf16")] == pytest.approx(989.4 / 3.35, rel=1e-4)  # 295 FLOP/byte
    assert r[("b200-hgx", "fp4")] == pytest.approx(9000 / 8)
    assert r[("gb200-nvl72", "fp4")] == pytest.approx(10000 / 8)
    assert r[("gb300-nvl72", "fp4")] == pytest.approx(15000 / 8)
    assert r[("vr-nvl144", "fp4")] == pytest.approx(50000 / 13)  # GTC slide's 13 TB/s


def test_ridge_range_spans_rubin_hbm4_sources(table):
    r = roofline.ridge_points(table).set_index(["product_id", "precision"])
    # 35 PF (NVIDIA 2026 'training') over 22 TB/s (CES 2026) is the low end
    assert r.loc[("vr-nvl144", "fp4"), "ridge_low"] == pytest.approx(35000 / 22)


def test_growth_factors_by_hand(table):
    gb = growth.compare(table, "gb300-nvl72", "gb200-nvl72").set_index("quantity")["ratio"]
    assert gb["dense_fp4_pflop_s"] == pytest.approx(15 / 10)
    hgx = growth.compare(table, "b300-hgx", "b200-hgx").set_index("quantity")
    assert hgx.at["dense_fp4_pflop_s", "ratio"] == pytest.approx(13.125 / 9)
    assert hgx.at["dense_fp4_pflop_s", "ratio_high"] == pytest.approx(14 / 9)
    assert hgx.at["fp64_tflop_s", "ratio"] == pytest.approx(1.25 / 37)
    vr = growth.compare(table, "vr-nvl144", "gb300-nvl72").set_index("quantity")["ratio"]
    assert vr["dense_fp4_pflop_s"] == pytest.approx(50 / 15)
    ru = growth.compare(table, "rubin-ultra-nvl576", "vr-nvl144").set_index("quantity")["ratio"]
    assert ru["dense_fp4_pflop_s"] == pytest.approx(2.0)
    h200 = growth.compare(table, "h200-sxm", "h100-sxm").set_index("quantity")["ratio"]
    assert h200["hbm_bandwidth_tb_s"] == pytest.approx(4.8 / 3.35)


def test_per_die_and_per_rack_views(table):
    t = table.set_index(["product_id", "quantity"])
    assert t.at[("gb300-nvl72", "dense_fp4_pflop_s"), "per_die"] == pytest.approx(7.5)
    assert t.at[("rubin-ultra-nvl576", "dense_fp4_pflop_s"), "per_die"] == pytest.approx(25.0)
    assert t.at[("gb200-nvl72", "dense_fp4_pflop_s"), "per_system"] == pytest.approx(720.0)
    # NVLink 5 one way per package
    assert t.at[("gb200-nvl72", "nvlink_one_way_tb_s"), "per_package"] == pytest.approx(0.9)


def test_feynman_is_listed_without_numbers(table):
    feynman = table[table["product_id"] == "feynman"]
    assert len(feynman) == 1 and feynman["per_package"].isna().all()
    wide = growth.generation_wide(table)
    assert "announced, no specs" in wide[wide["product"] == "Feynman"].iloc[0].tolist()


def test_doubling_time_recovers_a_planted_rate():
    years = np.linspace(2020, 2028, 9)
    values = 3.0 * 2 ** ((years - 2020) / 1.7)
    assert growth.doubling_time(years, values) == pytest.approx(1.7)
    assert growth.doubling_time([2020, 2021], [2.0, 1.0]) == float("inf")


def test_distinct_experts_limits():
    assert models.distinct_experts(256, 8, 1) == pytest.approx(8.0)
    assert models.distinct_experts(256, 8, 2) == pytest.approx(256 * (1 - (248 / 256) ** 2))
    assert models.distinct_experts(128, 4, 10_000) == pytest.approx(128.0)


def test_decode_intensity_is_about_the_batch_for_bf16_dense():
    # 2 FLOPs per 2-byte weight and sequence; with no context, intensity = batch size
    for batch in (1, 8, 64):
        r = roofline.step_intensity("llama-3.3-70b", "decode", batch, "bf16", context=0)
        assert r["intensity"] == pytest.approx(batch, rel=1e-6)
    # the KV cache lowers it at long context
    assert roofline.step_intensity("llama-3.3-70b", "decode", 64, "bf16", context=8192)["intensity"] < 64


def test_moe_decode_reads_more_weights_as_the_batch_grows():
    small = roofline.step_intensity("deepseek-r1", "decode", 1, "fp8", context=0)
    large = roofline.step_intensity("deepseek-r1", "decode", 256, "fp8", context=0)
    assert large["bytes"] > 10 * small["bytes"]
    assert roofline.step_intensity("deepseek-r1", "prefill", 8192, "fp8")["intensity"] > 1000


def test_decode_sits_below_every_ridge_point():
    share = roofline.decode_bound_share("fp8")
    assert (share["fraction_of_peak"] < 0.5).all()


def test_verdicts():
    assert claims.evaluate("H1").verdict is claims.Verdict.PARTLY
    assert claims.evaluate("H2").verdict is claims.Verdict.SUPPORTED
    h3 = claims.evaluate("H3")
    # the FP8 ridge point rises end to end but falls from H100 to H200 (more bandwidth, same FLOPs)
    assert h3.verdict is claims.Verdict.PARTLY
    evidence = {e.label: e.value for e in h3.evidence}
    assert evidence["FP8 ridge point, HGX H100"] == pytest.approx(1978.9 / 3.35, rel=2e-3)
    assert evidence["FP8 ridge point, HGX H200"] == pytest.approx(1978.9 / 4.8, rel=2e-3)
    assert evidence["flagship steps where the FP8 ridge point rises"] == 2


def test_h1_counts_exactly_fifty_percent_as_about_not_more():
    assert hardware_roadmap._versus(1.5, 1.5) == "about"
    assert hardware_roadmap._versus(1.56, 1.5) == "more"
    assert hardware_roadmap._versus(13.125 / 9, 1.5) == "less"


def test_a_changed_spec_changes_the_roadmap(edited_spec):
    edited_spec("gb300-nvl72.compute_pflop_s.fp4.dense.per_package.1", "15,PFLOP/s", "18,PFLOP/s")
    r = roofline.ridge_points().set_index(["product_id", "precision"])["ridge_flop_per_byte"]
    assert r[("gb300-nvl72", "fp4")] == pytest.approx(18000 / 8)
    evidence = {e.label: e.value for e in claims.evaluate("H1").evidence}
    assert evidence["NVL72: dense FP4 per package, B300 / B200"] == pytest.approx(18 / 10)


def test_per_system_growth_only_between_like_form_factors(table):
    steps = growth.growth_steps(table).set_index(["quantity", "from_product", "to_product"])
    # a 72-package rack over an 8-GPU board is not a like-for-like multiple
    assert np.isnan(steps.at[("dense_fp8_pflop_s", "HGX H200", "GB200 NVL72"), "factor_per_system"])
    # Rubin Ultra's rack: 144 x 34.72 PF over Rubin's 72 x 16.67 PF
    ratio = steps.at[("dense_fp8_pflop_s", "Vera Rubin NVL144", "Rubin Ultra NVL576"), "factor_per_system"]
    assert ratio == pytest.approx((5000 / 144 * 144) / (1200 / 72 * 72))


def test_memory_walls_by_hand(table):
    w = roofline.memory_walls(table).set_index(["product", "precision"])
    assert w.at[("HGX H100", "fp8"), "tflop_s_per_gb_of_capacity"] == pytest.approx(1978.9 / 80, rel=1e-3)
    assert w.at[("GB300 NVL72", "fp4"), "tflop_s_per_gb_of_capacity"] == pytest.approx(15000 / 288)
    assert w.at[("GB300 NVL72", "fp4"), "flop_per_byte_of_bandwidth"] == pytest.approx(15000 / 8)
