"""'Jensen math': the three counting rules of GTC 2025, as tested functions.

SemiAnalysis named three conventions in NVIDIA's GTC 2025 numbers [1]_:

1. FLOPs are quoted with 2:4 structured sparsity; real workloads run dense.
   Dense is half of sparse, except where NVIDIA's own sheets say otherwise
   (Blackwell Ultra FP4: 20 sparse vs 15 dense PFLOP/s per GPU, a 1.33x ratio,
   while its FP8 keeps 2x [2]_).
2. Bandwidth is quoted bidirectionally (NVLink 5 "1.8 TB/s" is 0.9 TB/s each
   way), unlike the networking convention of one direction.
3. From Rubin on, a "GPU" is a compute die, not a package (VR NVL144 has 72
   packages of two dies; Rubin Ultra NVL576 has 144 packages of four).

This module turns published rows of ``hardware_specs`` into the normalized
basis used throughout the report: **dense, one direction, per package**.

References
----------
.. [1] SemiAnalysis, "NVIDIA GTC 2025 - Built For Reasoning, Vera Rubin, Kyber,
   CPO, Dynamo Inference, Jensen Math, Feynman", 2025-03-19.
.. [2] NVIDIA, GB300 NVL72 product page and Blackwell Ultra datasheet, 2025.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import claims, data

#: Peak gain NVIDIA assumes from 2:4 structured sparsity ("specifications 1/2
#: lower without sparsity", H100 datasheet); used only where no dense figure is
#: published for the product and precision.
TWO_FOUR_SPARSITY_GAIN = 2.0

#: Metrics counted in both directions when marketed.
LINK_METRICS = ("nvlink_bandwidth_tb_s", "nic_bandwidth_tb_s")

#: Metrics that hold FLOP or OP rates (where rule 1 applies).
COMPUTE_METRICS = ("compute_pflop_s", "compute_pop_s")

#: Number formats the tensor cores can run 2:4-sparse (FP64 and FP32 have no sparse mode).
SPARSE_CAPABLE = ("fp4", "fp6", "fp8", "int8", "bf16", "tf32")

_KEY = ["product_id", "metric", "precision"]


def dense_from_sparse(sparse, sparse_to_dense=TWO_FOUR_SPARSITY_GAIN):
    """Dense throughput from a figure quoted with 2:4 structured sparsity.

    Parameters
    ----------
    sparse : float or array_like
        Throughput quoted with sparsity [FLOP/s, any prefix].
    sparse_to_dense : float or array_like, optional
        Ratio of the sparse to the dense figure [-]; 2 for 2:4 sparsity,
        about 1.33 for Blackwell Ultra FP4.

    Returns
    -------
    float or numpy.ndarray
        Dense throughput, in the unit of ``sparse``.

    Examples
    --------
    >>> dense_from_sparse(1979.0)          # H100 BF16 [TFLOP/s]
    989.5
    >>> round(float(dense_from_sparse(20.0, 20 / 15)), 6)   # GB300 FP4 [PFLOP/s]
    15.0
    """
    sparse = np.asarray(sparse, dtype=float)
    result = sparse / np.asarray(sparse_to_dense, dtype=float)
    return float(result) if result.ndim == 0 else result


def one_direction(bandwidth, direction):
    """Bandwidth in one direction.

    Parameters
    ----------
    bandwidth : float or array_like
        Link bandwidth as quoted [B/s, any prefix].
    direction : str or array_like of str
        ``"bidirectional"`` (transmit plus receive summed), ``"unidirectional"``
        or ``"not_applicable"`` (memory bandwidth: left unchanged).

    Returns
    -------
    float or numpy.ndarray
        Bandwidth each way, in the unit of ``bandwidth``.

    Examples
    --------
    >>> one_direction(1.8, "bidirectional")       # NVLink 5 [TB/s]
    0.9
    >>> one_direction([1.8, 0.1], ["bidirectional", "unidirectional"]).tolist()
    [0.9, 0.1]
    """
    bandwidth = np.asarray(bandwidth, dtype=float)
    halve = np.asarray(direction) == "bidirectional"
    result = np.where(halve, bandwidth / 2.0, bandwidth)
    return float(result) if result.ndim == 0 else result


def packages_from_gpus(gpus, dies_per_package, counts="dies"):
    """Number of GPU packages behind a marketed "GPU" count.

    Parameters
    ----------
    gpus : int or array_like
        The "GPU" count as marketed (e.g. the 144 of "NVL144") [-].
    dies_per_package : int or array_like
        Compute dies per package [-].
    counts : {"dies", "packages"}
        What the marketed count counts.

    Returns
    -------
    float or numpy.ndarray
        Number of packages [-].

    Examples
    --------
    >>> packages_from_gpus(144, 2)   # Vera Rubin NVL144
    72.0
    >>> packages_from_gpus(576, 4)   # Rubin Ultra NVL576
    144.0
    >>> packages_from_gpus(72, 2, counts="packages")   # GB200 NVL72
    72.0
    """
    if counts not in ("dies", "packages"):
        raise ValueError(f"counts must be 'dies' or 'packages', not {counts!r}")
    gpus = np.asarray(gpus, dtype=float)
    result = gpus / np.asarray(dies_per_package, dtype=float) if counts == "dies" else gpus
    return float(result) if np.ndim(result) == 0 else result


def preferred(specs: pd.DataFrame) -> pd.DataFrame:
    """Rows the report uses: one per product, metric, precision and basis.

    Parameters
    ----------
    specs : pandas.DataFrame
        ``data.load("hardware_specs")``: published specs, with ``value_in_metric_unit``.
    """
    return specs[specs["preferred"].astype(bool)].copy()


def spec_value(specs, product_id, metric, precision="none", *, sparsity=None, scope=None, direction=None):
    """One preferred value, in the canonical unit its metric id ends with.

    Parameters
    ----------
    specs : pandas.DataFrame
        ``data.load("hardware_specs")``.
    product_id, metric, precision : str
        Row keys.
    sparsity, scope, direction : str, optional
        Basis to match; ``None`` accepts any, but then exactly one preferred
        row must match.

    Returns
    -------
    float
        The value [canonical unit of ``metric``].

    Raises
    ------
    LookupError
        If no row, or more than one, matches.

    Examples
    --------
    >>> specs = data.load("hardware_specs")
    >>> spec_value(specs, "h100-sxm", "hbm_bandwidth_tb_s", scope="per_package")
    3.35
    """
    rows = preferred(specs)
    mask = (rows["product_id"] == product_id) & (rows["metric"] == metric) & (rows["precision"] == precision)
    for column, wanted in (("sparsity", sparsity), ("scope", scope), ("direction", direction)):
        if wanted is not None:
            mask &= rows[column] == wanted
    match = rows[mask]
    if len(match) != 1:
        raise LookupError(
            f"{len(match)} preferred rows for {product_id}/{metric}/{precision} "
            f"(sparsity={sparsity}, scope={scope}, direction={direction}); expected 1"
        )
    return float(match["value_in_metric_unit"].iloc[0])


@dataclass(frozen=True)
class Topology:
    """How a product is counted.

    Attributes
    ----------
    product_id : str
        Product id.
    packages : float
        GPU packages per system or rack [-].
    dies_per_package : float
        Compute dies per package [-].
    marketed_gpus : float
        "GPUs" in the name or marketing (NVLxx) [-].
    """

    product_id: str
    packages: float
    dies_per_package: float
    marketed_gpus: float

    @property
    def dies(self) -> float:
        """Compute dies per system or rack [-]."""
        return self.packages * self.dies_per_package

    @property
    def counts(self) -> str:
        """What the marketed count counts: ``"dies"``, ``"packages"`` or ``"other"``."""
        if np.isclose(self.marketed_gpus, self.packages):
            return "packages"
        if np.isclose(self.marketed_gpus, self.dies):
            return "dies"
        return "other"

    @property
    def count_inflation(self) -> float:
        """Marketed GPUs per package [-]."""
        return self.marketed_gpus / self.packages


def topologies(specs: pd.DataFrame) -> dict[str, Topology]:
    """Packages, dies and marketed "GPUs" of every product that has them.

    Parameters
    ----------
    specs : pandas.DataFrame
        ``data.load("hardware_specs")``: published specs, with ``value_in_metric_unit``.

    Examples
    --------
    >>> t = topologies(data.load("hardware_specs"))["vr-nvl144"]
    >>> (t.packages, t.dies, t.marketed_gpus, t.counts)
    (72.0, 144.0, 144.0, 'dies')
    """
    rows = preferred(specs)
    result = {}
    for product_id, group in rows.groupby("product_id", sort=False):
        values = {}
        for metric, scopes in (
            ("gpu_packages_count", ("per_rack", "per_system")),
            ("compute_dies_count", ("per_package",)),
            ("marketed_gpus_count", ("per_rack", "per_system")),
        ):
            hit = group[(group["metric"] == metric) & group["scope"].isin(scopes)]
            if len(hit):
                values[metric] = float(hit["value_in_metric_unit"].iloc[0])
        if len(values) == 3:
            result[product_id] = Topology(
                product_id, values["gpu_packages_count"], values["compute_dies_count"], values["marketed_gpus_count"]
            )
    return result


def sparsity_ratios(specs: pd.DataFrame) -> pd.DataFrame:
    """Sparse-to-dense ratios wherever a product publishes both figures.

    Parameters
    ----------
    specs : pandas.DataFrame
        ``data.load("hardware_specs")``: published specs, with ``value_in_metric_unit``.

    Returns
    -------
    pandas.DataFrame
        Columns ``product_id, precision, scope, sparse, dense, ratio`` (values
        in the metric's canonical unit, ratio [-]); ``ratio`` is 2 under the
        2:4 rule and about 1.33 for Blackwell Ultra FP4.

    Examples
    --------
    >>> r = sparsity_ratios(data.load("hardware_specs")).set_index(["product_id", "precision", "scope"])
    >>> round(float(r.loc[("gb300-nvl72", "fp4", "per_package"), "ratio"]), 3)
    1.333
    >>> float(r.loc[("gb300-nvl72", "fp8", "per_package"), "ratio"])
    2.0
    """
    rows = preferred(specs)
    rows = rows[rows["metric"].isin(COMPUTE_METRICS)]
    wide = rows.pivot_table(
        index=["product_id", "precision", "scope"], columns="sparsity", values="value_in_metric_unit", aggfunc="first"
    )
    if "sparse" not in wide or "dense" not in wide:
        return pd.DataFrame(columns=["product_id", "precision", "scope", "sparse", "dense", "ratio"])
    wide = wide.dropna(subset=["sparse", "dense"]).reset_index()
    wide["ratio"] = wide["sparse"] / wide["dense"]
    return wide[["product_id", "precision", "scope", "sparse", "dense", "ratio"]].reset_index(drop=True)


def _packages_in_scope(scope: pd.Series, product: pd.Series, topo: dict[str, Topology]) -> np.ndarray:
    # per_package values are divided by 1; per-rack/system totals by their package count;
    # per-die values are multiplied by the dies per package; superchips hold two packages
    out = np.full(len(scope), np.nan)
    for i, (s, p) in enumerate(zip(scope, product)):
        t = topo.get(p)
        if s == "per_package":
            out[i] = 1.0
        elif s == "per_superchip":
            out[i] = 2.0
        elif s in ("per_rack", "per_system") and t is not None:
            out[i] = t.packages
        elif s == "per_die" and t is not None:
            out[i] = 1.0 / t.dies_per_package
    return out


def normalize(specs: pd.DataFrame, rows: str = "preferred") -> pd.DataFrame:
    """Every preferred row on the report's basis: dense, one direction, per package.

    The dense figure of a sparse row is the product's own published ratio for
    that precision where one exists (see :func:`sparsity_ratios`), else the 2:4
    rule (divide by 2), flagged as assumed.

    Parameters
    ----------
    specs : pandas.DataFrame
        ``data.load("hardware_specs")``.
    rows : {"preferred", "all"}
        Normalize only the rows the report uses, or every source's row (to
        show the spread of conflicting sources).

    Returns
    -------
    pandas.DataFrame
        The rows with added columns: ``sparsity_factor``,
        ``direction_factor`` (what the marketed basis multiplies by [-]),
        ``value_normalized`` (dense and one direction, same scope [metric unit]),
        ``packages_in_scope`` [-], ``value_per_package`` [metric unit per package;
        NaN for counts], ``inflation`` (value / value_normalized [-]) and
        ``dense_source`` ("published ratio", "2:4 rule (assumed)" or "").

    Examples
    --------
    >>> n = normalize(data.load("hardware_specs")).set_index("spec_id")
    >>> float(n.loc["h100-sxm.compute_pflop_s.bf16.sparse.per_package.1", "value_normalized"])  # 1979 TFLOP/s
    0.9894
    >>> gb300 = n.loc["gb300-nvl72.compute_pflop_s.fp4.sparse.per_package.1"]
    >>> float(gb300["value"]), float(gb300["value_normalized"]), gb300["dense_source"]
    (20.0, 15.0, 'published ratio')
    >>> float(n.loc["gb200-nvl72.nvlink_bandwidth_tb_s.none.not_applicable.per_package.1", "value_normalized"])
    0.9
    """
    if rows not in ("preferred", "all"):
        raise ValueError(f"rows must be 'preferred' or 'all', not {rows!r}")
    rows = (preferred(specs) if rows == "preferred" else specs).reset_index(drop=True)
    ratios = sparsity_ratios(specs)
    # a product's published ratio holds for every scope of that precision
    ratio_of = ratios.groupby(["product_id", "precision"])["ratio"].first().to_dict()
    is_sparse = (rows["sparsity"] == "sparse").to_numpy()
    published = np.array([ratio_of.get((p, q), np.nan) for p, q in zip(rows["product_id"], rows["precision"])])
    sparsity_factor = np.where(is_sparse, np.where(np.isnan(published), TWO_FOUR_SPARSITY_GAIN, published), 1.0)
    dense_source = np.where(is_sparse, np.where(np.isnan(published), "2:4 rule (assumed)", "published ratio"), "")
    direction_factor = np.where(rows["direction"].to_numpy() == "bidirectional", 2.0, 1.0)
    value = rows["value_in_metric_unit"].to_numpy(dtype=float)
    normalized = value / sparsity_factor / direction_factor
    packages = _packages_in_scope(rows["scope"], rows["product_id"], topologies(specs))
    is_count = rows["metric"].str.endswith("_count").to_numpy()
    out = rows.assign(
        sparsity_factor=sparsity_factor,
        direction_factor=direction_factor,
        dense_source=dense_source,
        value_normalized=np.round(normalized, 6),
        packages_in_scope=packages,
        value_per_package=np.where(is_count, np.nan, np.round(normalized / packages, 6)),
        inflation=np.round(value / normalized, 4),
    )
    return out


def marketed_vs_normalized(specs: pd.DataFrame) -> pd.DataFrame:
    """The headline (as marketed) figures next to their normalized values.

    One row per product, metric, precision and scope that NVIDIA marketed:
    where several headline rows exist (a spec-sheet sparse figure and a keynote
    dense one) the largest is taken as "the figure as marketed".

    Parameters
    ----------
    specs : pandas.DataFrame
        ``data.load("hardware_specs")``: published specs, with ``value_in_metric_unit``.

    Returns
    -------
    pandas.DataFrame
        Columns ``product_id, metric, precision, scope, marketed, marketed_basis,
        normalized, per_package, inflation, dense_source, spec_id``; values in
        the metric's canonical unit.

    Examples
    --------
    >>> t = marketed_vs_normalized(data.load("hardware_specs"))
    >>> row = t.query("product_id == 'gb200-nvl72' and metric == 'nvlink_bandwidth_tb_s' and scope == 'per_package'")
    >>> float(row["marketed"].iloc[0]), float(row["normalized"].iloc[0]), float(row["inflation"].iloc[0])
    (1.8, 0.9, 2.0)
    """
    n = normalize(specs)
    n = n[n["headline"].astype(bool) & ~n["metric"].str.endswith("_count")]
    n = n.sort_values("value_in_metric_unit", ascending=False).drop_duplicates(_KEY + ["scope"])
    basis = np.where(
        n["metric"].isin(COMPUTE_METRICS), n["sparsity"], np.where(n["metric"].isin(LINK_METRICS), n["direction"], "")
    )
    table = pd.DataFrame(
        {
            "product_id": n["product_id"],
            "metric": n["metric"],
            "precision": n["precision"],
            "scope": n["scope"],
            "marketed": n["value_in_metric_unit"],
            "marketed_basis": basis,
            "normalized": n["value_normalized"],
            "per_package": n["value_per_package"],
            "inflation": n["inflation"],
            "dense_source": n["dense_source"],
            "spec_id": n["spec_id"],
        }
    )
    order = {p: i for i, p in enumerate(data.load("products")["product_id"])}
    table = table.assign(_o=table["product_id"].map(order)).sort_values(["_o", "metric", "precision", "scope"])
    return table.drop(columns="_o").reset_index(drop=True)


def gpu_counts(specs: pd.DataFrame) -> pd.DataFrame:
    """Marketed "GPUs", packages and dies of every system and rack (rule 3).

    Parameters
    ----------
    specs : pandas.DataFrame
        ``data.load("hardware_specs")``: published specs, with ``value_in_metric_unit``.

    Returns
    -------
    pandas.DataFrame
        Columns ``product_id, marketed_gpus, packages, dies_per_package, dies,
        counts, count_inflation`` [-].

    Examples
    --------
    >>> g = gpu_counts(data.load("hardware_specs")).set_index("product_id")
    >>> g.loc["rubin-ultra-nvl576", ["marketed_gpus", "packages", "dies", "count_inflation"]].tolist()
    [576.0, 144.0, 576.0, 4.0]
    """
    order = list(data.load("products")["product_id"])
    rows = [
        {
            "product_id": t.product_id,
            "marketed_gpus": t.marketed_gpus,
            "packages": t.packages,
            "dies_per_package": t.dies_per_package,
            "dies": t.dies,
            "counts": t.counts,
            "count_inflation": t.count_inflation,
        }
        for t in sorted(topologies(specs).values(), key=lambda t: order.index(t.product_id))
    ]
    return pd.DataFrame(rows)


def per_gpu_views(specs: pd.DataFrame, precision: str = "fp4") -> pd.DataFrame:
    """Dense rack FLOPs divided by each way of counting a "GPU".

    Parameters
    ----------
    specs : pandas.DataFrame
        ``data.load("hardware_specs")``.
    precision : str
        Number format, e.g. ``"fp4"``.

    Returns
    -------
    pandas.DataFrame
        Columns ``product_id, rack_dense, per_package, per_die, per_marketed_gpu``
        [PFLOP/s] for every rack-scale product with a dense per-rack figure (or
        one derived from its per-package figure).

    Examples
    --------
    >>> v = per_gpu_views(data.load("hardware_specs")).set_index("product_id")
    >>> v.loc["vr-nvl144", ["per_package", "per_die", "per_marketed_gpu"]].round(2).tolist()
    [50.0, 25.0, 25.0]
    """
    n = normalize(specs)
    topo = topologies(specs)
    out = []
    for product_id, t in topo.items():
        hits = n[(n["product_id"] == product_id) & (n["metric"] == "compute_pflop_s") & (n["precision"] == precision)]
        if hits.empty:
            continue
        # prefer a published dense per-package figure; rack totals are rounded on slides
        pkg = hits[(hits["scope"] == "per_package") & (hits["sparsity"] == "dense")]
        pick = pkg if len(pkg) else hits.sort_values("dense_source")
        per_package = float(pick["value_per_package"].iloc[0])
        out.append(
            {
                "product_id": product_id,
                "rack_dense": per_package * t.packages,
                "per_package": per_package,
                "per_die": per_package / t.dies_per_package,
                "per_marketed_gpu": per_package * t.packages / t.marketed_gpus,
            }
        )
    return pd.DataFrame(out)


# --- M4: the keynote's rack multiples on like-for-like bases -----------------


def per_package(specs: pd.DataFrame, product_id: str, metric: str, precision: str = "none") -> tuple[float, float, float]:
    """A product's metric per package on the report's basis: its value and the range of sources.

    Every row of the product's metric (at that precision), whatever its scope,
    sparsity and direction, is brought to dense, one direction, per package
    (:func:`normalize`); the report's value is the preferred per-package row
    where published (dense before sparse), else the preferred row of another
    scope, normalized.

    Parameters
    ----------
    specs : pandas.DataFrame
        ``data.load("hardware_specs")``: published specs, with ``value_in_metric_unit``.
    product_id : str
        Product id (see ``data/products.csv``).
    metric : str
        Metric id of ``hardware_specs``; it ends with its canonical unit.
    precision : str
        Number format: ``fp4``, ``fp8``, ``bf16`` (weights; see :mod:`analysis.models` for the KV cache).

    Returns
    -------
    tuple of float
        ``(value, low, high)`` [metric unit per package].

    Raises
    ------
    LookupError
        If the product has no such metric.

    Examples
    --------
    >>> specs = data.load("hardware_specs")
    >>> per_package(specs, "gb200-nvl72", "compute_pflop_s", "fp4")[0]
    10.0
    >>> per_package(specs, "gb200-nvl72", "nvlink_bandwidth_tb_s")[0]   # one direction
    0.9
    """
    best = per_package_candidates(normalize(specs, rows="all"), product_id, metric, precision)
    values = best["value_per_package"].to_numpy(dtype=float)
    return float(values[0]), float(values.min()), float(values.max())


def per_package_candidates(every: pd.DataFrame, product_id: str, metric: str, precision: str = "none") -> pd.DataFrame:
    """Every source's row of a product's metric, normalized, best first.

    Parameters
    ----------
    every : pandas.DataFrame
        ``normalize(specs, rows="all")`` (computed once by callers that look up many values).
    product_id, metric, precision : str
        What to look up.

    Returns
    -------
    pandas.DataFrame
        Rows with a per-package value, the one the report uses first: preferred
        before not, per-package scope before others, dense before sparse.

    Raises
    ------
    LookupError
        If the product has no such metric.
    """
    hits = every[
        (every["product_id"] == product_id) & (every["metric"] == metric) & (every["precision"] == precision)
    ].dropna(subset=["value_per_package"])
    if hits.empty:
        raise LookupError(f"no {metric} ({precision}) for {product_id}")
    rank = (
        (~hits["preferred"].astype(bool)).astype(int) * 4
        + (hits["scope"] != "per_package").astype(int) * 2
        + (hits["sparsity"] == "sparse").astype(int)
    )
    return hits.assign(_rank=rank.to_numpy()).sort_values(["_rank", "spec_id"]).drop(columns="_rank")


def per_package_dense(specs: pd.DataFrame, product_id: str, precision: str) -> tuple[float, float, float]:
    """Dense FLOPs per package: ``per_package(specs, product_id, "compute_pflop_s", precision)``.

    Parameters
    ----------
    specs : pandas.DataFrame
        ``data.load("hardware_specs")``: published specs, with ``value_in_metric_unit``.
    product_id : str
        Product id (see ``data/products.csv``).
    precision : str
        Number format: ``fp4``, ``fp8``, ``bf16`` (weights; see :mod:`analysis.models` for the KV cache).

    Returns
    -------
    tuple of float
        ``(value, low, high)`` [PFLOP/s per package].

    Examples
    --------
    >>> per_package_dense(data.load("hardware_specs"), "gb200-nvl72", "fp4")[0]
    10.0
    """
    return per_package(specs, product_id, "compute_pflop_s", precision)


def m4_ratios(specs: pd.DataFrame | None = None, figures: pd.DataFrame | None = None) -> pd.DataFrame:
    """The M4 multiples (3.3x, 14x) recomputed on each basis.

    Parameters
    ----------
    specs : pandas.DataFrame, optional
        ``data.load("hardware_specs")`` (loaded if omitted).
    figures : pandas.DataFrame, optional
        ``data.load("claim_figures")`` rows of claim M4 (loaded if omitted).

    Returns
    -------
    pandas.DataFrame
        One row per comparison and basis: ``figure_id, numerator, denominator,
        basis, ratio, ratio_low, ratio_high, claimed`` (ratios [-]); low and high
        span the conflicting sources.

    Examples
    --------
    >>> r = m4_ratios().set_index(["figure_id", "basis"])
    >>> round(float(r.loc[("vr_nvl144_vs_gb300_nvl72", "per rack, FP4 (keynote figures)"), "ratio"]), 2)
    3.27
    >>> round(float(r.loc[("vr_nvl144_vs_gb300_nvl72", "per package, FP4 dense"), "ratio"]), 2)
    3.33
    >>> round(float(r.loc[("rubin_ultra_nvl576_vs_gb300_nvl72", "per package, FP4 dense"), "ratio"]), 2)
    6.67
    """
    specs = data.load("hardware_specs") if specs is None else specs
    figures = data.load("claim_figures") if figures is None else figures
    topo = topologies(specs)
    rows = []

    def add(fig, basis, ratio, low, high):
        rows.append({"figure_id": fig.figure_id, "numerator": fig.numerator_product_id,
                     "denominator": fig.denominator_product_id, "basis": basis, "ratio": ratio,
                     "ratio_low": low, "ratio_high": high, "claimed": float(fig.value)})

    for fig in figures[figures["claim_id"] == "M4"].itertuples(index=False):
        num, den = fig.numerator_product_id, fig.denominator_product_id
        tn, td = topo[num], topo[den]
        for precision in ("fp4", "fp8"):
            (vn, ln, hn), (vd, ld, hd) = rack_dense(specs, num, precision), rack_dense(specs, den, precision)
            add(fig, f"per rack, {precision.upper()} (keynote figures)", vn / vd, ln / hd, hn / ld)
        (vn, ln, hn), (vd, ld, hd) = per_package_dense(specs, num, "fp4"), per_package_dense(specs, den, "fp4")
        scales = {
            "per package, FP4 dense": (1.0, 1.0),
            "per die, FP4 dense": (1 / tn.dies_per_package, 1 / td.dies_per_package),
            "per marketed GPU, FP4 dense": (tn.packages / tn.marketed_gpus, td.packages / td.marketed_gpus),
        }
        for basis, (scale_n, scale_d) in scales.items():
            add(fig, basis, (vn * scale_n) / (vd * scale_d), (ln * scale_n) / (hd * scale_d),
                (hn * scale_n) / (ld * scale_d))
        power_n, power_d = _rack_power_kw(specs, num), _rack_power_kw(specs, den)
        if power_n is not None and power_d is not None:
            (rn, _, _), (rd, _, _) = rack_dense(specs, num, "fp4"), rack_dense(specs, den, "fp4")
            ratio = (rn / power_n) / (rd / power_d)
            add(fig, "per kW of rack power, FP4 (keynote figures)", ratio, ratio, ratio)
    return pd.DataFrame(rows)


def rack_dense(specs: pd.DataFrame, product_id: str, precision: str) -> tuple[float, float, float]:
    """Dense FLOPs of a whole rack as published (keynote slides, product pages).

    Falls back to the per-package value times the packages where no rack figure
    is published.

    Parameters
    ----------
    specs : pandas.DataFrame
        ``data.load("hardware_specs")``: published specs, with ``value_in_metric_unit``.
    product_id : str
        Product id (see ``data/products.csv``).
    precision : str
        Number format: ``fp4``, ``fp8``, ``bf16`` (weights; see :mod:`analysis.models` for the KV cache).

    Returns
    -------
    tuple of float
        ``(value, low, high)`` [PFLOP/s per rack].

    Examples
    --------
    >>> rack_dense(data.load("hardware_specs"), "gb300-nvl72", "fp4")
    (1100.0, 1080.0, 1100.0)
    """
    hits = specs[(specs["product_id"] == product_id) & (specs["metric"] == "compute_pflop_s")
                 & (specs["precision"] == precision) & (specs["scope"] == "per_rack")
                 & (specs["sparsity"] == "dense")]
    if hits.empty:
        value, low, high = per_package_dense(specs, product_id, precision)
        packages = topologies(specs)[product_id].packages
        return value * packages, low * packages, high * packages
    values = hits["value_in_metric_unit"].to_numpy(dtype=float)
    value = float(hits.loc[hits["preferred"].astype(bool), "value_in_metric_unit"].iloc[0])
    return value, float(values.min()), float(values.max())


def _rack_power_kw(specs: pd.DataFrame, product_id: str) -> float | None:
    rows = preferred(specs)
    hit = rows[(rows["product_id"] == product_id) & (rows["metric"] == "power_kw") & (rows["scope"] == "per_rack")]
    return float(hit["value_in_metric_unit"].iloc[0]) if len(hit) else None


# --- verdicts M1 to M4 ---------------------------------------------------------


def verdict_m1():
    """M1: headline FLOPs carry 2:4 sparsity; dense is what workloads get.

    Rule: supported if at least three quarters of the per-package headline
    FLOPs figures are quoted sparse; partly supported from a quarter; else
    contradicted.  The exceptions (a published sparse:dense ratio other than 2)
    are listed as evidence.
    """
    specs = data.load("hardware_specs")
    rows = preferred(specs)
    headline = rows[rows["headline"].astype(bool) & rows["metric"].isin(COMPUTE_METRICS)
                    & rows["precision"].isin(SPARSE_CAPABLE)]
    per_package = headline[headline["scope"] == "per_package"]
    share_sparse = float((per_package["sparsity"] == "sparse").mean())
    rack = headline[headline["scope"] == "per_rack"]
    ratios = sparsity_ratios(specs)
    ratios = ratios[ratios["scope"] == "per_package"]
    exceptions = ratios[~np.isclose(ratios["ratio"], 2.0, rtol=0.01)]
    evidence = [
        claims.Evidence("per-package headline FLOPs figures", len(per_package), "-"),
        claims.Evidence("share of them quoted with 2:4 sparsity", share_sparse, "-"),
        claims.Evidence("published sparse:dense pairs (per package)", len(ratios), "-"),
        claims.Evidence("pairs with a ratio of 2", int(len(ratios) - len(exceptions)), "-"),
    ]
    evidence += [
        claims.Evidence(f"sparse:dense ratio, {e.product_id} {e.precision}", float(e.ratio), "x")
        for e in exceptions.itertuples()
    ]
    evidence.append(claims.Evidence("share of per-rack keynote/product headline FLOPs quoted sparse",
                               float((rack["sparsity"] == "sparse").mean()) if len(rack) else float("nan"), "-"))
    if share_sparse >= 0.75:
        verdict = claims.Verdict.SUPPORTED
    elif share_sparse >= 0.25:
        verdict = claims.Verdict.PARTLY
    else:
        verdict = claims.Verdict.CONTRADICTED
    exc = ", ".join(f"{e.product_id} {e.precision.upper()} {e.ratio:.2f}x" for e in exceptions.itertuples())
    summary = (
        f"{share_sparse:.0%} of per-package headline FLOPs are quoted with 2:4 sparsity, which doubles them; "
        f"the exceptions, where the sparse figure is not twice the dense one: {exc or 'none'}."
    )
    return claims.ClaimResult(
        "M1",
        verdict,
        summary,
        tuple(evidence),
        assumptions=(
            "Production LLM inference kernels do not exploit 2:4 structured sparsity, so dense peak is the relevant "
            "ceiling (no public serving benchmark reports a sparse speed-up).",
            "Where only a sparse figure is published, dense is taken as half of it (NVIDIA's own footnote).",
        ),
        would_change=(
            "Widely used inference stacks shipping 2:4-sparse models at equal quality would make sparse peaks "
            "relevant and the 2x an actual gain.",
        ),
    )


def verdict_m2():
    """M2: NVLink is quoted bidirectionally (1.8 TB/s is 0.9 TB/s each way).

    Rule: supported if every headline NVLink figure is bidirectional and the
    rack totals equal packages times the per-package figure within 2%.
    """
    specs = data.load("hardware_specs")
    rows = preferred(specs)
    topo = topologies(specs)
    nvlink = rows[(rows["metric"] == "nvlink_bandwidth_tb_s") & rows["headline"].astype(bool)]
    share_bi = float((nvlink["direction"] == "bidirectional").mean())
    checks = []
    for product_id, group in nvlink.groupby("product_id"):
        pkg = group[group["scope"] == "per_package"]
        rack = group[group["scope"] == "per_rack"]
        if len(pkg) and len(rack) and product_id in topo:
            expected = float(pkg["value_in_metric_unit"].iloc[0]) * topo[product_id].packages
            checks.append((product_id, float(rack["value_in_metric_unit"].iloc[0]) / expected))
    nic = rows[(rows["metric"] == "nic_bandwidth_tb_s") & rows["headline"].astype(bool)]
    nic_uni = float((nic["direction"] == "unidirectional").mean()) if len(nic) else float("nan")
    nvlink5 = spec_value(specs, "gb200-nvl72", "nvlink_bandwidth_tb_s", scope="per_package", direction="bidirectional")
    evidence = [
        claims.Evidence("headline NVLink figures", len(nvlink), "-"),
        claims.Evidence("share quoted bidirectionally", share_bi, "-"),
        claims.Evidence("NVLink 5 per GPU as marketed", nvlink5, "TB/s"),
        claims.Evidence("NVLink 5 per GPU, one direction", one_direction(nvlink5, "bidirectional"), "TB/s"),
    ]
    evidence += [claims.Evidence(f"{p}: rack NVLink / (packages x per-package)", r, "x") for p, r in checks]
    evidence.append(claims.Evidence("share of headline NIC figures quoted one direction (network convention)", nic_uni, "-"))
    consistent = all(abs(r - 1) <= 0.02 for _, r in checks)
    verdict = claims.Verdict.SUPPORTED if share_bi == 1.0 and consistent else claims.Verdict.PARTLY
    summary = (
        f"{share_bi:.0%} of headline NVLink figures sum both directions: NVLink 5's {nvlink5:g} TB/s is "
        f"{one_direction(nvlink5, 'bidirectional'):g} TB/s each way; rack totals are packages x the per-GPU "
        f"bidirectional figure ({'consistent' if consistent else 'inconsistent'} within 2%). Only "
        f"{nic_uni:.0%} of headline NIC figures use the network convention of one direction: rack and system "
        "NIC totals are summed both ways too."
    )
    return claims.ClaimResult(
        "M2",
        verdict,
        summary,
        tuple(evidence),
        assumptions=("Links are symmetric (equal bandwidth each way), as NVLink and Ethernet/InfiniBand are.",),
        would_change=("A headline NVLink figure stated as one-direction would make the rule inconsistent.",),
    )


def verdict_m3():
    """M3: from Rubin on a "GPU" is a die; VR NVL144 is 72 packages, NVL576 is 144.

    Rule: supported if the Rubin racks' marketed counts equal their dies and
    their packages are 72 and 144, and Blackwell racks count packages;
    partly supported if NVIDIA later named a Rubin rack by packages again.
    """
    specs = data.load("hardware_specs")
    counts = gpu_counts(specs).set_index("product_id")
    products = data.load("products").set_index("product_id")
    names = data.load("product_names")
    rubin = [p for p in counts.index if products.at[p, "architecture"] in ("Rubin", "Rubin Ultra")]
    blackwell_racks = [p for p in counts.index if products.at[p, "architecture"].startswith("Blackwell")
                       and products.at[p, "form_factor"] == "nvl_rack"]
    evidence = [claims.Evidence(f"{p}: marketed GPUs / packages / dies",
                           counts.at[p, "count_inflation"], "x") for p in counts.index]
    evidence += [
        claims.Evidence("VR NVL144 packages", counts.at["vr-nvl144", "packages"], "-"),
        claims.Evidence("Rubin Ultra NVL576 packages", counts.at["rubin-ultra-nvl576", "packages"], "-"),
    ]
    rubin_dies = all(counts.at[p, "counts"] == "dies" for p in rubin)
    blackwell_packages = all(counts.at[p, "counts"] == "packages" for p in blackwell_racks)
    packages_ok = counts.at["vr-nvl144", "packages"] == 72 and counts.at["rubin-ultra-nvl576", "packages"] == 144
    renamed = names[names["product_id"].isin(rubin) & (names["counts"] == "packages")]
    if not (rubin_dies and packages_ok):
        verdict = claims.Verdict.CONTRADICTED
    elif len(renamed):
        verdict = claims.Verdict.PARTLY
    else:
        verdict = claims.Verdict.SUPPORTED
    later = "; ".join(f"{r.product_id} renamed '{r.name}' ({r.used_from})" for r in renamed.itertuples())
    summary = (
        f"At GTC 2025 the Rubin racks counted dies: VR NVL144 is {counts.at['vr-nvl144', 'packages']:.0f} packages "
        f"and Rubin Ultra NVL576 {counts.at['rubin-ultra-nvl576', 'packages']:.0f}, while Blackwell NVL72 racks "
        f"counted packages{' (as did every Blackwell rack)' if blackwell_packages else ''}. "
        + (f"The rule did not last: {later}." if later else "")
    )
    return claims.ClaimResult(
        "M3",
        verdict,
        summary,
        tuple(evidence),
        assumptions=("Package and die counts are NVIDIA's and SemiAnalysis' descriptions of unreleased racks.",),
        would_change=("A shipping Rubin Ultra rack with a different package count, or NVL576 renamed by packages.",),
    )


def verdict_m4():
    """M4: VR NVL144 is 3.3x GB300 NVL72 and Rubin Ultra NVL576 14x.

    Rule: contradicted if the per-rack ratio on the keynote's own (dense FP4)
    basis is more than 10% off the claim; supported only on a normalized basis
    if it matches but a like-for-like per-package ratio is below 80% of the
    claim for any of the two; else supported.
    """
    ratios = m4_ratios()
    evidence, as_marketed_ok, like_for_like_ok = [], True, True
    parts = []
    for fig_id, group in ratios.groupby("figure_id", sort=False):
        g = group.set_index("basis")
        claimed = float(g["claimed"].iloc[0])
        rack = float(g.at["per rack, FP4 (keynote figures)", "ratio"])
        package = float(g.at["per package, FP4 dense", "ratio"])
        die = float(g.at["per die, FP4 dense", "ratio"])
        as_marketed_ok &= abs(rack / claimed - 1) <= 0.10
        like_for_like_ok &= package >= 0.8 * claimed
        name = g["numerator"].iloc[0]
        evidence += [
            claims.Evidence(f"{name}: claimed multiple", claimed, "x"),
            claims.Evidence(f"{name}: per rack, FP4 (keynote figures)", rack, "x"),
            claims.Evidence(f"{name}: per rack, FP8 (keynote figures)", float(g.at["per rack, FP8 (keynote figures)", "ratio"]), "x"),
            claims.Evidence(f"{name}: per package, FP4 dense", package, "x"),
            claims.Evidence(f"{name}: per package, FP4 dense, lowest source", float(g.at["per package, FP4 dense", "ratio_low"]), "x"),
            claims.Evidence(f"{name}: per die, FP4 dense", die, "x"),
        ]
        if "per kW of rack power, FP4 (keynote figures)" in g.index:
            kw = float(g.at["per kW of rack power, FP4 (keynote figures)", "ratio"])
            evidence.append(claims.Evidence(f"{name}: per kW of rack power, FP4", kw, "x"))
        parts.append(f"{name} {claimed:g}x: {rack:.1f}x per rack, {package:.1f}x per package, {die:.1f}x per die")
    if not as_marketed_ok:
        verdict = claims.Verdict.CONTRADICTED
    elif not like_for_like_ok:
        verdict = claims.Verdict.NORMALIZED_ONLY
    else:
        verdict = claims.Verdict.SUPPORTED
    vr_low = float(ratios.set_index(["figure_id", "basis"]).loc[("vr_nvl144_vs_gb300_nvl72", "per package, FP4 dense"), "ratio_low"])
    specs = data.load("hardware_specs")
    rubin = per_package_dense(specs, "vr-nvl144", "fp4")
    ultra = per_package_dense(specs, "rubin-ultra-nvl576", "fp4")
    ultra_packages = topologies(specs)["rubin-ultra-nvl576"].packages
    rack_basis = "per rack, FP4 (keynote figures)"
    ultra_claim = ratios[(ratios["numerator"] == "rubin-ultra-nvl576") & (ratios["basis"] == rack_basis)].iloc[0]
    summary = "; ".join(parts) + ". The rack multiples hold as marketed; what they hide is package count and power."
    return claims.ClaimResult(
        "M4",
        verdict,
        summary,
        tuple(evidence),
        assumptions=(
            f"Rubin's {rubin[0]:g} PFLOP/s and Rubin Ultra's {ultra[0]:g} PFLOP/s FP4 per package are dense, as "
            f"SemiAnalysis reports; NVIDIA's 2026 figures put Rubin's FP4 between {rubin[1]:g} ('training') and "
            f"{rubin[2]:g} ('inference') PFLOP/s.",
            "GB300 NVL72 is taken at its keynote dense FP4 (the basis of the claim).",
        ),
        would_change=(
            f"If Rubin's dense FP4 is NVIDIA's 2026 'training' figure, VR NVL144 falls to {vr_low:.1f}x GB300 NVL72.",
            f"A Rubin Ultra rack with fewer than {ultra_packages:.0f} packages would lower the "
            f"{ultra_claim['claimed']:g}x proportionally.",
        ),
    )


# --- figures -------------------------------------------------------------------


def _quantity_label(metric: str, precision: str) -> str:
    if metric in COMPUTE_METRICS:
        return f"{precision.upper().replace('_TENSOR', ' tensor')} FLOPs"
    return {"nvlink_bandwidth_tb_s": "NVLink bandwidth", "nic_bandwidth_tb_s": "NIC bandwidth"}.get(metric, metric)


def inflation_table(specs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Inflation factors of the per-package and per-rack headline figures.

    Parameters
    ----------
    specs : pandas.DataFrame
        ``data.load("hardware_specs")``: published specs, with ``value_in_metric_unit``.

    Returns
    -------
    pandas.DataFrame
        ``product, quantity, scope, marketed, normalized, inflation_factor,
        dense_source, spec_id``; FLOPs [PFLOP/s], bandwidths [TB/s],
        factor [-], for FP4/FP8/BF16 FLOPs and NVLink.
    """
    specs = data.load("hardware_specs") if specs is None else specs
    table = marketed_vs_normalized(specs)
    keep = table["metric"].eq("nvlink_bandwidth_tb_s") | (
        table["metric"].eq("compute_pflop_s") & table["precision"].isin(["fp4", "fp8", "bf16"])
    )
    table = table[keep & table["scope"].isin(["per_package", "per_rack"])]
    names = data.product_names()
    return pd.DataFrame(
        {
            "product": table["product_id"].map(names),
            "quantity": [_quantity_label(m, p) for m, p in zip(table["metric"], table["precision"])],
            "scope": table["scope"].str.replace("_", " "),
            "marketed": table["marketed"],
            "normalized": table["normalized"],
            "inflation_factor": table["inflation"],
            "dense_source": table["dense_source"],
            "spec_id": table["spec_id"],
        }
    ).reset_index(drop=True)


