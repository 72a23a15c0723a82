"""Chapter "Scaling laws": tables, verdicts S1 to S5 and figures.

Computation lives in :mod:`analysis.scaling` (Chinchilla frontier, inference-aware
optimum, test-time slopes), :mod:`analysis.reasoning` (FLOPs per answer),
:mod:`analysis.progress` (frontier gains over time) and :mod:`analysis.demand`
(tokens served against price); this module picks the chapter's cases,
applies the verdict rules and draws the figures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import claims, data, demand, models, progress, reasoning, scaling
from analysis.figures import SOURCE_COLUMNS, FigureData, themed

#: This chapter's id in ``data/claims.csv``.
CHAPTER = "scaling_laws"

#: Claims of this chapter that get a verdict here (S6 waits for the cost chapter).
CLAIM_IDS = ("S1", "S2", "S3", "S4", "S5")

#: A computed multiple "reproduces" a claimed one if within this factor of it, either way (S3). [x]
REPRODUCED_FACTOR = 1.5

#: Probability of acceleration (or deceleration) that counts as decisive in S1. [-]
DECISIVE_PROBABILITY = 0.9

#: Share of window-edge variants that must agree for an S1 result to count as robust. [-]
ROBUST_SHARE = 0.8

#: S4: a proxy of at least this multiple counts as "an order of magnitude more". [x]
ORDER_OF_MAGNITUDE = 10.0

#: S5: share of price draws with elasticity above 1 that counts as elastic (or, from 1, inelastic). [-]
ELASTIC_PROBABILITY = 0.8

#: Display names of the token providers.
PROVIDER_NAMES = {"google": "Google", "microsoft": "Microsoft", "openrouter": "OpenRouter"}

#: Dates after the keynote at which S1's comparison is repeated.
LATER_DATES = ("2025-09-18", "2026-03-01")


def claims_table() -> pd.DataFrame:
    """The claims this chapter settles (``id, claim, origin``), for its opening table."""
    return claims.chapter_claims(CHAPTER)


def verdicts() -> pd.DataFrame:
    """The verdicts of this chapter's claims, for the table that closes the chapter."""
    return claims.chapter_verdicts(CHAPTER)


def _sources(*tables: str) -> pd.DataFrame:
    return pd.concat([data.load(t)[SOURCE_COLUMNS] for t in tables], ignore_index=True)


# --- S1: progress ------------------------------------------------------------------


def indexes() -> tuple:
    """The two capability indexes of S1 (ECI, METR)."""
    return progress.eci_index(), progress.metr_index()


def acceleration_table(dates=(progress.KEYNOTE_DATE,) + LATER_DATES) -> pd.DataFrame:
    """Six-month frontier gains before each date, for both indexes, with 95% intervals.

    Parameters
    ----------
    dates : sequence of str
        Ends of the last window (ISO dates); the first is the keynote.

    Returns
    -------
    pandas.DataFrame
        ``index, unit, end_date, last, last_low, last_high, previous, previous_low, previous_high,
        difference, difference_low, difference_high, p_accelerating`` ([index units], [-]).
    """
    window = scaling.assumption("progress_window_days")
    rows = []
    for ix in indexes():
        for date in dates:
            a = progress.acceleration(ix, date, window)
            rows.append({"index": ix.label, "unit": ix.unit, "end_date": date, **a})
    cols = ["index", "unit", "end_date", "last", "last_low", "last_high", "previous", "previous_low", "previous_high",
            "difference", "difference_low", "difference_high", "p_accelerating"]
    return pd.DataFrame(rows)[cols]


def edge_table() -> pd.DataFrame:
    """Share of window variants (end moved by up to 60 days, 5 to 7 months long) in which gains accelerate.

    Returns
    -------
    pandas.DataFrame
        ``index, window_days, variants, share_accelerating`` ([days], [count], [-]); one row per
        window length and one (``window_days`` NaN) over all variants.
    """
    lo, hi = (scaling.assumption("progress_window_days", w) for w in ("low", "high"))
    central = scaling.assumption("progress_window_days")
    windows = np.array([lo, central, hi])
    rows = []
    for ix in indexes():
        e = progress.edge_sensitivity(ix, windows_days=windows)
        for w, g in e.groupby("window_days"):
            rows.append({"index": ix.label, "window_days": w, "variants": len(g), "share_accelerating": g["accelerating"].mean()})
        rows.append({"index": ix.label, "window_days": np.nan, "variants": len(e), "share_accelerating": e["accelerating"].mean()})
    return pd.DataFrame(rows)


