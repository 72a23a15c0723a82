"""Frontier capability over time, and whether its six-month gains accelerate.

The frontier at a date is the best score of any model released by then (a
running maximum).  Its gain over a window is the frontier at the window's
end minus the frontier at its start.  Two indexes are used:

* Epoch AI's Capabilities Index (ECI) [1]_, in ECI points, for the models that
  set a new frontier when released (``data/capabilities_index.csv``);
* METR's 50% time horizon [2]_, in doublings (log2 of minutes of human
  expert time), for every model METR measured (``data/time_horizons.csv``).

Uncertainty: a seeded bootstrap.  For METR each model's log horizon is
redrawn from a normal matching its published 95% interval; for the ECI, which
is published without intervals, the set of frontier models is resampled
with replacement (what the frontier would be had a release not counted).

References
----------
.. [1] Epoch AI, "Epoch Capabilities Index", https://epoch.ai/benchmarks (export of 2026-03-09).
.. [2] METR, "Measuring AI Ability to Complete Long Tasks", arXiv:2503.14499 (2025);
   Time Horizon 1.1 results (2026).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import data

#: The keynote (NVIDIA GTC 2025, San Jose), the date S1's "last six months" end.
KEYNOTE_DATE = "2025-03-18"

#: Days in a year (Julian) [days].
DAYS_PER_YEAR = 365.25

#: z-value of a two-sided 95% interval [-].
Z95 = 1.959963984540054

#: Day 0 of the day numbers (:func:`to_days`, :func:`to_dates`).
EPOCH = pd.Timestamp("1970-01-01")


@dataclass(frozen=True)
class Index:
    """A capability index as a set of (release date, score) points.

    Attributes
    ----------
    key : str
        ``"eci"`` or ``"metr"``.
    label : str
        Display name with unit.
    unit : str
        Unit of the score.
    days : numpy.ndarray
        Release dates as days since 1970-01-01 [days].
    score : numpy.ndarray
        Scores [unit].
    score_sd : numpy.ndarray
        Standard deviation of each score (zeros where none is published) [unit].
    names : tuple of str
        Model names.
    """

    key: str
    label: str
    unit: str
    days: np.ndarray
    score: np.ndarray
    score_sd: np.ndarray
    names: tuple


def to_days(dates) -> np.ndarray:
    """Dates as days since 1970-01-01 [days].

    Parameters
    ----------
    dates : str, date or sequence of them
        ISO dates.

    Examples
    --------
    >>> to_days(["1970-01-02", "2025-03-18"]).tolist()
    [1.0, 20165.0]
    """
    stamps = pd.to_datetime(pd.Series(np.atleast_1d(dates)).astype(str))
    return ((stamps - EPOCH).dt.days).to_numpy(dtype=float)


def to_dates(days) -> np.ndarray:
    """ISO dates of days since 1970-01-01, the inverse of :func:`to_days`.

    Parameters
    ----------
    days : array_like
        Days since 1970-01-01 [days]; a fraction of a day does not change the date.

    Returns
    -------
    numpy.ndarray of str
        ``YYYY-MM-DD`` [-].

    Examples
    --------
    >>> to_dates([1, 20165.5]).tolist()
    ['1970-01-02', '2025-03-18']
    """
    stamps = EPOCH + pd.to_timedelta(np.atleast_1d(np.asarray(days, dtype=float)), unit="D")
    return stamps.strftime("%Y-%m-%d").to_numpy()


def eci_index(table: pd.DataFrame | None = None) -> Index:
    """The Epoch Capabilities Index points [ECI points].

    Parameters
    ----------
    table : pandas.DataFrame, optional
        ``data.load("capabilities_index")``.
    """
    table = data.load("capabilities_index") if table is None else table
    table = table.sort_values(["release_date", "eci_score"])
    return Index("eci", "Epoch Capabilities Index [ECI points]", "ECI points", to_days(table["release_date"]),
                 table["eci_score"].to_numpy(dtype=float), np.zeros(len(table)), tuple(table["model"]))


def metr_index(table: pd.DataFrame | None = None) -> Index:
    """METR's 50% time horizons as doublings, ``log2(minutes)`` [doublings].

    The standard deviation of each log horizon is the mean half-width of its
    95% interval in log2 space divided by 1.96 (the intervals are asymmetric
    in minutes, nearly symmetric in logs).

    Parameters
    ----------
    table : pandas.DataFrame, optional
        ``data.load("time_horizons")``.

    Examples
    --------
    >>> m = metr_index()
    >>> m.names[0], round(float(m.score[0]), 2)   # GPT-2: 0.04 minutes
    ('gpt2', -4.65)
    """
    table = data.load("time_horizons") if table is None else table
    table = table.sort_values(["release_date", "p50_minutes"])
    log_mid = np.log2(table["p50_minutes"].to_numpy(dtype=float))
    half = (np.log2(table["p50_ci_high_minutes"].to_numpy(dtype=float))
            - np.log2(table["p50_ci_low_minutes"].to_numpy(dtype=float))) / 2.0
    return Index("metr", "METR 50% time horizon [doublings, log2 minutes]", "doublings",
                 to_days(table["release_date"]), log_mid, half / Z95, tuple(table["model_key"]))


def frontier(days, score, at_days):
    """Running maximum of ``score`` over models released on or before each date.

    Vectorized: ``score`` may be 2-D (draws x models) and ``at_days`` 1-D.

    Parameters
    ----------
    days : array_like
        Release dates of the models, any order [days].
    score : array_like
        Scores, shape ``(models,)`` or ``(draws, models)`` [unit].
    at_days : array_like
        Dates to evaluate [days].

    Returns
    -------
    numpy.ndarray
        Frontier, shape ``(dates,)`` or ``(draws, dates)``; NaN before the first release [unit].

    Examples
    --------
    >>> frontier([0, 10, 20], [1.0, 3.0, 2.0], [-1, 0, 15, 30]).tolist()
    [nan, 1.0, 3.0, 3.0]
    """
    days = np.asarray(days, dtype=float)
    score = np.asarray(score, dtype=float)
    order = np.argsort(days, kind="stable")
    days_sorted = days[order]
    running = np.maximum.accumulate(score[..., order], axis=-1)
    idx = np.searchsorted(days_sorted, np.asarray(at_days, dtype=float), side="right") - 1
    padded = np.concatenate([np.full(running.shape[:-1] + (1,), np.nan), running], axis=-1)
    return padded[..., idx + 1]


def window_gains(days, score, end_days, window_days):
    """Frontier gains over the window ending at each date and over the window before it.

    Parameters
    ----------
    days, score : array_like
        Models' release dates [days] and scores [unit] (score may be 2-D, draws x models).
    end_days : array_like
        Window end dates [days].
    window_days : float
        Window length [days].

    Returns
    -------
    tuple of numpy.ndarray
        ``(last, previous)``: gain in the window ending at each date, and in the
        window before it [unit].

    Examples
    --------
    >>> last, prev = window_gains([0, 100, 200], [0.0, 1.0, 3.0], [200], 100)
    >>> last.tolist(), prev.tolist()
    ([2.0], [1.0])
    """
    end = np.asarray(end_days, dtype=float)
    f_end = frontier(days, score, end)
    f_mid = frontier(days, score, end - window_days)
    f_start = frontier(days, score, end - 2 * window_days)
    # resampled frontiers can be -inf on both sides (no model kept yet): their gain is undefined (NaN)
    with np.errstate(invalid="ignore"):
        return f_end - f_mid, f_mid - f_start


def bootstrap_scores(ix: Index, n_draws: int = 5000, seed: int = 20250318) -> tuple:
    """Bootstrap draws of an index: redrawn scores (METR) or resampled models (ECI).

    Parameters
    ----------
    ix : Index
        The index [-].
    n_draws : int
        Draws [-].
    seed : int
        Seed of the generator [-].

    Returns
    -------
    tuple of numpy.ndarray
        ``(days, scores)``, each of shape ``(n_draws, models)``; a model left
        out of a resample gets score ``-inf`` so it never sets the frontier.
    """
    rng = np.random.default_rng(seed)
    n = len(ix.score)
    if np.any(ix.score_sd > 0):
        scores = ix.score[None, :] + rng.standard_normal((n_draws, n)) * ix.score_sd[None, :]
    else:
        picks = rng.integers(0, n, (n_draws, n))
        kept = np.zeros((n_draws, n), dtype=bool)
        np.put_along_axis(kept, picks, True, axis=1)
        scores = np.where(kept, ix.score[None, :], -np.inf)
    return np.broadcast_to(ix.days, (n_draws, n)), scores


def _gains_draws(ix: Index, end_days, window_days, n_draws, seed):
    _, scores = bootstrap_scores(ix, n_draws, seed)
    last, prev = window_gains(ix.days, scores, end_days, window_days)
    # a window whose start precedes every kept release has no defined gain
    return np.where(np.isfinite(last), last, np.nan), np.where(np.isfinite(prev), prev, np.nan)


def acceleration(ix: Index, end_date: str = KEYNOTE_DATE, window_days: float = DAYS_PER_YEAR / 2,
                 n_draws: int = 5000, seed: int = 20250318) -> dict:
    """Six-month gains before a date, their difference and the probability it is positive.

    Parameters
    ----------
    ix : Index
        The index [-].
    end_date : str
        End of the last window (ISO date) [-].
    window_days : float
        Window length [days].
    n_draws, seed : int
        Bootstrap draws and seed [-].

    Returns
    -------
    dict
        ``last, previous, difference`` (point estimates [unit]); ``last_low, last_high,
        previous_low, previous_high, difference_low, difference_high`` (95% intervals [unit]);
        ``p_accelerating``: share of draws with ``last > previous`` [-].

    Examples
    --------
    >>> a = acceleration(metr_index())
    >>> round(a["last"], 2), round(a["previous"], 2)   # o1-preview -> Claude 3.7 Sonnet; GPT-4 1106 -> o1-preview
    (1.57, 2.33)
    """
    end = to_days([end_date])
    last, prev = window_gains(ix.days, ix.score, end, window_days)
    d_last, d_prev = _gains_draws(ix, end, window_days, n_draws, seed)
    diff = d_last - d_prev
    ok = np.isfinite(diff[:, 0])
    q = lambda x: np.percentile(x[ok, 0], [2.5, 97.5])  # noqa: E731
    (ll, lh), (pl, ph), (dl, dh) = q(d_last), q(d_prev), q(diff)
    return {"last": float(last[0]), "previous": float(prev[0]), "difference": float(last[0] - prev[0]),
            "last_low": float(ll), "last_high": float(lh), "previous_low": float(pl), "previous_high": float(ph),
            "difference_low": float(dl), "difference_high": float(dh),
            "p_accelerating": float(np.mean(diff[ok, 0] > 0))}


def edge_sensitivity(ix: Index, end_date: str = KEYNOTE_DATE, shifts_days=None, windows_days=None) -> pd.DataFrame:
    """Point-estimate gains as the window's end and length move (vectorized over both).

    Parameters
    ----------
    ix : Index
        The index [-].
    end_date : str
        Central end date (ISO) [-].
    shifts_days : array_like, optional
        Shifts of the end date; default -60 to +60 days in steps of 5 [days].
    windows_days : array_like, optional
        Window lengths; default 5, 6 and 7 months [days].

    Returns
    -------
    pandas.DataFrame
        ``shift_days, window_days, last, previous, accelerating`` ([days], [unit], [-]).
    """
    shifts = np.arange(-60, 61, 5, dtype=float) if shifts_days is None else np.asarray(shifts_days, dtype=float)
    windows = (np.array([5, 6, 7]) * DAYS_PER_YEAR / 12) if windows_days is None else np.asarray(windows_days, float)
    end = to_days([end_date])[0] + shifts
    frames = []
    for w in windows:
        last, prev = window_gains(ix.days, ix.score, end, w)
        frames.append(pd.DataFrame({"shift_days": shifts, "window_days": w, "last": last, "previous": prev,
                                    "accelerating": last > prev}))
    return pd.concat(frames, ignore_index=True)


def rolling_gains(ix: Index, start: str = "2024-01-01", stop: str = "2026-03-01", step_days: float = 7.0,
                  window_days: float = DAYS_PER_YEAR / 2, n_draws: int = 2000, seed: int = 20250318) -> pd.DataFrame:
    """The six-month gain ending at each date of a weekly grid, with its 95% band.

    Parameters
    ----------
    ix : Index
        The index [-].
    start, stop : str
        First and last window end (ISO) [-].
    step_days : float
        Grid step [days].
    window_days : float
        Window length [days].
    n_draws, seed : int
        Bootstrap draws and seed [-].

    Returns
    -------
    pandas.DataFrame
        ``index, end_date, gain, gain_low, gain_high`` ([unit]).
    """
    ends = np.arange(to_days([start])[0], to_days([stop])[0] + 0.5, step_days)
    last, _ = window_gains(ix.days, ix.score, ends, window_days)
    draws, _ = _gains_draws(ix, ends, window_days, n_draws, seed)
    low, high = np.nanpercentile(draws, [2.5, 97.5], axis=0)
    return pd.DataFrame({"index": ix.key, "end_date": to_dates(ends), "gain": last,
                         "gain_low": low, "gain_high": high})


def frontier_table(ix: Index) -> pd.DataFrame:
    """The models that set the frontier, with their release dates and scores.

    Parameters
    ----------
    ix : Index
        The index [-].

    Returns
    -------
    pandas.DataFrame
        ``model, release_date, score`` ([unit]).
    """
    order = np.argsort(ix.days, kind="stable")
    best = -np.inf
    rows = []
    for i in order:
        if ix.score[i] > best:
            best = ix.score[i]
            rows.append({"model": ix.names[i], "release_date": to_dates(ix.days[i])[0], "score": float(ix.score[i])})
    return pd.DataFrame(rows)