def inflation_figure():
    """fig-jensen-inflation: inflation factor by product and quantity."""
    import altair as alt

    from analysis.figures import SOURCE_COLUMNS, FigureData, spec_sources, themed

    specs = data.load("hardware_specs")
    table = inflation_table(specs)
    order = [n for n in data.product_names().values() if n in set(table["product"])]
    table = table.assign(column=table["quantity"].str.replace(" bandwidth", "") + ", " + table["scope"].str.replace("per ", ""))
    columns = sorted(set(table["column"]), key=lambda c: (c.endswith("rack"), c))  # packages first, then racks
    base = alt.Chart(table).encode(
        x=alt.X("column:N", sort=columns, title=None, axis=alt.Axis(labelAngle=-30, orient="top", labelLimit=200)),
        y=alt.Y("product:N", sort=order, title=None),
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("inflation_factor:Q", title="Marketed / normalized [x]",
                        scale=alt.Scale(domain=[1, 2], range=["#f7f7f7", "#0072B2"])),
        tooltip=["product", "quantity", "scope", "marketed", "normalized", "inflation_factor", "dense_source"],
    )
    labels = base.mark_text(fontSize=12).encode(
        text=alt.Text("inflation_factor:Q", format=".2f"),
        color=alt.condition("datum.inflation_factor > 1.6", alt.value("white"), alt.value("black")),
    )
    chart = (cells + labels).properties(title="Marketed over normalized (dense, one direction), by product and figure")
    return FigureData(themed(chart, width=400, height=300), table.drop(columns="column"), spec_sources(specs, table["spec_id"]))


