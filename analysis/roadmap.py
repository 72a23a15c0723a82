"""The hardware roadmap on one honest basis: Hopper to Rubin Ultra, like for like.

Every value here comes from the normalized specs of :mod:`analysis.jensen_math`
(dense FLOPs, one-direction bandwidth, per package), never from marketed
figures.  The module builds the generation table, growth per generation and
per year (compared with Epoch AI's long-run accelerator trends [1]_), ridge
points of the roofline, the memory and power walls, and the verdicts H1 to H3.

References
----------
.. [1] Epoch AI, "Machine Learning Hardware" (data insights, 2025-01-16) and
   "Trends in Machine Learning Hardware" (2023-11-09).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import claims, data
from analysis import jensen_math as jm


@dataclass(frozen=True)
class Quantity:
    """One column of the generation table.

    Attributes
    ----------
    key : str
        Column id with its unit (``dense_fp4_pflop_s``).
    metric : str
        Metric of ``hardware_specs``.
    precision : str
        Number format, ``"none"`` for non-FLOPs metrics.
    label : str
        Human-readable label with unit.
    scale : float
        Factor from the metric's canonical unit to the unit of ``key`` [-].
    """

    key: str
    metric: str
    precision: str
    label: str
    scale: float = 1.0


#: The quantities of the generation table (per package; per die and per rack follow).
QUANTITIES = (
    Quantity("dense_fp4_pflop_s", "compute_pflop_s", "fp4", "Dense FP4 [PFLOP/s]"),
    Quantity("dense_fp8_pflop_s", "compute_pflop_s", "fp8", "Dense FP8 [PFLOP/s]"),
    Quantity("dense_bf16_pflop_s", "compute_pflop_s", "bf16", "Dense BF16 [PFLOP/s]"),
    Quantity("fp64_tflop_s", "compute_pflop_s", "fp64", "FP64 [TFLOP/s]", 1000.0),
    Quantity("hbm_capacity_gb", "hbm_capacity_gb", "none", "HBM capacity [GB]"),
    Quantity("hbm_bandwidth_tb_s", "hbm_bandwidth_tb_s", "none", "HBM bandwidth [TB/s]"),
    Quantity("nvlink_one_way_tb_s", "nvlink_bandwidth_tb_s", "none", "NVLink, one way [TB/s]"),
    Quantity("power_kw", "power_kw", "none", "Power (TDP) [kW]"),
)

#: The roadmap's flagship line, one product per step (HGX Hopper, then the NVL racks).
FLAGSHIPS = ("h100-sxm", "h200-sxm", "gb200-nvl72", "gb300-nvl72", "vr-nvl144", "rubin-ultra-nvl576")

#: Quantities whose preferred value rests on one weak source are marked with this in tables.
WEAK_MARK = "*"


def availability_year(availability: str) -> float:
    """Mid-point of an availability period as a decimal year.

    Parameters
    ----------
    availability : str
        ``YYYY``, ``YYYY-Hn`` (half) or ``YYYY-Qn`` (quarter).

    Returns
    -------
    float
        Decimal year [year].

    Examples
    --------
    >>> availability_year("2022-Q3"), availability_year("2026-H2"), availability_year("2028")
    (2022.625, 2026.75, 2028.5)
    """
    match = re.fullmatch(r"(\d{4})(?:-(H|Q)([1-4]))?", availability)
    if match is None:
        raise ValueError(f"availability {availability!r} is not YYYY, YYYY-Hn or YYYY-Qn")
    year, kind, n = match.groups()
    if kind is None:
        return int(year) + 0.5
    periods = 2 if kind == "H" else 4
    return int(year) + (int(n) - 0.5) / periods


def generation_table(specs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every product's quantities per package, per die and per system or rack.

    Parameters
    ----------
    specs : pandas.DataFrame, optional
        ``data.load("hardware_specs")`` (loaded if omitted).

    Returns
    -------
    pandas.DataFrame
        Long table: ``product_id, product, architecture, form_factor, year,
        availability, quantity, label, per_package, per_die, per_system, low, high,
        confidence, spec_id``.  ``low``/``high`` span the sources (per package).
        Products announced without numbers (Feynman) have one row with
        quantity ``"none"`` and NaN values.

    Examples
    --------
    >>> g = generation_table().set_index(["product_id", "quantity"])
    >>> float(g.loc[("gb300-nvl72", "dense_fp4_pflop_s"), "per_die"])
    7.5
    >>> float(g.loc[("vr-nvl144", "dense_fp4_pflop_s"), "per_system"])
    3600.0
    """
    specs = data.load("hardware_specs") if specs is None else specs
    products = data.load("products")
    every = jm.normalize(specs, rows="all")
    topo = jm.topologies(specs)
    rows = []
    for product in products.itertuples(index=False):
        base = {
            "product_id": product.product_id,
            "product": product.name,
            "architecture": product.architecture,
            "form_factor": product.form_factor,
            "year": availability_year(product.availability),
            "availability": product.availability,
        }
        if not product.has_specs:
            rows.append(base | {"quantity": "none", "label": "announced, no specs"})
            continue
        t = topo.get(product.product_id)
        for q in QUANTITIES:
            try:
                candidates = jm.per_package_candidates(every, product.product_id, q.metric, q.precision)
            except LookupError:
                continue
            if q.metric == "power_kw":
                # rack power includes CPUs, switches and fans: not a package's TDP
                candidates = candidates[candidates["scope"] == "per_package"]
                if candidates.empty:
                    continue
            best = candidates.iloc[0]
            values = candidates["value_per_package"].to_numpy(dtype=float) * q.scale
            per_package = float(best["value_per_package"]) * q.scale
            rows.append(
                base
                | {
                    "quantity": q.key,
                    "label": q.label,
                    "per_package": per_package,
                    "per_die": per_package / t.dies_per_package if t else np.nan,
                    "per_system": per_package * t.packages if t else np.nan,
                    "low": float(values.min()),
                    "high": float(values.max()),
                    "confidence": best["confidence"],
                    "spec_id": best["spec_id"],
                }
            )
    return pd.DataFrame(rows)


