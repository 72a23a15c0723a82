"""Anchor: NVIDIA's aiconfigurator on a sample of the performance model's calibration points.

Run ``make anchor`` (or ``PYTHONPATH=. /path/to/venv/bin/python benchmarks/aiconfigurator_anchor.py``)
with an interpreter that has ``aiconfigurator`` installed (PyPI, Apache-2.0;
never a requirement of this report) and the report's pinned ``frictionless``
(the data loader's validator).  Without aiconfigurator the script prints
"aiconfigurator not installed: skipped" and exits with status 0.

For each point of :func:`analysis.anchors.sample_points` (a seeded sample of
the aggregated rows of ``data/serving_sweeps.csv``, stratified by hardware,
concurrency regime, model and engine) it calls
``aiconfigurator.cli.api.cli_estimate`` in aggregated mode at the row's
recorded model, system, engine, sequence lengths, batch size per attention-DP
rank, TP, attention DP, MoE TP / EP and GEMM / MoE quantization, with the
database's default version of that engine (the only versions 0.12.0 accepts;
the measured engine version is kept beside it) and the default ``SILICON``
database mode (measured kernels; a few small ops by formula).  When the
database lacks a kernel of the configuration (``PerfDataNotAvailableError``)
the point is asked again in ``HYBRID`` mode (measured kernels where present,
aiconfigurator's speed-of-light-plus-empirical estimates elsewhere, its own
mode for configurations "not yet in the database"); ``database_mode`` and
``decode_silicon_share`` say how much of each answer rests on measured
kernels.  A point aiconfigurator still rejects stays in the table as
``unsupported`` with its reason.

Runs offline: the package ships its kernel database and the configurations
of its bundled models.  Three checkpoints of the sweeps are not bundled and
are asked under the bundled checkpoint of the same architecture
(:data:`MODEL_ALIASES`, recorded in ``aiconfigurator_model_path``; the weight
format is passed explicitly, so only the architecture is read from it); any
other unbundled checkpoint is recorded as unsupported, never downloaded.

Writes ``data/perf_anchor_aiconfigurator.csv`` (schema in ``data/datapackage.json``).
"""

from __future__ import annotations

import importlib.metadata
import logging
import sys
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "data" / "perf_anchor_aiconfigurator.csv"

#: The report's hardware id -> aiconfigurator's system name.
SYSTEMS = {"h100": "h100_sxm", "b200": "b200_sxm", "gb200": "gb200"}

#: Upload date of each aiconfigurator release on PyPI (wheel aiconfigurator-<v>-py3-none-any.whl),
#: read from the PyPI simple index on 2026-12-03; another version needs its date added here.
RELEASE_DATES = {"0.12.0": "2026-09-18"}
ACCESSED = "2026-12-03"
SOURCE_URL = "https://github.com/ai-dynamo/aiconfigurator"
DATABASE_MODE, FALLBACK_MODE = "SILICON", "HYBRID"

#: Checkpoints of the sweeps that aiconfigurator does not bundle -> bundled checkpoint of the same architecture.
MODEL_ALIASES = {
    "meta-llama/Llama-3.1-70B": "meta-llama/Meta-Llama-3.1-70B",
    "meta-llama/Llama-3.1-8B-Instruct": "meta-llama/Meta-Llama-3.1-8B",
    "nvidia/Qwen3-32B-NVFP4": "Qwen/Qwen3-32B",
}

COLUMNS = ["point_id", "hardware", "model_id", "backend", "concurrency", "measured_backend_version",
           "aiconfigurator_version", "aiconfigurator_model_path", "database_version", "database_mode",
           "decode_silicon_share", "predicted_ttft_ms", "predicted_tpot_ms", "status", "reason", "basis", "source_title", "source_url", "source_date", "accessed", "quote"]


def _int_or_none(value, floor: int | None = None):
    """A recorded integer, None when missing (or below ``floor``: 0 means 'not set' in the sweeps)."""
    import pandas as pd

    if pd.isna(value):
        return None
    try:
        v = int(value)
    except (TypeError, ValueError):
        return None
    return None if floor is not None and v < floor else v


def estimate_kwargs(row) -> dict:
    """The keyword arguments of ``cli_estimate`` for one serving-sweep row, as recorded."""
    kwargs = {
        "mode": "agg",
        "backend_name": str(row["backend"]),
        "backend_version": None,  # the database's default version: recorded engine versions are not queryable
        "database_mode": DATABASE_MODE,
        "isl": int(row["isl"]),
        "osl": int(row["osl"]),
        "batch_size": int(row["batch_size"]),
        "tp_size": _int_or_none(row["tp_size"], floor=1) or 1,
        "attention_dp_size": _int_or_none(row["attention_dp_size"], floor=1) or 1,
        "moe_tp_size": _int_or_none(row["moe_tp_size"], floor=1),
        "moe_ep_size": _int_or_none(row["moe_ep_size"], floor=1),
        "gemm_quant_mode": str(row["gemm_quant_mode"]) or None,
        "moe_quant_mode": str(row["moe_quant_mode"]) or None,
    }
    return kwargs


