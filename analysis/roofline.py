"""The roofline of every package: ridge points, where decode and prefill land, and the memory walls.

A package's ridge point is its dense FLOP/s over its HBM bytes/s: a step of
lower arithmetic intensity (FLOPs per byte moved) is bound by memory.  The
intensities of decode and prefill steps come from the model catalog
(:mod:`analysis.models`); the specs from the generation table of
:mod:`analysis.growth` (dense, one direction, per package).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import growth, models


def ridge_points(table: pd.DataFrame | None = None, precisions=("fp4", "fp8", "bf16")) -> pd.DataFrame:
    """Roofline ridge points: dense FLOP/s over HBM byte/s, per product and precision.

    A kernel whose arithmetic intensity (FLOPs per byte moved from HBM) is
    below the ridge point is limited by memory bandwidth, above it by compute.

    Parameters
    ----------
    table : pandas.DataFrame, optional
        :func:`generation_table` (computed if omitted).
    precisions : sequence of str, optional
        Number formats to include (``fp4``, ``fp8``, ``bf16``).

    Returns
    -------
    pandas.DataFrame
        ``product_id, product, year, precision, dense_pflop_s, hbm_bandwidth_tb_s,
        ridge_flop_per_byte, ridge_low, ridge_high`` (the range spans the sources
        of both the FLOPs and the bandwidth).

    Examples
    --------
    >>> r = ridge_points().set_index(["product_id", "precision"])
    >>> round(float(r.loc[("h100-sxm", "bf16"), "ridge_flop_per_byte"]), 1)   # 989.4 TFLOP/s / 3.35 TB/s
    295.3
    """
    table = growth.generation_table() if table is None else table
    t = table.set_index(["product_id", "quantity"])
    rows = []
    for product_id in table["product_id"].unique():
        if (product_id, "hbm_bandwidth_tb_s") not in t.index:
            continue
        bw = t.loc[(product_id, "hbm_bandwidth_tb_s")]
        for precision in precisions:
            key = (product_id, f"dense_{precision}_pflop_s")
            if key not in t.index:
                continue
            fl = t.loc[key]
            rows.append(
                {
                    "product_id": product_id,
                    "product": fl["product"],
                    "year": fl["year"],
                    "precision": precision,
                    "dense_pflop_s": fl["per_package"],
                    "hbm_bandwidth_tb_s": bw["per_package"],
                    # PFLOP/s over TB/s is 1000 FLOP per byte
                    "ridge_flop_per_byte": 1000.0 * fl["per_package"] / bw["per_package"],
                    "ridge_low": 1000.0 * fl["low"] / bw["high"],
                    "ridge_high": 1000.0 * fl["high"] / bw["low"],
                }
            )
    return pd.DataFrame(rows)


def memory_walls(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Dense FLOPs per byte/s of HBM bandwidth and per GB of HBM capacity, per flagship.

    Parameters
    ----------
    table : pandas.DataFrame, optional
        :func:`generation_table` (computed if omitted).

    Returns
    -------
    pandas.DataFrame
        ``product, year, precision, flop_per_byte_of_bandwidth`` [FLOP/B, the
        ridge point] and ``tflop_s_per_gb_of_capacity`` [TFLOP/s per GB]: how
        much compute each byte of memory has to feed.

    Examples
    --------
    >>> w = memory_walls().set_index(["product", "precision"])
    >>> round(float(w.loc[("HGX H100", "fp8"), "tflop_s_per_gb_of_capacity"]), 2)   # 1978.9 TFLOP/s / 80 GB
    24.74
    """
    table = growth.generation_table() if table is None else table
    ridge = ridge_points(table)
    capacity = table[table["quantity"] == "hbm_capacity_gb"].set_index("product_id")["per_package"]
    ridge = ridge[ridge["product_id"].isin(growth.FLAGSHIPS) & ridge["product_id"].isin(capacity.index)]
    return pd.DataFrame(
        {
            "product": ridge["product"],
            "year": ridge["year"],
            "precision": ridge["precision"],
            "flop_per_byte_of_bandwidth": ridge["ridge_flop_per_byte"],
            "tflop_s_per_gb_of_capacity": 1000.0 * ridge["dense_pflop_s"] / ridge["product_id"].map(capacity),
        }
    ).reset_index(drop=True)


#: Decode batches and prefill lengths placed on the rooflines (the issue's grid).
DECODE_BATCHES = (1, 8, 64, 256)


PREFILL_TOKENS = (1024, 8192)


#: Context length behind each decoded token [tokens] (a stated assumption).
DECODE_CONTEXT = 4096


def step_intensity(model_id: str, phase: str, tokens, precision: str = "fp8", context: int = DECODE_CONTEXT):
    """Arithmetic intensity of one decode step or one prefill [FLOP per HBM byte].

    Decode: ``tokens`` sequences each add one token after ``context`` tokens;
    the step reads the weights the batch touches (for an MoE, the expected
    distinct experts) and every sequence's KV cache.  Prefill: one prompt of
    ``tokens`` tokens; it reads the touched weights once and writes its KV cache.

    Parameters
    ----------
    model_id : str
        Catalog id (see :mod:`analysis.models`).
    phase : {"decode", "prefill"}
    tokens : int
        Decode batch size or prompt length [-].
    precision : str
        Weight format (KV cache as :func:`analysis.models.kv_precision`).
    context : int
        Tokens already in each decoded sequence [tokens].

    Returns
    -------
    dict
        ``flops`` [FLOP], ``bytes`` [B] and ``intensity`` [FLOP/B].

    Examples
    --------
    >>> r = step_intensity("llama-3.3-70b", "decode", 1, "bf16", context=0)
    >>> round(r["intensity"], 2)   # 2 FLOPs per 2-byte weight
    1.0
    """
    m = models.get(model_id)
    groups = models.param_groups(m)
    value_bytes = models.BYTES_PER_VALUE[precision]
    kv = models.kv_bytes_per_token(m, models.kv_precision(precision), context if phase == "decode" else tokens)
    routed_total = groups["routed_experts"]
    if routed_total:
        touched = models.distinct_experts(m.n_routed_experts, m.experts_per_token, tokens) / m.n_routed_experts
    else:
        touched = 1.0
    weights = models.weight_bytes(m, precision) - groups["embedding"] * models.BYTES_PER_VALUE["bf16"]
    weights -= routed_total * value_bytes * (1.0 - touched)
    if phase == "decode":
        flops = tokens * models.flops_per_token(m, "decode", context)
        moved = weights + tokens * context * kv
    elif phase == "prefill":
        flops = tokens * models.flops_per_token(m, "prefill", tokens)
        moved = weights + tokens * kv
    else:
        raise ValueError(f"phase must be 'decode' or 'prefill', not {phase!r}")
    return {"flops": float(flops), "bytes": float(moved), "intensity": float(flops / moved)}


