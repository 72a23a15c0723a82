"""Sweeps and frontiers: every layout x concurrency of a deployment, and the throughput-interactivity frontier.

Built on :func:`analysis.perf.serve` (vectorized over configurations and
parameter sets).  A frontier keeps the sweep points no other point beats on
both output tokens/s per GPU and tokens/s per user; :func:`frontier_band`
adds the 5-95% band of the bootstrap refits widened by the held-out error.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pandas as pd

from analysis import models, perf, systems

#: Configurations (layouts x concurrencies) the ``make bench`` sweep times at least [-].
BENCH_SWEEP_CONFIGURATIONS = 1_000_000


def default_concurrencies(gpus: int) -> np.ndarray:
    """Concurrencies a sweep tries: 1 to 512 per GPU in 96 log steps [-].

    Parameters
    ----------
    gpus : int
        GPUs of the engine [-].
    """
    return np.unique(np.round(np.geomspace(1, 512 * gpus, 96)))


def sweep(hardware_id: str, model_id: str, precision: str, gpus: int, isl: int, osl: int, concurrencies=None,
          params=None, backend: str = perf.DEFAULT_BACKEND) -> pd.DataFrame:
    """Every layout crossed with every concurrency, vectorized.

    Parameters
    ----------
    hardware_id : str
        One of :data:`analysis.systems.HARDWARE` [-].
    model_id : str
        A model of ``data/models.csv`` [-].
    precision : {"bf16", "fp8", "fp4"}
        Weight format [-].
    gpus : int
        GPUs of the engine [-].
    isl, osl : int
        Input and output tokens per request [tokens].
    concurrencies : array_like, optional
        Concurrencies to try [-]; default :func:`default_concurrencies`.
    params : Params or list of Params, optional
        Parameters; a list evaluates each set (column ``draw``); default :func:`analysis.perf.parameters`.
    backend : str
        Engine, one of :data:`analysis.perf.BACKENDS` [-].

    Returns
    -------
    pandas.DataFrame
        ``tp, dp, moe_tp, moe_ep, concurrency`` [-], ``feasible`` [bool], ``tpot_s, ttft_s`` [s],
        ``tokens_per_s_per_user, output_tokens_per_s_per_gpu`` [tokens/s], and ``draw`` [-] for a list.
    """
    h = systems.get(hardware_id)
    m = models.get(model_id)
    grid = perf.layouts(h, m, gpus)
    conc = np.asarray(default_concurrencies(gpus) if concurrencies is None else concurrencies, dtype=float)
    rows = np.repeat(grid, len(conc), axis=0)
    cc = np.tile(conc, len(grid))
    draws = params if isinstance(params, list) else [perf.parameters() if params is None else params]
    lay = {k: rows[:, i] for i, k in enumerate(("tp", "dp", "moe_tp", "moe_ep"))}
    res = perf.serve(perf.constants(m, precision, h, isl, osl), perf.stack(draws), lay, perf.backend_index(backend), cc)
    frame = pd.DataFrame({
        "draw": np.repeat(np.arange(len(draws)), len(cc)),
        **{k: np.tile(lay[k], len(draws)) for k in lay},
        **{k: np.broadcast_to(res[k], (len(draws), len(cc))).ravel()
           for k in ("concurrency", "feasible", "tpot_s", "ttft_s", "tokens_per_s_per_user",
                     "output_tokens_per_s_per_gpu")},
    })
    return frame if isinstance(params, list) else frame.drop(columns="draw")


def pareto_mask(x, y) -> np.ndarray:
    """Points not dominated when both ``x`` and ``y`` are to be maximized.

    Parameters
    ----------
    x, y : array_like
        The two objectives, same length [any unit].

    Returns
    -------
    numpy.ndarray
        Boolean mask, True on the frontier [-].

    Examples
    --------
    >>> pareto_mask([1, 2, 3, 2], [3, 2, 1, 1]).tolist()
    [True, True, True, False]
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    order = np.lexsort((-y, -x))  # x descending, then y descending
    best_y = np.maximum.accumulate(np.concatenate([[-np.inf], y[order][:-1]]))
    mask = np.zeros(len(x), dtype=bool)
    mask[order] = y[order] > best_y
    return mask


