"""The GPU systems the performance model knows, on the report's normalized basis.

Each hardware id (``h100``, ``gb200``, ``rubin``, ...) is one product of
``hardware_specs``; :func:`get` returns its specs per GPU package as
:class:`HardwareSpec`: dense FLOPs, one-direction links, per package
(:func:`analysis.jensen_math.per_package`), with the power of the whole
system per package.
"""

from __future__ import annotations

import functools
import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import data, jensen_math as jm


#: Hardware ids of the model and the product (rows of ``hardware_specs``) each one is.
HARDWARE = {
    "a800": "a800-sxm",
    "h100": "h100-sxm",
    "h200": "h200-sxm",
    "b200": "b200-hgx",
    "gb200": "gb200-nvl72",
    "b300": "b300-hgx",
    "gb300": "gb300-nvl72",
    "rubin": "vr-nvl144",
    "rubin-ultra": "rubin-ultra-nvl576",
}


#: Other names of the hardware ids (as in NVIDIA's aiconfigurator systems and product names).
ALIASES = {
    "a800_sxm": "a800", "a800-sxm": "a800",
    "h100_sxm": "h100", "h100-sxm": "h100", "h200_sxm": "h200", "h200-sxm": "h200",
    "b200_sxm": "b200", "b200-hgx": "b200", "hgx-b200": "b200", "b300_sxm": "b300", "b300-hgx": "b300",
    "hgx-b300": "b300", "gb200-nvl72": "gb200", "gb200_nvl72": "gb200", "gb300-nvl72": "gb300",
    "gb300_nvl72": "gb300", "vr-nvl144": "rubin", "vera-rubin": "rubin", "vr200": "rubin",
    "rubin-ultra-nvl576": "rubin-ultra",
}


def resolve(name: str) -> str:
    """The hardware id of a name (an id or one of :data:`ALIASES`, any case); the error lists the valid ids.

    Parameters
    ----------
    name : str
        Hardware id or alias [-].

    Examples
    --------
    >>> resolve("H200_SXM"), resolve("gb300")
    ('h200', 'gb300')
    """
    key = str(name).strip().lower()
    key = ALIASES.get(key, key)
    if key not in HARDWARE:
        raise KeyError(f"unknown hardware {name!r}; hardware: {', '.join(HARDWARE)} (or aliases such as h200_sxm)")
    return key


#: Hardware whose results are projections (unreleased at the time of the data).
PROJECTIONS = ("rubin", "rubin-ultra")


@dataclass(frozen=True)
class HardwareSpec:
    """Normalized specs of one GPU package (dense FLOPs, one-direction links).

    Every value but ``power_kw`` is :func:`analysis.jensen_math.per_package`
    (the report's basis and source precedence).  ``power_kw`` deliberately
    differs in precedence: tokens per MW should pay for the whole system
    (CPUs, switches, fans), so the preferred rack or system power divided by
    its packages (:data:`SYSTEM_POWER_SCOPES`, divided by
    :func:`analysis.jensen_math.normalize`) comes before the package TDP that
    ``per_package`` would return first.

    Attributes
    ----------
    hardware, product_id, name : str
        Model id, product id in ``hardware_specs`` and display name.
    pflop_s_bf16, pflop_s_fp8, pflop_s_fp4 : float
        Dense tensor peak per package [PFLOP/s].
    hbm_tb_s : float
        HBM bandwidth per package [TB/s].
    hbm_gb : float
        HBM capacity per package [GB].
    nvlink_tb_s, nic_tb_s : float
        NVLink and scale-out NIC bandwidth per package, one direction [TB/s]
        (NaN if unpublished).
    nvlink_domain : int
        Packages in one NVLink domain (8 for HGX, 72 for NVL72, 144 for Rubin Ultra) [-].
    power_kw : float
        System power per package [kW]: system or rack power divided by its packages where
        published (so CPUs, switches and fans count); else the package TDP times the
        system-over-TDP ratio of the :data:`POWER_REFERENCE` system of the same class.
    package_tdp_kw : float
        Power of the package alone (board power) [kW]; the first per-package power in
        the report's precedence, which is the system figure per package where no TDP is
        published (Rubin Ultra).
    power_basis : str
        How ``power_kw`` was obtained.
    projection : bool
        True for unreleased hardware (Rubin, Rubin Ultra).
    notes : tuple of str
        Assumptions made to fill gaps in the specs, each starting with the
        number format it concerns (``"fp4: ..."``).
    """

    hardware: str
    product_id: str
    name: str
    pflop_s_bf16: float
    pflop_s_fp8: float
    pflop_s_fp4: float
    hbm_tb_s: float
    hbm_gb: float
    nvlink_tb_s: float
    nic_tb_s: float
    nvlink_domain: int
    power_kw: float
    package_tdp_kw: float
    power_basis: str
    projection: bool
    notes: tuple

    def flop_s(self, precision: str) -> float:
        """Dense peak of a number format.

        Parameters
        ----------
        precision : {"bf16", "fp8", "fp4"}
            Number format [-].

        Returns
        -------
        float
            Dense tensor peak per package [FLOP/s].
        """
        return getattr(self, f"pflop_s_{precision}") * 1e15


#: Scopes of a whole-system power figure, most preferred first (``jensen_math.normalize``
#: divides them by the system's packages).
SYSTEM_POWER_SCOPES = ("per_rack", "per_system")


