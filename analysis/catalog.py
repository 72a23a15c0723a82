"""The data catalog: every table of the data package, its columns with units, row counts and sources,
and the data package as one deterministic zip file.

Everything is read from ``data/datapackage.json`` and the tables it lists
(through :func:`analysis.data.load`), so the catalog page cannot drift from the
data.  The zip holds the descriptor, ``data/README.md`` and every resource file
in sorted order with fixed timestamps and permissions: the same data give the
same bytes, on any machine, on any day.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd

from analysis import data

#: File name of the data package zip in the built site (stable, so pages can link to it).
ZIP_NAME = "gtc2025-inference-claims-data.zip"

#: Timestamp of every zip entry: the earliest a zip can store (the data's own dates are in the tables).
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)

#: Files of ``data/`` in the zip besides the resources.
ZIP_EXTRA = ("datapackage.json", "README.md")

#: Provenance column naming each row's source.
_SOURCE = "source_url"


def unit_of(field: dict, field_names: frozenset[str] | set[str] = frozenset()) -> str:
    """The unit of a column: the ``[unit]`` its description ends with.

    A long table stores the unit of its ``value``, ``low`` and ``high`` columns
    per row in a ``unit`` column; those say so.  Text columns have no unit.

    Parameters
    ----------
    field : dict
        A field of a Frictionless table schema (``name``, ``type``, ``description``).
    field_names : set of str, optional
        Every column of the same table (to see whether it has a ``unit`` column).

    Returns
    -------
    str
        The unit, ``"per row (column unit)"``, or ``""``.

    Examples
    --------
    >>> unit_of({"name": "power_w", "type": "number", "description": "Power of one port end. [W]"})
    'W'
    >>> unit_of({"name": "value", "type": "number", "description": "Value as published."}, {"value", "unit"})
    'per row (column unit)'
    >>> unit_of({"name": "quote", "type": "string", "description": "A short quote."})
    ''
    """
    brackets = re.findall(r"\[([^\[\]]+)\]", field.get("description", ""))
    if brackets:
        return brackets[-1].strip()
    if field["name"] in {"value", "low", "high"} and "unit" in field_names:
        return "per row (column unit)"
    return ""


def tables(data_dir: Path | None = None) -> pd.DataFrame:
    """One row per table of the data package.

    Parameters
    ----------
    data_dir : pathlib.Path, optional
        Folder of the data package; default :data:`analysis.data.DATA_DIR`.

    Returns
    -------
    pandas.DataFrame
        ``table, title, file, rows, columns, sources, description``: ``rows`` is
        the length of the loaded (validated) table [count], ``columns`` its
        schema's fields [count], ``sources`` its distinct source URLs [count]
        (0 for a table without provenance columns).

    Examples
    --------
    >>> t = tables().set_index("table")
    >>> int(t.loc["claims", "rows"]) == len(data.load("claims"))
    True
    """
    rows = []
    for resource in data.datapackage(data_dir)["resources"]:
        frame = data.load(resource["name"], data_dir)
        rows.append(
            {
                "table": resource["name"],
                "title": resource.get("title", ""),
                "file": f"data/{resource['path']}",
                "rows": len(frame),
                "columns": len(resource["schema"]["fields"]),
                "sources": int(frame[_SOURCE].nunique()) if _SOURCE in frame else 0,
                "description": resource.get("description", ""),
            }
        )
    return pd.DataFrame(rows)


def columns(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """The columns of one table with type, unit, constraints and meaning.

    Parameters
    ----------
    name : str
        Table name in ``datapackage.json``.
    data_dir : pathlib.Path, optional
        Folder of the data package; default :data:`analysis.data.DATA_DIR`.

    Returns
    -------
    pandas.DataFrame
        ``column, type, unit, required, allowed, description`` in schema order.

    Examples
    --------
    >>> c = columns("network_optics").set_index("column")
    >>> c.loc["power_w", "unit"]
    'W'
    """
    fields = data.schema_of(name, data_dir)["schema"]["fields"]
    names = frozenset(f["name"] for f in fields)
    glossary = data.glossary(data_dir)
    glossary = glossary[glossary["table"] == name].set_index("column")
    return pd.DataFrame(
        [
            {
                "column": f["name"],
                "type": f["type"],
                "unit": unit_of(f, names),
                "required": bool(glossary.at[f["name"], "required"]),
                "allowed": glossary.at[f["name"], "allowed"],
                "description": f.get("description", ""),
            }
            for f in fields
        ]
    )


def table_sources(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """The sources one table cites, with how many of its rows cite each.

    Parameters
    ----------
    name : str
        Table name in ``datapackage.json``.
    data_dir : pathlib.Path, optional
        Folder of the data package; default :data:`analysis.data.DATA_DIR`.

    Returns
    -------
    pandas.DataFrame
        ``source_title, source_url, rows`` (rows [count]), most cited first; empty
        for a table without provenance columns.

    Examples
    --------
    >>> s = table_sources("claims")
    >>> int(s["rows"].sum()) == len(data.load("claims"))
    True
    """
    frame = data.load(name, data_dir)
    if _SOURCE not in frame:
        return pd.DataFrame(columns=["source_title", "source_url", "rows"])
    counted = frame.groupby(["source_title", _SOURCE], as_index=False).size().rename(columns={"size": "rows"})
    return counted.sort_values(["rows", "source_title"], ascending=[False, True]).reset_index(drop=True)


def zip_members(data_dir: Path | None = None) -> list[str]:
    """The files of ``data/`` that go into the zip, sorted.

    Parameters
    ----------
    data_dir : pathlib.Path, optional
        Folder of the data package; default :data:`analysis.data.DATA_DIR`.

    Examples
    --------
    >>> members = zip_members()
    >>> members == sorted(members) and "datapackage.json" in members and "claims.csv" in members
    True
    """
    data_dir = Path(data_dir) if data_dir is not None else data.DATA_DIR
    names = {r["path"] for r in data.datapackage(data_dir)["resources"]}
    names |= {n for n in ZIP_EXTRA if (data_dir / n).is_file()}
    return sorted(names)


def write_zip(path: Path, data_dir: Path | None = None, folder: str = "data") -> Path:
    """Write the data package as a deterministic zip.

    Entries are the :func:`zip_members` under ``<folder>/``, sorted, each with
    the timestamp :data:`ZIP_TIMESTAMP`, permissions 0644 and deflate level 9,
    so the bytes depend only on the files' contents.

    Parameters
    ----------
    path : pathlib.Path
        The zip file to write (its folder is created).
    data_dir : pathlib.Path, optional
        Folder of the data package; default :data:`analysis.data.DATA_DIR`.
    folder : str, optional
        Folder name of the entries inside the zip.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    data_dir = Path(data_dir) if data_dir is not None else data.DATA_DIR
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w") as archive:
        for name in zip_members(data_dir):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            info.create_system = 3  # Unix, whatever system writes it
            archive.writestr(info, (data_dir / name).read_bytes(), compresslevel=9)
    tmp.replace(path)  # readers never see half a zip
    return path