def pareto_frontier(hardware_id: str, model_id: str, precision: str, gpus: int, isl: int, osl: int,
                    concurrencies=None, params=None, backend: str = perf.DEFAULT_BACKEND) -> pd.DataFrame:
    """The throughput-interactivity frontier: feasible sweep points no other point beats on both axes.

    Parameters
    ----------
    hardware_id, model_id, precision, gpus, isl, osl, concurrencies, params, backend
        As :func:`sweep` (a single parameter set).

    Returns
    -------
    pandas.DataFrame
        Rows of :func:`sweep` on the frontier (units there), sorted by tokens/s per user.
    """
    table = sweep(hardware_id, model_id, precision, gpus, isl, osl, concurrencies, params, backend)
    table = table[table["feasible"]]
    mask = pareto_mask(table["tokens_per_s_per_user"], table["output_tokens_per_s_per_gpu"])
    return table[mask].sort_values("tokens_per_s_per_user").reset_index(drop=True)


def frontier_at(frontier: pd.DataFrame, tokens_per_s_per_user) -> np.ndarray:
    """Output tokens/s per GPU a frontier reaches at given interactivities (log-log interpolation) [tokens/s].

    Outside the frontier's range of interactivity the result is NaN: the
    system cannot serve a user that fast (or the sweep did not go that slow).

    Parameters
    ----------
    frontier : pandas.DataFrame
        :func:`pareto_frontier` rows (sorted by ``tokens_per_s_per_user``).
    tokens_per_s_per_user : float or array_like
        Interactivity [tokens/s per user].

    Examples
    --------
    >>> f = pd.DataFrame({"tokens_per_s_per_user": [10.0, 100.0], "output_tokens_per_s_per_gpu": [1000.0, 100.0]})
    >>> frontier_at(f, [10.0, 31.6227766, 1000.0]).round(1).tolist()
    [1000.0, 316.2, nan]
    """
    x = np.log(frontier["tokens_per_s_per_user"].to_numpy(dtype=float))
    y = np.log(frontier["output_tokens_per_s_per_gpu"].to_numpy(dtype=float))
    q = np.log(np.asarray(tokens_per_s_per_user, dtype=float))
    out = np.exp(np.interp(q, x, y))
    return np.where((q >= x.min() - 1e-12) & (q <= x.max() + 1e-12), out, np.nan)


@functools.lru_cache(maxsize=64)
def frontier_band(hardware_id: str, model_id: str, precision: str, gpus: int, isl: int, osl: int,
                  backend: str = perf.DEFAULT_BACKEND, points: int = 40) -> pd.DataFrame:
    """The frontier with its uncertainty: central fit and the 5-95% range over the bootstrap draws.

    Each draw's frontier is evaluated on a common grid of interactivities; the
    band is the spread of the draws (parameter uncertainty) widened by the
    out-of-sample error of tokens/s per GPU (``data/perf_uncertainty.csv``).

    Parameters
    ----------
    hardware_id, model_id, precision, gpus, isl, osl, backend
        As :func:`sweep`.
    points : int
        Interactivities on the grid [-].

    Returns
    -------
    pandas.DataFrame
        ``tokens_per_s_per_user`` [tokens/s], ``output_tokens_per_s_per_gpu`` and its
        ``_low``/``_high`` [tokens/s].
    """
    central = pareto_frontier(hardware_id, model_id, precision, gpus, isl, osl, backend=backend)
    grid = np.geomspace(central["tokens_per_s_per_user"].min(), central["tokens_per_s_per_user"].max(), points)
    table = sweep(hardware_id, model_id, precision, gpus, isl, osl, params=perf.parameter_draws(), backend=backend)
    table = table[table["feasible"]]
    per_draw = []
    for _, draw in table.groupby("draw", sort=True):
        mask = pareto_mask(draw["tokens_per_s_per_user"], draw["output_tokens_per_s_per_gpu"])
        per_draw.append(frontier_at(draw[mask].sort_values("tokens_per_s_per_user"), grid))
    with warnings.catch_warnings():   # grid points beyond every draw's frontier stay NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        spread = np.nanpercentile(np.array(per_draw), [5, 95], axis=0)
    low, high = perf.residual_quantiles("output_tokens_per_s_per_gpu")
    value = frontier_at(central, grid)
    return pd.DataFrame({"tokens_per_s_per_user": grid, "output_tokens_per_s_per_gpu": value,
                         "output_tokens_per_s_per_gpu_low": np.fmin(spread[0], value) * np.exp(low),
                         "output_tokens_per_s_per_gpu_high": np.fmax(spread[1], value) * np.exp(high)})
