"""Speed of the serving simulator: 100,000 requests over 32 workers on one core (target: 10 s or less).

Run ``python benchmarks/bench_serving.py`` (part of ``make bench``).  Prints the
time and requests per second of a round-robin and a KV-aware replay of a seeded
Poisson trace (1,024 tokens in with half of them a shared prefix, 256 out, lengths
log-normal) on 32 Llama-3.3-70B FP8 workers of 4 H100 each.  Step times come from
the performance model with its default (uncalibrated) parameters: speed does
not depend on their values.
"""

from __future__ import annotations

import sys
import time

from analysis import perf, serving, traces

REQUESTS, WORKERS, TARGET_S = 100_000, 32, 10.0


def run(router: str) -> tuple[float, dict]:
    """Time one replay [s] and return its summary.

    Parameters
    ----------
    router : str
        One of :data:`analysis.routing.POLICIES`.
    """
    e = serving.engine("h100", "llama-3.3-70b", "fp8", tp=4, params=perf.Params(), max_batch=256, chunk_tokens=4096)
    t = traces.poisson(150.0, REQUESTS, 1024, 256, seed=0, sigma=0.5, prefix_share=0.5, groups=64)
    start = time.perf_counter()
    r = serving.simulate(serving.Cluster(e, WORKERS), t, router=router)
    return time.perf_counter() - start, serving.summarize(r)


def main() -> int:
    slow = False
    for router in ("round_robin", "kv"):
        elapsed, s = run(router)
        slow |= elapsed > TARGET_S
        print(f"serving simulator, {router:11s}: {REQUESTS:,} requests on {WORKERS} workers in {elapsed:.2f} s "
              f"({REQUESTS / elapsed:,.0f} requests/s; target <= {TARGET_S:.0f} s); "
              f"TTFT p50 {s['ttft_p50_s'] * 1e3:.0f} ms, ITL p50 {s['itl_p50_s'] * 1e3:.1f} ms", flush=True)
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
