"""A discrete-event simulator of a cluster serving a request trace, with step times from :mod:`analysis.perf`.

**Engines.**  A worker is one serving engine on ``tp x dp`` GPUs.  Its step
time is never modelled here: :func:`engine` tabulates
:func:`analysis.perf.step_time` once on a grid of decode batch (0 to
``max_batch`` per attention-DP rank) by prefill tokens (0 to the chunk), and
the simulator interpolates.  Attention is separated out of the table so the
actual contexts count: decode attention is linear in the summed context of
the batch (coefficient read off ``perf.step_time`` at one context), prefill
attention of a chunk is tabulated against the chunk's mean position.  A step
that mixes decode and prefill adds the two attention costs (``perf`` takes the
larger of compute and memory time over both), a slight overestimate.

**Aggregated workers** run continuous batching with chunked prefill: each
step decodes one token of every running sequence and prefills up to
``chunk_tokens`` prompt tokens (per rank), first come first served.  A request
is admitted when its prompt and output fit in the KV cache
(:func:`analysis.perf.kv_capacity`, i.e. the memory model; the simulator
knows each request's output length, a real engine would preempt instead).
The prefix cache holds 512-token blocks (the Mooncake traces' granularity)
in LRU order in the KV memory that active sequences leave free; a prompt
reuses its leading run of cached blocks.

**Disaggregated clusters** have prefill workers (prefill only, batched up to
the chunk) and decode workers; a prefilled request's KV cache crosses NVLink
when both pools share an NVLink domain, else the NIC
(:func:`analysis.perf.kv_transfer_s`), one transfer at a time per prefill
worker, then waits for room on a decode worker.

**Events** are engine steps, not tokens: a run of pure decode steps with the
same batch is one event (it ends at the next completion, or early when a new
request arrives), so 100,000 requests on 32 workers take seconds.

**Metrics** (:func:`summarize`).  TTFT = first token time - arrival, plus the
engine's fixed first-token time (``Params.ttft_overhead_*``).  ITL = the time
between two consecutive output tokens of a request (one decode step, longer
when the step also carries a prefill chunk).  TPOT = (last token - first
token) / (output tokens - 1), a request's mean ITL.  TBT (Mooncake's
definition) = the mean of a request's longest 10% ITLs.  Goodput = requests
meeting the TTFT and TPOT targets per second per GPU.
"""

from __future__ import annotations

import heapq
import math
from collections import OrderedDict, deque
from dataclasses import dataclass

import numpy as np

from analysis import models, perf, routing, systems, traces

#: Points of the prefill axis of an engine's step table [-].
PREFILL_GRID = 33

#: Prompt lengths at which prefill attention is tabulated (log-spaced) [tokens].
PREFILL_LENGTHS = np.geomspace(16.0, 1_048_576.0, 49)


@dataclass(frozen=True)
class Engine:
    """One worker's step-time table and memory, from :mod:`analysis.perf`.

    Attributes
    ----------
    hardware, model, precision, backend : str
        Hardware id, model id, weight format and engine.
    tp, dp, moe_tp, moe_ep : int
        The engine's layout (:class:`analysis.perf.Layout`) [-].
    chunk_tokens : int
        Prefill tokens per step per rank [tokens].
    max_batch : int
        Decoding sequences per rank at most [-].
    kv_tokens : float
        KV-cache tokens per rank next to the weights [tokens].
    nonattn_s : numpy.ndarray
        Step time without attention, shape ``(max_batch + 1, PREFILL_GRID)`` [s].
    decode_attn_s_per_token : float
        Decode attention per context token of the batch (per rank) [s].
    prefill_attn_s_per_token : numpy.ndarray
        Prefill attention per prompt token at :data:`PREFILL_LENGTHS` [s].
    ttft_overhead_s : float
        The engine's fixed time to first token [s].
    transfer_s_per_token_nvlink, transfer_s_per_token_nic, transfer_latency_s : float
        KV transfer of a prompt from this engine: per prompt token over NVLink and the NIC, and fixed [s].
    domain : int
        GPUs in one NVLink domain [-].
    power_kw : float
        System power per GPU [kW].
    """

    hardware: str
    model: str
    precision: str
    backend: str
    tp: int
    dp: int
    moe_tp: int
    moe_ep: int
    chunk_tokens: int
    max_batch: int
    kv_tokens: float
    nonattn_s: np.ndarray
    decode_attn_s_per_token: float
    prefill_attn_s_per_token: np.ndarray
    ttft_overhead_s: float
    transfer_s_per_token_nvlink: float
    transfer_s_per_token_nic: float
    transfer_latency_s: float
    domain: int
    power_kw: float

    @property
    def gpus(self) -> int:
        """GPUs of the engine [-]."""
        return self.tp * self.dp

    @property
    def layout(self) -> dict:
        """The layout as :mod:`analysis.perf` takes it [-]."""
        return {k: np.array([getattr(self, k)]) for k in ("tp", "dp", "moe_tp", "moe_ep")}

    def step_s(self, decode_seqs: float, context_tokens: float, prefill=()) -> float:
        """Time of one step [s].

        Parameters
        ----------
        decode_seqs : float
            Sequences decoding one token, all ranks [-].
        context_tokens : float
            Their summed context [tokens].
        prefill : sequence of (int, int)
            ``(tokens, start position)`` of each prompt chunk in the step [tokens].
        """
        return _step_function(self)(decode_seqs, context_tokens, prefill)


