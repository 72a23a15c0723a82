"""The inference performance model: engine step times, serving at a concurrency, disaggregation.

One forward step of a serving engine, on each of its GPUs, takes

    t_step = max(linear FLOPs / (eta_c e(M) F), weight bytes touched / (eta_m B))     # matrix multiplies
           + max(attention FLOPs / (eta_c F_bf16), KV bytes read / (eta_kv B))       # attention over the context
           + t_TP + t_MoE                                                           # collectives
           + layers x (lambda_backend + lambda_fp4) + tau_backend + sigma x sequences # fixed costs

``F`` is the dense peak of the weight format and ``B`` the HBM bandwidth, per
GPU package on the report's normalized basis (:mod:`analysis.systems`);
``e(M) = M / (M + M_half)`` is the efficiency of a matrix multiply over ``M``
tokens (for an expert, the tokens routed to it).  The fixed costs are what
small batches are made of: kernel launches and synchronization per layer
(more with NVFP4, whose activations are quantized per layer), host work per
step, and per-sequence scheduling and sampling.

**Parallelism as the engines run it** (:class:`Layout`).  Attention runs
``tp x dp``: ``tp`` splits the heads and the dense matrices, ``dp`` ranks each
serve their own sequences.  A mixture-of-experts layer runs ``moe_tp x moe_ep
= GPUs`` over all the tokens of the step: ``moe_ep`` spreads the experts,
``moe_tp`` slices each of them (engines shard every expert by TP when EP is 1,
so DeepSeek-R1 on eight H200 with ``tp 8, ep 1`` holds 1/8 of every expert per
GPU).  Collectives (ring volumes, a latency ``alpha`` each): two all-reduces
per dense layer and one per MoE layer in the attention TP group; for MoE
layers an all-gather and reduce-scatter in the expert-TP group and an
all-to-all dispatch and combine over expert-parallel ranks.  A group within
the NVLink domain uses NVLink (one direction), beyond it the scale-out NIC:
TP may span nodes, slowly, as engines allow.

**Serving at a closed-loop concurrency** ``C`` (:func:`serve`).  A replica
holds ``b = min(C / dp, KV capacity)`` sequences; the rest wait for a slot
(Little's law adds ``(C/dp - b) / b`` request latencies to their TTFT).
Benchmarks of fixed ISL/OSL keep their requests in step: a share ``beta`` of
each replica's prompts arrive together (a burst), the rest spread out.  With
``Delta`` the extra time of a step that carries one prompt,

    TPOT = t_step(b, 0) + (1 - beta / 2) x b x Delta / OSL
    TTFT = phi_backend + t_step(b, ISL) + t_step(b, 0) / 2 + beta x (b - 1) / 2 x Delta + wait

and output tokens/s per GPU is ``C x OSL / (TTFT + (OSL - 1) TPOT) / GPUs``.
``phi`` is the engine's fixed time to first token (request handling, first
scheduling).  The paged KV cache of a sequence holds on average ``ISL + OSL/2``
tokens; the runtime keeps :data:`RUNTIME_RESERVE_FRACTION` of HBM, the weights take
theirs, and the KV cache gets :data:`KV_CACHE_FRACTION` of what is left.
A configuration is infeasible only when the weights do not fit (or not one
sequence does).

**Disaggregated serving** (:func:`serve_disagg`): explicit prefill and decode
workers, each a layout; TTFT is the prefill worker's batch time plus the KV
transfer (NVLink inside the domain, else the NIC) plus queueing for a prefill
slot; TPOT is the decode worker's step.

The global parameters (:class:`Params`) are fitted once by
:mod:`analysis.calibration` within physical bounds (``data/perf_bounds.csv``)
and stored with their bootstrap draws; nothing is tuned per point.  Rubin
and Rubin Ultra results are projections from roadmap specs and say so.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from analysis import data, models, systems

#: Share of HBM the runtime keeps for itself (CUDA context, activations, communication buffers) [-].
#: An assumption: 3% is 4-5 GB on a 141-180 GB GPU.  With it every deployment the serving sweeps
#: measured fits (DeepSeek-R1 FP8 on 4 B200: 168 GB of weights per GPU of 180 GB).
RUNTIME_RESERVE_FRACTION = 0.03

#: Share of the memory left after the runtime and the weights that the engine gives the KV cache [-]:
#: TensorRT-LLM's default ``KvCacheConfig.free_gpu_memory_fraction``
#: (https://nvidia.github.io/TensorRT-LLM/llm-api/reference/KvCacheConfig.html, accessed 2026-12-03).
KV_CACHE_FRACTION = 0.90

#: Highest prefill-pool utilization the M/D/1 wait is evaluated at [-]; beyond it the
#: closed-loop bound of :func:`serve_disagg` (Little's law) takes over.
MAX_PREFILL_UTILIZATION = 0.95

#: Bytes per activation value sent in collectives (BF16) [B].
ACTIVATION_BYTES = 2.0

#: Serving engines the parameters distinguish; the first is the default.
BACKENDS = ("trtllm", "vllm", "sglang")

#: Engine assumed where none is given: NVIDIA's own TensorRT-LLM (MLPerf submissions use it).
DEFAULT_BACKEND = BACKENDS[0]

#: Serving modes: one engine for prefill and decode, or separate prefill and decode workers.
MODES = ("agg", "disagg")

#: Fixed per-backend parameters: the prefix of their field names in :class:`Params`.
PER_BACKEND = ("layer_latency", "step_overhead", "ttft_overhead")


@dataclass(frozen=True)
class Params:
    """The model's global parameters (fitted by :mod:`analysis.calibration`).

    Attributes
    ----------
    compute_efficiency : float
        Achieved fraction of the dense tensor peak in large matrix multiplies [-].
    memory_efficiency : float
        Achieved fraction of HBM bandwidth reading weights [-].
    kv_memory_efficiency : float
        Achieved fraction of HBM bandwidth reading the KV cache in attention [-].
    gemm_half_tokens : float
        Tokens per matrix multiply at which it reaches half of ``compute_efficiency`` [tokens].
    collective_latency_s : float
        Fixed latency of one collective (all-reduce, all-gather, all-to-all) [s].
    network_efficiency : float
        Achieved fraction of NVLink or NIC bandwidth in collectives [-].
    sequence_overhead_s : float
        Host time per sequence per step (scheduling, sampling, detokenizing) [s].
    layer_latency_fp4_s : float
        Extra fixed time per layer with NVFP4 weights (activation quantization kernels) [s].
    ttft_burst : float
        Share of a replica's prompts that arrive together in a fixed-length benchmark [-].
    layer_latency_trtllm_s, layer_latency_vllm_s, layer_latency_sglang_s : float
        Fixed time per transformer layer per step, by engine (kernel launches, synchronization) [s].
    step_overhead_trtllm_s, step_overhead_vllm_s, step_overhead_sglang_s : float
        Fixed time per step, by engine (scheduling, host work) [s].
    ttft_overhead_trtllm_s, ttft_overhead_vllm_s, ttft_overhead_sglang_s : float
        Fixed time to first token, by engine (request handling, first scheduling) [s].
    """

    compute_efficiency: float = 0.7
    memory_efficiency: float = 0.8
    kv_memory_efficiency: float = 0.6
    gemm_half_tokens: float = 32.0
    collective_latency_s: float = 8e-6
    network_efficiency: float = 0.7
    sequence_overhead_s: float = 1e-5
    layer_latency_fp4_s: float = 5e-6
    ttft_burst: float = 0.5
    layer_latency_trtllm_s: float = 4e-5
    layer_latency_vllm_s: float = 4e-5
    layer_latency_sglang_s: float = 4e-5
    step_overhead_trtllm_s: float = 5e-4
    step_overhead_vllm_s: float = 5e-4
    step_overhead_sglang_s: float = 5e-4
    ttft_overhead_trtllm_s: float = 0.05
    ttft_overhead_vllm_s: float = 0.05
    ttft_overhead_sglang_s: float = 0.05

    @classmethod
    def names(cls) -> list[str]:
        """Field names in order [-]."""
        return [f.name for f in fields(cls)]

    def as_array(self) -> np.ndarray:
        """The values in field order, each in its field's unit [mixed]."""
        return np.array([getattr(self, n) for n in self.names()], dtype=float)

    @classmethod
    def from_array(cls, values) -> "Params":
        """Inverse of :meth:`as_array`.

        Parameters
        ----------
        values : array_like
            Values in field order, each in its field's unit [mixed].
        """
        return cls(*[float(v) for v in values])