#: The workloads placed on the rooflines: (label, model id).
WORKLOAD_MODELS = (("dense 70B (Llama-3.3-70B)", "llama-3.3-70b"), ("MoE 671B/37B (DeepSeek-R1)", "deepseek-r1"))


def workload_intensities(precision: str = "fp8", context: int = DECODE_CONTEXT) -> pd.DataFrame:
    """Arithmetic intensity of decode and prefill for the two reference models.

    Parameters
    ----------
    precision : str
        Number format: ``fp4``, ``fp8``, ``bf16`` (weights; see :mod:`analysis.models` for the KV cache).
    context : int, optional
        Tokens already in each decoded sequence [tokens].

    Returns
    -------
    pandas.DataFrame
        ``workload, model_id, phase, tokens, flops, bytes, intensity_flop_per_byte``.
    """
    rows = []
    for label, model_id in WORKLOAD_MODELS:
        for phase, grid in (("decode", DECODE_BATCHES), ("prefill", PREFILL_TOKENS)):
            for tokens in grid:
                r = step_intensity(model_id, phase, tokens, precision, context)
                name = f"decode, batch {tokens}" if phase == "decode" else f"prefill, {tokens // 1024}k tokens"
                rows.append({"workload": f"{label}: {name}", "model_id": model_id, "phase": phase,
                             "tokens": tokens, "flops": r["flops"], "bytes": r["bytes"],
                             "intensity_flop_per_byte": r["intensity"]})
    return pd.DataFrame(rows)


def decode_bound_share(precision: str = "fp8") -> pd.DataFrame:
    """Where each decode workload sits against each flagship's ridge point at ``precision``.

    Parameters
    ----------
    precision : str
        Number format: ``fp4``, ``fp8``, ``bf16`` (weights; see :mod:`analysis.models` for the KV cache).

    Returns
    -------
    pandas.DataFrame
        ``product, year, workload, intensity_flop_per_byte, ridge_flop_per_byte,
        fraction_of_peak`` (attainable share of peak FLOPs, min(1, intensity / ridge) [-]).
    """
    ridge = ridge_points()
    ridge = ridge[(ridge["precision"] == precision) & ridge["product_id"].isin(growth.FLAGSHIPS)]
    work = workload_intensities(precision)
    work = work[work["phase"] == "decode"]
    grid = ridge.merge(work, how="cross")
    grid["fraction_of_peak"] = np.minimum(1.0, grid["intensity_flop_per_byte"] / grid["ridge_flop_per_byte"])
    return grid[["product", "year", "workload", "intensity_flop_per_byte", "ridge_flop_per_byte", "fraction_of_peak"]]


def sensitivity(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """How the chapter's conclusions move across conflicting sources.

    Parameters
    ----------
    table : pandas.DataFrame, optional
        :func:`generation_table` (computed if omitted).

    Returns
    -------
    pandas.DataFrame
        ``conclusion, preferred, low, high, unit``: each conclusion on the
        report's preferred sources and at the extremes of the published range.
    """
    table = growth.generation_table() if table is None else table
    ridge = ridge_points(table).set_index(["product_id", "precision"])
    rows = []
    for label, new, old, q in (
        ("H1: HGX B300 / B200 dense FP4", "b300-hgx", "b200-hgx", "dense_fp4_pflop_s"),
        ("H1: GB300 / GB200 dense FP4", "gb300-nvl72", "gb200-nvl72", "dense_fp4_pflop_s"),
        ("H1: HGX B300 / B200 HBM bandwidth", "b300-hgx", "b200-hgx", "hbm_bandwidth_tb_s"),
        ("H2: Rubin / GB300 dense FP4 per package", "vr-nvl144", "gb300-nvl72", "dense_fp4_pflop_s"),
        ("H2: Rubin / GB300 HBM bandwidth", "vr-nvl144", "gb300-nvl72", "hbm_bandwidth_tb_s"),
        ("H2: Rubin Ultra / Rubin dense FP4 per package", "rubin-ultra-nvl576", "vr-nvl144", "dense_fp4_pflop_s"),
    ):
        r = growth.compare(table, new, old, [q]).iloc[0]
        rows.append({"conclusion": label, "preferred": r["ratio"], "low": r["ratio_low"], "high": r["ratio_high"], "unit": "x"})
    for product_id in ("vr-nvl144", "rubin-ultra-nvl576"):
        r = ridge.loc[(product_id, "fp4")]
        rows.append({"conclusion": f"H3: {r['product']} FP4 ridge point", "preferred": r["ridge_flop_per_byte"],
                     "low": r["ridge_low"], "high": r["ridge_high"], "unit": "FLOP/B"})
    return pd.DataFrame(rows)
