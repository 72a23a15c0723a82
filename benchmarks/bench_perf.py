"""Speed of the performance model: the vectorized sweep and the batch interface.

Run ``python benchmarks/bench_perf.py`` (part of ``make bench``).  Prints

* the rate of a sweep of at least :data:`analysis.frontier.BENCH_SWEEP_CONFIGURATIONS`
  configurations (layouts x concurrencies, DeepSeek-R1 on 72 GB200; target
  >= 1,000,000 configurations/s), and
* the rate of ``predict --from-csv`` on a table of mixed requests (hardware,
  models, given and omitted layouts, disaggregated rows; each with its
  interval from every bootstrap draw; target >= 1,000 rows/s).

Targets are printed as met or not, never asserted: timings vary by machine.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from analysis import frontier, models, perf, predict, systems

#: Rows of the ``--from-csv`` benchmark, and the target rates [configurations/s, rows/s].
CSV_ROWS = 5_000
SWEEP_TARGET, CSV_TARGET = 1_000_000, 1_000


def sweep_rate(repeat: int = 3) -> tuple[int, float]:
    """Time ``frontier.sweep`` plus the Pareto mask over >= ``frontier.BENCH_SWEEP_CONFIGURATIONS`` configurations.

    Parameters
    ----------
    repeat : int
        Timed runs; the fastest counts [-].

    Returns
    -------
    tuple
        Configurations swept [-] and the fastest run's time [s].
    """
    n_layouts = len(perf.layouts(systems.get("gb200"), models.get("deepseek-r1"), 72))
    concurrencies = np.arange(1, int(np.ceil(frontier.BENCH_SWEEP_CONFIGURATIONS / n_layouts)) + 1)
    frontier.sweep("gb200", "deepseek-r1", "fp4", 72, 1024, 1024, concurrencies[:10])  # warm caches
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        table = frontier.sweep("gb200", "deepseek-r1", "fp4", 72, 1024, 1024, concurrencies)
        on_frontier = frontier.pareto_mask(table["tokens_per_s_per_user"], table["output_tokens_per_s_per_gpu"])
        best = min(best, time.perf_counter() - start)
    assert on_frontier.any()
    return len(table), best


def requests(n: int = CSV_ROWS, seed: int = 0) -> pd.DataFrame:
    """A seeded table of mixed requests, as a reader's ``--from-csv`` file would hold (strings, blanks).

    Parameters
    ----------
    n : int
        Rows [-].
    seed : int
        Seed [-].
    """
    rng = np.random.default_rng(seed)
    kinds = [("h100", "llama-3.1-70b", "fp8", 8), ("h200", "deepseek-r1", "fp8", 8), ("b200", "qwen3-32b", "fp4", 4),
             ("gb200", "deepseek-r1", "fp4", 16), ("gb300", "llama-3.3-70b", "fp4", 8)]
    pick = rng.integers(0, len(kinds), n)
    rows = pd.DataFrame([kinds[i] for i in pick], columns=["hardware", "model", "precision", "gpus"]).astype(str)
    rows["isl"] = rng.choice([128, 1024, 4096, 8192], n).astype(str)
    rows["osl"] = rng.choice([128, 1024, 2048], n).astype(str)
    rows["concurrency"] = rng.choice([1, 4, 16, 64, 256], n).astype(str)
    rows["tp"] = np.where(rng.random(n) < 0.5, rows["gpus"], "")       # half the layouts chosen by the model
    disagg = rng.random(n) < 0.1
    rows["mode"] = np.where(disagg, "disagg", "")
    for pool in ("prefill", "decode"):
        rows[f"{pool}_workers"] = np.where(disagg, "1", "")
        rows[f"{pool}_tp"] = np.where(disagg, (rows["gpus"].astype(int) // 2).astype(str), "")
    rows.loc[disagg, ["gpus", "tp"]] = ""
    return rows


def csv_rate() -> tuple[int, float]:
    """Time :func:`analysis.predict.predict_frame` on :func:`requests` (what ``--from-csv`` runs).

    Returns
    -------
    tuple
        Rows [-] and wall time [s].
    """
    table = requests()
    predict.predict_frame(table.head(50))          # warm caches (data tables, layouts)
    start = time.perf_counter()
    out = predict.predict_frame(table)
    seconds = time.perf_counter() - start
    assert out["feasible"].mean() > 0.5
    return len(out), seconds


if __name__ == "__main__":
    n, seconds = sweep_rate()
    rate = n / seconds
    print(f"sweep: {n:,} configurations in {seconds:.3f} s = {rate:,.0f} configurations/s "
          f"({rate / SWEEP_TARGET:.2f}x the target of {SWEEP_TARGET:,}/s: {'met' if rate >= SWEEP_TARGET else 'NOT met'})")
    rows, seconds = csv_rate()
    rate = rows / seconds
    print(f"--from-csv: {rows:,} rows (with intervals) in {seconds:.2f} s = {rate:,.0f} rows/s "
          f"({rate / CSV_TARGET:.2f}x the target of {CSV_TARGET:,}/s: {'met' if rate >= CSV_TARGET else 'NOT met'})")
