"""Demand for tokens against their price: growth, implied elasticity and spending.

Tokens served (``data/tokens_served.csv``: Google's disclosed monthly totals,
Microsoft's quarterly ones, OpenRouter's annual and daily volumes, each
converted to tokens per month) grow by a factor ``g`` a year; the price to reach a fixed capability
(``data/price_trends.csv``, Epoch AI [1]_) falls by a factor ``f`` a year.  If all
of the growth were a response to the price, the price elasticity of demand
would be

    epsilon = ln g / ln f

and spending on those tokens would grow by ``g / f`` a year: it rises
(Jevons' paradox) exactly when ``epsilon > 1``.  Because tokens also grow for
reasons other than price (new products, longer reasoning traces, more users),
this implied elasticity is an upper bound on the price effect.

The price decline depends strongly on the capability held fixed (9x to 900x
a year across Epoch's milestones), so its uncertainty is drawn log-uniformly
over that range (seeded), with Epoch's GPT-4-level example as the central value.

References
----------
.. [1] Epoch AI, "LLM inference prices have fallen rapidly but unequally across
   tasks" (data insight, 2025-03-12).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import data

#: Central price trend (Epoch AI: GPT-4's score on PhD-level science questions).
CENTRAL_TREND = "epoch2025_gpt4_gpqa"

#: Providers of ``data/tokens_served.csv``, in the order the chapter shows them.
PROVIDERS = ("google", "microsoft", "openrouter")

#: The ends of the range of price trends (Epoch AI's slowest and fastest milestones).
RANGE_TRENDS = ("epoch2025_slowest", "epoch2025_fastest")


def months_between(start: str, end: str) -> int:
    """Whole months from ``start`` to ``end`` (``YYYY-MM``) [months].

    Examples
    --------
    >>> months_between("2024-05", "2025-05"), months_between("2025-06", "2025-09")
    (12, 3)
    """
    y0, m0 = (int(x) for x in start.split("-"))
    y1, m1 = (int(x) for x in end.split("-"))
    return (y1 - y0) * 12 + (m1 - m0)


def _provider(table: pd.DataFrame | None, provider: str) -> pd.DataFrame:
    table = data.load("tokens_served") if table is None else table
    rows = table[table["provider"] == provider]
    if rows.empty:
        raise KeyError(f"no provider {provider!r}; providers: {', '.join(sorted(set(table['provider'])))}")
    return rows.sort_values("as_of")


def token_growth(table: pd.DataFrame | None = None, provider: str = "google") -> pd.DataFrame:
    """Growth of one provider's tokens served between consecutive observations, and per year.

    Parameters
    ----------
    table : pandas.DataFrame, optional
        ``data.load("tokens_served")``.
    provider : str
        Provider of ``tokens_served`` [-].

    Returns
    -------
    pandas.DataFrame
        ``start, end, months, tokens_start, tokens_end, growth, growth_per_year``
        ([months], [tokens/month], [x], [x/year]).

    Examples
    --------
    >>> g = token_growth().set_index(["start", "end"])
    >>> round(float(g.loc[("2024-05", "2025-05"), "growth_per_year"]), 1)
    49.5
    """
    table = _provider(table, provider)
    rows = []
    for a, b in zip(table.itertuples(), table.iloc[1:].itertuples()):
        months = months_between(a.as_of, b.as_of)
        growth = b.tokens_per_month / a.tokens_per_month
        rows.append({"start": a.as_of, "end": b.as_of, "months": months, "tokens_start": a.tokens_per_month,
                     "tokens_end": b.tokens_per_month, "growth": growth, "growth_per_year": growth ** (12 / months)})
    return pd.DataFrame(rows)


def yearly_growth(table: pd.DataFrame | None = None, providers=PROVIDERS) -> pd.DataFrame:
    """Year-over-year growth between each provider's observations twelve months apart.

    Parameters
    ----------
    table : pandas.DataFrame, optional
        ``data.load("tokens_served")``.
    providers : sequence of str
        Providers to include, in order [-].

    Returns
    -------
    pandas.DataFrame
        ``provider, start, end, tokens_start, tokens_end, growth_per_year`` ([tokens/month], [x/year]).

    Examples
    --------
    >>> y = yearly_growth()
    >>> y[["provider", "start", "end"]].values.tolist()[:3]
    [['google', '2024-05', '2025-05'], ['google', '2025-05', '2026-05'], ['microsoft', '2024-02', '2025-02']]
    """
    table = data.load("tokens_served") if table is None else table
    rows = []
    for provider in providers:
        rows_p = _provider(table, provider)
        by_month = dict(zip(rows_p["as_of"], rows_p["tokens_per_month"]))
        for start, tokens in sorted(by_month.items()):
            y, m = (int(x) for x in start.split("-"))
            end = f"{y + 1:04d}-{m:02d}"
            if end in by_month:
                rows.append({"provider": provider, "start": start, "end": end, "tokens_start": tokens,
                             "tokens_end": by_month[end], "growth_per_year": by_month[end] / tokens})
    return pd.DataFrame(rows)


def growth_at(date: str, table: pd.DataFrame | None = None, provider: str = "google") -> float:
    """Year-over-year token growth ending at ``date`` (``YYYY-MM``), log-linear between observations [x/year].

    Parameters
    ----------
    date : str
        Month ``YYYY-MM`` within the observed span (and a year after its start) [-].
    table : pandas.DataFrame, optional
        ``data.load("tokens_served")``.
    provider : str
        Provider of ``tokens_served`` [-].

    Examples
    --------
    >>> round(growth_at("2025-05"), 1)
    49.5
    """
    t = _provider(table, provider)
    x = np.array([months_between(t["as_of"].iloc[0], a) for a in t["as_of"]], dtype=float)
    y = np.log(t["tokens_per_month"].to_numpy(dtype=float))
    at = months_between(t["as_of"].iloc[0], date)
    if at - 12 < x[0] or at > x[-1]:
        raise ValueError(f"{date} is not a year inside the observations ({t['as_of'].iloc[0]} to {t['as_of'].iloc[-1]})")
    return float(np.exp(np.interp(at, x, y) - np.interp(at - 12, x, y)))


def price_decline(trend_id: str = CENTRAL_TREND, table: pd.DataFrame | None = None) -> float:
    """A published factor by which the price at fixed capability falls in a year [x/year].

    Parameters
    ----------
    trend_id : str
        Trend id of ``data/price_trends.csv`` [-].
    table : pandas.DataFrame, optional
        ``data.load("price_trends")``.

    Examples
    --------
    >>> price_decline(), price_decline("epoch2025_fastest")
    (40.0, 900.0)
    """
    table = data.load("price_trends") if table is None else table
    rows = table[table["trend_id"] == trend_id]
    if rows.empty:
        raise KeyError(f"no trend {trend_id!r}; trends: {', '.join(table['trend_id'])}")
    return float(rows["decline_factor_per_year"].iloc[0])


def implied_elasticity(growth_per_year, decline_per_year):
    """Price elasticity of demand implied if all growth answers the price fall, ``ln g / ln f`` [-].

    Parameters
    ----------
    growth_per_year : float or array_like
        Factor by which quantity grows in a year [x/year].
    decline_per_year : float or array_like
        Factor by which the price falls in a year (> 1) [x/year].

    Examples
    --------
    >>> implied_elasticity(100.0, 10.0), implied_elasticity(10.0, 100.0)
    (2.0, 0.5)
    """
    result = np.log(np.asarray(growth_per_year, dtype=float)) / np.log(np.asarray(decline_per_year, dtype=float))
    return float(result) if np.ndim(result) == 0 else result


def decline_draws(n_draws: int = 20000, seed: int = 20250312, table: pd.DataFrame | None = None) -> np.ndarray:
    """Price-decline factors drawn log-uniformly over Epoch AI's range (9x to 900x a year) [x/year].

    Parameters
    ----------
    n_draws : int
        Draws [-].
    seed : int
        Seed of the generator [-].
    table : pandas.DataFrame, optional
        ``data.load("price_trends")``.

    Examples
    --------
    >>> d = decline_draws(1000)
    >>> bool(d.min() >= 9 and d.max() <= 900)
    True
    """
    lo, hi = (price_decline(t, table) for t in RANGE_TRENDS)
    rng = np.random.default_rng(seed)
    return np.exp(rng.uniform(np.log(lo), np.log(hi), n_draws))


def elasticity_table(n_draws: int = 20000, seed: int = 20250312) -> pd.DataFrame:
    """Implied elasticity and spending growth for each year-over-year interval of tokens served.

    Parameters
    ----------
    n_draws, seed : int
        Price-decline draws and seed (:func:`decline_draws`) [-].

    Returns
    -------
    pandas.DataFrame
        ``provider, start, end, growth_per_year, decline_central, elasticity, elasticity_low, elasticity_high,
        p_elastic, spending_growth, spending_low, spending_high`` ([x/year], [-]); intervals are
        95% over the price-decline draws; ``p_elastic`` is the share of draws with elasticity above 1.
    """
    prices = data.load("price_trends")
    draws = decline_draws(n_draws, seed, prices)
    central = price_decline(CENTRAL_TREND, prices)
    rows = []
    for r in yearly_growth().itertuples():
        e = implied_elasticity(r.growth_per_year, draws)
        s = r.growth_per_year / draws
        rows.append({"provider": r.provider, "start": r.start, "end": r.end, "growth_per_year": r.growth_per_year,
                     "decline_central": central,
                     "elasticity": implied_elasticity(r.growth_per_year, central),
                     "elasticity_low": float(np.percentile(e, 2.5)), "elasticity_high": float(np.percentile(e, 97.5)),
                     "p_elastic": float(np.mean(e > 1)), "spending_growth": r.growth_per_year / central,
                     "spending_low": float(np.percentile(s, 2.5)), "spending_high": float(np.percentile(s, 97.5))})
    return pd.DataFrame(rows)