def verdict_s1():
    """S1: model progress is accelerating (the last six months' gains exceed the previous six months').

    Rule, for each index (ECI, METR) with ``p`` the bootstrap probability that
    the gain of the six months to the keynote exceeds that of the six months
    before and ``e`` the share of window variants (end moved by up to 60
    days, 5 to 7 months long) that accelerate: the index *decisively
    accelerates* if ``p >= DECISIVE_PROBABILITY`` and ``e >= ROBUST_SHARE``,
    *decisively decelerates* if ``p <= 1 - DECISIVE_PROBABILITY`` and
    ``e <= 1 - ROBUST_SHARE``.  Supported if every index decisively
    accelerates; contradicted if every index decisively decelerates; partly
    supported if some but not all accelerate decisively; not testable with
    public data otherwise (the sampling uncertainty or the window's edges decide).
    """
    acc = acceleration_table()
    edges = edge_table()
    at = acc[acc["end_date"] == progress.KEYNOTE_DATE].set_index("index")
    overall = edges[edges["window_days"].isna()].set_index("index")["share_accelerating"]
    evidence, states = [], {}
    for name, r in at.iterrows():
        e = float(overall[name])
        up = r["p_accelerating"] >= DECISIVE_PROBABILITY and e >= ROBUST_SHARE
        down = r["p_accelerating"] <= 1 - DECISIVE_PROBABILITY and e <= 1 - ROBUST_SHARE
        states[name] = "up" if up else ("down" if down else "undecided")
        evidence += [claims.Evidence(f"{name}: gain, six months to the keynote", r["last"], r["unit"]),
                     claims.Evidence(f"{name}: gain, the six months before", r["previous"], r["unit"]),
                     claims.Evidence(f"{name}: probability the last gain is larger", r["p_accelerating"], "-"),
                     claims.Evidence(f"{name}: share of window variants that accelerate", e, "-")]
    later = acc[acc["end_date"] != progress.KEYNOTE_DATE]
    for r in later.itertuples():
        evidence.append(claims.Evidence(f"{r.index}: probability of acceleration, window ending {r.end_date}",
                                        r.p_accelerating, "-"))
    values = set(states.values())
    if values == {"up"}:
        verdict = claims.Verdict.SUPPORTED
    elif values == {"down"}:
        verdict = claims.Verdict.CONTRADICTED
    elif "up" in values:
        verdict = claims.Verdict.PARTLY
    else:
        verdict = claims.Verdict.NOT_TESTABLE
    parts = [f"{name.split(' [')[0]}: {r['last']:.2f} vs {r['previous']:.2f} {r['unit']} "
             f"(probability of acceleration {r['p_accelerating']:.2f}; {float(overall[name]):.0%} of window variants accelerate)"
             for name, r in at.iterrows()]
    smaller = int((at["last"] < at["previous"]).sum())
    direction = (f"{smaller} of {len(at)} indexes show a smaller gain in the last six months, not a larger one"
                 if smaller else "every index shows a larger gain in the last six months")
    why = {claims.Verdict.NOT_TESTABLE: "but no index is decisive: the difference lies within the bootstrap interval "
                                        "or flips when the window's edges move by weeks, because frontier models arrive "
                                        "a few times a year",
           claims.Verdict.PARTLY: "and the indexes disagree",
           claims.Verdict.SUPPORTED: "robustly", claims.Verdict.CONTRADICTED: "robustly"}[verdict]
    summary = (f"Frontier gains in the six months to {progress.KEYNOTE_DATE} against the six months before: "
               f"{'; '.join(parts)}. At the keynote's dates {direction}, {why}.")
    return claims.ClaimResult(
        "S1", verdict, summary, tuple(evidence),
        assumptions=("Frontier = best score released so far; gains are differences of that step function.",
                     "ECI bootstrap resamples frontier models (ECI publishes no per-model intervals in the export used); "
                     "METR bootstrap redraws each log horizon from its 95% interval.",
                     f"Six months = {scaling.assumption('progress_window_days'):.1f} days; variants "
                     f"{scaling.assumption('progress_window_days', 'low'):.0f} to "
                     f"{scaling.assumption('progress_window_days', 'high'):.0f} days, end moved by up to 60 days."),
        would_change=("Per-model uncertainty intervals for the ECI (Epoch publishes them on its site).",
                      "A stated window and benchmark for the claim; a trend fit over many models instead of frontier steps."),
    )


# --- S2: three scaling laws ---------------------------------------------------------


