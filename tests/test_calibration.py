"""Calibration (analysis.calibration): planted parameters recovered, stored fits reproducible, errors honest."""

import numpy as np
import pandas as pd
import pytest

from analysis import calibration as cal, data, perf


@pytest.fixture(scope="module")
def cs():
    return cal.calibration_set()


#: Interior values of every parameter, far from the bounds and from the stored fit.
PLANTED = perf.Params(
    compute_efficiency=0.6, memory_efficiency=0.75, kv_memory_efficiency=0.5, gemm_half_tokens=40.0,
    collective_latency_s=5e-6, network_efficiency=0.7, sequence_overhead_s=2e-5, layer_latency_fp4_s=1e-5,
    ttft_burst=0.4, layer_latency_trtllm_s=3e-5, layer_latency_vllm_s=5e-5, layer_latency_sglang_s=2e-5,
    step_overhead_trtllm_s=1e-3, step_overhead_vllm_s=2e-3, step_overhead_sglang_s=3e-3,
    ttft_overhead_trtllm_s=0.05, ttft_overhead_vllm_s=0.08, ttft_overhead_sglang_s=0.1)


def _synthetic(cs, params):
    # the model's own predictions become the "measurements", where a measurement exists
    ev = cal.evaluate(cs, params)
    points = cs.points.copy()
    for pred, meas in cal.METRICS.values():
        points[meas] = np.where(points[meas].notna(), ev[pred], np.nan)
    return cal.CalibrationSet(points, cs.arrays, cs.starts)


def test_calibration_recovers_every_planted_parameter(cs):
    synthetic = _synthetic(cs, PLANTED)
    fit = cal.calibrate(synthetic, starts=1)      # from the middle of the bounds
    assert cal.loss(synthetic, fit) < 1e-10
    np.testing.assert_allclose(fit.as_array(), PLANTED.as_array(), rtol=1e-3)


def test_stored_fit_is_an_optimum_of_the_loss(cs):
    stored = perf.parameters()
    refit = cal.calibrate(cs, starts=1, start=stored)
    assert cal.loss(cs, refit) == pytest.approx(cal.loss(cs, stored), rel=1e-6)
    np.testing.assert_allclose(refit.as_array(), stored.as_array(), rtol=1e-3)
    # better than the hand-set defaults (physically plausible values) and far better than a plain roofline
    assert cal.loss(cs, stored) < 0.8 * cal.loss(cs, perf.Params())
    assert cal.loss(cs, stored) < 0.25 * cal.loss(cs, perf.ROOFLINE)


def test_every_measured_deployment_is_feasible(cs):
    ev = cal.evaluate(cs, perf.parameters())
    assert ev["feasible"].all(), ev.loc[~ev["feasible"], ["hardware", "model_id", "tp", "dp"]].head()


def test_regimes_by_hand():
    assert cal.regime_of([1, 8, 9, 16, 64, 65, 128, 4096]).tolist() == [
        "1-8", "1-8", "16-64", "16-64", "16-64", "128+", "128+", "128+"]


def test_weights_balance_groups_and_datasets(cs):
    w = cs.points.assign(w=cs.points["weight"])
    shares = w.groupby("dataset")["w"].sum()
    assert shares["mlperf"] == pytest.approx(cal.MLPERF_SHARE)
    assert shares["sweeps"] == pytest.approx(1 - cal.MLPERF_SHARE)
    # inside a group every point weighs the same, and a group of n weighs sqrt(n) x one point of its dataset's unit
    groups = w.groupby(["dataset", "hardware", "model_id", "backend", "precision"])["w"]
    assert (groups.nunique() == 1).all()


def test_bootstrap_resamples_whole_groups_reproducibly(cs):
    a = cal.resample(cs, np.random.default_rng(7))
    b = cal.resample(cs, np.random.default_rng(7))
    pd.testing.assert_frame_equal(a.points, b.points)
    full = pd.Series(cal.configuration_groups(cs.points)).value_counts()
    drawn = pd.Series(cal.configuration_groups(a.points)).value_counts()
    # each drawn group appears a whole number of times its full size
    assert ((drawn / full[drawn.index]) % 1 == 0).all()
    assert len(a.points) > 0.5 * len(cs.points)


