"""Compute per answer: a one-shot answer from a dense model against a long reasoning trace.

One answer costs the prefill of its prompt plus one decode step per
generated token, each step multiplying by the model's weights and attending
to every earlier token (:mod:`analysis.models` gives both per token).  The
decode context grows by one per token, so a trace of ``T`` tokens after a
prompt of ``P`` tokens attends to ``T P + T (T - 1) / 2`` earlier tokens in
all.

The keynote's "20x more tokens, 150x more compute" is recomputed here on
several bases (:data:`BASES`): FLOPs per token equal, weights only, weights
plus attention, and the same with every parameter of the mixture-of-experts
model counted as if it were dense.

Conventions are those of :mod:`analysis.models` (a multiply-add is 2 FLOPs;
the input embedding is a look-up, not a matrix multiply).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import data, models, scaling

#: The models of the demo as modelled here: the "traditional LLM" (the demo said
#: Llama; its size was not stated, a 70B is assumed) and the reasoning model.
ONE_SHOT_MODEL = "llama-3.3-70b"
REASONING_MODEL = "deepseek-r1"


@dataclass(frozen=True)
class Basis:
    """One way of counting FLOPs per answer.

    Attributes
    ----------
    key : str
        Stable id.
    label : str
        What the basis counts.
    weights : {"none", "active", "all"}
        Weight FLOPs per token: none (every token costs the same), the
        parameters a token uses, or every parameter as if the model were dense.
    attention : bool
        Whether attention over the context is counted.
    like_for_like : bool
        The basis that counts what each model computes (active weights and attention).
    """

    key: str
    label: str
    weights: str
    attention: bool
    like_for_like: bool = False


#: The bases of the S3 table, from the token count alone to every parameter counted.
BASES = (
    Basis("tokens", "Tokens only (equal FLOPs per token)", "none", False),
    Basis("active", "Active weights, no attention", "active", False),
    Basis("active_attention", "Active weights + attention over the context", "active", True, like_for_like=True),
    Basis("all", "All weights as if dense, no attention", "all", False),
    Basis("all_attention", "All weights as if dense + attention", "all", True),
)


def basis(key: str) -> Basis:
    """The :data:`BASES` entry ``key``; the error lists the valid keys.

    Parameters
    ----------
    key : str
        Basis id [-].
    """
    for b in BASES:
        if b.key == key:
            return b
    raise KeyError(f"no basis {key!r}; bases: {', '.join(b.key for b in BASES)}")


def weight_flops_per_token(m: models.ModelConfig, weights: str) -> float:
    """Matrix-multiply FLOPs per token from the weights [FLOP].

    Parameters
    ----------
    m : ModelConfig
        The model [-].
    weights : {"active", "all"}
        Count the parameters a token uses, or every matrix parameter as if dense [-].

    Returns
    -------
    float
        FLOPs per token [FLOP].

    Examples
    --------
    >>> r1 = models.get("deepseek-r1")
    >>> round(weight_flops_per_token(r1, "active") / 1e9, 1), round(weight_flops_per_token(r1, "all") / 1e9, 1)
    (73.2, 1340.2)
    """
    if weights == "active":
        return models.linear_flops_per_token(m)
    if weights == "all":
        return 2.0 * (models.total_params(m) - models.param_groups(m)["embedding"])
    raise ValueError(f"weights must be 'active' or 'all', not {weights!r}")


def answer_flops(m: models.ModelConfig, prompt_tokens, output_tokens, weights: str = "active", attention: bool = True):
    """FLOPs of one answer: prefill of the prompt plus decode of every output token [FLOP].

    Vectorized over ``output_tokens`` (and ``prompt_tokens``) by the closed form of the
    growing context: decode attention is linear in the context, so its sum over
    the trace is the per-context-token cost times ``T P + T (T - 1) / 2``.

    Parameters
    ----------
    m : ModelConfig
        The model [-].
    prompt_tokens : float or array_like
        Prompt length [tokens].
    output_tokens : float or array_like
        Generated tokens, reasoning included [tokens].
    weights : {"active", "all"}
        See :func:`weight_flops_per_token` [-].
    attention : bool
        Count attention over the context [-].

    Returns
    -------
    float or numpy.ndarray
        FLOPs of the answer [FLOP].

    Examples
    --------
    >>> llama = models.get("llama-3.3-70b")
    >>> f = answer_flops(llama, 0, 400, attention=False)
    >>> bool(np.isclose(f, 400 * 2 * models.active_params(llama)))
    True
    """
    p = np.asarray(prompt_tokens, dtype=float)
    t = np.asarray(output_tokens, dtype=float)
    per_token = weight_flops_per_token(m, weights)
    # prompt tokens skip the lm_head: only output tokens are projected onto the vocabulary
    prefill = p * (per_token - 2.0 * models.param_groups(m)["lm_head"])
    decode = t * per_token
    if attention:
        per_context_token = models.attention_flops_decode(m, 1.0)
        prefill = prefill + models.attention_flops_prefill(m, p)
        decode = decode + per_context_token * (t * p + t * (t - 1.0) / 2.0)
    result = prefill + decode
    return float(result) if np.ndim(result) == 0 else result


def flops_ratio(b: Basis, oneshot_tokens, reasoning_tokens, prompt_tokens, oneshot_model: str = ONE_SHOT_MODEL,
                reasoning_model: str = REASONING_MODEL):
    """Compute of the reasoning answer over the one-shot answer on basis ``b`` [x].

    The one-shot model is dense, so its "all" and "active" weights coincide
    (up to its embedding, a look-up in both counts).

    Parameters
    ----------
    b : Basis
        The counting basis [-].
    oneshot_tokens, reasoning_tokens : float or array_like
        Tokens generated by each model [tokens].
    prompt_tokens : float or array_like
        Prompt length, the same for both [tokens].
    oneshot_model, reasoning_model : str
        Model ids of ``data/models.csv`` [-].

    Returns
    -------
    float or numpy.ndarray
        Ratio [x].

    Examples
    --------
    >>> round(flops_ratio(basis("tokens"), 400, 8000, 150), 1)
    20.0
    >>> round(flops_ratio(basis("active"), 400, 8000, 0), 2)   # 8000 x 36.6 B / (400 x 69.5 B)
    10.54
    """
    if b.weights == "none":
        result = np.asarray(reasoning_tokens, dtype=float) / np.asarray(oneshot_tokens, dtype=float)
        return float(result) if np.ndim(result) == 0 else result
    one, reason = models.get(oneshot_model), models.get(reasoning_model)
    num = answer_flops(reason, prompt_tokens, reasoning_tokens, b.weights, b.attention)
    den = answer_flops(one, prompt_tokens, oneshot_tokens, b.weights, b.attention)
    return num / den


def demo_inputs(which: str = "value") -> dict:
    """The demo's token counts and prompt length from ``scaling_assumptions``.

    Parameters
    ----------
    which : {"value", "low", "high"}
        Central values or one end of every range [-].

    Returns
    -------
    dict
        ``oneshot_tokens, reasoning_tokens, prompt_tokens`` [tokens].
    """
    frame = data.load("scaling_assumptions")
    return {"oneshot_tokens": scaling.assumption("demo_oneshot_tokens", which, frame),
            "reasoning_tokens": scaling.assumption("demo_reasoning_tokens", which, frame),
            "prompt_tokens": scaling.assumption("demo_prompt_tokens", which, frame)}


def ratio_table(inputs: dict | None = None) -> pd.DataFrame:
    """The S3 ratio on every basis of :data:`BASES`, with each answer's FLOPs.

    Parameters
    ----------
    inputs : dict, optional
        ``oneshot_tokens, reasoning_tokens, prompt_tokens`` [tokens]; default :func:`demo_inputs`.

    Returns
    -------
    pandas.DataFrame
        ``key, basis, like_for_like, oneshot_tflop, reasoning_tflop, ratio`` ([TFLOP], [x]);
        TFLOPs are empty on the tokens-only basis.
    """
    inputs = demo_inputs() if inputs is None else inputs
    one, reason = models.get(ONE_SHOT_MODEL), models.get(REASONING_MODEL)
    rows = []
    for b in BASES:
        ratio = flops_ratio(b, inputs["oneshot_tokens"], inputs["reasoning_tokens"], inputs["prompt_tokens"])
        if b.weights == "none":
            f_one = f_reason = np.nan
        else:
            f_one = answer_flops(one, inputs["prompt_tokens"], inputs["oneshot_tokens"], b.weights, b.attention)
            f_reason = answer_flops(reason, inputs["prompt_tokens"], inputs["reasoning_tokens"], b.weights, b.attention)
        rows.append({"key": b.key, "basis": b.label, "like_for_like": b.like_for_like,
                     "oneshot_tflop": f_one / 1e12, "reasoning_tflop": f_reason / 1e12, "ratio": ratio})
    return pd.DataFrame(rows)


def tokens_for_ratio(b: Basis, target_ratio: float, oneshot_tokens: float, prompt_tokens: float,
                     max_tokens: float = 1e7) -> float:
    """Reasoning tokens at which the ratio on basis ``b`` reaches ``target_ratio`` [tokens].

    The ratio grows monotonically with the reasoning tokens, so a bisection on
    a logarithmic scale finds it (NaN if even ``max_tokens`` falls short).

    Parameters
    ----------
    b : Basis
        The counting basis [-].
    target_ratio : float
        Ratio to reach [x].
    oneshot_tokens, prompt_tokens : float
        One-shot answer length and prompt length [tokens].
    max_tokens : float
        Upper end of the search [tokens].

    Returns
    -------
    float
        Reasoning tokens [tokens].

    Examples
    --------
    >>> round(tokens_for_ratio(basis("tokens"), 150, 400, 150))
    60000
    """
    def ratio(t):
        return flops_ratio(b, oneshot_tokens, t, prompt_tokens)

    lo, hi = 1.0, float(max_tokens)
    if ratio(hi) < target_ratio:
        return float("nan")
    for _ in range(200):
        mid = np.sqrt(lo * hi)
        if ratio(mid) < target_ratio:
            lo = mid
        else:
            hi = mid
        if hi / lo < 1 + 1e-12:
            break
    return float(hi)


def params_for_ratio(target_ratio: float, inputs: dict | None = None) -> float:
    """Weight parameters per token the reasoning model would need for ``target_ratio`` (attention counted) [-].

    Solves ``answer_flops(reasoning) = target x answer_flops(one-shot)`` for the
    parameters multiplied per token, keeping the reasoning model's attention.

    Parameters
    ----------
    target_ratio : float
        Ratio to reach [x].
    inputs : dict, optional
        Demo inputs (:func:`demo_inputs`) [tokens].

    Returns
    -------
    float
        Parameters per token [-].
    """
    inputs = demo_inputs() if inputs is None else inputs
    one, reason = models.get(ONE_SHOT_MODEL), models.get(REASONING_MODEL)
    p, t = inputs["prompt_tokens"], inputs["reasoning_tokens"]
    den = answer_flops(one, p, inputs["oneshot_tokens"], "active", True)
    attention = answer_flops(reason, p, t, "active", True) - answer_flops(reason, p, t, "active", False)
    return (target_ratio * den - attention) / (2.0 * (p + t))


def sensitivity_table(reasoning_tokens=None, inputs: dict | None = None) -> pd.DataFrame:
    """The ratio against the reasoning trace's length on each weight basis (for the chapter's figure).

    Parameters
    ----------
    reasoning_tokens : array_like, optional
        Trace lengths; default 61 lengths from 1,000 to 100,000 [tokens].
    inputs : dict, optional
        Demo inputs (:func:`demo_inputs`) [tokens].

    Returns
    -------
    pandas.DataFrame
        ``basis, reasoning_tokens, ratio`` ([tokens], [x]).
    """
    inputs = demo_inputs() if inputs is None else inputs
    t = np.logspace(3, 5, 61) if reasoning_tokens is None else np.asarray(reasoning_tokens, dtype=float)
    frames = [pd.DataFrame({"basis": b.label, "reasoning_tokens": t,
                            "ratio": flops_ratio(b, inputs["oneshot_tokens"], t, inputs["prompt_tokens"])})
              for b in BASES]
    return pd.concat(frames, ignore_index=True)


def range_table() -> pd.DataFrame:
    """The like-for-like ratio as each demo input moves across its range, the others central.

    Returns
    -------
    pandas.DataFrame
        ``input, end, value, ratio`` ([tokens], [x]).
    """
    central = demo_inputs()
    b = next(x for x in BASES if x.like_for_like)
    rows = []
    for name in central:
        for end in ("low", "high"):
            inputs = dict(central)
            inputs[name] = demo_inputs(end)[name]
            rows.append({"input": name, "end": end, "value": inputs[name],
                         "ratio": flops_ratio(b, inputs["oneshot_tokens"], inputs["reasoning_tokens"],
                                              inputs["prompt_tokens"])})
    return pd.DataFrame(rows)