def laws_table() -> pd.DataFrame:
    """One row per scaling law: the quality gained per compute with its 95% interval.

    Returns
    -------
    pandas.DataFrame
        ``law, evidence, measure, value, low, high, unit``.
    """
    e = scaling.exponent_intervals("besiroglu2024")
    slopes = scaling.inference_scaling_slopes().set_index("series")
    gains = scaling.accuracy_gains().set_index("series")
    post = gains[gains["law"] == "post_training"].iloc[0]
    pooled = slopes.loc[scaling.POOLED]
    rows = [
        {"law": "pre-training", "evidence": "Chinchilla loss law, Besiroglu et al. refit",
         "measure": "exponent gamma of L*(C) - E ∝ C^-gamma", "value": e.loc["loss", "value"],
         "low": e.loc["loss", "low"], "high": e.loc["loss", "high"], "unit": "-"},
        {"law": "post-training", "evidence": gains[gains["law"] == "post_training"].index[0],
         "measure": "accuracy gained by reinforcement learning", "value": post["gain_points"],
         "low": post["gain_low"], "high": post["gain_high"], "unit": "percentage points"},
        {"law": "test-time", "evidence": "DeepSeek-R1-Zero (AIME) and o3 (ARC-AGI), mean slope",
         "measure": "logits of accuracy per tenfold test-time compute", "value": pooled["slope_logit_per_decade"],
         "low": pooled["slope_low"], "high": pooled["slope_high"], "unit": "logit per 10x"},
    ]
    return pd.DataFrame(rows)


def fits_table() -> pd.DataFrame:
    """The two Chinchilla fits side by side, with Chinchilla's compute-optimal size under each.

    Returns
    -------
    pandas.DataFrame
        ``fit_id, E, A, B, alpha, beta, params_exponent, loss_exponent, chinchilla_params_b,
        chinchilla_tokens_t, tokens_per_param`` ([-], [1e9], [1e12]).
    """
    c = 6.0 * scaling.assumption("chinchilla_params") * scaling.assumption("chinchilla_tokens")
    rows = []
    for fit_id in scaling.FITS:
        lw = scaling.law(fit_id)
        n, d = scaling.compute_optimal(lw, c)
        rows.append({"fit_id": fit_id, "E": lw.E, "A": lw.A, "B": lw.B, "alpha": lw.alpha, "beta": lw.beta,
                     "params_exponent": lw.params_exponent, "loss_exponent": lw.frontier_exponent,
                     "chinchilla_params_b": n / 1e9, "chinchilla_tokens_t": d / 1e12, "tokens_per_param": d / n})
    return pd.DataFrame(rows)


def inference_optimum_table(fit_id: str = "besiroglu2024", inference_tokens=None) -> pd.DataFrame:
    """Sardana et al.'s optimum at Chinchilla's loss for several lifetime demands.

    Parameters
    ----------
    fit_id : str
        Loss law [-].
    inference_tokens : array_like, optional
        Lifetime tokens served; default 0 and the assumption's low, central and high values [tokens].

    Returns
    -------
    pandas.DataFrame
        :func:`analysis.scaling.inference_aware_optimum` plus ``inference_share`` (of lifetime FLOPs) [-].
    """
    lw = scaling.law(fit_id)
    target = lw.loss(scaling.assumption("chinchilla_params"), scaling.assumption("chinchilla_tokens"))
    if inference_tokens is None:
        inference_tokens = [0.0] + [scaling.assumption("lifetime_inference_tokens", w) for w in ("low", "value", "high")]
    t = scaling.inference_aware_optimum(lw, target, inference_tokens)
    t["inference_share"] = t["inference_flop"] / t["total_flop"]
    return t


