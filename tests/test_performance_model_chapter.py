"""The performance-model appendix's tables: identities the presented numbers must obey."""

import numpy as np
import pytest

from analysis import calibration
from analysis.chapters import performance_model as chapter


def test_a_system_against_itself_is_one_with_no_spread():
    t = chapter.frontier_ratio(("gb200", 8, "fp4"), ("gb200", 8, "fp4"), interactivity=(30.0, 60.0, 1e6))
    np.testing.assert_allclose(t["ratio"][:2], 1.0)
    np.testing.assert_allclose(t["ratio_low"][:2], 1.0)
    np.testing.assert_allclose(t["ratio_high"][:2], 1.0)
    assert t.iloc[2].isna()[["ratio", "ratio_low", "ratio_high"]].all()   # a million tokens/s per user: not served


def test_error_table_rows_are_the_calibration_summaries():
    table = chapter.error_table().set_index(["fit", "dataset", "regime"])
    ev = chapter.evaluation("in_sample")
    sweeps = calibration.error_summary(ev[ev["dataset"] == "sweeps"]).iloc[0]
    row = table.loc[(chapter.FITS["in_sample"], "serving sweeps", "all")]
    assert row["median_abs_error_tpot_s"] == pytest.approx(sweeps["median_abs_error_tpot_s"])
    # the regimes partition the sweep points
    regimes = table.xs((chapter.FITS["hardware"], "serving sweeps"), level=("fit", "dataset"))
    assert regimes.drop("all")["points"].sum() == regimes.loc["all", "points"]


def test_rubin_ranges_contain_their_central_ratio():
    t = chapter.rubin_table().dropna()
    assert len(t) >= 4
    assert ((t["ratio_low"] <= t["ratio"]) & (t["ratio"] <= t["ratio_high"])).all()
    assert (t["ratio"] > 1).all()      # Rubin's roadmap specs exceed GB200's and GB300's


def test_anchor_scores_every_predictor_on_the_same_points():
    t = chapter.anchor_table()
    every = t[t["regime"] == "all"].set_index("predictor")
    assert every["points"].nunique() == 1 and every["points"].iloc[0] >= 100
    regimes = t[t["regime"] != "all"].groupby("predictor")["points"].sum()
    assert (regimes.sort_index() == every["points"].sort_index()).all()
    # the calibrated model is closer than the plain roofline on both metrics
    for metric in ("tpot", "ttft"):
        assert every.at["this model, calibrated, in sample", f"median_abs_error_{metric}"] < \
            every.at["plain roofline", f"median_abs_error_{metric}"]
