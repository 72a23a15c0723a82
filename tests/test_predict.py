"""The prediction interface (analysis.predict and ``python -m analysis predict``): layouts, intervals, errors."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import models, perf, predict

REPO = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "analysis", "predict"]


def test_the_standard_deepseek_deployment_is_feasible_with_an_interval():
    # the check: DeepSeek-R1 FP8 on 8 H200, tp 8, ep 1 (experts sharded by TP)
    out = subprocess.run(CLI + ["--hardware", "h200", "--model", "deepseek-r1", "--precision", "fp8", "--gpus", "8",
                                "--tp", "8", "--ep", "1", "--isl", "1024", "--osl", "1024", "--concurrency", "32",
                                "--json"], capture_output=True, text=True, cwd=REPO, check=True)
    r = json.loads(out.stdout)
    assert r["feasible"] and (r["tp"], r["dp"], r["moe_tp"], r["ep"]) == (8, 1, 8, 1)
    for metric in predict.INTERVAL_METRICS:
        assert r[f"{metric}_low"] < r[metric] < r[f"{metric}_high"], metric
    assert list(r) == predict.RESULT_COLUMNS


def test_interval_is_the_bootstrap_spread_widened_by_the_held_out_error():
    central = perf.Params()
    draws = [perf.Params(memory_efficiency=e) for e in (0.5, 0.6, 0.7, 0.8, 0.9)]
    r = predict.predict("b200", "llama-3.3-70b", "fp8", 1024, 1024, 8, gpus=8, tp=8, params=central, draws=draws)
    spread = [predict.predict("b200", "llama-3.3-70b", "fp8", 1024, 1024, 8, gpus=8, tp=8, params=p, draws=[p]).tpot_s
              for p in draws]
    lo_q, hi_q = perf.residual_quantiles("tpot_s")
    assert r.tpot_s_low == pytest.approx(min(np.percentile(spread, 5), r.tpot_s) * np.exp(lo_q))
    assert r.tpot_s_high == pytest.approx(max(np.percentile(spread, 95), r.tpot_s) * np.exp(hi_q))
    # tokens/s per user is 1 / TPOT: its bounds are TPOT's inverted
    assert r.tokens_per_s_per_user_low == pytest.approx(1 / r.tpot_s_high)
    assert r.tokens_per_s_per_user_high == pytest.approx(1 / r.tpot_s_low)


def test_omitted_degrees_are_the_best_explicit_layout():
    auto = predict.predict("h200", "llama-3.3-70b", "fp8", 2048, 256, 64, gpus=8)
    explicit = [predict.predict("h200", "llama-3.3-70b", "fp8", 2048, 256, 64, gpus=8, tp=t, dp=8 // t)
                for t in (1, 2, 4, 8)]
    best = max(explicit, key=lambda e: e.output_tokens_per_s_per_gpu)
    assert auto.output_tokens_per_s_per_gpu == pytest.approx(best.output_tokens_per_s_per_gpu)
    assert (auto.tp, auto.dp) == (best.tp, best.dp) and "chosen" in auto.notes


def test_ep_alone_sets_moe_tp():
    r = predict.predict("gb200", "deepseek-r1", "fp4", 1024, 1024, 64, gpus=8, tp=1, ep=4)
    assert (r.tp, r.dp, r.moe_tp, r.ep) == (1, 8, 2, 4)


def test_weights_that_do_not_fit_are_infeasible_and_say_why():
    r = predict.predict("h100", "llama-3.1-405b", "bf16", 1000, 100, 1, gpus=8)
    assert not r.feasible and np.isnan(r.tpot_s) and np.isnan(r.tpot_s_low)
    per_gpu = models.weight_bytes(models.get("llama-3.1-405b"), "bf16") / 8 / 1e9     # at best tp 8: 811 GB / 8
    assert round(per_gpu) == 101
    assert "weights need 101 GB per GPU at best, more than the usable 78 GB" in r.notes   # 97% of 80 GB


def test_projections_are_labelled_and_power_is_per_mw():
    r = predict.predict("rubin-ultra", "deepseek-r1", "fp4", 1024, 1024, 1024, gpus=144)
    assert r.projection and r.notes.startswith("projection")
    g = predict.predict("gb200", "llama-2-70b", "fp4", 300, 300, 2048, gpus=72)
    assert not g.projection
    assert g.tokens_per_s_per_mw == pytest.approx(g.output_tokens_per_s / (72 * 120 / 72 / 1000))


def test_disaggregated_request_counts_both_pools():
    r = predict.predict("gb200", "llama-3.3-70b", "fp8", 4096, 512, 64, mode="disagg", prefill_workers=2,
                        prefill_tp=4, decode_workers=1, decode_tp=4)
    assert r.feasible and r.gpus == 12 and r.mode == "disagg"
    assert r.output_tokens_per_s_per_gpu == pytest.approx(r.output_tokens_per_s / 12)
    with pytest.raises(predict.InputError, match="--prefill-workers"):
        predict.predict("gb200", "llama-3.3-70b", "fp8", 4096, 512, 64, mode="disagg", decode_workers=1, decode_tp=4,
                        prefill_tp=4)


@pytest.mark.parametrize("kwargs, message", [
    (dict(hardware="h300"), "h100, h200"),
    (dict(model="llama-9"), "deepseek-r1"),
    (dict(precision="int4"), "bf16, fp8, fp4"),
    (dict(tp=3), "valid tp: 1, 2, 4, 8"),
    (dict(isl=-1), "positive integer"),
    (dict(concurrency=0), "positive integer"),
    (dict(mode="split"), "agg, disagg"),
    (dict(backend="tgi"), "trtllm, vllm, sglang"),
    (dict(ep=2), "dense: ep must be 1"),
    (dict(prefill_workers=2), "disagg only"),
])
def test_bad_input_lists_the_choices(kwargs, message):
    args = dict(hardware="h200", model="llama-2-70b", precision="fp8", gpus=8, isl=100, osl=100, concurrency=8)
    args.update(kwargs)
    with pytest.raises(predict.InputError, match=message):
        predict.predict(**args)


def test_aliases_resolve():
    r = predict.predict("H200_SXM", "meta-llama/Llama-3.1-70B-Instruct", "fp8", 1024, 1024, 16, gpus=8)
    assert (r.hardware, r.model) == ("h200", "llama-3.1-70b")


def test_cli_bad_input_and_infeasible_exit_non_zero():
    base = CLI + ["--model", "llama-3.1-405b", "--precision", "bf16", "--gpus", "8", "--isl", "100", "--osl", "10",
                  "--concurrency", "1"]
    bad = subprocess.run(base + ["--hardware", "h900"], capture_output=True, text=True, cwd=REPO)
    assert bad.returncode == 2 and "rubin-ultra" in bad.stderr and bad.stdout == ""
    infeasible = subprocess.run(base + ["--hardware", "h100"], capture_output=True, text=True, cwd=REPO)
    assert infeasible.returncode == 3 and "infeasible" in infeasible.stdout


def test_from_csv_matches_single_predictions(tmp_path):
    rows = pd.DataFrame({"point": ["a", "b", "c", "d"], "hardware": ["h200", "gb200", "nope", "gb200"],
                         "model": ["llama-2-70b"] * 4, "precision": ["fp8", "fp4", "fp8", "fp8"],
                         "gpus": ["8", "4", "8", ""], "isl": [1024] * 4, "osl": [256] * 4,
                         "concurrency": ["64", "max", "8", "32"], "tp": ["", "1", "", ""], "mode": ["", "", "", "disagg"],
                         "prefill_workers": ["", "", "", "1"], "prefill_tp": ["", "", "", "2"],
                         "decode_workers": ["", "", "", "1"], "decode_tp": ["", "", "", "2"]})
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    rows.to_csv(src, index=False)
    subprocess.run(CLI + ["--from-csv", str(src), "--out", str(dst)], cwd=REPO, check=True, capture_output=True)
    out = pd.read_csv(dst)
    assert out["point"].tolist() == ["a", "b", "c", "d"]          # the reader's own columns are kept
    assert out["feasible"].tolist() == [True, True, False, True]
    assert out.loc[1, "tp"] == 1 and out.loc[1, "dp"] == 4
    assert pd.isna(out.loc[2, "tpot_s"]) and "unknown hardware" in out.loc[2, "notes"]
    single = predict.predict("h200", "llama-2-70b", "fp8", 1024, 256, 64, gpus=8)
    assert out.loc[0, "output_tokens_per_s_per_gpu"] == pytest.approx(single.output_tokens_per_s_per_gpu, rel=1e-5)
    assert out.loc[0, "tpot_s_high"] == pytest.approx(single.tpot_s_high, rel=1e-5)
    dis = predict.predict("gb200", "llama-2-70b", "fp8", 1024, 256, 32, mode="disagg", prefill_workers=1, prefill_tp=2,
                          decode_workers=1, decode_tp=2)
    assert out.loc[3, "gpus"] == 4 and out.loc[3, "ttft_s"] == pytest.approx(dis.ttft_s, rel=1e-5)


def test_from_csv_rejects_a_misspelled_column(tmp_path):
    src = tmp_path / "in.csv"
    pd.DataFrame({"hardware": ["h200"], "model": ["llama-2-70b"], "precision": ["fp8"], "isl": [10], "osl": [10],
                  "concurrency": [1], "gpus": [1], "decode_worker": [1]}).to_csv(src, index=False)
    bad = subprocess.run(CLI + ["--from-csv", str(src), "--out", str(tmp_path / "o.csv")], capture_output=True,
                         text=True, cwd=REPO)
    assert bad.returncode == 2 and "unknown ['decode_worker'] (did you mean decode_workers?)" in bad.stderr