def generation_wide(table: pd.DataFrame | None = None, scope: str = "per_package") -> pd.DataFrame:
    """The generation table as one row per product, weak values marked.

    Parameters
    ----------
    table : pandas.DataFrame, optional
        :func:`generation_table` (computed if omitted).
    scope : {"per_package", "per_die", "per_system"}
        Which view.

    Returns
    -------
    pandas.DataFrame
        Product, availability and one text column per quantity label; a value
        whose preferred source has low confidence ends with :data:`WEAK_MARK`,
        and Feynman reads "announced, no specs".
    """
    table = generation_table() if table is None else table
    if scope not in ("per_package", "per_die", "per_system"):
        raise ValueError(f"scope must be per_package, per_die or per_system, not {scope!r}")
    shown = table[table["quantity"] != "none"].copy()
    shown["text"] = [
        f"{v:,.4g}{WEAK_MARK if c == 'low' else ''}" if pd.notna(v) else ""
        for v, c in zip(shown[scope], shown["confidence"])
    ]
    wide = shown.pivot_table(index=["product", "availability"], columns="label", values="text", aggfunc="first", sort=False)
    wide = wide.reindex(columns=[q.label for q in QUANTITIES if q.label in wide.columns]).fillna("")
    wide = wide.reset_index()
    for row in table[table["quantity"] == "none"].itertuples():
        wide.loc[len(wide)] = {"product": row.product, "availability": row.availability} | {
            c: ("announced, no specs" if i == 0 else "") for i, c in enumerate(wide.columns[2:])
        }
    return wide


def doubling_time(years, values) -> float:
    """Doubling time of an exponential fitted to values over time (least squares on log2).

    Parameters
    ----------
    years : array_like
        Dates [decimal year].
    values : array_like
        Positive values [any unit].

    Returns
    -------
    float
        Years for the fitted trend to double [year]; ``inf`` if it does not grow.

    Examples
    --------
    >>> round(doubling_time([2020, 2022, 2024], [1.0, 2.0, 4.0]), 6)
    2.0
    """
    years = np.asarray(years, dtype=float)
    logs = np.log2(np.asarray(values, dtype=float))
    slope = np.polyfit(years, logs, 1)[0]
    return float(1.0 / slope) if slope > 0 else float("inf")


def growth_steps(table: pd.DataFrame | None = None, line=FLAGSHIPS) -> pd.DataFrame:
    """Growth of each quantity from one flagship to the next, per step and per year.

    Parameters
    ----------
    table : pandas.DataFrame, optional
        :func:`generation_table` (computed if omitted).
    line : sequence of str, optional
        Product ids of the line, oldest first (default :data:`FLAGSHIPS`).

    Returns
    -------
    pandas.DataFrame
        ``quantity, from_product, to_product, years, factor, factor_per_year``
        (per package) and ``factor_per_system`` (per HGX system or NVL rack;
        NaN between an HGX board and a rack, which are not like for like);
        also ``dense_fp4_pflop_s_per_kw`` (dense FP4 per kW of package TDP).
    """
    table = generation_table() if table is None else table
    per_watt = _per_watt(table)
    frames = pd.concat([table, per_watt], ignore_index=True)
    rows = []
    for quantity, group in frames.groupby("quantity", sort=False):
        group = group.set_index("product_id")
        present = [p for p in line if p in group.index and pd.notna(group.at[p, "per_package"])]
        for a, b in zip(present, present[1:]):
            years = group.at[b, "year"] - group.at[a, "year"]
            factor = group.at[b, "per_package"] / group.at[a, "per_package"]
            # a rack over an 8-GPU board is not a like-for-like multiple
            same_form = group.at[a, "form_factor"] == group.at[b, "form_factor"]
            rows.append(
                {
                    "quantity": quantity,
                    "from_product": group.at[a, "product"],
                    "to_product": group.at[b, "product"],
                    "years": years,
                    "factor": factor,
                    "factor_per_year": factor ** (1 / years) if years > 0 else np.nan,
                    "factor_per_system": group.at[b, "per_system"] / group.at[a, "per_system"] if same_form else np.nan,
                }
            )
    return pd.DataFrame(rows)


def _per_watt(table: pd.DataFrame) -> pd.DataFrame:
    wide = table.pivot_table(index=["product_id", "product", "year"], columns="quantity", values="per_package")
    if "power_kw" not in wide or "dense_fp4_pflop_s" not in wide:
        return pd.DataFrame(columns=table.columns)
    ratio = (wide["dense_fp4_pflop_s"] / wide["power_kw"]).dropna().rename("per_package").reset_index()
    form = table.drop_duplicates("product_id").set_index("product_id")["form_factor"]
    return ratio.assign(quantity="dense_fp4_pflop_s_per_kw", label="Dense FP4 per kW of TDP [PFLOP/s/kW]",
                        form_factor=ratio["product_id"].map(form), per_system=np.nan)


