"""The one loader for every data table, validated against ``data/datapackage.json``.

The schema is a Frictionless Data Package (tables, columns, types, units,
primary and foreign keys, allowed values).  :func:`load` validates a table with
the reference implementation, ``frictionless`` (chosen over pandera because the
schema is then a standard, language-neutral file that readers can use without
our code, and the validator reads it as is, foreign keys included), then
applies the cross-column rules a column schema cannot express (a unit must
measure its metric; a derived value must name its inputs; one preferred row
per conflict group).  Any failure raises :class:`DataValidationError` naming
the file, the line, the column and the rule.

Nothing is read at import time.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import units

#: The folder with the CSV tables and their schema.
DATA_DIR = Path(__file__).resolve().parent.parent / "data"

_PANDAS_TYPES = {"string": "string", "number": "float64", "integer": "Int64", "boolean": "boolean"}


@dataclass(frozen=True)
class Problem:
    """One broken rule in one cell (or row) of a data file."""

    file: str
    line: int | None
    column: str | None
    rule: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: [{self.rule}] {self.message}"


class DataValidationError(ValueError):
    """Raised by :func:`load` when a table breaks its schema."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        shown = "\n  ".join(str(p) for p in self.problems[:20])
        more = f"\n  ... and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(f"{len(self.problems)} data problem(s):\n  {shown}{more}")


def datapackage(data_dir: Path | None = None) -> dict:
    """Return the data package descriptor (the schema of every table).

    Parameters
    ----------
    data_dir : pathlib.Path, optional
        Folder holding ``datapackage.json``; default :data:`DATA_DIR`.

    Returns
    -------
    dict
        The parsed ``datapackage.json``.

    Examples
    --------
    >>> {"claims", "hardware_specs"} <= {r["name"] for r in datapackage()["resources"]}
    True
    """
    data_dir = Path(data_dir) if data_dir is not None else DATA_DIR
    return json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))


def table_names(data_dir: Path | None = None) -> list[str]:
    """Names of all tables in the data package, in schema order.

    Parameters
    ----------
    data_dir : pathlib.Path, optional
        Folder of the data package; default :data:`DATA_DIR`.
    """
    return [r["name"] for r in datapackage(data_dir)["resources"]]


def schema_of(name: str, data_dir: Path | None = None) -> dict:
    """Return the resource descriptor of table ``name``.

    Parameters
    ----------
    name : str
        Table name in ``datapackage.json``.
    data_dir : pathlib.Path, optional
        Folder of the data package; default :data:`DATA_DIR`.

    Raises
    ------
    KeyError
        If the package has no such table; the message lists the valid names.
    """
    for resource in datapackage(data_dir)["resources"]:
        if resource["name"] == name:
            return resource
    raise KeyError(f"no table {name!r}; tables: {', '.join(table_names(data_dir))}")


