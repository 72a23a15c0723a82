"""Appendix "Performance model": its parameters, its errors in and out of sample, parity and Pareto figures.

Computation lives in :mod:`analysis.perf` (step times, serving, sweeps),
:mod:`analysis.predict` (the interface with intervals), :mod:`analysis.systems`
(hardware) and :mod:`analysis.calibration` (fit, bootstrap, held-out refits);
this module presents it.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pandas as pd

from analysis import calibration, data, frontier, models, perf, systems
from analysis import jensen_math as jm
from analysis.figures import SOURCE_COLUMNS, FigureData, themed

#: Systems compared in the Pareto figure: (hardware, GPUs, precision).
PARETO_SYSTEMS = (("h200", 8, "fp8"), ("b200", 8, "fp4"), ("gb200", 72, "fp4"), ("gb300", 72, "fp4"),
                  ("rubin", 72, "fp4"))

#: Model and workload of the Pareto figure: model id, input and output tokens per request [tokens].
PARETO_MODEL, PARETO_ISL, PARETO_OSL = "deepseek-r1", 1024, 1024

#: Interactivities at which the Rubin projection is read against GB200 NVL72 [tokens/s per user].
RUBIN_INTERACTIVITY = (50.0, 100.0, 200.0)

#: A fitted value within this relative distance of a bound is "near" it [-].
NEAR_BOUND = 0.05

#: Labels of the fits whose errors the chapter compares.
FITS = {"in_sample": "calibrated, in sample", "hardware": "held-out hardware", "model_id": "held-out model",
        "roofline": "plain roofline"}


# --- parameters -------------------------------------------------------------------------------------


def parameter_table() -> pd.DataFrame:
    """The stored fit, its bootstrap range and where each value sits in its physical bounds.

    Returns
    -------
    pandas.DataFrame
        ``parameter, value, draws_q05, draws_q95, lower, upper`` [unit of the parameter], ``unit``,
        ``bound`` ("at lower", "near upper", "interior" ...), ``bound_status`` (how the bound is
        sourced: estimated or assumed) and ``bound_source``.
    """
    bounds = data.load("perf_bounds").set_index("parameter")
    central = perf.parameters()
    draws = np.array([p.as_array() for p in perf.parameter_draws()])
    rows = []
    for i, name in enumerate(perf.Params.names()):
        value, lo, hi = getattr(central, name), bounds.at[name, "lower"], bounds.at[name, "upper"]
        rows.append({"parameter": name, "value": value, "draws_q05": float(np.percentile(draws[:, i], 5)),
                     "draws_q95": float(np.percentile(draws[:, i], 95)), "lower": lo, "upper": hi,
                     "unit": bounds.at[name, "unit"], "bound": bound_position(value, lo, hi),
                     "bound_status": bounds.at[name, "status"], "bound_source": bounds.at[name, "source_title"]})
    return pd.DataFrame(rows)


def bound_position(value: float, lower: float, upper: float, near: float = NEAR_BOUND) -> str:
    """Where a fitted value sits in its bounds.

    Parameters
    ----------
    value, lower, upper : float
        The value and its bounds [any one unit].
    near : float
        Relative distance that counts as near [-].

    Returns
    -------
    str
        "at lower", "near lower", "interior", "near upper" or "at upper".

    Examples
    --------
    >>> [bound_position(v, 1.0, 100.0) for v in (1.0, 1.04, 10.0, 96.0, 100.0)]
    ['at lower', 'near lower', 'interior', 'near upper', 'at upper']
    """
    for side, bound in (("lower", lower), ("upper", upper)):
        gap = abs(value - bound) / max(abs(bound), 1e-300)
        if gap <= 1e-6:
            return f"at {side}"
        if gap <= near:
            return f"near {side}"
    return "interior"


# --- errors in and out of sample ----------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _calibration_set() -> calibration.CalibrationSet:
    return calibration.calibration_set()


@functools.lru_cache(maxsize=None)
def evaluation(fit: str) -> pd.DataFrame:
    """Predicted against measured for every calibration point, by one of :data:`FITS`.

    Parameters
    ----------
    fit : {"in_sample", "hardware", "model_id", "roofline"}
        The stored fit; the stored refits that did not see the point's hardware
        (or model); or a plain roofline (peak rates, no fixed costs) [-].

    Returns
    -------
    pandas.DataFrame
        :func:`analysis.calibration.evaluate` rows plus ``fit`` [-].
    """
    cs = _calibration_set()
    if fit == "in_sample":
        ev = calibration.evaluate(cs, perf.parameters())
    elif fit == "roofline":
        ev = calibration.evaluate(cs, perf.ROOFLINE)
    elif fit in calibration.HELD_OUT_COLUMNS:
        ev = calibration.leave_one_out(cs, fit)
    else:
        raise KeyError(f"unknown fit {fit!r}; fits: {', '.join(FITS)}")
    return ev.assign(fit=FITS[fit])


def error_table() -> pd.DataFrame:
    """Median |error| and share within 2x of TPOT, TTFT and tokens/s per GPU, by fit, dataset and regime.

    Returns
    -------
    pandas.DataFrame
        ``fit, dataset, regime, points`` then ``median_abs_error_<metric>``, ``within_2x_<metric>``
        (fractions [-]) and ``<metric>_points`` for each metric of :data:`analysis.calibration.METRICS`.
        MLPerf points (throughput-maximized, at the model's own best layout) have regime "all".
    """
    frames = []
    for fit, label in FITS.items():
        ev = evaluation(fit)
        sweeps = ev[ev["dataset"] == "sweeps"]
        frames += [calibration.error_summary(sweeps, ["regime"]).assign(dataset="serving sweeps"),
                   calibration.error_summary(sweeps).assign(dataset="serving sweeps", regime="all"),
                   calibration.error_summary(ev[ev["dataset"] == "mlperf"]).assign(dataset="MLPerf", regime="all")]
        for f in frames[-3:]:
            f["fit"] = label
    table = pd.concat(frames, ignore_index=True)
    rank = {r: i for i, r in enumerate(calibration.REGIMES)}
    table["_order"] = table["regime"].map(rank).fillna(len(rank))
    table = table.sort_values(["_order"], kind="stable")   # regimes in concurrency order within each fit
    table = pd.concat([table[table["fit"] == label] for label in FITS.values()])
    cols = ["fit", "dataset", "regime"] + [c for c in table.columns if c not in ("fit", "dataset", "regime", "_order")]
    return table[cols].reset_index(drop=True)


def disagg_table() -> pd.DataFrame:
    """Errors on the sweeps' disaggregated rows (not fitted on), overall and by hardware.

    Returns
    -------
    pandas.DataFrame
        ``hardware`` ("all" first), ``points``, ``infeasible`` [-] and the error columns of
        :func:`analysis.calibration.error_summary` [-].
    """
    ev = calibration.evaluate_disagg()
    table = pd.concat([calibration.error_summary(ev).assign(hardware="all"), calibration.error_summary(ev, ["hardware"])],
                      ignore_index=True)
    infeasible = (~ev["feasible"]).groupby(ev["hardware"]).sum()
    table["infeasible"] = table["hardware"].map(infeasible).fillna(infeasible.sum()).astype(int)
    cols = ["hardware", "points", "infeasible"] + [c for c in table.columns if c not in ("hardware", "points", "infeasible")]
    return table[cols]


def sweeps_disagg_rows() -> int:
    """Disaggregated rows in the serving sweeps, with or without worker counts [-]."""
    rows = data.load("serving_sweeps")
    return int((rows["mode"] == "disagg").sum())


def held_out_table(column: str) -> pd.DataFrame:
    """Errors of each held-out hardware (or model), sweeps and MLPerf together.

    Parameters
    ----------
    column : {"hardware", "model_id"}
        What was held out [-].

    Returns
    -------
    pandas.DataFrame
        ``held_out, points`` and the error columns of :func:`analysis.calibration.error_summary` [-].
    """
    return calibration.error_summary(evaluation(column), ["held_out"])


def parity_table() -> pd.DataFrame:
    """Every calibration point predicted by the refit that did not see its hardware, in long form.

    Returns
    -------
    pandas.DataFrame
        ``dataset, hardware, model_id, backend, regime, metric, measured, predicted`` (TPOT and TTFT [ms],
        output tokens/s per GPU [tokens/s]).
    """
    ev = evaluation("hardware")
    keys = ["dataset", "hardware", "model_id", "backend", "regime"]
    parts = []
    for metric, label, scale in (("tpot_s", "TPOT [ms]", 1e3), ("ttft_s", "TTFT [ms]", 1e3),
                                 ("output_tokens_per_s_per_gpu", "output tokens/s per GPU", 1.0)):
        pred, meas = calibration.METRICS[metric]
        has = ev[meas].notna() & ev[pred].notna()
        part = ev.loc[has, keys].assign(metric=label, measured=ev.loc[has, meas] * scale,
                                        predicted=ev.loc[has, pred] * scale)
        parts.append(part)
    table = pd.concat(parts, ignore_index=True)
    return table.sort_values(["metric", "dataset", "hardware", "model_id", "measured"], kind="stable").reset_index(
        drop=True)


def parity_figure():
    """fig-perf-parity: out-of-sample predictions (held-out hardware) against measurements.

    Returns
    -------
    analysis.figures.FigureData
        The chart, its data (:func:`parity_table`) and its sources.
    """
    import altair as alt

    table = parity_table()
    span = table.groupby("metric").agg(lo=("measured", "min"), hi=("measured", "max")).reset_index()
    guide = span.merge(pd.DataFrame({"line": ["equal", "2x", "half"], "k": [1.0, 2.0, 0.5]}), how="cross")
    guide = pd.concat([guide.assign(x=guide["lo"] / 1.5), guide.assign(x=guide["hi"] * 1.5)], ignore_index=True)
    guide = guide.assign(measured=guide["x"], predicted=guide["x"] * guide["k"])[["metric", "line", "measured",
                                                                                   "predicted"]]
    both = pd.concat([table.assign(line="point"), guide], ignore_index=True)
    log = alt.Scale(type="log", zero=False)
    rules = alt.Chart().transform_filter("datum.line != 'point'").mark_line(
        color="#888888", strokeDash=[4, 3]).encode(x=alt.X("measured:Q", scale=log),
                                                   y=alt.Y("predicted:Q", scale=log), detail="line:N")
    points = alt.Chart().transform_filter("datum.line == 'point'").mark_point(
        filled=True, size=18, opacity=0.5).encode(
        x=alt.X("measured:Q", title="Measured", scale=log),
        y=alt.Y("predicted:Q", title="Predicted by a fit that never saw this hardware", scale=log),
        color=alt.Color("hardware:N", title="Hardware", sort=list(systems.HARDWARE)),
        shape=alt.Shape("dataset:N", title="Dataset"),
        tooltip=["dataset:N", "hardware:N", "model_id:N", "backend:N", "regime:N",
                 alt.Tooltip("measured:Q", format=",.1f"), alt.Tooltip("predicted:Q", format=",.1f")],
    )
    # ~6,000 points: inline records (Altair's DataFrame path stops at 5,000 rows), rounded to 4 digits
    records = both.assign(**{k: both[k].map(lambda v: float(f"{v:.4g}")) for k in ("measured", "predicted")})
    records = records.astype(object).where(records.notna(), None).to_dict("records")
    chart = (
        alt.layer(rules, points, data=alt.Data(values=records))
        .properties(width=230, height=230)
        .facet(column=alt.Column("metric:N", title=None, sort=["TPOT [ms]", "TTFT [ms]", "output tokens/s per GPU"]))
        .resolve_scale(x="independent", y="independent")
        .properties(title="Held-out hardware: predicted vs measured; dashed: equality, 2x and 1/2x")
    )
    sources = pd.concat([data.load(name)[SOURCE_COLUMNS].drop_duplicates() for name in
                         ("serving_sweeps", "mlperf_v51", "mlperf_workloads", "models", "perf_holdout")])
    return FigureData(themed(chart, width=None, height=None), table, sources.drop_duplicates())


# --- frontiers -------------------------------------------------------------------------------------------


def _system_label(hw: str, gpus: int, precision: str) -> str:
    h = systems.get(hw)
    return f"{h.name} ({gpus} GPUs, {precision.upper()})" + (" - projection" if h.projection else "")


def pareto_table(model_id: str = PARETO_MODEL, isl: int = PARETO_ISL, osl: int = PARETO_OSL) -> pd.DataFrame:
    """Frontiers of :data:`PARETO_SYSTEMS` with their 5-95% bands, in long form.

    Parameters
    ----------
    model_id : str
        A model of ``data/models.csv`` [-].
    isl, osl : int
        Input and output tokens per request [tokens].

    Returns
    -------
    pandas.DataFrame
        ``system, hardware, precision`` [-], ``gpus`` [-], ``projection`` [bool],
        ``tokens_per_s_per_user`` [tokens/s], ``output_tokens_per_s_per_gpu`` and its
        ``_low``/``_high`` [tokens/s] (:func:`analysis.frontier.frontier_band`).
    """
    frames = []
    for hw, gpus, precision in PARETO_SYSTEMS:
        band = frontier.frontier_band(hw, model_id, precision, gpus, isl, osl)
        frames.append(band.dropna().assign(system=_system_label(hw, gpus, precision), hardware=hw,
                                           precision=precision, gpus=gpus, projection=systems.get(hw).projection))
    out = pd.concat(frames, ignore_index=True)
    cols = ["system", "hardware", "precision", "gpus", "projection", "tokens_per_s_per_user",
            "output_tokens_per_s_per_gpu", "output_tokens_per_s_per_gpu_low", "output_tokens_per_s_per_gpu_high"]
    return out[cols]


def _spec_sources(product_ids) -> pd.DataFrame:
    specs = data.load("hardware_specs")
    rows = jm.preferred(specs)
    return rows[rows["product_id"].isin(set(product_ids))][SOURCE_COLUMNS]


def pareto_figure():
    """fig-perf-pareto: throughput vs interactivity frontiers by system, with bands (:data:`PARETO_MODEL`).

    Returns
    -------
    analysis.figures.FigureData
        The chart, its data (:func:`pareto_table`) and its sources.
    """
    import altair as alt

    table = pareto_table()
    order = list(dict.fromkeys(table["system"]))
    x = alt.X("tokens_per_s_per_user:Q", title="Interactivity: output tokens/s per user", scale=alt.Scale(type="log"))
    color = alt.Color("system:N", title=None, sort=order, legend=alt.Legend(labelLimit=400, columns=1))
    base = alt.Chart(table)
    band = base.mark_area(opacity=0.15).encode(
        x=x, y=alt.Y("output_tokens_per_s_per_gpu_low:Q", scale=alt.Scale(type="log")),
        y2="output_tokens_per_s_per_gpu_high:Q", color=color, order="tokens_per_s_per_user:Q")
    line = base.mark_line().encode(
        x=x, y=alt.Y("output_tokens_per_s_per_gpu:Q", title="Output tokens/s per GPU (band: 5-95%)",
                     scale=alt.Scale(type="log")),
        color=color, strokeDash=alt.StrokeDash("projection:N", legend=None), order="tokens_per_s_per_user:Q",
        tooltip=["system", alt.Tooltip("tokens_per_s_per_user:Q", format=".1f"),
                 alt.Tooltip("output_tokens_per_s_per_gpu:Q", format=",.0f"),
                 alt.Tooltip("output_tokens_per_s_per_gpu_low:Q", format=",.0f"),
                 alt.Tooltip("output_tokens_per_s_per_gpu_high:Q", format=",.0f")])
    chart = alt.layer(band, line).properties(
        title=f"{models.get(PARETO_MODEL).name}, {PARETO_ISL:,} in / {PARETO_OSL:,} out: modelled frontiers")
    sources = pd.concat([
        _spec_sources([systems.HARDWARE[h] for h, _, _ in PARETO_SYSTEMS]),
        data.load("models").query(f"model_id == {PARETO_MODEL!r}")[SOURCE_COLUMNS],
        data.load("perf_parameters")[SOURCE_COLUMNS].drop_duplicates(),
        data.load("perf_uncertainty")[SOURCE_COLUMNS].drop_duplicates(),
    ])
    return FigureData(themed(chart, width=560, height=340), table, sources.drop_duplicates())


def frontier_ratio(numerator: tuple, denominator: tuple, interactivity=RUBIN_INTERACTIVITY,
                   model_id: str = PARETO_MODEL, isl: int = PARETO_ISL, osl: int = PARETO_OSL) -> pd.DataFrame:
    """Ratio of two systems' tokens/s per GPU at matched interactivity, with its 5-95% range over the draws.

    Both frontiers are computed with the same parameter set, draw by draw, so
    what the fit does not know about both (kernel efficiencies, engine
    overheads) largely cancels in the ratio.

    Parameters
    ----------
    numerator, denominator : tuple
        ``(hardware, gpus, precision)`` [-].
    interactivity : sequence of float
        Tokens/s per user to compare at [tokens/s].
    model_id : str
        Model [-].
    isl, osl : int
        Input and output tokens per request [tokens].

    Returns
    -------
    pandas.DataFrame
        ``tokens_per_s_per_user`` [tokens/s], ``ratio, ratio_low, ratio_high`` [-] (NaN where one
        system cannot serve that fast).
    """
    q = np.asarray(interactivity, dtype=float)

    def at(system, params):
        hw, gpus, precision = system
        return frontier.frontier_at(frontier.pareto_frontier(hw, model_id, precision, gpus, isl, osl, params=params), q)

    def per_draw(system):
        hw, gpus, precision = system
        table = frontier.sweep(hw, model_id, precision, gpus, isl, osl, params=perf.parameter_draws())
        table = table[table["feasible"]]
        out = []
        for _, draw in table.groupby("draw", sort=True):
            mask = frontier.pareto_mask(draw["tokens_per_s_per_user"], draw["output_tokens_per_s_per_gpu"])
            out.append(frontier.frontier_at(draw[mask].sort_values("tokens_per_s_per_user"), q))
        return np.array(out)

    central = at(numerator, perf.parameters()) / at(denominator, perf.parameters())
    ratios = per_draw(numerator) / per_draw(denominator)
    with warnings.catch_warnings():   # an interactivity no draw reaches stays NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        low, high = np.nanpercentile(ratios, [5, 95], axis=0)
    served = np.isfinite(central)   # where the central fit cannot serve that fast, no range either
    return pd.DataFrame({"tokens_per_s_per_user": q, "ratio": central,
                         "ratio_low": np.where(served, np.fmin(low, central), np.nan),
                         "ratio_high": np.where(served, np.fmax(high, central), np.nan)})


def rubin_table() -> pd.DataFrame:
    """The Rubin projection read as ratios to GB200 NVL72 and GB300 NVL72 at matched interactivity.

    Returns
    -------
    pandas.DataFrame
        ``against, tokens_per_s_per_user`` [-, tokens/s] and ``ratio, ratio_low, ratio_high`` [-].
    """
    rubin = next(s for s in PARETO_SYSTEMS if s[0] == "rubin")
    frames = [frontier_ratio(rubin, s).assign(against=_system_label(*s))
              for s in PARETO_SYSTEMS if s[0] in ("gb200", "gb300")]
    out = pd.concat(frames, ignore_index=True)
    return out[["against", "tokens_per_s_per_user", "ratio", "ratio_low", "ratio_high"]]


# --- the numbers the text quotes -------------------------------------------------------------------------


def headline() -> dict:
    """The numbers the appendix's text quotes, computed (each glued, none typed).

    Returns
    -------
    dict
        ``name -> value``: counts [-], median |errors| and shares within 2x [%], fitted
        parameters in display units (named ``*_pct``, ``*_ms``, ``*_us``), and
        ``mlperf_<model>_ratio``: median predicted / measured tokens/s per GPU of MLPerf [-].
    """
    cs = _calibration_set()
    pts = cs.points
    sweeps = pts[pts["dataset"] == "sweeps"]
    out = {"points": len(pts), "sweep_points": len(sweeps), "mlperf_points": int((pts["dataset"] == "mlperf").sum()),
           "sweep_hardware": ", ".join(s.upper() for s in sorted(sweeps["hardware"].unique())),
           "sweep_models": int(sweeps["model_id"].nunique()), "hardware_count": int(pts["hardware"].nunique()),
           "max_concurrency": int(sweeps["concurrency"].max()), "parameters": len(perf.Params.names()),
           "draws": len(perf.parameter_draws()), "mlperf_share_pct": 100 * calibration.MLPERF_SHARE,
           "ttft_weight": calibration.TTFT_WEIGHT}
    errors = error_table().set_index(["fit", "dataset", "regime"])
    for key, label in FITS.items():
        for dataset, tag in (("serving sweeps", "sweeps"), ("MLPerf", "mlperf")):
            row = errors.loc[(label, dataset, "all")]
            for metric, short in (("tpot_s", "tpot"), ("ttft_s", "ttft"), ("output_tokens_per_s_per_gpu", "tps")):
                if np.isfinite(row[f"median_abs_error_{metric}"]):
                    out[f"{key}_{tag}_{short}_err_pct"] = 100 * float(row[f"median_abs_error_{metric}"])
                    out[f"{key}_{tag}_{short}_2x_pct"] = 100 * float(row[f"within_2x_{metric}"])
        low = errors.loc[(label, "serving sweeps", "1-8")]
        out[f"{key}_low_tpot_err_pct"] = 100 * float(low["median_abs_error_tpot_s"])
    ev = evaluation("in_sample")
    mlperf = ev[ev["dataset"] == "mlperf"]
    ratio = mlperf["predicted_tokens_per_s_per_gpu"] / mlperf["measured_tokens_per_s_per_gpu"]
    for model_id, r in ratio.groupby(mlperf["model_id"]):
        out[f"mlperf_{model_id}_ratio"] = float(r.median())
    p = perf.parameters()
    out.update(compute_efficiency_pct=100 * p.compute_efficiency, memory_efficiency_pct=100 * p.memory_efficiency,
               kv_memory_efficiency_pct=100 * p.kv_memory_efficiency, network_efficiency_pct=100 * p.network_efficiency,
               gemm_half_tokens=p.gemm_half_tokens, ttft_burst_pct=100 * p.ttft_burst,
               collective_latency_us=1e6 * p.collective_latency_s, ttft_overhead_sglang_ms=1e3 * p.ttft_overhead_sglang_s,
               ttft_overhead_trtllm_ms=1e3 * p.ttft_overhead_trtllm_s, ttft_overhead_vllm_ms=1e3 * p.ttft_overhead_vllm_s)
    q = data.load("perf_uncertainty").set_index("metric")
    for metric, short in (("tpot_s", "tpot"), ("ttft_s", "ttft"), ("output_tokens_per_s_per_gpu", "tps")):
        out[f"{short}_band_low"] = float(np.exp(q.at[metric, "log_ratio_q05"]))
        out[f"{short}_band_high"] = float(np.exp(q.at[metric, "log_ratio_q95"]))
    dis = disagg_table().set_index("hardware").loc["all"]
    out.update(disagg_points=int(dis["points"]), disagg_infeasible=int(dis["infeasible"]),
               disagg_unscored=int(sweeps_disagg_rows() - dis["points"]))
    for metric, short in (("tpot_s", "tpot"), ("ttft_s", "ttft"), ("output_tokens_per_s_per_gpu", "tps")):
        out[f"disagg_{short}_err_pct"] = 100 * float(dis[f"median_abs_error_{metric}"])
        out[f"disagg_{short}_2x_pct"] = 100 * float(dis[f"within_2x_{metric}"])
    table = parameter_table()
    out["at_bound"] = ", ".join(table.loc[table["bound"].str.startswith("at"), "parameter"])
    return out


# --- anchors ---------------------------------------------------------------------------------------------


def anchor_table() -> pd.DataFrame:
    """The model side by side with NVIDIA's aiconfigurator and a plain roofline, on the points aiconfigurator ran.

    The points are :mod:`analysis.anchors`' seeded sample of the aggregated sweep rows
    (``data/perf_anchor_aiconfigurator.csv``); every predictor is scored on exactly the same ones.

    Returns
    -------
    pandas.DataFrame
        ``predictor, regime, points`` [-] and ``median_abs_error_tpot``, ``within_2x_tpot``,
        ``median_abs_error_ttft``, ``within_2x_ttft`` (fractions [-]); regime "all" for every point.
    """
    from analysis import anchors

    aic = anchors.aiconfigurator_errors().points
    aic = aic[aic["status"] == "ok"]
    predictors = {"NVIDIA aiconfigurator": aic.assign(p_tpot=aic["predicted_tpot_ms"] / 1e3,
                                                      p_ttft=aic["predicted_ttft_ms"] / 1e3)}
    for fit in ("in_sample", "hardware", "roofline"):
        ev = evaluation(fit)
        ev = ev[ev["dataset"] == "sweeps"].drop_duplicates("point_id").set_index("point_id")
        predictors[f"this model, {FITS[fit]}" if fit != "roofline" else FITS[fit]] = aic.assign(
            p_tpot=ev.loc[aic["point_id"], "predicted_tpot_s"].to_numpy(),
            p_ttft=ev.loc[aic["point_id"], "predicted_ttft_s"].to_numpy())
    rows = []
    for name, t in predictors.items():
        for regime, g in [*t.groupby("regime", sort=False), ("all", t)]:
            row = {"predictor": name, "regime": regime, "points": len(g)}
            for metric in ("tpot", "ttft"):
                ratio = g[f"p_{metric}"].to_numpy(dtype=float) / (g[f"{metric}_ms"].to_numpy(dtype=float) / 1e3)
                ratio = np.where(np.isfinite(ratio), ratio, 10.0)     # infeasible counts as 10x, as elsewhere
                row[f"median_abs_error_{metric}"] = float(np.median(np.abs(ratio - 1)))
                row[f"within_2x_{metric}"] = float(((ratio >= 0.5) & (ratio <= 2)).mean())
            rows.append(row)
    table = pd.DataFrame(rows)
    rank = {r: i for i, r in enumerate([*calibration.REGIMES, "all"])}
    table["_r"] = table["regime"].map(rank)
    table["_p"] = table["predictor"].map({p: i for i, p in enumerate(predictors)})
    return table.sort_values(["_p", "_r"]).drop(columns=["_r", "_p"]).reset_index(drop=True)