def engine(hardware_id: str, model_id: str, precision: str, tp: int, dp: int = 1, moe_tp=None, moe_ep: int = 1,
           params=None, backend: str = "vllm", chunk_tokens: int = 8192, max_batch: int = 512) -> Engine:
    """Tabulate one engine's step times with :func:`analysis.perf.step_time`.

    Parameters
    ----------
    hardware_id, model_id : str
        Hardware (:data:`analysis.systems.HARDWARE`) and model of ``models.csv`` [-].
    precision : {"bf16", "fp8", "fp4"}
        Weight format [-].
    tp, dp, moe_tp, moe_ep : int
        Layout; ``moe_tp`` defaults to ``tp x dp / moe_ep`` [-].
    params : analysis.perf.Params, optional
        Performance-model parameters; default :func:`analysis.perf.parameters` [units per field].
    backend : str
        Engine, one of :data:`analysis.perf.BACKENDS` [-].
    chunk_tokens : int
        Prefill tokens per step per rank [tokens].
    max_batch : int
        Decoding sequences per rank at most [-].

    Returns
    -------
    Engine

    Raises
    ------
    ValueError
        If the weights do not fit in the engine's memory.

    Examples
    --------
    >>> e = engine("h100", "llama-3.3-70b", "fp8", tp=8, params=perf.ROOFLINE, max_batch=64)
    >>> e.gpus, e.kv_tokens > 1e6, round(e.step_s(1, 1000) * 1e3, 1)   # ~70 GB of weights over 8 x 3.35 TB/s
    (8, True, 2.6)
    """
    p = perf.parameters() if params is None else params
    h, m = systems.get(hardware_id), models.get(model_id)
    moe_tp = tp * dp // moe_ep if moe_tp is None else moe_tp
    lay = {"tp": np.array([tp]), "dp": np.array([dp]), "moe_tp": np.array([moe_tp]), "moe_ep": np.array([moe_ep])}
    bidx = perf.backend_index(backend)
    ref = 4096.0
    c_ref = perf.constants(m, precision, h, ref, 0.0)
    if float(perf.kv_capacity(perf.constants(m, precision, h, 1.0, 0.0), lay)[0]) < ref:
        raise ValueError(f"{model_id} in {precision} does not fit on {tp * dp} x {hardware_id} (tp {tp}, dp {dp})")
    b = np.arange(max_batch + 1, dtype=float)[:, None]
    pf = np.linspace(0.0, float(chunk_tokens), PREFILL_GRID)[None, :]
    grid = perf.step_time(c_ref, p, lay, bidx, b, pf)
    nonattn = np.asarray(grid["total"] - grid["attention"], dtype=float)
    decode_attn = float(np.ravel(perf.step_time(c_ref, p, lay, bidx, 1.0, 0.0)["attention"])[0]) / ref
    c_len = perf.constants(m, precision, h, PREFILL_LENGTHS, 0.0)
    prefill_attn = np.ravel(perf.step_time(c_len, p, lay, bidx, 0.0, 1.0)["attention"]).astype(float)
    kv_tokens = float(perf.kv_capacity(perf.constants(m, precision, h, 1.0, 0.0), lay)[0])
    transfer = {}
    for same in (True, False):
        t1, t2 = (float(np.ravel(perf.kv_transfer_s(perf.constants(m, precision, h, n, 0.0), p, lay, same))[0])
                  for n in (1000.0, 2000.0))
        transfer[same] = ((t2 - t1) / 1000.0, t1 - (t2 - t1))
    return Engine(hardware_id, model_id, precision, backend, tp, dp, moe_tp, moe_ep, int(chunk_tokens), int(max_batch),
                  kv_tokens, nonattn, decode_attn, prefill_attn, float(getattr(p, f"ttft_overhead_{backend}_s")),
                  transfer[True][0], transfer[False][0], transfer[True][1], int(h.nvlink_domain), float(h.power_kw))


