"""Command line: ``python -m analysis claims [--json]`` and ``python -m analysis figures [--out DIR]``."""

from __future__ import annotations

import argparse
import json
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
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
