"""Command line: ``python -m analysis claims [--json]``, ``python -m analysis figures [--out DIR]``
and ``python -m analysis predict ...`` (performance model; ``predict --help``)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


def _claims(args: argparse.Namespace) -> int:
    from analysis import claims

    if args.json:
        json.dump(claims.ledger_records(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    table = claims.ledger()
    for row in table.itertuples(index=False):
        label = row.verdict if row.verdict else row.status
        print(f"{row.claim_id:<3} {label:<38} {row.claim}")
        if row.summary:
            print(f"    {row.summary}")
    return 0


def _figures(args: argparse.Namespace) -> int:
    from analysis import figures

    ids = args.only or list(figures.FIGURES)
    for fig_id in ids:
        for path in figures.export(fig_id, Path(args.out)):
            print(path)
    return 0


def _predict(args: argparse.Namespace) -> int:
    import pandas as pd

    from analysis import predict

    if args.from_csv:
        if not args.out:
            print("error: --from-csv needs --out OUT.csv", file=sys.stderr)
            return 2
        try:
            requests = pd.read_csv(args.from_csv, dtype=str, keep_default_na=False)
            result = predict.predict_frame(requests)
        except (predict.InputError, OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        result.to_csv(args.out, index=False, lineterminator="\n", float_format="%.6g")
        bad = int((~result["feasible"].astype(bool)).sum())
        print(f"{len(result)} rows written to {args.out} ({bad} infeasible or invalid)")
        return 0
    request = {k: getattr(args, k) for k in (*predict.REQUIRED, *predict.OPTIONAL)}
    try:
        result = predict.predict(**request)
    except predict.InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(result.to_dict(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif not result.feasible:
        print(f"infeasible: {result.hardware} x{result.gpus} {result.model} {result.precision}: {result.notes}")
    else:
        label = " (PROJECTION)" if result.projection else ""
        layout = (f"tp={result.tp} dp={result.dp} moe_tp={result.moe_tp} ep={result.ep}" if result.mode == "agg"
                  else "disaggregated")
        print(f"{result.hardware} x{result.gpus} {result.model} {result.precision} {result.backend}{label}: "
              f"{layout}, concurrency {result.concurrency}")
        print(f"  TTFT {result.ttft_s * 1e3:,.1f} ms ({result.ttft_s_low * 1e3:,.1f}-{result.ttft_s_high * 1e3:,.1f}), "
              f"TPOT {result.tpot_s * 1e3:,.2f} ms ({result.tpot_s_low * 1e3:,.2f}-{result.tpot_s_high * 1e3:,.2f})")
        print(f"  {result.output_tokens_per_s_per_gpu:,.0f} output tokens/s per GPU "
              f"({result.output_tokens_per_s_per_gpu_low:,.0f}-{result.output_tokens_per_s_per_gpu_high:,.0f}), "
              f"{result.tokens_per_s_per_user:,.1f} per user, {result.tokens_per_s_per_mw:,.0f} per MW")
        print("  (ranges: 5-95%, bootstrap refits widened by the out-of-sample error)")
        print(f"  notes: {result.notes}")
    return 0 if result.feasible else 3


def _calibrate(args: argparse.Namespace) -> int:
    from analysis import calibration, data

    tables = calibration.snapshot(draws=args.draws)
    out = Path(args.out) if args.out else data.DATA_DIR
    for name, table in tables.items():
        path = out / f"{name}.csv"
        table.to_csv(path, index=False, lineterminator="\n", float_format="%.12g")
        print(path)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("claims", help="print the claims ledger")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=_claims)
    p = sub.add_parser("figures", help="export every figure as SVG, PNG, CSV and Vega-Lite JSON")
    p.add_argument("--out", default="figures", help="output folder (default: figures)")
    p.add_argument("--only", nargs="*", metavar="FIG_ID", help="export only these figure ids")
    p.set_defaults(run=_figures)
    p = sub.add_parser(
        "predict",
        help="predict serving performance with an interval (analysis.predict)",
        description="Predict TTFT, TPOT and tokens/s of a model on a GPU system, each with a 5-95%% range. Exit "
        "status: 0 feasible, 2 bad input (the message lists the valid choices), 3 infeasible.",
    )
    p.add_argument("--hardware", help="h100, h200, b200, gb200, b300, gb300, rubin, rubin-ultra (or h200_sxm ...)")
    p.add_argument("--model", help="a model id of data/models.csv (deepseek-r1, llama-3.3-70b, qwen3-32b ...)")
    p.add_argument("--precision", help="bf16, fp8, fp4")
    p.add_argument("--isl", help="input tokens per request")
    p.add_argument("--osl", help="output tokens per request")
    p.add_argument("--concurrency", help="requests in flight (integer) or max")
    p.add_argument("--gpus", help="GPUs (aggregated: tp x dp; disaggregated: optional, both pools)")
    p.add_argument("--mode", help="agg (default) or disagg")
    p.add_argument("--backend", help="engine: trtllm (default), vllm, sglang")
    g = p.add_argument_group("aggregated layout (omitted degrees are chosen for the most tokens/s per GPU)")
    g.add_argument("--tp", help="attention tensor parallel")
    g.add_argument("--dp", help="attention data parallel")
    g.add_argument("--ep", help="expert parallel of the MoE layers (moe_ep)")
    g.add_argument("--moe-tp", dest="moe_tp", help="expert tensor parallel (default gpus / ep)")
    g = p.add_argument_group("disaggregated layout (--mode disagg)")
    for pool in ("prefill", "decode"):
        for k, what in (("workers", "workers"), ("tp", "attention TP per worker"), ("dp", "attention DP per worker"),
                        ("ep", "expert parallel per worker"), ("batch", "batch per step (decode: per DP rank)")):
            g.add_argument(f"--{pool}-{k}", dest=f"{pool}_{k}", help=f"{pool} {what}")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--from-csv", metavar="IN.csv", help="batch: one request per row, columns named like the flags "
                   "(moe_tp, prefill_workers ...)")
    p.add_argument("--out", metavar="OUT.csv", help="batch output: the input plus the result columns")
    p.set_defaults(run=_predict)
    p = sub.add_parser("calibrate", help="refit the performance model and write its tables (data/perf_*.csv)",
                       description="Fit the performance model on the serving sweeps and MLPerf, bootstrap it and "
                       "hold out each hardware and each model; writes perf_parameters.csv, perf_bootstrap.csv, perf_holdout.csv and "
                       "perf_uncertainty.csv (a frozen snapshot: commit the refit on its own).")
    p.add_argument("--out", help="folder to write into (default: data/)")
    p.add_argument("--draws", type=int, default=40, help="bootstrap draws (default: 40)")
    p.set_defaults(run=_calibrate)
    args = parser.parse_args(argv)
    return args.run(args)


def run(argv: list[str] | None = None) -> int:
    """:func:`main`, quiet when the reader closes the pipe early (``... claims --json | head``)."""
    try:
        status = main(argv)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        # Python would print a traceback when it flushes stdout at exit; point stdout at devnull instead
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(run())
