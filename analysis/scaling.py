"""Scaling laws: pre-training (Chinchilla), its inference-aware optimum, and
post-training and test-time scaling from published accuracy-vs-compute points.

Pre-training follows the parametric loss of Hoffmann et al. [1]_

    L(N, D) = E + A / N^alpha + B / D^beta

(loss in nats per token, N parameters, D training tokens) with training
compute C = 6 N D.  Minimizing L at fixed C gives the compute-optimal
frontier in closed form [1]_ (eq. 4)::

    G  = (alpha A / (beta B))^(1 / (alpha + beta))
    N* = G (C / 6)^(beta / (alpha + beta)),   D* = (C / 6) / N*

and along it the reducible loss falls as a power of compute,
``L*(C) - E ∝ C^(-alpha beta / (alpha + beta))``.  Two published parameter
sets are compared: Hoffmann's Approach 3 and the refit of Besiroglu et al. [2]_
with bootstrap standard errors.  The inference-aware optimum of Sardana et al. [3]_
minimizes lifetime compute ``6 N D + 2 N D_inf`` at a fixed loss instead.

Test-time and post-training scaling are read from published points
(``data/test_time_points.csv``): the slope of accuracy in logits per decade
of test-time compute, with a seeded parametric bootstrap over the binomial
sampling of each benchmark's problems.

References
----------
.. [1] J. Hoffmann et al., "Training Compute-Optimal Large Language Models",
   arXiv:2203.15556 (2022).
.. [2] T. Besiroglu, E. Erdil, M. Barnett, J. You, "Chinchilla Scaling: A
   replication attempt", arXiv:2404.10102 (2024).
.. [3] N. Sardana, J. Portes, S. Doubov, J. Frankle, "Beyond Chinchilla-Optimal:
   Accounting for Inference in Language Model Scaling Laws", arXiv:2401.00448 (2024).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import data

#: Training FLOPs per parameter per token (forward and backward pass) [FLOP].
TRAIN_FLOPS_PER_PARAM_TOKEN = 6.0

#: Inference FLOPs per parameter per token (forward pass only) [FLOP].
INFERENCE_FLOPS_PER_PARAM_TOKEN = 2.0

#: Fits in ``data/scaling_fits.csv``, in the order the chapter shows them.
FITS = ("hoffmann2022", "besiroglu2024")

#: Label of the row of :func:`inference_scaling_slopes` that averages the series.
POOLED = "mean of the series"


def assumption(parameter: str, which: str = "value", frame: pd.DataFrame | None = None) -> float:
    """One value of ``scaling_assumptions`` [the row's unit] (:func:`analysis.data.assumption` on that table).

    Examples
    --------
    >>> assumption("demo_reasoning_tokens"), assumption("demo_reasoning_tokens", "high")
    (8000.0, 10000.0)
    """
    return data.assumption("scaling_assumptions", parameter, which, frame=frame)


@dataclass(frozen=True)
class LossLaw:
    """The parametric loss ``L(N, D) = E + A / N^alpha + B / D^beta``.

    Attributes
    ----------
    E : float
        Irreducible loss [nats/token].
    A, B : float
        Scale of the parameter and data terms [nats/token].
    alpha, beta : float
        Exponents of parameters and tokens [-].
    """

    E: float
    A: float
    B: float
    alpha: float
    beta: float

    def loss(self, n_params, n_tokens):
        """Predicted loss [nats/token] of a model with ``n_params`` parameters [-] trained on ``n_tokens`` tokens [-].

        Examples
        --------
        >>> round(LossLaw(1.69, 406.4, 410.7, 0.34, 0.28).loss(70e9, 1.4e12), 4)
        1.9366
        """
        n = np.asarray(n_params, dtype=float)
        d = np.asarray(n_tokens, dtype=float)
        result = self.E + self.A / n**self.alpha + self.B / d**self.beta
        return float(result) if np.ndim(result) == 0 else result

    @property
    def frontier_exponent(self) -> float:
        """Exponent ``gamma = alpha beta / (alpha + beta)`` of ``L*(C) - E ∝ C^-gamma`` [-].

        Examples
        --------
        >>> round(LossLaw(1.69, 406.4, 410.7, 0.34, 0.28).frontier_exponent, 4)
        0.1535
        """
        return self.alpha * self.beta / (self.alpha + self.beta)

    @property
    def params_exponent(self) -> float:
        """Exponent ``a = beta / (alpha + beta)`` of ``N* ∝ C^a`` [-]; tokens scale as ``C^(1 - a)``."""
        return self.beta / (self.alpha + self.beta)


def law(fit_id: str, fits: pd.DataFrame | None = None) -> LossLaw:
    """A published fit of the loss law.

    Parameters
    ----------
    fit_id : {"hoffmann2022", "besiroglu2024"}
        Fit id of ``data/scaling_fits.csv`` [-].
    fits : pandas.DataFrame, optional
        ``data.load("scaling_fits")``.

    Returns
    -------
    LossLaw

    Examples
    --------
    >>> law("besiroglu2024").beta
    0.36585
    """
    fits = data.load("scaling_fits") if fits is None else fits
    rows = fits[fits["fit_id"] == fit_id].set_index("parameter")
    if rows.empty:
        raise KeyError(f"no fit {fit_id!r}; fits: {', '.join(sorted(set(fits['fit_id'])))}")
    return LossLaw(**{p: float(rows.at[p, "value"]) for p in ("E", "A", "B", "alpha", "beta")})


def compute_optimal(lw: LossLaw, compute):
    """Compute-optimal parameters and tokens at a training budget (closed form of [1]_, eq. 4).

    Parameters
    ----------
    lw : LossLaw
        The loss law [-].
    compute : float or array_like
        Training compute ``C = 6 N D`` [FLOP].

    Returns
    -------
    tuple of (float or numpy.ndarray)
        ``(N*, D*)``: parameters [-] and training tokens [-].

    Examples
    --------
    >>> n, d = compute_optimal(LossLaw(1.69, 406.4, 410.7, 0.34, 0.28), 5.76e23)
    >>> round(n / 1e9, 1), round(d / 1e12, 2)
    (32.2, 2.98)
    """
    c = np.asarray(compute, dtype=float) / TRAIN_FLOPS_PER_PARAM_TOKEN
    g = (lw.alpha * lw.A / (lw.beta * lw.B)) ** (1.0 / (lw.alpha + lw.beta))
    n = g * c**lw.params_exponent
    d = c / n
    if np.ndim(n) == 0:
        return float(n), float(d)
    return n, d


def frontier_loss(lw: LossLaw, compute):
    """Loss on the compute-optimal frontier [nats/token] at training compute ``compute`` [FLOP].

    Examples
    --------
    >>> lw = law("besiroglu2024")
    >>> r = (frontier_loss(lw, 1e24) - lw.E) / (frontier_loss(lw, 1e23) - lw.E)
    >>> bool(np.isclose(r, 10 ** -lw.frontier_exponent))
    True
    """
    n, d = compute_optimal(lw, compute)
    return lw.loss(n, d)


def sample_laws(fit_id: str, n_draws: int = 4000, seed: int = 20240416, fits: pd.DataFrame | None = None) -> dict:
    """Draws of a fit's parameters from independent normals with its standard errors.

    The published standard errors come without their covariance, so the
    parameters are drawn independently (which widens bands of quantities
    that depend on correlated parameters); draws with any non-positive value
    are redrawn by resampling the valid ones.

    Parameters
    ----------
    fit_id : str
        A fit of ``data/scaling_fits.csv`` with standard errors [-].
    n_draws : int
        Draws [-].
    seed : int
        Seed of the generator [-].
    fits : pandas.DataFrame, optional
        ``data.load("scaling_fits")``.

    Returns
    -------
    dict of str to numpy.ndarray
        ``E, A, B, alpha, beta`` arrays of length ``n_draws`` [their units].

    Examples
    --------
    >>> s = sample_laws("besiroglu2024", 20000, seed=1)
    >>> round(float(np.std(s["alpha"])), 3)
    0.015
    """
    fits = data.load("scaling_fits") if fits is None else fits
    rows = fits[fits["fit_id"] == fit_id].set_index("parameter")
    if rows["standard_error"].isna().any():
        raise ValueError(f"fit {fit_id!r} has no standard errors to sample from")
    rng = np.random.default_rng(seed)
    names = ("E", "A", "B", "alpha", "beta")
    draws = np.column_stack([rng.normal(rows.at[p, "value"], rows.at[p, "standard_error"], n_draws) for p in names])
    valid = draws[(draws > 0).all(axis=1)]
    draws = valid[rng.integers(0, len(valid), n_draws)]
    return {p: draws[:, i] for i, p in enumerate(names)}


def frontier_table(computes=None, fit_ids=FITS) -> pd.DataFrame:
    """The compute-optimal frontier of each fit.

    No band is drawn around it: the published standard errors of ``A`` and
    ``B`` are large and come without their (strong) correlation with the
    exponents, so independent draws would give a band far wider than the
    fit's; the uncertainty is reported on the exponents instead
    (:func:`exponent_intervals`).

    Parameters
    ----------
    computes : array_like, optional
        Training budgets; default 41 budgets from 1e18 to 1e28 [FLOP].
    fit_ids : sequence of str
        Fits to tabulate [-].

    Returns
    -------
    pandas.DataFrame
        ``fit_id, compute_flop, params, tokens, tokens_per_param, loss_nats``.

    Examples
    --------
    >>> t = frontier_table([5.76e23]).set_index("fit_id")
    >>> round(float(t.loc["besiroglu2024", "tokens_per_param"]), 1)
    18.3
    """
    computes = np.logspace(18, 28, 41) if computes is None else np.asarray(computes, dtype=float)
    fits = data.load("scaling_fits")
    frames = []
    for fit_id in fit_ids:
        lw = law(fit_id, fits)
        n, d = compute_optimal(lw, computes)
        frames.append(pd.DataFrame({"fit_id": fit_id, "compute_flop": computes, "params": n, "tokens": d,
                                    "tokens_per_param": d / n, "loss_nats": lw.loss(n, d)}))
    return pd.concat(frames, ignore_index=True)


def exponent_intervals(fit_id: str = "besiroglu2024", n_draws: int = 4000, seed: int = 20240416) -> pd.DataFrame:
    """The frontier's exponents with 95% Monte Carlo intervals from the fit's standard errors.

    ``a = beta / (alpha + beta)`` (N* ∝ C^a, D* ∝ C^(1-a)) and
    ``gamma = alpha beta / (alpha + beta)`` (L* - E ∝ C^-gamma) depend only on
    the exponents, whose standard errors are small (:func:`sample_laws`).

    Parameters
    ----------
    fit_id : str
        A fit with standard errors [-].
    n_draws, seed : int
        Draws and seed [-].

    Returns
    -------
    pandas.DataFrame
        Indexed by ``exponent`` (``params``, ``tokens``, ``loss``): ``value, low, high`` [-].

    Examples
    --------
    >>> e = exponent_intervals()
    >>> bool(e.loc["loss", "low"] > 0), round(float(e.loc["params", "value"]), 3)
    (True, 0.513)
    """
    lw = law(fit_id)
    s = sample_laws(fit_id, n_draws, seed)
    a = s["beta"] / (s["alpha"] + s["beta"])
    gamma = s["alpha"] * s["beta"] / (s["alpha"] + s["beta"])
    rows = []
    for name, value, draws in (("params", lw.params_exponent, a), ("tokens", 1 - lw.params_exponent, 1 - a),
                               ("loss", lw.frontier_exponent, gamma)):
        low, high = np.percentile(draws, [2.5, 97.5])
        rows.append({"exponent": name, "value": value, "low": float(low), "high": float(high)})
    return pd.DataFrame(rows).set_index("exponent")


def loss_constrained_tokens(lw: LossLaw, n_params, target_loss):
    """Training tokens a model of ``n_params`` parameters needs to reach ``target_loss``.

    Solves ``L(N, D) = target`` for D; NaN where N alone cannot reach the target
    (``E + A / N^alpha >= target``).

    Parameters
    ----------
    lw : LossLaw
        The loss law [-].
    n_params : float or array_like
        Parameters [-].
    target_loss : float
        Loss to reach [nats/token].

    Returns
    -------
    float or numpy.ndarray
        Tokens [-].

    Examples
    --------
    >>> lw = LossLaw(1.69, 406.4, 410.7, 0.34, 0.28)
    >>> round(loss_constrained_tokens(lw, 70e9, lw.loss(70e9, 1.4e12)) / 1e12, 6)
    1.4
    """
    n = np.asarray(n_params, dtype=float)
    slack = target_loss - lw.E - lw.A / n**lw.alpha
    with np.errstate(invalid="ignore", divide="ignore"):
        d = np.where(slack > 0, (lw.B / np.where(slack > 0, slack, 1.0)) ** (1.0 / lw.beta), np.nan)
    return float(d) if np.ndim(d) == 0 else d


def inference_aware_optimum(lw: LossLaw, target_loss: float, inference_tokens, grid_points: int = 4001) -> pd.DataFrame:
    """Model size and training tokens minimizing lifetime compute at a fixed loss (Sardana et al. [3]_).

    Minimizes ``6 N D_tr + 2 N D_inf`` subject to ``L(N, D_tr) = target_loss``
    over a logarithmic grid of N (vectorized over the grid and over ``inference_tokens``).

    Parameters
    ----------
    lw : LossLaw
        The loss law [-].
    target_loss : float
        Loss to reach [nats/token].
    inference_tokens : float or array_like
        Tokens served over the model's life, ``D_inf`` [-].
    grid_points : int
        Points of the grid of N between 1e8 and 1e14 [-].

    Returns
    -------
    pandas.DataFrame
        ``inference_tokens, params, train_tokens, tokens_per_param, train_flop, inference_flop,
        total_flop``, one row per ``inference_tokens`` value.

    Examples
    --------
    >>> lw = law("hoffmann2022")
    >>> target = lw.loss(70e9, 1.4e12)
    >>> t = inference_aware_optimum(lw, target, [0.0, 1e14])
    >>> bool(t["params"].iloc[1] < t["params"].iloc[0])   # serving more tokens favours a smaller model
    True
    """
    d_inf = np.atleast_1d(np.asarray(inference_tokens, dtype=float))
    n = np.logspace(8, 14, grid_points)
    d = loss_constrained_tokens(lw, n, target_loss)
    train = TRAIN_FLOPS_PER_PARAM_TOKEN * n * d
    total = train[None, :] + INFERENCE_FLOPS_PER_PARAM_TOKEN * n[None, :] * d_inf[:, None]
    total = np.where(np.isnan(total), np.inf, total)
    best = np.argmin(total, axis=1)
    return pd.DataFrame({
        "inference_tokens": d_inf, "params": n[best], "train_tokens": d[best], "tokens_per_param": d[best] / n[best],
        "train_flop": train[best], "inference_flop": INFERENCE_FLOPS_PER_PARAM_TOKEN * n[best] * d_inf,
        "total_flop": total[np.arange(len(d_inf)), best],
    })


# --- post-training and test-time scaling -----------------------------------------


def logit(p):
    """Log-odds ``ln(p / (1 - p))`` of a share [-].

    Examples
    --------
    >>> logit(0.5), round(logit(0.75), 4)
    (0.0, 1.0986)
    """
    p = np.asarray(p, dtype=float)
    result = np.log(p / (1.0 - p))
    return float(result) if np.ndim(result) == 0 else result


def _smoothed_share(correct, problems):
    # (k + 1/2) / (n + 1): keeps a resampled 0 or n finite in logits
    return (np.asarray(correct, dtype=float) + 0.5) / (np.asarray(problems, dtype=float) + 1.0)


def inference_scaling_slopes(points: pd.DataFrame | None = None, n_boot: int = 10000, seed: int = 20250122) -> pd.DataFrame:
    """Slope of accuracy against test-time compute for each series with published compute.

    The slope is the least-squares slope of ``logit(accuracy)`` on
    ``log10(compute)`` (for two points, the difference quotient), read as
    logits gained per tenfold compute.  Its interval is a parametric
    bootstrap: each point's correct count is redrawn from a binomial with the
    published accuracy over the benchmark's problems, independently per point
    (conservative for points that share problems).

    Parameters
    ----------
    points : pandas.DataFrame, optional
        ``data.load("test_time_points")``.
    n_boot : int
        Bootstrap draws [-].
    seed : int
        Seed of the generator [-].

    Returns
    -------
    pandas.DataFrame
        ``series, points, compute_span, accuracy_low, accuracy_high, gain_points,
        slope_logit_per_decade, slope_low, slope_high, points_per_decade`` (compute span [x],
        accuracies [-], gain in percentage points [pp], slopes [logit per 10x],
        points per decade [pp per 10x]); a last row :data:`POOLED` averages the
        series' slopes draw by draw.

    Examples
    --------
    >>> t = inference_scaling_slopes(n_boot=2000).set_index("series")
    >>> o3 = t.loc["OpenAI o3, ARC-AGI-1 semi-private set"]
    >>> bool(np.isclose(o3["slope_logit_per_decade"], (logit(0.875) - logit(0.757)) / np.log10(172)))
    True
    """
    points = data.load("test_time_points") if points is None else points
    rng = np.random.default_rng(seed)
    rows, draws = [], []
    usable = points[(points["law"] == "test_time") & points["compute_relative"].notna()]
    for series, group in usable.groupby("series", sort=False):
        group = group.sort_values("compute_relative")
        x = np.log10(group["compute_relative"].to_numpy(dtype=float))
        p = group["accuracy_share"].to_numpy(dtype=float)
        n = group["problems_count"].to_numpy(dtype=float)
        xc = x - x.mean()
        slope = float(np.sum(xc * (logit(p) - logit(p).mean())) / np.sum(xc**2))
        k = rng.binomial(n.astype(int)[None, :], p[None, :], size=(n_boot, len(p)))
        y = logit(_smoothed_share(k, n[None, :]))
        boots = np.sum(xc[None, :] * (y - y.mean(axis=1, keepdims=True)), axis=1) / np.sum(xc**2)
        draws.append(boots)
        low, high = np.percentile(boots, [2.5, 97.5])
        span = 10 ** (x[-1] - x[0])
        rows.append({"series": series, "points": len(p), "compute_span": span, "accuracy_low": p[0],
                     "accuracy_high": p[-1], "gain_points": (p[-1] - p[0]) * 100,
                     "slope_logit_per_decade": slope, "slope_low": float(low), "slope_high": float(high),
                     "points_per_decade": (p[-1] - p[0]) * 100 / (x[-1] - x[0])})
    if len(rows) > 1:
        # the series are independent experiments: their mean slope, draw by draw
        pooled = np.mean(draws, axis=0)
        low, high = np.percentile(pooled, [2.5, 97.5])
        rows.append({"series": POOLED, "points": int(sum(r["points"] for r in rows)),
                     "compute_span": np.nan, "accuracy_low": np.nan, "accuracy_high": np.nan, "gain_points": np.nan,
                     "slope_logit_per_decade": float(np.mean([r["slope_logit_per_decade"] for r in rows])),
                     "slope_low": float(low), "slope_high": float(high),
                     "points_per_decade": float(np.mean([r["points_per_decade"] for r in rows]))})
    return pd.DataFrame(rows)


def accuracy_gains(points: pd.DataFrame | None = None, n_boot: int = 10000, seed: int = 20250131) -> pd.DataFrame:
    """Accuracy gained between the first and last point of every series, with a 95% bootstrap interval.

    Covers the series without published compute too (post-training runs,
    budget forcing): the gain says whether more compute helped, not how fast.

    Parameters
    ----------
    points : pandas.DataFrame, optional
        ``data.load("test_time_points")``.
    n_boot : int
        Bootstrap draws [-].
    seed : int
        Seed of the generator [-].

    Returns
    -------
    pandas.DataFrame
        ``law, series, accuracy_first, accuracy_last, gain_points, gain_low, gain_high``
        (shares [-], gains in percentage points [pp]).

    Examples
    --------
    >>> g = accuracy_gains().set_index("series")
    >>> round(float(g.loc["DeepSeek-R1-Zero, AIME 2024, reinforcement learning", "gain_points"]), 1)
    55.4
    """
    points = data.load("test_time_points") if points is None else points
    rng = np.random.default_rng(seed)
    rows = []
    for (lw, series), group in points.groupby(["law", "series"], sort=False):
        order = group.sort_values(["compute_relative", "accuracy_share"], na_position="last")
        first, last = order.iloc[0], order.iloc[-1]
        n = int(first["problems_count"])
        k0 = rng.binomial(n, first["accuracy_share"], n_boot)
        k1 = rng.binomial(int(last["problems_count"]), last["accuracy_share"], n_boot)
        diff = (k1 / last["problems_count"] - k0 / n) * 100
        low, high = np.percentile(diff, [2.5, 97.5])
        rows.append({"law": lw, "series": series, "accuracy_first": float(first["accuracy_share"]),
                     "accuracy_last": float(last["accuracy_share"]),
                     "gain_points": float(last["accuracy_share"] - first["accuracy_share"]) * 100,
                     "gain_low": float(low), "gain_high": float(high)})
    return pd.DataFrame(rows)
