"""Request routers: random, round-robin, least-loaded, and KV-aware with Dynamo's cost.

Dynamo's KV router (ai-dynamo/dynamo, ``docs/architecture/kv_cache_routing.md``)
scores each worker with

    cost = overlap_score_weight x prefill_blocks + decode_blocks

where ``prefill_blocks`` are the blocks the worker would still have to
prefill (the request's tokens not in its prefix cache, plus prompts already
queued there) and ``decode_blocks`` the KV blocks of its active sequences.
The weight defaults to 1; with ``temperature = 0`` the lowest cost wins (ties
at random), otherwise a worker is drawn with probability
``softmax(-(cost - min) / ((max - min) x temperature))``, the normalization of
the router's ``softmax_sample``.  Least-loaded is the same cost with the
overlap ignored (Dynamo: "when set to 0, the router ignores prefix caches
and uses pure load balancing"), here counting all queued and active blocks.

Costs are counted in the prefix cache's blocks (512 tokens, as the Mooncake
traces hash them); Dynamo counts in the engine's KV blocks (e.g. 16 tokens).
The choice is the same up to rounding: both terms scale by the block size.
"""

from __future__ import annotations

import math

import numpy as np

#: Routing policies the simulator knows.
POLICIES = ("random", "round_robin", "least_loaded", "kv")


def kv_costs(uncached_tokens, queued_prefill_tokens, active_tokens, block_tokens: int = 512,
             overlap_weight: float = 1.0) -> np.ndarray:
    """Dynamo's KV-router cost of each worker [blocks].

    Parameters
    ----------
    uncached_tokens : array_like
        The request's prompt tokens not in each worker's prefix cache [tokens].
    queued_prefill_tokens : array_like
        Prompt tokens already waiting to be prefilled on each worker [tokens].
    active_tokens : array_like
        KV tokens of each worker's active sequences [tokens].
    block_tokens : int
        Tokens per block [tokens].
    overlap_weight : float
        ``overlap_score_weight`` [-].

    Returns
    -------
    numpy.ndarray
        Cost per worker [blocks]; the router picks the lowest.

    Examples
    --------
    >>> # the worked example of Dynamo's documentation: prefill 8/5/2 blocks, decode 10/5/9
    >>> kv_costs([8, 5, 2], [0, 0, 0], [10, 5, 9], block_tokens=1).tolist()
    [18.0, 10.0, 11.0]
    """
    prefill = (np.asarray(uncached_tokens, dtype=float) + np.asarray(queued_prefill_tokens, dtype=float)) / block_tokens
    return overlap_weight * prefill + np.asarray(active_tokens, dtype=float) / block_tokens


def softmax_choice(costs, temperature: float, u: float) -> int:
    """The worker Dynamo's router picks for given costs, temperature and uniform draw ``u``.

    Parameters
    ----------
    costs : sequence of float
        Cost per worker [blocks].
    temperature : float
        Router temperature (0: lowest cost) [-].
    u : float
        A uniform draw in [0, 1): breaks ties at temperature 0, samples otherwise [-].

    Returns
    -------
    int
        Index of the chosen worker.

    Examples
    --------
    >>> softmax_choice([18.0, 10.0, 11.0], 0.0, 0.7)
    1
    >>> softmax_choice([0.0, 3.0, 9.0], 1.0, 0.99)     # probabilities 0.48, 0.34, 0.18
    2
    """
    lo, hi = min(costs), max(costs)
    if temperature == 0.0 or hi == lo:
        best = [i for i, c in enumerate(costs) if c == lo]
        return best[int(u * len(best))]
    scale = 1.0 / ((hi - lo) * temperature)
    weights = [math.exp(-(c - lo) * scale) for c in costs]
    target, total = u * sum(weights), 0.0
    for i, w in enumerate(weights):
        total += w
        if target < total:
            return i
    return len(costs) - 1


def prefix_overlap(blocks, holders: dict, candidates: int) -> list[int]:
    """Leading blocks of a prompt each worker holds, from a block -> workers index [blocks].

    Parameters
    ----------
    blocks : sequence of int
        The prompt's block ids in order [-].
    holders : dict
        Block id -> set of worker indices whose prefix cache holds it [-].
    candidates : int
        Number of workers [-].

    Returns
    -------
    list of int
        Per worker, the length of the prompt's leading run of blocks it holds [blocks].

    Examples
    --------
    >>> prefix_overlap([1, 2, 3], {1: {0, 1}, 2: {1}, 3: {0, 1}}, 3)
    [1, 3, 0]
    """
    overlap = [0] * candidates
    alive = None
    for depth, block in enumerate(blocks):
        have = holders.get(block)
        if not have:
            break
        alive = set(have) if alive is None else alive & have
        if not alive:
            break
        for w in alive:
            overlap[w] = depth + 1
    return overlap
