"""Request traces for the serving simulator: the public traces, seeded synthetic ones, and their prefix reuse.

A :class:`Trace` is a list of requests in arrival order: arrival time, prompt
and output length, and the ids of the prompt's 512-token blocks (equal ids
mean an equal prefix, as in the Mooncake traces' ``hash_ids``; Mooncake, Qin
et al., FAST 2025, appendix).  The public traces come from ``data/`` (the
Azure 2023 conversation and code traces, which carry no block ids, and the
Mooncake conversation and synthetic traces, which do); synthetic traces are
Poisson or bursty (a two-state Markov-modulated Poisson process), seeded.

Block ids are stored flat with offsets (CSR) so a 100,000-request trace costs
a few arrays, not 100,000 lists.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis import data

#: Tokens per prefix block, as the Mooncake traces hash them [tokens].
BLOCK_TOKENS = 512

#: Public traces (table ``trace_<name>`` in ``data/``).
PUBLIC = ("azure_conv", "azure_code", "mooncake_conv", "mooncake_synthetic")


@dataclass(frozen=True)
class Trace:
    """Requests in arrival order.

    Attributes
    ----------
    name : str
        Where the trace comes from.
    arrival_s : numpy.ndarray
        Arrival times, non-decreasing [s].
    input_tokens, output_tokens : numpy.ndarray
        Prompt and output lengths (integers) [tokens].
    block_ids : numpy.ndarray
        All prompts' block ids, concatenated [-].
    block_offsets : numpy.ndarray
        Request ``i`` owns ``block_ids[block_offsets[i]:block_offsets[i + 1]]`` [-].
    """

    name: str
    arrival_s: np.ndarray
    input_tokens: np.ndarray
    output_tokens: np.ndarray
    block_ids: np.ndarray
    block_offsets: np.ndarray

    def __len__(self) -> int:
        return len(self.arrival_s)

    def blocks(self, i: int) -> np.ndarray:
        """Block ids of request ``i`` [-]."""
        return self.block_ids[self.block_offsets[i]:self.block_offsets[i + 1]]

    @property
    def duration_s(self) -> float:
        """Time from the first to the last arrival [s]."""
        return float(self.arrival_s[-1] - self.arrival_s[0]) if len(self) else 0.0


def _unique_blocks(input_tokens: np.ndarray, start: int = 0) -> tuple[np.ndarray, np.ndarray]:
    # every request its own blocks: no prefix is shared
    counts = np.ceil(np.maximum(input_tokens, 1) / BLOCK_TOKENS).astype(np.int64)
    offsets = np.concatenate([[0], np.cumsum(counts)])
    return np.arange(start, start + offsets[-1], dtype=np.int64), offsets


def from_arrays(name: str, arrival_s, input_tokens, output_tokens, blocks=None) -> Trace:
    """A trace from plain arrays; requests without block ids get unique ones.

    Parameters
    ----------
    name : str
        Label of the trace.
    arrival_s : array_like
        Arrival times [s] (sorted here, stably).
    input_tokens, output_tokens : array_like
        Prompt and output lengths [tokens].
    blocks : list of array_like, optional
        Block ids per request [-].

    Examples
    --------
    >>> t = from_arrays("x", [0.0, 1.0], [600, 100], [10, 5], blocks=[[7, 8], [7]])
    >>> t.blocks(0).tolist(), t.blocks(1).tolist(), len(t)
    ([7, 8], [7], 2)
    """
    arrival = np.asarray(arrival_s, dtype=float)
    order = np.argsort(arrival, kind="stable")
    isl = np.asarray(input_tokens, dtype=np.int64)[order]
    osl = np.asarray(output_tokens, dtype=np.int64)[order]
    if blocks is None:
        ids, offsets = _unique_blocks(isl)
    else:
        per = [np.asarray(blocks[i], dtype=np.int64) for i in order]
        offsets = np.concatenate([[0], np.cumsum([len(b) for b in per])]).astype(np.int64)
        ids = np.concatenate(per) if per else np.zeros(0, dtype=np.int64)
    return Trace(name, arrival[order], isl, osl, ids, offsets)


def load(name: str) -> Trace:
    """A public trace from ``data/`` (:data:`PUBLIC`).

    Parameters
    ----------
    name : str
        One of :data:`PUBLIC`.

    Returns
    -------
    Trace
        Azure traces get unique block ids (they publish none).

    Examples
    --------
    >>> t = load("mooncake_conv")
    >>> len(t), int(t.input_tokens.max()) > 100_000
    (12031, True)
    """
    if name not in PUBLIC:
        raise KeyError(f"unknown trace {name!r}; traces: {', '.join(PUBLIC)}")
    table = data.load(f"trace_{name}").sort_values("request_index")
    isl = table["input_tokens"].to_numpy(dtype=np.int64)
    osl = table["output_tokens"].to_numpy(dtype=np.int64)
    arrival = table["arrival_s"].to_numpy(dtype=float)
    text = table["hash_ids"].fillna("").tolist()
    if not any(text):
        ids, offsets = _unique_blocks(isl)
        return Trace(name, arrival, isl, osl, ids, offsets)
    per = [np.array(s.split(), dtype=np.int64) for s in text]
    offsets = np.concatenate([[0], np.cumsum([len(b) for b in per])]).astype(np.int64)
    return Trace(name, arrival, isl, osl, np.concatenate(per), offsets)


def _lengths(rng, mean, n, sigma):
    # log-normal lengths with the given mean (sigma 0: all equal) [tokens]
    if sigma <= 0:
        return np.full(n, int(round(mean)), dtype=np.int64)
    draw = rng.lognormal(np.log(mean) - sigma**2 / 2.0, sigma, n)
    return np.maximum(np.round(draw), 1).astype(np.int64)


def poisson(rate_per_s: float, n: int, isl: float, osl: float, seed: int = 0, sigma: float = 0.0,
            prefix_share: float = 0.0, groups: int = 1) -> Trace:
    """Poisson arrivals with optional shared prefixes (a system prompt or document per group).

    Parameters
    ----------
    rate_per_s : float
        Mean arrival rate [requests/s].
    n : int
        Requests [-].
    isl, osl : float
        Mean prompt and output lengths [tokens].
    seed : int
        Seed of the generator [-].
    sigma : float
        Log-normal spread of the lengths (0: fixed lengths) [-].
    prefix_share : float
        Share of each prompt that is its group's shared prefix [-].
    groups : int
        Number of distinct shared prefixes, picked uniformly [-].

    Examples
    --------
    >>> t = poisson(10.0, 4000, 1024, 128, seed=1)
    >>> 9.5 < len(t) / t.duration_s < 10.5, int(t.input_tokens[0])
    (True, 1024)
    """
    rng = np.random.default_rng(seed)
    arrival = np.cumsum(rng.exponential(1.0 / rate_per_s, n))
    return _with_prefixes("poisson", rng, arrival - arrival[0], _lengths(rng, isl, n, sigma),
                          _lengths(rng, osl, n, sigma), prefix_share, groups)


def bursty(mean_rate_per_s: float, n: int, isl: float, osl: float, seed: int = 0, burst_factor: float = 4.0,
           burst_share: float = 0.2, mean_period_s: float = 60.0, sigma: float = 0.0) -> Trace:
    """Bursty arrivals: a Poisson process whose rate switches between a base and a burst level.

    The process stays in each state for exponential periods; the burst level is
    ``burst_factor`` times the base and takes ``burst_share`` of the time, both
    scaled so that the long-run rate is ``mean_rate_per_s``.

    Parameters
    ----------
    mean_rate_per_s : float
        Long-run arrival rate [requests/s].
    n : int
        Requests [-].
    isl, osl : float
        Mean prompt and output lengths [tokens].
    seed : int
        Seed [-].
    burst_factor : float
        Burst rate / base rate [-].
    burst_share : float
        Share of time in the burst state [-].
    mean_period_s : float
        Mean length of one base plus one burst period [s].
    sigma : float
        Log-normal spread of the lengths [-].

    Examples
    --------
    >>> t = bursty(5.0, 20000, 512, 64, seed=3)
    >>> 4.0 < len(t) / t.duration_s < 6.0
    True
    """
    rng = np.random.default_rng(seed)
    base = mean_rate_per_s / (1.0 - burst_share + burst_share * burst_factor)
    times, t, burst = [], 0.0, False
    while sum(len(x) for x in times) < n:
        period = rng.exponential(mean_period_s * (burst_share if burst else 1.0 - burst_share))
        rate = base * (burst_factor if burst else 1.0)
        k = rng.poisson(rate * period)
        times.append(np.sort(t + rng.uniform(0.0, period, k)))
        t += period
        burst = not burst
    arrival = np.concatenate(times)[:n]
    return _with_prefixes("bursty", rng, arrival - arrival[0], _lengths(rng, isl, n, sigma),
                          _lengths(rng, osl, n, sigma), 0.0, 1)


def _with_prefixes(name, rng, arrival, isl, osl, share, groups) -> Trace:
    if share <= 0:
        ids, offsets = _unique_blocks(isl)
        return Trace(name, arrival, isl, osl, ids, offsets)
    counts = np.ceil(isl / BLOCK_TOKENS).astype(np.int64)
    shared = np.minimum(np.floor(share * isl / BLOCK_TOKENS).astype(np.int64), counts)
    group = rng.integers(0, groups, len(isl))
    longest = int(shared.max()) if len(shared) else 0
    per, next_id = [], groups * (longest + 1)
    for g, s, c in zip(group, shared, counts):
        own = np.arange(next_id, next_id + c - s, dtype=np.int64)
        next_id += c - s
        per.append(np.concatenate([g * (longest + 1) + np.arange(s, dtype=np.int64), own]))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return Trace(name, arrival, isl, osl, np.concatenate(per), offsets)


def scaled(trace: Trace, load_factor: float) -> Trace:
    """The same requests arriving ``load_factor`` times as fast (load factor 2: half the gaps).

    Parameters
    ----------
    trace : Trace
        The trace.
    load_factor : float
        Rate multiplier [-].

    Examples
    --------
    >>> t = poisson(1.0, 100, 10, 10, seed=0)
    >>> round(scaled(t, 4.0).duration_s / t.duration_s, 3)
    0.25
    """
    a = trace.arrival_s
    return Trace(f"{trace.name} x{load_factor:g}", a[0] + (a - a[0]) / load_factor, trace.input_tokens,
                 trace.output_tokens, trace.block_ids, trace.block_offsets)


def head(trace: Trace, n: int) -> Trace:
    """The first ``n`` requests.

    Parameters
    ----------
    trace : Trace
        The trace.
    n : int
        Requests to keep [-].
    """
    end = trace.block_offsets[n]
    return Trace(trace.name, trace.arrival_s[:n], trace.input_tokens[:n], trace.output_tokens[:n],
                 trace.block_ids[:end], trace.block_offsets[:n + 1])


def thinned_reuse(trace: Trace, keep: float, seed: int = 0) -> Trace:
    """The trace with prefix reuse thinned: each request keeps its shared blocks with probability ``keep``.

    A request that loses them gets fresh ids for all its blocks, so reuse falls
    roughly in proportion while lengths and arrivals stay as they are.

    Parameters
    ----------
    trace : Trace
        The trace.
    keep : float
        Probability a request keeps its block ids [-].
    seed : int
        Seed [-].

    Examples
    --------
    >>> t = load("mooncake_conv")
    >>> prefix_reuse(thinned_reuse(t, 0.0)) == 0.0
    True
    """
    rng = np.random.default_rng(seed)
    ids = trace.block_ids.copy()
    fresh = int(ids.max()) + 1 if len(ids) else 0
    for i in np.flatnonzero(rng.random(len(trace)) >= keep):
        a, b = trace.block_offsets[i], trace.block_offsets[i + 1]
        ids[a:b] = np.arange(fresh, fresh + b - a)
        fresh += b - a
    return Trace(f"{trace.name} reuse x{keep:g}", trace.arrival_s, trace.input_tokens, trace.output_tokens, ids,
                 trace.block_offsets)


def prefix_reuse(trace: Trace) -> float:
    """Share of prompt blocks already seen in an earlier request: the hit rate of an unbounded prefix cache [-].

    Only a leading run of seen blocks counts (a prefix cache can reuse a block
    only if all blocks before it match).

    Parameters
    ----------
    trace : Trace
        The trace.

    Examples
    --------
    >>> prefix_reuse(from_arrays("x", [0, 1, 2], [1024, 1024, 1024], [1, 1, 1], [[1, 2], [1, 3], [4, 2]]))
    0.16666666666666666
    """
    seen: set[int] = set()
    hits = 0
    for i in range(len(trace)):
        blocks = trace.blocks(i).tolist()
        k = 0
        while k < len(blocks) and blocks[k] in seen:
            k += 1
        hits += k
        seen.update(blocks)
    return hits / max(len(trace.block_ids), 1)


def summary(trace: Trace) -> dict:
    """Size, rate, lengths and prefix reuse of a trace.

    Parameters
    ----------
    trace : Trace
        The trace.

    Returns
    -------
    dict
        ``requests`` [-], ``duration_s`` [s], ``rate_per_s`` [requests/s],
        ``mean_input_tokens, mean_output_tokens`` [tokens], ``prefix_reuse`` [-].
    """
    return {"trace": trace.name, "requests": len(trace), "duration_s": trace.duration_s,
            "rate_per_s": len(trace) / max(trace.duration_s, 1e-9),
            "mean_input_tokens": float(trace.input_tokens.mean()), "mean_output_tokens": float(trace.output_tokens.mean()),
            "prefix_reuse": prefix_reuse(trace)}