def verdict_s2():
    """S2: three scaling laws (pre-training, post-training, test-time) drive compute demand.

    Rule: each law counts as holding if its measure of quality per compute
    (:func:`laws_table`) has a 95% interval entirely above zero.  Supported if
    all three hold; partly supported if one or two do; contradicted if none.
    """
    laws = laws_table()
    holds = laws["low"] > 0
    evidence = []
    for r in laws.itertuples():
        evidence += [claims.Evidence(f"{r.law}: {r.measure}", r.value, r.unit),
                     claims.Evidence(f"{r.law}: 95% interval, low end", r.low, r.unit)]
    fits = fits_table().set_index("fit_id")
    evidence.append(claims.Evidence("compute-optimal tokens per parameter at Chinchilla's budget (Besiroglu)",
                                    fits.loc["besiroglu2024", "tokens_per_param"], "-"))
    if holds.all():
        verdict = claims.Verdict.SUPPORTED
    elif holds.any():
        verdict = claims.Verdict.PARTLY
    else:
        verdict = claims.Verdict.CONTRADICTED
    laws_i = laws.set_index("law")
    summary = (
        f"All three laws show quality rising with compute, each with an interval above zero: pre-training loss falls as "
        f"compute^-{laws_i.at['pre-training', 'value']:.3f} on the compute-optimal frontier (95% "
        f"{laws_i.at['pre-training', 'low']:.3f}-{laws_i.at['pre-training', 'high']:.3f}); reinforcement learning raised "
        f"DeepSeek-R1-Zero's AIME score by {laws_i.at['post-training', 'value']:.0f} points; test-time compute adds "
        f"{laws_i.at['test-time', 'value']:.2f} logits of accuracy per tenfold compute (95% {laws_i.at['test-time', 'low']:.2f}-"
        f"{laws_i.at['test-time', 'high']:.2f}). Every law is logarithmic: each further step of quality needs a multiple of "
        "the compute, which is how they drive demand."
        if holds.all() else f"{int(holds.sum())} of 3 laws have an interval above zero.")
    return claims.ClaimResult(
        "S2", verdict, summary, tuple(evidence),
        assumptions=("Pre-training: standard errors drawn independently (no covariance published).",
                     "Test-time: binomial uncertainty over the benchmark's problems, points treated as independent; "
                     "ARC-AGI 6 vs 1024 samples counted at the published 172x compute.",
                     "Post-training: only the accuracy gain is published, not the RL compute, so no slope per compute."),
        would_change=("Published RL compute against accuracy (a post-training slope per FLOP).",
                      "Test-time curves that flatten to zero slope at the compute used in practice."),
    )


# --- S3 and S4: compute per answer ---------------------------------------------------


def verdict_s3():
    """S3: the demo's reasoning model used about 20x the tokens and 150x the compute.

    Rule, with the ratios of :func:`analysis.reasoning.ratio_table`: a basis
    reproduces a claimed multiple if its ratio is within ``REPRODUCED_FACTOR``
    of it either way.  Supported if the like-for-like basis (active weights
    plus attention) reproduces both 20x (tokens) and 150x (compute);
    supported only on a normalized basis if the tokens match and only a basis
    that is not like-for-like reproduces 150x; contradicted otherwise.
    """
    table = reasoning.ratio_table()
    claim_tokens = scaling.assumption("claim_s3_token_multiple")
    claim_compute = scaling.assumption("claim_s3_compute_multiple")

    def near(x, target):
        return target / REPRODUCED_FACTOR <= x <= target * REPRODUCED_FACTOR

    t = table.set_index("key")
    like = t[t["like_for_like"]].iloc[0]
    tokens_ok = near(t.at["tokens", "ratio"], claim_tokens)
    reproducing = [k for k, r in t.iterrows() if k != "tokens" and near(r["ratio"], claim_compute)]
    if tokens_ok and near(like["ratio"], claim_compute):
        verdict = claims.Verdict.SUPPORTED
    elif tokens_ok and reproducing:
        verdict = claims.Verdict.NORMALIZED_ONLY
    else:
        verdict = claims.Verdict.CONTRADICTED
    inputs = reasoning.demo_inputs()
    evidence = [claims.Evidence(f"ratio, {r.basis}", r.ratio, "x") for r in table.itertuples()]
    r_range = reasoning.range_table()
    evidence += [claims.Evidence(f"like-for-like ratio, {r.input} at its {r.end} end ({r.value:g})", r.ratio, "x")
                 for r in r_range.itertuples()]
    b_like = reasoning.basis(str(like.name))
    evidence += [
        claims.Evidence("reasoning tokens for 150x, like-for-like", reasoning.tokens_for_ratio(
            b_like, claim_compute, inputs["oneshot_tokens"], inputs["prompt_tokens"]), "tokens"),
        claims.Evidence("parameters per token for 150x at the demo's tokens", reasoning.params_for_ratio(claim_compute) / 1e9,
                        "billion"),
    ]
    names = ", ".join(t.at[k, "basis"].lower() for k in reproducing) or "none"
    one_m, reason_m = (models.get(m) for m in (reasoning.ONE_SHOT_MODEL, reasoning.REASONING_MODEL))
    weights_share = models.active_params(reason_m) / models.active_params(one_m)
    attention_factor = t.at["active_attention", "reasoning_tflop"] / t.at["active", "reasoning_tflop"]
    total_b = models.total_params(reason_m) / 1e9
    summary = (
        f"{inputs['reasoning_tokens']:,.0f} against {inputs['oneshot_tokens']:,.0f} tokens is {t.at['tokens', 'ratio']:.0f}x. "
        f"Counting what each model computes (DeepSeek-R1's {like['reasoning_tflop']:,.0f} TFLOP against a dense 70B's "
        f"{like['oneshot_tflop']:,.0f} TFLOP, attention over the growing context included) the compute is "
        f"{like['ratio']:.0f}x: R1 multiplies {weights_share:.2f}x the weights per token of the 70B, and its attention "
        f"over the {inputs['reasoning_tokens']:,.0f}-token trace multiplies its answer's cost by {attention_factor:.1f}. "
        f"{claim_compute:.0f}x is reproduced only by counting all {total_b:.0f}B of R1's parameters as if each token used "
        f"them ({names}: {t.at['all_attention', 'ratio']:.0f}x with attention), which a mixture of experts does not do. "
        f"Like-for-like, {claim_compute:.0f}x would need a {evidence[-2].value:,.0f}-token trace.")
    return claims.ClaimResult(
        "S3", verdict, summary, tuple(evidence),
        assumptions=(f"Traditional LLM modelled as {reasoning.ONE_SHOT_MODEL} (the demo named Llama, not its size); "
                     f"reasoning model {reasoning.REASONING_MODEL} (the demo's model), configs from data/models.csv.",
                     f"Prompt {inputs['prompt_tokens']:.0f} tokens (assumed, "
                     f"{scaling.assumption('demo_prompt_tokens', 'low'):.0f}-{scaling.assumption('demo_prompt_tokens', 'high'):.0f}), "
                     "the same for both; MLA attention counted as served (absorbed latent); 2 FLOPs per multiply-add."),
        would_change=("NVIDIA's own FLOP accounting for the demo.",
                      "A much longer prompt (the ratio falls toward the ratio of weights per token, about 0.5x)."),
    )


