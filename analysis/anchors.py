"""Outside anchors for the performance model: NVIDIA's aiconfigurator on a sample of the calibration points.

aiconfigurator (PyPI ``aiconfigurator``, Apache-2.0,
https://github.com/ai-dynamo/aiconfigurator) predicts a serving
configuration's TTFT and TPOT from a database of kernels measured on each GPU
(H100 to GB300; no Rubin).  ``benchmarks/aiconfigurator_anchor.py`` asks it
for a seeded, stratified sample of the aggregated rows of
``data/serving_sweeps.csv`` (:func:`sample_points`), each at its recorded
layout and engine, and stores the answers in
``data/perf_anchor_aiconfigurator.csv``.  This module reads that table back
against the measurements (:func:`aiconfigurator_errors`).

Two things to keep in mind when reading the errors:

* the measured points are aiconfigurator's own ``silicon_sample.csv``, so the
  tool is scored on data its makers hold (not a blind test of the tool);
* the database holds kernels of one engine version per backend (TensorRT-LLM
  1.3.0rc20, vLLM 0.24.0, SGLang 0.5.14 in 0.12.0), newer than most engines
  the points were measured with: the table records both.

The error definitions are those of :func:`analysis.calibration.error_summary`:
``|predicted / measured - 1|`` and the share of points within a factor of 2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import calibration, data

#: Seed and size of the sample: points per (hardware, concurrency regime) cell [-].
SAMPLE_SEED = 20261203
SAMPLE_PER_CELL = 14

#: The anchor's metrics: name -> (predicted column of the anchor table, measured column of serving_sweeps) [ms].
METRICS = {"tpot": ("predicted_tpot_ms", "tpot_ms"), "ttft": ("predicted_ttft_ms", "ttft_ms")}


def sample_points(sweeps: pd.DataFrame | None = None, per_cell: int = SAMPLE_PER_CELL,
                  seed: int = SAMPLE_SEED) -> pd.DataFrame:
    """A seeded sample of aggregated serving-sweep rows, stratified by hardware, concurrency regime, model and engine.

    Each (hardware, regime) cell gives up to ``per_cell`` rows; inside a cell
    the (model, engine) groups are visited in a seeded order, one random row
    each per round, so that every group present is represented before any
    gives a second row.  Cells with fewer rows give them all.

    Parameters
    ----------
    sweeps : pandas.DataFrame, optional
        ``data.load("serving_sweeps")`` rows (loaded if omitted); needs
        ``point_id, mode, hardware, model_id, backend, concurrency``.
    per_cell : int
        Rows per (hardware, regime) cell [-].
    seed : int
        Seed of the ``numpy.random.default_rng`` that orders groups and rows [-].

    Returns
    -------
    pandas.DataFrame
        The sampled rows (all columns of ``sweeps``) plus ``regime``
        (:func:`analysis.calibration.regime_of`), sorted by ``point_id``.

    Examples
    --------
    >>> toy = pd.DataFrame({"point_id": [f"p{i}" for i in range(6)], "mode": ["agg"] * 5 + ["disagg"],
    ...                     "hardware": ["h100"] * 6, "model_id": ["a", "a", "a", "b", "b", "a"],
    ...                     "backend": ["vllm"] * 6, "concurrency": [1, 2, 4, 8, 128, 1]})
    >>> s = sample_points(toy, per_cell=2, seed=0)
    >>> s.groupby("regime")["model_id"].apply(lambda m: sorted(m)).to_dict()
    {'1-8': ['a', 'b'], '128+': ['b']}
    """
    sweeps = data.load("serving_sweeps") if sweeps is None else sweeps
    rows = sweeps[sweeps["mode"] == "agg"].sort_values("point_id").reset_index(drop=True)
    rows["regime"] = calibration.regime_of(rows["concurrency"].astype(float))
    rng = np.random.default_rng(seed)
    picked: list[int] = []
    for _, cell in rows.groupby(["hardware", "regime"], sort=True):
        queues = [rng.permutation(g.index.to_numpy()) for _, g in cell.groupby(["model_id", "backend"], sort=True)]
        order = rng.permutation(len(queues))
        take: list[int] = []
        depth = 0
        # round-robin over the groups: breadth before depth
        while len(take) < per_cell and depth < max(len(q) for q in queues):
            for k in order:
                if depth < len(queues[k]) and len(take) < per_cell:
                    take.append(int(queues[k][depth]))
            depth += 1
        picked += take
    return rows.loc[sorted(picked)].sort_values("point_id").reset_index(drop=True)


@dataclass(frozen=True)
class AnchorErrors:
    """aiconfigurator's predictions against the measurements.

    Attributes
    ----------
    points : pandas.DataFrame
        One row per anchor point: ``point_id, hardware, model_id, backend,
        concurrency, regime, status``, measured ``tpot_ms, ttft_ms`` [ms],
        ``predicted_tpot_ms, predicted_ttft_ms`` [ms], ``ratio_tpot,
        ratio_ttft`` (predicted / measured [-]) and ``abs_error_tpot,
        abs_error_ttft`` (``|ratio - 1|`` [-]); NaN where unsupported.
    summary : pandas.DataFrame
        :func:`error_summary` overall (``group == "all"``) and by regime.
    """

    points: pd.DataFrame
    summary: pd.DataFrame


def error_summary(points: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Median |error|, share within 2x and median ratio of TPOT and TTFT, over the points aiconfigurator ran.

    Parameters
    ----------
    points : pandas.DataFrame
        ``AnchorErrors.points`` rows (``status``, ``ratio_<metric>``, ``abs_error_<metric>`` [-]).
    by : str, optional
        Column to group by (e.g. ``"regime"``); the label column is ``group``.

    Returns
    -------
    pandas.DataFrame
        ``group, points, ok, unsupported`` [-] and, per metric,
        ``median_abs_error_<metric>``, ``within_2x_<metric>`` and
        ``median_ratio_<metric>`` [-] (NaN when no point ran).

    Examples
    --------
    >>> p = pd.DataFrame({"status": ["ok", "ok", "unsupported"], "ratio_tpot": [1.5, 0.25, np.nan],
    ...                   "abs_error_tpot": [0.5, 0.75, np.nan], "ratio_ttft": [1.0, 3.0, np.nan],
    ...                   "abs_error_ttft": [0.0, 2.0, np.nan]})
    >>> s = error_summary(p).iloc[0]
    >>> int(s["ok"]), float(s["median_abs_error_tpot"]), float(s["within_2x_ttft"])
    (2, 0.625, 0.5)
    """

    def stats(label: str, g: pd.DataFrame) -> dict:
        ok = g["status"] == "ok"
        row = {"group": label, "points": len(g), "ok": int(ok.sum()), "unsupported": int((~ok).sum())}
        for metric in METRICS:
            ratio = g.loc[ok, f"ratio_{metric}"].to_numpy(dtype=float)
            err = g.loc[ok, f"abs_error_{metric}"].to_numpy(dtype=float)
            has = len(ratio) > 0
            row[f"median_abs_error_{metric}"] = float(np.median(err)) if has else np.nan
            row[f"within_2x_{metric}"] = float(((ratio >= 0.5) & (ratio <= 2.0)).mean()) if has else np.nan
            row[f"median_ratio_{metric}"] = float(np.median(ratio)) if has else np.nan
        return row

    if by is None:
        return pd.DataFrame([stats("all", points)])
    return pd.DataFrame([stats(str(key), g) for key, g in points.groupby(by, sort=True)])