def _step_function(e: Engine):
    # plain-Python interpolation of the engine's table: the simulator calls it once per event
    rows = e.nonattn_s.tolist()
    top = len(rows) - 2
    cell = e.chunk_tokens / (PREFILL_GRID - 1)
    dp, a_dec = float(e.dp), e.decode_attn_s_per_token
    lengths = PREFILL_LENGTHS
    log0, dlog = math.log(lengths[0]), math.log(lengths[1] / lengths[0])
    attn = e.prefill_attn_s_per_token.tolist()
    last = len(attn) - 2

    def step(b, ctx, parts):
        x = b / dp
        i = min(int(x), top)
        fb = x - i
        p_rank = sum(n for n, _ in parts) / dp
        y = p_rank / cell
        j = min(int(y), PREFILL_GRID - 2)
        fj = y - j
        r0, r1 = rows[i], rows[i + 1]
        v0 = r0[j] + (r0[j + 1] - r0[j]) * fj
        v1 = r1[j] + (r1[j + 1] - r1[j]) * fj
        t = v0 + (v1 - v0) * fb + a_dec * ctx / dp
        for n, start in parts:
            z = (math.log(max(2.0 * start + n, 16.0)) - log0) / dlog
            k = min(int(z), last)
            t += n / dp * (attn[k] + (attn[k + 1] - attn[k]) * (z - k))
        return t

    return step


@dataclass(frozen=True)
class Cluster:
    """What serves the trace.

    Attributes
    ----------
    engine : Engine
        The aggregated workers' engine, or the decode workers' in a disaggregated cluster.
    workers : int
        Workers of that engine [-].
    prefill_engine : Engine, optional
        The prefill workers' engine (disaggregated cluster).
    prefill_workers : int
        Prefill workers (0: aggregated) [-].
    same_domain : bool
        Whether prefill and decode workers share an NVLink domain (KV over NVLink, else the NIC).
    prefix_cache : bool
        Whether workers reuse cached prefix blocks.
    """

    engine: Engine
    workers: int
    prefill_engine: Engine | None = None
    prefill_workers: int = 0
    same_domain: bool = True
    prefix_cache: bool = True

    @property
    def disaggregated(self) -> bool:
        """True with separate prefill workers."""
        return self.prefill_workers > 0

    @property
    def gpus(self) -> int:
        """GPUs of the cluster [-]."""
        pre = self.prefill_engine.gpus * self.prefill_workers if self.disaggregated else 0
        return self.engine.gpus * self.workers + pre


@dataclass(frozen=True)
class Result:
    """A simulation's per-request outcomes and per-worker activity.

    Attributes
    ----------
    arrival_s, first_token_s, finish_s : numpy.ndarray
        Per request: arrival, first token out of the engine and last token [s].
    input_tokens, output_tokens, cached_tokens : numpy.ndarray
        Per request: prompt, output and prompt tokens served from the prefix cache [tokens].
    tbt_s : numpy.ndarray
        Per request: mean of its longest 10% inter-token latencies (NaN unless asked for) [s].
    itl_s, itl_weight : numpy.ndarray
        Distinct step durations seen by decoding tokens and how many tokens saw each [s], [-].
    busy_s : numpy.ndarray
        Busy time of each worker (prefill workers last) [s].
    prefill_worker : numpy.ndarray
        Per worker, whether it is a prefill worker [bool].
    gpus : int
        GPUs of the cluster [-].
    power_kw : float
        System power of the cluster [kW].
    ttft_overhead_s : float
        The engine's fixed first-token time, added to every TTFT [s].
    """

    arrival_s: np.ndarray
    first_token_s: np.ndarray
    finish_s: np.ndarray
    input_tokens: np.ndarray
    output_tokens: np.ndarray
    cached_tokens: np.ndarray
    tbt_s: np.ndarray
    itl_s: np.ndarray
    itl_weight: np.ndarray
    busy_s: np.ndarray
    prefill_worker: np.ndarray
    gpus: int
    power_kw: float
    ttft_overhead_s: float = 0.0

    @property
    def ttft_s(self) -> np.ndarray:
        """Time to first token per request, the engine's fixed first-token time included [s]."""
        return self.first_token_s - self.arrival_s + self.ttft_overhead_s

    @property
    def tpot_s(self) -> np.ndarray:
        """Time per output token after the first, per request (NaN for one-token outputs) [s]."""
        n = self.output_tokens - 1.0
        return np.where(n > 0, (self.finish_s - self.first_token_s) / np.maximum(n, 1.0), np.nan)


