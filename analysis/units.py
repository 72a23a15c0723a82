"""Units of the data tables and conversion to each metric's canonical unit.

Every value in ``data/hardware_specs.csv`` is stored as published, with its
published unit.  A metric's id ends with its canonical unit
(``hbm_bandwidth_tb_s`` is in TB/s); :func:`to_canonical` converts a published
value into it, and refuses a unit of another dimension.

All prefixes are decimal (1 TB = 1e12 bytes), as in the vendors' spec sheets.
"""

from __future__ import annotations

from types import MappingProxyType

#: Every unit the data may use: its dimension and its size in the dimension's
#: base unit (FLOP/s, OP/s, byte, byte/s, W, 1).  Bit rates are expressed in
#: bytes per second so that "800 Gb/s" and "0.1 TB/s" compare directly.
UNITS = MappingProxyType(
    {
        "TFLOP/s": ("flop_rate", 1e12),
        "PFLOP/s": ("flop_rate", 1e15),
        "EFLOP/s": ("flop_rate", 1e18),
        "TOP/s": ("op_rate", 1e12),
        "POP/s": ("op_rate", 1e15),
        "GB": ("bytes", 1e9),
        "TB": ("bytes", 1e12),
        "PB": ("bytes", 1e15),
        "GB/s": ("data_rate", 1e9),
        "TB/s": ("data_rate", 1e12),
        "PB/s": ("data_rate", 1e15),
        "Gb/s": ("data_rate", 1e9 / 8),
        "Tb/s": ("data_rate", 1e12 / 8),
        "W": ("power", 1.0),
        "kW": ("power", 1e3),
        "MW": ("power", 1e6),
        "count": ("count", 1.0),
    }
)


class UnitError(ValueError):
    """A unit that is unknown or of the wrong dimension."""


def dimension_of(unit: str) -> str:
    """Return the physical dimension of a unit.

    Parameters
    ----------
    unit : str
        Unit symbol as used in the data, e.g. ``"TB/s"``.

    Returns
    -------
    str
        Dimension name, e.g. ``"data_rate"``.

    Examples
    --------
    >>> dimension_of("Gb/s")
    'data_rate'
    """
    try:
        return UNITS[unit][0]
    except KeyError:
        raise UnitError(f"unknown unit {unit!r}; known units: {', '.join(UNITS)}") from None


def conversion_factor(from_unit: str, to_unit: str) -> float:
    """Factor that converts a value in ``from_unit`` into ``to_unit``.

    Parameters
    ----------
    from_unit, to_unit : str
        Unit symbols of the same dimension.

    Returns
    -------
    float
        Multiply a value in ``from_unit`` by this to get it in ``to_unit`` [-].

    Raises
    ------
    UnitError
        If a unit is unknown or the two units measure different things.

    Examples
    --------
    >>> conversion_factor("TFLOP/s", "PFLOP/s")
    0.001
    >>> conversion_factor("Gb/s", "TB/s")  # 800 Gb/s is 0.1 TB/s
    0.000125
    >>> conversion_factor("TB", "TB/s")
    Traceback (most recent call last):
    ...
    analysis.units.UnitError: cannot convert TB (bytes) to TB/s (data_rate)
    """
    dim_from, size_from = UNITS.get(from_unit, (None, None))
    dim_to, size_to = UNITS.get(to_unit, (None, None))
    if dim_from is None or dim_to is None:
        bad = from_unit if dim_from is None else to_unit
        raise UnitError(f"unknown unit {bad!r}; known units: {', '.join(UNITS)}")
    if dim_from != dim_to:
        raise UnitError(f"cannot convert {from_unit} ({dim_from}) to {to_unit} ({dim_to})")
    # round away binary noise (1e12/1e15 is not exact in floating point)
    return float(f"{size_from / size_to:.12g}")