def s4_proxies() -> pd.DataFrame:
    """The observable proxies of "100x more compute than thought a year earlier".

    Returns
    -------
    pandas.DataFrame
        ``proxy, value, unit`` ([x]).
    """
    like = reasoning.ratio_table().set_index("key").query("like_for_like").iloc[0]
    rows = [{"proxy": "compute per answer, reasoning vs one-shot (S3, like-for-like)", "value": like["ratio"], "unit": "x"}]
    # each provider's first year-over-year interval: all of them contain or end near the keynote (2025-03)
    for r in demand.yearly_growth().groupby("provider", sort=False).head(1).itertuples():
        rows.append({"proxy": f"{PROVIDER_NAMES[r.provider]} tokens per month, {r.start} to {r.end}",
                     "value": r.growth_per_year, "unit": "x"})
    return pd.DataFrame(rows)


def verdict_s4():
    """S4: the compute needed is 'easily 100x more' than thought a year earlier.

    What was *thought* a year earlier is not public, so the rule tests the
    observable part: with ``m`` the largest of :func:`s4_proxies` (compute per
    answer, and year-over-year tokens served), supported if ``m >= 100``
    (the claimed multiple); partly supported if ``ORDER_OF_MAGNITUDE <= m <
    100``; contradicted if ``m < ORDER_OF_MAGNITUDE``.
    """
    proxies = s4_proxies()
    claimed = scaling.assumption("claim_s4_compute_multiple")
    m = float(proxies["value"].max())
    if m >= claimed:
        verdict = claims.Verdict.SUPPORTED
    elif m >= ORDER_OF_MAGNITUDE:
        verdict = claims.Verdict.PARTLY
    else:
        verdict = claims.Verdict.CONTRADICTED
    evidence = [claims.Evidence(r.proxy, r.value, r.unit) for r in proxies.itertuples()]
    evidence.append(claims.Evidence("claimed multiple", claimed, "x"))
    p = proxies.set_index("proxy")["value"]
    reach = "reaches" if m >= claimed else "falls short of"
    growths = ", ".join(f"{name.split(' tokens')[0]} {v:.0f}x" for name, v in p.iloc[1:].items())
    summary = (f"The largest observable proxy {reach} {claimed:.0f}x: a reasoning answer costs {p.iloc[0]:.0f}x a "
               f"one-shot answer like-for-like, and tokens served grew in the year around the keynote by {growths}. "
               "Tokens already include reasoning traces, so the two do not multiply. What anyone expected a year "
               "earlier is not public, so the 'than we thought' part is untestable.")
    return claims.ClaimResult(
        "S4", verdict, summary, tuple(evidence),
        assumptions=("Compute per token served unchanged over the year (tokens grow, FLOPs per token assumed constant).",
                     "Providers' disclosed totals stand for the industry (Google: all products and APIs; Microsoft: "
                     "quarterly totals; OpenRouter: annual run rates with an assumed start date)."),
        would_change=("Disclosed inference FLOPs (not tokens) by a large provider, a year apart.",
                      "Forecasts of inference compute published before 2025 (the 'thought' baseline)."),
    )


# --- S5: Jevons -------------------------------------------------------------------------


