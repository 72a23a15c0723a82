"""The public question the performance model answers: "how fast does this deployment serve?".

:func:`predict` answers one request, :func:`predict_frame` a table of them
(``python -m analysis predict ... [--json]`` and ``--from-csv``).  Both run
the same vectorized path: requests are validated row by row (the errors list
the valid choices), grouped by what fixes the model's constants (hardware,
model, weight format, engine, mode), and every candidate layout of every
request in a group is evaluated in one call of :func:`analysis.perf.serve`
(or :func:`~analysis.perf.serve_disagg`).  Omitted parallel degrees are
chosen for the most output tokens/s per GPU.

Every prediction carries an interval: the 5-95% spread of the bootstrap
refits (``data/perf_bootstrap.csv``) on the chosen layout, widened by the
out-of-sample error quantiles of ``data/perf_uncertainty.csv``
(:func:`analysis.perf.residual_quantiles`).  Keys ``<metric>_low`` and
``<metric>_high``.
"""

from __future__ import annotations

import difflib
import math
import warnings
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from analysis import models, perf, systems

#: Request fields of an aggregated deployment, with their defaults (None: the model chooses).
AGG_FIELDS = {"tp": None, "dp": None, "ep": None, "moe_tp": None}

#: Request fields of a disaggregated deployment (the serving sweeps' disagg columns).
DISAGG_FIELDS = {"prefill_workers": None, "prefill_tp": None, "prefill_dp": 1, "prefill_ep": 1, "prefill_batch": 1,
                 "decode_workers": None, "decode_tp": None, "decode_dp": 1, "decode_ep": 1, "decode_batch": None}

#: Every request field: required ones map to None (no default).
REQUIRED = ("hardware", "model", "precision", "isl", "osl", "concurrency")
OPTIONAL = {"gpus": None, "mode": "agg", "backend": perf.DEFAULT_BACKEND, **AGG_FIELDS, **DISAGG_FIELDS}

#: Metrics that carry an interval, and the residual quantiles that widen each one.
INTERVAL_METRICS = ("ttft_s", "tpot_s", "tokens_per_s_per_user", "output_tokens_per_s", "output_tokens_per_s_per_gpu",
                    "tokens_per_s_per_mw")


class InputError(ValueError):
    """A request the model cannot answer (unknown id, bad number); the message lists valid choices."""


