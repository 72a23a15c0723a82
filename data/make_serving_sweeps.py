"""Make ``serving_sweeps.csv``: NVIDIA's measured serving sweeps the performance model is calibrated on.

Run by hand (``python data/make_serving_sweeps.py PATH/TO/nvidia_serving_sweeps_calibration.csv``)
to refresh the frozen snapshot; nothing runs it at build time.  The input holds
3,596 measured points ("silicon") on H100 SXM, B200 SXM and GB200 NVL72 from
NVIDIA's aiconfigurator-core 0.12.0 (PyPI; file
``aiconfigurator_core/systems/silicon_sample.csv``; Apache-2.0;
github.com/ai-dynamo/aiconfigurator).  The same package's H200, B300 and GB300
rows are the report's out-of-sample check and are never copied here.

Kept: the rows of models in ``models.csv`` (mapped from the Hugging Face path
by ``analysis.models.ALIASES``) whose weight format the model supports (BF16, FP8, NVFP4; a
missing precision is the checkpoint's BF16 default).  Values are unchanged; two
columns are derived and say so in the schema:

* ``concurrency = batch_size x attention_dp_size`` (``batch_size`` is per
  attention-DP rank: this matches the recorded ``silicon_concurrency`` in
  98.8% of the rows that record it, ``batch_size`` alone in 93.5%);
* ``system`` -> ``hardware`` (the report's hardware ids).

Disaggregated rows take the concurrency the benchmark recorded (``silicon_concurrency``
in ``silicon_data_source``), else decode batch x attention DP x decode workers.
"""

import re
import sys

import pandas as pd

from analysis import models

HARDWARE = {"h100_sxm": "h100", "b200_sxm": "b200", "gb200": "gb200"}
MODELS = {path: models.resolve(path) for path in models.ALIASES}
PRECISIONS = ("bf16", "fp8", "fp4")
INTS = ["isl", "osl", "batch_size", "tp_size", "attention_dp_size", "moe_tp_size", "moe_ep_size",
        "prefill_batch_size", "prefill_num_workers", "prefill_tp_size", "prefill_attention_dp_size",
        "prefill_moe_tp_size", "prefill_moe_ep_size", "decode_batch_size", "decode_num_workers", "decode_tp_size",
        "decode_attention_dp_size", "decode_moe_tp_size", "decode_moe_ep_size"]


def tidy(raw: pd.DataFrame, hardware: dict = HARDWARE) -> pd.DataFrame:
    """The kept rows of ``silicon_sample.csv`` in the report's columns (``hardware``: system -> hardware id)."""
    rows = raw[raw["system"].isin(hardware) & raw["model_path"].isin(MODELS)].copy()
    rows["precision"] = rows["precision"].fillna("bf16")
    rows = rows[rows["precision"].isin(PRECISIONS)]
    dp = rows["attention_dp_size"].fillna(1).clip(lower=1)
    measured = rows["silicon_data_source"].str.extract(r"measured=([0-9-]{10})")[0]
    out = pd.DataFrame({
        "point_id": rows["id"],
        "hardware": rows["system"].map(hardware),
        "model_id": rows["model_path"].map(MODELS),
        "model_path": rows["model_path"],
        "backend": rows["backend"],
        "backend_version": rows["backend_version"].fillna(""),
        "precision": rows["precision"],
        "gemm_quant_mode": rows["gemm_quant_mode"].fillna(""),
        "moe_quant_mode": rows["moe_quant_mode"].fillna(""),
        "mode": rows["mode"],
        **{c: rows[c].astype("Int64") for c in INTS},
        "concurrency": (rows["batch_size"] * dp).round().astype("Int64"),
        "ttft_ms": rows["silicon_ttft_ms"],
        "tpot_ms": rows["silicon_tpot_ms"],
        "measured": measured.fillna(""),
        "source_title": "NVIDIA: aiconfigurator-core 0.12.0, silicon_sample.csv (measured serving sweeps)",
        "source_url": "https://github.com/ai-dynamo/aiconfigurator",
        "source_date": "2026-09-18",   # PyPI upload of 0.12.0 (its silicon database dump is dated 2026-04-27)
        "accessed": "2026-12-02",
        "quote": rows["silicon_data_source"].map(lambda s: re.sub(r"/Users/[^/]+/", "~/", str(s))),
    })
    # disaggregated rows: the benchmark's concurrency as recorded (their batch columns are per worker)
    disagg = (out["mode"] == "disagg").to_numpy()
    recorded = rows["silicon_data_source"].str.extract(r"silicon_concurrency=(\d+)")[0].astype(float).to_numpy()
    dec = (rows["decode_batch_size"] * rows["decode_attention_dp_size"].fillna(1).clip(lower=1)
           * rows["decode_num_workers"]).to_numpy(dtype=float)
    out.loc[disagg, "concurrency"] = pd.array(pd.Series(recorded[disagg]).fillna(pd.Series(dec[disagg])).round(),
                                              dtype="Int64")
    return out.sort_values("point_id").reset_index(drop=True)


if __name__ == "__main__":
    tidy(pd.read_csv(sys.argv[1])).to_csv(sys.stdout, index=False, lineterminator="\n")