def per_gpu_table(specs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Dense FP4 per package, per die and per marketed GPU, in long form.

    Parameters
    ----------
    specs : pandas.DataFrame
        ``data.load("hardware_specs")``: published specs, with ``value_in_metric_unit``.

    Returns
    -------
    pandas.DataFrame
        ``product, product_id, counting, dense_fp4_pflop_s`` [PFLOP/s per counted unit].
    """
    specs = data.load("hardware_specs") if specs is None else specs
    products = data.load("products").set_index("product_id")
    views = per_gpu_views(specs)
    views = views[views["product_id"].map(products["form_factor"]) == "nvl_rack"]
    long = views.melt(
        id_vars="product_id",
        value_vars=["per_package", "per_die", "per_marketed_gpu"],
        var_name="counting",
        value_name="dense_fp4_pflop_s",
    )
    long["counting"] = long["counting"].map(
        {"per_package": "per package", "per_die": "per compute die", "per_marketed_gpu": "per 'GPU' as marketed"}
    )
    long.insert(0, "product", long["product_id"].map(products["name"]))
    return long.reset_index(drop=True)


def per_gpu_figure():
    """fig-jensen-per-gpu: dense FP4 per 'GPU' under three counting rules."""
    import altair as alt

    from analysis.figures import SOURCE_COLUMNS, FigureData, spec_sources, themed

    specs = data.load("hardware_specs")
    table = per_gpu_table(specs)
    order = [n for n in data.product_names().values() if n in set(table["product"])]
    chart = (
        alt.Chart(table)
        .mark_line(point=alt.OverlayMarkDef(size=70))
        .encode(
            x=alt.X("product:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelLimit=140)),
            y=alt.Y("dense_fp4_pflop_s:Q", title="Dense FP4 per counted unit [PFLOP/s]", scale=alt.Scale(type="log")),
            color=alt.Color("counting:N", title="Counting a 'GPU' as"),
            tooltip=["product", "counting", alt.Tooltip("dense_fp4_pflop_s:Q", format=".2f")],
        )
        .properties(title="Per-'GPU' growth depends on what a GPU is")
    )
    rows = preferred(specs)
    plotted = set(table["product_id"])
    used = rows[rows["product_id"].isin(plotted) & rows["metric"].isin(
        ["compute_pflop_s", "gpu_packages_count", "compute_dies_count", "marketed_gpus_count"])]
    used = used[(used["metric"] != "compute_pflop_s") | (used["precision"] == "fp4")]
    return FigureData(themed(chart), table, spec_sources(specs, used["spec_id"]))


def m4_figure():
    """fig-jensen-m4-ratios: the 3.3x and 14x claims on several bases."""
    import altair as alt

    from analysis.figures import SOURCE_COLUMNS, FigureData, spec_sources, themed

    specs = data.load("hardware_specs")
    ratios = m4_ratios(specs)
    names = data.product_names()
    table = ratios.assign(
        comparison=ratios["numerator"].map(names) + " vs " + ratios["denominator"].map(names)
    )[["comparison", "basis", "ratio", "ratio_low", "ratio_high", "claimed"]]
    base = alt.Chart().encode(
        y=alt.Y("basis:N", title=None, sort=list(dict.fromkeys(table["basis"])), axis=alt.Axis(labelLimit=320))
    )
    bars = base.mark_bar(color="#0072B2").encode(
        x=alt.X("ratio:Q", title="Multiple of GB300 NVL72 [x]"),
        tooltip=["comparison", "basis", alt.Tooltip("ratio:Q", format=".2f"), "ratio_low", "ratio_high", "claimed"],
    )
    whiskers = base.mark_rule(color="#000000").encode(x="ratio_low:Q", x2="ratio_high:Q")
    claimed = alt.Chart().mark_rule(color="#D55E00", strokeDash=[6, 3], size=2).encode(x="mean(claimed):Q")
    chart = (
        alt.layer(bars, whiskers, claimed, data=table)
        .properties(width=300, height=200)
        .facet(row=alt.Row("comparison:N", title=None, header=alt.Header(labelFontSize=13, labelOrient="top")))
        .resolve_scale(y="independent")
        .properties(title="Keynote multiples (dashed) vs like-for-like ratios; whiskers span the sources")
    )
    used = specs[specs["product_id"].isin(set(ratios["numerator"]) | set(ratios["denominator"]))]
    used = used[used["metric"].isin(["compute_pflop_s", "gpu_packages_count", "compute_dies_count",
                                     "marketed_gpus_count", "power_kw"])]
    claim_sources = data.load("claim_figures")
    sources = pd.concat([spec_sources(specs, used["spec_id"]), claim_sources[SOURCE_COLUMNS]])
    return FigureData(themed(chart, width=None, height=None), table, sources)


def conflicts(specs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Groups where sources disagree, with every value and the one the report uses.

    Parameters
    ----------
    specs : pandas.DataFrame
        ``data.load("hardware_specs")``: published specs, with ``value_in_metric_unit``.

    Returns
    -------
    pandas.DataFrame
        ``product_id, metric, precision, sparsity, scope, values, used, source_used,
        why`` with ``values`` the published values (metric unit) joined by " vs ".
    """
    specs = data.load("hardware_specs") if specs is None else specs
    group = ["product_id", "metric", "precision", "sparsity", "direction", "scope"]
    out = []
    for key, rows in specs.groupby(group, sort=False):
        values = rows["value_in_metric_unit"].round(6)
        if values.nunique() < 2:
            continue
        used = rows[rows["preferred"].astype(bool)].iloc[0]
        out.append(
            dict(zip(group, key))
            | {
                "values": " vs ".join(f"{v:g}" for v in values),
                "used": float(used["value_in_metric_unit"]),
                "source_used": used["source_title"],
                "why": used["quote"],
            }
        )
    return pd.DataFrame(out).drop(columns="direction")
