"""The inference performance model: prefill and decode step times, serving, disaggregation, Pareto sweeps.

One forward step of a serving engine on one GPU takes

    t_step = max(linear FLOPs / (eta_c e(M) F), weight bytes touched / (eta_m B))  # matrix multiplies
           + max(attention FLOPs / (eta_c F_kv), KV bytes read / (eta_m B))       # attention over the context
           + t_tp + t_ep                                                         # collectives
           + layers x lambda + tau                                               # per-layer and per-step latency

with F the dense peak of the weight format and F_kv the BF16 peak (attention
kernels compute in BF16 whatever the KV format), B the
HBM bandwidth, all per GPU package and normalized (``analysis.jensen_math``);
``e(M) = M / (M + M_half)`` is the efficiency of a matrix multiply over ``M``
tokens (for an expert, the tokens routed to it).
Tensor parallelism (``tp``) splits every matrix and the attention heads; ``dp``
replicas (attention data parallelism) each serve their own sequences; expert
parallelism (``ep``) spreads the routed experts.  A TP all-reduce costs
``2 (tp-1)/tp x tokens x hidden x 2 B / (0.8 x link)`` plus a latency ``alpha``,
twice per layer; an EP all-to-all moves each token's ``k`` expert inputs out and
back.  The link is NVLink (one direction) inside the NVLink domain, the
scale-out NIC beyond it.  The expected number of distinct experts that ``T``
tokens touch, each picking ``k`` of ``E``, is ``E (1 - (1 - k/E)^T)``: only
those are read from memory.

Serving with continuous batching at a closed-loop concurrency ``C``: each of the
``C/dp`` sequences of a replica emits one token per step, and each step also
prefills, amortized, ``ISL/OSL`` prompt tokens per sequence (chunked prefill), so
TPOT is the step time and output tokens/s is ``C / TPOT``.  TTFT is one step
that carries a whole prompt plus half a step of waiting.  ``C = "max"`` is the
largest batch whose paged KV cache (on average ``ISL + OSL/2`` tokens per
sequence) fits next to the weights in :data:`USABLE_MEMORY_FRACTION` of HBM.

Six global parameters (:class:`Params`) are fitted once on MLPerf Inference
v5.1 (``analysis.calibration``); nothing is tuned per point.  Rubin and Rubin
Ultra results are projections from roadmap specs and say so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from analysis import data, models, systems


#: Share of HBM the engine may fill with weights and KV cache (the rest: activations, workspace) [-].
USABLE_MEMORY_FRACTION = 0.90

#: Bytes per activation value sent in collectives (BF16) [B].
ACTIVATION_BYTES = 2.0

#: Achieved fraction of NVLink / NIC bandwidth in collectives (fixed, not fitted: the MLPerf
#: points barely constrain it) [-].
NETWORK_EFFICIENCY = 0.8

#: Tokens in one prefill batch of a disaggregated prefill pool [tokens].
PREFILL_CHUNK_TOKENS = 8192

MODES = ("agg", "disagg")


# --- parameters --------------------------------------------------------------------


@dataclass(frozen=True)
class Params:
    """The model's global efficiency parameters (fitted by ``analysis.calibration``).

    Attributes
    ----------
    compute_efficiency : float
        Achieved fraction of the dense tensor peak [-].
    memory_efficiency : float
        Achieved fraction of the HBM bandwidth [-].
    gemm_half_tokens : float
        Tokens per matrix multiply at which it reaches half of ``compute_efficiency``
        (small batches run GEMMs at ``M / (M + gemm_half_tokens)`` of it) [tokens].
    collective_latency_s : float
        Fixed latency of one all-reduce or all-to-all [s].
    layer_latency_s : float
        Fixed time per transformer layer per step (kernel launches, synchronization) [s].
    step_overhead_s : float
        Fixed time per step (scheduling, sampling, host work) [s].
    """

    compute_efficiency: float = 0.5
    memory_efficiency: float = 0.7
    gemm_half_tokens: float = 64.0
    collective_latency_s: float = 1e-5
    layer_latency_s: float = 2e-5
    step_overhead_s: float = 2e-3

    def as_array(self) -> np.ndarray:
        """The six values in field order.

        Returns
        -------
        numpy.ndarray
            Shape (6,), each in its field's unit (see the class) [mixed].
        """
        return np.array([getattr(self, f.name) for f in fields(self)], dtype=float)

    @classmethod
    def from_array(cls, values) -> "Params":
        """Inverse of :meth:`as_array`.

        Parameters
        ----------
        values : array_like
            Six values in field order, each in its field's unit [mixed].

        Returns
        -------
        Params
        """
        return cls(*[float(v) for v in values])


#: Search bounds of each parameter (lower, upper), in its unit.
BOUNDS = {
    "compute_efficiency": (0.05, 1.0),
    "memory_efficiency": (0.2, 1.0),
    "gemm_half_tokens": (1.0, 4096.0),
    "collective_latency_s": (1e-6, 2e-4),
    "layer_latency_s": (1e-7, 2e-4),
    "step_overhead_s": (1e-4, 3e-2),
}


def parameters() -> Params:
    """The calibrated parameters stored in ``data/perf_parameters.csv``.

    Returns
    -------
    Params
        Units as in :class:`Params`.

    Examples
    --------
    >>> 0 < parameters().compute_efficiency <= 1
    True
    """
    table = data.load("perf_parameters").set_index("parameter")["value"]
    return Params(**{f.name: float(table[f.name]) for f in fields(Params)})


# --- the step-time core (vectorized) -------------------------------------------------


def _model_constants(m: models.ModelConfig, precision: str, isl, osl) -> dict:
    g = models.param_groups(m)
    kvp = models.kv_precision(precision)
    wb = models.BYTES_PER_VALUE[precision]
    bf16 = models.BYTES_PER_VALUE["bf16"]
    ctx_decode = np.asarray(isl, dtype=float) + np.asarray(osl, dtype=float) / 2.0
    dense = g["attention"] + g["dense_ffn"] + g["shared_experts"] + g["router"]
    return {
        "layers": float(m.n_layers),
        "hidden": float(m.hidden_size),
        "moe_layers": float(m.n_moe_layers),
        "experts": float(max(m.n_routed_experts, 1)),
        "top_k": float(m.experts_per_token),
        "dense_params": float(dense),
        "lm_params": float(g["lm_head"]),
        "expert_params": float(models.expert_params(m)) if m.is_moe else 0.0,
        "dense_bytes": dense * wb + g["lm_head"] * bf16,
        "embed_bytes": g["embedding"] * bf16,
        "expert_bytes": float(models.expert_params(m)) * wb if m.is_moe else 0.0,
        "routed_bytes": g["routed_experts"] * wb,
        "kv_heads": float(m.n_kv_heads) if m.attention == "gqa" else 1.0,
        "isl": np.asarray(isl, dtype=float),
        "osl": np.asarray(osl, dtype=float),
        # KV bytes of the whole decode context per sequence, and of a full sequence
        "kv_seq_decode": models.kv_bytes_per_token(m, kvp, ctx_decode) * ctx_decode,
        "kv_prompt": models.kv_bytes_per_token(m, kvp, isl) * np.asarray(isl, dtype=float),
        "kv_token": models.kv_bytes_per_token(m, kvp),
        "attn_decode_flops": models.attention_flops_decode(m, ctx_decode),
        "attn_prefill_flops_per_token": models.attention_flops_prefill(m, np.maximum(isl, 1)) / np.maximum(isl, 1),
    }


def _hardware_constants(h: systems.HardwareSpec, precision: str) -> dict:
    return {
        "flop_s": h.flop_s(precision),
        "flop_s_attention": h.flop_s("bf16"),
        "hbm_b_s": h.hbm_tb_s * 1e12,
        "hbm_bytes": h.hbm_gb * 1e9,
        "nvlink_b_s": h.nvlink_tb_s * 1e12,
        "nic_b_s": h.nic_tb_s * 1e12,
        "domain": float(h.nvlink_domain),
    }


def _weights_per_gpu(c: dict, tp, ep):
    return (c["dense_bytes"] + c["embed_bytes"]) / tp + c["routed_bytes"] / ep


def _kv_shard(c: dict, tp):
    # GQA splits KV heads over TP ranks (replicated beyond the KV head count); MLA's latent is replicated
    return np.minimum(tp, c["kv_heads"])


def gemm_efficiency(tokens, gemm_half_tokens):
    """Share of ``compute_efficiency`` a matrix multiply over ``tokens`` tokens reaches: ``M / (M + M_half)``.

    Parameters
    ----------
    tokens : float or array_like
        Tokens per matrix ``M`` (for an expert, the tokens routed to it) [tokens].
    gemm_half_tokens : float
        ``M_half``, where the share is one half (:attr:`Params.gemm_half_tokens`) [tokens].

    Returns
    -------
    float or numpy.ndarray
        The share [-].

    Examples
    --------
    >>> gemm_efficiency(64.0, 64.0), gemm_efficiency(9.0, 1.0)
    (0.5, 0.9)
    """
    return tokens / (tokens + gemm_half_tokens)


def step_components(c: dict, hwc: dict, p: Params, tp, ep, decode_seqs, prefill_tokens):
    """Time of one forward step on one GPU, by component [s].

    Parameters
    ----------
    c, hwc : dict
        Model and hardware constants (from the private ``_model_constants`` and
        ``_hardware_constants``; arrays broadcast).
    p : Params
        Efficiency parameters [units per field].
    tp, ep : array_like
        Tensor- and expert-parallel degrees [-].
    decode_seqs : array_like
        Sequences decoding one token each in this step, per attention replica [-].
    prefill_tokens : array_like
        Prompt tokens prefilled in this step, per attention replica [tokens].

    Returns
    -------
    dict of numpy.ndarray
        ``linear, attention, tp_comm, ep_comm, latency, total`` [s] and
        ``linear_compute, linear_memory, attention_compute, attention_memory`` [s].
    """
    tp = np.asarray(tp, dtype=float)
    ep = np.asarray(ep, dtype=float)
    b = np.asarray(decode_seqs, dtype=float)
    pf = np.asarray(prefill_tokens, dtype=float)
    n_tok = b + pf
    lm_tokens = b + pf / np.maximum(c["isl"], 1.0)
    # matrix multiplies: non-expert weights split over TP, experts over EP
    flops_dense = 2.0 * (c["dense_params"] * n_tok + c["lm_params"] * lm_tokens) / tp
    tokens_ep = n_tok * ep / tp
    hit = models.distinct_experts(c["experts"], c["top_k"], tokens_ep) / c["experts"]
    flops_moe = 2.0 * c["moe_layers"] * c["expert_params"] * tokens_ep * c["top_k"] / ep
    bytes_moe = c["moe_layers"] * (c["experts"] / ep) * hit * c["expert_bytes"]
    # GEMM efficiency grows with the tokens per matrix (M): M / (M + M_half)
    m_dense = np.maximum(n_tok, 1e-9)
    m_expert = np.maximum(tokens_ep * c["top_k"] / c["experts"], 1e-9)
    eff_dense = gemm_efficiency(m_dense, p.gemm_half_tokens)
    eff_moe = gemm_efficiency(m_expert, p.gemm_half_tokens)
    linear_compute = (flops_dense / eff_dense + flops_moe / eff_moe) / (p.compute_efficiency * hwc["flop_s"])
    linear_memory = (c["dense_bytes"] / tp + bytes_moe) / (p.memory_efficiency * hwc["hbm_b_s"])
    # attention: heads split over TP; KV read once per decoded token
    kv_shard = _kv_shard(c, tp)
    attn_flops = (b * c["attn_decode_flops"] + pf * c["attn_prefill_flops_per_token"]) / tp
    kv_bytes = (b * c["kv_seq_decode"] + pf * c["kv_token"]) / kv_shard
    attention_compute = attn_flops / (p.compute_efficiency * hwc["flop_s_attention"])
    attention_memory = kv_bytes / (p.memory_efficiency * hwc["hbm_b_s"])
    # collectives
    link_tp = np.where(tp <= hwc["domain"], hwc["nvlink_b_s"], hwc["nic_b_s"]) * NETWORK_EFFICIENCY
    link_ep = np.where(ep <= hwc["domain"], hwc["nvlink_b_s"], hwc["nic_b_s"]) * NETWORK_EFFICIENCY
    msg = n_tok * c["hidden"] * ACTIVATION_BYTES
    tp_comm = np.where(
        tp > 1, 2.0 * c["layers"] * (2.0 * (tp - 1.0) / tp * msg / link_tp + p.collective_latency_s), 0.0
    )
    a2a = (tokens_ep / ep) * c["top_k"] * c["hidden"] * ACTIVATION_BYTES * (ep - 1.0) / ep
    ep_comm = np.where(
        (ep > 1) & (c["moe_layers"] > 0), 2.0 * c["moe_layers"] * (a2a / link_ep + p.collective_latency_s), 0.0
    )
    latency = c["layers"] * p.layer_latency_s + p.step_overhead_s
    linear = np.maximum(linear_compute, linear_memory)
    attention = np.maximum(attention_compute, attention_memory)
    total = linear + attention + tp_comm + ep_comm + latency
    return {
        "linear": linear,
        "attention": attention,
        "tp_comm": tp_comm,
        "ep_comm": ep_comm,
        "latency": latency + 0.0 * total,
        "total": total,
        "linear_compute": linear_compute,
        "linear_memory": linear_memory,
        "attention_compute": attention_compute,
        "attention_memory": attention_memory,
    }


def max_sequences(c: dict, hwc: dict, tp, ep):
    """Sequences whose KV cache fits on one attention replica next to the weights [-] (<= 0: weights do not fit).

    Paged KV caches allocate as sequences grow, so a sequence holds on average
    its prompt plus half its output (``ISL + OSL/2`` tokens).

    Parameters
    ----------
    c, hwc : dict
        Model and hardware constants (``_model_constants``, ``_hardware_constants``) [units per key].
    tp, ep : array_like
        Tensor- and expert-parallel degrees [-].

    Returns
    -------
    numpy.ndarray
        Sequences per attention replica [-]; zero or negative where the weights alone do not fit.
    """
    tp = np.asarray(tp, dtype=float)
    free = USABLE_MEMORY_FRACTION * hwc["hbm_bytes"] - _weights_per_gpu(c, tp, np.asarray(ep, dtype=float))
    return np.floor(free * _kv_shard(c, tp) / c["kv_seq_decode"])


def serve_arrays(c: dict, hwc: dict, p: Params, tp, dp, ep, concurrency):
    """Aggregated serving at closed-loop concurrency, vectorized over configurations.

    Parameters
    ----------
    c, hwc : dict
        Model and hardware constants [units per key].
    p : Params
        Efficiency parameters [units per field].
    tp, dp, ep : array_like
        Parallel degrees [-]; GPUs = tp x dp.
    concurrency : array_like
        Requests in flight over all replicas [-]; ``-1`` means "max" (the KV limit).

    Returns
    -------
    dict of numpy.ndarray
        ``concurrency`` [-], ``feasible`` [bool], ``tpot_s, ttft_s`` [s],
        ``tokens_per_s_per_user, output_tokens_per_s, output_tokens_per_s_per_gpu`` [tokens/s].
    """
    tp, dp, ep, conc = (np.asarray(x, dtype=float) for x in (tp, dp, ep, concurrency))
    cap = max_sequences(c, hwc, tp, ep)
    conc = np.where(conc < 0, np.maximum(cap, 0.0) * dp, conc)
    b = np.maximum(conc / dp, np.minimum(conc, 1.0))
    feasible = (cap >= 1) & (np.ceil(b) <= cap) & (conc >= 1)
    pf = b * c["isl"] / c["osl"]
    tpot = step_components(c, hwc, p, tp, ep, b, pf)["total"]
    prompt_step = step_components(c, hwc, p, tp, ep, b, pf + c["isl"])["total"]
    ttft = prompt_step + 0.5 * tpot
    out_total = conc / tpot
    return {
        "concurrency": conc,
        "feasible": feasible,
        "tpot_s": tpot,
        "ttft_s": ttft,
        "tokens_per_s_per_user": 1.0 / tpot,
        "output_tokens_per_s": out_total,
        "output_tokens_per_s_per_gpu": out_total / (tp * dp),
    }


# --- parallel configurations -----------------------------------------------------------


def _divisors(n: int) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


def configurations(hw: systems.HardwareSpec, m: models.ModelConfig, gpus: int, tp=None, dp=None, ep=None) -> np.ndarray:
    """Valid (tp, dp, ep) for ``gpus`` GPUs, honouring any given degree.

    TP divides the attention heads and stays inside one NVLink domain; EP
    divides the GPUs and is at most the number of routed experts (1 for dense
    models).

    Parameters
    ----------
    hw : analysis.systems.HardwareSpec
        The hardware (its NVLink domain bounds TP) [-].
    m : analysis.models.ModelConfig
        The model (heads bound TP, routed experts bound EP) [-].
    gpus : int
        GPU packages [-].
    tp, dp, ep : int, optional
        Degrees to honour; ``None`` allows any [-].

    Returns
    -------
    numpy.ndarray
        Integer array of shape (n, 3): ``tp, dp, ep`` [-].

    Examples
    --------
    >>> configurations(systems.get("h200"), models.get("llama-2-70b"), 8).tolist()
    [[1, 8, 1], [2, 4, 1], [4, 2, 1], [8, 1, 1]]
    """
    rows = []
    for t in _divisors(gpus):
        if m.n_heads % t or t > hw.nvlink_domain:
            continue
        d = gpus // t
        eps = [e for e in _divisors(gpus) if e <= m.n_routed_experts] if m.is_moe else [1]
        for e in eps:
            if (tp is None or t == tp) and (dp is None or d == dp) and (ep is None or e == ep):
                rows.append((t, d, e))
    return np.array(rows, dtype=int).reshape(-1, 3)


# --- the public interface ------------------------------------------------------------------


@dataclass(frozen=True)
class Prediction:
    """What :func:`predict` returns (field names as in the CLI's JSON).

    Attributes
    ----------
    hardware, model, precision, mode : str
    gpus, tp, dp, ep, isl, osl, concurrency : int
        Configuration; ``concurrency`` is the resolved number when "max" was asked.
    feasible : bool
    ttft_s, tpot_s : float
        Mean time to first token and per output token [s]; NaN if infeasible.
    tokens_per_s_per_user : float
        ``1 / tpot_s`` [tokens/s].
    output_tokens_per_s, output_tokens_per_s_per_gpu : float
        Generated tokens per second, in total and per GPU (all GPUs of all pools) [tokens/s].
    tokens_per_s_per_mw : float
        Output tokens per second per MW of power (:attr:`analysis.systems.HardwareSpec.power_kw`) [tokens/s/MW].
    projection : bool
        True for Rubin and Rubin Ultra.
    notes : str
        Assumptions and reasons, "; "-separated.
    """

    hardware: str
    model: str
    precision: str
    gpus: int
    tp: int
    dp: int
    ep: int
    isl: int
    osl: int
    concurrency: int
    mode: str
    feasible: bool
    ttft_s: float
    tpot_s: float
    tokens_per_s_per_user: float
    output_tokens_per_s: float
    output_tokens_per_s_per_gpu: float
    tokens_per_s_per_mw: float
    projection: bool
    notes: str

    def to_dict(self) -> dict:
        """Plain types, NaN as None (JSON null), in the CLI's key order.

        Returns
        -------
        dict
            Field name to value, units as in the class [mixed].
        """
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, (float, np.floating)):
                v = None if not np.isfinite(v) else float(v)
            elif isinstance(v, (np.integer,)):
                v = int(v)
            elif isinstance(v, np.bool_):
                v = bool(v)
            out[f.name] = v
        return out


RESULT_COLUMNS = [f.name for f in fields(Prediction)]


class InputError(ValueError):
    """A request the model cannot answer (unknown id, bad number); the message lists valid choices."""


def _validate(hardware_id, model_id, precision, gpus, isl, osl, concurrency, tp, dp, ep, mode):
    if hardware_id not in systems.HARDWARE:
        raise InputError(f"unknown hardware {hardware_id!r}; valid: {', '.join(systems.HARDWARE)}")
    valid_models = sorted(models.catalog())
    if model_id not in valid_models:
        raise InputError(f"unknown model {model_id!r}; valid: {', '.join(valid_models)}")
    if precision not in models.PRECISIONS:
        raise InputError(f"unknown precision {precision!r}; valid: {', '.join(models.PRECISIONS)}")
    if mode not in MODES:
        raise InputError(f"unknown mode {mode!r}; valid: {', '.join(MODES)}")
    for name, value in (("gpus", gpus), ("isl", isl), ("osl", osl)):
        if not isinstance(value, (int, np.integer)) or value < 1:
            raise InputError(f"{name} must be a positive integer, not {value!r}")
    if concurrency != "max" and (not isinstance(concurrency, (int, np.integer)) or concurrency < 1):
        raise InputError(f"concurrency must be a positive integer or 'max', not {concurrency!r}")
    for name, value in (("tp", tp), ("dp", dp), ("ep", ep)):
        if value is not None and (not isinstance(value, (int, np.integer)) or value < 1):
            raise InputError(f"{name} must be a positive integer, not {value!r}")
    if tp is not None and gpus % tp:
        raise InputError(f"gpus ({gpus}) is not divisible by tp ({tp}); valid tp: {_divisors(gpus)}")
    if dp is not None and gpus % dp:
        raise InputError(f"gpus ({gpus}) is not divisible by dp ({dp}); valid dp: {_divisors(gpus)}")
    if tp is not None and dp is not None and tp * dp != gpus:
        raise InputError(f"tp x dp must equal gpus: {tp} x {dp} != {gpus}")
    if ep is not None and (ep > gpus or gpus % ep):
        raise InputError(f"ep must divide gpus ({gpus}); valid ep: {_divisors(gpus)}")


def _infeasible(base: dict, reason: str) -> Prediction:
    nan = math.nan
    return Prediction(**base, feasible=False, ttft_s=nan, tpot_s=nan, tokens_per_s_per_user=nan,
                      output_tokens_per_s=nan, output_tokens_per_s_per_gpu=nan, tokens_per_s_per_mw=nan,
                      notes=reason)


def predict(hardware, model, precision, gpus, isl, osl, concurrency, tp=None, dp=None, ep=None, mode="agg",
            params: Params | None = None) -> Prediction:
    """Predict serving performance of a model on a hardware id.

    Parameters
    ----------
    hardware : str
        One of :data:`analysis.systems.HARDWARE` (h100, h200, b200, gb200, b300, gb300, rubin, rubin-ultra).
    model : str
        A model id of ``data/models.csv``.
    precision : {"bf16", "fp8", "fp4"}
        Weight format (KV cache in BF16 with BF16, else FP8).
    gpus : int
        GPU packages serving [-] (all pools in disaggregated mode).
    isl, osl : int
        Input and output tokens per request [tokens].
    concurrency : int or "max"
        Requests in flight (closed loop) [-]; "max" is the largest the KV cache holds.
    tp, dp, ep : int, optional
        Tensor-, data- (attention) and expert-parallel degrees; gpus = tp x dp.
        Omitted degrees are chosen to maximize output tokens/s per GPU.
    mode : {"agg", "disagg"}
        Aggregated serving, or prefill and decode pools sized by rate matching.
    params : Params, optional
        Efficiency parameters; default the calibrated ones (:func:`parameters`).

    Returns
    -------
    Prediction

    Raises
    ------
    InputError
        Unknown ids or invalid numbers; the message lists the valid choices.

    Examples
    --------
    >>> r = predict("h200", "llama-2-70b", "fp8", 8, 300, 290, 64)
    >>> r.feasible, r.tp * r.dp == 8, r.output_tokens_per_s_per_gpu > 100
    (True, True, True)
    >>> predict("h100", "llama-3.1-405b", "bf16", 8, 1000, 100, 1).feasible    # 811 GB of weights on 640 GB
    False
    """
    _validate(hardware, model, precision, gpus, isl, osl, concurrency, tp, dp, ep, mode)
    p = parameters() if params is None else params
    h = systems.get(hardware)
    m = models.get(model)
    notes = [n for n in h.notes if n.split(":")[0] in (precision, "bf16")]
    if h.projection:
        notes.insert(0, "projection: unreleased hardware, roadmap specs")
    base = dict(hardware=h.hardware, model=m.model_id, precision=precision, gpus=int(gpus), tp=int(tp or 0),
                dp=int(dp or 0), ep=int(ep or 0), isl=int(isl), osl=int(osl),
                concurrency=0 if concurrency == "max" else int(concurrency), mode=mode, projection=h.projection)
    configs = configurations(h, m, gpus, tp, dp, ep)
    if len(configs) == 0:
        return _infeasible(base, "; ".join(notes + [
            f"no valid parallel configuration: tp must divide the {m.n_heads} heads and fit the "
            f"{h.nvlink_domain}-GPU NVLink domain, ep must divide gpus and be at most the experts"]))
    c = _model_constants(m, precision, isl, osl)
    hwc = _hardware_constants(h, precision)
    conc = -1 if concurrency == "max" else int(concurrency)
    if mode == "agg":
        res = serve_arrays(c, hwc, p, configs[:, 0], configs[:, 1], configs[:, 2], conc)
    else:
        res = disagg_arrays(c, hwc, p, configs[:, 0], configs[:, 1], configs[:, 2], conc, gpus)
        notes.append(f"disaggregated: {int(res['prefill_gpus'][_best(res)]) if res['feasible'].any() else 0} prefill GPUs")
    if not res["feasible"].any():
        weights = _weights_per_gpu(c, configs[:, 0].astype(float), configs[:, 2].astype(float)).min()
        usable = USABLE_MEMORY_FRACTION * hwc["hbm_bytes"]
        reason = (f"weights need {weights / 1e9:.0f} GB per GPU at best, more than the usable {usable / 1e9:.0f} GB"
                  if weights > usable else "the KV cache of this concurrency does not fit in HBM")
        return _infeasible(base, "; ".join(notes + ["infeasible: " + reason]))
    i = _best(res)
    t, d, e = (int(x) for x in configs[i])
    if concurrency == "max":
        notes.append("concurrency=max: largest batch the KV cache holds")
    if tp is None or dp is None or ep is None:
        notes.append("parallelism chosen for the highest output tokens/s per GPU")
    tps_total = float(res["output_tokens_per_s"][i])
    return Prediction(
        **{**base, "tp": t, "dp": d, "ep": e, "concurrency": int(round(float(res["concurrency"][i])))},
        feasible=True,
        ttft_s=float(res["ttft_s"][i]),
        tpot_s=float(res["tpot_s"][i]),
        tokens_per_s_per_user=float(res["tokens_per_s_per_user"][i]),
        output_tokens_per_s=tps_total,
        output_tokens_per_s_per_gpu=float(res["output_tokens_per_s_per_gpu"][i]),
        tokens_per_s_per_mw=tps_total / (gpus * h.power_kw / 1e3),
        notes="; ".join(notes),
    )


def _best(res: dict) -> int:
    score = np.where(res["feasible"], res["output_tokens_per_s_per_gpu"], -np.inf)
    return int(np.argmax(score))


# --- disaggregated serving ------------------------------------------------------------------


def disagg_arrays(c: dict, hwc: dict, p: Params, tp, dp, ep, concurrency, gpus: int):
    """Disaggregated serving: a prefill pool and a decode pool balanced by rate matching.

    Each configuration's ``(tp, ep)`` is used by both pools; the decode pool
    holds the ``concurrency`` sequences.  Every split of the GPUs into a prefill
    pool of ``j x tp`` GPUs and a decode pool of the rest is evaluated, and the
    split with the most output tokens/s over all GPUs is kept: the system
    delivers the smaller of the prefill rate and the decode rate (requests/s).
    TTFT is one prefill of the prompt plus the KV-cache transfer between the
    pools (NVLink inside the domain, else the NIC; ``tp`` links in parallel).

    Parameters
    ----------
    c, hwc : dict
        Model and hardware constants [units per key].
    p : Params
        Efficiency parameters [units per field].
    tp, dp, ep : array_like
        Parallel degrees of each configuration [-] (``dp`` is implied by the split).
    concurrency : array_like
        Requests in flight in the decode pool [-]; ``-1`` means "max".
    gpus : int
        GPUs of both pools together [-].

    Returns
    -------
    dict of numpy.ndarray
        As :func:`serve_arrays`, plus ``prefill_gpus`` [-].
    """
    tp, ep = np.asarray(tp, dtype=float), np.asarray(ep, dtype=float)
    best = None
    for j in range(1, gpus):
        n_pre = j * tp
        n_dec = gpus - n_pre
        ok_split = (n_dec >= tp) & (np.mod(n_dec, tp) == 0)
        dp_dec = np.maximum(n_dec // tp, 1.0)
        ep_dec = np.minimum(ep, np.maximum(n_dec, 1.0))
        ep_pre = np.minimum(ep, n_pre)
        cap = max_sequences(c, hwc, tp, ep_dec)
        conc = np.asarray(concurrency, dtype=float)
        conc = np.where(conc < 0, np.maximum(cap, 0.0) * dp_dec, conc)
        b = np.maximum(conc / dp_dec, np.minimum(conc, 1.0))
        t_dec = step_components(c, hwc, p, tp, ep_dec, b, 0.0)["total"]
        chunk = np.maximum(PREFILL_CHUNK_TOKENS, c["isl"])
        t_chunk = step_components(c, hwc, p, tp, ep_pre, 0.0, chunk)["total"]
        prefill_rate = (n_pre / tp) * (chunk / c["isl"]) / t_chunk
        decode_rate = conc / (c["osl"] * t_dec)
        rate = np.minimum(prefill_rate, decode_rate)
        link = np.where(gpus <= hwc["domain"], hwc["nvlink_b_s"], hwc["nic_b_s"]) * NETWORK_EFFICIENCY
        transfer = c["kv_prompt"] / (link * tp)
        ttft = step_components(c, hwc, p, tp, ep_pre, 0.0, c["isl"])["total"] + transfer
        weights_ok = _weights_per_gpu(c, tp, ep_pre) <= USABLE_MEMORY_FRACTION * hwc["hbm_bytes"]
        feasible = ok_split & weights_ok & (cap >= 1) & (np.ceil(b) <= cap) & (conc >= 1)
        out = rate * c["osl"]
        cand = {
            "concurrency": conc,
            "feasible": feasible,
            "tpot_s": t_dec,
            "ttft_s": ttft,
            "tokens_per_s_per_user": 1.0 / t_dec,
            "output_tokens_per_s": out,
            "output_tokens_per_s_per_gpu": out / gpus,
            "prefill_gpus": n_pre + 0.0 * out,
        }
        if best is None:
            best = cand
            continue
        better = cand["feasible"] & (~best["feasible"] | (cand["output_tokens_per_s_per_gpu"] > best["output_tokens_per_s_per_gpu"]))
        best = {k: np.where(better, cand[k], best[k]) for k in best}
    if best is None:  # one GPU cannot be split into two pools
        zeros = np.zeros(np.broadcast(tp, ep).shape)
        return {"concurrency": zeros, "feasible": zeros.astype(bool), "tpot_s": zeros + np.nan,
                "ttft_s": zeros + np.nan, "tokens_per_s_per_user": zeros + np.nan,
                "output_tokens_per_s": zeros + np.nan, "output_tokens_per_s_per_gpu": zeros + np.nan,
                "prefill_gpus": zeros}
    return best


# --- batch ----------------------------------------------------------------------------------


def predict_frame(requests: pd.DataFrame, params: Params | None = None) -> pd.DataFrame:
    """Predict every row of a table whose columns are named like :func:`predict`'s arguments.

    Required columns: ``hardware, model, precision, gpus, isl, osl, concurrency``;
    optional ``tp, dp, ep, mode``.  Rows with bad input get ``feasible`` False
    and the error in ``notes``.

    Parameters
    ----------
    requests : pandas.DataFrame
        One request per row, units as in :func:`predict` (``gpus`` [-], ``isl, osl``
        [tokens], ``concurrency`` [-] or "max").
    params : Params, optional
        Efficiency parameters [units per field]; default :func:`parameters`.

    Returns
    -------
    pandas.DataFrame
        The input columns followed by the result columns (:data:`RESULT_COLUMNS`
        not already in the input).
    """
    p = parameters() if params is None else params
    required = ["hardware", "model", "precision", "gpus", "isl", "osl", "concurrency"]
    missing = [k for k in required if k not in requests]
    if missing:
        raise InputError(f"missing columns {missing}; required: {required}, optional: tp, dp, ep, mode")
    results = []
    for row in requests.to_dict("records"):
        args = {k: row[k] for k in required}
        try:
            for k in ("gpus", "isl", "osl"):
                args[k] = _as_int(args[k], k)
            args["concurrency"] = "max" if str(args["concurrency"]).strip() == "max" else _as_int(args["concurrency"], "concurrency")
            for k in ("tp", "dp", "ep"):
                v = row.get(k)
                args[k] = None if v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == "" else _as_int(v, k)
            mode = row.get("mode")
            args["mode"] = "agg" if mode is None or (isinstance(mode, float) and math.isnan(mode)) or mode == "" else str(mode)
            results.append(predict(**args, params=p).to_dict())
        except InputError as error:
            results.append({"feasible": False, "notes": f"bad input: {error}"})
    out = pd.DataFrame(results, columns=RESULT_COLUMNS)
    for k in ("gpus", "tp", "dp", "ep", "isl", "osl", "concurrency"):
        out[k] = out[k].astype("Int64")
    keep = [k for k in RESULT_COLUMNS if k not in requests.columns]
    return pd.concat([requests.reset_index(drop=True), out[keep]], axis=1)


def _as_int(value, name: str) -> int:
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be an integer, not {value!r}") from None
    if not f.is_integer():
        raise InputError(f"{name} must be an integer, not {value!r}")
    return int(f)


# --- Pareto frontier ------------------------------------------------------------------------


def sweep(hardware_id: str, model_id: str, precision: str, gpus: int, isl: int, osl: int, concurrencies=None,
          params: Params | None = None) -> pd.DataFrame:
    """Every parallel configuration crossed with every concurrency, vectorized.

    Parameters
    ----------
    hardware_id : str
        One of :data:`analysis.systems.HARDWARE` [-].
    model_id : str
        A model of ``data/models.csv`` [-].
    precision : {"bf16", "fp8", "fp4"}
        Weight format [-].
    gpus : int
        GPU packages [-].
    isl, osl : int
        Input and output tokens per request [tokens].
    concurrencies : array_like, optional
        Concurrencies to try [-]; default 1 to 512 per GPU in 96 log steps.
    params : Params, optional
        Efficiency parameters [units per field]; default :func:`parameters`.

    Returns
    -------
    pandas.DataFrame
        ``tp, dp, ep, concurrency`` [-], ``feasible`` [bool], ``tpot_s, ttft_s`` [s],
        ``tokens_per_s_per_user, output_tokens_per_s_per_gpu`` [tokens/s]
        (one row per configuration and concurrency).
    """
    p = parameters() if params is None else params
    h = systems.get(hardware_id)
    m = models.get(model_id)
    configs = configurations(h, m, gpus)
    if concurrencies is None:
        concurrencies = np.unique(np.round(np.geomspace(1, 512 * gpus, 96)))
    conc = np.asarray(concurrencies, dtype=float)
    grid = np.repeat(configs, len(conc), axis=0)
    cc = np.tile(conc, len(configs))
    res = serve_arrays(_model_constants(m, precision, isl, osl), _hardware_constants(h, precision), p,
                       grid[:, 0], grid[:, 1], grid[:, 2], cc)
    return pd.DataFrame(
        {
            "tp": grid[:, 0],
            "dp": grid[:, 1],
            "ep": grid[:, 2],
            "concurrency": res["concurrency"],
            "feasible": res["feasible"],
            "tpot_s": res["tpot_s"],
            "ttft_s": res["ttft_s"],
            "tokens_per_s_per_user": res["tokens_per_s_per_user"],
            "output_tokens_per_s_per_gpu": res["output_tokens_per_s_per_gpu"],
        }
    )


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
    keep_sorted = y[order] > best_y
    mask = np.zeros(len(x), dtype=bool)
    mask[order] = keep_sorted
    return mask


def pareto_frontier(hardware_id: str, model_id: str, precision: str, gpus: int, isl: int, osl: int,
                    concurrencies=None, params: Params | None = None) -> pd.DataFrame:
    """The throughput-interactivity frontier: feasible sweep points no other point beats on both axes.

    Parameters
    ----------
    hardware_id : str
        One of :data:`analysis.systems.HARDWARE` [-].
    model_id : str
        A model of ``data/models.csv`` [-].
    precision : {"bf16", "fp8", "fp4"}
        Weight format [-].
    gpus : int
        GPU packages [-].
    isl, osl : int
        Input and output tokens per request [tokens].
    concurrencies : array_like, optional
        Concurrencies to try [-]; default as :func:`sweep`.
    params : Params, optional
        Efficiency parameters [units per field]; default :func:`parameters`.

    Returns
    -------
    pandas.DataFrame
        Rows of :func:`sweep` on the frontier (units there), sorted by tokens/s per user.
    """
    table = sweep(hardware_id, model_id, precision, gpus, isl, osl, concurrencies, params)
    table = table[table["feasible"]]
    mask = pareto_mask(table["tokens_per_s_per_user"], table["output_tokens_per_s_per_gpu"])
    return table[mask].sort_values("tokens_per_s_per_user").reset_index(drop=True)


#: Configurations (parallel layouts x concurrencies) the ``make bench`` sweep times at least [-].
BENCH_SWEEP_CONFIGURATIONS = 100_000


