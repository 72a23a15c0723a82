"""The model catalog: architectures from their published config files, and what follows from them.

Each row of ``data/models.csv`` is one model's published configuration
(Hugging Face ``config.json``).  This module derives, as pure functions of a
:class:`ModelConfig`, what the performance model needs: parameter counts
(total and active per token), weight bytes per number format, KV-cache bytes
per token, and FLOPs per token for prefill and decode including attention over
the context.

Conventions
-----------
* A parameter is "active" if a token's forward pass multiplies by it: the
  input embedding is a table lookup and is not active, the output projection
  (``lm_head``) is.  DeepSeek-R1 then has about 37 B active parameters and
  gpt-oss-120b about 5.1 B, as their authors state.
* One multiply-add is 2 FLOPs.
* Weight formats: ``bf16`` 2 B/parameter; ``fp8`` 1 B (per-tensor or 128x128
  block scales, negligible); ``fp4`` is NVFP4, 0.5 B plus one FP8 scale per 16
  values (0.5625 B).  Embeddings and ``lm_head`` stay in BF16 (as in NVIDIA's
  and OpenAI's quantized checkpoints); every other matrix is in the chosen format.
* KV cache: BF16 with BF16 weights, FP8 with FP8 or FP4 weights (what FP8 and
  NVFP4 deployments use).
* Decimal prefixes for throughput, binary ones only where stated (KiB).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis import data

#: Values sharing one FP8 (1 B) scale in NVFP4 [-].
NVFP4_BLOCK_VALUES = 16

#: Bytes per stored value of each number format, scales included [B].
BYTES_PER_VALUE = {"bf16": 2.0, "fp8": 1.0, "fp4": 0.5 + 1.0 / NVFP4_BLOCK_VALUES}

#: Number formats the catalog supports.
PRECISIONS = tuple(BYTES_PER_VALUE)

#: Matrices of a gated (SwiGLU) feed-forward block: gate, up, down [-].
FFN_MATRICES = 3


#: Other names of the catalog's models: Hugging Face repositories, quantized checkpoints of the same shape.
ALIASES = {
    "deepseek-ai/DeepSeek-R1": "deepseek-r1", "nvidia/DeepSeek-R1-NVFP4": "deepseek-r1",
    "nvidia/DeepSeek-R1-0528-NVFP4": "deepseek-r1", "deepseek-ai/DeepSeek-R1-0528": "deepseek-r1",
    "deepseek-ai/DeepSeek-V3": "deepseek-v3", "nvidia/DeepSeek-V3.1-NVFP4": "deepseek-v3",
    "deepseek-ai/DeepSeek-V3.1": "deepseek-v3", "deepseek-ai/DeepSeek-V3-0324": "deepseek-v3",
    "meta-llama/Llama-3.1-70B": "llama-3.1-70b", "meta-llama/Llama-3.1-70B-Instruct": "llama-3.1-70b",
    "nvidia/Llama-3.1-70B-Instruct-FP8": "llama-3.1-70b",
    "meta-llama/Llama-3.3-70B-Instruct": "llama-3.3-70b", "nvidia/Llama-3.3-70B-Instruct-FP8": "llama-3.3-70b",
    "nvidia/Llama-3.3-70B-Instruct-FP4": "llama-3.3-70b",
    "meta-llama/Llama-3.1-8B": "llama-3.1-8b", "meta-llama/Llama-3.1-8B-Instruct": "llama-3.1-8b",
    "nvidia/Llama-3.1-8B-Instruct-FP8": "llama-3.1-8b",
    "meta-llama/Llama-2-70b-chat-hf": "llama-2-70b", "meta-llama/Llama-3.1-405B-Instruct": "llama-3.1-405b",
    "Qwen/Qwen3-32B": "qwen3-32b", "Qwen/Qwen3-32B-FP8": "qwen3-32b", "nvidia/Qwen3-32B-NVFP4": "qwen3-32b",
    "Qwen/Qwen3-235B-A22B": "qwen3-235b-a22b", "Qwen/Qwen3-235B-A22B-FP8": "qwen3-235b-a22b",
    "nvidia/Qwen3-235B-A22B-FP4": "qwen3-235b-a22b", "openai/gpt-oss-120b": "gpt-oss-120b",
}


def resolve(name: str) -> str:
    """The catalog id of a model name (an id, or one of :data:`ALIASES`, any case); the error lists the ids.

    Parameters
    ----------
    name : str
        Catalog id, Hugging Face repository or known checkpoint [-].

    Examples
    --------
    >>> resolve("deepseek-ai/DeepSeek-V3"), resolve("Llama-3.1-8B")
    ('deepseek-v3', 'llama-3.1-8b')
    """
    key = str(name).strip()
    lowered = {k.lower(): v for k, v in ALIASES.items()}
    ids = {i.lower(): i for i in catalog()}
    for candidate in (key.lower(), key.lower().split("/")[-1]):
        if candidate in ids:
            return ids[candidate]
        if candidate in lowered:
            return lowered[candidate]
    raise KeyError(f"unknown model {name!r}; models: {', '.join(sorted(catalog()))} (or their Hugging Face names)")


@dataclass(frozen=True)
class ModelConfig:
    """A transformer's shape, as in its published ``config.json``.

    Attributes
    ----------
    model_id, name : str
        Catalog id and display name.
    n_layers : int
        Transformer blocks [-].
    n_dense_layers : int
        Blocks with a dense feed-forward network (the rest are MoE) [-].
    hidden_size, intermediate_size : int
        Model width and dense FFN width [-].
    n_heads, n_kv_heads, head_dim : int
        Query heads, key/value heads (GQA) and head width [-].
    vocab_size : int
        Vocabulary [-].
    tied_embeddings : bool
        Whether ``lm_head`` shares the embedding matrix.
    attention : str
        ``"gqa"`` (grouped-query) or ``"mla"`` (multi-head latent attention).
    q_lora_rank, kv_lora_rank, qk_nope_head_dim, qk_rope_head_dim, v_head_dim : int
        MLA ranks and head widths (``v_head_dim`` is the value head width of any model) [-].
    n_routed_experts, n_shared_experts, experts_per_token, moe_intermediate_size : int
        Mixture-of-experts shape (0 for dense models) [-].
    sliding_window : int
        Window of the sliding-window layers [tokens]; 0 if none.
    n_sliding_layers : int
        Layers with sliding-window attention [-].
    """

    model_id: str
    name: str
    n_layers: int
    n_dense_layers: int
    hidden_size: int
    intermediate_size: int
    n_heads: int
    n_kv_heads: int
    head_dim: int
    vocab_size: int
    tied_embeddings: bool
    attention: str
    q_lora_rank: int
    kv_lora_rank: int
    qk_nope_head_dim: int
    qk_rope_head_dim: int
    v_head_dim: int
    n_routed_experts: int
    n_shared_experts: int
    experts_per_token: int
    moe_intermediate_size: int
    sliding_window: int
    n_sliding_layers: int

    @property
    def is_moe(self) -> bool:
        """True for a mixture-of-experts model."""
        return self.n_routed_experts > 0

    @property
    def n_moe_layers(self) -> int:
        """Blocks whose FFN is a mixture of experts [-]."""
        return self.n_layers - self.n_dense_layers if self.is_moe else 0


def catalog() -> dict[str, ModelConfig]:
    """Every model of ``data/models.csv``, by id.

    Returns
    -------
    dict of str to ModelConfig
        Model id to its configuration.

    Examples
    --------
    >>> sorted(catalog())[:4]
    ['deepseek-r1', 'deepseek-v3', 'gpt-oss-120b', 'llama-2-70b']
    """
    table = data.load("models")
    fields = ModelConfig.__dataclass_fields__
    out = {}
    for row in table.to_dict("records"):
        values = {k: row[k] for k in fields}
        for k, f in fields.items():
            if f.type == "int":
                values[k] = int(values[k])
            elif f.type == "bool":
                values[k] = bool(values[k])
            else:
                values[k] = str(values[k])
        out[row["model_id"]] = ModelConfig(**values)
    return out


def get(model_id: str) -> ModelConfig:
    """One model of the catalog; the error lists the valid ids.

    Parameters
    ----------
    model_id : str
        A model id of ``data/models.csv`` [-].

    Returns
    -------
    ModelConfig

    Raises
    ------
    KeyError
        Unknown id; the message lists the valid ones.

    Examples
    --------
    >>> get("llama-2-70b").n_layers
    80
    """
    models = catalog()
    if model_id not in models:
        raise KeyError(f"unknown model {model_id!r}; models: {', '.join(sorted(models))}")
    return models[model_id]


# --- parameter counts ------------------------------------------------------------


def attention_params_per_layer(m: ModelConfig) -> int:
    """Weights of one attention block (projections only) [-].

    Parameters
    ----------
    m : ModelConfig
        The model (from :func:`get`) [-].

    Returns
    -------
    int
        Parameters [-].

    Examples
    --------
    >>> attention_params_per_layer(get("llama-2-70b"))   # q, o: 8192^2; k, v: 8192 x 1024
    150994944
    """
    h = m.hidden_size
    if m.attention == "mla":
        qk = m.qk_nope_head_dim + m.qk_rope_head_dim
        q = h * m.q_lora_rank + m.q_lora_rank * m.n_heads * qk
        kv = h * (m.kv_lora_rank + m.qk_rope_head_dim) + m.kv_lora_rank * m.n_heads * (m.qk_nope_head_dim + m.v_head_dim)
        return q + kv + m.n_heads * m.v_head_dim * h
    q_and_o = 2 * h * m.n_heads * m.head_dim
    k_and_v = 2 * h * m.n_kv_heads * m.head_dim
    return q_and_o + k_and_v


def expert_params(m: ModelConfig) -> int:
    """Weights of one routed (or shared) expert [-].

    Parameters
    ----------
    m : ModelConfig
        The model (from :func:`get`) [-].

    Returns
    -------
    int
        Parameters of one gated FFN of width ``moe_intermediate_size`` [-].
    """
    return FFN_MATRICES * m.hidden_size * m.moe_intermediate_size


def param_groups(m: ModelConfig) -> dict[str, int]:
    """Parameters by role [-].

    Parameters
    ----------
    m : ModelConfig
        The model (from :func:`get`) [-].

    Returns
    -------
    dict
        ``embedding`` (input table), ``lm_head``, ``attention``, ``dense_ffn``
        (dense blocks' FFNs), ``shared_experts``, ``routed_experts`` (all of
        them), ``router``.  Norms and biases (under 0.01%) are left out.
    """
    h = m.hidden_size
    embedding = m.vocab_size * h
    return {
        "embedding": embedding,
        "lm_head": 0 if m.tied_embeddings else embedding,
        "attention": m.n_layers * attention_params_per_layer(m),
        "dense_ffn": m.n_dense_layers * FFN_MATRICES * h * m.intermediate_size,
        "shared_experts": m.n_moe_layers * m.n_shared_experts * expert_params(m),
        "routed_experts": m.n_moe_layers * m.n_routed_experts * expert_params(m),
        "router": m.n_moe_layers * h * m.n_routed_experts,
    }


def total_params(m: ModelConfig) -> int:
    """All parameters [-].

    Parameters
    ----------
    m : ModelConfig
        The model (from :func:`get`) [-].

    Returns
    -------
    int
        Parameters [-].

    Examples
    --------
    >>> round(total_params(get("llama-2-70b")) / 1e9, 2)
    68.98
    >>> round(total_params(get("deepseek-r1")) / 1e9, 1)
    671.0
    >>> round(total_params(get("gpt-oss-120b")) / 1e9, 1)
    116.8
    """
    return int(sum(param_groups(m).values()))


def active_params(m: ModelConfig) -> int:
    """Parameters a token multiplies by: all but the embedding table and the unrouted experts [-].

    Parameters
    ----------
    m : ModelConfig
        The model (from :func:`get`) [-].

    Returns
    -------
    int
        Parameters [-].

    Examples
    --------
    >>> round(active_params(get("deepseek-r1")) / 1e9, 1)
    36.6
    >>> round(active_params(get("gpt-oss-120b")) / 1e9, 2)
    5.13
    """
    g = param_groups(m)
    routed_active = m.n_moe_layers * m.experts_per_token * expert_params(m)
    return int(g["lm_head"] + g["attention"] + g["dense_ffn"] + g["shared_experts"] + routed_active + g["router"])


def weight_bytes(m: ModelConfig, precision: str) -> float:
    """Bytes of all weights stored in ``precision`` (embeddings and ``lm_head`` in BF16) [B].

    Parameters
    ----------
    m : ModelConfig
        The model (from :func:`get`) [-].
    precision : {"bf16", "fp8", "fp4"}
        Weight format [-].

    Returns
    -------
    float
        Bytes [B].

    Examples
    --------
    >>> m = get("llama-2-70b")
    >>> weight_bytes(m, "bf16") == 2 * total_params(m)
    True
    >>> round(weight_bytes(get("deepseek-r1"), "fp8") / 1e9, 1)   # 669.2 B in FP8 + 1.85 B in BF16
    672.9
    """
    g = param_groups(m)
    body = total_params(m) - g["embedding"] - g["lm_head"]
    return body * BYTES_PER_VALUE[_check(precision)] + (g["embedding"] + g["lm_head"]) * BYTES_PER_VALUE["bf16"]


def kv_precision(precision: str) -> str:
    """The KV-cache format used with a weight format.

    Parameters
    ----------
    precision : {"bf16", "fp8", "fp4"}
        Weight format [-].

    Returns
    -------
    str
        KV-cache format, ``"bf16"`` or ``"fp8"`` [-].

    Examples
    --------
    >>> kv_precision("fp4"), kv_precision("bf16")
    ('fp8', 'bf16')
    """
    return "bf16" if _check(precision) == "bf16" else "fp8"


def kv_elements_per_token(m: ModelConfig, context=None):
    """KV-cache values stored per token, summed over layers [-].

    GQA stores a key and a value per KV head; MLA stores one compressed latent
    (``kv_lora_rank``) plus the shared RoPE key.  Sliding-window layers keep at
    most ``sliding_window`` tokens, so with ``context`` given the result is the
    average per token of a sequence of that length.

    Parameters
    ----------
    m : ModelConfig
        The model (from :func:`get`) [-].
    context : float or array_like, optional
        Sequence length [tokens]; ``None`` counts every layer in full.

    Returns
    -------
    float or numpy.ndarray
        Values per token [-].

    Examples
    --------
    >>> kv_elements_per_token(get("llama-2-70b"))   # 2 x 80 x 8 x 128
    163840.0
    >>> kv_elements_per_token(get("deepseek-r1"))   # 61 x (512 + 64)
    35136.0
    """
    if m.attention == "mla":
        per_layer = float(m.kv_lora_rank + m.qk_rope_head_dim)
    else:
        per_layer = float(2 * m.n_kv_heads * m.head_dim)
    full_layers = m.n_layers - m.n_sliding_layers
    if m.n_sliding_layers == 0 or context is None:
        return per_layer * m.n_layers
    context = np.maximum(np.asarray(context, dtype=float), 1.0)
    kept = np.minimum(context, m.sliding_window) / context
    result = per_layer * (full_layers + m.n_sliding_layers * kept)
    return float(result) if result.ndim == 0 else result


def kv_bytes_per_token(m: ModelConfig, precision: str = "bf16", context=None):
    """KV-cache bytes per token [B] in the KV format ``precision`` (see :func:`kv_elements_per_token`).

    Parameters
    ----------
    m : ModelConfig
        The model (from :func:`get`) [-].
    precision : {"bf16", "fp8", "fp4"}
        KV-cache format [-].
    context : float or array_like, optional
        Sequence length [tokens]; ``None`` counts every layer in full.

    Returns
    -------
    float or numpy.ndarray
        Bytes per token [B].

    Examples
    --------
    >>> kv_bytes_per_token(get("llama-2-70b"), "bf16") / 1024     # 320 KiB
    320.0
    >>> round(kv_bytes_per_token(get("deepseek-r1"), "bf16") / 1024, 1)
    68.6
    >>> kv_bytes_per_token(get("llama-3.1-405b"), "fp8") / 1024    # 2 x 126 x 8 x 128 x 1 B
    252.0
    """
    return kv_elements_per_token(m, context) * BYTES_PER_VALUE[_check(precision)]


def linear_flops_per_token(m: ModelConfig, with_lm_head: bool = True) -> float:
    """Matrix-multiply FLOPs of one token, attention over the context excluded [FLOP].

    Parameters
    ----------
    m : ModelConfig
        The model (from :func:`get`) [-].
    with_lm_head : bool
        Whether the output projection counts (False for a prompt token that is not the last) [-].

    Returns
    -------
    float
        FLOPs per token [FLOP].

    Examples
    --------
    >>> m = get("llama-2-70b")
    >>> linear_flops_per_token(m) == 2 * active_params(m)
    True
    """
    flops = 2.0 * active_params(m)
    return flops if with_lm_head else flops - 2.0 * param_groups(m)["lm_head"]


def _attention_width(m: ModelConfig, phase: str) -> int:
    # sum of the score (q.k) and value widths per head; MLA decode runs on the
    # absorbed latent (512 + 64 for scores, 512 for values), prefill decompressed
    if m.attention == "mla":
        if phase == "decode":
            return (m.kv_lora_rank + m.qk_rope_head_dim) + m.kv_lora_rank
        return (m.qk_nope_head_dim + m.qk_rope_head_dim) + m.v_head_dim
    return 2 * m.head_dim


def attention_flops_decode(m: ModelConfig, context):
    """FLOPs of one decoded token attending to ``context`` earlier tokens [FLOP].

    ``2 x heads x (d_score + d_value) x context`` per layer, sliding-window
    layers capped at their window.

    Parameters
    ----------
    m : ModelConfig
        The model (from :func:`get`) [-].
    context : float or array_like
        Earlier tokens attended to [tokens].

    Returns
    -------
    float or numpy.ndarray
        FLOPs [FLOP].

    Examples
    --------
    >>> attention_flops_decode(get("llama-2-70b"), 1000) / 1e9   # 80 x 2 x 64 x 256 x 1000
    2.62144
    """
    context = np.asarray(context, dtype=float)
    per_layer = 2.0 * m.n_heads * _attention_width(m, "decode")
    full = m.n_layers - m.n_sliding_layers
    window = np.minimum(context, m.sliding_window) if m.n_sliding_layers else 0.0
    result = per_layer * (full * context + m.n_sliding_layers * window)
    return float(result) if np.ndim(result) == 0 else result


def attention_flops_prefill(m: ModelConfig, length):
    """FLOPs of the causal attention of a whole prompt of ``length`` tokens [FLOP].

    Token ``i`` attends to ``i`` tokens, so the sum is ``length^2 / 2`` token-pairs
    (sliding-window layers: at most ``window`` pairs per token).

    Parameters
    ----------
    m : ModelConfig
        The model (from :func:`get`) [-].
    length : float or array_like
        Prompt length [tokens].

    Returns
    -------
    float or numpy.ndarray
        FLOPs of the whole prompt [FLOP].

    Examples
    --------
    >>> attention_flops_prefill(get("llama-2-70b"), 1000) / 1e12   # 80 x 2 x 64 x 256 x 1000^2 / 2
    1.31072
    """
    length = np.asarray(length, dtype=float)
    per_layer = 2.0 * m.n_heads * _attention_width(m, "prefill")
    full = m.n_layers - m.n_sliding_layers
    windowed = np.minimum(length, m.sliding_window) * length if m.n_sliding_layers else 0.0
    result = per_layer * (full * length**2 / 2.0 + m.n_sliding_layers * windowed)
    return float(result) if np.ndim(result) == 0 else result


def flops_per_token(m: ModelConfig, phase: str, context):
    """FLOPs per token of prefill or decode, attention over the context included [FLOP].

    Parameters
    ----------
    m : ModelConfig
        The model (from :func:`get`) [-].
    phase : {"prefill", "decode"}
        ``prefill``: average per prompt token of a prompt of length ``context``
        (the ``lm_head`` runs once, for the last token).  ``decode``: one new
        token with ``context`` tokens before it.
    context : float or array_like
        Prompt length or context length [tokens].

    Returns
    -------
    float or numpy.ndarray
        FLOPs per token [FLOP].

    Examples
    --------
    >>> m = get("llama-2-70b")
    >>> round(flops_per_token(m, "decode", 0) / 1e9, 1)    # 2 x 68.7 B active parameters
    137.4
    """
    context = np.asarray(context, dtype=float)
    if phase == "decode":
        result = linear_flops_per_token(m) + attention_flops_decode(m, context)
    elif phase == "prefill":
        length = np.maximum(context, 1.0)
        lm_head = 2.0 * param_groups(m)["lm_head"]
        result = linear_flops_per_token(m, with_lm_head=False) + lm_head / length
        result = result + attention_flops_prefill(m, length) / length
    else:
        raise ValueError(f"phase must be 'prefill' or 'decode', not {phase!r}")
    return float(result) if np.ndim(result) == 0 else result


def distinct_experts(n_experts, top_k, tokens):
    """Expected number of distinct routed experts that ``tokens`` tokens hit in one layer.

    Each token picks ``top_k`` of ``n_experts`` experts; with uniform routing
    an expert is missed by one token with probability ``1 - top_k / n_experts``.

    Parameters
    ----------
    n_experts, top_k : int
        Routed experts per layer and experts per token [-].
    tokens : float or array_like
        Tokens in the step [-].

    Returns
    -------
    float or numpy.ndarray
        Expected distinct experts [-].

    Examples
    --------
    >>> distinct_experts(256, 8, 1)
    8.0
    >>> round(float(distinct_experts(256, 8, 256)), 1)   # nearly all experts at batch 256
    255.9
    """
    tokens = np.asarray(tokens, dtype=float)
    result = n_experts * (1.0 - (1.0 - top_k / n_experts) ** tokens)
    return float(result) if result.ndim == 0 else result


def summary():
    """The catalog with its derived sizes, one row per model.

    Returns
    -------
    pandas.DataFrame
        ``model, total_params_b, active_params_b, weights_bf16_gb, weights_fp8_gb,
        weights_fp4_gb, kv_bf16_kib_per_token, kv_fp8_kib_per_token,
        decode_gflop_per_token_at_4k`` (params [1e9], bytes [GB = 1e9 B], KV [KiB], FLOPs [GFLOP]).
    """
    import pandas as pd

    rows = []
    for m in catalog().values():
        rows.append(
            {
                "model": m.name,
                "total_params_b": total_params(m) / 1e9,
                "active_params_b": active_params(m) / 1e9,
                "weights_bf16_gb": weight_bytes(m, "bf16") / 1e9,
                "weights_fp8_gb": weight_bytes(m, "fp8") / 1e9,
                "weights_fp4_gb": weight_bytes(m, "fp4") / 1e9,
                "kv_bf16_kib_per_token": kv_bytes_per_token(m, "bf16") / 1024,
                "kv_fp8_kib_per_token": kv_bytes_per_token(m, "fp8") / 1024,
                "decode_gflop_per_token_at_4k": flops_per_token(m, "decode", 4096) / 1e9,
            }
        )
    return pd.DataFrame(rows)


def _check(precision: str) -> str:
    if precision not in BYTES_PER_VALUE:
        raise KeyError(f"unknown precision {precision!r}; precisions: {', '.join(PRECISIONS)}")
    return precision
