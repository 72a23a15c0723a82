"""Make ``mlperf_v51.csv``: the MLPerf Inference v5.1 results the performance model uses.

Run by hand (``python data/make_mlperf_v51.py PATH/TO/mlperf_inference_v5.1_llm_results.csv``)
to refresh the frozen snapshot; nothing runs it at build time.  The input is the
table of every LLM entry of MLPerf Inference v5.1 (MLCommons,
github.com/mlcommons/inference_results_v5.1 at commit 965182b0, Apache-2.0), read
by ``mlperf_results.py`` (shared with ``make_tco_mlperf.py``).

Kept: closed division (the model is fixed), NVIDIA accelerators with specs in
``hardware_specs`` (H100-SXM, H200-SXM incl. the virtualized one, B200-SXM,
GB200, GB300), and the benchmarks whose model is in ``models.csv``
(llama2-70b-99, llama3.1-405b, deepseek-r1).  llama2-70b-99.9 is left out: its
entries are the same runs as llama2-70b-99 at a stricter accuracy target.
"""

import sys
from pathlib import Path

import pandas as pd

import mlperf_results

HARDWARE = {**mlperf_results.NVIDIA, "Virtualized NVIDIA H200-SXM-141GB": "h200"}
MODELS = {"llama2-70b-99": "llama-2-70b", "llama3.1-405b": "llama-3.1-405b", "deepseek-r1": "deepseek-r1"}


def main(path: str) -> None:
    keep = mlperf_results.read(path, HARDWARE)
    keep = keep[(keep["category"] == "closed") & keep["model"].isin(MODELS)]
    out = pd.DataFrame(
        {
            "result_id": keep["result_id"],
            "submitter": keep["submitter"],
            "platform": keep["platform"],
            "accelerator": keep["accelerator"],
            "hardware": keep["hardware"],
            "num_gpus": keep["num_gpus"].astype(int),
            "benchmark": keep["model"],
            "model_id": keep["model"].map(MODELS),
            "scenario": keep["scenario"],
            "precision": keep["weight_dtype"],
            "software": keep["software"],
            "tokens_per_s": keep["result_tokens_per_s"],
            "tokens_per_s_per_gpu": keep["tokens_per_s_per_gpu"],
            "samples_per_s": keep["samples_per_s"],
            "mean_osl_tokens": keep["mean_osl_tokens"],
            "ttft_mean_ms": keep["ttft_mean_ms"],
            "ttft_p99_ms": keep["ttft_p99_ms"],
            "tpot_mean_ms": keep["tpot_mean_ms"],
            "tpot_p99_ms": keep["tpot_p99_ms"],
            **mlperf_results.provenance(
                keep, accessed="2026-11-26",
                quote="summary_results.json result (tokens/s) and performance/run_1/mlperf_log_summary.txt "
                "(mean and p99 TTFT/TPOT, samples/s); per GPU = result / GPUs."),
            "confidence": "high",
        }
    )
    out = out.sort_values(["model_id", "hardware", "scenario", "result_id"])
    out.to_csv(Path(__file__).with_name("mlperf_v51.csv"), index=False, lineterminator="\n")


if __name__ == "__main__":
    main(sys.argv[1])
