"""Performance model: hand-computed bounds, interfaces, calibration recovering planted parameters."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import calibration as cal, data, jensen_math as jm, models, perf, systems

REPO = Path(__file__).resolve().parent.parent

#: Parameters that turn the model into a pure roofline (full efficiency, no latencies).
ROOFLINE = perf.Params(compute_efficiency=1.0, memory_efficiency=1.0, gemm_half_tokens=1e-9,
                       collective_latency_s=0.0, layer_latency_s=0.0, step_overhead_s=0.0)


def test_batch1_decode_is_bounded_by_reading_the_weights():
    # Llama-2-70B FP8 on one H200: one token reads every weight once
    m, h = models.get("llama-2-70b"), systems.get("h200")
    weights = models.weight_bytes(m, "fp8") - 32000 * 8192 * 2     # the embedding table is not read
    assert h.hbm_tb_s == 4.8
    bound = weights / 4.8e12                                        # [s] at 4.8 TB/s
    r = perf.predict("h200", "llama-2-70b", "fp8", 1, 10, 10, 1, params=ROOFLINE)
    assert r.tpot_s >= bound
    # the rest is the KV cache of one short sequence and the prefill share: well under 1%
    assert r.tpot_s == pytest.approx(bound, rel=0.01)
    assert bound == pytest.approx(68.975e9 / 4.8e12, rel=1e-4)   # 68.98 GB (FP8 body + BF16 lm_head) in 14.37 ms


def test_large_batch_prefill_is_compute_bound():
    m, h = models.get("llama-2-70b"), systems.get("b200")
    c, hwc = perf._model_constants(m, "fp4", 1000, 1), perf._hardware_constants(h, "fp4")
    t = perf.step_components(c, hwc, ROOFLINE, 1, 1, 0.0, 8000.0)
    linear_flops = 2 * (models.active_params(m) - 32000 * 8192) * 8000 + 2 * 32000 * 8192 * 8
    assert float(t["linear_compute"]) == pytest.approx(linear_flops / 9e15, rel=1e-9)
    assert float(t["linear_compute"]) > float(t["linear_memory"])


def test_expected_distinct_experts():
    # one token touches exactly k experts; many tokens touch all of them
    m, h = models.get("deepseek-r1"), systems.get("b200")
    c, hwc = perf._model_constants(m, "fp8", 100, 100), perf._hardware_constants(h, "fp8")
    one = perf.step_components(c, hwc, ROOFLINE, 1, 1, 1.0, 0.0)
    many = perf.step_components(c, hwc, ROOFLINE, 1, 1, 10000.0, 0.0)
    expert_bytes = models.expert_params(m) * 1.0
    dense = c["dense_bytes"]
    assert float(one["linear_memory"]) * 8e12 == pytest.approx(dense + 58 * 8 * expert_bytes, rel=1e-9)
    assert float(many["linear_memory"]) * 8e12 == pytest.approx(dense + 58 * 256 * expert_bytes, rel=1e-6)


def test_memory_capacity_makes_configurations_infeasible():
    r = perf.predict("h100", "llama-3.1-405b", "bf16", 8, 1000, 100, 1)
    assert not r.feasible and np.isnan(r.tpot_s) and "weights need" in r.notes
    assert not perf.predict("h200", "llama-2-70b", "fp8", 1, 4000, 4000, 5000).feasible   # KV of 5000 sequences
    assert perf.predict("h200", "llama-2-70b", "fp8", 8, 4000, 4000, 64).feasible


def test_max_concurrency_fills_the_kv_cache():
    r = perf.predict("h200", "llama-2-70b", "fp8", 1, 1000, 1000, "max")
    m = models.get("llama-2-70b")
    free = 0.9 * 141e9 - models.weight_bytes(m, "fp8")
    per_seq = models.kv_bytes_per_token(m, "fp8") * 1500
    assert r.concurrency == int(free // per_seq)


def test_more_concurrency_trades_latency_for_throughput():
    low = perf.predict("b200", "llama-3.3-70b", "fp8", 8, 1024, 1024, 8, tp=8, dp=1)
    high = perf.predict("b200", "llama-3.3-70b", "fp8", 8, 1024, 1024, 512, tp=8, dp=1)
    assert high.output_tokens_per_s_per_gpu > 5 * low.output_tokens_per_s_per_gpu
    assert high.tpot_s > low.tpot_s
    assert low.tokens_per_s_per_user == pytest.approx(1 / low.tpot_s)
    assert low.output_tokens_per_s == pytest.approx(8 / low.tpot_s)


def test_auto_parallelism_is_the_best_explicit_one():
    auto = perf.predict("h200", "llama-3.3-70b", "fp8", 8, 2048, 256, 64)
    explicit = [perf.predict("h200", "llama-3.3-70b", "fp8", 8, 2048, 256, 64, tp=t, dp=8 // t) for t in (1, 2, 4, 8)]
    best = max(e.output_tokens_per_s_per_gpu for e in explicit if e.feasible)
    assert auto.output_tokens_per_s_per_gpu == pytest.approx(best)


def test_disaggregated_serving_counts_both_pools():
    r = perf.predict("gb200", "llama-3.3-70b", "fp8", 16, 4096, 512, 256, mode="disagg")
    assert r.feasible and "prefill GPUs" in r.notes
    assert r.output_tokens_per_s_per_gpu == pytest.approx(r.output_tokens_per_s / 16)
    assert not perf.predict("gb200", "llama-3.3-70b", "fp8", 1, 100, 100, 1, mode="disagg").feasible


def test_projections_are_labelled():
    r = perf.predict("rubin-ultra", "deepseek-r1", "fp4", 144, 1024, 1024, 1024)
    assert r.projection and r.notes.startswith("projection")
    assert not perf.predict("gb300", "deepseek-r1", "fp4", 72, 1024, 1024, 1024).projection


def test_power_per_mw():
    r = perf.predict("gb200", "llama-2-70b", "fp4", 72, 300, 300, 2048)
    assert r.tokens_per_s_per_mw == pytest.approx(r.output_tokens_per_s / (72 * 120 / 72 / 1000))


def test_hardware_specs_are_the_jensen_math_per_package_values():
    specs = data.load("hardware_specs")
    fields = {"hbm_tb_s": "hbm_bandwidth_tb_s", "hbm_gb": "hbm_capacity_gb", "nvlink_tb_s": "nvlink_bandwidth_tb_s",
              "nic_tb_s": "nic_bandwidth_tb_s"}
    for hw, pid in systems.HARDWARE.items():
        h = systems.get(hw)
        for attr, metric in fields.items():
            try:
                expected = jm.per_package(specs, pid, metric)[0]
            except LookupError:
                expected = np.nan
            np.testing.assert_equal(getattr(h, attr), expected, err_msg=f"{hw} {attr}")
        assert h.pflop_s_fp8 == jm.per_package_dense(specs, pid, "fp8")[0]
    # power: the rack or system figure per package first (documented), else the package TDP
    assert systems.get("gb200").power_kw == pytest.approx(120 / 72)
    assert systems.get("h100").power_kw == pytest.approx(10.2 / 8)
    assert systems.get("h200").power_kw == jm.per_package(specs, "h200-sxm", "power_kw")[0] == pytest.approx(0.7)
    assert systems.get("h200").power_basis.startswith("package TDP")


def test_an_edited_copy_of_the_specs_changes_predictions(edited_spec):
    # batch-1 decode reads the weights: doubling the HBM bandwidth about halves TPOT
    before = perf.predict("h200", "llama-2-70b", "fp8", 1, 10, 10, 1)
    assert systems.get("h200").hbm_tb_s == 4.8      # cached for the original data/
    edited_spec("h200-sxm.hbm_bandwidth_tb_s.none.not_applicable.per_package.1", "4.8", "9.6")
    assert systems.get("h200").hbm_tb_s == 9.6
    after = perf.predict("h200", "llama-2-70b", "fp8", 1, 10, 10, 1)
    assert after.tpot_s < 0.75 * before.tpot_s


def test_an_edit_in_place_changes_predictions(tmp_path, monkeypatch):
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, copy)
    monkeypatch.setattr(data, "DATA_DIR", copy)
    assert systems.get("h200").hbm_gb == 141.0
    path = copy / "hardware_specs.csv"
    line = next(l for l in path.read_text(encoding="utf-8").splitlines()
                if l.startswith("h200-sxm.hbm_capacity_gb.none.not_applicable.per_package.1,"))
    path.write_text(path.read_text(encoding="utf-8").replace(line, line.replace(",141,", ",282,", 1)), encoding="utf-8")
    assert systems.get("h200").hbm_gb == 282.0


@pytest.mark.parametrize("kwargs, message", [
    (dict(hardware="h300"), "h100, h200"),
    (dict(model="llama-9"), "deepseek-r1"),
    (dict(precision="int4"), "bf16, fp8, fp4"),
    (dict(tp=3), "valid tp"),
    (dict(isl=-1), "positive integer"),
    (dict(concurrency=0), "positive integer or 'max'"),
    (dict(mode="split"), "agg, disagg"),
])
def test_bad_input_lists_the_choices(kwargs, message):
    args = dict(hardware="h200", model="llama-2-70b", precision="fp8", gpus=8, isl=100, osl=100, concurrency=8)
    args.update(kwargs)
    with pytest.raises(perf.InputError, match=message):
        perf.predict(**args)


def test_pareto_mask_by_hand():
    x = np.array([1.0, 2.0, 3.0, 2.0, 0.5])
    y = np.array([3.0, 2.0, 1.0, 1.0, 3.0])
    assert perf.pareto_mask(x, y).tolist() == [True, True, True, False, False]


def test_frontier_is_monotone():
    f = perf.pareto_frontier("b200", "llama-3.3-70b", "fp8", 8, 1024, 1024)
    assert len(f) > 5
    assert (np.diff(f["tokens_per_s_per_user"]) > 0).all()
    assert (np.diff(f["output_tokens_per_s_per_gpu"]) < 0).all()


def test_calibration_recovers_planted_parameters():
    # predictions made with known parameters become the "measurements"; the fit must find them again
    cs = cal.calibration_set()
    planted = perf.Params(compute_efficiency=0.45, memory_efficiency=0.7, gemm_half_tokens=64.0,
                          collective_latency_s=2e-5, layer_latency_s=3e-5, step_overhead_s=3e-3)
    ev = cal.evaluate(cs, planted)
    points = cs.points.copy()
    points["tokens_per_s_per_gpu"] = ev["predicted_tokens_per_s_per_gpu"]
    points["measured_tpot_s"] = np.where(points["measured_tpot_s"].notna(), ev["predicted_tpot_s"], np.nan)
    synthetic = cal.CalibrationSet(points, cs.arrays, cs.starts)
    fit = cal.calibrate(synthetic, start=perf.Params())
    assert cal.loss(synthetic, fit) < 0.01
    # coordinate descent ends in the valley near the planted point, not exactly on it
    assert fit.compute_efficiency == pytest.approx(0.45, rel=0.05)
    assert fit.memory_efficiency == pytest.approx(0.7, rel=0.1)
    assert fit.gemm_half_tokens == pytest.approx(64.0, rel=0.2)
    assert fit.step_overhead_s == pytest.approx(3e-3, rel=0.15)


def test_stored_parameters_are_what_the_calibration_finds():
    # loose enough for other numpy builds; a different optimum would move a parameter by far more
    cs = cal.calibration_set()
    fit = cal.calibrate(cs)
    stored = perf.parameters()
    np.testing.assert_allclose(fit.as_array(), stored.as_array(), rtol=1e-3)
    assert cal.loss(cs, fit) == pytest.approx(cal.loss(cs, stored), rel=1e-4)


def test_fast_loss_is_the_loss_of_the_evaluated_table():
    cs = cal.calibration_set()
    for p in (perf.parameters(), perf.Params(), ROOFLINE):
        assert cal.loss(cs, p) == cal._loss_from(cal.evaluate(cs, p))


def test_bound_status_by_hand():
    bounds = {f: (1.0, 100.0) for f in perf.BOUNDS}
    p = perf.Params(compute_efficiency=1.0, memory_efficiency=1.05, gemm_half_tokens=10.0,
                    collective_latency_s=95.0, layer_latency_s=100.0, step_overhead_s=1.2)
    t = cal.bound_status(p, bounds).set_index("parameter")
    assert t["status"].tolist() == ["at bound", "near bound", "interior", "near bound", "at bound", "interior"]
    assert t["nearest_bound"].tolist() == ["lower", "lower", "lower", "upper", "upper", "lower"]
    assert t.loc["memory_efficiency", "distance_to_bound"] == pytest.approx(0.05)
    assert t.loc["collective_latency_s", "distance_to_bound"] == pytest.approx(100 / 95 - 1)
    assert t.loc["gemm_half_tokens", "distance_to_bound"] == pytest.approx(9.0)


def test_bound_status_of_the_stored_fit_is_what_the_chapter_says():
    # book/90_performance_model.md interprets these three; if a refit moves them, rewrite that paragraph
    t = cal.bound_status(perf.parameters()).set_index("parameter")["status"]
    assert t["layer_latency_s"] == "at bound"
    assert t["memory_efficiency"] == "near bound"
    assert t["gemm_half_tokens"] == "interior"
    assert (t.drop(["layer_latency_s", "memory_efficiency"]) == "interior").all()


#: Largest difference between the two fits' median |error| that the chapter's reading ("the
#: predictions are more robust than the parameters") tolerates [fraction].
SENSITIVITY_ERROR_TOLERANCE = 0.10


def test_widened_bounds_fit_at_least_as_well_and_predict_alike():
    cs = cal.calibration_set()
    t = cal.bounds_sensitivity(cs).set_index("bounds")
    assert t.index.tolist() == ["default", "widened"]
    # the widened bounds contain the default ones, so the widened search may only do better
    for name, (lo, hi) in perf.BOUNDS.items():
        assert cal.WIDENED_BOUNDS[name][0] <= lo and cal.WIDENED_BOUNDS[name][1] >= hi
    assert t.at["widened", "loss"] <= t.at["default", "loss"] + 1e-12
    # the default row is the stored fit, not a refit
    assert t.at["default", "loss"] == cal.loss(cs, perf.parameters())
    for metric in ("median_abs_error_tokens_per_s_per_gpu", "median_abs_error_tpot"):
        assert abs(t.at["widened", metric] - t.at["default", metric]) <= SENSITIVITY_ERROR_TOLERANCE
    # deterministic
    pd.testing.assert_frame_equal(cal.bounds_sensitivity(cs).set_index("bounds"), t)


def test_cli_json_has_exactly_the_specified_keys():
    out = subprocess.run([sys.executable, "-m", "analysis", "predict", "--hardware", "h200", "--model", "llama-2-70b",
                          "--precision", "fp8", "--gpus", "8", "--isl", "1024", "--osl", "256", "--concurrency", "max",
                          "--json"], capture_output=True, text=True, cwd=REPO, check=True)
    result = json.loads(out.stdout)
    assert list(result) == ["hardware", "model", "precision", "gpus", "tp", "dp", "ep", "isl", "osl", "concurrency",
                            "mode", "feasible", "ttft_s", "tpot_s", "tokens_per_s_per_user", "output_tokens_per_s",
                            "output_tokens_per_s_per_gpu", "tokens_per_s_per_mw", "projection", "notes"]
    assert result["feasible"] and result["tp"] * result["dp"] == 8


def test_cli_bad_input_and_infeasible_exit_non_zero():
    base = [sys.executable, "-m", "analysis", "predict", "--model", "llama-3.1-405b", "--precision", "bf16",
            "--gpus", "8", "--isl", "100", "--osl", "10", "--concurrency", "1"]
    bad = subprocess.run(base + ["--hardware", "h900"], capture_output=True, text=True, cwd=REPO)
    assert bad.returncode == 2 and "rubin-ultra" in bad.stderr and bad.stdout == ""
    infeasible = subprocess.run(base + ["--hardware", "h100"], capture_output=True, text=True, cwd=REPO)
    assert infeasible.returncode == 3
    assert not any(ch.isdigit() for ch in infeasible.stdout.split("infeasible:", 2)[-1].split("weights")[0])


def test_batch_csv(tmp_path):
    rows = pd.DataFrame({"hardware": ["h200", "gb200", "nope"], "model": ["llama-2-70b"] * 3,
                         "precision": ["fp8", "fp4", "fp8"], "gpus": [8, 4, 8], "isl": [1024] * 3, "osl": [256] * 3,
                         "concurrency": ["64", "max", "8"], "tp": ["", "1", ""]})
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    rows.to_csv(src, index=False)
    subprocess.run([sys.executable, "-m", "analysis", "predict", "--from-csv", str(src), "--out", str(dst)],
                   cwd=REPO, check=True, capture_output=True)
    out = pd.read_csv(dst)
    assert out["feasible"].tolist() == [True, True, False]
    assert out.loc[1, "tp"] == 1 and out.loc[1, "dp"] == 4
    assert pd.isna(out.loc[2, "tpot_s"]) and "unknown hardware" in out.loc[2, "notes"]
    single = perf.predict("h200", "llama-2-70b", "fp8", 8, 1024, 256, 64)
    assert out.loc[0, "output_tokens_per_s_per_gpu"] == pytest.approx(single.output_tokens_per_s_per_gpu)
