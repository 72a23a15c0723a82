"""Chapter "Dynamo": Pareto frontiers per MW, the 30x split, disaggregation on Hopper, KV-aware routing; verdicts D1-D4.

Computation lives in :mod:`analysis.disagg` (steady-state frontiers),
:mod:`analysis.serving` (the simulator), :mod:`analysis.routing`,
:mod:`analysis.planner` and :mod:`analysis.traces`; step times come only from
:mod:`analysis.perf`.  This module picks the chapter's scenarios and presents them.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from analysis import claims, data, disagg, frontier, perf, planner, serving, systems, traces
from analysis import jensen_math as jm
from analysis.figures import SOURCE_COLUMNS, FigureData, themed

#: This chapter's id in ``data/claims.csv``.
CHAPTER = "dynamo"

#: Systems of the Pareto chart: (hardware id, GPUs per deployment, weight format).  Hopper serves
#: DeepSeek-R1 in FP8 on two HGX nodes (its weights need more than 8 x 80 GB); Blackwell and Rubin in FP4.
PARETO_SYSTEMS = (("h100", 16, "fp8"), ("b200", 8, "fp4"), ("gb200", 72, "fp4"), ("gb300", 72, "fp4"),
                  ("rubin", 72, "fp4"))

#: Models of the chart and their lengths (InferenceX's 1k/1k) [tokens].
PARETO_MODELS = ("deepseek-r1", "llama-3.3-70b")
ISL, OSL = 1024, 1024

#: Interactivity taken as typical for a chat user [tokens/s per user].
TYPICAL_INTERACTIVITY = 50.0

#: D3's stated setup: H100, Llama-70B class in FP8 on vLLM, 3K in / 150 out.
D3_SETUP = {"hardware_id": "h100", "model_id": "llama-3.3-70b", "precision": "fp8", "isl": 3000, "osl": 150,
            "backend": "vllm"}

#: Share of a claimed multiple a computed one must reach to count as reproducing it [-].
REPRODUCED_SHARE = 0.9


def claims_table() -> pd.DataFrame:
    """The claims this chapter settles (``id, claim, origin``)."""
    return claims.chapter_claims(CHAPTER)


def verdicts() -> pd.DataFrame:
    """The verdicts D1 to D4 (:func:`analysis.claims.chapter_verdicts`)."""
    return claims.chapter_verdicts(CHAPTER)


def published(result_id: str) -> float:
    """A published number of ``serving_published`` [its unit].

    Parameters
    ----------
    result_id : str
        Row id.

    Examples
    --------
    >>> published("dynamo_kv_routing_ttft")
    3.0
    """
    return float(data.load("serving_published").set_index("result_id").at[result_id, "value"])


# --- frontiers (D2, D4) ----------------------------------------------------------------------


def system_frontier(hardware_id: str, model_id: str, precision: str, gpus: int, mode: str = "both", params=None,
             isl: int = ISL, osl: int = OSL) -> pd.DataFrame:
    """One system's frontier (:func:`analysis.disagg.best_frontier`, cached) [tokens/s]."""
    return disagg.best_frontier(hardware_id, model_id, precision, gpus, isl, osl, params, perf.DEFAULT_BACKEND, mode)


def pareto_table(params=None, models_=PARETO_MODELS) -> pd.DataFrame:
    """The Pareto chart's points: tokens/s per MW against tokens/s per user, per system, model and mode.

    Returns
    -------
    pandas.DataFrame
        ``model, system, hardware, mode, projection`` [-], ``tokens_per_s_per_user``,
        ``output_tokens_per_s_per_gpu`` [tokens/s], ``output_tokens_per_s_per_mw`` [tokens/s/MW].
    """
    frames = []
    for model_id in models_:
        for hw, gpus, precision in PARETO_SYSTEMS:
            h = systems.get(hw)
            for mode in ("agg", "disagg"):
                f = system_frontier(hw, model_id, precision, gpus, mode, params)
                frames.append(f.assign(model=model_id, hardware=hw, projection=h.projection,
                                       system=f"{h.name} ({precision.upper()})" + (" - projection" if h.projection else ""),
                                       mode="aggregated" if mode == "agg" else "disaggregated"))
    cols = ["model", "system", "hardware", "mode", "projection", "tokens_per_s_per_user", "output_tokens_per_s_per_gpu",
            "output_tokens_per_s_per_mw"]
    return pd.concat(frames, ignore_index=True)[cols]


def ratio_table(params=None, numerator=("gb200", 72, "fp4"), denominator=("h100", 16, "fp8"), model_id="deepseek-r1",
                column="output_tokens_per_s_per_mw", num_mode="both", den_mode="agg") -> pd.DataFrame:
    """Blackwell / Hopper along the frontier at matched interactivity (D4 per MW, D2 per GPU).

    Returns
    -------
    pandas.DataFrame
        :func:`analysis.disagg.ratio_along`.
    """
    return disagg.ratio_along(system_frontier(numerator[0], model_id, numerator[2], numerator[1], num_mode, params),
                              system_frontier(denominator[0], model_id, denominator[2], denominator[1], den_mode, params),
                              column=column)


