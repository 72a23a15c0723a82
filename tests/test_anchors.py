"""The aiconfigurator anchor: its error arithmetic by hand, its sample, and the stored table's keys."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import anchors, data


def _tiny():
    predicted = pd.DataFrame({
        "point_id": ["a", "b", "c", "d"],
        "status": ["ok", "ok", "ok", "unsupported"],
        "predicted_tpot_ms": [30.0, 5.0, 12.0, np.nan],
        "predicted_ttft_ms": [100.0, 300.0, 50.0, np.nan],
    })
    measured = pd.DataFrame({
        "point_id": ["a", "b", "c", "d", "e"],
        "hardware": ["h100", "b200", "b200", "gb200", "h100"],
        "model_id": ["m"] * 5,
        "backend": ["vllm"] * 5,
        "concurrency": [4, 32, 256, 1024, 1],
        "tpot_ms": [20.0, 20.0, 10.0, 7.0, 1.0],
        "ttft_ms": [400.0, 100.0, 50.0, 9.0, 1.0],
    })
    return predicted, measured


def test_errors_by_hand():
    e = anchors.aiconfigurator_errors(*_tiny())
    p = e.points.set_index("point_id")
    # a: 30/20 = 1.5, 100/400 = 0.25; b: 5/20 = 0.25, 300/100 = 3; c: 12/10 = 1.2, 50/50 = 1
    assert p.loc["a", "ratio_tpot"] == pytest.approx(1.5)
    assert p.loc["a", "abs_error_ttft"] == pytest.approx(0.75)
    assert p.loc["b", "abs_error_tpot"] == pytest.approx(0.75)
    assert p.loc["b", "ratio_ttft"] == pytest.approx(3.0)
    assert np.isnan(p.loc["d", "ratio_tpot"]) and np.isnan(p.loc["d", "abs_error_ttft"])
    assert list(p["regime"]) == ["1-8", "16-64", "128+", "128+"]
    s = e.summary.set_index("group")
    assert list(s.index) == ["all", "1-8", "16-64", "128+"]
    assert (s.loc["all", "points"], s.loc["all", "ok"], s.loc["all", "unsupported"]) == (4, 3, 1)
    # TPOT errors 0.5, 0.75, 0.2 -> median 0.5; ratios 1.5, 0.25, 1.2 -> two of three within 2x, median 1.2
    assert s.loc["all", "median_abs_error_tpot"] == pytest.approx(0.5)
    assert s.loc["all", "within_2x_tpot"] == pytest.approx(2 / 3)
    assert s.loc["all", "median_ratio_tpot"] == pytest.approx(1.2)
    # TTFT errors 0.75, 2, 0 -> median 0.75; ratios 0.25, 3, 1 -> one of three within 2x
    assert s.loc["all", "median_abs_error_ttft"] == pytest.approx(0.75)
    assert s.loc["all", "within_2x_ttft"] == pytest.approx(1 / 3)
    # the 128+ regime: c ran (error 0.2), d did not
    assert (s.loc["128+", "ok"], s.loc["128+", "unsupported"]) == (1, 1)
    assert s.loc["128+", "median_abs_error_tpot"] == pytest.approx(0.2)


def test_unknown_point_is_an_error():
    predicted, measured = _tiny()
    with pytest.raises(KeyError, match="zz"):
        anchors.aiconfigurator_errors(predicted.assign(point_id=["a", "b", "c", "zz"]), measured)


def test_sample_is_stratified_seeded_and_aggregated_only():
    sweeps = data.load("serving_sweeps")
    s = anchors.sample_points(sweeps)
    assert (s["mode"] == "agg").all() and s["point_id"].is_unique
    agg = sweeps[sweeps["mode"] == "agg"].assign(
        regime=lambda f: np.where(f["concurrency"] <= 8, "1-8", np.where(f["concurrency"] <= 64, "16-64", "128+")))
    available = agg.groupby(["hardware", "regime"]).size()
    taken = s.groupby(["hardware", "regime"]).size()
    # every (hardware, regime) cell gives min(available, per cell) points
    assert taken.to_dict() == available.clip(upper=anchors.SAMPLE_PER_CELL).to_dict()
    # breadth first: a cell with at least as many points as (model, engine) groups covers every group
    for key, cell in agg.groupby(["hardware", "regime"]):
        groups = cell.groupby(["model_id", "backend"]).ngroups
        if groups <= anchors.SAMPLE_PER_CELL:
            picked = s[(s["hardware"] == key[0]) & (s["regime"] == key[1])]
            assert picked.groupby(["model_id", "backend"]).ngroups == groups, key
    assert anchors.sample_points(sweeps)["point_id"].tolist() == s["point_id"].tolist()
    assert anchors.sample_points(sweeps, seed=1)["point_id"].tolist() != s["point_id"].tolist()


def test_stored_table_is_the_sample_and_its_points_exist():
    stored = data.load("perf_anchor_aiconfigurator")
    sweeps = data.load("serving_sweeps")
    assert set(stored["point_id"]) <= set(sweeps["point_id"])
    # the script asked exactly the seeded sample: nothing dropped, nothing added
    assert sorted(stored["point_id"]) == sorted(anchors.sample_points(sweeps)["point_id"])
    ok = stored["status"] == "ok"
    assert stored.loc[ok, ["predicted_tpot_ms", "predicted_ttft_ms"]].notna().all().all()
    assert stored.loc[~ok, ["predicted_tpot_ms", "predicted_ttft_ms"]].isna().all().all()
    assert (stored.loc[~ok, "reason"].str.len() > 0).all()
    merged = stored.merge(sweeps, on="point_id", suffixes=("", "_sweep"))
    for column in ("hardware", "model_id", "backend", "concurrency"):
        assert (merged[column] == merged[f"{column}_sweep"]).all(), column


def test_stored_errors_summary_is_consistent():
    e = anchors.aiconfigurator_errors()
    s = e.summary.set_index("group")
    assert s.loc["all", "points"] == len(e.points)
    assert s.loc[["1-8", "16-64", "128+"], "ok"].sum() == s.loc["all", "ok"]
    ok = e.points[e.points["status"] == "ok"]
    assert s.loc["all", "median_abs_error_tpot"] == pytest.approx(
        float(np.median(np.abs(ok["predicted_tpot_ms"] / ok["tpot_ms"] - 1))))