def aiconfigurator_errors(predicted: pd.DataFrame | None = None,
                          measured: pd.DataFrame | None = None) -> AnchorErrors:
    """Measured against aiconfigurator-predicted TPOT and TTFT, per point and summarized overall and by regime.

    Parameters
    ----------
    predicted : pandas.DataFrame, optional
        ``data.load("perf_anchor_aiconfigurator")`` rows (loaded if omitted):
        ``point_id, status, predicted_tpot_ms, predicted_ttft_ms`` [ms].
    measured : pandas.DataFrame, optional
        ``data.load("serving_sweeps")`` rows (loaded if omitted): ``point_id,
        hardware, model_id, backend, concurrency, tpot_ms, ttft_ms`` [ms].

    Returns
    -------
    AnchorErrors
        Per-point ratios and errors, and their summary; regimes as in
        :data:`analysis.calibration.REGIMES`.

    Raises
    ------
    KeyError
        If a predicted point is not among the measured ones.

    Examples
    --------
    >>> pred = pd.DataFrame({"point_id": ["a", "b"], "status": ["ok", "unsupported"],
    ...                      "predicted_tpot_ms": [30.0, np.nan], "predicted_ttft_ms": [100.0, np.nan]})
    >>> meas = pd.DataFrame({"point_id": ["a", "b"], "hardware": ["h100"] * 2, "model_id": ["m"] * 2,
    ...                      "backend": ["vllm"] * 2, "concurrency": [4, 256],
    ...                      "tpot_ms": [20.0, 10.0], "ttft_ms": [400.0, 50.0]})
    >>> e = aiconfigurator_errors(pred, meas)
    >>> e.points[["ratio_tpot", "abs_error_ttft"]].iloc[0].tolist()
    [1.5, 0.75]
    >>> e.summary[["group", "ok", "unsupported"]].values.tolist()
    [['all', 1, 1], ['1-8', 1, 0], ['128+', 0, 1]]
    """
    predicted = data.load("perf_anchor_aiconfigurator") if predicted is None else predicted
    measured = data.load("serving_sweeps") if measured is None else measured
    missing = sorted(set(predicted["point_id"]) - set(measured["point_id"]))
    if missing:
        raise KeyError(f"anchor points not in serving_sweeps: {missing[:5]}")
    keep = ["point_id", "hardware", "model_id", "backend", "concurrency", "tpot_ms", "ttft_ms"]
    points = predicted[["point_id", "status", "predicted_tpot_ms", "predicted_ttft_ms"]].merge(
        measured[keep], on="point_id", how="left", validate="one_to_one")
    points["regime"] = calibration.regime_of(points["concurrency"].astype(float))
    ok = (points["status"] == "ok").to_numpy()
    for metric, (pred_col, meas_col) in METRICS.items():
        ratio = points[pred_col].to_numpy(dtype=float) / points[meas_col].to_numpy(dtype=float)
        points[f"ratio_{metric}"] = np.where(ok, ratio, np.nan)
        points[f"abs_error_{metric}"] = np.abs(points[f"ratio_{metric}"] - 1.0)
    by_regime = error_summary(points, by="regime")
    by_regime = by_regime.set_index("group").reindex([r for r in calibration.REGIMES if r in set(by_regime["group"])])
    summary = pd.concat([error_summary(points), by_regime.reset_index()], ignore_index=True)
    columns = ["point_id", "hardware", "model_id", "backend", "concurrency", "regime", "status", "tpot_ms",
               "ttft_ms", "predicted_tpot_ms", "predicted_ttft_ms", "ratio_tpot", "ratio_ttft", "abs_error_tpot",
               "abs_error_ttft"]
    return AnchorErrors(points=points[columns], summary=summary)
