"""Growth along the hardware roadmap on one honest basis: Hopper to Rubin Ultra, like for like.

Every value here comes from the normalized specs of :mod:`analysis.jensen_math`
(dense FLOPs, one-direction bandwidth, per package), never from marketed
figures.  The module builds the generation table, growth per generation and
per year (compared with Epoch AI's long-run accelerator trends [1]_), product
comparisons and rack power; ridge points and intensities are in
:mod:`analysis.roofline`.

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

from analysis import data
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
