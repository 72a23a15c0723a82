"""Optics per port end: watts, picojoules per bit, lasers and their failures, and the scale-up energy budget.

Every value is a row of ``network_optics`` (DSP pluggable, LPO pluggable and
co-packaged optics, per port speed and side) or ``network_assumptions``, each
with its source and range; :func:`assumption` reads the latter for every
module of the network model.

References
----------
.. [1] NVIDIA Technical Blog, "Scaling AI Factories with Co-Packaged Optics for
   Better Power Efficiency", 2025-08 (30 W vs 9 W per 1.6T port; 2 instead of 8
   lasers per port).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import data
from analysis import jensen_math as jm


#: Hours in a year (365.25 days). [h]
HOURS_PER_YEAR = 8766.0


#: Options for the optics of switch ports.
OPTIONS = ("dsp_pluggable", "lpo_pluggable", "cpo")


_OPTION_LABEL = {"dsp_pluggable": "DSP pluggable", "lpo_pluggable": "LPO pluggable", "cpo": "CPO"}


def port_value(option: str, speed_gb_s, side: str = "switch", column: str = "power_w",
               optics_table: pd.DataFrame | None = None):
    """Power or lasers of one optical port end.

    The row of the same option and speed is used (one for ``side`` first, then
    one for either side); otherwise the nearest-speed row is scaled linearly
    with bandwidth (constant energy per bit).

    Parameters
    ----------
    option : {"dsp_pluggable", "lpo_pluggable", "cpo"}
        Optics option.
    speed_gb_s : float or array_like
        Port speed. [Gb/s]
    side : {"switch", "nic"}
        Which end.
    column : str
        ``power_w``, ``power_low_w``, ``power_high_w`` [W] or ``lasers_count`` [count].
    optics_table : pandas.DataFrame, optional
        ``data.load("network_optics")``.

    Returns
    -------
    float or numpy.ndarray
        Value per port end [W or count].

    Examples
    --------
    >>> port_value("dsp_pluggable", 1600), port_value("cpo", 1600), port_value("cpo", 800)
    (30.0, 9.0, 4.5)
    >>> port_value("dsp_pluggable", 400, side="nic"), port_value("cpo", 1600, column="lasers_count")
    (9.0, 2.0)
    """
    optics_table = data.load("network_optics") if optics_table is None else optics_table
    rows = optics_table[optics_table["option"] == option]
    if rows.empty:
        raise KeyError(f"no optics rows for {option!r}; options: {', '.join(sorted(set(optics_table['option'])))}")
    speeds = np.atleast_1d(np.asarray(speed_gb_s, dtype=float))
    out = np.empty(len(speeds))
    for i, s in enumerate(speeds):
        same = rows[np.isclose(rows["port_speed_gb_s"], s)]
        pick = same[same["side"] == side]
        if pick.empty:
            pick = same[same["side"] == "any"]
        if pick.empty:
            pick = same
        if not pick.empty:
            out[i] = float(pick[column].iloc[0])
            continue
        pool = rows[rows["side"].isin([side, "any"])]
        pool = rows if pool.empty else pool
        nearest = pool.iloc[int(np.argmin(np.abs(np.log(pool["port_speed_gb_s"].to_numpy(float) / s))))]
        out[i] = float(nearest[column]) * s / float(nearest["port_speed_gb_s"])
    return float(out[0]) if np.ndim(speed_gb_s) == 0 else out


def pj_per_bit(power_w, speed_gb_s):
    """Energy per bit of a port.

    Parameters
    ----------
    power_w : float or array_like
        Port power. [W]
    speed_gb_s : float or array_like
        Port speed. [Gb/s]

    Returns
    -------
    float or numpy.ndarray
        Energy per bit. [pJ/bit]

    Examples
    --------
    >>> pj_per_bit(30, 1600), pj_per_bit(9, 1600)
    (18.75, 5.625)
    """
    result = np.asarray(power_w, dtype=float) / (np.asarray(speed_gb_s, dtype=float) * 1e9) * 1e12
    return float(result) if result.ndim == 0 else result


def per_port_table(optics_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per-port power and lasers of every option at 800G and 1.6T.

    Parameters
    ----------
    optics_table : pandas.DataFrame, optional
        ``data.load("network_optics")``.

    Returns
    -------
    pandas.DataFrame
        ``option, port_speed_gb_s, power_w, power_low_w, power_high_w,
        energy_pj_per_bit, lasers_count, status, optic_id`` ([Gb/s], [W], [pJ/bit], [count]).
    """
    optics_table = data.load("network_optics") if optics_table is None else optics_table
    rows = optics_table[optics_table["port_speed_gb_s"].isin([800, 1600])].copy()
    rows["energy_pj_per_bit"] = pj_per_bit(rows["power_w"], rows["port_speed_gb_s"])
    rows["option"] = rows["option"].map(_OPTION_LABEL)
    return rows[["option", "port_speed_gb_s", "power_w", "power_low_w", "power_high_w", "energy_pj_per_bit",
                 "lasers_count", "status", "optic_id"]].reset_index(drop=True)


