"""Command line: ``python -m analysis claims [--json]``, ``python -m analysis figures [--out DIR]``,
``python -m analysis predict ...`` (performance model; ``predict --help``) and
``python -m analysis tco ...`` (cost per GPU-hour and per million tokens; ``tco --help``)."""

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


def _positive(kind: str, upper: float | None = None):
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{kind} must be a number, not {text!r}") from None
        if not value > 0 or (upper is not None and value > upper) or value != value:
            raise argparse.ArgumentTypeError(f"{kind} must be > 0" + (f" and <= {upper:g}" if upper else "") + f", not {text!r}")
        return value
    return parse


#: ``tco`` flags that replace one assumption: flag -> (parameter, hardware-specific).
TCO_FLAGS = {"power_price": ("electricity_usd_per_kwh", False), "system_price": ("system_price_usd_per_gpu", True),
             "utilization": ("utilization", False), "lifetime": ("lifetime_years", False), "wacc": ("wacc", False),
             "pue": ("pue", False), "token_price": ("token_price_usd_per_m_output", False)}


def _tco(args: argparse.Namespace) -> int:
    import numpy as np

    from analysis import data, tco
    from analysis.chapters import cost

    try:
        table = tco.assumptions(data.load_file("tco_assumptions", args.assumptions)) if args.assumptions else cost.active_assumptions()
    except (data.DataValidationError, KeyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for flag, (parameter, own) in TCO_FLAGS.items():
        value = getattr(args, flag)
        if value is None:
            continue
        mask = (table["parameter"] == parameter) & (table["hardware"] == (args.hardware if own else "all"))
        table.loc[mask, ["value", "low", "high"]] = value
    measured = args.hardware in tco.MEASURED_ONLY
    if measured and args.throughput is None:
        print(f"error: {args.hardware} has no performance model; give --throughput TOKENS_PER_S_PER_GPU "
              "(e.g. an MLPerf result, data/tco_mlperf.csv)", file=sys.stderr)
        return 2
    i = tco.inputs(args.hardware, table)
    hour = tco.gpu_hour_cost(i)
    if args.throughput is not None:
        tput = {"value": args.throughput, "low": args.throughput, "high": args.throughput}
        precision, gpus, reach = "as measured", None, None
    else:
        precision, gpus = tco.deployment(args.hardware, args.model)
        precision = args.precision or precision
        band = tco.band(args.hardware, args.model, args.isl, args.osl, precision)
        reach = float(band["tokens_per_s_per_user"].max())
        tput = {k: float(v[0]) for k, v in tco.throughput_at(band, args.tokens_per_user).items()}
        if not np.isfinite(tput["value"]):
            print(f"infeasible: {tco.display_name(args.hardware)} serves {args.model} at most {reach:.0f} tokens/s per user "
                  f"(asked {args.tokens_per_user:g})")
            return 3
    cost_m = {k: tco.cost_per_million_tokens(hour["total"], v, i.utilization) for k, v in tput.items()}
    revenue = tco.revenue_per_mw_year(tput["value"], i.it_power_kw, i.pue, i.utilization, i.token_price_usd_per_m_output)
    result = {"hardware": args.hardware, "name": tco.display_name(args.hardware), "model": args.model, "precision": precision,
              "gpus": gpus, "isl": args.isl, "osl": args.osl, "tokens_per_s_per_user": args.tokens_per_user,
              "usd_per_gpu_hour": hour, "it_power_kw": i.it_power_kw, "tokens_per_s_per_gpu": tput,
              "usd_per_m_output_tokens": {"value": cost_m["value"], "low": cost_m["high"], "high": cost_m["low"]},
              "revenue_usd_per_mw_year": revenue, "inputs": {f: getattr(i, f) for f in tco.TABLE_INPUTS}}
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    print(f"{result['name']} ({precision}{'' if gpus is None else f', {gpus} GPUs'}) serving {args.model} at "
          f"{args.tokens_per_user:g} tokens/s per user ({args.isl} in / {args.osl} out)")
    print("  cost per GPU-hour [USD]: " + ", ".join(f"{k} {v:.3f}" for k, v in hour.items()))
    print(f"  throughput {tput['value']:,.0f} tokens/s per GPU (band {tput['low']:,.0f}-{tput['high']:,.0f})")
    print(f"  cost per million output tokens: USD {cost_m['value']:.3f} (band {cost_m['high']:.3f}-{cost_m['low']:.3f})")
    print(f"  revenue per MW a year at USD {i.token_price_usd_per_m_output:.2f}/M tokens: USD {revenue / 1e6:,.1f}M")
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
    from analysis import models, tco

    p = sub.add_parser(
        "tco",
        help="cost per GPU-hour, per million tokens and revenue per MW (analysis.tco)",
        description="Cost of serving a model on a system at a given interactivity, from the assumption table "
        "(data/tco_assumptions.csv, or --assumptions FILE with the same columns) and the performance model's frontier. "
        "Exit status: 0 ok, 2 bad input (the message lists the valid choices), 3 interactivity out of the system's reach.",
    )
    p.add_argument("--hardware", required=True, choices=tco.hardware_ids(), metavar="HARDWARE",
                   help="one of: " + ", ".join(tco.hardware_ids()))
    p.add_argument("--model", default="deepseek-r1", choices=sorted(models.catalog()), metavar="MODEL",
                   help="one of: " + ", ".join(sorted(models.catalog())) + " (default deepseek-r1)")
    p.add_argument("--tokens-per-user", type=_positive("--tokens-per-user"), default=50.0,
                   help="interactivity, output tokens/s per user (default 50)")
    p.add_argument("--isl", type=int, default=1024, help="input tokens per request (default 1024)")
    p.add_argument("--osl", type=int, default=1024, help="output tokens per request (default 1024)")
    p.add_argument("--precision", choices=("fp8", "fp4", "bf16"), help="weight format (default: fp4 where supported, else fp8)")
    p.add_argument("--throughput", type=_positive("--throughput"), help="measured tokens/s per GPU (skips the performance model)")
    p.add_argument("--power-price", type=_positive("--power-price", 10.0), help="electricity [USD/kWh]")
    p.add_argument("--system-price", type=_positive("--system-price"), help="system price per GPU package [USD]")
    p.add_argument("--utilization", type=_positive("--utilization", 1.0), help="share of hours serving (0-1]")
    p.add_argument("--lifetime", type=_positive("--lifetime", 30.0), help="hardware life [years]")
    p.add_argument("--wacc", type=_positive("--wacc", 1.0), help="cost of capital per year (0-1]")
    p.add_argument("--pue", type=_positive("--pue", 5.0), help="power usage effectiveness")
    p.add_argument("--token-price", type=_positive("--token-price"), help="price per million output tokens [USD]")
    p.add_argument("--assumptions", metavar="FILE.csv", help="override rows (columns of data/tco_assumptions.csv)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=_tco)
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
