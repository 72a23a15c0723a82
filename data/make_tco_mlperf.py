"""Make ``tco_mlperf.csv``: the MLPerf Inference v5.1 Llama-2-70B results the cost chapter compares (T4).

Run by hand (``python data/make_tco_mlperf.py PATH/TO/mlperf_inference_v5.1_llm_results.csv``)
to refresh the frozen snapshot; nothing runs it at build time.  The input is the
table of every LLM entry of MLPerf Inference v5.1 (MLCommons,
github.com/mlcommons/inference_results_v5.1 at commit 965182b0, Apache-2.0), read
by ``mlperf_results.py`` (shared with ``make_mlperf_v51.py``).

Kept: benchmark llama2-70b-99 (the only one with results from NVIDIA and from all
three AMD Instinct generations), scenarios Offline and Server, the accelerators
below; closed division, plus the open division for MI355X (its only
submission: MXFP4 weights, which the closed rules did not allow).  One row per
entry; the chapter takes the best per accelerator and scenario.
"""

import sys

import pandas as pd

import mlperf_results

HARDWARE = {
    **mlperf_results.NVIDIA,
    "AMD Instinct MI300X 192GB HBM3": "mi300x",
    "AMD Instinct MI325X 256GB HBM3e": "mi325x",
    "AMD Instinct MI355X 288GB HBM3e": "mi355x",
}
PRECISION = {"fp8": "fp8", "fp4": "fp4", "mxfp4": "fp4"}


def main(path: str) -> None:
    keep = mlperf_results.read(path, HARDWARE)
    keep = keep[(keep["model"] == "llama2-70b-99") & keep["scenario"].isin(["Offline", "Server"])]
    keep = keep[(keep["category"] == "closed") | ((keep["category"] == "open") & (keep["hardware"] == "mi355x"))]
    out = pd.DataFrame({
        "result_id": keep["result_id"],
        "division": keep["category"],
        "submitter": keep["submitter"],
        "accelerator": keep["accelerator"],
        "hardware": keep["hardware"],
        "num_gpus": keep["num_gpus"].astype(int),
        "benchmark": keep["model"],
        "scenario": keep["scenario"],
        "precision": keep["weight_dtype"].map(PRECISION),
        "software": keep["software"],
        "tokens_per_s_per_gpu": keep["tokens_per_s_per_gpu"],
        **mlperf_results.provenance(keep, accessed="2026-12-03", quote="summary_results.json result (tokens/s) / GPUs; "
                                    + keep["category"] + " division, weights " + keep["weight_dtype"] + "."),
    })
    out = out.drop_duplicates("result_id").sort_values(["hardware", "scenario", "result_id"])
    out.to_csv(sys.stdout, index=False, lineterminator="\n")


if __name__ == "__main__":
    main(sys.argv[1])