#: A plain roofline: peak compute and bandwidth, no fixed costs (the anchor the fit is compared with).
ROOFLINE = Params(compute_efficiency=1.0, memory_efficiency=1.0, kv_memory_efficiency=1.0, gemm_half_tokens=1e-9,
                  collective_latency_s=0.0, network_efficiency=1.0, sequence_overhead_s=0.0, layer_latency_fp4_s=0.0,
                  ttft_burst=0.0, **{f"{k}_{b}_s": 0.0 for k in PER_BACKEND for b in BACKENDS})


def bounds() -> dict[str, tuple[float, float]]:
    """The physical bounds of every parameter (``data/perf_bounds.csv``, each with its source).

    Returns
    -------
    dict
        ``name -> (lower, upper)``, in the unit of the parameter [mixed].

    Examples
    --------
    >>> lo, hi = bounds()["memory_efficiency"]
    >>> 0 < lo < hi <= 1
    True
    """
    table = data.load("perf_bounds").set_index("parameter")
    return {n: (float(table.at[n, "lower"]), float(table.at[n, "upper"])) for n in Params.names()}


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
    return Params(**{n: float(table[n]) for n in Params.names()})


def parameter_draws() -> list[Params]:
    """The bootstrap refits stored in ``data/perf_bootstrap.csv`` (their spread is the fit's uncertainty).

    Returns
    -------
    list of Params
        One per draw, in draw order.
    """
    table = data.load("perf_bootstrap").sort_values("draw")
    return [Params(**{n: float(getattr(row, n)) for n in Params.names()}) for row in table.itertuples(index=False)]