def _at(table: pd.DataFrame, x: float) -> float:
    r = table.dropna()
    if r.empty or not r["tokens_per_s_per_user"].min() <= x <= r["tokens_per_s_per_user"].max():
        return float("nan")
    return float(np.interp(np.log(x), np.log(r["tokens_per_s_per_user"]), r["ratio"]))


def d2_steps(params=None, x: float | None = None) -> pd.DataFrame:
    """The "30x" split into steps at one matched interactivity, H100 (FP8, aggregated) to GB200 NVL72 (FP4, disaggregated).

    Steps: the chip (B200 for H100, FP8, 8 GPUs), the weight format (FP8 to FP4), the
    scale-up domain (8 to 72 GPUs in one NVLink domain), software (disaggregation).
    Routing and MTP are not in a fixed-length benchmark's frontier and are left out.

    Parameters
    ----------
    params : analysis.perf.Params, optional
        Parameters [units per field].
    x : float, optional
        Interactivity [tokens/s per user]; default where the total ratio is largest.

    Returns
    -------
    pandas.DataFrame
        ``step, factor`` [-], ``cumulative`` [-], ``tokens_per_s_per_user`` [tokens/s].
    """
    chain = [("Hopper: HGX H100, FP8, aggregated", ("h100", "deepseek-r1", "fp8", 16, "agg")),
             ("chip: HGX B200, FP8", ("b200", "deepseek-r1", "fp8", 8, "agg")),
             ("precision: FP4", ("b200", "deepseek-r1", "fp4", 8, "agg")),
             ("scale-up: GB200 NVL72", ("gb200", "deepseek-r1", "fp4", 72, "agg")),
             ("software: disaggregated", ("gb200", "deepseek-r1", "fp4", 72, "both"))]
    fronts = [disagg.best_frontier(hw, m, pr, g, ISL, OSL, params, perf.DEFAULT_BACKEND, mode)
              for _, (hw, m, pr, g, mode) in chain]
    if x is None:
        total = disagg.ratio_along(fronts[-1], fronts[0])
        x = float(total.loc[total["ratio"].idxmax(), "tokens_per_s_per_user"])
    values = [float(frontier.frontier_at(f, x)) for f in fronts]
    rows = [{"step": label, "value_per_gpu": v, "factor": v / values[i - 1] if i else 1.0,
             "cumulative": v / values[0], "tokens_per_s_per_user": x} for i, ((label, _), v) in enumerate(zip(chain, values))]
    return pd.DataFrame(rows)


# --- disaggregation on Hopper (D3) and where it helps ----------------------------------------


def d3_table(params=None) -> pd.DataFrame:
    """Disaggregated / aggregated throughput per GPU on one and two H100 nodes, D3's conditions.

    Returns
    -------
    pandas.DataFrame
        ``nodes, gpus`` [-], ``max_gain, median_gain, gain_at_typical`` [-] (at matched interactivity).
    """
    s = D3_SETUP
    rows = []
    for nodes in (1, 2):
        g = 8 * nodes
        a = disagg.best_frontier(s["hardware_id"], s["model_id"], s["precision"], g, s["isl"], s["osl"], params,
                                 s["backend"], "agg")
        d = disagg.best_frontier(s["hardware_id"], s["model_id"], s["precision"], g, s["isl"], s["osl"], params,
                                 s["backend"], "disagg")
        r = disagg.ratio_along(d, a).dropna()
        rows.append({"nodes": nodes, "gpus": g, "max_gain": float(r["ratio"].max()),
                     "median_gain": float(r["ratio"].median()), "gain_at_typical": _at(r, TYPICAL_INTERACTIVITY)})
    return pd.DataFrame(rows)


#: Request rates of the D3 replay [requests/s].
D3_RATES = (2.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0)