def verdict_s5():
    """S5: as AI gets cheaper, demand grows more than proportionally, so spending rises (Jevons).

    Rule, with ``p`` the share of price-decline draws (log-uniform over Epoch
    AI's 9x-900x a year) in which the implied elasticity exceeds 1, for every
    year-over-year interval of tokens served (:func:`analysis.demand.elasticity_table`):
    supported if ``p >= ELASTIC_PROBABILITY`` in every interval; contradicted if
    ``p <= 1 - ELASTIC_PROBABILITY`` in every interval; partly supported otherwise.
    """
    table = demand.elasticity_table()
    ps = table["p_elastic"]
    if (ps >= ELASTIC_PROBABILITY).all():
        verdict = claims.Verdict.SUPPORTED
    elif (ps <= 1 - ELASTIC_PROBABILITY).all():
        verdict = claims.Verdict.CONTRADICTED
    else:
        verdict = claims.Verdict.PARTLY
    evidence = []
    for r in table.itertuples():
        span = f"{PROVIDER_NAMES[r.provider]}, {r.start} to {r.end}"
        evidence += [claims.Evidence(f"{span}: tokens served, growth", r.growth_per_year, "x/year"),
                     claims.Evidence(f"{span}: implied elasticity at {r.decline_central:.0f}x/year price fall", r.elasticity, "-"),
                     claims.Evidence(f"{span}: probability elasticity > 1", r.p_elastic, "-"),
                     claims.Evidence(f"{span}: spending growth at fixed capability", r.spending_growth, "x/year")]
    parts = [f"{PROVIDER_NAMES[r.provider]} {r.start} to {r.end}: tokens {r.growth_per_year:.1f}x, elasticity {r.elasticity:.2f} "
             f"({r.elasticity_low:.2f}-{r.elasticity_high:.2f}), spending at fixed capability {r.spending_growth:.2f}x"
             for r in table.itertuples()]
    inelastic = int((ps <= 1 - ELASTIC_PROBABILITY).sum())
    summary = (f"Tokens served against the price of fixed capability (Epoch AI, central "
               f"{demand.price_decline():.0f}x a year): " + "; ".join(parts) + f". Elasticity above 1 (Jevons) has "
               "probability " + ", ".join(f"{p:.2f}" for p in ps) + f" over the range of price trends: {inelastic} of "
               f"{len(ps)} intervals are inelastic with probability {ELASTIC_PROBABILITY:.0%} or more. Because the growth also has "
               "causes other than price, these elasticities are upper bounds. The fixed-capability price does not follow "
               "users who move to newer, pricier models, so it does not settle total spending on those.")
    return claims.ClaimResult(
        "S5", verdict, summary, tuple(evidence),
        assumptions=("All token growth attributed to the price fall (an upper bound on the elasticity).",
                     "Price decline uncertain over 9x-900x a year (log-uniform), central 40x (GPT-4-level science).",
                     "Disclosed totals of three providers as the quantity, not the market."),
        would_change=("Market-wide tokens and revenue per period (e.g. OpenRouter or provider disclosures of spend).",
                      "Prices paid per token, weighted by the models actually served."),
    )


# --- figures ------------------------------------------------------------------------


def frontier_figure():
    """fig-scaling-frontier: compute-optimal tokens per parameter under both Chinchilla fits."""
    import altair as alt

    table = scaling.frontier_table(np.logspace(20, 27, 29))
    names = {"hoffmann2022": "Hoffmann et al. 2022 (Approach 3)", "besiroglu2024": "Besiroglu et al. 2024 refit"}
    table["fit"] = table["fit_id"].map(names)
    chart = alt.Chart(table).mark_line(point=True, strokeWidth=2.5).encode(
        x=alt.X("compute_flop:Q", title="Training compute [FLOP]", scale=alt.Scale(type="log"), axis=alt.Axis(format=".0e")),
        y=alt.Y("tokens_per_param:Q", title="Compute-optimal training tokens per parameter", scale=alt.Scale(type="log")),
        color=alt.Color("fit:N", title=None),
        tooltip=["fit", alt.Tooltip("compute_flop:Q", format=".2e"), alt.Tooltip("params:Q", format=".3e"),
                 alt.Tooltip("tokens_per_param:Q", format=".1f")],
    ).properties(title="Chinchilla's optimum: about 20 tokens per parameter once the fit is redone")
    return FigureData(themed(chart), table.drop(columns="fit"), _sources("scaling_fits"))


