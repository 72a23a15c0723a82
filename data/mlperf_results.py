"""MLCommons' table of MLPerf Inference v5.1 LLM results, read once for the ``make_*`` scripts.

Shared by ``make_mlperf_v51.py`` (the performance model's calibration points) and
``make_tco_mlperf.py`` (the cost chapter's NVIDIA-AMD comparison): both read the
table of every LLM entry of MLPerf Inference v5.1 (MLCommons,
github.com/mlcommons/inference_results_v5.1 at commit 965182b0, Apache-2.0), keep
some accelerators, name each entry the same way and cite it the same way.
Run by hand with those scripts; nothing imports it at build time.
"""

import pandas as pd

#: MLCommons' accelerator names of the NVIDIA systems with specs in ``hardware_specs`` -> hardware id.
NVIDIA = {
    "NVIDIA H100-SXM-80GB": "h100",
    "NVIDIA H200-SXM-141GB": "h200",
    "NVIDIA B200-SXM-180GB": "b200",
    "NVIDIA GB200": "gb200",
    "NVIDIA GB300": "gb300",
}


def read(path: str, hardware: dict) -> pd.DataFrame:
    """The entries on the accelerators of ``hardware``, with ``hardware`` (the report's id) and ``result_id``.

    ``result_id`` is MLCommons' entry id, benchmark and scenario (``<id>.<model>.<scenario, lower case>``).
    """
    raw = pd.read_csv(path)
    keep = raw[raw["accelerator"].isin(hardware)].copy()
    keep["hardware"] = keep["accelerator"].map(hardware)
    keep["result_id"] = keep["id"] + "." + keep["model"] + "." + keep["scenario"].str.lower()
    return keep


def provenance(keep: pd.DataFrame, accessed: str, quote) -> dict:
    """The provenance columns of every row: source title, URL (the entry's own results folder), date, access, quote."""
    return {"source_title": "MLCommons: MLPerf Inference v5.1 Datacenter results", "source_url": keep["location_url"],
            "source_date": "2025-09-09", "accessed": accessed, "quote": quote}