def call_text(model_path: str, system: str, kwargs: dict) -> str:
    """The exact call, as text (the table's ``quote``)."""
    args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    return f"aiconfigurator.cli.api.cli_estimate({model_path!r}, {system!r}, {args})"


def decode_silicon_share(result) -> float | None:
    """Share of the decode step's latency that comes from measured ("silicon") kernels [-]."""
    lat = (result.per_ops_data or {}).get("genonly_step") or {}
    src = (result.per_ops_source or {}).get("genonly_step") or {}
    total = sum(float(v) for v in lat.values())
    if total <= 0:
        return None
    return sum(float(v) for k, v in lat.items() if src.get(k) == "silicon") / total


def run(points, cli_estimate, bundled, version: str, log=print) -> list[dict]:
    """One output row per sampled point (``ok`` with both latencies, or ``unsupported`` with the reason)."""
    from aiconfigurator_core.sdk.errors import PerfDataNotAvailableError

    rows = []
    for i, row in enumerate(points.itertuples(index=False)):
        row = row._asdict()
        system = SYSTEMS[row["hardware"]]
        kwargs = estimate_kwargs(row)
        model_path = MODEL_ALIASES.get(row["model_path"], row["model_path"])
        out = {
            "point_id": row["point_id"], "hardware": row["hardware"], "model_id": row["model_id"],
            "backend": row["backend"], "concurrency": int(row["concurrency"]),
            "measured_backend_version": row["backend_version"] or "",
            "aiconfigurator_version": version, "aiconfigurator_model_path": model_path, "basis": "estimated",
            "source_title": f"NVIDIA aiconfigurator {version} (PyPI), run by this report's "
                            "benchmarks/aiconfigurator_anchor.py",
            "source_url": SOURCE_URL, "source_date": RELEASE_DATES[version], "accessed": ACCESSED,
        }
        try:
            if model_path not in bundled:
                raise LookupError(f"model configuration {model_path!r} is not bundled (would need a download)")
            try:
                result = cli_estimate(model_path, system, **kwargs)
            except PerfDataNotAvailableError:
                kwargs["database_mode"] = FALLBACK_MODE
                result = cli_estimate(model_path, system, **kwargs)
            ttft, tpot = float(result.ttft), float(result.tpot)
            if not (ttft > 0 and tpot > 0):
                raise ValueError(f"non-positive estimate (ttft={ttft}, tpot={tpot})")
            notes = [str(result.kv_cache_warning)] if result.kv_cache_warning else []
            notes += [f"MoE communication measured on a substitute topology: {f}" for f in result.moe_comm_fallbacks]
            out.update(status="ok", predicted_ttft_ms=ttft, predicted_tpot_ms=tpot,
                       database_version=str(result.backend_version), decode_silicon_share=decode_silicon_share(result),
                       reason="; ".join(notes))
        except Exception as error:  # noqa: BLE001 - any refusal of the tool is recorded, never dropped
            # the package's own paths are machine-specific: keep the message, not the install location
            message = " ".join(str(error).split()).replace(str(Path(sys.prefix)), "<venv>")[:300]
            out.update(status="unsupported", predicted_ttft_ms=None, predicted_tpot_ms=None, database_version="",
                       decode_silicon_share=None, reason=f"{type(error).__name__}: {message}")
        out["database_mode"] = kwargs["database_mode"]
        out["quote"] = call_text(model_path, system, kwargs)
        rows.append(out)
        log(f"[{i + 1}/{len(points)}] {row['point_id']}: {out['status']}"
            + (f" ttft={out['predicted_ttft_ms']:.1f} ms tpot={out['predicted_tpot_ms']:.2f} ms"
               if out["status"] == "ok" else f" ({out['reason'][:120]})"))
    return rows


def main() -> int:
    try:
        import aiconfigurator  # noqa: F401
        from aiconfigurator.cli.api import cli_estimate
        from aiconfigurator_core.sdk.common import DefaultHFModels
    except ImportError:
        print("aiconfigurator not installed: skipped")
        return 0
    sys.path.insert(0, str(REPO))
    import pandas as pd

    from analysis import anchors

    version = importlib.metadata.version("aiconfigurator")
    if version not in RELEASE_DATES:
        print(f"aiconfigurator {version}: its PyPI release date is not in RELEASE_DATES; add it, then rerun")
        return 1
    # the tool logs every database fallback; the table keeps what matters
    logging.getLogger("aiconfigurator").setLevel(logging.ERROR)
    logging.getLogger("aiconfigurator_core").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    points = anchors.sample_points()
    start = time.perf_counter()
    rows = run(points, cli_estimate, set(DefaultHFModels), version, log=lambda s: print(s, file=sys.stderr))
    frame = pd.DataFrame(rows, columns=COLUMNS).sort_values("point_id")
    frame.to_csv(OUT, index=False, lineterminator="\n")
    ok = int((frame["status"] == "ok").sum())
    print(f"aiconfigurator {version}: {ok} ok, {len(frame) - ok} unsupported of {len(frame)} points "
          f"in {time.perf_counter() - start:.0f} s -> {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