def test_stored_draws_are_refits_that_differ():
    draws = np.array([p.as_array() for p in perf.parameter_draws()])
    assert len(draws) == cal.BOOTSTRAP_DRAWS
    assert (draws.std(axis=0)[:2] > 0).all()      # compute and memory efficiency vary across draws


def test_stored_uncertainty_is_the_held_out_error_of_the_stored_refits(cs):
    held = cal.leave_one_out(cs, "hardware")
    assert set(held["held_out"]) == set(cs.points["hardware"])
    recomputed = cal.log_ratio_quantiles(held).set_index("metric")
    stored = data.load("perf_uncertainty").set_index("metric")
    for metric in cal.METRICS:
        for q in ("log_ratio_q05", "log_ratio_q95"):
            assert stored.at[metric, q] == pytest.approx(recomputed.at[metric, q], abs=1e-9)
        assert stored.at[metric, "log_ratio_q05"] < 0 < stored.at[metric, "log_ratio_q95"]


def test_held_out_fits_never_saw_their_hardware(cs):
    # refit one held-out hardware and compare with the stored refit
    fits = cal.stored_held_out_fits("hardware")
    held = (cs.points["hardware"] == "h100").to_numpy()
    refit = cal.calibrate(cal.subset(cs, ~held), starts=1, start=fits["h100"])
    np.testing.assert_allclose(refit.as_array(), fits["h100"].as_array(), rtol=1e-3)
    assert cal.loss(cal.subset(cs, ~held), fits["h100"]) < cal.loss(cal.subset(cs, ~held), perf.parameters())


def test_error_summary_by_hand():
    ev = pd.DataFrame({"g": ["a", "a", "b"], "predicted_tpot_s": [1.0, 3.0, np.nan],
                       "measured_tpot_s": [2.0, 1.0, 1.0], "predicted_ttft_s": [1.0, 1.0, 1.0],
                       "measured_ttft_s": [np.nan] * 3, "predicted_tokens_per_s_per_gpu": [10.0, 10.0, 10.0],
                       "measured_tokens_per_s_per_gpu": [10.0, 11.0, 12.5]})
    t = cal.error_summary(ev, ["g"]).set_index("g")
    assert t.at["a", "median_abs_error_tpot_s"] == pytest.approx(np.median([0.5, 2.0]))
    assert t.at["a", "within_2x_tpot_s"] == 0.5          # 3x is outside
    assert t.at["b", "median_abs_error_tpot_s"] == pytest.approx(9.0)   # infeasible counts as 10x
    assert np.isnan(t.at["a", "median_abs_error_ttft_s"])
    assert t.at["b", "median_abs_error_output_tokens_per_s_per_gpu"] == pytest.approx(0.2)


def test_disaggregated_requests_are_the_rows_with_both_worker_counts():
    rows = data.load("serving_sweeps")
    dis = rows[rows["mode"] == "disagg"]
    scorable = dis["prefill_num_workers"].notna() & dis["decode_num_workers"].notna()
    req = cal.disagg_requests()
    assert len(req) == int(scorable.sum()) and set(req["point_id"]) == set(dis.loc[scorable, "point_id"])
    # a recorded expert-parallel degree of 0 means EP off: one expert group
    zero = dis.loc[scorable & (dis["prefill_moe_ep_size"] == 0), "point_id"]
    assert len(zero) > 0 and (req.set_index("point_id").loc[zero, "prefill_ep"] == 1).all()


def test_disaggregated_evaluation_is_the_predict_interface_row_by_row():
    from analysis import predict

    ev = cal.evaluate_disagg()
    row = ev[ev["feasible"] & (ev["hardware"] == "b200")].iloc[0]
    kwargs = {k: int(row[k]) for k in ev.columns if k.startswith(("prefill_", "decode_"))}
    one = predict.predict(row["hardware"], row["model"], row["precision"], int(row["isl"]), int(row["osl"]),
                          int(row["concurrency"]), mode="disagg", backend=row["backend"], **kwargs,
                          draws=[perf.parameters()])
    assert one.tpot_s == pytest.approx(row["predicted_tpot_s"], rel=1e-12)
    assert one.ttft_s == pytest.approx(row["predicted_ttft_s"], rel=1e-12)
    summary = cal.error_summary(ev)
    ratio = ev["predicted_tpot_s"] / ev["measured_tpot_s"]
    assert summary["median_abs_error_tpot_s"].iloc[0] == pytest.approx(np.median(np.abs(ratio.fillna(10.0) - 1)))