def inference_optimum_figure():
    """fig-scaling-inference-optimum: smaller models trained longer as lifetime demand grows."""
    import altair as alt

    d_inf = np.logspace(11, 15, 33)
    t = inference_optimum_table("besiroglu2024", d_inf)
    long = pd.concat([
        t.assign(quantity="Parameters [billion]", value=t["params"] / 1e9),
        t.assign(quantity="Training tokens per parameter", value=t["tokens_per_param"]),
        t.assign(quantity="Inference share of lifetime FLOPs [%]", value=t["inference_share"] * 100),
    ], ignore_index=True)[["inference_tokens", "quantity", "value"]]
    chart = alt.Chart(long).mark_line(strokeWidth=2.5).encode(
        x=alt.X("inference_tokens:Q", title="Tokens served over the model's life", scale=alt.Scale(type="log"),
                axis=alt.Axis(format=".0e")),
        y=alt.Y("value:Q", title=None, scale=alt.Scale(type="log")),
        color=alt.Color("quantity:N", title=None, legend=alt.Legend(columns=1, labelLimit=420)),
        tooltip=["quantity", alt.Tooltip("inference_tokens:Q", format=".2e"), alt.Tooltip("value:Q", format=".3g")],
    ).properties(title="Inference-aware optimum at Chinchilla's loss (Sardana et al.)")
    assumptions = data.load("scaling_assumptions")
    asked = assumptions[assumptions["parameter"].isin(["chinchilla_params", "chinchilla_tokens", "lifetime_inference_tokens"])]
    fits = data.load("scaling_fits")
    used = fits[fits["fit_id"] == "besiroglu2024"]
    return FigureData(themed(chart), long, pd.concat([used[SOURCE_COLUMNS], asked[SOURCE_COLUMNS]], ignore_index=True))


def test_time_figure():
    """fig-scaling-test-time: published accuracy against test-time compute, with binomial intervals."""
    import altair as alt

    pts = data.load("test_time_points")
    pts = pts[(pts["law"] == "test_time") & pts["compute_relative"].notna()].copy()
    se = np.sqrt(pts["accuracy_share"] * (1 - pts["accuracy_share"]) / pts["problems_count"])
    pts["accuracy_pct"] = pts["accuracy_share"] * 100
    pts["low_pct"] = (pts["accuracy_share"] - 1.96 * se).clip(lower=0) * 100
    pts["high_pct"] = (pts["accuracy_share"] + 1.96 * se).clip(upper=1) * 100
    table = pts[["point_id", "series", "setting", "compute_relative", "accuracy_pct", "low_pct", "high_pct", "problems_count"]]
    base = alt.Chart(table).encode(
        x=alt.X("compute_relative:Q", title="Test-time compute relative to the first setting [x]", scale=alt.Scale(type="log")),
        color=alt.Color("series:N", title=None, legend=alt.Legend(columns=1, labelLimit=420)))
    lines = base.mark_line(point=alt.OverlayMarkDef(size=70), strokeWidth=2.5).encode(
        y=alt.Y("accuracy_pct:Q", title="Accuracy [%]", scale=alt.Scale(domain=[50, 100])),
        tooltip=["series", "setting", "compute_relative", alt.Tooltip("accuracy_pct:Q", format=".1f")])
    bars = base.mark_rule(strokeWidth=1.5).encode(y="low_pct:Q", y2="high_pct:Q")
    chart = (bars + lines).properties(title="Test-time scaling: more samples, higher accuracy (95% binomial intervals)")
    return FigureData(themed(chart), table, _sources("test_time_points"))


def flops_ratio_figure():
    """fig-scaling-flops-ratio: the reasoning/one-shot compute ratio against trace length, by basis."""
    import altair as alt

    table = reasoning.sensitivity_table()
    inputs = reasoning.demo_inputs()
    claims_t = pd.DataFrame({"ratio": [scaling.assumption("claim_s3_token_multiple"), scaling.assumption("claim_s3_compute_multiple")],
                             "label": ["claimed 20x tokens", "claimed 150x compute"]})
    order = [b.label for b in reasoning.BASES]
    lines = alt.Chart(table).mark_line(strokeWidth=2.5).encode(
        x=alt.X("reasoning_tokens:Q", title="Tokens generated by the reasoning model", scale=alt.Scale(type="log")),
        y=alt.Y("ratio:Q", title="Compute of the answer vs the one-shot answer [x]", scale=alt.Scale(type="log")),
        color=alt.Color("basis:N", title=None, sort=order, legend=alt.Legend(columns=1, labelLimit=420)),
        tooltip=["basis", alt.Tooltip("reasoning_tokens:Q", format=",.0f"), alt.Tooltip("ratio:Q", format=".1f")])
    rules = alt.Chart(claims_t).mark_rule(strokeDash=[6, 4], color="#000000").encode(y="ratio:Q")
    text = alt.Chart(claims_t).mark_text(align="left", dx=4, dy=-6, fontSize=11).encode(
        y="ratio:Q", x=alt.value(4), text="label:N")
    demo = alt.Chart(pd.DataFrame({"t": [inputs["reasoning_tokens"]]})).mark_rule(color="#999999").encode(x="t:Q")
    chart = (lines + rules + text + demo).properties(
        title=f"DeepSeek-R1 vs a dense 70B answering in {inputs['oneshot_tokens']:.0f} tokens (grey: the demo's trace)")
    models_t = data.load("models")
    used = models_t[models_t["model_id"].isin([reasoning.ONE_SHOT_MODEL, reasoning.REASONING_MODEL])]
    assumptions = data.load("scaling_assumptions")
    asked = assumptions[assumptions["parameter"].str.startswith(("demo_", "claim_s3_"))]
    return FigureData(themed(chart), table, pd.concat([used[SOURCE_COLUMNS], asked[SOURCE_COLUMNS]], ignore_index=True))