def trend_comparison(table: pd.DataFrame | None = None, line=FLAGSHIPS) -> pd.DataFrame:
    """Doubling times along the flagship line next to Epoch AI's long-run trends.

    Parameters
    ----------
    table : pandas.DataFrame, optional
        :func:`generation_table` (computed if omitted).
    line : sequence of str, optional
        Product ids of the line, oldest first (default :data:`FLAGSHIPS`).

    Returns
    -------
    pandas.DataFrame
        ``quantity, roadmap_doubling_years, epoch_trend_id, epoch_doubling_years,
        speedup`` (speedup = Epoch's doubling time / the roadmap's [-]).
    """
    table = generation_table() if table is None else table
    trends = data.load("hardware_trends").set_index("trend_id")["doubling_time_years"]
    # the yardstick for each roadmap quantity: Epoch's closest published trend
    yardsticks = {
        "dense_bf16_pflop_s": "epoch2025_fp16_flop_s",
        "dense_fp8_pflop_s": "epoch2025_fp16_flop_s",
        "dense_fp4_pflop_s": "epoch2025_fp16_flop_s",
        "hbm_bandwidth_tb_s": "epoch2023_memory_bandwidth",
        "hbm_capacity_gb": "epoch2023_memory_capacity",
        "dense_fp4_pflop_s_per_kw": "epoch2025_flop_s_per_watt",
    }
    frames = pd.concat([table, _per_watt(table)], ignore_index=True)
    rows = []
    for quantity, trend_id in yardsticks.items():
        group = frames[(frames["quantity"] == quantity) & frames["product_id"].isin(line)].dropna(subset=["per_package"])
        if len(group) < 2:
            continue
        roadmap = doubling_time(group["year"], group["per_package"])
        rows.append(
            {
                "quantity": quantity,
                "products": len(group),
                "roadmap_doubling_years": roadmap,
                "epoch_trend_id": trend_id,
                "epoch_doubling_years": float(trends[trend_id]),
                "speedup": float(trends[trend_id]) / roadmap,
            }
        )
    return pd.DataFrame(rows)


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
    table = generation_table() if table is None else table
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