def assumption(parameter: str, which: str = "value", frame: pd.DataFrame | None = None) -> float:
    """One value of ``network_assumptions`` [the row's unit] (:func:`analysis.data.assumption` on that table).

    Examples
    --------
    >>> assumption("pue"), assumption("pue", "high")
    (1.3, 1.56)
    """
    return data.assumption("network_assumptions", parameter, which, frame=frame)


def implied_ends_per_gpu(optics_mw, n_gpus, port_w):
    """Optical port ends per GPU implied by a published optics total.

    Parameters
    ----------
    optics_mw : float or array_like
        Optics power of the cluster. [MW]
    n_gpus : float
        GPUs. [count]
    port_w : float or array_like
        Power per port end. [W]

    Returns
    -------
    float or numpy.ndarray
        Ends per GPU. [count]

    Examples
    --------
    >>> implied_ends_per_gpu(72, 400_000, 30), implied_ends_per_gpu(21.6, 400_000, 9)
    (6.0, 6.0)
    """
    result = np.asarray(optics_mw, dtype=float) * 1e6 / (float(n_gpus) * np.asarray(port_w, dtype=float))
    return float(result) if result.ndim == 0 else result


def fit_from_afr(afr_per_year):
    """Failures in time (per 10^9 device-hours) from an annual failure rate.

    Parameters
    ----------
    afr_per_year : float or array_like
        Annual failure rate. [1/year]

    Returns
    -------
    float or numpy.ndarray
        FIT. [1/(1e9 h)]

    Examples
    --------
    >>> round(fit_from_afr(0.000877)), round(fit_from_afr(0.000438)), round(fit_from_afr(0.001753))
    (100, 50, 200)
    """
    result = np.asarray(afr_per_year, dtype=float) * 1e9 / HOURS_PER_YEAR
    return float(result) if result.ndim == 0 else result


def port_power_cut(speed_gb_s: float = 1600.0, optics_table: pd.DataFrame | None = None) -> float:
    """Share of a switch port end's power that CPO removes against a DSP pluggable.

    Parameters
    ----------
    speed_gb_s : float
        Port speed. [Gb/s]

    Returns
    -------
    float
        ``1 - CPO W / DSP W``. [-]

    Examples
    --------
    >>> port_power_cut(1600)   # 1 - 9 / 30
    0.7
    """
    return 1.0 - port_value("cpo", speed_gb_s, optics_table=optics_table) / port_value("dsp_pluggable", speed_gb_s, optics_table=optics_table)