@functools.lru_cache(maxsize=4)
def d3_replay(params=None, requests: int = 1500) -> pd.DataFrame:
    """Dynamo's D3 setup replayed in the simulator: best goodput per GPU at the planner's targets.

    Poisson arrivals at 3,000 in / 150 out (log-normal lengths); TTFT 500 ms and TPOT 50 ms
    (the SLA planner's defaults).  One node: 2 x TP4 aggregated against 1 prefill + 1 decode TP4
    worker, or 3 + 1 TP2 workers, over NVLink; two nodes: 4 x TP4 against 1 + 3, 2 + 2 and 3 + 1
    TP4 workers, the KV cache crossing the NIC.

    Returns
    -------
    pandas.DataFrame
        ``nodes`` [-], ``deployment``, ``goodput_per_s_per_gpu`` (best over :data:`D3_RATES`)
        [requests/s], ``gain`` (disaggregated / aggregated) [-].
    """
    s = D3_SETUP
    e = serving.engine(s["hardware_id"], s["model_id"], s["precision"], tp=4, params=params, backend=s["backend"],
                       max_batch=256)
    e2 = serving.engine(s["hardware_id"], s["model_id"], s["precision"], tp=2, params=params, backend=s["backend"],
                        max_batch=256)
    layouts = {1: [("aggregated 2 x TP4", serving.Cluster(e, 2)),
                   ("disaggregated 1 P + 1 D", serving.Cluster(e, 1, e, 1, same_domain=True)),
                   ("disaggregated 3 P + 1 D (TP2)", serving.Cluster(e2, 1, e2, 3, same_domain=True))],
               2: [("aggregated 4 x TP4", serving.Cluster(e, 4)),
                   ("disaggregated 1 P + 3 D", serving.Cluster(e, 3, e, 1, same_domain=False)),
                   ("disaggregated 2 P + 2 D", serving.Cluster(e, 2, e, 2, same_domain=False)),
                   ("disaggregated 3 P + 1 D", serving.Cluster(e, 1, e, 3, same_domain=False))]}
    rows = []
    for nodes, options in layouts.items():
        for label, cluster in options:
            best = 0.0
            for rate in D3_RATES:
                t = traces.poisson(rate * nodes, requests, s["isl"], s["osl"], seed=11, sigma=0.3)
                summary = serving.summarize(serving.simulate(cluster, t), planner.TTFT_TARGET_S, planner.ITL_TARGET_S)
                best = max(best, summary["goodput_per_s_per_gpu"])
            rows.append({"nodes": nodes, "deployment": label, "goodput_per_s_per_gpu": best})
    out = pd.DataFrame(rows)
    agg = out[out["deployment"].str.startswith("aggregated")].set_index("nodes")["goodput_per_s_per_gpu"]
    out["gain"] = out["goodput_per_s_per_gpu"] / out["nodes"].map(agg)
    return out


def d3_frontiers(params=None) -> pd.DataFrame:
    """The four frontiers of the D3 figure (aggregated and disaggregated, one and two nodes) [tokens/s]."""
    s = D3_SETUP
    frames = []
    for nodes in (1, 2):
        for mode in ("agg", "disagg"):
            f = disagg.best_frontier(s["hardware_id"], s["model_id"], s["precision"], 8 * nodes, s["isl"], s["osl"],
                                     params, s["backend"], mode)
            frames.append(f.assign(nodes=nodes, deployment=f"{nodes} node{'s' if nodes > 1 else ''}, "
                                                            f"{'aggregated' if mode == 'agg' else 'disaggregated'}"))
    return pd.concat(frames, ignore_index=True)


#: Input and output lengths of the map of where disaggregation helps [tokens].
MAP_ISL = (256, 1024, 4096, 16384)
MAP_OSL = (64, 256, 1024, 4096)


def disagg_map(params=None, nodes: int = 2, x: float = TYPICAL_INTERACTIVITY) -> pd.DataFrame:
    """Disaggregated / aggregated throughput per GPU by input and output length (Llama-70B FP8, H100).

    Returns
    -------
    pandas.DataFrame
        ``isl, osl`` [tokens], ``gain`` at interactivity ``x`` and ``max_gain`` [-].
    """
    s = D3_SETUP
    rows = []
    for isl in serving.progress(MAP_ISL, "disaggregation map"):
        for osl in MAP_OSL:
            a = disagg.best_frontier(s["hardware_id"], s["model_id"], s["precision"], 8 * nodes, isl, osl, params,
                                     s["backend"], "agg")
            d = disagg.best_frontier(s["hardware_id"], s["model_id"], s["precision"], 8 * nodes, isl, osl, params,
                                     s["backend"], "disagg")
            r = disagg.ratio_along(d, a).dropna()
            rows.append({"isl": isl, "osl": osl, "gain": _at(r, x), "max_gain": float(r["ratio"].max()) if len(r) else np.nan})
    return pd.DataFrame(rows)


# --- routing on the Mooncake trace (D1) --------------------------------------------------------

#: The replay: Mooncake's conversation trace on its testbed, 16 nodes of 8 A800 each running a LLaMA3-70B-shaped model in BF16 (TP8).
ROUTING_SETUP = {"hardware_id": "a800", "model_id": "llama-3.3-70b", "precision": "bf16", "tp": 8, "workers": 16}

#: Load factors of the replay (1: the trace's own rate) [-].
LOAD_FACTORS = (1.0, 1.5, 2.0)