@dataclass(frozen=True)
class Prediction:
    """What :func:`predict` returns (field names as in the CLI's JSON; NaN where infeasible).

    Attributes
    ----------
    hardware, model, precision, mode, backend : str
        Resolved ids (aliases such as ``h200_sxm`` map to ``h200``).
    gpus : int
        GPUs of all pools [-].
    tp, dp, moe_tp, ep : int
        Aggregated layout (attention TP x DP; experts ``moe_tp`` x ``ep``); 0 in disaggregated mode [-].
    isl, osl : int
        Input and output tokens per request [tokens].
    concurrency : int
        Requests in flight (resolved when "max" was asked) [-].
    feasible : bool
        False when the weights do not fit in HBM.
    ttft_s, tpot_s : float
        Mean time to first token; mean time per output token after the first [s].
    tokens_per_s_per_user : float
        ``1 / tpot_s`` [tokens/s].
    output_tokens_per_s, output_tokens_per_s_per_gpu : float
        Generated tokens per second, in total and per GPU [tokens/s].
    tokens_per_s_per_mw : float
        Output tokens/s per MW (:attr:`analysis.systems.HardwareSpec.power_kw`) [tokens/s/MW].
    *_low, *_high : float
        5% and 95% bounds of each metric above [its unit].
    projection : bool
        True for unreleased hardware (roadmap specs).
    notes : str
        Assumptions and reasons, "; "-separated.
    """

    hardware: str
    model: str
    precision: str
    mode: str
    backend: str
    gpus: int
    tp: int
    dp: int
    moe_tp: int
    ep: int
    isl: int
    osl: int
    concurrency: int
    feasible: bool
    ttft_s: float
    ttft_s_low: float
    ttft_s_high: float
    tpot_s: float
    tpot_s_low: float
    tpot_s_high: float
    tokens_per_s_per_user: float
    tokens_per_s_per_user_low: float
    tokens_per_s_per_user_high: float
    output_tokens_per_s: float
    output_tokens_per_s_low: float
    output_tokens_per_s_high: float
    output_tokens_per_s_per_gpu: float
    output_tokens_per_s_per_gpu_low: float
    output_tokens_per_s_per_gpu_high: float
    tokens_per_s_per_mw: float
    tokens_per_s_per_mw_low: float
    tokens_per_s_per_mw_high: float
    projection: bool
    notes: str

    def to_dict(self) -> dict:
        """Plain types, NaN as None (JSON null), in the CLI's key order [mixed]."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


#: Columns :func:`predict_frame` adds, in order.
RESULT_COLUMNS = [f.name for f in fields(Prediction)]


def _plain(v):
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return float(v) if math.isfinite(v) else None
    return v


# --- validation -----------------------------------------------------------------------------------


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and v.strip() == "")


def _positive_int(value, name: str) -> int:
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a positive integer, not {value!r}") from None
    if not f.is_integer() or f < 1:
        raise InputError(f"{name} must be a positive integer, not {value!r}")
    return int(f)


def _choice(value, name: str, valid) -> str:
    v = str(value).strip().lower()
    if v not in valid:
        raise InputError(f"unknown {name} {value!r}; valid: {', '.join(valid)}")
    return v


def validate(request: dict, lookups: dict | None = None) -> dict:
    """A request with ids resolved, numbers checked and defaults filled.

    Parameters
    ----------
    request : dict
        Keys of :data:`REQUIRED` and optionally :data:`OPTIONAL` (values may be strings, as read from a CSV).
    lookups : dict, optional
        A memo of resolved ids and model configs, shared across the rows of a table.

    Returns
    -------
    dict
        Every key of both, typed: ids [-], counts [-], lengths [tokens]; ``concurrency`` is -1 for "max".

    Raises
    ------
    InputError
        The first broken rule, with the valid choices.

    Examples
    --------
    >>> r = validate({"hardware": "H200_SXM", "model": "DeepSeek-R1", "precision": "fp8", "isl": "1024",
    ...               "osl": 1024, "concurrency": 32, "gpus": 8, "tp": 8, "ep": 1})
    >>> r["hardware"], r["model"], r["moe_tp"], r["mode"]
    ('h200', 'deepseek-r1', 8, 'agg')
    >>> validate({"hardware": "h200", "model": "deepseek-r1", "precision": "fp8", "isl": 1024, "osl": 1024,
    ...           "concurrency": 32, "gpus": 8, "tp": 3})
    Traceback (most recent call last):
    ...
    analysis.predict.InputError: gpus (8) is not divisible by tp (3); valid tp: 1, 2, 4, 8
    """
    missing = [k for k in REQUIRED if _blank(request.get(k))]
    if missing:
        raise InputError(f"missing {', '.join(missing)}; required: {', '.join(REQUIRED)}")
    unknown = sorted(set(request) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise InputError(f"unknown fields {', '.join(unknown)}; valid: {', '.join([*REQUIRED, *OPTIONAL])}")
    r = {k: (OPTIONAL[k] if _blank(request.get(k)) else request[k]) for k in OPTIONAL}
    lookups = {} if lookups is None else lookups
    r["hardware"] = _lookup(lookups, systems.resolve, str(request["hardware"]))
    r["model"] = _lookup(lookups, models.resolve, str(request["model"]))
    r["precision"] = _choice(request["precision"], "precision", models.PRECISIONS)
    r["mode"] = _choice(r["mode"], "mode", perf.MODES)
    r["backend"] = _choice(r["backend"], "backend", perf.BACKENDS)
    r["isl"] = _positive_int(request["isl"], "isl")
    r["osl"] = _positive_int(request["osl"], "osl")
    conc = request["concurrency"]
    r["concurrency"] = -1 if str(conc).strip().lower() == "max" else _positive_int(conc, "concurrency (or max)")
    numeric = [k for k in OPTIONAL if k not in ("mode", "backend")]
    for k in numeric:
        if r[k] is not None:
            r[k] = _positive_int(r[k], k)
    m = _lookup(lookups, models.get, r["model"])
    return _validate_disagg(r, m) if r["mode"] == "disagg" else _validate_agg(r, m)


def _lookup(memo: dict, function, key: str):
    # ids repeat down a table; the catalog lookups are the costly part of validating a row
    if (function, key) not in memo:
        try:
            memo[function, key] = function(key)
        except KeyError as error:
            memo[function, key] = InputError(error.args[0])
    found = memo[function, key]
    if isinstance(found, InputError):
        raise found
    return found


def _divisors(n: int) -> str:
    return ", ".join(str(d) for d in range(1, n + 1) if n % d == 0)


def _validate_agg(r: dict, m: models.ModelConfig) -> dict:
    given = [k for k, v in DISAGG_FIELDS.items() if r[k] is not None and r[k] != v]
    if given:
        raise InputError(f"{', '.join(given)} apply to --mode disagg only")
    if r["gpus"] is None:
        if r["tp"] is None or r["dp"] is None:
            raise InputError("missing gpus (or give both tp and dp)")
        r["gpus"] = r["tp"] * r["dp"]
    gpus = r["gpus"]
    for k in ("tp", "dp", "ep", "moe_tp"):
        if r[k] is not None and gpus % r[k]:
            raise InputError(f"gpus ({gpus}) is not divisible by {k} ({r[k]}); valid {k}: {_divisors(gpus)}")
    if r["tp"] is not None and r["dp"] is not None and r["tp"] * r["dp"] != gpus:
        raise InputError(f"tp x dp must equal gpus: {r['tp']} x {r['dp']} != {gpus}")
    if r["ep"] is not None and r["moe_tp"] is not None and r["ep"] * r["moe_tp"] != gpus:
        raise InputError(f"moe_tp x ep must equal gpus: {r['moe_tp']} x {r['ep']} != {gpus}")
    if m.is_moe and r["ep"] is not None and r["ep"] > m.n_routed_experts:
        raise InputError(f"ep ({r['ep']}) exceeds the {m.n_routed_experts} routed experts of {m.model_id}")
    if not m.is_moe and r["ep"] not in (None, 1):
        raise InputError(f"{m.model_id} is dense: ep must be 1")
    if r["ep"] is not None and r["moe_tp"] is None:
        r["moe_tp"] = gpus // r["ep"] if m.is_moe else None
    if r["tp"] is not None:
        tp, dp = perf.engine_attention(m.n_heads, r["tp"], gpus // r["tp"])
        r["tp"], r["dp"] = int(tp), int(dp)
    return r


def _validate_disagg(r: dict, m: models.ModelConfig) -> dict:
    need = [k for k in ("prefill_workers", "prefill_tp", "decode_workers", "decode_tp") if r[k] is None]
    if need:
        raise InputError(f"--mode disagg needs {', '.join('--' + k.replace('_', '-') for k in need)}")
    given = [k for k in AGG_FIELDS if r[k] is not None]
    if given:
        raise InputError(f"{', '.join(given)} apply to --mode agg; use the prefill_/decode_ fields")
    for pool in ("prefill", "decode"):
        ep = r[f"{pool}_ep"]
        if not m.is_moe and ep != 1:
            raise InputError(f"{m.model_id} is dense: {pool}_ep must be 1")
        if m.is_moe and ep > m.n_routed_experts:
            raise InputError(f"{pool}_ep ({ep}) exceeds the {m.n_routed_experts} routed experts of {m.model_id}")
        gpus = r[f"{pool}_tp"] * r[f"{pool}_dp"]
        if gpus % ep:
            raise InputError(f"{pool} GPUs ({gpus} = tp x dp) are not divisible by {pool}_ep ({ep})")
    total = sum(r[f"{p}_workers"] * r[f"{p}_tp"] * r[f"{p}_dp"] for p in ("prefill", "decode"))
    if r["gpus"] is not None and r["gpus"] != total:
        raise InputError(f"gpus ({r['gpus']}) must equal the GPUs of both pools ({total}), or be omitted")
    r["gpus"] = total
    return r


# --- prediction -------------------------------------------------------------------------------------


def _pool_layout(m: models.ModelConfig, tp: np.ndarray, dp: np.ndarray, ep: np.ndarray) -> dict:
    tp, dp = perf.engine_attention(m.n_heads, tp, dp)
    gpus = tp * dp
    return {"tp": tp, "dp": dp, "moe_tp": np.where(m.is_moe, gpus // ep, tp), "moe_ep": np.where(m.is_moe, ep, 1)}


def _candidates(group: list[dict], h, m) -> tuple[np.ndarray, np.ndarray]:
    # every layout each aggregated request allows, flattened: (request position, layout row)
    cache, owner, rows = {}, [], []
    for i, r in enumerate(group):
        key = (r["gpus"], r["tp"], r["dp"], r["ep"], r["moe_tp"])
        if key not in cache:
            cache[key] = perf.layouts(h, m, *key)
        owner.extend([i] * len(cache[key]))
        rows.append(cache[key])
    return np.asarray(owner, dtype=int), np.concatenate(rows) if rows else np.zeros((0, 4), dtype=int)


def _evaluate(group: list[dict], h, m, precision: str, mode: str, backend: str, params) -> tuple[dict, dict]:
    """Central results and layouts, one per request, for a group sharing hardware, model, format, mode, engine."""
    isl = np.array([r["isl"] for r in group], dtype=float)
    osl = np.array([r["osl"] for r in group], dtype=float)
    conc = np.array([r["concurrency"] for r in group], dtype=float)
    b = perf.backend_index(backend)
    if mode == "disagg":
        lay = {p: _pool_layout(m, *(np.array([r[f"{p}_{k}"] for r in group], dtype=int) for k in ("tp", "dp", "ep")))
               for p in ("prefill", "decode")}
        kw = {"prefill_workers": np.array([r["prefill_workers"] for r in group], dtype=float),
              "decode_workers": np.array([r["decode_workers"] for r in group], dtype=float),
              "prefill_batch": np.array([r["prefill_batch"] for r in group], dtype=float),
              "decode_batch": np.array([np.nan if r["decode_batch"] is None else r["decode_batch"] for r in group])}

        def run(p, idx):
            c = perf.constants(m, precision, h, isl[idx], osl[idx])
            pick = {k: v[idx] for k, v in kw.items()}
            batch = pick.pop("decode_batch")
            res = perf.serve_disagg(c, p, {k: v[idx] for k, v in lay["prefill"].items()},
                                    {k: v[idx] for k, v in lay["decode"].items()}, b, conc[idx], **pick,
                                    decode_batch=np.where(np.isnan(batch), conc[idx] / (
                                        pick["decode_workers"] * lay["decode"]["dp"][idx]), batch))
            return res
        idx = np.arange(len(group))
        return run(params, idx), {"run": run, "idx": idx, "layout": None}
    owner, rows = _candidates(group, h, m)
    lay = {k: rows[:, i] for i, k in enumerate(("tp", "dp", "moe_tp", "moe_ep"))}

    def run(p, pick):
        c = perf.constants(m, precision, h, isl[owner[pick]], osl[owner[pick]])
        return perf.serve(c, p, {k: v[pick] for k, v in lay.items()}, b, conc[owner[pick]])
    everything = run(params, np.arange(len(owner)))
    score = np.where(everything["feasible"], everything["output_tokens_per_s_per_gpu"], -np.inf)
    best = np.full(len(group), -1)
    if len(owner):
        order = np.lexsort((-score, owner))   # per request, best score first
        first = np.r_[True, owner[order][1:] != owner[order][:-1]]
        best[owner[order][first]] = order[first]
    has = best >= 0
    pick = np.where(has, best, 0)
    central = {k: np.where(has, np.asarray(v)[pick] if len(owner) else np.nan, np.nan) for k, v in everything.items()}
    central["feasible"] = has & (central["feasible"] == 1)
    return central, {"run": run, "idx": pick, "layout": {k: np.where(has, v[pick] if len(owner) else 0, 0)
                                                        for k, v in lay.items()}, "has": has}


def _interval(central: dict, draws: dict, metric: str) -> tuple[np.ndarray, np.ndarray]:
    residual = {"ttft_s": "ttft_s", "tpot_s": "tpot_s"}.get(metric, "output_tokens_per_s_per_gpu")
    lo_q, hi_q = perf.residual_quantiles(residual)
    value = np.asarray(central[metric], dtype=float)
    spread = np.asarray(draws[metric], dtype=float)
    with warnings.catch_warnings():   # an infeasible request has no draws: NaN bounds, reported as such
        warnings.simplefilter("ignore", RuntimeWarning)
        q05, q95 = np.nanpercentile(spread, [5, 95], axis=0)
    low = np.fmin(q05, value) * np.exp(lo_q)
    high = np.fmax(q95, value) * np.exp(hi_q)
    return low, high


def predict_frame(requests: pd.DataFrame, params: perf.Params | None = None,
                  draws: list[perf.Params] | None = None) -> pd.DataFrame:
    """Predict every row of a table whose columns are named like :func:`predict`'s arguments.

    Rows with bad input get ``feasible`` False and the error in ``notes``.

    Parameters
    ----------
    requests : pandas.DataFrame
        One request per row: columns :data:`REQUIRED` and any of :data:`OPTIONAL`
        (``isl, osl`` [tokens], counts [-], ``concurrency`` [-] or "max").
    params : Params, optional
        Central parameters [units per field]; default :func:`analysis.perf.parameters`.
    draws : list of Params, optional
        Parameter sets for the intervals; default :func:`analysis.perf.parameter_draws`.

    Returns
    -------
    pandas.DataFrame
        The input's own columns (those not in :data:`RESULT_COLUMNS`), then :data:`RESULT_COLUMNS`
        (resolved ids and degrees; a bad row keeps only ``feasible`` False and ``notes``).

    Raises
    ------
    InputError
        A required column is missing, or a column is unknown.
    """
    known = [*REQUIRED, *OPTIONAL]
    missing = [k for k in REQUIRED if k not in requests.columns]
    # other columns (the reader's ids, measurements) pass through; a near miss of a field is a typo
    typos = {c: difflib.get_close_matches(str(c), known, n=1, cutoff=0.8) for c in requests.columns if c not in known}
    typos = {c: m[0] for c, m in typos.items() if m}
    if missing or typos:
        raise InputError(f"columns: missing {missing}, unknown {sorted(typos)} (did you mean "
                         f"{', '.join(typos.values()) or '-'}?); required: {', '.join(REQUIRED)}; "
                         f"optional: {', '.join(OPTIONAL)}")
    p = perf.parameters() if params is None else params
    stacked = perf.stack(perf.parameter_draws() if draws is None else draws)
    records = requests.to_dict("records")
    lookups: dict = {}
    out = [None] * len(records)
    groups: dict[tuple, list[int]] = {}
    valid = {}
    for i, row in enumerate(records):
        try:
            valid[i] = validate({k: v for k, v in row.items() if k in known}, lookups)
        except InputError as error:
            out[i] = {"feasible": False, "notes": f"bad input: {error}"}
            continue
        r = valid[i]
        groups.setdefault((r["hardware"], r["model"], r["precision"], r["mode"], r["backend"]), []).append(i)
    for (hw, model, precision, mode, backend), members in groups.items():
        for i, result in zip(members, _predict_group([valid[i] for i in members], hw, model, precision, mode,
                                                     backend, p, stacked)):
            out[i] = result
    table = pd.DataFrame(out, columns=RESULT_COLUMNS)
    for k in ("gpus", "tp", "dp", "moe_tp", "ep", "isl", "osl", "concurrency"):
        table[k] = table[k].astype("Int64")
    table["feasible"] = table["feasible"].astype(bool)
    extra = [k for k in requests.columns if k not in RESULT_COLUMNS]
    return pd.concat([requests[extra].reset_index(drop=True), table], axis=1)


def _predict_group(group, hw, model, precision, mode, backend, params, stacked) -> list[dict]:
    h, m = systems.get(hw), models.get(model)
    central, how = _evaluate(group, h, m, precision, mode, backend, params)
    n = len(group)
    gpus = np.array([r["gpus"] for r in group], dtype=float)
    mw = gpus * h.power_kw / 1e3
    central["tokens_per_s_per_mw"] = np.asarray(central["output_tokens_per_s"], dtype=float) / mw
    k_draws = len(next(iter(stacked.values())))
    spread = {k: np.broadcast_to(np.asarray(v, dtype=float), (k_draws, n))
              for k, v in how["run"](stacked, how["idx"]).items() if k in INTERVAL_METRICS}
    spread["tokens_per_s_per_mw"] = spread["output_tokens_per_s"] / mw
    bounds = {k: _interval(central, spread, k) for k in INTERVAL_METRICS if k != "tokens_per_s_per_user"}
    bounds["tokens_per_s_per_user"] = (1.0 / bounds["tpot_s"][1], 1.0 / bounds["tpot_s"][0])   # 1 / TPOT
    base_notes = []
    if h.projection:
        base_notes.append("projection: unreleased hardware, roadmap specs")
    base_notes += [note for note in h.notes if note.split(":")[0] in (precision, "bf16")]
    results = []
    for j, r in enumerate(group):
        feasible = bool(central["feasible"][j])
        notes = list(base_notes)
        row = {"hardware": h.hardware, "model": m.model_id, "precision": precision, "mode": mode, "backend": backend,
               "gpus": int(r["gpus"]), "isl": r["isl"], "osl": r["osl"], "projection": h.projection}
        if mode == "agg":
            lay = {k: int(how["layout"][k][j]) for k in ("tp", "dp", "moe_tp", "moe_ep")}
            row.update(tp=lay["tp"], dp=lay["dp"], moe_tp=lay["moe_tp"], ep=lay["moe_ep"])
            if any(r[k] is None for k in ("tp", "dp")) or (m.is_moe and r["ep"] is None):
                notes.append("parallelism chosen for the highest output tokens/s per GPU")
        else:
            row.update(tp=0, dp=0, moe_tp=0, ep=0)
            notes.append(f"disaggregated: {r['prefill_workers']} prefill x {r['prefill_tp'] * r['prefill_dp']} GPUs, "
                         f"{r['decode_workers']} decode x {r['decode_tp'] * r['decode_dp']} GPUs")
        if r["concurrency"] < 0:
            notes.append("concurrency=max: largest batch the KV cache holds")
        row["concurrency"] = int(round(float(central["concurrency"][j]))) if feasible else max(r["concurrency"], 0)
        row["feasible"] = feasible
        for k in INTERVAL_METRICS:
            ok = feasible and np.isfinite(central[k][j])
            row[k] = float(central[k][j]) if ok else math.nan
            row[f"{k}_low"] = float(bounds[k][0][j]) if ok else math.nan
            row[f"{k}_high"] = float(bounds[k][1][j]) if ok else math.nan
        if not feasible:
            notes.append("infeasible: " + _why_infeasible(h, m, precision, r))
        row["notes"] = "; ".join(notes)
        results.append(row)
    return results


def _why_infeasible(h, m, precision: str, r: dict) -> str:
    usable = perf.usable_bytes({"hbm_bytes": h.hbm_gb * 1e9}) / 1e9
    grid = perf.layouts(h, m, r["gpus"], r["tp"], r["dp"], r["ep"], r["moe_tp"]) if r["mode"] == "agg" else None
    if grid is not None and len(grid) == 0:
        return (f"no layout: attention tp must divide the {m.n_heads} heads, moe_tp x ep = gpus, "
                f"ep at most the {m.n_routed_experts} experts")
    c = perf.constants(m, precision, h, r["isl"], r["osl"])
    if grid is not None:
        lay = {k: grid[:, i].astype(float) for i, k in enumerate(("tp", "dp", "moe_tp", "moe_ep"))}
    else:
        lay = _pool_layout(m, np.array([r["prefill_tp"]]), np.array([r["prefill_dp"]]), np.array([r["prefill_ep"]]))
    need = float(np.min(perf.weights_per_gpu(c, lay))) / 1e9
    if need > usable:
        return f"weights need {need:.0f} GB per GPU at best, more than the usable {usable:.0f} GB"
    return "the KV cache cannot hold one sequence of this length"


def predict(hardware, model, precision, isl, osl, concurrency, gpus=None, params: perf.Params | None = None,
            draws: list[perf.Params] | None = None, **deployment) -> Prediction:
    """Predict serving performance of a model on a hardware id, with an interval.

    Parameters
    ----------
    hardware : str
        A hardware id or alias (``h200``, ``h200_sxm``, ``gb300`` ...; :data:`analysis.systems.HARDWARE`).
    model : str
        A model id or alias of ``data/models.csv``.
    precision : {"bf16", "fp8", "fp4"}
        Weight format (KV cache in BF16 with BF16, else FP8).
    isl, osl : int
        Input and output tokens per request [tokens].
    concurrency : int or "max"
        Requests in flight (closed loop) [-]; "max" is the most the KV cache holds.
    gpus : int, optional
        GPUs [-] (aggregated: ``tp x dp``; disaggregated: derived from the pools).
    params, draws : optional
        Central parameters and the bootstrap draws; default the stored ones.
    **deployment
        ``mode`` ("agg"/"disagg"), ``backend`` (trtllm, vllm, sglang), aggregated ``tp, dp, ep, moe_tp``
        (omitted ones chosen for the most tokens/s per GPU; ``ep`` alone sets ``moe_tp = gpus / ep``), or
        disaggregated ``prefill_workers, prefill_tp, prefill_dp, prefill_ep, prefill_batch`` and
        ``decode_workers, decode_tp, decode_dp, decode_ep, decode_batch`` [-].

    Returns
    -------
    Prediction

    Raises
    ------
    InputError
        Unknown ids or invalid numbers; the message lists the valid choices.

    Examples
    --------
    >>> r = predict("h200", "deepseek-r1", "fp8", 1024, 1024, 32, gpus=8, tp=8, ep=1)
    >>> r.feasible, (r.tp, r.dp, r.moe_tp, r.ep), r.tpot_s_low < r.tpot_s < r.tpot_s_high
    (True, (8, 1, 8, 1), True)
    >>> predict("h100", "llama-3.1-405b", "bf16", 1000, 100, 1, gpus=8).feasible    # 811 GB of weights on 640 GB
    False
    """
    request = {"hardware": hardware, "model": model, "precision": precision, "isl": isl, "osl": osl,
               "concurrency": concurrency, "gpus": gpus, **deployment}
    frame = predict_frame(pd.DataFrame([request], dtype=object), params, draws)
    row = frame.iloc[0]
    if str(row["notes"]).startswith("bad input: "):
        raise InputError(str(row["notes"])[len("bad input: "):])
    values = {k: row[k] for k in RESULT_COLUMNS}
    for f in fields(Prediction):   # plain Python types, NaN kept for the metrics of an infeasible request
        values[f.name] = {"int": int, "bool": bool, "float": float, "str": str}[f.type](values[f.name])
    return Prediction(**values)
