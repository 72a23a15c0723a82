"""Fit the performance model's six global parameters on MLPerf Inference v5.1, and measure its error.

Each MLPerf point (``data/mlperf_v51.csv``, MLCommons) becomes a request to the
model with the point's hardware, model, weight format and GPU count, the
dataset's mean input length (``data/mlperf_workloads.csv``, an assumption) and
the measured mean output length:

* **Offline** (maximum throughput): concurrency "max", the largest batch the KV
  cache holds.
* **Server** and **Interactive** (Poisson arrivals under p99 latency limits):
  the measured concurrency by Little's law, ``C = requests/s x (TTFT + (OSL - 1)
  x TPOT)`` with the measured means.

The parallel configuration is the model's own choice (highest output tokens/s
per GPU), never the submitter's.  The loss is the mean absolute log error of
output tokens/s per GPU over all points plus that of TPOT over the
latency-bound points, each (hardware, model, scenario) weighted once however
many submitters ran it.  The optimizer is deterministic coordinate descent in
log space over a grid that narrows around the best value (numpy only).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from analysis import data, models, perf, systems

#: Regime of each MLPerf scenario.
REGIMES = {"Offline": "offline throughput", "Server": "latency-bound", "Interactive": "latency-bound"}

#: Log error given to a point the model calls infeasible (a factor of 10).
INFEASIBLE_LOG_ERROR = float(np.log(10.0))

#: Relative distance to a search bound within which a fitted value counts as on it [-]
#: (:func:`calibrate` rounds its result to 12 significant digits).
AT_BOUND_TOLERANCE = 1e-6

#: Relative distance to a search bound within which a fitted value counts as near it [-].
NEAR_BOUND_FRACTION = 0.10


@dataclass(frozen=True)
class CalibrationSet:
    """The MLPerf points and every parallel configuration the model may choose for each.

    Attributes
    ----------
    points : pandas.DataFrame
        One row per MLPerf result, with ``isl`` and ``osl`` [tokens],
        ``concurrency`` (-1 for "max") [-] and the measurements.
    arrays : dict of numpy.ndarray
        Model and hardware constants and ``tp, dp, ep, concurrency, point`` for
        every (point, configuration) row.
    starts : numpy.ndarray
        Index of each point's first row in ``arrays``.
    """

    points: pd.DataFrame
    arrays: dict
    starts: np.ndarray


def mlperf_points() -> pd.DataFrame:
    """The MLPerf results with the inputs the model needs.

    Returns
    -------
    pandas.DataFrame
        ``data.load("mlperf_v51")`` plus ``isl, osl`` [tokens], ``concurrency``
        [-] (-1 = max), ``regime``, ``measured_tpot_s`` [s], ``loss_weight`` [-].
    """
    points = data.load("mlperf_v51")
    workloads = data.load("mlperf_workloads").set_index("benchmark")
    points = points.assign(
        isl=points["benchmark"].map(workloads["mean_input_tokens"]).astype(float),
        osl=points["mean_osl_tokens"].astype(float),
        regime=points["scenario"].map(REGIMES),
        measured_tpot_s=points["tpot_mean_ms"].astype(float) / 1e3,
    )
    latency = (points["ttft_mean_ms"] + (points["osl"] - 1.0) * points["tpot_mean_ms"]) / 1e3
    little = (points["samples_per_s"] * latency).astype(float)
    points["concurrency"] = np.where(points["scenario"] == "Offline", -1.0, np.round(little.fillna(-1.0)))
    # each (hardware, model, scenario) counts once in the loss: many submitters ran the same stack
    group = points.groupby(["hardware", "model_id", "scenario"])["result_id"].transform("size")
    points["loss_weight"] = 1.0 / group.astype(float)
    return points.reset_index(drop=True)


def calibration_set(points: pd.DataFrame | None = None) -> CalibrationSet:
    """Expand the points into (point, configuration) rows, once (no parameters needed).

    Parameters
    ----------
    points : pandas.DataFrame, optional
        Rows as :func:`mlperf_points` returns (``isl, osl`` [tokens], ``concurrency``
        [-], measurements in their units); default :func:`mlperf_points`.

    Returns
    -------
    CalibrationSet
        The points and every configuration the model may choose for each.
    """
    points = mlperf_points() if points is None else points.reset_index(drop=True)
    catalog = models.catalog()
    parts, starts, n = [], [], 0
    for i, pt in enumerate(points.itertuples(index=False)):
        h = systems.get(pt.hardware)
        m = catalog[pt.model_id]
        configs = perf.configurations(h, m, int(pt.num_gpus))
        k = len(configs)
        block = {key: np.broadcast_to(np.asarray(v, dtype=float), (k,)).copy()
                 for key, v in {**perf._model_constants(m, pt.precision, pt.isl, pt.osl),
                                **perf._hardware_constants(h, pt.precision)}.items()}
        block.update(tp=configs[:, 0].astype(float), dp=configs[:, 1].astype(float), ep=configs[:, 2].astype(float),
                     concurrency=np.full(k, pt.concurrency, dtype=float), point=np.full(k, i))
        parts.append(block)
        starts.append(n)
        n += k
    arrays = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    return CalibrationSet(points, arrays, np.array(starts))


def _serve_best(cs: CalibrationSet, params: perf.Params) -> tuple[dict, np.ndarray]:
    # every configuration row served, and each point's best row (most output tokens/s per GPU)
    a = cs.arrays
    res = perf.serve_arrays(a, a, params, a["tp"], a["dp"], a["ep"], a["concurrency"])
    score = np.where(res["feasible"], res["output_tokens_per_s_per_gpu"], -np.inf)
    order = np.lexsort((-score, a["point"]))
    return res, order[cs.starts]


def evaluate(cs: CalibrationSet, params: perf.Params) -> pd.DataFrame:
    """Predictions for every point with the model's best configuration.

    Parameters
    ----------
    cs : CalibrationSet
        Points and their configurations (:func:`calibration_set`).
    params : analysis.perf.Params
        Efficiency parameters [units per field].

    Returns
    -------
    pandas.DataFrame
        ``cs.points`` plus ``feasible`` [bool], ``tp, dp, ep, predicted_concurrency`` [-],
        ``predicted_tokens_per_s_per_gpu`` [tokens/s], ``predicted_tpot_s, predicted_ttft_s`` [s],
        ``error_tokens_per_s_per_gpu, error_tpot`` [-] (predicted / measured - 1).
    """
    a = cs.arrays
    res, best = _serve_best(cs, params)
    out = cs.points.copy()
    out["feasible"] = res["feasible"][best]
    for key in ("tp", "dp", "ep"):
        out[key] = a[key][best].astype(int)
    out["predicted_concurrency"] = res["concurrency"][best]
    ok = out["feasible"].to_numpy()
    out["predicted_tokens_per_s_per_gpu"] = np.where(ok, res["output_tokens_per_s_per_gpu"][best], np.nan)
    out["predicted_tpot_s"] = np.where(ok, res["tpot_s"][best], np.nan)
    out["predicted_ttft_s"] = np.where(ok, res["ttft_s"][best], np.nan)
    out["error_tokens_per_s_per_gpu"] = out["predicted_tokens_per_s_per_gpu"] / out["tokens_per_s_per_gpu"] - 1.0
    out["error_tpot"] = out["predicted_tpot_s"] / out["measured_tpot_s"] - 1.0
    return out


def loss(cs: CalibrationSet, params: perf.Params) -> float:
    """Mean |log error| of tokens/s per GPU (all points) plus that of TPOT (latency-bound points).

    The same number as the loss of :func:`evaluate`'s table, computed on arrays
    only (the optimizer calls it thousands of times).

    Parameters
    ----------
    cs : CalibrationSet
        Points and their configurations.
    params : analysis.perf.Params
        Efficiency parameters [units per field].

    Returns
    -------
    float
        Weighted mean absolute natural-log error, summed over the two metrics [-].
    """
    res, best = _serve_best(cs, params)
    ok = res["feasible"][best]
    points = cs.points
    return _weighted_log_loss(
        np.where(ok, res["output_tokens_per_s_per_gpu"][best], np.nan), points["tokens_per_s_per_gpu"],
        np.where(ok, res["tpot_s"][best], np.nan), points["measured_tpot_s"], points["loss_weight"])


def _loss_from(ev: pd.DataFrame) -> float:
    # the loss of an evaluate() table
    return _weighted_log_loss(ev["predicted_tokens_per_s_per_gpu"], ev["tokens_per_s_per_gpu"],
                              ev["predicted_tpot_s"], ev["measured_tpot_s"], ev["loss_weight"])


def _weighted_log_loss(pred_tps, meas_tps, pred_tpot, meas_tpot, weight) -> float:
    weight = np.asarray(weight, dtype=float)

    def mean_abs_log(pred, meas):
        pred, meas = np.asarray(pred, dtype=float), np.asarray(meas, dtype=float)
        keep = np.isfinite(meas)
        err = np.abs(np.log(pred[keep] / meas[keep]))
        err = np.where(np.isfinite(err), err, INFEASIBLE_LOG_ERROR)
        return float(np.average(err, weights=weight[keep])) if keep.any() else 0.0

    return mean_abs_log(pred_tps, meas_tps) + mean_abs_log(pred_tpot, meas_tpot)


def calibrate(cs: CalibrationSet, start: perf.Params | None = None, bounds: dict | None = None,
              grid: int = 13, rounds: int = 6, sweeps: int = 4) -> perf.Params:
    """Fit the parameters by coordinate descent in log space (deterministic).

    For each of ``rounds`` rounds, up to ``sweeps`` passes over the parameters try
    ``grid`` log-spaced values of one parameter (within its bounds and the
    round's window around the current value) and keep the best; each round
    shrinks the window by 4x.

    Parameters
    ----------
    cs : CalibrationSet
        Points to fit (:func:`calibration_set`).
    start : analysis.perf.Params, optional
        Starting point [units per field]; default :class:`analysis.perf.Params` defaults.
    bounds : dict, optional
        ``name -> (lower, upper)`` [unit of the parameter]; default :data:`analysis.perf.BOUNDS`.
    grid, rounds, sweeps : int
        Grid size per line search, narrowing rounds, passes per round [-].

    Returns
    -------
    analysis.perf.Params
        The fitted parameters, rounded to 12 significant digits [units per field].
    """
    bounds = perf.BOUNDS if bounds is None else bounds
    names = [f.name for f in fields(perf.Params)]
    lo = np.log([bounds[n][0] for n in names])
    hi = np.log([bounds[n][1] for n in names])
    x = np.clip(np.log((start or perf.Params()).as_array()), lo, hi)
    best = loss(cs, perf.Params.from_array(np.exp(x)))
    width = hi - lo
    for _ in range(rounds):
        for _ in range(sweeps):
            improved = False
            for j in range(len(names)):
                values = np.clip(np.linspace(x[j] - width[j] / 2, x[j] + width[j] / 2, grid), lo[j], hi[j])
                for v in np.unique(values):
                    trial = x.copy()
                    trial[j] = v
                    value = loss(cs, perf.Params.from_array(np.exp(trial)))
                    if value < best - 1e-12:
                        best, x, improved = value, trial, True
            if not improved:
                break
        width = width / 4.0
    return perf.Params.from_array(np.round(np.exp(x), 12))


def error_summary(ev: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
    """Median |error| and share within 2x, overall or by groups.

    Parameters
    ----------
    ev : pandas.DataFrame
        :func:`evaluate` rows (predicted and measured columns) [units per column].
    by : list of str, optional
        Columns to group by [-]; ``None`` summarizes all rows.

    Returns
    -------
    pandas.DataFrame
        ``[by...], points, median_abs_error_tokens_per_s_per_gpu, within_2x_tokens_per_s_per_gpu,
        tpot_points, median_abs_error_tpot, within_2x_tpot`` (errors as fractions [-]).
    """

    def stats(g: pd.DataFrame) -> pd.Series:
        t = g["predicted_tokens_per_s_per_gpu"] / g["tokens_per_s_per_gpu"]
        q = (g["predicted_tpot_s"] / g["measured_tpot_s"]).dropna()
        within = lambda r: float(((r >= 0.5) & (r <= 2.0)).mean()) if len(r) else np.nan  # noqa: E731
        return pd.Series(
            {
                "points": len(g),
                "median_abs_error_tokens_per_s_per_gpu": float(np.nanmedian(np.abs(t - 1))) if len(t) else np.nan,
                "within_2x_tokens_per_s_per_gpu": within(t.fillna(0.0)),
                "tpot_points": len(q),
                "median_abs_error_tpot": float(np.median(np.abs(q - 1))) if len(q) else np.nan,
                "within_2x_tpot": within(q),
            }
        )

    if not by:
        return stats(ev).to_frame().T.reset_index(drop=True)
    rows = [{**dict(zip(by, key if isinstance(key, tuple) else (key,))), **stats(g)}
            for key, g in ev.groupby(by, sort=True)]
    return pd.DataFrame(rows)


def leave_one_hardware_out(cs: CalibrationSet, start: perf.Params | None = None, **kwargs) -> pd.DataFrame:
    """Refit without each hardware in turn and predict its points with that fit.

    Each refit starts from ``start`` (default :class:`analysis.perf.Params`
    defaults), never from the parameters fitted on all points: those have seen
    the held-out hardware.

    Parameters
    ----------
    cs : CalibrationSet
        All points.
    start : analysis.perf.Params, optional
        Starting point of every refit [units per field].
    **kwargs
        Passed to :func:`calibrate` (``bounds``, ``grid``, ``rounds``, ``sweeps``).

    Returns
    -------
    pandas.DataFrame
        :func:`evaluate` rows of every point, each predicted by the fit that did
        not see its hardware, plus ``held_out`` [-].
    """
    frames = []
    for hw in sorted(cs.points["hardware"].unique()):
        train = subset(cs, cs.points["hardware"] != hw)
        test = subset(cs, cs.points["hardware"] == hw)
        fit = calibrate(train, start=start, **kwargs)
        frames.append(evaluate(test, fit).assign(held_out=hw))
    return pd.concat(frames, ignore_index=True)


def subset(cs: CalibrationSet, mask) -> CalibrationSet:
    """The points where ``mask`` is true, with their configuration rows.

    Parameters
    ----------
    cs : CalibrationSet
        Points and configurations.
    mask : array_like of bool
        One flag per point of ``cs.points`` [-].

    Returns
    -------
    CalibrationSet
        The kept points, renumbered from 0.
    """
    mask = np.asarray(mask, dtype=bool)
    keep_points = np.flatnonzero(mask)
    row_mask = np.isin(cs.arrays["point"], keep_points)
    renumber = np.full(len(mask), -1)
    renumber[keep_points] = np.arange(len(keep_points))
    arrays = {k: v[row_mask] for k, v in cs.arrays.items()}
    arrays["point"] = renumber[arrays["point"].astype(int)]
    starts = np.flatnonzero(np.r_[True, np.diff(arrays["point"]) != 0])
    return CalibrationSet(cs.points[mask].reset_index(drop=True), arrays, starts)


def parameter_table(params: perf.Params) -> pd.DataFrame:
    """The parameters with their units, bounds and meaning (as stored in ``perf_parameters.csv``).

    Parameters
    ----------
    params : analysis.perf.Params
        Values to show [units per field].

    Returns
    -------
    pandas.DataFrame
        ``parameter, value`` [its unit], ``unit``, ``lower, upper`` [its unit], ``description``.
    """
    stored = data.load("perf_parameters").set_index("parameter")
    rows = []
    for f in fields(perf.Params):
        rows.append({"parameter": f.name, "value": getattr(params, f.name), "unit": stored.at[f.name, "unit"],
                     "lower": perf.BOUNDS[f.name][0], "upper": perf.BOUNDS[f.name][1],
                     "description": stored.at[f.name, "description"]})
    return pd.DataFrame(rows)


def bound_status(params: perf.Params, bounds: dict | None = None, near: float = NEAR_BOUND_FRACTION,
                 tolerance: float = AT_BOUND_TOLERANCE) -> pd.DataFrame:
    """Where each fitted parameter sits in its search bounds: on one, near one, or inside.

    A value on a bound is a limit of the search, not an estimate: the loss
    would have it further out.  The distance is relative, as the optimizer
    searches in log space: ``value / lower - 1`` or ``upper / value - 1``,
    whichever is smaller.

    Parameters
    ----------
    params : analysis.perf.Params
        Fitted values [units per field].
    bounds : dict, optional
        ``name -> (lower, upper)`` [unit of the parameter]; default :data:`analysis.perf.BOUNDS`.
    near : float
        Relative distance up to which a value counts as near its bound [-].
    tolerance : float
        Relative distance up to which a value counts as on its bound [-].

    Returns
    -------
    pandas.DataFrame
        ``parameter, value, lower, upper`` [unit of the parameter], ``nearest_bound``
        ("lower" or "upper"), ``distance_to_bound`` [-] and ``status`` ("at bound",
        "near bound" or "interior"), in field order.

    Examples
    --------
    >>> p = perf.Params(compute_efficiency=1.0, memory_efficiency=0.21, gemm_half_tokens=64.0)
    >>> t = bound_status(p).set_index("parameter")
    >>> t.loc["compute_efficiency", ["nearest_bound", "status"]].tolist()
    ['upper', 'at bound']
    >>> round(float(t.loc["memory_efficiency", "distance_to_bound"]), 3), t.loc["memory_efficiency", "status"]
    (0.05, 'near bound')
    >>> t.loc["gemm_half_tokens", "status"]
    'interior'
    """
    bounds = perf.BOUNDS if bounds is None else bounds
    rows = []
    for f in fields(perf.Params):
        value = float(getattr(params, f.name))
        lower, upper = (float(b) for b in bounds[f.name])
        to_lower, to_upper = value / lower - 1.0, upper / value - 1.0
        distance = min(to_lower, to_upper)
        status = "at bound" if distance <= tolerance else "near bound" if distance <= near else "interior"
        rows.append({"parameter": f.name, "value": value, "lower": lower, "upper": upper,
                     "nearest_bound": "lower" if to_lower <= to_upper else "upper",
                     "distance_to_bound": max(distance, 0.0), "status": status})
    return pd.DataFrame(rows)


#: Widened search bounds of :func:`bounds_sensitivity`: the two default bounds the fit sits
#: on or near, moved far out (memory efficiency 0.2 -> 0.05, per-layer latency 1e-7 -> 1e-9 s);
#: every other bound as in :data:`analysis.perf.BOUNDS`.
WIDENED_BOUNDS = {**perf.BOUNDS, "memory_efficiency": (0.05, perf.BOUNDS["memory_efficiency"][1]),
                  "layer_latency_s": (1e-9, perf.BOUNDS["layer_latency_s"][1])}


def bounds_sensitivity(cs: CalibrationSet | None = None, widened_bounds: dict | None = None,
                       default_fit: perf.Params | None = None, **kwargs) -> pd.DataFrame:
    """Fit with the default bounds and with widened ones: how well the data pin the parameters down.

    The default-bounds fit is ``default_fit`` (default the stored parameters,
    which are :func:`calibrate` with the default bounds: no refit); only the
    widened case is refitted, from the same start and with the same optimizer,
    so the two rows differ only in the bounds searched.

    Parameters
    ----------
    cs : CalibrationSet, optional
        Points to fit; default :func:`calibration_set` (all MLPerf points).
    widened_bounds : dict, optional
        ``name -> (lower, upper)`` [unit of the parameter]; default :data:`WIDENED_BOUNDS`.
    default_fit : analysis.perf.Params, optional
        The fit with the default bounds [units per field]; default :func:`analysis.perf.parameters`.
    **kwargs
        Passed to :func:`calibrate` for the widened fit (``start``, ``grid``, ``rounds``, ``sweeps``).

    Returns
    -------
    pandas.DataFrame
        One row per fit, ``bounds`` ("default", "widened"): the six parameters [units per
        field], ``loss`` [-], ``median_abs_error_tokens_per_s_per_gpu`` and
        ``median_abs_error_tpot`` (in sample, fractions [-]).

    Examples
    --------
    >>> from analysis import perf
    >>> cs = calibration_set(mlperf_points().query("hardware == 'h200'"))
    >>> t = bounds_sensitivity(cs, default_fit=perf.Params(), rounds=1, sweeps=1)
    >>> t["bounds"].tolist(), t.shape
    (['default', 'widened'], (2, 10))
    """
    cs = calibration_set() if cs is None else cs
    widened_bounds = WIDENED_BOUNDS if widened_bounds is None else widened_bounds
    fits = {"default": perf.parameters() if default_fit is None else default_fit,
            "widened": calibrate(cs, bounds=widened_bounds, **kwargs)}
    rows = []
    for name, params in fits.items():
        summary = error_summary(evaluate(cs, params)).iloc[0]
        rows.append({"bounds": name, **{f.name: float(getattr(params, f.name)) for f in fields(perf.Params)},
                     "loss": loss(cs, params),
                     "median_abs_error_tokens_per_s_per_gpu": float(summary["median_abs_error_tokens_per_s_per_gpu"]),
                     "median_abs_error_tpot": float(summary["median_abs_error_tpot"])})
    return pd.DataFrame(rows)


# --- figures ---------------------------------------------------------------------------------