@functools.lru_cache(maxsize=8)
def _routing_engine(params):
    s = ROUTING_SETUP
    return serving.engine(s["hardware_id"], s["model_id"], s["precision"], tp=s["tp"], params=params,
                          backend="vllm", max_batch=256)


@functools.lru_cache(maxsize=32)
def routing_run(router: str, load: float, keep: float = 1.0, params=None) -> dict:
    """One replay of the Mooncake conversation trace: :func:`analysis.serving.summarize` plus mean TTFT (cached).

    Parameters
    ----------
    router : str
        One of :data:`analysis.routing.POLICIES`.
    load : float
        Load factor [-].
    keep : float
        Share of requests keeping their prefix blocks (:func:`analysis.traces.thinned_reuse`) [-].
    params : analysis.perf.Params, optional
        Parameters [units per field].
    """
    t = traces.scaled(traces.load("mooncake_conv"), load)
    if keep < 1.0:
        t = traces.thinned_reuse(t, keep, seed=1)
    r = serving.simulate(serving.Cluster(_routing_engine(params), ROUTING_SETUP["workers"]), t, router=router, seed=0)
    out = serving.summarize(r, ttft_slo_s=30.0, itl_slo_s=0.1)
    out["ttft_mean_s"] = float(np.mean(r.ttft_s))
    return out


def routing_table(params=None) -> pd.DataFrame:
    """TTFT by router and load on the Mooncake trace, with the speedup over random routing.

    Returns
    -------
    pandas.DataFrame
        ``load, router`` [-], ``ttft_mean_s, ttft_p90_s`` [s], ``prefix_hit_rate`` [-],
        ``speedup_vs_random`` (of mean TTFT) [-].
    """
    rows = []
    for load in serving.progress(LOAD_FACTORS, "routing replays"):
        base = routing_run("random", load, 1.0, params)["ttft_mean_s"]
        for router in ("random", "round_robin", "least_loaded", "kv"):
            s = routing_run(router, load, 1.0, params)
            rows.append({"load": load, "router": router, "ttft_mean_s": s["ttft_mean_s"], "ttft_p90_s": s["ttft_p90_s"],
                         "tpot_p50_s": s["tpot_p50_s"], "prefix_hit_rate": s["prefix_hit_rate"],
                         "speedup_vs_random": base / s["ttft_mean_s"]})
    return pd.DataFrame(rows)


def reuse_table(params=None, load: float = 1.5) -> pd.DataFrame:
    """KV-aware routing's TTFT speedup over random as prefix reuse is thinned out.

    Returns
    -------
    pandas.DataFrame
        ``keep`` [-], ``prefix_reuse`` (unbounded-cache hit rate) [-], ``speedup_vs_random`` [-].
    """
    rows = []
    for keep in (0.0, 0.5, 1.0):
        t = traces.thinned_reuse(traces.load("mooncake_conv"), keep, seed=1) if keep < 1 else traces.load("mooncake_conv")
        rand, kv = routing_run("random", load, keep, params), routing_run("kv", load, keep, params)
        rows.append({"keep": keep, "prefix_reuse": traces.prefix_reuse(t),
                     "speedup_vs_random": rand["ttft_mean_s"] / kv["ttft_mean_s"],
                     "hit_rate_kv": kv["prefix_hit_rate"], "hit_rate_random": rand["prefix_hit_rate"]})
    return pd.DataFrame(rows)


def planner_table(params=None) -> pd.DataFrame:
    """The SLA planner's pools over a bursty day-part (Llama-70B FP8, TP4 prefill and decode on H100).

    Returns
    -------
    pandas.DataFrame
        :func:`analysis.planner.replan`.
    """
    e = serving.engine("h100", "llama-3.3-70b", "fp8", tp=4, params=params, backend="vllm", max_batch=256)
    t = traces.bursty(20.0, 40_000, 3000, 150, seed=7, mean_period_s=900.0)
    return planner.replan(t, e, e)


# --- verdicts ------------------------------------------------------------------------------------


def _p(params):
    return perf.parameters() if params is None else params


