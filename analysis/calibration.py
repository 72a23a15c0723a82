"""Fit the performance model's global parameters, bootstrap them, and measure the model's error out of sample.

Two kinds of measurement are fitted together:

* **NVIDIA's serving sweeps** (``data/serving_sweeps.csv``, aggregated rows:
  H100, B200 and GB200; concurrency 1 to thousands; measured TTFT and TPOT).
  Each row is predicted at its own recorded layout and engine.  An attention
  TP that does not divide the model's heads cannot run as recorded; such rows
  (DeepSeek on GB200 "tp 36") are read as attention data parallel over the same
  GPUs, which is also the only reading whose KV cache holds their concurrency.
* **MLPerf Inference v5.1** (``data/mlperf_v51.csv``, throughput-maximized):
  the layout is the model's own best choice, never the submitter's; Offline
  runs at the KV limit, Server and Interactive at the measured concurrency
  by Little's law.

The loss is a robust (soft-L1) weighted sum of log errors: TPOT and, at a
lower weight, TTFT of the sweeps; tokens/s per GPU and TPOT of MLPerf.  Each
group of points (dataset, hardware, model, engine, weight format) is weighted
by one over the square root of its size, so that no single sweep dominates,
and MLPerf carries :data:`MLPERF_SHARE` of the total weight.  The fit is
``scipy.optimize.least_squares`` in log-parameter space within the physical
bounds of ``data/perf_bounds.csv``, from several seeded starts.

Uncertainty: a seeded bootstrap over configuration groups (resampling whole
groups with replacement and refitting) gives the parameter draws; refits that
leave out each hardware (and each model) give the out-of-sample errors, by
concurrency regime, and the quantiles that widen every prediction interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import data, models, perf, systems

#: Concurrency regimes of the error tables: label -> (lowest, highest) concurrency [-].
REGIMES = {"1-8": (1, 8), "16-64": (9, 64), "128+": (65, np.inf)}

#: Weight of a TTFT error relative to a TPOT error of the same point [-].
TTFT_WEIGHT = 0.5

#: Share of the total loss weight carried by the MLPerf points [-].
MLPERF_SHARE = 0.25

#: Scale of the soft-L1 loss: log errors beyond it count linearly, not squared [-].
ROBUST_SCALE = 0.2

#: Log error given to a point the model calls infeasible (a factor of 10) [-].
INFEASIBLE_LOG_ERROR = float(np.log(10.0))

#: Seeded starts of a full fit, and of each refit (bootstrap draws, held-out fits) [-].
STARTS, REFIT_STARTS = 8, 2

#: Bootstrap draws stored in ``data/perf_bootstrap.csv`` and their seed [-].
BOOTSTRAP_DRAWS, BOOTSTRAP_SEED = 40, 20251202

#: Parameters searched in log space (all but the burst share, which may be 0).
_LINEAR = {"ttft_burst"}


# --- the points --------------------------------------------------------------------------------


def regime_of(concurrency) -> np.ndarray:
    """The :data:`REGIMES` label of each concurrency ("max" and unknown: "128+").

    Parameters
    ----------
    concurrency : array_like
        Requests in flight [-]; -1 for "max".

    Examples
    --------
    >>> regime_of([1, 8, 16, 64, 128, -1]).tolist()
    ['1-8', '1-8', '16-64', '16-64', '128+', '128+']
    """
    c = np.asarray(concurrency, dtype=float)
    out = np.full(c.shape, "128+", dtype=object)
    for label, (lo, hi) in REGIMES.items():
        out[(c >= lo) & (c <= hi)] = label
    return out


def sweep_points(mode: str = "agg") -> pd.DataFrame:
    """The serving-sweep rows of one mode, with the layout the model runs.

    Parameters
    ----------
    mode : {"agg", "disagg"}
        Aggregated or disaggregated rows [-].

    Returns
    -------
    pandas.DataFrame
        ``data.load("serving_sweeps")`` rows plus ``tp, dp, moe_tp, moe_ep`` [-]
        (agg), ``gpus`` [-], ``isl, osl`` [tokens], ``measured_tpot_s,
        measured_ttft_s`` [s], ``measured_tokens_per_s_per_gpu`` [tokens/s], ``regime``.
    """
    rows = data.load("serving_sweeps")
    rows = rows[rows["mode"] == mode].reset_index(drop=True)
    catalog = models.catalog()
    heads = rows["model_id"].map(lambda m: catalog[m].n_heads).astype(int)
    moe = rows["model_id"].map(lambda m: catalog[m].is_moe).astype(bool)
    out = rows.assign(measured_tpot_s=rows["tpot_ms"].astype(float) / 1e3,
                      measured_ttft_s=rows["ttft_ms"].astype(float) / 1e3,
                      regime=regime_of(rows["concurrency"].astype(float)))
    if mode == "agg":
        tp = rows["tp_size"].fillna(1).clip(lower=1).astype(int)
        dp = rows["attention_dp_size"].fillna(1).clip(lower=1).astype(int)
        tp, dp = (pd.Series(x, index=rows.index) for x in perf.engine_attention(heads, tp, dp))
        gpus = tp * dp
        ep = rows["moe_ep_size"].fillna(1).clip(lower=1).astype(int).where(moe, 1)
        out = out.assign(tp=tp, dp=dp, moe_ep=ep, moe_tp=(gpus // ep).where(moe, tp), gpus=gpus)
    else:
        out["gpus"] = (rows["prefill_num_workers"] * rows["prefill_tp_size"]
                       * rows["prefill_attention_dp_size"].fillna(1).clip(lower=1)
                       + rows["decode_num_workers"] * rows["decode_tp_size"]
                       * rows["decode_attention_dp_size"].fillna(1).clip(lower=1)).astype(float)  # NaN: no counts
    out["measured_tokens_per_s_per_gpu"] = (out["concurrency"].astype(float) * out["osl"]
                                            / (out["measured_ttft_s"] + (out["osl"] - 1) * out["measured_tpot_s"])
                                            / out["gpus"])
    return out


def mlperf_points() -> pd.DataFrame:
    """The MLPerf results with the inputs the model needs.

    Returns
    -------
    pandas.DataFrame
        ``data.load("mlperf_v51")`` plus ``isl, osl`` [tokens], ``concurrency`` [-]
        (-1 = max), ``regime``, ``measured_tpot_s`` [s].
    """
    points = data.load("mlperf_v51")
    workloads = data.load("mlperf_workloads").set_index("benchmark")
    points = points.assign(
        isl=points["benchmark"].map(workloads["mean_input_tokens"]).astype(float),
        osl=points["mean_osl_tokens"].astype(float),
        measured_tpot_s=points["tpot_mean_ms"].astype(float) / 1e3,
    )
    latency = (points["ttft_mean_ms"] + (points["osl"] - 1.0) * points["tpot_mean_ms"]) / 1e3
    little = (points["samples_per_s"] * latency).astype(float)
    points["concurrency"] = np.where(points["scenario"] == "Offline", -1.0, np.round(little.fillna(-1.0)))
    points["regime"] = regime_of(points["concurrency"])
    return points.reset_index(drop=True)


# --- the calibration set ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CalibrationSet:
    """Every point to fit, expanded into arrays once (no parameters needed).

    Attributes
    ----------
    points : pandas.DataFrame
        One row per point: ``dataset`` ("sweeps" or "mlperf"), ``hardware, model_id,
        backend, precision``, the measurements and ``weight`` (its share of the loss) [-].
    arrays : dict
        Model and hardware constants, layout, engine and concurrency of every
        (point, candidate layout) row, and ``point`` (its point) [mixed].
    starts : numpy.ndarray
        Index of each point's first row in ``arrays`` (points' rows are contiguous).
    """

    points: pd.DataFrame
    arrays: dict
    starts: np.ndarray


def _block(m, precision, h, isl, osl, grid, backend, concurrency, point) -> dict:
    k = len(grid)
    c = perf.constants(m, precision, h, isl, osl)
    block = {key: np.broadcast_to(np.asarray(v, dtype=float), (k,)).copy() for key, v in c.items()}
    block.update(tp=grid[:, 0].astype(float), dp=grid[:, 1].astype(float), moe_tp=grid[:, 2].astype(float),
                 moe_ep=grid[:, 3].astype(float), backend=np.full(k, backend, dtype=float),
                 concurrency=np.full(k, concurrency, dtype=float), point=np.full(k, point, dtype=float))
    return block


def calibration_set(sweeps: pd.DataFrame | None = None, mlperf: pd.DataFrame | None = None) -> CalibrationSet:
    """The sweep and MLPerf points as one set of arrays.

    Parameters
    ----------
    sweeps : pandas.DataFrame, optional
        Rows of :func:`sweep_points` (default: all aggregated rows); empty for none.
    mlperf : pandas.DataFrame, optional
        Rows of :func:`mlperf_points` (default: all); empty for none.

    Returns
    -------
    CalibrationSet
    """
    sweeps = sweep_points() if sweeps is None else sweeps
    mlperf = mlperf_points() if mlperf is None else mlperf
    catalog = models.catalog()
    parts, starts, n = [], [], 0
    for row in sweeps.itertuples(index=False):
        grid = np.array([[row.tp, row.dp, row.moe_tp, row.moe_ep]])
        parts.append(_block(catalog[row.model_id], row.precision, systems.get(row.hardware), row.isl, row.osl, grid,
                            perf.BACKENDS.index(row.backend), row.concurrency, len(starts)))
        starts.append(n)
        n += 1
    for row in mlperf.itertuples(index=False):
        h, m = systems.get(row.hardware), catalog[row.model_id]
        grid = perf.layouts(h, m, int(row.num_gpus))
        parts.append(_block(m, row.precision, h, row.isl, row.osl, grid, 0, row.concurrency, len(starts)))
        starts.append(n)
        n += len(grid)
    keep = ["dataset", "hardware", "model_id", "backend", "precision", "isl", "osl", "concurrency", "regime",
            "measured_tpot_s", "measured_ttft_s", "measured_tokens_per_s_per_gpu", "tp", "dp", "moe_tp", "moe_ep",
            "point_id", "result_id", "scenario", "num_gpus"]
    sweep_part = sweeps.assign(dataset="sweeps")
    mlperf_part = mlperf.assign(dataset="mlperf", backend=perf.DEFAULT_BACKEND, measured_ttft_s=np.nan,
                                measured_tokens_per_s_per_gpu=mlperf["tokens_per_s_per_gpu"].astype(float))
    points = pd.concat([f[[k for k in keep if k in f]] for f in (sweep_part, mlperf_part) if len(f)],
                       ignore_index=True)
    points["weight"] = _weights(points)
    arrays = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    return CalibrationSet(points, arrays, np.array(starts))


def _weights(points: pd.DataFrame) -> np.ndarray:
    # 1 / sqrt(group size), then each dataset scaled to its share of the total
    group = points.groupby(["dataset", "hardware", "model_id", "backend", "precision"])["dataset"].transform("size")
    w = 1.0 / np.sqrt(group.to_numpy(dtype=float))
    shares = {"sweeps": 1.0 - MLPERF_SHARE, "mlperf": MLPERF_SHARE}
    present = points["dataset"].unique()
    total = sum(shares[d] for d in present)
    for d in present:
        mask = (points["dataset"] == d).to_numpy()
        w[mask] *= shares[d] / total / w[mask].sum()
    return w


def subset(cs: CalibrationSet, mask) -> CalibrationSet:
    """The points where ``mask`` is true, with their rows, renumbered (weights recomputed).

    Parameters
    ----------
    cs : CalibrationSet
        All points.
    mask : array_like of bool
        One flag per point of ``cs.points`` [-].
    """
    return _take(cs, np.flatnonzero(np.asarray(mask, dtype=bool)))


def configuration_groups(points: pd.DataFrame) -> np.ndarray:
    """A label per point naming its configuration group (dataset, hardware, model, engine, format, layout, scenario).

    Parameters
    ----------
    points : pandas.DataFrame
        ``CalibrationSet.points`` rows.

    Returns
    -------
    numpy.ndarray
        One string per point [-].
    """
    keys = ["dataset", "hardware", "model_id", "backend", "precision"]
    keys += [k for k in ("tp", "dp", "moe_tp", "moe_ep", "scenario") if k in points]
    return points[keys].apply(lambda column: column.map(str)).agg("|".join, axis=1).to_numpy()


def resample(cs: CalibrationSet, rng: np.random.Generator) -> CalibrationSet:
    """A bootstrap sample: configuration groups drawn with replacement, each keeping all its points.

    A configuration group is one dataset, hardware, model, engine, weight
    format and layout (for MLPerf: the submissions of one scenario).

    Parameters
    ----------
    cs : CalibrationSet
        All points.
    rng : numpy.random.Generator
        Seeded generator.
    """
    labels = configuration_groups(cs.points)
    groups = np.unique(labels)
    drawn = rng.choice(groups, size=len(groups), replace=True)
    counts = pd.Series(drawn).value_counts()
    picks = np.concatenate([np.repeat(np.flatnonzero(labels == g), k) for g, k in counts.items()])
    picks.sort()
    return _take(cs, picks)


def _take(cs: CalibrationSet, picks: np.ndarray) -> CalibrationSet:
    # points `picks` (ascending indices into cs.points, repeats allowed) with their rows, renumbered and
    # reweighted; a point's rows are contiguous, from its start to the next point's
    ends = np.r_[cs.starts[1:], len(cs.arrays["point"])]
    sizes = (ends - cs.starts)[picks]
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    rows = np.repeat(cs.starts[picks] - starts, sizes) + np.arange(sizes.sum())
    arrays = {k: v[rows] for k, v in cs.arrays.items()}
    arrays["point"] = np.repeat(np.arange(len(picks)), sizes).astype(float)
    points = cs.points.iloc[picks].reset_index(drop=True)
    points["weight"] = _weights(points)
    return CalibrationSet(points, arrays, starts)


# --- predictions and the loss --------------------------------------------------------------------


def predictions(cs: CalibrationSet, params) -> dict:
    """The model's prediction for every point (MLPerf: its best layout), vectorized.

    Parameters
    ----------
    cs : CalibrationSet
        Points and their candidate-layout rows (MLPerf: every layout the model may pick).
    params : analysis.perf.Params
        Parameters to predict with [units per field].

    Returns
    -------
    dict of numpy.ndarray
        Per point: ``tpot_s, ttft_s`` [s], ``output_tokens_per_s_per_gpu`` [tokens/s],
        ``feasible`` [bool] and the chosen ``tp, dp, moe_tp, moe_ep`` [-].
    """
    a = cs.arrays
    lay = {k: a[k] for k in ("tp", "dp", "moe_tp", "moe_ep")}
    res = perf.serve(a, params, lay, a["backend"].astype(int), a["concurrency"])
    score = np.where(res["feasible"], res["output_tokens_per_s_per_gpu"], -np.inf)
    best = np.lexsort((-score, a["point"]))[cs.starts]
    out = {k: res[k][best] for k in ("tpot_s", "ttft_s", "output_tokens_per_s_per_gpu", "feasible")}
    out.update({k: a[k][best].astype(int) for k in lay})
    return out


def _log_errors(pred, measured):
    err = np.log(np.asarray(pred, dtype=float) / np.asarray(measured, dtype=float))
    return np.where(np.isfinite(err), err, INFEASIBLE_LOG_ERROR)


def log_errors(cs: CalibrationSet, params) -> tuple[np.ndarray, np.ndarray]:
    """Log errors of every fitted quantity and their weights (what the fit minimizes).

    Parameters
    ----------
    cs : CalibrationSet
        Points with their measurements and loss weights.
    params : analysis.perf.Params
        Parameters whose errors are wanted [units per field].

    Returns
    -------
    errors, weights : numpy.ndarray
        ``ln(predicted / measured)`` of TPOT (every point with a measured TPOT),
        TTFT (sweeps, weight times :data:`TTFT_WEIGHT`) and tokens/s per GPU
        (MLPerf), and the weight of each; missing measurements have weight 0 [-].
    """
    pred = predictions(cs, params)
    pts = cs.points
    w = pts["weight"].to_numpy(dtype=float)
    sweeps = (pts["dataset"] == "sweeps").to_numpy()
    errors, weights = [], []
    for key, measured, weight in (("tpot_s", "measured_tpot_s", w),
                                  ("ttft_s", "measured_ttft_s", w * TTFT_WEIGHT * sweeps),
                                  ("output_tokens_per_s_per_gpu", "measured_tokens_per_s_per_gpu", w * ~sweeps)):
        m = pts[measured].to_numpy(dtype=float)
        has = np.isfinite(m) & (weight > 0)
        e = np.where(has, _log_errors(pred[key], np.where(has, m, 1.0)), 0.0)
        errors.append(np.where(pred["feasible"] | ~has, e, INFEASIBLE_LOG_ERROR))
        weights.append(np.where(has, weight, 0.0))
    return np.concatenate(errors), np.concatenate(weights)


def _robust_residuals(errors, weights):
    # residuals whose squares sum to the weighted soft-L1 loss (weights outside the robust function)
    z = (errors / ROBUST_SCALE) ** 2
    return np.sign(errors) * ROBUST_SCALE * np.sqrt(weights * 2.0 * (np.sqrt(1.0 + z) - 1.0))


def loss(cs: CalibrationSet, params) -> float:
    """The robust loss the fit minimizes: ``sum w s^2 2 (sqrt(1 + (e/s)^2) - 1)`` with ``s`` = :data:`ROBUST_SCALE`.

    Errors well below ``s`` count squared, large ones linearly, so a few
    inconsistent measurements (the sweeps repeat some configurations with
    results up to 5x apart) cannot pull the fit.

    Parameters
    ----------
    cs : CalibrationSet
        Points to score.
    params : analysis.perf.Params
        Parameters to score [units per field].
    """
    return float(np.sum(_robust_residuals(*log_errors(cs, params)) ** 2))


def _to_x(values) -> np.ndarray:
    # parameter values (in perf.Params.names() order) into the search space: logs, but for _LINEAR
    return np.array([v if n in _LINEAR else np.log(v) for n, v in zip(perf.Params.names(), values)])


def _from_x(x) -> perf.Params:
    return perf.Params.from_array([v if n in _LINEAR else np.exp(v) for n, v in zip(perf.Params.names(), x)])


def calibrate(cs: CalibrationSet, bounds: dict | None = None, starts: int = STARTS, seed: int = 0,
              start: perf.Params | None = None) -> perf.Params:
    """Fit the parameters: robust least squares in log space, the best of several seeded starts.

    Parameters
    ----------
    cs : CalibrationSet
        Points to fit.
    bounds : dict, optional
        ``name -> (lower, upper)`` [unit of the parameter]; default :func:`analysis.perf.bounds`.
    starts : int
        Starts: the first is ``start`` (default the geometric middle of the bounds), the
        rest uniform in the (log) box, seeded [-].
    seed : int
        Seed of the extra starts [-].
    start : analysis.perf.Params, optional
        The first start [units per field].

    Returns
    -------
    analysis.perf.Params
        The fitted parameters, rounded to 12 significant digits [units per field].
    """
    from scipy.optimize import least_squares

    bounds = perf.bounds() if bounds is None else bounds
    lo, hi = (_to_x([bounds[n][end] for n in perf.Params.names()]) for end in (0, 1))
    first = np.clip(_to_x(start.as_array()), lo, hi) if start is not None else (lo + hi) / 2.0
    rng = np.random.default_rng(seed)
    best = None
    for k in range(starts):
        x0 = first if k == 0 else lo + rng.uniform(0.05, 0.95, len(lo)) * (hi - lo)
        sol = least_squares(lambda x: _robust_residuals(*log_errors(cs, _from_x(x))), x0, bounds=(lo, hi),
                            x_scale="jac")
        if best is None or sol.cost < best.cost - 1e-12:
            best = sol
    return perf.Params.from_array([float(f"{v:.12g}") for v in _from_x(best.x).as_array()])


def bootstrap(cs: CalibrationSet, draws: int = BOOTSTRAP_DRAWS, seed: int = BOOTSTRAP_SEED,
              central: perf.Params | None = None) -> list[perf.Params]:
    """Refits on bootstrap samples of configuration groups (seeded).

    Parameters
    ----------
    cs : CalibrationSet
        All points.
    draws : int
        Bootstrap samples [-].
    seed : int
        Seed of the resampling [-].
    central : analysis.perf.Params, optional
        The full fit, the first start of every refit [units per field].

    Returns
    -------
    list of analysis.perf.Params
    """
    rng = np.random.default_rng(seed)
    central = calibrate(cs) if central is None else central
    return [calibrate(resample(cs, rng), starts=REFIT_STARTS, seed=k, start=central) for k in range(draws)]


# --- errors out of sample ---------------------------------------------------------------------------


def evaluate(cs: CalibrationSet, params) -> pd.DataFrame:
    """Predicted against measured for every point.

    Parameters
    ----------
    cs : CalibrationSet
        Points to predict and compare with their measurements.
    params : analysis.perf.Params
        Parameters to predict with [units per field].

    Returns
    -------
    pandas.DataFrame
        ``cs.points`` plus ``feasible``, ``predicted_tpot_s, predicted_ttft_s`` [s],
        ``predicted_tokens_per_s_per_gpu`` [tokens/s] and the chosen layout ``pred_tp,
        pred_dp, pred_moe_tp, pred_moe_ep`` [-].
    """
    pred = predictions(cs, params)
    out = cs.points.copy()
    out["feasible"] = pred["feasible"]
    ok = pred["feasible"]
    out["predicted_tpot_s"] = np.where(ok, pred["tpot_s"], np.nan)
    out["predicted_ttft_s"] = np.where(ok, pred["ttft_s"], np.nan)
    out["predicted_tokens_per_s_per_gpu"] = np.where(ok, pred["output_tokens_per_s_per_gpu"], np.nan)
    for k in ("tp", "dp", "moe_tp", "moe_ep"):
        out[f"pred_{k}"] = pred[k]
    return out


#: Metrics of the error tables: (predicted column, measured column).
METRICS = {"tpot_s": ("predicted_tpot_s", "measured_tpot_s"),
           "ttft_s": ("predicted_ttft_s", "measured_ttft_s"),
           "output_tokens_per_s_per_gpu": ("predicted_tokens_per_s_per_gpu", "measured_tokens_per_s_per_gpu")}


def error_summary(ev: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
    """Median |error| and share within 2x of each metric, overall or by groups.

    An infeasible prediction counts as an error of 10x.

    Parameters
    ----------
    ev : pandas.DataFrame
        :func:`evaluate` rows.
    by : list of str, optional
        Columns to group by [-].

    Returns
    -------
    pandas.DataFrame
        ``[by...], points``, then for each metric ``median_abs_error_<metric>`` and
        ``within_2x_<metric>`` (fractions [-]) and ``<metric>_points``.
    """

    def stats(g: pd.DataFrame) -> pd.Series:
        row = {"points": len(g)}
        for metric, (pred, meas) in METRICS.items():
            has = g[meas].notna()
            ratio = (g.loc[has, pred] / g.loc[has, meas]).fillna(10.0)
            row[f"{metric}_points"] = int(has.sum())
            row[f"median_abs_error_{metric}"] = float(np.median(np.abs(ratio - 1))) if has.any() else np.nan
            row[f"within_2x_{metric}"] = float(((ratio >= 0.5) & (ratio <= 2.0)).mean()) if has.any() else np.nan
        return pd.Series(row)

    if not by:
        return stats(ev).to_frame().T.reset_index(drop=True)
    rows = [{**dict(zip(by, key if isinstance(key, tuple) else (key,))), **stats(g)}
            for key, g in ev.groupby(by, sort=True)]
    return pd.DataFrame(rows)


def disagg_requests(rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """The sweeps' disaggregated rows that record both pools' worker counts, as :mod:`analysis.predict` requests.

    A recorded expert-parallel degree of 0 (EP off) is read as 1.

    Parameters
    ----------
    rows : pandas.DataFrame, optional
        Rows of :func:`sweep_points` ("disagg"); default all of them.

    Returns
    -------
    pandas.DataFrame
        One request per scorable row (``mode`` "disagg", ``prefill_*`` and ``decode_*`` degrees [-]),
        the row's ``point_id`` and its measurements.
    """
    rows = sweep_points("disagg") if rows is None else rows
    rows = rows.dropna(subset=["prefill_num_workers", "decode_num_workers"]).reset_index(drop=True)
    moe = rows["model_id"].map(lambda m: models.get(m).is_moe).astype(bool)
    out = rows[["point_id", "hardware", "precision", "isl", "osl", "concurrency", "backend", "regime",
                "measured_tpot_s", "measured_ttft_s", "measured_tokens_per_s_per_gpu"]].assign(
        model=rows["model_id"], model_id=rows["model_id"], mode="disagg")
    for pool in ("prefill", "decode"):
        out[f"{pool}_workers"] = rows[f"{pool}_num_workers"].astype(int)
        out[f"{pool}_tp"] = rows[f"{pool}_tp_size"].fillna(1).clip(lower=1).astype(int)
        out[f"{pool}_dp"] = rows[f"{pool}_attention_dp_size"].fillna(1).clip(lower=1).astype(int)
        out[f"{pool}_ep"] = rows[f"{pool}_moe_ep_size"].fillna(1).clip(lower=1).astype(int).where(moe, 1)
        out[f"{pool}_batch"] = rows[f"{pool}_batch_size"].astype(float)
    return out


def evaluate_disagg(params: perf.Params | None = None) -> pd.DataFrame:
    """The disaggregated sweep rows predicted by :func:`analysis.perf.serve_disagg` (not fitted on).

    Parameters
    ----------
    params : analysis.perf.Params, optional
        Parameters [units per field]; default :func:`analysis.perf.parameters`.

    Returns
    -------
    pandas.DataFrame
        :func:`disagg_requests` plus ``feasible`` and the predicted columns of :func:`evaluate`,
        ready for :func:`error_summary`.
    """
    from analysis import predict   # predict builds on perf only; imported here to keep calibration light

    p = perf.parameters() if params is None else params
    req = disagg_requests()
    pred = predict.predict_frame(req.drop(columns=[c for c in req if c.startswith("measured_")]
                                          + ["point_id", "model_id", "regime"]), params=p, draws=[p])
    ok = pred["feasible"].astype(bool).to_numpy()
    return req.assign(
        feasible=ok,
        predicted_tpot_s=np.where(ok, pred["tpot_s"].astype(float), np.nan),
        predicted_ttft_s=np.where(ok, pred["ttft_s"].astype(float), np.nan),
        predicted_tokens_per_s_per_gpu=np.where(ok, pred["output_tokens_per_s_per_gpu"].astype(float), np.nan),
        notes=pred["notes"].to_numpy())


#: What the held-out refits leave out, one at a time.
HELD_OUT_COLUMNS = ("hardware", "model_id")


def held_out_fits(cs: CalibrationSet, column: str, central: perf.Params | None = None) -> dict[str, perf.Params]:
    """Refit without each value of ``column`` (a hardware, a model).

    Each refit starts from the full fit's parameters and from seeded random
    starts; MLPerf points of the held-out value are left out of the fit too.

    Parameters
    ----------
    cs : CalibrationSet
        All points.
    column : {"hardware", "model_id"}
        What to hold out [-].
    central : analysis.perf.Params, optional
        First start of every refit [units per field]; default the stored parameters.

    Returns
    -------
    dict
        Held-out value -> the parameters fitted without it.
    """
    central = perf.parameters() if central is None else central
    fits = {}
    for value in sorted(cs.points[column].unique()):
        held = (cs.points[column] == value).to_numpy()
        fits[value] = calibrate(subset(cs, ~held), starts=REFIT_STARTS, start=central)
    return fits


def stored_held_out_fits(column: str) -> dict[str, perf.Params]:
    """The held-out refits stored in ``data/perf_holdout.csv`` (what :func:`held_out_fits` returned at calibration).

    Parameters
    ----------
    column : {"hardware", "model_id"}
        What the refits left out [-].
    """
    table = data.load("perf_holdout")
    rows = table[table["held_out_column"] == column]
    return {row.held_out: perf.Params(**{n: float(getattr(row, n)) for n in perf.Params.names()})
            for row in rows.itertuples(index=False)}


def leave_one_out(cs: CalibrationSet, column: str, fits: dict[str, perf.Params] | None = None) -> pd.DataFrame:
    """Every point predicted by the fit that did not see its hardware (or model).

    Parameters
    ----------
    cs : CalibrationSet
        All points.
    column : {"hardware", "model_id"}
        What was held out [-].
    fits : dict, optional
        Held-out value -> parameters; default the stored refits (:func:`stored_held_out_fits`).

    Returns
    -------
    pandas.DataFrame
        :func:`evaluate` rows of every point, plus ``held_out`` [-].
    """
    fits = stored_held_out_fits(column) if fits is None else fits
    frames = []
    for value in sorted(cs.points[column].unique()):
        held = (cs.points[column] == value).to_numpy()
        if value not in fits:
            raise KeyError(f"no held-out fit for {column}={value!r}; rerun python -m analysis calibrate")
        frames.append(evaluate(subset(cs, held), fits[value]).assign(held_out=value))
    return pd.concat(frames, ignore_index=True)


def log_ratio_quantiles(ev: pd.DataFrame, q=(0.05, 0.95)) -> pd.DataFrame:
    """Quantiles of ln(measured / predicted) of each metric: how far out of sample the truth falls.

    Parameters
    ----------
    ev : pandas.DataFrame
        :func:`evaluate` rows, typically of :func:`leave_one_out`.
    q : tuple of float
        Quantiles [-].

    Returns
    -------
    pandas.DataFrame
        ``metric, points, log_ratio_q05, log_ratio_q95`` [-].
    """
    rows = []
    for metric, (pred, meas) in METRICS.items():
        r = np.log(ev[meas] / ev[pred]).replace([np.inf, -np.inf], np.nan).dropna()
        rows.append({"metric": metric, "points": len(r), "log_ratio_q05": float(np.quantile(r, q[0])),
                     "log_ratio_q95": float(np.quantile(r, q[1]))})
    return pd.DataFrame(rows)


def coverage(ev: pd.DataFrame, draws: list[perf.Params], cs: CalibrationSet, quantiles: pd.DataFrame) -> pd.DataFrame:
    """Share of points whose measurement falls inside the model's 90% interval.

    Parameters
    ----------
    ev : pandas.DataFrame
        :func:`evaluate` rows of ``cs`` (central predictions).
    draws : list of analysis.perf.Params
        Bootstrap draws.
    cs : CalibrationSet
        The same points.
    quantiles : pandas.DataFrame
        :func:`log_ratio_quantiles` (the residual widening).

    Returns
    -------
    pandas.DataFrame
        ``metric, parameter_only, with_residual`` [-]: coverage of the bootstrap
        interval alone and widened by the residual quantiles.
    """
    preds = [predictions(cs, p) for p in draws]
    q = quantiles.set_index("metric")
    rows = []
    for metric, (pred_col, meas) in METRICS.items():
        m = ev[meas].to_numpy(dtype=float)
        central = ev[pred_col].to_numpy(dtype=float)
        spread = np.array([p[metric] for p in preds])
        lo = np.fmin(np.percentile(spread, 5, axis=0), central)
        hi = np.fmax(np.percentile(spread, 95, axis=0), central)
        has = np.isfinite(m) & np.isfinite(central)
        inside = (m >= lo) & (m <= hi)
        wide = (m >= lo * np.exp(q.at[metric, "log_ratio_q05"])) & (m <= hi * np.exp(q.at[metric, "log_ratio_q95"]))
        rows.append({"metric": metric, "points": int(has.sum()), "parameter_only": float(inside[has].mean()),
                     "with_residual": float(wide[has].mean())})
    return pd.DataFrame(rows)


# --- the frozen snapshot ----------------------------------------------------------------------------

#: Provenance of the fitted tables (the fit is this report's; its data are NVIDIA's and MLCommons').
FIT_SOURCE = {
    "source_title": "This report: calibration of analysis.perf on NVIDIA's serving sweeps (aiconfigurator-core 0.12.0) "
                    "and MLCommons MLPerf Inference v5.1",
    "source_url": "https://github.com/ai-dynamo/aiconfigurator",
    "source_date": "2026-12-02",
    "accessed": "2026-12-02",
}


def snapshot(cs: CalibrationSet | None = None, draws: int = BOOTSTRAP_DRAWS) -> dict[str, pd.DataFrame]:
    """Fit, bootstrap and hold out: the four tables ``python -m analysis calibrate`` writes to ``data/``.

    Parameters
    ----------
    cs : CalibrationSet, optional
        Points to fit; default all (:func:`calibration_set`).
    draws : int
        Bootstrap draws [-].

    Returns
    -------
    dict of pandas.DataFrame
        ``perf_parameters``, ``perf_bootstrap``, ``perf_holdout``, ``perf_uncertainty`` (schemas in
        ``data/datapackage.json``).
    """
    cs = calibration_set() if cs is None else cs
    central = calibrate(cs)
    units = data.load("perf_bounds").set_index("parameter")["unit"]
    n_sweeps = int((cs.points["dataset"] == "sweeps").sum())
    n_mlperf = int((cs.points["dataset"] == "mlperf").sum())
    quote = (f"Fitted by analysis.calibration.calibrate on {n_sweeps} aggregated serving-sweep points (H100, B200, "
             f"GB200) and {n_mlperf} MLPerf v5.1 results; robust loss {loss(cs, central):.4f}.")
    parameters = pd.DataFrame({"parameter": perf.Params.names(), "value": central.as_array(),
                               "unit": [units[n] for n in perf.Params.names()], **FIT_SOURCE, "quote": quote})
    boot = bootstrap(cs, draws=draws, central=central)
    bootstrap_table = pd.DataFrame([p.as_array() for p in boot], columns=perf.Params.names())
    bootstrap_table.insert(0, "draw", np.arange(len(boot)))
    bootstrap_table = bootstrap_table.assign(**FIT_SOURCE, quote=f"Refit on a bootstrap sample of configuration "
                                             f"groups (seed {BOOTSTRAP_SEED}, draw number = refit seed).")
    fits = {column: held_out_fits(cs, column, central) for column in HELD_OUT_COLUMNS}
    holdout = pd.DataFrame([{"held_out_column": column, "held_out": value, **dict(zip(perf.Params.names(),
                                                                                     p.as_array()))}
                            for column in HELD_OUT_COLUMNS for value, p in fits[column].items()])
    holdout = holdout.assign(**FIT_SOURCE, quote="Refit on every point but those of the held-out hardware or "
                             "model (the MLPerf points included), from the full fit and seeded starts.")
    held = leave_one_out(cs, "hardware", fits["hardware"])
    quantiles = log_ratio_quantiles(held).assign(**FIT_SOURCE, quote="Quantiles of ln(measured / predicted) over "
                                                 f"refits that each left out one hardware ({', '.join(fits['hardware'])}).")
    return {"perf_parameters": parameters, "perf_bootstrap": bootstrap_table, "perf_holdout": holdout,
            "perf_uncertainty": quantiles}