def link_interruptions_per_day(lasers_per_gpu, afr_per_year, n_gpus: float = 100_000):
    """Laser-caused link interruptions per day.

    Each laser failure takes down the link it drives.

    Parameters
    ----------
    lasers_per_gpu : float or array_like
        Lasers per GPU in the scale-out network. [count]
    afr_per_year : float or array_like
        Annual failure rate of one laser. [1/year]
    n_gpus : float
        Cluster size. [count]

    Returns
    -------
    float or numpy.ndarray
        Interruptions per day. [1/day]

    Examples
    --------
    >>> round(link_interruptions_per_day(24, 0.000877), 2)   # 24 lasers per GPU, 100 FIT
    5.76
    """
    result = np.asarray(lasers_per_gpu, dtype=float) * n_gpus * np.asarray(afr_per_year, dtype=float) / 365.25
    return float(result) if result.ndim == 0 else result


def scaleup_table(budget_share: float | None = None) -> pd.DataFrame:
    """What NVLink domains need, and what optical scale-up would cost per package.

    For each rack: packages, rack power per package, NVLink bandwidth per
    package (one direction), optics power per package if every scale-up link
    were optical at pluggable, CPO and roadmap energies per bit (two ends per
    link), and the energy per bit that fits ``budget_share`` of package power.

    Parameters
    ----------
    budget_share : float, optional
        Share of package power allowed for scale-up optics; default the central
        ``scaleup_optics_budget_share``. [-]

    Returns
    -------
    pandas.DataFrame
        ``product_id, packages, rack_power_kw, power_per_package_w, nvlink_tb_s_one_way,
        nvlink_rack_tb_s_both, single_tier_switch_ports, optics_w_pluggable, optics_w_cpo,
        optics_w_roadmap, required_pj_per_bit`` ([count], [kW], [W], [TB/s], [pJ/bit]).

    Examples
    --------
    >>> t = scaleup_table(0.1).set_index("product_id")
    >>> round(float(t.at["rubin-ultra-nvl576", "required_pj_per_bit"]), 6), float(t.at["rubin-ultra-nvl576", "rack_power_kw"])
    (5.0, 600.0)
    """
    specs = data.load("hardware_specs")
    budget = assumption("scaleup_optics_budget_share") if budget_share is None else budget_share
    topo = jm.topologies(specs)
    dsp = pj_per_bit(port_value("dsp_pluggable", 1600), 1600)
    cpo = pj_per_bit(port_value("cpo", 1600), 1600)
    roadmap = assumption("cpo_roadmap_pj_per_bit")
    rows = []
    for product_id in ("gb200-nvl72", "gb300-nvl72", "rubin-ultra-nvl576"):
        packages = topo[product_id].packages
        rack_w = jm.spec_value(specs, product_id, "power_kw", scope="per_rack") * 1000
        nvlink = specs[(specs["product_id"] == product_id) & (specs["metric"] == "nvlink_bandwidth_tb_s")
                       & specs["preferred"].astype(bool)]
        per_pkg = nvlink[nvlink["scope"] == "per_package"]
        if len(per_pkg):
            row = per_pkg.iloc[0]
            tb_s = jm.one_direction(float(row["value_in_metric_unit"]), row["direction"])
        else:
            row = nvlink[nvlink["scope"] == "per_rack"].iloc[0]
            tb_s = jm.one_direction(float(row["value_in_metric_unit"]), row["direction"]) / packages
        bits = tb_s * 8e12  # bit/s one way
        watts = lambda e: 2 * bits * e * 1e-12  # noqa: E731 - two ends per link
        rows.append({
            "product_id": product_id, "packages": packages, "rack_power_kw": rack_w / 1000,
            "power_per_package_w": rack_w / packages, "nvlink_tb_s_one_way": tb_s,
            "nvlink_rack_tb_s_both": 2 * tb_s * packages, "single_tier_switch_ports": int(packages),
            "optics_w_pluggable": watts(dsp), "optics_w_cpo": watts(cpo), "optics_w_roadmap": watts(roadmap),
            "required_pj_per_bit": budget * rack_w / packages / (2 * bits) * 1e12,
        })
    return pd.DataFrame(rows)