def verdict_d1(params=None):
    """D1: Dynamo greatly raises throughput through KV-aware routing, planning and faster communication.

    Rule: with ``s`` KV-aware routing's mean-TTFT speedup over random routing on
    the Mooncake conversation trace (largest over :data:`LOAD_FACTORS`), ``l``
    that of least-loaded routing (load balance without the cache) and ``g`` the
    two-node disaggregation gain of :func:`d3_table`, and ``c = 3`` (Dynamo's "3x
    faster TTFT"): supported if ``s >= REPRODUCED_SHARE x c``, ``s / l >= REPRODUCED_SHARE x c``
    and ``g > 1.1``; supported only on a normalized basis if ``s`` reaches it but
    ``s / l`` (the like-for-like gain over a load-balancing router) does not;
    partly supported if ``s > 1.1`` or ``g > 1.1``; contradicted otherwise.
    """
    p = _p(params)
    rt = routing_table(p)
    kv = rt[rt["router"] == "kv"]
    s = float(kv["speedup_vs_random"].max())
    ll = float(rt.loc[rt["router"] == "least_loaded", "speedup_vs_random"].max())
    g = float(d3_table(p).set_index("nodes").at[2, "max_gain"])
    claimed = published("dynamo_kv_routing_ttft")
    mooncake = published("mooncake_ttft_random") / published("mooncake_ttft_local_cache_aware")
    if s >= REPRODUCED_SHARE * claimed and s / ll >= REPRODUCED_SHARE * claimed and g > 1.1:
        verdict = claims.Verdict.SUPPORTED
    elif s >= REPRODUCED_SHARE * claimed:
        verdict = claims.Verdict.NORMALIZED_ONLY
    elif s > 1.1 or g > 1.1:
        verdict = claims.Verdict.PARTLY
    else:
        verdict = claims.Verdict.CONTRADICTED
    ev = [claims.Evidence("claimed TTFT speedup of KV-aware over random routing (Dynamo)", claimed, "x"),
          claims.Evidence("Mooncake measured: random / local cache-aware average TTFT", mooncake, "x"),
          claims.Evidence("simulated KV-aware / random TTFT speedup, Mooncake trace (best load)", s, "x"),
          claims.Evidence("simulated least-loaded / random TTFT speedup (load balance alone)", ll, "x"),
          claims.Evidence("like-for-like: KV-aware / least-loaded TTFT speedup", s / ll, "x"),
          claims.Evidence("simulated two-node disaggregation gain (max at matched interactivity)", g, "x")]
    ev += [claims.Evidence(f"load x{r.load:g}: KV-aware prefix hit rate", r.prefix_hit_rate * 100, "%") for r in kv.itertuples()]
    return claims.ClaimResult(
        "D1", verdict,
        f"On the Mooncake conversation trace KV-aware routing cuts mean TTFT by up to {s:.1f}x against random routing "
        f"(claimed {claimed:.0f}x; Mooncake measured {mooncake:.1f}x between random and cache-aware scheduling), "
        f"{ll:.1f}x of it from load balance alone (least-loaded routing), so {s / ll:.2f}x from the cache; "
        f"disaggregation gains up to {g:.1f}x per GPU on two H100 nodes; the gains are in TTFT and at matched "
        "interactivity, not in peak throughput.",
        tuple(ev),
        assumptions=(f"Replay on Mooncake's testbed: {ROUTING_SETUP['workers']} workers of 8 A800 (Llama-3.3-70B shape, BF16, TP8).",
                     "Prefix cache of 512-token blocks in the KV memory left free, LRU; router cost as Dynamo's.",
                     "Step times from the performance model; KV transfer of disaggregation over NVLink in one node, NIC across."),
        would_change=("A published per-request trace of Dynamo's 100K-request R1 test would replace the Mooncake proxy.",
                      "Engines that evict prefix blocks differently (or offload them to host memory) change the hit rates."))


def verdict_d2(params=None):
    """D2: up to 30x throughput per GPU on DeepSeek-R1 with GB200 NVL72 vs Hopper.

    Rule: ``r`` = the largest ratio of GB200 NVL72 (FP4, best of aggregated and
    disaggregated) to HGX H100 (FP8, aggregated, two nodes) tokens/s per GPU at
    matched interactivity: supported if ``r >= REPRODUCED_SHARE x 30``; partly
    supported if ``r >= 30 / 2``; contradicted otherwise.
    """
    p = _p(params)
    r = ratio_table(p, column="output_tokens_per_s_per_gpu").dropna()
    best = float(r["ratio"].max())
    where = float(r.loc[r["ratio"].idxmax(), "tokens_per_s_per_user"])
    low_end = float(r["ratio"].iloc[0])
    claimed = published("dynamo_r1_gb200")
    steps = d2_steps(p, where)
    verdict = (claims.Verdict.SUPPORTED if best >= REPRODUCED_SHARE * claimed else
               claims.Verdict.PARTLY if best >= claimed / 2 else claims.Verdict.CONTRADICTED)
    ev = [claims.Evidence("claimed", claimed, "x"), claims.Evidence("modelled maximum at matched interactivity", best, "x"),
          claims.Evidence("at interactivity [tokens/s per user]", where, "-"),
          claims.Evidence("at the throughput end of the common range", low_end, "x"),
          claims.Evidence("at typical interactivity", _at(r, TYPICAL_INTERACTIVITY), "x"),
          claims.Evidence("LMSYS measured decode throughput GB200 / H100 (FP4 MoE)", published("lmsys_gb200_decode_part2"), "x")]
    ev += [claims.Evidence(f"step {s.step}", s.factor, "x") for s in steps.iloc[1:].itertuples()]
    return claims.ClaimResult(
        "D2", verdict,
        f"The model gives GB200 NVL72 up to {best:.0f}x the tokens/s per GPU of HGX H100 on DeepSeek-R1 at matched "
        f"interactivity ({where:.0f} tokens/s per user), {low_end:.1f}x at the throughput end, where LMSYS measured "
        f"{published('lmsys_gb200_decode_part2'):.1f}x; the multiple is mostly hardware, FP4 and the 72-GPU NVLink domain.",
        tuple(ev),
        assumptions=("Hopper = HGX H100 in FP8 on two nodes (aggregated), GB200 in NVFP4; 1k in / 1k out.",
                     "Multi-token prediction and routing are not modelled; TensorRT-LLM's fitted engine constants."),
        would_change=("A published Hopper baseline for NVIDIA's chart (engine, precision, nodes) would fix the denominator.",
                      "Measured GB200 points at high interactivity (InferenceX) would check the high end."))