def load(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Load and validate one data table.

    Parameters
    ----------
    name : str
        Table name in ``datapackage.json`` (e.g. ``"hardware_specs"``).
    data_dir : pathlib.Path, optional
        Folder of the data package; default :data:`DATA_DIR` (tests pass a copy).

    Returns
    -------
    pandas.DataFrame
        One column per schema field, typed as the schema says.  ``hardware_specs``
        gains ``value_in_metric_unit``: the value converted into the canonical
        unit its metric id ends with (e.g. TFLOP/s -> PFLOP/s for
        ``compute_pflop_s``).

    Raises
    ------
    DataValidationError
        If the table (or a table it references) breaks a rule; the message
        names the file, the line, the column and the rule.

    Examples
    --------
    >>> specs = load("hardware_specs")
    >>> h100 = specs.query("spec_id == 'h100-sxm.compute_pflop_s.bf16.sparse.per_package.1'")
    >>> float(h100["value"].iloc[0]), h100["unit"].iloc[0], float(h100["value_in_metric_unit"].iloc[0])
    (1979.0, 'TFLOP/s', 1.979)
    """
    return _load_cached(name, *version(data_dir)).copy()


def version(data_dir: Path | None = None) -> tuple:
    """What the data are now: the folder, and each file's name, modification time and size.

    :func:`load` caches on it; so may any cache of a result computed from the tables (it changes
    when a file is edited, or when ``DATA_DIR`` points elsewhere, as the tests' edited copies do).

    Parameters
    ----------
    data_dir : pathlib.Path, optional
        Folder of the data package; default :data:`DATA_DIR`.

    Returns
    -------
    tuple
        ``(folder, ((file name, mtime [ns], size [bytes]), ...))``, hashable.

    Examples
    --------
    >>> version() == version() and version()[0] == DATA_DIR
    True
    """
    data_dir = Path(data_dir).resolve() if data_dir is not None else DATA_DIR
    files = ((p.name, p.stat()) for p in data_dir.iterdir() if p.is_file())
    return data_dir, tuple(sorted((name, st.st_mtime_ns, st.st_size) for name, st in files))


@functools.lru_cache(maxsize=64)
def _load_cached(name: str, data_dir: Path, _stamp: tuple) -> pd.DataFrame:
    resource = schema_of(name, data_dir)
    problems = _frictionless_problems(name, data_dir)
    if problems:
        raise DataValidationError(problems)
    frame = _read_typed(resource, data_dir)
    rules = _TABLE_RULES.get(name)
    if rules is not None:
        problems = rules(frame, resource, data_dir)
        if problems:
            raise DataValidationError(problems)
    if name == "hardware_specs":
        frame = _with_canonical_values(frame, data_dir)
    return frame


def _frictionless_problems(name: str, data_dir: Path) -> list[Problem]:
    # imported here: frictionless is slow to import and nothing loads at import time
    from frictionless import Package

    package = Package(str(data_dir / "datapackage.json"), basepath=str(data_dir))
    resource = package.get_resource(name)
    path = f"data/{resource.path}"
    if not (data_dir / resource.path).exists():
        return [Problem(path, None, None, "missing-file", "the file does not exist")]
    report = resource.validate()
    problems = []
    for task in report.tasks:
        for error in task.errors:
            problems.append(
                Problem(
                    file=path,
                    line=getattr(error, "row_number", None),
                    column=getattr(error, "field_name", None),
                    rule=error.type + (f" ({error.note})" if getattr(error, "note", "") else ""),
                    message=_short_message(error),
                )
            )
    return problems


def _short_message(error) -> str:
    cell = getattr(error, "cell", None)
    if error.type == "type-error":
        return f"{cell!r} is not of the column's type"
    if error.type == "constraint-error":
        return f"{cell!r} breaks the column's constraint"
    return error.message


def _read_typed(resource: dict, data_dir: Path) -> pd.DataFrame:
    fields = resource["schema"]["fields"]
    dtypes = {f["name"]: _PANDAS_TYPES.get(f["type"], "string") for f in fields}
    booleans = [f["name"] for f in fields if f["type"] == "boolean"]
    frame = pd.read_csv(
        data_dir / resource["path"],
        dtype={k: ("string" if v == "boolean" else v) for k, v in dtypes.items()},
        keep_default_na=False,
        na_values={k: [""] for k, v in dtypes.items() if v != "string"},
    )
    for column in booleans:
        frame[column] = frame[column].str.lower().map({"true": True, "false": False}).astype("boolean")
    return frame


def _line(index: int) -> int:
    # line 1 is the header
    return int(index) + 2


def _spec_rules(frame: pd.DataFrame, resource: dict, data_dir: Path) -> list[Problem]:
    path = f"data/{resource['path']}"
    metrics = load("metrics", data_dir).set_index("metric")
    problems: list[Problem] = []
    compute_metrics = {m for m, d in metrics["dimension"].items() if d in ("flop_rate", "op_rate")}
    link_metrics = {"nvlink_bandwidth_tb_s", "nic_bandwidth_tb_s"}
    for index, row in frame.iterrows():
        line = _line(index)
        metric = row["metric"]
        expected_dimension = metrics.at[metric, "dimension"]
        try:
            unit_dimension = units.dimension_of(row["unit"])
        except units.UnitError as error:
            problems.append(Problem(path, line, "unit", "unit-of-metric", str(error)))
            continue
        if unit_dimension != expected_dimension:
            problems.append(
                Problem(
                    path, line, "unit", "unit-of-metric",
                    f"unit {row['unit']!r} measures {unit_dimension}, but metric {metric!r} is a {expected_dimension} "
                    f"(canonical unit {metrics.at[metric, 'canonical_unit']})",
                )
            )
        is_compute = metric in compute_metrics
        if is_compute == (row["precision"] == "none"):
            problems.append(Problem(path, line, "precision", "precision-of-metric",
                                    f"precision {row['precision']!r} does not fit metric {metric!r} "
                                    "(FLOPs metrics need a number format, other metrics 'none')"))
        if is_compute == (row["sparsity"] == "not_applicable"):
            problems.append(Problem(path, line, "sparsity", "basis-of-metric",
                                    f"sparsity {row['sparsity']!r} does not fit metric {metric!r} "
                                    "(dense/sparse for FLOPs, not_applicable otherwise)"))
        if (metric in link_metrics) == (row["direction"] == "not_applicable"):
            problems.append(Problem(path, line, "direction", "basis-of-metric",
                                    f"direction {row['direction']!r} does not fit metric {metric!r} "
                                    "(uni- or bidirectional for links, not_applicable otherwise)"))
        if row["status"] == "derived" and (pd.isna(row["derivation"]) or len(str(row["derivation"]).strip()) < 5):
            problems.append(Problem(path, line, "derivation", "derived-needs-formula",
                                    "a derived value must name its inputs and formula"))
    group = ["product_id", "metric", "precision", "sparsity", "direction", "scope"]
    preferred = frame.groupby(group, sort=False)["preferred"].agg(["sum", "size"])
    for key, counts in preferred.iterrows():
        if counts["sum"] != 1:
            first = frame.index[(frame[group] == pd.Series(key, index=group)).all(axis=1)][0]
            problems.append(Problem(path, _line(first), "preferred", "one-preferred-per-group",
                                    f"{int(counts['sum'])} of {int(counts['size'])} rows of {dict(zip(group, key))} "
                                    "are preferred; exactly one must be"))
    return problems


def _range_rules(frame: pd.DataFrame, resource: dict, data_dir: Path) -> list[Problem]:
    """Network and cost tables: a range must hold its value; a derived value must name its formula;
    a switch's ports times speed must equal its capacity."""
    path = resource.get("_file", f"data/{resource['path']}")
    names = {"network_optics": ("power_w", "power_low_w", "power_high_w"),
             "network_assumptions": ("value", "low", "high"), "tco_assumptions": ("value", "low", "high")}.get(resource["name"])
    problems: list[Problem] = []
    for index, row in frame.iterrows():
        line = _line(index)
        if names and not (row[names[1]] <= row[names[0]] <= row[names[2]]):
            problems.append(Problem(path, line, names[0], "value-within-range",
                                    f"{row[names[0]]} is outside [{row[names[1]]}, {row[names[2]]}]"))
        if "derivation" in frame and row["status"] == "derived" and (
                pd.isna(row["derivation"]) or len(str(row["derivation"]).strip()) < 5):
            problems.append(Problem(path, line, "derivation", "derived-needs-formula",
                                    "a derived value must name its inputs and formula"))
        if resource["name"] == "network_switches" and abs(
                row["ports_count"] * row["port_speed_gb_s"] / 1000 - row["capacity_tb_s"]) > 0.01 * row["capacity_tb_s"]:
            problems.append(Problem(path, line, "capacity_tb_s", "ports-times-speed",
                                    f"{row['ports_count']} x {row['port_speed_gb_s']} Gb/s != {row['capacity_tb_s']} Tb/s"))
    return problems


_TABLE_RULES = {"hardware_specs": _spec_rules, "network_switches": _range_rules, "network_optics": _range_rules,
                "network_assumptions": _range_rules, "tco_assumptions": _range_rules}


def load_file(name: str, path, data_dir: Path | None = None) -> pd.DataFrame:
    """Load and validate a CSV outside ``data/`` with the schema of table ``name`` (a reader's override file).

    Foreign keys are not checked (the file may hold a few rows only); every other
    rule of :func:`load` is.

    Parameters
    ----------
    name : str
        Table whose schema applies (e.g. ``"tco_assumptions"``).
    path : str or pathlib.Path
        The CSV file.
    data_dir : pathlib.Path, optional
        Folder of the data package; default :data:`DATA_DIR`.

    Returns
    -------
    pandas.DataFrame
        Typed as :func:`load` types ``name``.

    Raises
    ------
    DataValidationError
        Naming the file, line, column and rule of each problem.
    """
    from frictionless import Resource

    path = Path(path).resolve()
    if not path.is_file():
        raise DataValidationError([Problem(str(path), None, None, "missing-file", "the file does not exist")])
    descriptor = dict(schema_of(name, data_dir))
    descriptor["schema"] = {k: v for k, v in descriptor["schema"].items() if k != "foreignKeys"}
    descriptor.update(path=path.name, name=name)
    report = Resource(descriptor, basepath=str(path.parent)).validate()
    problems = [Problem(str(path), getattr(e, "row_number", None), getattr(e, "field_name", None),
                        e.type + (f" ({e.note})" if getattr(e, "note", "") else ""), _short_message(e))
                for task in report.tasks for e in task.errors]
    if problems:
        raise DataValidationError(problems)
    frame = _read_typed({**descriptor, "path": path.name}, path.parent)
    rules = _TABLE_RULES.get(name)
    if rules is not None:
        problems = rules(frame, {**descriptor, "_file": str(path)}, Path(data_dir) if data_dir else DATA_DIR)
        if problems:
            raise DataValidationError(problems)
    return frame


def assumption(table: str, parameter: str, which: str = "value", *, frame: pd.DataFrame | None = None,
               hardware: str | None = None) -> float:
    """One value of an assumption table (``network_assumptions``, ``scaling_assumptions``, ``tco_assumptions``).

    Reads the row whose ``parameter`` is ``parameter``; with ``hardware``, that hardware's row if the
    table has one, else its ``all`` row.

    Parameters
    ----------
    table : str
        Table name [-]: loaded with :func:`load` unless ``frame`` is given; named in errors.
    parameter : str
        Parameter id (the row's ``parameter``) [-].
    which : {"value", "low", "high"}
        Central value or an end of the range [-].
    frame : pandas.DataFrame, optional
        The table as already loaded (or edited: a reader's override, a sensitivity case).
    hardware : str, optional
        Hardware id, for tables with a ``hardware`` column [-].

    Returns
    -------
    float
        The value [the row's unit].

    Raises
    ------
    KeyError
        If no row has that parameter (for that hardware), or no column is ``which``; the message
        names the table and lists the valid names.

    Examples
    --------
    >>> assumption("network_assumptions", "pue"), assumption("network_assumptions", "pue", "high")
    (1.3, 1.56)
    >>> assumption("tco_assumptions", "system_price_usd_per_gpu", hardware="h100")   # h100's own row
    33750.0
    >>> assumption("tco_assumptions", "utilization", "low", hardware="h100")   # no h100 row: the all row
    0.5
    """
    frame = load(table) if frame is None else frame
    # numpy masks, not pandas indexing: the cost model reads thousands of values per verdict
    names = frame["parameter"].to_numpy()
    hit = names == parameter
    if hardware is not None:
        machines = frame["hardware"].to_numpy()
        own = hit & (machines == hardware)
        hit = own if own.any() else hit & (machines == "all")
    if not hit.any():
        offered = names if hardware is None else names[np.isin(machines, [hardware, "all"])]
        scope = "" if hardware is None else f" for hardware {hardware!r}"
        raise KeyError(f"no parameter {parameter!r}{scope} in table {table!r}; parameters: "
                       f"{', '.join(dict.fromkeys(offered))}")
    if which not in frame.columns:
        raise KeyError(f"no column {which!r} in table {table!r}; columns: value, low, high")
    return float(frame[which].to_numpy()[np.argmax(hit)])


def _with_canonical_values(frame: pd.DataFrame, data_dir: Path) -> pd.DataFrame:
    canonical = load("metrics", data_dir).set_index("metric")["canonical_unit"]
    factors = [units.conversion_factor(u, canonical[m]) for u, m in zip(frame["unit"], frame["metric"])]
    frame = frame.copy()
    frame["value_in_metric_unit"] = frame["value"] * pd.Series(factors, index=frame.index)
    return frame


def product_names(data_dir: Path | None = None) -> dict[str, str]:
    """Display name of every product, in roadmap order.

    Parameters
    ----------
    data_dir : pathlib.Path, optional
        Folder of the data package; default :data:`DATA_DIR`.

    Returns
    -------
    dict
        ``product_id -> name`` (``data/products.csv``).

    Examples
    --------
    >>> product_names()["gb300-nvl72"]
    'GB300 NVL72'
    """
    products = load("products", data_dir)
    return dict(zip(products["product_id"], products["name"]))


def glossary(data_dir: Path | None = None) -> pd.DataFrame:
    """Every column of every table with its type, unit and meaning (from the schema).

    Parameters
    ----------
    data_dir : pathlib.Path, optional
        Folder of the data package; default :data:`DATA_DIR`.

    Returns
    -------
    pandas.DataFrame
        ``table, column, type, required, allowed, description``.

    Examples
    --------
    >>> g = glossary().set_index(["table", "column"])
    >>> g.loc[("hardware_specs", "direction"), "allowed"]
    'unidirectional, bidirectional, not_applicable'
    """
    rows = []
    for resource in datapackage(data_dir)["resources"]:
        for f in resource["schema"]["fields"]:
            constraints = f.get("constraints", {})
            allowed = ", ".join(map(str, constraints.get("enum", [])))
            if not allowed and "minimum" in constraints:
                allowed = f">= {constraints['minimum']}"
            if not allowed and "pattern" in constraints:
                allowed = f"pattern {constraints['pattern']}"
            rows.append(
                {
                    "table": resource["name"],
                    "column": f["name"],
                    "type": f["type"],
                    "required": bool(constraints.get("required", False)),
                    "allowed": allowed,
                    "description": f.get("description", ""),
                }
            )
    return pd.DataFrame(rows)


def sources(data_dir: Path | None = None) -> pd.DataFrame:
    """Every source cited by any table, with how many rows cite it.

    Parameters
    ----------
    data_dir : pathlib.Path, optional
        Folder of the data package; default :data:`DATA_DIR`.

    Returns
    -------
    pandas.DataFrame
        ``source_title, source_url, source_date, rows, tables`` sorted by title.
    """
    frames = []
    for name in table_names(data_dir):
        frame = load(name, data_dir)
        if "source_url" in frame:
            frames.append(frame[["source_title", "source_url", "source_date"]].assign(table=name))
    every = pd.concat(frames, ignore_index=True)
    summary = every.groupby(["source_title", "source_url", "source_date"], as_index=False).agg(
        rows=("table", "size"), tables=("table", lambda t: ", ".join(sorted(set(t))))
    )
    return summary.sort_values(["source_title", "source_date"]).reset_index(drop=True)
