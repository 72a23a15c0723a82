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

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import data

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
    # callers look up many values one by one (per_package): cache on the table's content
    return _normalize_cached(_ContentKey(specs), rows).copy()


class _ContentKey:
    """A table hashed and compared by its content, so that ``functools.lru_cache`` can key on it."""

    __slots__ = ("frame", "_hash")

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        content = pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()
        self._hash = hash((tuple(frame.columns), content))

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other) -> bool:
        return isinstance(other, _ContentKey) and self._hash == other._hash and self.frame.equals(other.frame)


@functools.lru_cache(maxsize=16)
def _normalize_cached(key: _ContentKey, rows: str) -> pd.DataFrame:
    specs = key.frame
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


# --- conflicting sources -------------------------------------------------------


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