def verdict_d3(params=None):
    """D3: more than 2x on Llama 70B on Hopper (3K in / 150 out, disaggregation).

    Rule: with ``g2`` the two-node disaggregated / aggregated gain at matched
    interactivity at :data:`TYPICAL_INTERACTIVITY` and ``m2`` its maximum over the
    interactivities both reach: supported if ``g2 >= REPRODUCED_SHARE x 2``; partly
    supported if ``m2 >= REPRODUCED_SHARE x 2`` (reached only somewhere along the
    frontier) or ``g2 > 1.1``; contradicted otherwise.  The one-node gain is compared
    with the stated 30%, and the simulator's goodput replay is reported alongside.
    """
    p = _p(params)
    t = d3_table(p).set_index("nodes")
    g1, g2 = float(t.at[1, "max_gain"]), float(t.at[2, "max_gain"])
    replay = d3_replay(p)
    sim = replay[replay["deployment"].str.startswith("disaggregated")].groupby("nodes")["gain"].max()
    claimed = published("dynamo_disagg_two_nodes")
    typical = float(t.at[2, "gain_at_typical"])
    verdict = (claims.Verdict.SUPPORTED if typical >= REPRODUCED_SHARE * claimed else
               claims.Verdict.PARTLY if g2 >= REPRODUCED_SHARE * claimed or typical > 1.1 else
               claims.Verdict.CONTRADICTED)
    return claims.ClaimResult(
        "D3", verdict,
        f"On H100 with Llama-70B FP8 at 3K in / 150 out, disaggregation gains up to {g1:.2f}x per GPU on one node "
        f"(claimed {published('dynamo_disagg_one_node'):.1f}x) and up to {g2:.2f}x on two (claimed more than "
        f"{claimed:.0f}x), at matched interactivity; at {TYPICAL_INTERACTIVITY:.0f} tokens/s per user the two-node gain "
        f"is {typical:.2f}x, and replaying Poisson traffic the best fixed split serves {float(sim.loc[2]):.2f}x the "
        "aggregated goodput per GPU at the planner's 500 ms / 50 ms targets.",
        (claims.Evidence("claimed one node", published("dynamo_disagg_one_node"), "x"),
         claims.Evidence("claimed two nodes (more than)", claimed, "x"),
         claims.Evidence("modelled one node, maximum", g1, "x"), claims.Evidence("modelled two nodes, maximum", g2, "x"),
         claims.Evidence("modelled two nodes, at typical interactivity", typical, "x"),
         claims.Evidence("modelled one node, median", float(t.at[1, "median_gain"]), "x"),
         claims.Evidence("modelled two nodes, median", float(t.at[2, "median_gain"]), "x"),
         claims.Evidence("simulated goodput gain at 500 ms / 50 ms, one node", float(sim.loc[1]), "x"),
         claims.Evidence("simulated goodput gain at 500 ms / 50 ms, two nodes", float(sim.loc[2]), "x")),
        assumptions=("Aggregated baseline: replicas of the best engine size at each interactivity (TP up to 16).",
                     "Llama-3.3-70B shape for R1-Distill-Llama-70B (same architecture); vLLM's fitted engine constants."),
        would_change=("NVIDIA's baseline configuration (TP, concurrency) for its scatter plots.",))