class _Worker:
    __slots__ = ("idx", "prefill_only", "decode_only", "step", "busy", "t0", "dt", "k", "version", "steps", "heap", "b",
                 "ctx_base", "kv_used", "kv_cap", "pending", "prefilling", "queued", "cache", "cache_cap", "link_free",
                 "busy_s", "log_t", "log_dt", "log_k", "parts", "chunk", "max_b")

    def __init__(self, idx, e: Engine, prefill_only=False, decode_only=False):
        self.idx, self.prefill_only, self.decode_only = idx, prefill_only, decode_only
        self.step = _step_function(e)
        self.busy, self.t0, self.dt, self.k, self.version, self.steps = False, 0.0, 0.0, 0, 0, 0
        self.heap, self.b, self.ctx_base, self.kv_used = [], 0, 0.0, 0.0
        self.kv_cap = e.kv_tokens * e.dp
        self.pending, self.prefilling, self.queued = deque(), deque(), 0.0
        self.cache, self.cache_cap = OrderedDict(), int(self.kv_cap // traces.BLOCK_TOKENS)
        self.link_free, self.busy_s = 0.0, 0.0
        self.log_t, self.log_dt, self.log_k, self.parts = [], [], [], []
        self.chunk, self.max_b = e.chunk_tokens * e.dp, e.max_batch * e.dp


def simulate(cluster: Cluster, trace: traces.Trace, router: str = "round_robin", overlap_weight: float = 1.0,
             temperature: float = 0.0, seed: int = 0, concurrency: int | None = None, tbt: bool = False) -> Result:
    """Replay a trace on a cluster.

    Parameters
    ----------
    cluster : Cluster
        Workers and engines.
    trace : analysis.traces.Trace
        Requests in arrival order.
    router : {"random", "round_robin", "least_loaded", "kv"}
        How a request picks an aggregated (or prefill) worker (:mod:`analysis.routing`);
        decode workers of a disaggregated cluster are picked least loaded.
    overlap_weight, temperature : float
        The KV router's ``overlap_score_weight`` and temperature [-].
    seed : int
        Seed of the random router and of tie breaks [-].
    concurrency : int, optional
        Closed loop: this many requests in flight, the next one sent when one
        finishes (arrival times ignored) [-].
    tbt : bool
        Compute Mooncake's TBT per request (slower).

    Returns
    -------
    Result

    Examples
    --------
    >>> e = engine("h100", "llama-3.3-70b", "fp8", tp=8, params=perf.ROOFLINE, max_batch=64)
    >>> r = simulate(Cluster(e, 2), traces.poisson(2.0, 200, 1000, 100, seed=1))
    >>> bool((r.ttft_s > 0).all()), bool(np.nanmax(r.tpot_s) < 0.05)
    (True, True)
    """
    if router not in routing.POLICIES:
        raise ValueError(f"unknown router {router!r}; routers: {', '.join(routing.POLICIES)}")
    rng = np.random.default_rng(seed)
    n = len(trace)
    disagg = cluster.disaggregated
    front_engine = cluster.prefill_engine if disagg else cluster.engine
    front = [_Worker(i, front_engine, prefill_only=disagg) for i in range(cluster.prefill_workers if disagg else cluster.workers)]
    back = [_Worker(len(front) + i, cluster.engine, decode_only=True) for i in range(cluster.workers)] if disagg else []
    workers = front + back
    isl = trace.input_tokens.tolist()
    osl = trace.output_tokens.tolist()
    arrival = trace.arrival_s.astype(float).copy()
    first = [math.nan] * n
    finish = [math.nan] * n
    cached = [0] * n
    todo = [0] * n                      # prompt tokens still to prefill
    join = [(0, 0, 0)] * n              # (worker, log index at decode start, log index at finish)
    base = [0.0] * n                    # context at decode start minus the worker's step count then
    itl_dt, itl_w = [], []
    holders: dict = {}
    use_index = router == "kv" and cluster.prefix_cache
    e_front, e_back = front_engine, cluster.engine
    if disagg:
        per_token = e_front.transfer_s_per_token_nvlink if cluster.same_domain else e_front.transfer_s_per_token_nic
        latency = e_front.transfer_latency_s
    events: list = []
    seq = 0
    uniform = rng.random
    rr = [0]

    def push(t, kind, a, b=0):
        nonlocal seq
        seq += 1
        heapq.heappush(events, (t, seq, kind, a, b))

    def lookup(w, i):
        # leading cached blocks of request i on worker w; touches them
        if not cluster.prefix_cache:
            return 0
        hits = 0
        for blk in trace.blocks(i).tolist():
            if blk not in w.cache:
                break
            w.cache.move_to_end(blk)
            hits += 1
        return min(hits * traces.BLOCK_TOKENS, isl[i] - 1)

    def insert(w, i):
        if not cluster.prefix_cache:
            return
        room = w.cache_cap - int(w.kv_used // traces.BLOCK_TOKENS)
        for blk in trace.blocks(i).tolist():
            if blk in w.cache:
                w.cache.move_to_end(blk)
                continue
            w.cache[blk] = None
            if use_index:
                holders.setdefault(blk, set()).add(w.idx)
        while len(w.cache) > max(room, 0):
            old, _ = w.cache.popitem(last=False)
            if use_index:
                s = holders.get(old)
                if s is not None:
                    s.discard(w.idx)

    def route(i):
        if router == "random":
            return front[int(uniform() * len(front))]
        if router == "round_robin":
            rr[0] = (rr[0] + 1) % len(front)
            return front[rr[0]]
        if router == "least_loaded" or not cluster.prefix_cache:
            uncached = [isl[i]] * len(front)
        else:
            overlap = routing.prefix_overlap(trace.blocks(i).tolist(), holders, len(workers))
            uncached = [max(isl[i] - overlap[w.idx] * traces.BLOCK_TOKENS, 1) for w in front]
        costs = [overlap_weight * (u + w.queued) / traces.BLOCK_TOKENS + w.kv_used / traces.BLOCK_TOKENS
                 for u, w in zip(uncached, front)]
        return front[routing.softmax_choice(costs, temperature, uniform())]

    def start(w, t):
        # admit what fits, compose the next step (or a run of equal decode steps), schedule its end
        while w.pending:
            i = w.pending[0]
            need = isl[i] + osl[i]
            if w.kv_used + need > w.kv_cap and (w.b or w.prefilling):
                break
            if w.b + len(w.prefilling) >= w.max_b:
                break
            w.pending.popleft()
            w.kv_used += need
            if w.decode_only:
                _join(w, i, t)
                continue
            c = lookup(w, i)
            cached[i] = c
            w.queued += (isl[i] - c) - todo[i]
            todo[i] = isl[i] - c
            w.prefilling.append(i)
        parts, budget = [], w.chunk
        for i in w.prefilling:
            if budget <= 0:
                break
            take = min(todo[i], budget)
            parts.append((take, isl[i] - todo[i], i))
            budget -= take
        if not parts and not w.b:
            w.busy = False
            return
        if parts:
            k = 1
        else:
            k = max(w.heap[0][0] - w.steps, 1)
        ctx = w.ctx_base + w.b * (w.steps + (k + 1) / 2.0)
        dt = w.step(w.b, ctx, [(a, s) for a, s, _ in parts])
        w.busy, w.t0, w.dt, w.k, w.parts = True, t, dt, k, parts
        w.version += 1
        push(t + k * dt, 1, w.idx, w.version)

    def _join(w, i, t):
        # request i starts decoding on w after the current step
        if osl[i] <= 1:
            finish[i] = t
            done(w, i, t)
            return
        heapq.heappush(w.heap, (w.steps + osl[i] - 1, i))
        w.b += 1
        base[i] = isl[i] + 1 - w.steps
        w.ctx_base += base[i]
        join[i] = (w.idx, len(w.log_t), 0)

    def done(w, i, t):
        w.kv_used -= isl[i] + osl[i]
        if concurrency is not None and nxt[0] < n:
            arrival[nxt[0]] = t
            push(t, 0, nxt[0])
            nxt[0] += 1

    def end_step(w, t):
        k, dt, b = w.k, w.dt, w.b
        w.steps += k
        w.busy_s += k * dt
        w.log_t.append(w.t0)
        w.log_dt.append(dt)
        w.log_k.append(k)
        if b:
            itl_dt.append(dt)
            itl_w.append(b * k)
        while w.heap and w.heap[0][0] <= w.steps:
            _, i = heapq.heappop(w.heap)
            finish[i] = t
            w.b -= 1
            w.ctx_base -= base[i]
            join[i] = (join[i][0], join[i][1], len(w.log_t))
            done(w, i, t)
        for take, _, i in w.parts:
            todo[i] -= take
            w.queued -= take
            if todo[i] > 0:
                continue
            w.prefilling.remove(i)
            insert(w, i)
            if w.prefill_only:
                w.kv_used -= isl[i] + osl[i]
                begin = max(t, w.link_free)
                w.link_free = begin + latency + per_token * isl[i]
                push(w.link_free, 2, i)
            else:
                first[i] = t
                _join(w, i, t)
        w.parts = []
        start(w, t)

    def wake(w, t):
        if not w.busy:
            start(w, t)
        elif w.k > 1 and not w.parts:
            # a new request waits only for the current decode step, not the whole run
            k = max(int(math.ceil((t - w.t0) / w.dt - 1e-12)), 1)
            if k < w.k:
                w.k = k
                w.version += 1
                push(w.t0 + k * w.dt, 1, w.idx, w.version)

    nxt = [min(concurrency, n) if concurrency is not None else n]
    if concurrency is None:
        for i in range(n):
            push(arrival[i], 0, i)
    else:
        for i in range(nxt[0]):
            arrival[i] = 0.0
            push(0.0, 0, i)
    while events:
        t, _, kind, a, v = heapq.heappop(events)
        if kind == 0:
            w = route(a)
            todo[a] = isl[a]
            w.queued += isl[a]
            w.pending.append(a)
            wake(w, t)
        elif kind == 1:
            w = workers[a]
            if v == w.version:
                end_step(w, t)
        else:
            w = min(back, key=lambda d: (d.kv_used, d.idx))
            first[a] = t
            w.pending.append(a)
            wake(w, t)
    tbt_s = _tbt(workers, join, osl) if tbt else np.full(n, np.nan)
    power = e_back.power_kw * e_back.gpus * cluster.workers + (e_front.power_kw * e_front.gpus * len(front) if disagg else 0.0)
    return Result(trace.arrival_s.copy() if concurrency is None else arrival, np.array(first), np.array(finish),
                  trace.input_tokens.copy(), trace.output_tokens.copy(), np.array(cached), tbt_s, np.array(itl_dt),
                  np.array(itl_w, dtype=float), np.array([w.busy_s for w in workers]),
                  np.array([w.prefill_only for w in workers]), cluster.gpus, float(power),
                  e_front.ttft_overhead_s)


def _tbt(workers, join, osl) -> np.ndarray:
    # Mooncake's TBT: mean of the longest 10% of a request's inter-token latencies
    logs = [(np.array(w.log_dt), np.array(w.log_k)) for w in workers]
    out = np.full(len(join), np.nan)
    for i, (w, a, b) in enumerate(join):
        if osl[i] <= 1 or b <= a:
            continue
        dt, k = logs[w][0][a:b], logs[w][1][a:b]
        order = np.argsort(dt)[::-1]
        want = max(int(math.ceil(0.1 * (osl[i] - 1))), 1)
        taken = np.minimum(np.cumsum(k[order]), want)
        counts = np.diff(np.concatenate([[0], taken]))
        out[i] = float((dt[order] * counts).sum() / want)
    return out


def weighted_quantile(values, weights, q) -> np.ndarray:
    """Quantiles of a weighted sample (lower value at each step of the weighted distribution) [unit of values].

    Parameters
    ----------
    values, weights : array_like
        Sample and weights [any], [-].
    q : float or array_like
        Quantiles in [0, 1] [-].

    Examples
    --------
    >>> weighted_quantile([1.0, 2.0, 10.0], [1, 8, 1], [0.5, 0.95]).tolist()
    [2.0, 10.0]
    """
    v = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    if not len(v):
        return np.full(np.shape(q), np.nan)
    order = np.argsort(v)
    cum = np.cumsum(w[order]) / w.sum()
    idx = np.searchsorted(cum, np.asarray(q, dtype=float) - 1e-12)
    return v[order][np.minimum(idx, len(v) - 1)]


def summarize(r: Result, ttft_slo_s: float = 0.5, itl_slo_s: float = 0.05) -> dict:
    """Latency distributions, throughput, goodput, prefix hit rate and utilization of a run.

    Parameters
    ----------
    r : Result
        :func:`simulate`'s result.
    ttft_slo_s, itl_slo_s : float
        Targets a request must meet to count in goodput: TTFT and TPOT [s]
        (defaults: the Dynamo SLA planner's 500 ms and 50 ms).

    Returns
    -------
    dict
        ``ttft_p50_s ... ttft_p99_s``, ``itl_p50_s ... itl_p99_s``, ``tpot_p50_s ... tpot_p99_s`` [s];
        ``output_tokens_per_s`` and ``_per_gpu``, ``_per_mw`` [tokens/s]; ``goodput_per_s_per_gpu``
        [requests/s]; ``sla_share``, ``prefix_hit_rate``, ``utilization`` (and ``_prefill``) [-].

    Examples
    --------
    >>> e = engine("h100", "llama-3.3-70b", "fp8", tp=8, params=perf.ROOFLINE, max_batch=64)
    >>> s = summarize(simulate(Cluster(e, 1), traces.poisson(1.0, 100, 1000, 50, seed=2)))
    >>> s["sla_share"], 0 < s["utilization"] < 1
    (1.0, True)
    """
    ttft, tpot = r.ttft_s, r.tpot_s
    span = float(np.nanmax(r.finish_s) - np.nanmin(r.arrival_s))
    out_tokens = float(r.output_tokens.sum())
    meets = (ttft <= ttft_slo_s) & (np.nan_to_num(tpot, nan=0.0) <= itl_slo_s)
    q = [0.5, 0.9, 0.99]
    res = {}
    for name, values in (("ttft", ttft), ("tpot", tpot[np.isfinite(tpot)])):
        for p, v in zip((50, 90, 99), np.quantile(values, q) if len(values) else [np.nan] * 3):
            res[f"{name}_p{p}_s"] = float(v)
    for p, v in zip((50, 90, 99), weighted_quantile(r.itl_s, r.itl_weight, q)):
        res[f"itl_p{p}_s"] = float(v)
    res.update({
        "requests": len(ttft), "duration_s": span, "output_tokens_per_s": out_tokens / span,
        "output_tokens_per_s_per_gpu": out_tokens / span / r.gpus,
        "output_tokens_per_s_per_mw": out_tokens / span / (r.power_kw / 1000.0),
        "goodput_per_s_per_gpu": float(meets.sum()) / span / r.gpus, "sla_share": float(meets.mean()),
        "prefix_hit_rate": float(r.cached_tokens.sum() / max(r.input_tokens.sum(), 1)),
        "utilization": float(r.busy_s[~r.prefill_worker].mean() / span) if (~r.prefill_worker).any() else np.nan,
        "utilization_prefill": float(r.busy_s[r.prefill_worker].mean() / span) if r.prefill_worker.any() else np.nan,
        "gpus": r.gpus,
    })
    return res


def progress(items, label: str, verbose: bool | None = None):
    """Yield ``items``, drawing a one-line progress bar on stderr when it is a terminal (or ``verbose``).

    Parameters
    ----------
    items : sequence
        What a long sweep iterates over.
    label : str
        Shown before the bar.
    verbose : bool, optional
        Force the bar on or off; default on only for a terminal.

    Examples
    --------
    >>> list(progress([1, 2], "sweep", verbose=False))
    [1, 2]
    """
    import sys

    items = list(items)
    show = sys.stderr.isatty() if verbose is None else verbose
    for k, item in enumerate(items):
        if show:
            done = int(30 * k / max(len(items), 1))
            sys.stderr.write(f"\r{label} [{'#' * done}{'.' * (30 - done)}] {k}/{len(items)}")
            sys.stderr.flush()
        yield item
    if show:
        sys.stderr.write(f"\r{label} [{'#' * 30}] {len(items)}/{len(items)}\n")
