"""Dynamo's SLA planner: prefill and decode pool sizes for TTFT and ITL targets, re-planned as load changes.

The planner (ai-dynamo/dynamo ``docs/architecture/sla_planner.md``; defaults in
``components/src/dynamo/planner/defaults.py``: adjustment interval 180 s,
TTFT 500 ms, ITL 50 ms, ISL 3000, OSL 150) sizes the pools each interval from
the predicted load and the engines' profiles:

    prefill replicas = ceil(requests x ISL / interval / prefill tokens/s per GPU / GPUs per engine)
    decode replicas  = ceil(requests x OSL / interval / decode tokens/s per GPU at the ITL target / GPUs per engine)

where the decode throughput is the best one whose ITL meets the target at
context ``ISL + OSL / 2``.  Here the profiles come from
:mod:`analysis.serving` engines (so from :mod:`analysis.perf`), and the load
predictor is Dynamo's "constant" one (next interval = this interval).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis import serving, traces

#: The SLA planner's defaults (Dynamo ``SLAPlannerDefaults``).
ADJUSTMENT_INTERVAL_S = 180.0
TTFT_TARGET_S = 0.5
ITL_TARGET_S = 0.05


def prefill_rate(e: serving.Engine, isl: float) -> float:
    """Prompt tokens per second per GPU of a prefill engine at one prompt per step [tokens/s].

    Parameters
    ----------
    e : analysis.serving.Engine
        The prefill engine.
    isl : float
        Prompt length (after prefix hits) [tokens].
    """
    return isl / e.step_s(0, 0, [(int(isl), 0)]) / e.gpus


def decode_rate(e: serving.Engine, isl: float, osl: float, itl_s: float = ITL_TARGET_S) -> tuple[float, int]:
    """The best output tokens/s per GPU of a decode engine whose ITL meets the target, and its batch.

    Parameters
    ----------
    e : analysis.serving.Engine
        The decode engine.
    isl, osl : float
        Mean prompt and output lengths [tokens].
    itl_s : float
        ITL target [s].

    Returns
    -------
    tuple
        (tokens/s per GPU [tokens/s], sequences in the batch [-]); (0, 0) if even one sequence misses it.

    Examples
    --------
    >>> from analysis import perf
    >>> e = serving.engine("h100", "llama-3.3-70b", "fp8", tp=8, params=perf.ROOFLINE, max_batch=256)
    >>> rate, batch = decode_rate(e, 3000, 150)
    >>> batch > 100, rate > 1000
    (True, True)
    """
    ctx = isl + osl / 2.0
    top = min(e.max_batch * e.dp, int(e.kv_tokens * e.dp // (isl + osl)))
    best = (0.0, 0)
    for b in range(1, top + 1):
        dt = e.step_s(b, b * ctx)
        if dt > itl_s:
            break
        best = (b / dt / e.gpus, b)
    return best


def plan(rate_per_s: float, isl: float, osl: float, prefill: serving.Engine, decode: serving.Engine,
         ttft_s: float = TTFT_TARGET_S, itl_s: float = ITL_TARGET_S, hit_rate: float = 0.0) -> dict:
    """Pool sizes for a load: the planner's replica formulas.

    Parameters
    ----------
    rate_per_s : float
        Predicted requests per second [requests/s].
    isl, osl : float
        Predicted mean lengths [tokens].
    prefill, decode : analysis.serving.Engine
        The engines of the two pools.
    ttft_s, itl_s : float
        Targets [s].
    hit_rate : float
        Share of prompt tokens served from the prefix cache [-].

    Returns
    -------
    dict
        ``prefill_workers, decode_workers, gpus`` [-], ``prefill_ttft_s`` [s] (one prompt's
        prefill time; above ``ttft_s`` the target is out of reach), ``decode_batch`` [-].

    Examples
    --------
    >>> from analysis import perf
    >>> p = serving.engine("h100", "llama-3.3-70b", "fp8", tp=8, params=perf.ROOFLINE)
    >>> plan(10.0, 3000, 150, p, p)["decode_workers"]
    1
    """
    new = max(isl * (1.0 - hit_rate), 1.0)
    pre = math.ceil(rate_per_s * new / prefill_rate(prefill, new) / prefill.gpus) if rate_per_s > 0 else 0
    per_gpu, batch = decode_rate(decode, isl, osl, itl_s)
    dec = math.ceil(rate_per_s * osl / per_gpu / decode.gpus) if per_gpu > 0 and rate_per_s > 0 else 0
    pre, dec = max(pre, 1), max(dec, 1)
    return {"prefill_workers": pre, "decode_workers": dec, "gpus": pre * prefill.gpus + dec * decode.gpus,
            "prefill_ttft_s": prefill.step_s(0, 0, [(int(new), 0)]), "decode_batch": batch}


def replan(trace: traces.Trace, prefill: serving.Engine, decode: serving.Engine,
           interval_s: float = ADJUSTMENT_INTERVAL_S, ttft_s: float = TTFT_TARGET_S,
           itl_s: float = ITL_TARGET_S) -> pd.DataFrame:
    """Re-plan every interval with the constant predictor (next interval's load = the last one's).

    Parameters
    ----------
    trace : analysis.traces.Trace
        Requests [-].
    prefill, decode : analysis.serving.Engine
        The engines of the two pools.
    interval_s : float
        Adjustment interval [s].
    ttft_s, itl_s : float
        Targets [s].

    Returns
    -------
    pandas.DataFrame
        Per interval: ``start_s`` [s], ``rate_per_s`` observed [requests/s], ``planned_rate_per_s``
        (the previous interval's) [requests/s], ``prefill_workers, decode_workers, gpus`` planned and
        ``gpus_needed`` (what the observed load needed) [-].
    """
    edges = np.arange(trace.arrival_s[0], trace.arrival_s[-1] + interval_s, interval_s)
    idx = np.clip(np.searchsorted(edges, trace.arrival_s, side="right") - 1, 0, len(edges) - 1)
    rows, previous = [], None
    for k, start in enumerate(edges):
        sel = idx == k
        count = int(sel.sum())
        isl = float(trace.input_tokens[sel].mean()) if count else 1.0
        osl = float(trace.output_tokens[sel].mean()) if count else 1.0
        now = (count / interval_s, isl, osl)
        planned = previous or now
        p = plan(planned[0], planned[1], planned[2], prefill, decode, ttft_s, itl_s)
        need = plan(now[0], now[1], now[2], prefill, decode, ttft_s, itl_s)
        rows.append({"start_s": float(start - edges[0]), "rate_per_s": now[0], "planned_rate_per_s": planned[0],
                     "prefill_workers": p["prefill_workers"], "decode_workers": p["decode_workers"], "gpus": p["gpus"],
                     "gpus_needed": need["gpus"]})
        previous = now
    return pd.DataFrame(rows)