def verdict_d4(params=None):
    """D4: at equal power Blackwell delivers 25x Hopper, 40x for reasoning models with Dynamo.

    Rule: along the frontier per MW (DeepSeek-R1, 1k/1k), ``r_max`` = the largest
    GB200 NVL72 (with disaggregation) / HGX H100 ratio and ``r_typ`` that at
    :data:`TYPICAL_INTERACTIVITY`: supported if ``r_typ >= REPRODUCED_SHARE x 40``;
    partly supported if ``r_max >= REPRODUCED_SHARE x 25`` (reached somewhere);
    contradicted otherwise.
    """
    p = _p(params)
    r = ratio_table(p).dropna()
    r_max, r_typ = float(r["ratio"].max()), _at(r, TYPICAL_INTERACTIVITY)
    where = float(r.loc[r["ratio"].idxmax(), "tokens_per_s_per_user"])
    over25 = r[r["ratio"] >= 25.0]["tokens_per_s_per_user"]
    verdict = (claims.Verdict.SUPPORTED if r_typ >= REPRODUCED_SHARE * 40.0 else
               claims.Verdict.PARTLY if r_max >= REPRODUCED_SHARE * 25.0 else claims.Verdict.CONTRADICTED)
    return claims.ClaimResult(
        "D4", verdict,
        f"Per MW, GB200 NVL72 with disaggregation reaches up to {r_max:.0f}x HGX H100 on DeepSeek-R1 (at {where:.0f} "
        f"tokens/s per user) and {r_typ:.0f}x at {TYPICAL_INTERACTIVITY:.0f}; "
        + (f"25x is passed from {over25.min():.0f} tokens/s per user on." if len(over25) else "25x is not reached."),
        (claims.Evidence("claimed at equal power", published("keynote_iso_power"), "x"),
         claims.Evidence("claimed for reasoning with Dynamo", published("keynote_iso_power_reasoning"), "x"),
         claims.Evidence("modelled maximum per MW", r_max, "x"),
         claims.Evidence("modelled at typical interactivity", r_typ, "x"),
         claims.Evidence("interactivity of the maximum [tokens/s per user]", where, "-")),
        assumptions=("Power per GPU is the system or rack power over its GPUs (analysis.systems).",
                     "Hopper aggregated in FP8 on two nodes; Blackwell NVFP4; 1k in / 1k out."),
        would_change=("The workload and Hopper configuration of NVIDIA's keynote chart.",))


# --- figures -----------------------------------------------------------------------------------


def _spec_sources(hardware_ids) -> pd.DataFrame:
    rows = jm.preferred(data.load("hardware_specs"))
    return rows[rows["product_id"].isin({systems.HARDWARE[h] for h in hardware_ids})][SOURCE_COLUMNS]


def _sources(*hardware_ids, tables=("perf_parameters", "serving_published")) -> pd.DataFrame:
    return pd.concat([_spec_sources(hardware_ids)] + [data.load(t)[SOURCE_COLUMNS] for t in tables], ignore_index=True)


def rubin_band(model_id: str) -> pd.DataFrame:
    """Vera Rubin's aggregated frontier per MW with its interval (:func:`analysis.frontier.frontier_band`: bootstrap
    spread widened by the out-of-sample error), the projection's uncertainty.

    Returns
    -------
    pandas.DataFrame
        ``model, tokens_per_s_per_user`` [tokens/s], ``mw_low, mw_high`` [tokens/s/MW].
    """
    hw, gpus, precision = PARETO_SYSTEMS[-1]
    band = frontier.frontier_band(hw, model_id, precision, gpus, ISL, OSL)
    per_mw = 1000.0 / systems.get(hw).power_kw
    return pd.DataFrame({"model": model_id, "tokens_per_s_per_user": band["tokens_per_s_per_user"],
                         "mw_low": band["output_tokens_per_s_per_gpu_low"] * per_mw,
                         "mw_high": band["output_tokens_per_s_per_gpu_high"] * per_mw})


def pareto_figure():
    """fig-dynamo-pareto: tokens/s per MW against tokens/s per user, per system, aggregated and disaggregated."""
    import altair as alt

    table = pd.concat([pareto_table()] + [rubin_band(m).assign(system="Vera Rubin interval (5-95%)", mode="aggregated")
                                          for m in PARETO_MODELS], ignore_index=True)
    base = alt.Chart().encode(x=alt.X("tokens_per_s_per_user:Q", title="Interactivity: output tokens/s per user",
                                      scale=alt.Scale(type="log")))
    band = base.transform_filter("isValid(datum.mw_low)").mark_area(opacity=0.2, color="#CC79A7").encode(
        y=alt.Y("mw_low:Q", scale=alt.Scale(type="log")), y2="mw_high:Q")
    lines = base.transform_filter("!isValid(datum.mw_low)").mark_line().encode(
        x=alt.X("tokens_per_s_per_user:Q", title="Interactivity: output tokens/s per user", scale=alt.Scale(type="log")),
        y=alt.Y("output_tokens_per_s_per_mw:Q", title="Output tokens/s per MW", scale=alt.Scale(type="log")),
        color=alt.Color("system:N", title=None, legend=alt.Legend(columns=1, labelLimit=400)),
        strokeDash=alt.StrokeDash("mode:N", title=None),
        order="tokens_per_s_per_user:Q",
        tooltip=["system", "mode", alt.Tooltip("tokens_per_s_per_user:Q", format=".1f"),
                 alt.Tooltip("output_tokens_per_s_per_mw:Q", format=",.0f")],
    )
    chart = alt.layer(band, lines, data=table).properties(width=300, height=260).facet(
        column=alt.Column("model:N", title=None))
    chart = chart.properties(title=f"Modelled frontiers per MW, {ISL:,} in / {OSL:,} out")
    return FigureData(themed(chart, width=None, height=None), table, _sources(*[h for h, _, _ in PARETO_SYSTEMS]))