def compare(table: pd.DataFrame, new: str, old: str, quantities=None) -> pd.DataFrame:
    """Per-package ratios of one product to another, with the range over sources.

    Parameters
    ----------
    table : pandas.DataFrame, optional
        :func:`generation_table` (computed if omitted).
    new : str
        Product id of the newer product (numerator).
    old : str
        Product id of the older product (denominator).
    quantities : list of str, optional
        Quantity keys of :data:`QUANTITIES` (all if omitted).

    Returns
    -------
    pandas.DataFrame
        ``quantity, old, new, ratio, ratio_low, ratio_high``.

    Examples
    --------
    >>> c = compare(generation_table(), "gb300-nvl72", "gb200-nvl72").set_index("quantity")
    >>> float(c.loc["dense_fp4_pflop_s", "ratio"])
    1.5
    """
    t = table.set_index(["product_id", "quantity"])
    quantities = quantities or [q.key for q in QUANTITIES]
    rows = []
    for q in quantities:
        if (new, q) not in t.index or (old, q) not in t.index:
            continue
        a, b = t.loc[(new, q)], t.loc[(old, q)]
        rows.append(
            {
                "quantity": q,
                "old": b["per_package"],
                "new": a["per_package"],
                "ratio": a["per_package"] / b["per_package"],
                "ratio_low": a["low"] / b["high"],
                "ratio_high": a["high"] / b["low"],
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
    table = generation_table() if table is None else table
    ridge = ridge_points(table)
    capacity = table[table["quantity"] == "hbm_capacity_gb"].set_index("product_id")["per_package"]
    ridge = ridge[ridge["product_id"].isin(FLAGSHIPS) & ridge["product_id"].isin(capacity.index)]
    return pd.DataFrame(
        {
            "product": ridge["product"],
            "year": ridge["year"],
            "precision": ridge["precision"],
            "flop_per_byte_of_bandwidth": ridge["ridge_flop_per_byte"],
            "tflop_s_per_gb_of_capacity": 1000.0 * ridge["dense_pflop_s"] / ridge["product_id"].map(capacity),
        }
    ).reset_index(drop=True)


def rack_power(specs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rack (or system) power and dense FP4 per kW of it.

    Parameters
    ----------
    specs : pandas.DataFrame
        ``data.load("hardware_specs")``: published specs, with ``value_in_metric_unit``.

    Returns
    -------
    pandas.DataFrame
        ``product_id, product, year, rack_power_kw, rack_dense_fp4_pflop_s,
        dense_fp4_pflop_s_per_kw, confidence``; only products with a published
        rack power.
    """
    specs = data.load("hardware_specs") if specs is None else specs
    table = generation_table(specs)
    rows = jm.preferred(specs)
    power = rows[(rows["metric"] == "power_kw") & rows["scope"].isin(["per_rack", "per_system"])]
    fp4 = table[table["quantity"] == "dense_fp4_pflop_s"].set_index("product_id")
    out = []
    for row in power.itertuples():
        if row.product_id not in fp4.index:
            continue
        rack_fp4 = float(fp4.at[row.product_id, "per_system"])
        out.append(
            {
                "product_id": row.product_id,
                "product": fp4.at[row.product_id, "product"],
                "year": fp4.at[row.product_id, "year"],
                "rack_power_kw": float(row.value_in_metric_unit),
                "rack_dense_fp4_pflop_s": rack_fp4,
                "dense_fp4_pflop_s_per_kw": rack_fp4 / float(row.value_in_metric_unit),
                "confidence": row.confidence,
            }
        )
    return pd.DataFrame(out).sort_values("year").reset_index(drop=True)


# --- where inference lands on the roofline ----------------------------------------

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
    from analysis import models

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
    ridge = ridge[(ridge["precision"] == precision) & ridge["product_id"].isin(FLAGSHIPS)]
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
    table = generation_table() if table is None else table
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
        r = compare(table, new, old, [q]).iloc[0]
        rows.append({"conclusion": label, "preferred": r["ratio"], "low": r["ratio_low"], "high": r["ratio_high"], "unit": "x"})
    for product_id in ("vr-nvl144", "rubin-ultra-nvl576"):
        r = ridge.loc[(product_id, "fp4")]
        rows.append({"conclusion": f"H3: {r['product']} FP4 ridge point", "preferred": r["ridge_flop_per_byte"],
                     "low": r["ridge_low"], "high": r["ridge_high"], "unit": "FLOP/B"})
    return pd.DataFrame(rows)


# --- verdicts H1 to H3 -----------------------------------------------------------


#: Relative band within which a ratio counts as "about" the claimed multiple, not more or less [-].
ABOUT = 0.01


def _versus(ratio: float, claimed: float) -> str:
    """Classify a ratio against a claimed multiple: "more", "about" or "less" (band :data:`ABOUT`)."""
    if ratio >= claimed * (1 + ABOUT):
        return "more"
    if ratio > claimed * (1 - ABOUT):
        return "about"
    return "less"


def verdict_h1():
    """H1: B300 has more than 50% more FP4 than B200 and keeps 8 TB/s.

    Rule: the bandwidth part holds if B300's HBM bandwidth equals B200's within
    2%.  The FLOPs part holds if the dense FP4 ratio on the preferred sources is
    more than 1.5 by at least :data:`ABOUT` for both the HGX and the NVL72
    variants; a ratio within that band of 1.5 is "about 50%", not more.  Both
    parts: supported; one: partly supported; neither: contradicted.
    """
    specs = data.load("hardware_specs")
    table = generation_table(specs)
    claimed = 1.5
    pairs = {"HGX": ("b300-hgx", "b200-hgx"), "NVL72": ("gb300-nvl72", "gb200-nvl72")}
    evidence, fp4_status, bw_kept, parts, fp4_high, fp4_values = [], {}, [], [], {}, {}
    for label, (new, old) in pairs.items():
        cmp_ = compare(table, new, old).set_index("quantity")
        fp4 = cmp_.loc["dense_fp4_pflop_s"]
        fp4_high[label] = float(fp4["ratio_high"])
        fp4_values[new], fp4_values[old] = float(fp4["new"]), float(fp4["old"])
        bw = cmp_.loc["hbm_bandwidth_tb_s"]
        fp4_status[label] = _versus(float(fp4["ratio"]), claimed)
        bw_kept.append(abs(bw["ratio"] - 1) <= 0.02)
        int8_new, int8_old = (jm.per_package(specs, p, "compute_pop_s", "int8")[0] for p in (new, old))
        evidence += [
            claims.Evidence(f"{label}: dense FP4 per package, B300 / B200", float(fp4["ratio"]), "x"),
            claims.Evidence(f"{label}: dense FP4 ratio, lowest source", float(fp4["ratio_low"]), "x"),
            claims.Evidence(f"{label}: dense FP4 ratio, highest source", float(fp4["ratio_high"]), "x"),
            claims.Evidence(f"{label}: HBM bandwidth, B300 / B200", float(bw["ratio"]), "x"),
            claims.Evidence(f"{label}: B300 HBM bandwidth", float(bw["new"]), "TB/s"),
            claims.Evidence(f"{label}: FP64, B300 / B200", float(cmp_.loc["fp64_tflop_s", "ratio"]), "x"),
            claims.Evidence(f"{label}: dense INT8, B300 / B200", int8_new / int8_old, "x"),
        ]
        parts.append(
            f"{label}: FP4 x{fp4['ratio']:.2f} ({fp4_status[label]} than {claimed:g}x; sources "
            f"{fp4['ratio_low']:.2f} to {fp4['ratio_high']:.2f}), bandwidth x{bw['ratio']:.2f} "
            f"({float(bw['new']):g} TB/s), FP64 x{cmp_.loc['fp64_tflop_s', 'ratio']:.2f}, INT8 x{int8_new / int8_old:.2f}"
        )
    flops_ok = all(status == "more" for status in fp4_status.values())
    bandwidth_ok = all(bw_kept)
    if flops_ok and bandwidth_ok:
        verdict = claims.Verdict.SUPPORTED
    elif flops_ok or bandwidth_ok:
        verdict = claims.Verdict.PARTLY
    else:
        verdict = claims.Verdict.CONTRADICTED
    summary = (
        "; ".join(parts).replace("about than", "about")
        + f". Bandwidth {'is' if bandwidth_ok else 'is not'} kept; the FP4 gain is "
        + ("more than" if flops_ok else "not more than")
        + f" {claimed - 1:.0%} on the preferred sources of both variants, bought by cutting FP64 and INT8."
    )
    return claims.ClaimResult(
        "H1",
        verdict,
        summary,
        tuple(evidence),
        assumptions=(
            "Dense FP4 per GPU from the preferred rows of data/hardware_specs.csv: "
            + ", ".join(f"{p} {fp4_values[p]:.4g} PFLOP/s" for p in fp4_values)
            + "; the HGX B300 row is its GTC-era board figure.",
            f"A ratio within {ABOUT:.0%} of the claimed multiple counts as 'about', not 'more than'.",
        ),
        would_change=tuple(
            f"{label}: the highest source gives an FP4 gain of {high:.2f}x ({_versus(high, claimed)} than {claimed:g}x)."
            .replace("about than", "about")
            for label, high in fp4_high.items()
        ),
    )


def verdict_h2():
    """H2: the Rubin family brings large performance gains.

    Rule: a step is "large" if dense FP4 per package grows at least 1.5x.
    Supported if every step GB300 -> Rubin -> Rubin Ultra is large per package
    and, where rack power is published for both ends, dense FP4 per kW of rack
    power grows too; partly supported if some but not all steps are large;
    contradicted if none is.  Per-die growth is reported as evidence (a gain
    from more dies per package is still a gain per package bought).  Feynman,
    announced without numbers, is reported as not testable in the evidence.
    """
    specs = data.load("hardware_specs")
    table = generation_table(specs)
    power = rack_power(specs).set_index("product_id")["dense_fp4_pflop_s_per_kw"]
    steps = [("vr-nvl144", "gb300-nvl72"), ("rubin-ultra-nvl576", "vr-nvl144")]
    quantities = ["dense_fp4_pflop_s", "dense_fp8_pflop_s", "hbm_bandwidth_tb_s", "hbm_capacity_gb",
                  "nvlink_one_way_tb_s", "power_kw"]
    per_die = table.set_index(["product_id", "quantity"])["per_die"]
    evidence, large, per_watt_ok, die_ratios = [], [], True, {}
    for new, old in steps:
        cmp_ = compare(table, new, old, quantities).set_index("quantity")
        large.append(cmp_.at["dense_fp4_pflop_s", "ratio"] >= 1.5)
        for q, row in cmp_.iterrows():
            evidence.append(claims.Evidence(f"{new} / {old}: {q} per package", float(row["ratio"]), "x"))
        die_ratios[new] = float(per_die[(new, "dense_fp4_pflop_s")] / per_die[(old, "dense_fp4_pflop_s")])
        evidence.append(claims.Evidence(f"{new} / {old}: dense FP4 per die", die_ratios[new], "x"))
    # per kW of rack power: only between products whose rack power is published
    rubin_racks = [p for p in ("gb300-nvl72", "vr-nvl144", "rubin-ultra-nvl576") if p in power.index]
    for old, new in zip(rubin_racks, rubin_racks[1:]):
        ratio = float(power[new] / power[old])
        per_watt_ok &= ratio > 1.0
        evidence.append(claims.Evidence(f"{new} / {old}: dense FP4 per kW of rack power", ratio, "x"))
    feynman = table[table["product_id"] == "feynman"]
    evidence.append(claims.Evidence("Feynman quantities published", float(feynman["per_package"].notna().sum()), "-"))
    if all(large) and per_watt_ok:
        verdict = claims.Verdict.SUPPORTED
    elif any(large):
        verdict = claims.Verdict.PARTLY
    else:
        verdict = claims.Verdict.CONTRADICTED
    t = table.set_index(["product_id", "quantity"])["per_package"]
    flat_die = [p for p, r in die_ratios.items() if r <= 1.0 + ABOUT]
    names = table.drop_duplicates("product_id").set_index("product_id")["product"]
    summary = (
        f"Dense FP4 per package: GB300 {t[('gb300-nvl72', 'dense_fp4_pflop_s')]:.0f}, Rubin "
        f"{t[('vr-nvl144', 'dense_fp4_pflop_s')]:.0f}, Rubin Ultra {t[('rubin-ultra-nvl576', 'dense_fp4_pflop_s')]:.0f} "
        f"PFLOP/s; HBM bandwidth {t[('gb300-nvl72', 'hbm_bandwidth_tb_s')]:.0f} to "
        f"{t[('vr-nvl144', 'hbm_bandwidth_tb_s')]:.0f} to {t[('rubin-ultra-nvl576', 'hbm_bandwidth_tb_s')]:.0f} TB/s. "
        + (f"Per die, {', '.join(names[p] for p in flat_die)} adds nothing over its predecessor: the gain is more dies "
           "per package. " if flat_die else "")
        + ("Feynman has no numbers." if feynman["per_package"].isna().all() else "")
    )
    ru_bw = specs[(specs["product_id"] == "rubin-ultra-nvl576") & (specs["metric"] == "hbm_bandwidth_tb_s")
                  & specs["preferred"].astype(bool)]
    packages = jm.topologies(specs)["rubin-ultra-nvl576"].packages
    return claims.ClaimResult(
        "H2",
        verdict,
        summary,
        tuple(evidence),
        assumptions=(
            "Rubin and Rubin Ultra figures are GTC-2025 announcements and estimates, not shipping specs.",
            f"Rubin Ultra per-package bandwidth is the rack's {float(ru_bw['value'].iloc[0]):g} "
            f"{ru_bw['unit'].iloc[0]} over {packages:.0f} packages.",
        ),
        would_change=(
            "NVIDIA's 2026 'training' figure for Rubin's dense FP4, or a two-die Rubin Ultra (reported mid-2026), "
            f"would shrink the gains: Rubin over GB300 falls to {compare(table, 'vr-nvl144', 'gb300-nvl72', ['dense_fp4_pflop_s']).iloc[0]['ratio_low']:.2f}x "
            "on the lowest source.",
            "Any published Feynman spec would make the 2028 step testable.",
        ),
    )


def verdict_h3():
    """H3: compute grows faster than bandwidth, so decode gets more memory-bound each generation.

    Rule, on the flagship line: supported if the dense FP8 ridge point rises at
    every step (each generation more memory-bound); partly supported if it
    rises from the first to the last flagship but not at every step, or if
    FLOPs double faster than bandwidth only end to end; contradicted if it does
    not rise end to end.  FP4 ridge points (Blackwell on) are reported too.
    """
    table = generation_table()
    ridge = ridge_points(table)
    flagship = ridge[ridge["product_id"].isin(FLAGSHIPS)].sort_values("year")
    fp8 = flagship[flagship["precision"] == "fp8"].reset_index(drop=True)
    steps = fp8["ridge_flop_per_byte"].diff().iloc[1:]
    rising_steps, n_steps = int((steps > 0).sum()), len(steps)
    end_to_end = fp8["ridge_flop_per_byte"].iloc[-1] > fp8["ridge_flop_per_byte"].iloc[0]
    evidence = [claims.Evidence(f"FP8 ridge point, {row.product}", float(row.ridge_flop_per_byte), "FLOP/B")
                for row in fp8.itertuples()]
    fp4 = flagship[flagship["precision"] == "fp4"]
    evidence += [claims.Evidence(f"FP4 ridge point, {row.product}", float(row.ridge_flop_per_byte), "FLOP/B")
                 for row in fp4.itertuples()]
    evidence.append(claims.Evidence("flagship steps where the FP8 ridge point rises", rising_steps, f"of {n_steps}"))
    trends = trend_comparison(table).set_index("quantity")["roadmap_doubling_years"]
    evidence += [
        claims.Evidence("roadmap doubling time, dense FP8 per package", float(trends["dense_fp8_pflop_s"]), "years"),
        claims.Evidence("roadmap doubling time, HBM bandwidth per package", float(trends["hbm_bandwidth_tb_s"]), "years"),
    ]
    share = decode_bound_share("fp8")
    batch64 = share[share["workload"].str.startswith("dense 70B") & share["workload"].str.endswith("batch 64")]
    batch64 = batch64.sort_values("year")
    first_share, last_share = batch64.iloc[0], batch64.iloc[-1]
    evidence += [
        claims.Evidence("dense 70B FP8 decode, batch 64: intensity", float(first_share["intensity_flop_per_byte"]), "FLOP/B"),
        claims.Evidence(f"its attainable share of FP8 peak on {first_share['product']}", float(first_share["fraction_of_peak"]), "-"),
        claims.Evidence(f"its attainable share of FP8 peak on {last_share['product']}", float(last_share["fraction_of_peak"]), "-"),
    ]
    if rising_steps == n_steps:
        verdict = claims.Verdict.SUPPORTED
    elif end_to_end:
        verdict = claims.Verdict.PARTLY
    else:
        verdict = claims.Verdict.CONTRADICTED
    falling = [f"{a} to {b}" for a, b, d in zip(fp8["product"], fp8["product"].iloc[1:], steps) if d <= 0]
    summary = (
        f"The FP8 ridge point goes from {fp8['ridge_flop_per_byte'].iloc[0]:.0f} FLOP/B ({fp8['product'].iloc[0]}) to "
        f"{fp8['ridge_flop_per_byte'].iloc[-1]:.0f} ({fp8['product'].iloc[-1]}), rising at {rising_steps} of {n_steps} "
        f"steps" + (f" (not from {'; '.join(falling)})" if falling else "") + "; dense FP8 doubles every "
        f"{trends['dense_fp8_pflop_s']:.1f} years, HBM bandwidth every {trends['hbm_bandwidth_tb_s']:.1f}. "
        f"Decoding a dense 70B model at batch 64 can use at most {first_share['fraction_of_peak']:.0%} of FP8 peak on "
        f"{first_share['product']} and {last_share['fraction_of_peak']:.0%} on {last_share['product']}."
    )
    rubin_bw = compare(table, "vr-nvl144", "gb300-nvl72", ["hbm_bandwidth_tb_s"]).iloc[0]
    ridge_vr = ridge.set_index(["product_id", "precision"]).loc[("vr-nvl144", "fp4")]
    return claims.ClaimResult(
        "H3",
        verdict,
        summary,
        tuple(evidence),
        assumptions=("Peak dense FLOPs and peak HBM bandwidth; achieved fractions differ by kernel.",),
        would_change=(
            f"Rubin's HBM4 at the highest published bandwidth ({rubin_bw['new'] * rubin_bw['ratio_high'] / rubin_bw['ratio']:.1f} TB/s) "
            f"instead of the GTC slide's {rubin_bw['new']:g} TB/s, with the lowest FP4 figure, puts Rubin's FP4 ridge "
            f"point as low as {ridge_vr['ridge_low']:.0f} FLOP/B.",
        ),
    )


# --- figures ------------------------------------------------------------------------


def _specs_sources(product_ids, metrics=None):
    from analysis.figures import spec_sources

    return spec_sources(data.load("hardware_specs"), product_ids=product_ids, metrics=metrics)


def timeline_table(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Flagship growth relative to the first flagship with each quantity, with Epoch's trend.

    Parameters
    ----------
    table : pandas.DataFrame, optional
        :func:`generation_table` (computed if omitted).

    Returns
    -------
    pandas.DataFrame
        ``series, product, year, index_vs_first, kind`` (kind "roadmap" or
        "Epoch AI trend"); ``index_vs_first`` [-] is 1 at the first product.
    """
    table = generation_table() if table is None else table
    trends = data.load("hardware_trends").set_index("trend_id")["doubling_time_years"]
    series = {
        "dense_fp8_pflop_s": ("Dense FP8 FLOP/s", "epoch2025_fp16_flop_s"),
        "dense_fp4_pflop_s": ("Dense FP4 FLOP/s", "epoch2025_fp16_flop_s"),
        "hbm_bandwidth_tb_s": ("HBM bandwidth", "epoch2023_memory_bandwidth"),
        "hbm_capacity_gb": ("HBM capacity", "epoch2023_memory_capacity"),
    }
    rows = []
    for quantity, (label, trend_id) in series.items():
        group = table[(table["quantity"] == quantity) & table["product_id"].isin(FLAGSHIPS)].sort_values("year")
        group = group.dropna(subset=["per_package"])
        first = group.iloc[0]
        for row in group.itertuples():
            rows.append({"series": label, "product": row.product, "year": row.year,
                         "index_vs_first": row.per_package / first["per_package"], "kind": "roadmap"})
        for year in (first["year"], group["year"].iloc[-1]):
            rows.append({"series": label, "product": "", "year": year,
                         "index_vs_first": 2 ** ((year - first["year"]) / trends[trend_id]), "kind": "Epoch AI trend"})
    return pd.DataFrame(rows)


def timeline_figure():
    """fig-roadmap-timeline: growth per package vs Epoch AI's long-run trends."""
    import altair as alt

    from analysis.figures import SOURCE_COLUMNS, FigureData, themed

    table = timeline_table()
    base = alt.Chart(table).encode(
        x=alt.X("year:Q", title="Availability [year]", scale=alt.Scale(zero=False), axis=alt.Axis(format="d")),
        y=alt.Y("index_vs_first:Q", title="Per package, relative to the first flagship [x]", scale=alt.Scale(type="log")),
        color=alt.Color("series:N", title=None),
    )
    roadmap = base.transform_filter("datum.kind == 'roadmap'").mark_line(point=True)
    trend = base.transform_filter("datum.kind != 'roadmap'").mark_line(strokeDash=[4, 4], opacity=0.7)
    chart = (roadmap + trend).properties(title="Roadmap growth (solid) vs Epoch AI long-run trends (dashed)")
    sources = pd.concat([_specs_sources(FLAGSHIPS, ["compute_pflop_s", "hbm_bandwidth_tb_s", "hbm_capacity_gb"]),
                         data.load("hardware_trends")[SOURCE_COLUMNS]])
    return FigureData(themed(chart, width=480, height=300), table, sources)


def roofline_table(precision: str = "fp8", intensity=None) -> pd.DataFrame:
    """Attainable dense FLOP/s against arithmetic intensity for each flagship.

    Parameters
    ----------
    precision : str
        Number format of the FLOPs.
    intensity : array_like, optional
        Intensities to evaluate [FLOP/B]; default 1 to 100,000, log-spaced.

    Returns
    -------
    pandas.DataFrame
        ``product, intensity_flop_per_byte, attainable_pflop_s`` with
        attainable = min(peak, intensity x bandwidth).

    Examples
    --------
    >>> t = roofline_table("bf16", [100.0, 1000.0])
    >>> t[t["product"] == "HGX H100"]["attainable_pflop_s"].round(4).tolist()   # 3.35 TB/s x 100; then the 989.4 TFLOP/s peak
    [0.335, 0.9894]
    """
    ridge = ridge_points(precisions=(precision,))
    ridge = ridge[ridge["product_id"].isin(FLAGSHIPS)]
    grid = np.geomspace(1, 1e5, 61) if intensity is None else np.asarray(intensity, dtype=float)
    peak = ridge["dense_pflop_s"].to_numpy()[:, None]
    bandwidth = ridge["hbm_bandwidth_tb_s"].to_numpy()[:, None]
    attainable = np.minimum(peak, grid[None, :] * bandwidth / 1000.0)
    return pd.DataFrame(
        {
            "product": np.repeat(ridge["product"].to_numpy(), len(grid)),
            "intensity_flop_per_byte": np.tile(grid, len(ridge)),
            "attainable_pflop_s": attainable.ravel(),
        }
    )


def roofline_figure():
    """fig-roadmap-roofline: FP8 rooflines with decode and prefill intensities."""
    import altair as alt

    from analysis.figures import FigureData, themed

    curves = roofline_table("fp8")
    work = workload_intensities("fp8")
    work = work.assign(model=work["workload"].str.split(":").str[0], step=work["workload"].str.split(": ").str[1])
    order = [n for n in data.load("products").set_index("product_id").loc[list(FLAGSHIPS), "name"]]
    models = list(dict.fromkeys(work["model"]))
    table = pd.concat(
        [curves.merge(pd.DataFrame({"model": models}), how="cross").assign(kind="roofline"),
         work[["model", "workload", "step", "intensity_flop_per_byte"]].assign(kind="workload")],
        ignore_index=True,
    )
    x = alt.X("intensity_flop_per_byte:Q", title="Arithmetic intensity [FLOP/byte]", scale=alt.Scale(type="log"))
    lines = alt.Chart().transform_filter("datum.kind == 'roofline'").mark_line().encode(
        x=x,
        y=alt.Y("attainable_pflop_s:Q", title="Attainable dense FP8 [PFLOP/s]", scale=alt.Scale(type="log")),
        color=alt.Color("product:N", sort=order, title=None),
    )
    workloads = alt.Chart().transform_filter("datum.kind == 'workload'")
    rules = workloads.mark_rule(strokeDash=[3, 3], color="#555555").encode(
        x=x, tooltip=["workload", alt.Tooltip("intensity_flop_per_byte:Q", format=".1f")]
    )
    labels = workloads.mark_text(angle=270, align="left", dx=4, dy=-3, fontSize=10, color="#333333").encode(
        x=x, y=alt.value(190), text="step:N"
    )
    chart = (
        alt.layer(lines, rules, labels, data=table)
        .properties(width=520, height=200)
        .facet(row=alt.Row("model:N", title=None, sort=models, header=alt.Header(labelFontSize=12, labelOrient="top")))
        .properties(title="FP8 rooflines per package, and where decode and prefill land")
    )
    return FigureData(themed(chart, width=None, height=None), table,
                      _specs_sources(FLAGSHIPS, ["compute_pflop_s", "hbm_bandwidth_tb_s"]))


def ridge_figure():
    """fig-roadmap-ridge: ridge points over time, with the range over sources."""
    import altair as alt

    from analysis.figures import FigureData, themed

    table = ridge_points()
    base = alt.Chart(table).encode(
        x=alt.X("year:Q", title="Availability [year]", scale=alt.Scale(zero=False), axis=alt.Axis(format="d")),
        color=alt.Color("precision:N", title="Dense format", sort=["fp4", "fp8", "bf16"]),
    )
    points = base.mark_point(filled=True, size=70).encode(
        y=alt.Y("ridge_flop_per_byte:Q", title="Ridge point [FLOP per HBM byte]", scale=alt.Scale(type="log")),
        tooltip=["product", "precision", alt.Tooltip("ridge_flop_per_byte:Q", format=".0f"), "ridge_low", "ridge_high"],
    )
    bars = base.mark_rule().encode(y="ridge_low:Q", y2="ridge_high:Q")
    chart = (bars + points).properties(title="Ridge points rise: decode needs ever larger batches to use the FLOPs")
    return FigureData(themed(chart, width=480, height=300), table,
                      _specs_sources(table["product_id"], ["compute_pflop_s", "hbm_bandwidth_tb_s"]))


def walls_figure():
    """fig-roadmap-walls: rack power and dense FP4 per kW of rack power."""
    import altair as alt

    from analysis.figures import FigureData, themed

    table = rack_power()
    long = table.melt(id_vars=["product", "year"], value_vars=["rack_power_kw", "dense_fp4_pflop_s_per_kw"],
                      var_name="measure", value_name="value")
    long["measure"] = long["measure"].map({"rack_power_kw": "Rack or system power [kW]",
                                           "dense_fp4_pflop_s_per_kw": "Dense FP4 per kW [PFLOP/s per kW]"})
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("product:N", sort=list(table["product"]), title=None, axis=alt.Axis(labelAngle=-20)),
            y=alt.Y("value:Q", title=None),
            color=alt.Color("product:N", legend=None),
            tooltip=["product", "measure", alt.Tooltip("value:Q", format=".2f")],
        )
        .properties(width=220, height=220)
        .facet(column=alt.Column("measure:N", title=None, sort=["Rack or system power [kW]"]))
        .resolve_scale(y="independent")
        .properties(title="Rack (or HGX system) power, and dense FP4 per kW of it")
    )
    return FigureData(themed(chart, width=None, height=None), long,
                      _specs_sources(table["product_id"], ["power_kw", "compute_pflop_s", "gpu_packages_count"]))


def h1_figure():
    """fig-roadmap-h1: what Blackwell Ultra gained and traded, HGX and NVL72."""
    import altair as alt

    from analysis.figures import FigureData, themed

    table = generation_table()
    labels = {q.key: q.label.split(" [")[0] for q in QUANTITIES}
    frames = []
    for variant, (new, old) in {"HGX B300 / HGX B200": ("b300-hgx", "b200-hgx"),
                                "GB300 / GB200 (NVL72)": ("gb300-nvl72", "gb200-nvl72")}.items():
        frames.append(compare(table, new, old).assign(variant=variant))
    cmp_ = pd.concat(frames, ignore_index=True)
    cmp_["quantity_label"] = cmp_["quantity"].map(labels)
    base = alt.Chart(cmp_).encode(
        y=alt.Y("quantity_label:N", title=None, sort=[labels[q.key] for q in QUANTITIES]),
        color=alt.Color("variant:N", title=None),
        yOffset="variant:N",
    )
    bars = base.mark_point(filled=True, size=80).encode(
        x=alt.X("ratio:Q", title="Blackwell Ultra / Blackwell, per package [x] (log)", scale=alt.Scale(type="log")),
        tooltip=["variant", "quantity_label", alt.Tooltip("ratio:Q", format=".3f"), "ratio_low", "ratio_high"],
    )
    whiskers = base.mark_rule(color="#000000").encode(x="ratio_low:Q", x2="ratio_high:Q")
    one = alt.Chart(pd.DataFrame({"x": [1.5]})).mark_rule(strokeDash=[5, 3], color="#D55E00").encode(x="x:Q")
    chart = (whiskers + bars + one).properties(title="Blackwell Ultra over Blackwell per package (dashed: +50%)")
    return FigureData(themed(chart, width=460, height=320), cmp_,
                      _specs_sources(["b300-hgx", "b200-hgx", "gb300-nvl72", "gb200-nvl72"]))
