"""Appendix "Performance model": the parity and Pareto figures and their tables.

Computation lives in :mod:`analysis.perf` (step times, serving, sweeps),
:mod:`analysis.systems` (hardware) and :mod:`analysis.calibration` (fit and
errors); this module presents it.
"""

from __future__ import annotations

import pandas as pd

from analysis import calibration, data, models, perf, systems
from analysis import jensen_math as jm
from analysis.figures import SOURCE_COLUMNS, FigureData, themed

#: Systems compared in the Pareto figure: (hardware, GPUs, precision).
PARETO_SYSTEMS = (("h200", 8, "fp8"), ("b200", 8, "fp4"), ("gb200", 72, "fp4"), ("gb300", 72, "fp4"),
                  ("rubin", 72, "fp4"))

#: Model and workload of the Pareto figure: model id, input and output tokens per request [tokens].
PARETO_MODEL, PARETO_ISL, PARETO_OSL = "deepseek-r1", 1024, 1024


def parity_table(ev: pd.DataFrame | None = None) -> pd.DataFrame:
    """Predicted vs measured for every point and metric, in long form.

    Parameters
    ----------
    ev : pandas.DataFrame, optional
        :func:`evaluate` rows; default the stored parameters on all MLPerf points.

    Returns
    -------
    pandas.DataFrame
        ``result_id, hardware, model_id, scenario, regime, metric, measured, predicted``
        (tokens/s per GPU [tokens/s] or TPOT [ms]).
    """
    if ev is None:
        ev = calibration.evaluate(calibration.calibration_set(), perf.parameters())
    keys = ["result_id", "hardware", "model_id", "scenario", "regime"]
    tps = ev[keys].assign(metric="output tokens/s per GPU", measured=ev["tokens_per_s_per_gpu"],
                          predicted=ev["predicted_tokens_per_s_per_gpu"])
    lat = ev[ev["measured_tpot_s"].notna()]
    tpot = lat[keys].assign(metric="TPOT [ms]", measured=lat["measured_tpot_s"] * 1e3,
                            predicted=lat["predicted_tpot_s"] * 1e3)
    return pd.concat([tps, tpot], ignore_index=True)


def parity_figure():
    """fig-perf-parity: predicted vs measured, every MLPerf point used.

    Returns
    -------
    analysis.figures.FigureData
        The chart, its data (:func:`parity_table`) and its sources.
    """
    import altair as alt

    table = parity_table()
    base = alt.Chart(table)
    points = base.mark_point(filled=True, size=60, opacity=0.75).encode(
        x=alt.X("measured:Q", title="Measured (MLPerf Inference v5.1)", scale=alt.Scale(type="log", zero=False)),
        y=alt.Y("predicted:Q", title="Predicted by the model", scale=alt.Scale(type="log", zero=False)),
        color=alt.Color("hardware:N", title="Hardware", sort=list(systems.HARDWARE)),
        shape=alt.Shape("model_id:N", title="Model"),
        tooltip=["result_id", "hardware", "model_id", "scenario", alt.Tooltip("measured:Q", format=",.1f"),
                 alt.Tooltip("predicted:Q", format=",.1f")],
    )
    span = table.groupby("metric").agg(lo=("measured", "min"), hi=("measured", "max")).reset_index()
    guide = span.merge(pd.DataFrame({"line": ["equal", "2x", "half"], "k": [1.0, 2.0, 0.5]}), how="cross")
    guide = pd.concat([guide.assign(x=guide["lo"] / 1.5), guide.assign(x=guide["hi"] * 1.5)], ignore_index=True)
    guide = guide.assign(measured=guide["x"], predicted=guide["x"] * guide["k"])[["metric", "line", "measured", "predicted"]]
    both = pd.concat([table.assign(line="point"), guide], ignore_index=True)
    log = alt.Scale(type="log", zero=False)
    rules = alt.Chart().transform_filter("datum.line != 'point'").mark_line(
        color="#888888", strokeDash=[4, 3]).encode(x=alt.X("measured:Q", scale=log), y=alt.Y("predicted:Q", scale=log),
                                                   detail="line:N")
    points = alt.Chart().transform_filter("datum.line == 'point'").mark_point(filled=True, size=60, opacity=0.75).encode(
        x=alt.X("measured:Q", title="Measured (MLPerf Inference v5.1)", scale=log),
        y=alt.Y("predicted:Q", title="Predicted by the model", scale=log),
        color=alt.Color("hardware:N", title="Hardware", sort=list(systems.HARDWARE)),
        shape=alt.Shape("model_id:N", title="Model"),
        tooltip=["result_id", "hardware", "model_id", "scenario", alt.Tooltip("measured:Q", format=",.1f"),
                 alt.Tooltip("predicted:Q", format=",.1f")],
    )
    chart = (
        alt.layer(rules, points, data=both)
        .properties(width=280, height=280)
        .facet(column=alt.Column("metric:N", title=None))
        .resolve_scale(x="independent", y="independent")
        .properties(title="Predicted vs measured; dashed: equality, 2x and 1/2x")
    )
    sources = pd.concat([data.load("mlperf_v51")[SOURCE_COLUMNS], data.load("mlperf_workloads")[SOURCE_COLUMNS],
                         data.load("models")[SOURCE_COLUMNS]])
    return FigureData(themed(chart, width=None, height=None), table, sources)