#: Where a system publishes only its package TDP, its system power per package is the TDP times the
#: system-over-TDP ratio of this published system of the same class (8-GPU HGX board or NVL rack):
#: comparing a TDP with a whole system's power per package would favour the TDP ~1.8x per MW.
POWER_REFERENCE = {"a800": "h100", "h200": "h100", "b300": "b200", "rubin": "gb300"}


def _spec_per_package(every: pd.DataFrame, product_id: str, metric: str, precision: str = "none") -> float:
    # jensen_math.per_package on a precomputed normalize(specs, rows="all"): same rows, same precedence
    try:
        return float(jm.per_package_candidates(every, product_id, metric, precision)["value_per_package"].iloc[0])
    except LookupError:
        return math.nan


def _system_power_per_package(every: pd.DataFrame, product_id: str) -> float:
    # the preferred rack or system power row, divided by its packages by jensen_math.normalize
    try:
        rows = jm.per_package_candidates(every, product_id, "power_kw")
    except LookupError:
        return math.nan
    rows = rows[rows["preferred"].astype(bool) & rows["scope"].isin(SYSTEM_POWER_SCOPES)]
    if rows.empty:
        return math.nan
    order = rows["scope"].map(SYSTEM_POWER_SCOPES.index).to_numpy()
    return float(rows["value_per_package"].iloc[int(np.argmin(order))])


def _data_stamp(data_dir) -> tuple:
    # what changes when any file of the data package changes (as analysis.data.load keys its cache)
    files = (p for p in Path(data_dir).iterdir() if p.is_file())
    return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files))


def _table() -> dict[str, HardwareSpec]:
    """Every hardware id's :class:`HardwareSpec`, from the current ``data.DATA_DIR``.

    Cached on the folder and the names, times and sizes of its files, so an
    edited copy (or an edit in place) is never served stale.
    """
    return _build_table(Path(data.DATA_DIR), _data_stamp(data.DATA_DIR))


@functools.lru_cache(maxsize=8)
def _build_table(data_dir: Path, _stamp: tuple) -> dict[str, HardwareSpec]:
    # _stamp only keys the cache
    specs = data.load("hardware_specs", data_dir)
    every = jm.normalize(specs, rows="all")
    topo = jm.topologies(specs)
    names = data.product_names()
    out = {}
    for hw, pid in HARDWARE.items():
        notes = []
        flops = {precision: _spec_per_package(every, pid, "compute_pflop_s", precision)
                 for precision in ("bf16", "fp8", "fp4")}
        if math.isnan(flops["fp4"]):
            flops["fp4"] = flops["fp8"]
            notes.append("fp4: no FP4 tensor cores, FP4 weights are computed at the FP8 rate")
        if math.isnan(flops["bf16"]):
            flops["bf16"] = flops["fp8"] / 2.0
            notes.append("bf16: no published BF16 rate, taken as half the FP8 rate (attention runs in BF16)")
        tdp = _spec_per_package(every, pid, "power_kw")
        power = _system_power_per_package(every, pid)
        basis = "system or rack power / packages"
        if math.isnan(power):
            ref = HARDWARE[POWER_REFERENCE[hw]]
            power = tdp * _system_power_per_package(every, ref) / _spec_per_package(every, ref, "power_kw")
            basis = (f"estimated: package TDP x the system-over-TDP ratio of {names[ref]} "
                     "(no system power published)")
        out[hw] = HardwareSpec(
            hardware=hw,
            product_id=pid,
            name=names[pid],
            pflop_s_bf16=flops["bf16"],
            pflop_s_fp8=flops["fp8"],
            pflop_s_fp4=flops["fp4"],
            hbm_tb_s=_spec_per_package(every, pid, "hbm_bandwidth_tb_s"),
            hbm_gb=_spec_per_package(every, pid, "hbm_capacity_gb"),
            nvlink_tb_s=_spec_per_package(every, pid, "nvlink_bandwidth_tb_s"),
            nic_tb_s=_spec_per_package(every, pid, "nic_bandwidth_tb_s"),
            nvlink_domain=int(topo[pid].packages),
            power_kw=power,
            package_tdp_kw=tdp,
            power_basis=basis,
            projection=hw in PROJECTIONS,
            notes=tuple(notes),
        )
    return out


def get(hardware_id: str) -> HardwareSpec:
    """Normalized specs of a hardware id; the error lists the valid ids.

    Parameters
    ----------
    hardware_id : str
        One of :data:`HARDWARE` [-].

    Returns
    -------
    HardwareSpec
        Per-package specs (units in :class:`HardwareSpec`).

    Raises
    ------
    KeyError
        Unknown id; the message lists the valid ones.

    Examples
    --------
    >>> h = get("h100")
    >>> (h.pflop_s_fp8, h.hbm_tb_s, h.hbm_gb, h.nvlink_tb_s, h.nvlink_domain)
    (1.9789, 3.35, 80.0, 0.45, 8)
    >>> get("gb200").pflop_s_fp4, get("rubin").projection
    (10.0, True)
    """
    table = _table()
    if hardware_id not in table:
        raise KeyError(f"unknown hardware {hardware_id!r}; hardware: {', '.join(HARDWARE)}")
    return table[hardware_id]


def table() -> pd.DataFrame:
    """The normalized per-package specs of every hardware id, one row each.

    Returns
    -------
    pandas.DataFrame
        The fields of :class:`HardwareSpec` (units there), ``notes`` joined by "; ".
    """
    rows = []
    for hw in HARDWARE:
        h = asdict(get(hw))
        h["notes"] = "; ".join(h["notes"])
        rows.append(h)
    return pd.DataFrame(rows)