def d2_figure():
    """fig-dynamo-d2-steps: the GB200 / H100 multiple split into chip, precision, scale-up and software."""
    import altair as alt

    table = d2_steps()
    bars = alt.Chart(table).mark_bar(color="#0072B2").encode(
        y=alt.Y("step:N", sort=list(table["step"]), title=None, axis=alt.Axis(labelLimit=300)),
        x=alt.X("cumulative:Q", title="Throughput per GPU relative to HGX H100 (log)", scale=alt.Scale(type="log")),
        tooltip=["step", alt.Tooltip("factor:Q", format=".2f"), alt.Tooltip("cumulative:Q", format=".1f")])
    text = bars.mark_text(align="left", dx=4).encode(text=alt.Text("factor:Q", format=".2f"))
    x = float(table["tokens_per_s_per_user"].iloc[0])
    chart = (bars + text).properties(title=f"DeepSeek-R1 at {x:.0f} tokens/s per user: where the multiple comes from")
    return FigureData(themed(chart, width=460, height=220), table, _sources("h100", "b200", "gb200"))


def d3_figure():
    """fig-dynamo-d3: aggregated and disaggregated frontiers of Llama-70B FP8 on one and two H100 nodes."""
    import altair as alt

    table = d3_frontiers()[["deployment", "nodes", "mode", "tokens_per_s_per_user", "output_tokens_per_s_per_gpu"]]
    chart = alt.Chart(table).mark_line(point=alt.OverlayMarkDef(size=20)).encode(
        x=alt.X("tokens_per_s_per_user:Q", title="Interactivity: output tokens/s per user", scale=alt.Scale(type="log")),
        y=alt.Y("output_tokens_per_s_per_gpu:Q", title="Output tokens/s per GPU", scale=alt.Scale(type="log")),
        color=alt.Color("deployment:N", title=None, legend=alt.Legend(columns=2)), order="tokens_per_s_per_user:Q",
        tooltip=["deployment", alt.Tooltip("tokens_per_s_per_user:Q", format=".1f"),
                 alt.Tooltip("output_tokens_per_s_per_gpu:Q", format=",.0f")],
    ).properties(title="Llama-70B FP8 on H100, 3K in / 150 out: disaggregated vs aggregated")
    return FigureData(themed(chart), table, _sources("h100"))


def routing_figure():
    """fig-dynamo-routing: mean TTFT by router and load on the Mooncake conversation trace."""
    import altair as alt

    table = routing_table()
    chart = alt.Chart(table).mark_bar().encode(
        x=alt.X("router:N", title=None, sort=["random", "round_robin", "least_loaded", "kv"]),
        y=alt.Y("ttft_mean_s:Q", title="Mean TTFT [s]"),
        color=alt.Color("router:N", title=None, legend=None),
        column=alt.Column("load:O", title="Load factor (1 = the trace's rate)"),
        tooltip=["router", "load", alt.Tooltip("ttft_mean_s:Q", format=".2f"),
                 alt.Tooltip("prefix_hit_rate:Q", format=".2f"), alt.Tooltip("speedup_vs_random:Q", format=".2f")],
    ).properties(width=150, height=220, title="Mooncake conversation trace, 16 workers: TTFT by router")
    return FigureData(themed(chart, width=None, height=None), table,
                      pd.concat([_sources("a800"), data.load("trace_mooncake_conv")[SOURCE_COLUMNS].head(1)]))


def map_figure():
    """fig-dynamo-map: where disaggregation helps, by input and output length."""
    import altair as alt

    table = disagg_map()
    base = alt.Chart(table).encode(x=alt.X("isl:O", title="Input tokens"), y=alt.Y("osl:O", title="Output tokens", sort="descending"))
    rect = base.mark_rect().encode(color=alt.Color("gain:Q", title="Gain", scale=alt.Scale(scheme="blueorange", domainMid=1.0)))
    text = base.mark_text().encode(text=alt.Text("gain:Q", format=".2f"))
    chart = (rect + text).properties(title=f"Disaggregated / aggregated per GPU at {TYPICAL_INTERACTIVITY:.0f} tokens/s per "
                                           "user (Llama-70B FP8, 2 x HGX H100)")
    return FigureData(themed(chart, width=360, height=260), table, _sources("h100"))
