"""Aggregated and disaggregated throughput-interactivity frontiers at steady state, from :mod:`analysis.perf`.

An *aggregated* deployment of a budget of GPUs runs replicas of one engine;
its frontier is the Pareto set of :func:`analysis.frontier.sweep` over every
engine size that fits the budget (replicas do not change tokens per GPU).
A *disaggregated* deployment splits the budget into prefill and decode
workers; its frontier is the Pareto set of :func:`analysis.perf.serve_disagg`
over every pair of layouts, worker counts that fit the budget and
concurrency, with the KV cache crossing NVLink when the whole deployment sits
in one NVLink domain and the NIC otherwise.  Tokens per GPU count both pools.

Per megawatt: tokens/s per GPU divided by the system power per GPU
(:attr:`analysis.systems.HardwareSpec.power_kw`, whole system or rack).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from analysis import frontier, models, perf, systems

#: Columns of a frontier table.
COLUMNS = ["mode", "gpus", "tokens_per_s_per_user", "output_tokens_per_s_per_gpu", "output_tokens_per_s_per_mw",
           "ttft_s", "tpot_s", "concurrency", "config"]


def _engine_sizes(budget: int) -> list[int]:
    return [g for g in (1, 2, 4, 8, 16, 32, 64, 72, 128, 144) if g <= budget and budget % g == 0 or g == budget]


def _frontier(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[np.isfinite(frame["tokens_per_s_per_user"]) & (frame["output_tokens_per_s_per_gpu"] > 0)]
    mask = frontier.pareto_mask(frame["tokens_per_s_per_user"], frame["output_tokens_per_s_per_gpu"])
    return frame[mask].sort_values("tokens_per_s_per_user").reset_index(drop=True)


def agg_frontier(hardware_id: str, model_id: str, precision: str, budget: int, isl: int, osl: int, params=None,
                 backend: str = perf.DEFAULT_BACKEND, max_ttft_s: float = np.inf) -> pd.DataFrame:
    """Frontier of aggregated serving on ``budget`` GPUs (replicas of the best engine size at each point).

    Parameters
    ----------
    hardware_id, model_id, precision : str
        As :func:`analysis.frontier.sweep` [-].
    budget : int
        GPUs available [-].
    isl, osl : int
        Input and output tokens per request [tokens].
    params : analysis.perf.Params, optional
        Parameters; default :func:`analysis.perf.parameters` [units per field].
    backend : str
        Engine [-].
    max_ttft_s : float
        Points with a longer TTFT are dropped [s].

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS` (tokens/s [tokens/s], per MW [tokens/s/MW], latencies [s]).

    Examples
    --------
    >>> f = agg_frontier("h100", "llama-3.3-70b", "fp8", 8, 3000, 150, params=perf.ROOFLINE)
    >>> bool(f["output_tokens_per_s_per_gpu"].is_monotonic_decreasing)
    True
    """
    p = perf.parameters() if params is None else params
    power = systems.get(hardware_id).power_kw
    frames = []
    for g in _engine_sizes(budget):
        s = frontier.sweep(hardware_id, model_id, precision, g, isl, osl, params=p, backend=backend)
        s = s[s["feasible"] & (s["ttft_s"] <= max_ttft_s)]
        frames.append(pd.DataFrame({
            "mode": "aggregated", "gpus": budget, "tokens_per_s_per_user": s["tokens_per_s_per_user"],
            "output_tokens_per_s_per_gpu": s["output_tokens_per_s_per_gpu"],
            "output_tokens_per_s_per_mw": s["output_tokens_per_s_per_gpu"] * 1000.0 / power,
            "ttft_s": s["ttft_s"], "tpot_s": s["tpot_s"], "concurrency": s["concurrency"] * (budget // g),
            "config": [f"{budget // g} x (tp {a}, dp {b}, ep {e})" for a, b, e in zip(s["tp"], s["dp"], s["moe_ep"])]}))
    return _frontier(pd.concat(frames, ignore_index=True))


def disagg_frontier(hardware_id: str, model_id: str, precision: str, budget: int, isl: int, osl: int, params=None,
                    backend: str = perf.DEFAULT_BACKEND, max_ttft_s: float = np.inf) -> pd.DataFrame:
    """Frontier of disaggregated serving on at most ``budget`` GPUs.

    Parameters
    ----------
    hardware_id, model_id, precision, budget, isl, osl, params, backend, max_ttft_s
        As :func:`agg_frontier`.  The KV cache crosses NVLink when one prefill and one
        decode worker fit an NVLink domain, else the NIC (:func:`analysis.perf.serve_disagg`).

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS`; ``gpus`` is what the configuration uses.

    Examples
    --------
    >>> f = disagg_frontier("h100", "llama-3.3-70b", "fp8", 8, 3000, 150, params=perf.ROOFLINE)
    >>> int(f["gpus"].max()) <= 8
    True
    """
    p = perf.parameters() if params is None else params
    h, m = systems.get(hardware_id), models.get(model_id)
    c = perf.constants(m, precision, h, isl, osl)
    bidx = perf.backend_index(backend)
    rows = []
    for gp in _engine_sizes(budget // 2 if budget >= 2 else 1):
        pre = perf.layouts(h, m, gp)
        for gd in _engine_sizes(budget - gp):
            dec = perf.layouts(h, m, gd)
            for npw in range(1, (budget - gd) // gp + 1):
                ndw_max = (budget - npw * gp) // gd
                for ndw in sorted({1, ndw_max}):
                    if ndw < 1:
                        continue
                    used = npw * gp + ndw * gd
                    conc = frontier.default_concurrencies(gd * ndw)
                    P, D, C = np.meshgrid(np.arange(len(pre)), np.arange(len(dec)), conc, indexing="ij")
                    P, D, C = P.ravel(), D.ravel(), C.ravel()
                    lp = {k: pre[P, i] for i, k in enumerate(("tp", "dp", "moe_tp", "moe_ep"))}
                    ld = {k: dec[D, i] for i, k in enumerate(("tp", "dp", "moe_tp", "moe_ep"))}
                    r = perf.serve_disagg(c, p, lp, ld, bidx, C, npw, ndw)
                    ok = r["feasible"] & (r["ttft_s"] <= max_ttft_s) & (r["prefill_utilization"] < 0.99)
                    rows.append(pd.DataFrame({
                        "mode": "disaggregated", "gpus": used, "tokens_per_s_per_user": r["tokens_per_s_per_user"][ok],
                        "output_tokens_per_s_per_gpu": r["output_tokens_per_s_per_gpu"][ok],
                        "ttft_s": r["ttft_s"][ok], "tpot_s": r["tpot_s"][ok], "concurrency": C[ok],
                        "config": [f"{npw} x P(tp {lp['tp'][i]}, ep {lp['moe_ep'][i]}) + {ndw} x D(tp {ld['tp'][i]}, "
                                   f"dp {ld['dp'][i]}, ep {ld['moe_ep'][i]})" for i in np.flatnonzero(ok)]}))
    frame = pd.concat(rows, ignore_index=True)
    frame["output_tokens_per_s_per_mw"] = frame["output_tokens_per_s_per_gpu"] * 1000.0 / h.power_kw
    return _frontier(frame)[COLUMNS]


def ratio_along(numerator: pd.DataFrame, denominator: pd.DataFrame, column: str = "output_tokens_per_s_per_gpu",
                points: int = 60) -> pd.DataFrame:
    """The ratio of two frontiers at matched interactivity, where both reach it.

    Parameters
    ----------
    numerator, denominator : pandas.DataFrame
        Frontiers sorted by ``tokens_per_s_per_user``.
    column : str
        Throughput column compared [tokens/s or tokens/s/MW].
    points : int
        Interactivities on the (log) grid of the common range [-].

    Returns
    -------
    pandas.DataFrame
        ``tokens_per_s_per_user`` [tokens/s], ``numerator, denominator`` [unit of column], ``ratio`` [-].

    Examples
    --------
    >>> a = pd.DataFrame({"tokens_per_s_per_user": [10.0, 100.0], "output_tokens_per_s_per_gpu": [400.0, 40.0]})
    >>> b = pd.DataFrame({"tokens_per_s_per_user": [10.0, 50.0], "output_tokens_per_s_per_gpu": [100.0, 50.0]})
    >>> ratio_along(a, b, points=2)["ratio"].round(2).tolist()
    [4.0, 1.6]
    """
    lo = max(numerator["tokens_per_s_per_user"].min(), denominator["tokens_per_s_per_user"].min())
    hi = min(numerator["tokens_per_s_per_user"].max(), denominator["tokens_per_s_per_user"].max())
    if not lo < hi:
        return pd.DataFrame(columns=["tokens_per_s_per_user", "numerator", "denominator", "ratio"])
    grid = np.geomspace(lo, hi, points)
    def pick(f):
        return pd.DataFrame({"tokens_per_s_per_user": f["tokens_per_s_per_user"].to_numpy(),
                             "output_tokens_per_s_per_gpu": f[column].to_numpy()})

    num, den = frontier.frontier_at(pick(numerator), grid), frontier.frontier_at(pick(denominator), grid)
    return pd.DataFrame({"tokens_per_s_per_user": grid, "numerator": num, "denominator": den, "ratio": num / den})


@functools.lru_cache(maxsize=128)
def best_frontier(hardware_id: str, model_id: str, precision: str, budget: int, isl: int, osl: int, params=None,
                  backend: str = perf.DEFAULT_BACKEND, mode: str = "both") -> pd.DataFrame:
    """Aggregated, disaggregated, or the better of the two at each interactivity (cached).

    Parameters
    ----------
    hardware_id, model_id, precision, budget, isl, osl, params, backend
        As :func:`agg_frontier` (``params`` must be hashable: a Params or None).
    mode : {"agg", "disagg", "both"}
        Which deployments [-].

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS`.
    """
    parts = []
    if mode in ("agg", "both"):
        parts.append(agg_frontier(hardware_id, model_id, precision, budget, isl, osl, params, backend))
    if mode in ("disagg", "both"):
        parts.append(disagg_frontier(hardware_id, model_id, precision, budget, isl, osl, params, backend))
    frame = pd.concat(parts, ignore_index=True)
    return _frontier(frame)[COLUMNS] if mode == "both" else frame[COLUMNS]