def progress_figure():
    """fig-scaling-progress: six-month frontier gains over time for the ECI and METR's horizons."""
    import altair as alt

    window = scaling.assumption("progress_window_days")
    table = pd.concat([progress.rolling_gains(ix, window_days=window) for ix in indexes()], ignore_index=True)
    names = {ix.key: ix.label for ix in indexes()}
    table["index_label"] = table["index"].map(names)
    base = alt.Chart().encode(x=alt.X("end_date:T", title="End of the six-month window"))
    band = base.mark_area(opacity=0.25, color="#0072B2").encode(y=alt.Y("gain_low:Q", title="Frontier gain over six months"),
                                                                 y2="gain_high:Q")
    line = base.mark_line(color="#0072B2", strokeWidth=2.5).encode(y="gain:Q", tooltip=["end_date:T", alt.Tooltip("gain:Q", format=".2f")])
    keynote = alt.Chart().mark_rule(color="#D55E00", strokeDash=[6, 4]).encode(
        x=alt.datum(alt.DateTime(year=2025, month=3, date=18)))
    chart = (alt.layer(band, line, keynote, data=table).properties(width=520, height=160)
             .facet(row=alt.Row("index_label:N", title=None, header=alt.Header(labelFontSize=12, labelOrient="top")))
             .resolve_scale(y="independent")
             .properties(title="Six-month frontier gains (95% bootstrap band); dashed: the keynote"))
    return FigureData(themed(chart, width=None, height=None), table.drop(columns="index_label"),
                      _sources("capabilities_index", "time_horizons"))


def demand_figure():
    """fig-scaling-demand: tokens served per month by provider, against the price of fixed capability."""
    import altair as alt

    tokens = data.load("tokens_served").sort_values("as_of")
    central = demand.price_decline()
    google = tokens[tokens["provider"] == "google"]
    first, last = google["as_of"].iloc[0], tokens["as_of"].iloc[-1]
    table = tokens[["provider", "as_of", "tokens_per_month", "status"]].copy()
    table["series"] = table["provider"].map(PROVIDER_NAMES) + " tokens per month"
    table["value"] = table["tokens_per_month"] / 1e12
    months = demand.months_between(first, last)
    # the price index starts at Google's first observation (month and level) so both share one log axis
    start = float(google["tokens_per_month"].iloc[0]) / 1e12
    grid = pd.DataFrame({"as_of": [first, last], "months": [0, months]})
    price = grid.assign(provider="price", status="derived", tokens_per_month=np.nan,
                        series=f"Price at fixed capability, {central:.0f}x a year fall (Epoch AI; index)",
                        value=start * central ** (-grid["months"] / 12)).drop(columns="months")
    long = pd.concat([table, price], ignore_index=True)[["as_of", "provider", "series", "value", "tokens_per_month", "status"]]
    chart = alt.Chart(long).mark_line(point=True, strokeWidth=2.5).encode(
        x=alt.X("as_of:T", title="Month"),
        y=alt.Y("value:Q", title="Trillion tokens per month (price: index)", scale=alt.Scale(type="log")),
        color=alt.Color("series:N", title=None, legend=alt.Legend(columns=1, labelLimit=480)),
        strokeDash=alt.condition(alt.datum.provider == "price", alt.value([6, 4]), alt.value([1, 0])),
        tooltip=["series", "as_of", alt.Tooltip("value:Q", format=".3g"), "status"],
    ).properties(title=f"Tokens served vs the price of fixed capability ({central:.0f}x cheaper a year)")
    return FigureData(themed(chart), long, _sources("tokens_served", "price_trends"))