def pareto_table(model_id: str = PARETO_MODEL, isl: int = PARETO_ISL, osl: int = PARETO_OSL) -> pd.DataFrame:
    """Frontiers of :data:`PARETO_SYSTEMS` for one model and workload, in long form.

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
        ``tp, dp, ep, concurrency`` [-], ``tokens_per_s_per_user,
        output_tokens_per_s_per_gpu`` [tokens/s].
    """
    frames = []
    for hw, gpus, precision in PARETO_SYSTEMS:
        f = perf.pareto_frontier(hw, model_id, precision, gpus, isl, osl)
        h = systems.get(hw)
        label = f"{h.name} ({gpus} GPUs, {precision.upper()})" + (" - projection" if h.projection else "")
        frames.append(f.assign(system=label, hardware=hw, precision=precision, gpus=gpus, projection=h.projection))
    out = pd.concat(frames, ignore_index=True)
    cols = ["system", "hardware", "precision", "gpus", "projection", "tp", "dp", "ep", "concurrency",
            "tokens_per_s_per_user", "output_tokens_per_s_per_gpu"]
    return out[cols]


def _spec_sources(product_ids) -> pd.DataFrame:
    specs = data.load("hardware_specs")
    rows = jm.preferred(specs)
    return rows[rows["product_id"].isin(set(product_ids))][SOURCE_COLUMNS]


def pareto_figure():
    """fig-perf-pareto: throughput vs interactivity frontiers by system (:data:`PARETO_MODEL`).

    Returns
    -------
    analysis.figures.FigureData
        The chart, its data (:func:`pareto_table`) and its sources.
    """
    import altair as alt

    table = pareto_table()
    chart = (
        alt.Chart(table)
        .mark_line(point=alt.OverlayMarkDef(size=30))
        .encode(
            x=alt.X("tokens_per_s_per_user:Q", title="Interactivity: output tokens/s per user",
                    scale=alt.Scale(type="log")),
            y=alt.Y("output_tokens_per_s_per_gpu:Q", title="Output tokens/s per GPU", scale=alt.Scale(type="log")),
            color=alt.Color("system:N", title=None, sort=list(dict.fromkeys(table["system"])),
                            legend=alt.Legend(labelLimit=400, columns=1)),
            strokeDash=alt.StrokeDash("projection:N", title="Projection", legend=None),
            order="tokens_per_s_per_user:Q",
            tooltip=["system", "tp", "dp", "ep", "concurrency",
                     alt.Tooltip("tokens_per_s_per_user:Q", format=".1f"),
                     alt.Tooltip("output_tokens_per_s_per_gpu:Q", format=",.0f")],
        )
        .properties(title=f"{models.get(PARETO_MODEL).name}, {PARETO_ISL:,} in / {PARETO_OSL:,} out: "
                          "modelled throughput-interactivity frontiers")
    )
    sources = pd.concat([
        _spec_sources([systems.HARDWARE[h] for h, _, _ in PARETO_SYSTEMS]),
        data.load("models").query(f"model_id == {PARETO_MODEL!r}")[SOURCE_COLUMNS],
        data.load("perf_parameters")[SOURCE_COLUMNS],
    ])
    return FigureData(themed(chart, width=560, height=340), table, sources)