def stack(params: list[Params]) -> dict[str, np.ndarray]:
    """Several parameter sets as column arrays, to evaluate them all at once.

    Parameters
    ----------
    params : list of Params
        ``K`` parameter sets [units per field].

    Returns
    -------
    dict of numpy.ndarray
        Field name -> shape ``(K, 1)``, broadcasting against rows of configurations [mixed].
    """
    values = np.array([p.as_array() for p in params], dtype=float)
    return {n: values[:, [i]] for i, n in enumerate(Params.names())}


def _values(p) -> dict:
    # a Params, or stack()'s arrays: the same interface for the step model
    return {n: getattr(p, n) for n in Params.names()} if isinstance(p, Params) else p


def _per_backend(p: dict, prefix: str, backend):
    # the engine's value of a per-backend parameter, row by row (and draw by draw for stacked sets)
    table = np.stack([np.asarray(p[f"{prefix}_{b}_s"], dtype=float) for b in BACKENDS], axis=-1)
    picked = np.take(table, np.asarray(backend), axis=-1)
    return picked[..., 0, :] if table.ndim == 3 and np.ndim(backend) == 1 else picked


def backend_index(backend) -> np.ndarray:
    """Index of each engine name in :data:`BACKENDS` [-]; the error lists the valid names.

    Parameters
    ----------
    backend : str or array_like of str
        Engine names [-].

    Examples
    --------
    >>> backend_index(["vllm", "trtllm"]).tolist()
    [1, 0]
    """
    names = np.atleast_1d(np.asarray(backend, dtype=object))
    unknown = sorted({str(b) for b in names} - set(BACKENDS))
    if unknown:
        raise ValueError(f"unknown backend {unknown[0]!r}; valid: {', '.join(BACKENDS)}")
    return np.array([BACKENDS.index(b) for b in names], dtype=int).reshape(np.shape(backend))


