"""Jensen-math rules, pinned to values computed by hand from the sources."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import data
from analysis import jensen_math as jm


@pytest.fixture(scope="module")
def specs() -> pd.DataFrame:
    return data.load("hardware_specs")


def test_dense_from_sparse_rule_and_exception():
    # H100 BF16: 1,979 TFLOP/s "with sparsity" -> half dense
    assert jm.dense_from_sparse(1979.0) == pytest.approx(989.5)
    # Blackwell Ultra FP4: 20 sparse / 15 dense PFLOP/s per GPU
    assert jm.dense_from_sparse(20.0, 20 / 15) == pytest.approx(15.0)
    np.testing.assert_allclose(jm.dense_from_sparse([2.0, 4.0], [2.0, 1.0]), [1.0, 4.0])


def test_one_direction():
    assert jm.one_direction(1.8, "bidirectional") == pytest.approx(0.9)  # NVLink 5
    assert jm.one_direction(3.35, "not_applicable") == pytest.approx(3.35)  # HBM is not doubled
    np.testing.assert_allclose(jm.one_direction([3.6, 0.1], ["bidirectional", "unidirectional"]), [1.8, 0.1])


def test_packages_from_gpus():
    assert jm.packages_from_gpus(144, 2) == 72  # VR NVL144
    assert jm.packages_from_gpus(576, 4) == 144  # Rubin Ultra NVL576
    with pytest.raises(ValueError):
        jm.packages_from_gpus(72, 2, counts="chips")


def test_h100_bf16_normalized_from_published_pair(specs):
    n = jm.normalize(specs).set_index("spec_id")
    row = n.loc["h100-sxm.compute_pflop_s.bf16.sparse.per_package.1"]
    assert row["value_in_metric_unit"] == pytest.approx(1.979, rel=1e-3)
    # H100 datasheet: 989.4 TFLOP/s dense
    assert row["value_normalized"] == pytest.approx(0.9894, rel=1e-4)
    assert row["dense_source"] == "published ratio"


def test_nvlink5_normalized(specs):
    n = jm.normalize(specs).set_index("spec_id")
    row = n.loc["gb200-nvl72.nvlink_bandwidth_tb_s.none.not_applicable.per_package.1"]
    assert (row["value_in_metric_unit"], row["value_normalized"], row["inflation"]) == (1.8, 0.9, 2.0)


def test_blackwell_ultra_sparsity_exception(specs):
    r = jm.sparsity_ratios(specs).set_index(["product_id", "precision", "scope"])
    assert r.loc[("gb300-nvl72", "fp4", "per_package"), "ratio"] == pytest.approx(20 / 15)
    assert r.loc[("gb300-nvl72", "fp8", "per_package"), "ratio"] == pytest.approx(2.0)
    assert r.loc[("h100-sxm", "fp8", "per_package"), "ratio"] == pytest.approx(2.0, rel=1e-3)


def test_rack_topologies(specs):
    t = jm.topologies(specs)
    assert (t["vr-nvl144"].packages, t["vr-nvl144"].dies, t["vr-nvl144"].counts) == (72, 144, "dies")
    assert (t["rubin-ultra-nvl576"].packages, t["rubin-ultra-nvl576"].dies) == (144, 576)
    assert (t["gb200-nvl72"].packages, t["gb200-nvl72"].dies, t["gb200-nvl72"].counts) == (72, 144, "packages")
    counts = jm.gpu_counts(specs).set_index("product_id")["count_inflation"]
    assert counts[["gb200-nvl72", "gb300-nvl72", "vr-nvl144", "rubin-ultra-nvl576"]].tolist() == [1, 1, 2, 4]


def test_per_gpu_dense_fp4(specs):
    v = jm.per_gpu_views(specs).set_index("product_id")
    # GB200 per GPU 10 PF dense (720 PF / 72); GB300 15 PF: 1.5x
    assert v.loc["gb200-nvl72", "per_package"] == pytest.approx(10.0)
    assert v.loc["gb300-nvl72", "per_package"] / v.loc["gb200-nvl72", "per_package"] == pytest.approx(1.5)
    assert v.loc["gb300-nvl72", "per_die"] == pytest.approx(7.5)
    # Rubin Ultra: 100 PF per package of 4 dies, marketed per die
    assert v.loc["rubin-ultra-nvl576", ["per_package", "per_die", "per_marketed_gpu"]].tolist() == pytest.approx(
        [100.0, 25.0, 25.0]
    )


def test_m4_ratios_by_hand(specs):
    r = jm.m4_ratios(specs).set_index(["figure_id", "basis"])["ratio"]
    vr, ru = "vr_nvl144_vs_gb300_nvl72", "rubin_ultra_nvl576_vs_gb300_nvl72"
    assert r[(vr, "per rack, FP4 (keynote figures)")] == pytest.approx(3.6 / 1.1)
    assert r[(vr, "per rack, FP8 (keynote figures)")] == pytest.approx(1.2 / 0.36)
    assert r[(ru, "per rack, FP4 (keynote figures)")] == pytest.approx(15 / 1.1)
    assert r[(vr, "per package, FP4 dense")] == pytest.approx(50 / 15)
    assert r[(ru, "per package, FP4 dense")] == pytest.approx(100 / 15)
    assert r[(ru, "per die, FP4 dense")] == pytest.approx(25 / 7.5)
    assert r[(ru, "per marketed GPU, FP4 dense")] == pytest.approx(25 / 15)
    # 15 EF in 600 kW vs 1.1 EF in 120 kW
    assert r[(ru, "per kW of rack power, FP4 (keynote figures)")] == pytest.approx((15000 / 600) / (1100 / 120))


def test_m4_range_spans_conflicting_sources(specs):
    r = jm.m4_ratios(specs).set_index(["figure_id", "basis"])
    row = r.loc[("vr_nvl144_vs_gb300_nvl72", "per package, FP4 dense")]
    # NVIDIA's 2026 'training' figure of 35 PF per package is the low end
    # against the keynote rack figure of GB300 (1.1 EF / 72 packages), the high end of its sources
    assert row["ratio_low"] == pytest.approx(35 / (1100 / 72))
    assert row["ratio_low"] <= row["ratio"] <= row["ratio_high"]


def test_marketed_vs_normalized_takes_the_largest_headline(specs):
    t = jm.marketed_vs_normalized(specs)
    gb300 = t.query("product_id == 'gb300-nvl72' and metric == 'compute_pflop_s' and precision == 'fp4' "
                    "and scope == 'per_rack'").iloc[0]
    # product page 1,440 PF sparse over 1,080 PF dense
    assert (gb300["marketed"], gb300["marketed_basis"]) == (1440.0, "sparse")
    assert gb300["inflation"] == pytest.approx(1440 / 1080, rel=1e-3)


def test_normalize_planted_rows():
    """A product with only a sparse figure falls back to the 2:4 rule; a bidirectional link is halved."""
    base = dict(precision="none", sparsity="not_applicable", direction="not_applicable", scope="per_package",
                status="claimed", headline=True, preferred=True, unit="count")
    rows = [
        dict(base, spec_id="x.c", product_id="x", metric="compute_pflop_s", precision="fp8", sparsity="sparse",
             unit="PFLOP/s", value_in_metric_unit=8.0),
        dict(base, spec_id="x.l", product_id="x", metric="nvlink_bandwidth_tb_s", direction="bidirectional",
             unit="TB/s", value_in_metric_unit=3.0),
        dict(base, spec_id="x.p", product_id="x", metric="gpu_packages_count", scope="per_rack", value_in_metric_unit=4.0),
        dict(base, spec_id="x.d", product_id="x", metric="compute_dies_count", value_in_metric_unit=2.0),
        dict(base, spec_id="x.m", product_id="x", metric="marketed_gpus_count", scope="per_rack", value_in_metric_unit=8.0),
        dict(base, spec_id="x.r", product_id="x", metric="compute_pflop_s", precision="fp8", sparsity="dense",
             scope="per_rack", unit="PFLOP/s", value_in_metric_unit=16.0),
    ]
    n = jm.normalize(pd.DataFrame(rows)).set_index("spec_id")
    assert n.loc["x.c", "value_normalized"] == 4.0 and n.loc["x.c", "dense_source"] == "2:4 rule (assumed)"
    assert n.loc["x.l", "value_normalized"] == 1.5
    assert n.loc["x.r", "value_per_package"] == 4.0  # 16 per rack / 4 packages
    assert jm.topologies(pd.DataFrame(rows))["x"].counts == "dies"


def test_conflicts_are_listed_with_the_value_used(specs):
    c = jm.conflicts(specs)
    b200 = c.query("product_id == 'b200-hgx' and metric == 'hbm_capacity_gb' and scope == 'per_package'").iloc[0]
    assert "180" in b200["values"] and "192" in b200["values"]
    rubin = c.query("product_id == 'vr-nvl144' and metric == 'hbm_bandwidth_tb_s'").iloc[0]
    assert {"13", "20.5", "22"} <= set(rubin["values"].split(" vs "))
    assert rubin["used"] == 13.0


def test_spec_value_lookup_errors(specs):
    with pytest.raises(LookupError):
        jm.spec_value(specs, "feynman", "compute_pflop_s", "fp4")