# --- layouts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """How an engine spreads a model over its GPUs.

    Attributes
    ----------
    tp, dp : int
        Attention tensor- and data-parallel degrees; GPUs = ``tp x dp`` [-].
    moe_tp, moe_ep : int
        Expert tensor- and expert-parallel degrees; ``moe_tp x moe_ep`` = GPUs for a
        mixture of experts (for a dense model ``moe_tp = tp, moe_ep = 1``) [-].
    """

    tp: int
    dp: int
    moe_tp: int
    moe_ep: int

    @property
    def gpus(self) -> int:
        """GPUs of the engine [-]."""
        return self.tp * self.dp


def _divisors(n: int) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


def engine_attention(heads, tp, dp) -> tuple[np.ndarray, np.ndarray]:
    """The attention layout an engine runs when asked for ``tp x dp``.

    A TP degree that does not divide the attention heads cannot shard them; the
    engines then run attention data-parallel over the same GPUs (the serving
    sweeps' Qwen3 rows at TP 16 and 32, for example).

    Parameters
    ----------
    heads : int or array_like
        Attention heads of the model [-].
    tp, dp : int or array_like
        Asked attention tensor- and data-parallel degrees [-].

    Returns
    -------
    tuple of numpy.ndarray
        ``(tp, dp)`` run, same GPUs [-].

    Examples
    --------
    >>> [int(x) for x in engine_attention(64, 8, 2)]
    [8, 2]
    >>> [int(x) for x in engine_attention(64, 3, 1)]    # 3 does not divide 64 heads
    [1, 3]
    """
    tp, dp = np.asarray(tp, dtype=int), np.asarray(dp, dtype=int)
    odd = (np.asarray(heads, dtype=int) % tp) != 0
    return np.where(odd, 1, tp), np.where(odd, dp * tp, dp)


def layouts(hw: systems.HardwareSpec, m: models.ModelConfig, gpus: int, tp=None, dp=None, ep=None,
            moe_tp=None) -> np.ndarray:
    """Every layout of ``gpus`` GPUs an engine can run, honouring any given degree.

    Attention TP divides the heads; a mixture of experts takes every split
    ``moe_tp x moe_ep = gpus`` with ``moe_ep`` at most the routed experts
    (``ep`` given alone fixes ``moe_tp = gpus / ep``).  TP may exceed the NVLink
    domain (its collectives then cross the NIC).

    Parameters
    ----------
    hw : analysis.systems.HardwareSpec
        The hardware (unused today but for symmetry with the step model) [-].
    m : analysis.models.ModelConfig
        The model (heads bound TP, experts bound EP) [-].
    gpus : int
        GPUs of one engine [-].
    tp, dp, ep, moe_tp : int, optional
        Degrees to honour (``ep`` is ``moe_ep``); ``None`` allows any [-].

    Returns
    -------
    numpy.ndarray
        Integer array of shape (n, 4): ``tp, dp, moe_tp, moe_ep`` [-].

    Examples
    --------
    >>> layouts(systems.get("h200"), models.get("llama-3.1-70b"), 8).tolist()
    [[1, 8, 1, 1], [2, 4, 2, 1], [4, 2, 4, 1], [8, 1, 8, 1]]
    >>> layouts(systems.get("h200"), models.get("deepseek-r1"), 8, tp=8, ep=1).tolist()   # experts sharded by TP
    [[8, 1, 8, 1]]
    """
    del hw  # every layout fits some interconnect: the step model prices the links
    if ep is not None and moe_tp is None:
        moe_tp = gpus // ep if gpus % ep == 0 else None
    rows = []
    for t in _divisors(gpus):
        if m.n_heads % t or (tp is not None and t != tp) or (dp is not None and gpus // t != dp):
            continue
        if not m.is_moe:
            rows.append((t, gpus // t, t, 1))
            continue
        for e in _divisors(gpus):
            if e > m.n_routed_experts or (ep is not None and e != ep) or (moe_tp is not None and gpus // e != moe_tp):
                continue
            rows.append((t, gpus // t, gpus // e, e))
    return np.array(rows, dtype=int).reshape(-1, 4)


# --- constants of a model on a hardware --------------------------------------------------------


def constants(m: models.ModelConfig, precision: str, h: systems.HardwareSpec, isl, osl) -> dict:
    """What the step model needs of a model in a weight format on a hardware, for given lengths.

    Parameters
    ----------
    m : analysis.models.ModelConfig
        The model [-].
    precision : {"bf16", "fp8", "fp4"}
        Weight format (KV cache as :func:`analysis.models.kv_precision`) [-].
    h : analysis.systems.HardwareSpec
        The hardware (per package, normalized) [-].
    isl, osl : float or array_like
        Input and output tokens per request [tokens].

    Returns
    -------
    dict
        Scalars and arrays (broadcast over ``isl, osl``): counts [-], parameters [-],
        bytes [B], FLOPs [FLOP], rates [FLOP/s, B/s], the NVLink domain [GPUs].
    """
    g = models.param_groups(m)
    kvp = models.kv_precision(precision)
    wb = models.BYTES_PER_VALUE[precision]
    bf16 = models.BYTES_PER_VALUE["bf16"]
    isl = np.asarray(isl, dtype=float)
    osl = np.asarray(osl, dtype=float)
    ctx_decode = isl + osl / 2.0
    dense = g["attention"] + g["dense_ffn"] + g["shared_experts"] + g["router"]
    return {
        "layers": float(m.n_layers),
        "hidden": float(m.hidden_size),
        "heads": float(m.n_heads),
        "moe_layers": float(m.n_moe_layers),
        "experts": float(max(m.n_routed_experts, 1)),
        "top_k": float(max(m.experts_per_token, 1)),
        "dense_params": float(dense),
        "lm_params": float(g["lm_head"]),
        "expert_params": float(models.expert_params(m)) if m.is_moe else 0.0,
        "dense_bytes": dense * wb + g["lm_head"] * bf16,
        "embed_bytes": g["embedding"] * bf16,
        "expert_bytes": float(models.expert_params(m)) * wb if m.is_moe else 0.0,
        "routed_bytes": g["routed_experts"] * wb,
        "kv_heads": float(m.n_kv_heads) if m.attention == "gqa" else 1.0,
        "fp4": float(precision == "fp4"),
        "isl": isl,
        "osl": osl,
        "kv_seq_decode": models.kv_bytes_per_token(m, kvp, ctx_decode) * ctx_decode,
        "kv_token": models.kv_bytes_per_token(m, kvp),
        "kv_prompt": models.kv_bytes_per_token(m, kvp, isl) * isl,
        "attn_decode_flops": models.attention_flops_decode(m, ctx_decode),
        "attn_prefill_flops_per_token": models.attention_flops_prefill(m, np.maximum(isl, 1)) / np.maximum(isl, 1),
        "flop_s": h.flop_s(precision),
        "flop_s_attention": h.flop_s("bf16"),
        "hbm_b_s": h.hbm_tb_s * 1e12,
        "hbm_bytes": h.hbm_gb * 1e9,
        "nvlink_b_s": h.nvlink_tb_s * 1e12,
        "nic_b_s": h.nic_tb_s * 1e12,
        "domain": float(h.nvlink_domain),
    }


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


def _link(group, c: dict, efficiency):
    # NVLink inside the domain, the scale-out NIC beyond it [B/s]
    return np.where(group <= c["domain"], c["nvlink_b_s"], c["nic_b_s"]) * efficiency


def step_time(c: dict, p, lay: dict, backend, decode_seqs, prefill_tokens) -> dict:
    """Time of one engine step, by component [s].

    Parameters
    ----------
    c : dict
        :func:`constants` (arrays broadcast).
    p : Params or dict
        Parameters, or :func:`stack`'s arrays to evaluate many sets at once [units per field].
    lay : dict
        ``tp, dp, moe_tp, moe_ep`` as arrays [-].
    backend : array_like of int
        Engine index in :data:`BACKENDS` [-].
    decode_seqs : array_like
        Sequences decoding one token each, per attention-DP rank [-].
    prefill_tokens : array_like
        Prompt tokens prefilled in the step, per attention-DP rank [tokens].

    Returns
    -------
    dict of numpy.ndarray
        ``linear`` (the larger of ``linear_compute`` and ``linear_memory``), ``attention,
        collectives, fixed, total`` [s].
    """
    v = _values(p)
    tp, dp, mtp, mep = (np.asarray(lay[k], dtype=float) for k in ("tp", "dp", "moe_tp", "moe_ep"))
    gpus = tp * dp
    b = np.asarray(decode_seqs, dtype=float)
    pf = np.asarray(prefill_tokens, dtype=float)
    n = b + pf                      # tokens of one attention rank
    tokens = n * dp                 # tokens every expert layer sees
    lm_tokens = b + pf / np.maximum(c["isl"], 1.0)
    eta_c = v["compute_efficiency"] * c["flop_s"]
    # matrix multiplies: dense weights split over attention TP, experts over all GPUs
    flops_dense = 2.0 * (c["dense_params"] * n + c["lm_params"] * lm_tokens) / tp
    flops_moe = 2.0 * c["moe_layers"] * c["expert_params"] * tokens * c["top_k"] / gpus
    touched = models.distinct_experts(c["experts"], c["top_k"], tokens) / c["experts"]
    bytes_moe = c["moe_layers"] * (c["experts"] / mep) * touched * c["expert_bytes"] / mtp
    m_expert = np.maximum(tokens * c["top_k"] / c["experts"], 1e-9)
    half = v["gemm_half_tokens"]
    linear_compute = (flops_dense / gemm_efficiency(np.maximum(n, 1e-9), half)
                      + flops_moe / gemm_efficiency(m_expert, half)) / eta_c
    linear_memory = (c["dense_bytes"] / tp + bytes_moe) / (v["memory_efficiency"] * c["hbm_b_s"])
    # attention: heads split over TP; GQA's KV heads too (replicated beyond their count), MLA's latent replicated
    kv_shard = np.minimum(tp, c["kv_heads"])
    attn_flops = (b * c["attn_decode_flops"] + pf * c["attn_prefill_flops_per_token"]) / tp
    kv_bytes = (b * c["kv_seq_decode"] + pf * c["kv_token"]) / kv_shard
    attention = np.maximum(attn_flops / (v["compute_efficiency"] * c["flop_s_attention"]),
                           kv_bytes / (v["kv_memory_efficiency"] * c["hbm_b_s"]))
    # collectives: ring volumes over the group's link, a fixed latency each
    act = n * c["hidden"] * ACTIVATION_BYTES
    alpha, eta_net = v["collective_latency_s"], v["network_efficiency"]
    moe = c["moe_layers"] > 0
    reduces = np.where(moe, 2.0 * c["layers"] - c["moe_layers"], 2.0 * c["layers"])
    t_tp = np.where(tp > 1, reduces * (2.0 * (tp - 1.0) / tp * act / _link(tp, c, eta_net) + alpha), 0.0)
    gathered = 2.0 * (mtp - 1.0) / mtp * tokens * mtp / gpus * c["hidden"] * ACTIVATION_BYTES
    t_moe_tp = np.where(moe & (mtp > 1) & ((dp > 1) | (mtp != tp)),
                        c["moe_layers"] * (gathered / _link(gpus, c, eta_net) + alpha), 0.0)
    dispatched = 2.0 * tokens / gpus * c["top_k"] * c["hidden"] * ACTIVATION_BYTES * (mep - 1.0) / mep
    t_ep = np.where(moe & (mep > 1), c["moe_layers"] * (dispatched / _link(gpus, c, eta_net) + 2.0 * alpha), 0.0)
    layer = _per_backend(v, "layer_latency", backend) + c["fp4"] * v["layer_latency_fp4_s"]
    fixed = c["layers"] * layer + _per_backend(v, "step_overhead", backend) + v["sequence_overhead_s"] * b
    linear = np.maximum(linear_compute, linear_memory)
    collectives = t_tp + t_moe_tp + t_ep
    return {"linear": linear, "linear_compute": linear_compute, "linear_memory": linear_memory,
            "attention": attention, "collectives": collectives, "fixed": fixed + 0.0 * linear,
            "total": linear + attention + collectives + fixed}


def weights_per_gpu(c: dict, lay: dict):
    """Weight bytes each GPU holds [B]: dense weights split over attention TP, experts over all GPUs.

    Parameters
    ----------
    c : dict
        :func:`constants`.
    lay : dict
        ``tp, dp, moe_tp, moe_ep`` as arrays [-].
    """
    tp = np.asarray(lay["tp"], dtype=float)
    experts_over = np.asarray(lay["moe_tp"], dtype=float) * np.asarray(lay["moe_ep"], dtype=float)
    return (c["dense_bytes"] + c["embed_bytes"]) / tp + c["routed_bytes"] / experts_over


def usable_bytes(c: dict):
    """HBM per GPU for weights and KV cache, after the runtime's reserve [B].

    Parameters
    ----------
    c : dict
        :func:`constants`.

    Examples
    --------
    >>> round(usable_bytes({"hbm_bytes": 180e9}) / 1e9, 1)
    174.6
    """
    return (1.0 - RUNTIME_RESERVE_FRACTION) * c["hbm_bytes"]


def kv_capacity(c: dict, lay: dict):
    """Sequences whose KV cache fits on one attention-DP rank next to the weights [-] (< 1: nothing fits).

    Parameters
    ----------
    c : dict
        :func:`constants`.
    lay : dict
        ``tp, dp, moe_tp, moe_ep`` as arrays [-].
    """
    free = KV_CACHE_FRACTION * (usable_bytes(c) - weights_per_gpu(c, lay))
    return np.floor(free * np.minimum(np.asarray(lay["tp"], dtype=float), c["kv_heads"]) / c["kv_seq_decode"])


def serve(c: dict, p, lay: dict, backend, concurrency) -> dict:
    """Aggregated serving at a closed-loop concurrency, vectorized over configurations (and parameter sets).

    Parameters
    ----------
    c : dict
        :func:`constants`.
    p : Params or dict
        Parameters, or :func:`stack`'s arrays [units per field].
    lay : dict
        ``tp, dp, moe_tp, moe_ep`` as arrays [-].
    backend : array_like of int
        Engine index in :data:`BACKENDS` [-].
    concurrency : array_like
        Requests in flight over all ranks [-]; ``-1`` means "max" (the KV limit).

    Returns
    -------
    dict of numpy.ndarray
        ``concurrency`` [-], ``feasible`` [bool], ``tpot_s, ttft_s`` [s],
        ``tokens_per_s_per_user, output_tokens_per_s, output_tokens_per_s_per_gpu`` [tokens/s],
        ``batch`` (sequences in service per rank) [-].
    """
    v = _values(p)
    dp = np.asarray(lay["dp"], dtype=float)
    gpus = np.asarray(lay["tp"], dtype=float) * dp
    cap = kv_capacity(c, lay)
    conc = np.asarray(concurrency, dtype=float)
    conc = np.where(conc < 0, np.maximum(cap, 1.0) * dp, conc)
    asked = conc / dp
    b = np.maximum(np.minimum(asked, cap), 1.0)
    t_decode = step_time(c, v, lay, backend, b, 0.0)["total"]
    t_prompt = step_time(c, v, lay, backend, b, c["isl"])["total"]
    delta = np.maximum(t_prompt - t_decode, 0.0)
    burst = v["ttft_burst"]
    tpot = t_decode + (1.0 - burst / 2.0) * b * delta / c["osl"]
    ttft = _per_backend(v, "ttft_overhead", backend) + t_prompt + 0.5 * t_decode + burst * (b - 1.0) / 2.0 * delta
    latency = ttft + (c["osl"] - 1.0) * tpot
    ttft = ttft + np.maximum(asked - b, 0.0) / b * latency   # waiting for a KV slot (Little's law)
    out = conc * c["osl"] / (ttft + (c["osl"] - 1.0) * tpot)
    return {
        "concurrency": conc + 0.0 * out,
        "feasible": (cap >= 1) & (conc >= 1),
        "tpot_s": tpot,
        "ttft_s": ttft,
        "tokens_per_s_per_user": 1.0 / tpot,
        "output_tokens_per_s": out,
        "output_tokens_per_s_per_gpu": out / gpus,
        "batch": b + 0.0 * out,
    }


def kv_transfer_s(c: dict, p, lay: dict, same_domain):
    """Time to move one prompt's KV cache from a prefill to a decode worker [s].

    Each GPU of the prefill worker sends its shard over its own link: NVLink
    when both workers sit in one NVLink domain, else the NIC.

    Parameters
    ----------
    c : dict
        :func:`constants`.
    p : Params or dict
        Parameters [units per field].
    lay : dict
        The prefill worker's ``tp, dp, moe_tp, moe_ep`` [-].
    same_domain : array_like of bool
        Whether the two workers share an NVLink domain [-].
    """
    v = _values(p)
    link = np.where(same_domain, c["nvlink_b_s"], c["nic_b_s"]) * v["network_efficiency"]
    shards = np.minimum(np.asarray(lay["tp"], dtype=float), c["kv_heads"])
    return c["kv_prompt"] / (link * shards) + v["collective_latency_s"]


def serve_disagg(c: dict, p, prefill: dict, decode: dict, backend, concurrency, prefill_workers, decode_workers,
                 prefill_batch=1.0, decode_batch=None) -> dict:
    """Disaggregated serving with explicit prefill and decode workers.

    The decode workers hold the ``concurrency`` requests (``decode_batch`` per
    attention-DP rank when given, else spread evenly, capped by the KV cache);
    every attention-DP rank of a prefill worker prefills ``prefill_batch`` prompts
    per step.  TTFT is the engine's fixed first-token time, one prefill step, the
    KV transfer, the wait for a prefill slot (an M/D/1 queue at the request rate
    the decode side sustains, plus the ``ttft_burst`` share of prompts that a
    fixed-concurrency benchmark sends at once queueing for the slots) and any wait
    for a KV slot; but never less than the closed-loop bound of Little's law when
    the prefill pool is the bottleneck (``concurrency / capacity - (osl - 1) x
    TPOT``).  TPOT is the decode step.

    Parameters
    ----------
    c : dict
        :func:`constants`.
    p : Params or dict
        Parameters [units per field].
    prefill, decode : dict
        Layouts of one prefill and one decode worker (``tp, dp, moe_tp, moe_ep``) [-].
    backend : array_like of int
        Engine index in :data:`BACKENDS` [-].
    concurrency : array_like
        Requests in flight [-].
    prefill_workers, decode_workers : array_like
        Workers of each kind [-].
    prefill_batch : array_like, optional
        Prompts per prefill step [-].
    decode_batch : array_like, optional
        Sequences per decode attention-DP rank [-]; default ``concurrency / (workers x dp)``.

    Returns
    -------
    dict of numpy.ndarray
        As :func:`serve`, plus ``prefill_utilization`` [-]; tokens per GPU count all GPUs of both pools.
    """
    v = _values(p)
    gpus_p = np.asarray(prefill["tp"], dtype=float) * np.asarray(prefill["dp"], dtype=float)
    gpus_d = np.asarray(decode["tp"], dtype=float) * np.asarray(decode["dp"], dtype=float)
    ranks = np.asarray(decode_workers, dtype=float) * np.asarray(decode["dp"], dtype=float)
    conc = np.asarray(concurrency, dtype=float)
    cap = kv_capacity(c, decode)
    asked = conc / ranks if decode_batch is None else np.asarray(decode_batch, dtype=float) + 0.0 * conc
    b = np.maximum(np.minimum(asked, cap), 1.0)
    tpot = step_time(c, v, decode, backend, b, 0.0)["total"]
    pb = np.maximum(np.asarray(prefill_batch, dtype=float), 1.0)
    t_prefill = step_time(c, v, prefill, backend, 0.0, pb * c["isl"])["total"]
    same = (gpus_p + gpus_d) <= c["domain"]
    transfer = kv_transfer_s(c, v, prefill, same)
    # every attention-DP rank of every prefill worker prefills its own prompts in a step
    slots = np.asarray(prefill_workers, dtype=float) * np.asarray(prefill["dp"], dtype=float) * pb
    capacity = slots / t_prefill
    overhead = _per_backend(v, "ttft_overhead", backend)
    # the request rate the decode pool sustains, and how busy the prefill pool is at it (M/D/1)
    rate = np.minimum(conc, ranks * b) / ((c["osl"] - 1.0) * tpot + t_prefill + transfer + overhead)
    rho = np.minimum(rate / capacity, MAX_PREFILL_UTILIZATION)
    wait = rho * t_prefill / (2.0 * (1.0 - rho))
    # a fixed-concurrency benchmark sends a share of its prompts at once: they queue for the slots
    burst = v["ttft_burst"] * np.maximum(conc / slots - 1.0, 0.0) / 2.0 * t_prefill
    ttft = overhead + t_prefill + transfer + wait + burst
    ttft = ttft + np.maximum(asked - b, 0.0) / b * (ttft + (c["osl"] - 1.0) * tpot)   # waiting for a KV slot
    # closed loop: requests cannot cycle faster than the prefill pool admits them (Little's law)
    ttft = np.maximum(ttft, conc / capacity - (c["osl"] - 1.0) * tpot)
    all_gpus = np.asarray(prefill_workers, dtype=float) * gpus_p + np.asarray(decode_workers, dtype=float) * gpus_d
    out = conc * c["osl"] / (ttft + (c["osl"] - 1.0) * tpot)
    weights_ok = weights_per_gpu(c, prefill) <= usable_bytes(c)
    return {
        "concurrency": conc + 0.0 * out,
        "feasible": (cap >= 1) & weights_ok & (conc >= 1),
        "tpot_s": tpot,
        "ttft_s": ttft,
        "tokens_per_s_per_user": 1.0 / tpot,
        "output_tokens_per_s": out,
        "output_tokens_per_s_per_gpu": out / all_gpus,
        "batch": b + 0.0 * out,
        "prefill_utilization": np.minimum(rate / capacity, 1.0) + 0.0 * out,
    }


def residual_quantiles(metric: str) -> tuple[float, float]:
    """The 5% and 95% quantiles of the out-of-sample log errors of a metric (``data/perf_uncertainty.csv``).

    Parameters
    ----------
    metric : {"tpot_s", "ttft_s", "output_tokens_per_s_per_gpu"}
        Predicted quantity [-].

    Returns
    -------
    tuple of float
        ``(q05, q95)`` of ln(measured / predicted) [-]; multiply a prediction by their exponentials.
    """
    table = data.load("perf_uncertainty").set_index("metric")
    if metric not in table.index:
        raise KeyError(f"no uncertainty for {metric!r}; metrics: {', '.join(table.index)}")
    return float(table.at[metric, "log_ratio_q05"]), float(table.at[metric, "log_ratio_q95"])
