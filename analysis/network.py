"""Co-packaged optics (CPO): fat-tree sizing, network power, lasers and scale-up reach.

The model behind claims C1 to C4 (chapter ``05_cpo``):

* **Fat tree.**  A non-blocking folded Clos of switches with radix ``R`` (ports
  of one plane) reaches ``2 (R/2)^T`` endpoints on ``T`` tiers with
  ``(2T - 1) (R/2)^(T-1)`` switches [1]_: ``R^2/2`` on two tiers, ``R^3/4`` on
  three.  Every tier carries ``N`` links, so a GPU has ``2T`` optical ends:
  one at its NIC and ``2T - 1`` on switches.
* **Planes.**  A switch box whose ports are spread over several ASICs (or a
  GPU port split into slower ports) forms several independent planes.  The
  radix of one plane is bounded by the SerDes lanes of one ASIC, which is why
  splitting ports cannot flatten a network beyond ``lanes^2/2`` on two tiers.
* **Power.**  GPUs at their rack's power per package, switches at a power per
  Tb/s of capacity (optics excluded), optics per port end by option (DSP
  pluggable, LPO pluggable, CPO with its external laser) [2]_, NIC ends
  pluggable (as in NVIDIA's 2025-2026 designs), PUE as a stated assumption.
* **Lasers.**  Lasers per port end by option (CPO shares external lasers: 2
  per 1.6T port instead of 8 [2]_) and a failure model with the lasers' annual
  failure rate as an assumption.

Every input is a row of ``network_switches``, ``network_optics``,
``network_assumptions`` or ``hardware_specs``, with its source.

References
----------
.. [1] M. Al-Fares, A. Loukissas, A. Vahdat, "A scalable, commodity data center
   network architecture", SIGCOMM 2008; Cornelis Networks, CN5000 two-tier fat
   trees (``R^2/2`` endpoints).
.. [2] NVIDIA Technical Blog, "Scaling AI Factories with Co-Packaged Optics for
   Better Power Efficiency", 2025-08 (30 W vs 9 W per 1.6T port).
.. [3] SemiAnalysis, "NVIDIA GTC 2025 - Built For Reasoning, Vera Rubin, Kyber,
   CPO, Dynamo Inference, Jensen Math, Feynman", 2025-03-19.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analysis import data

#: Hours in a year (365.25 days). [h]
HOURS_PER_YEAR = 8766.0

#: Cluster sizes of the chapter's C1 table. [GPUs]
C1_SIZES = (10_000, 100_000, 400_000)

#: Cluster size of the flattening, laser, sensitivity and money tables. [GPUs]
REFERENCE_GPUS = 100_000

#: Options for the optics of switch ports.
OPTIONS = ("dsp_pluggable", "lpo_pluggable", "cpo")

_OPTION_LABEL = {"dsp_pluggable": "DSP pluggable", "lpo_pluggable": "LPO pluggable", "cpo": "CPO"}


# --- fat-tree closed forms -------------------------------------------------------


def max_endpoints(radix, tiers):
    """Endpoints a non-blocking fat tree reaches.

    Parameters
    ----------
    radix : int or array_like
        Ports per switch in one plane. [count]
    tiers : int or array_like
        Switch tiers. [count]

    Returns
    -------
    float or numpy.ndarray
        ``2 (R/2)^T`` endpoints. [count]

    Examples
    --------
    >>> max_endpoints(144, 2), max_endpoints(144, 3)
    (10368.0, 746496.0)
    >>> max_endpoints([64, 512], 2).tolist()
    [2048.0, 131072.0]
    """
    result = 2.0 * (np.asarray(radix, dtype=float) / 2.0) ** np.asarray(tiers, dtype=float)
    return float(result) if result.ndim == 0 else result


def switches_in_full_tree(radix, tiers):
    """Switches of a full ``T``-tier fat tree.

    Parameters
    ----------
    radix : int or array_like
        Ports per switch. [count]
    tiers : int or array_like
        Switch tiers. [count]

    Returns
    -------
    float or numpy.ndarray
        ``(2T - 1) (R/2)^(T-1)`` switches. [count]

    Examples
    --------
    >>> switches_in_full_tree(144, 2), switches_in_full_tree(144, 3)
    (216.0, 25920.0)
    >>> switches_in_full_tree(64, 3)   # k-ary fat tree: 5 k^2 / 4
    5120.0
    """
    r = np.asarray(radix, dtype=float)
    t = np.asarray(tiers, dtype=float)
    result = (2.0 * t - 1.0) * (r / 2.0) ** (t - 1.0)
    return float(result) if result.ndim == 0 else result


def tiers_needed(n_gpus, radix):
    """Fewest tiers whose fat tree reaches ``n_gpus`` endpoints.

    Parameters
    ----------
    n_gpus : int or array_like
        Endpoints (one port each, per plane). [count]
    radix : int or array_like
        Ports per switch in one plane. [count]

    Returns
    -------
    int or numpy.ndarray
        Tiers (1 while ``n_gpus <= radix``). [count]

    Examples
    --------
    >>> tiers_needed(10_368, 144), tiers_needed(10_369, 144), tiers_needed(746_497, 144)
    (2, 3, 4)
    >>> tiers_needed([100, 2_048, 2_049, 65_536], 64).tolist()
    [2, 2, 3, 3]
    """
    n = np.asarray(n_gpus, dtype=float)
    r = np.asarray(radix, dtype=float)
    ratio = np.log(np.maximum(n, 1.0) / 2.0) / np.log(r / 2.0)
    t = np.maximum(np.ceil(ratio - 1e-9), 1.0)
    t = np.where(n <= r, 1.0, np.maximum(t, 2.0))
    t = np.where(max_endpoints(r, t) < n, t + 1.0, t)  # guard against rounding
    t = t.astype(int)
    return int(t) if t.ndim == 0 else t


def switches_per_plane(n_gpus, radix, tiers):
    """Switches of one plane for ``n_gpus`` endpoints on ``tiers`` tiers.

    Lower tiers hold ``ceil(2N/R)`` switches each (half their ports face down),
    the top tier ``ceil(N/R)``; one switch if one tier suffices.

    Parameters
    ----------
    n_gpus : int or array_like
        Endpoints. [count]
    radix : int or array_like
        Ports per switch. [count]
    tiers : int or array_like
        Tiers, at least :func:`tiers_needed`. [count]

    Returns
    -------
    int or numpy.ndarray
        Switches (ASIC-level) in the plane. [count]

    Examples
    --------
    >>> switches_per_plane(10_368, 144, 2), switches_per_plane(41_472, 144, 3), switches_per_plane(576, 144, 2)
    (216, 1440, 12)
    """
    n = np.asarray(n_gpus, dtype=float)
    r = np.asarray(radix, dtype=float)
    t = np.asarray(tiers, dtype=float)
    total = (t - 1.0) * np.ceil(2.0 * n / r) + np.ceil(n / r)
    total = np.where(t <= 1, np.ceil(n / r), total).astype(int)
    return int(total) if total.ndim == 0 else total


def optical_ends_per_gpu(tiers):
    """Optical port ends per GPU in an all-optical fat tree.

    Parameters
    ----------
    tiers : int or array_like
        Switch tiers. [count]

    Returns
    -------
    int or numpy.ndarray
        ``2T``: one at the NIC and ``2T - 1`` on switches. [count]

    Examples
    --------
    >>> optical_ends_per_gpu(3), optical_ends_per_gpu(2)
    (6, 4)
    """
    result = 2 * np.asarray(tiers, dtype=int)
    return int(result) if result.ndim == 0 else result


# --- switches and planes -------------------------------------------------------------


@dataclass(frozen=True)
class Switch:
    """A scale-out switch box (a row of ``network_switches``).

    Attributes
    ----------
    switch_id, name, optics : str
        Id, product name and optics (``"pluggable"`` or ``"cpo"``).
    ports : int
        Front-panel ports. [count]
    port_speed_gb_s : float
        Speed of one port. [Gb/s]
    capacity_tb_s : float
        Switching capacity. [Tb/s]
    asics : int
        ASICs in the box (each port is spread over them: one plane per ASIC). [count]
    lane_speed_gb_s : float
        SerDes lane rate. [Gb/s]
    """

    switch_id: str
    name: str
    optics: str
    ports: int
    port_speed_gb_s: float
    capacity_tb_s: float
    asics: int
    lane_speed_gb_s: float

    @property
    def lanes_per_asic(self) -> int:
        """SerDes lanes of one ASIC, the largest radix of one plane. [count]"""
        return int(round(self.capacity_tb_s * 1000 / self.asics / self.lane_speed_gb_s))

    def plane_speeds(self, gpu_speed_gb_s: float) -> tuple[float, ...]:
        """Port speeds one plane can run at for a GPU of ``gpu_speed_gb_s``, fastest first. [Gb/s]"""
        top = min(self.port_speed_gb_s / self.asics, gpu_speed_gb_s)
        speeds = []
        speed = top
        while speed >= self.lane_speed_gb_s - 1e-9:
            speeds.append(speed)
            speed /= 2.0
        return tuple(speeds)

    def radix_at(self, plane_speed_gb_s: float) -> int:
        """Ports of one ASIC at ``plane_speed_gb_s``. [count]

        Examples
        --------
        >>> qm9700 = switches()["quantum-2-qm9700"]
        >>> qm9700.radix_at(400), qm9700.radix_at(200)
        (64, 128)
        """
        return int(round(self.capacity_tb_s * 1000 / self.asics / plane_speed_gb_s))


def switches(frame: pd.DataFrame | None = None) -> dict[str, Switch]:
    """Every switch of ``network_switches``, by id.

    Parameters
    ----------
    frame : pandas.DataFrame, optional
        ``data.load("network_switches")``.

    Examples
    --------
    >>> s = switches()["quantum-x-photonics-q3450"]
    >>> (s.ports, s.port_speed_gb_s, s.lanes_per_asic, s.plane_speeds(800))
    (144, 800.0, 144, (200.0,))
    """
    frame = data.load("network_switches") if frame is None else frame
    return {
        r.switch_id: Switch(r.switch_id, r.name, r.optics, int(r.ports_count), float(r.port_speed_gb_s),
                            float(r.capacity_tb_s), int(r.asics_count), float(r.lane_speed_gb_s))
        for r in frame.itertuples(index=False)
    }


def as_one_fabric(switch: Switch) -> Switch:
    """The same box if all its ASIC lanes formed one switch (a hypothetical).

    Parameters
    ----------
    switch : Switch
        Switch box (capacity [Tb/s], ASICs [count], lane rate [Gb/s]).

    Examples
    --------
    >>> as_one_fabric(switches()["spectrum-x-photonics-sn6800"]).lanes_per_asic
    2048
    """
    return replace(switch, switch_id=switch.switch_id + "-one-fabric", name=switch.name + " as one fabric (hypothetical)",
                   asics=1)


def fabric(n_gpus, gpu_speed_gb_s: float, switch: Switch, flatten: bool = True) -> pd.DataFrame:
    """Size the scale-out fabric of ``n_gpus`` GPUs with one NIC port each (vectorized over ``n_gpus``).

    The GPU port is split into ``planes`` ports of ``plane_speed_gb_s``, each
    plane a fat tree of the ASICs' ports at that speed.  With ``flatten`` the
    plane speed giving the fewest tiers (then the fewest planes) is chosen;
    without, the fastest.

    Parameters
    ----------
    n_gpus : int or array_like
        GPUs in the cluster. [count]
    gpu_speed_gb_s : float
        Scale-out bandwidth per GPU, one direction. [Gb/s]
    switch : Switch
        Switch box used on every tier.
    flatten : bool
        Choose planes to minimize tiers.

    Returns
    -------
    pandas.DataFrame
        ``n_gpus, planes, plane_speed_gb_s, radix, tiers, switch_asics, switch_boxes,
        links_per_tier, switch_ports_per_gpu, optical_ends_per_gpu, switch_hops``
        (counts; speed [Gb/s]).

    Examples
    --------
    >>> f = fabric([10_368, 41_472], 800, switches()["quantum-x-photonics-q3450"])
    >>> f[["planes", "radix", "tiers", "switch_boxes"]].values.tolist()
    [[4, 144, 2, 216], [4, 144, 3, 1440]]
    """
    n = np.atleast_1d(np.asarray(n_gpus, dtype=float))
    speeds = switch.plane_speeds(gpu_speed_gb_s) if flatten else switch.plane_speeds(gpu_speed_gb_s)[:1]
    if not speeds:
        raise ValueError(f"{switch.switch_id} cannot serve a {gpu_speed_gb_s:g} Gb/s GPU port")
    radii = np.array([switch.radix_at(p) for p in speeds], dtype=float)
    planes = np.array([gpu_speed_gb_s / p for p in speeds])
    tiers = tiers_needed(n[:, None], radii[None, :])  # (n, options)
    # fewest tiers, then fewest planes (options are sorted fastest first)
    best = np.argmin(tiers * 1000 + np.arange(len(speeds))[None, :], axis=1)
    radix = radii[best]
    plane = planes[best]
    t = tiers[np.arange(len(n)), best]
    asic_switches = switches_per_plane(n, radix, t) * plane
    boxes = np.ceil(asic_switches / switch.asics)
    return pd.DataFrame(
        {
            "n_gpus": n.astype(int),
            "planes": plane.astype(int),
            "plane_speed_gb_s": np.array(speeds)[best],
            "radix": radix.astype(int),
            "tiers": t,
            "switch_asics": asic_switches.astype(int),
            "switch_boxes": boxes.astype(int),
            "links_per_tier": (n * plane).astype(int),
            "switch_ports_per_gpu": 2 * t - 1,
            "optical_ends_per_gpu": optical_ends_per_gpu(t),
            "switch_hops": 2 * t - 1,
        }
    )


# --- optics ----------------------------------------------------------------------------


def port_value(option: str, speed_gb_s, side: str = "switch", column: str = "power_w",
               optics: pd.DataFrame | None = None):
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
    optics : pandas.DataFrame, optional
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
    optics = data.load("network_optics") if optics is None else optics
    rows = optics[optics["option"] == option]
    if rows.empty:
        raise KeyError(f"no optics rows for {option!r}; options: {', '.join(sorted(set(optics['option'])))}")
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


def per_port_table(optics: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per-port power and lasers of every option at 800G and 1.6T.

    Parameters
    ----------
    optics : pandas.DataFrame, optional
        ``data.load("network_optics")``.

    Returns
    -------
    pandas.DataFrame
        ``option, port_speed_gb_s, power_w, power_low_w, power_high_w,
        energy_pj_per_bit, lasers_count, status, optic_id`` ([Gb/s], [W], [pJ/bit], [count]).
    """
    optics = data.load("network_optics") if optics is None else optics
    rows = optics[optics["port_speed_gb_s"].isin([800, 1600])].copy()
    rows["energy_pj_per_bit"] = pj_per_bit(rows["power_w"], rows["port_speed_gb_s"])
    rows["option"] = rows["option"].map(_OPTION_LABEL)
    return rows[["option", "port_speed_gb_s", "power_w", "power_low_w", "power_high_w", "energy_pj_per_bit",
                 "lasers_count", "status", "optic_id"]].reset_index(drop=True)


# --- parameters and platforms --------------------------------------------------------------


def assumption(parameter: str, which: str = "value", frame: pd.DataFrame | None = None) -> float:
    """One value of ``network_assumptions``.

    Parameters
    ----------
    parameter : str
        Parameter id.
    which : {"value", "low", "high"}
        Central value or an end of the range.
    frame : pandas.DataFrame, optional
        ``data.load("network_assumptions")``.

    Returns
    -------
    float
        The value [the row's unit].

    Examples
    --------
    >>> assumption("pue"), assumption("pue", "high")
    (1.3, 1.56)
    """
    frame = data.load("network_assumptions") if frame is None else frame
    rows = frame[frame["parameter"] == parameter]
    if rows.empty:
        raise KeyError(f"no parameter {parameter!r}; parameters: {', '.join(frame['parameter'])}")
    return float(rows[which].iloc[0])


def derived_switch_power_w_per_tb_s(frame: pd.DataFrame | None = None) -> float:
    """Switch power without front-panel optics, from Lambda's Q3450-LD measurement.

    ``(box power - ports x CPO power per port end) / capacity``.

    Parameters
    ----------
    frame : pandas.DataFrame, optional
        ``data.load("network_assumptions")``.

    Returns
    -------
    float
        Switch power per Tb/s of capacity. [W/(Tb/s)]

    Examples
    --------
    >>> round(derived_switch_power_w_per_tb_s(), 2)   # (3,950 W - 144 x 4.5 W) / 115.2 Tb/s
    28.66
    """
    sw = switches()["quantum-x-photonics-q3450"]
    box_w = assumption("q3450_switch_power_w", frame=frame)
    return (box_w - sw.ports * port_value("cpo", sw.port_speed_gb_s)) / sw.capacity_tb_s


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


def port_power_cut(speed_gb_s: float = 1600.0, optics: pd.DataFrame | None = None) -> float:
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
    return 1.0 - port_value("cpo", speed_gb_s, optics=optics) / port_value("dsp_pluggable", speed_gb_s, optics=optics)


@dataclass(frozen=True)
class Platform:
    """A GPU platform as the network model sees it.

    Attributes
    ----------
    product_id : str
        Product id of ``hardware_specs``.
    gpu_power_w : float
        Rack power per GPU package (GPU, CPU, NVLink switches, trays). [W]
    nic_speed_gb_s : float
        Scale-out bandwidth per GPU package, one direction. [Gb/s]
    """

    product_id: str
    gpu_power_w: float
    nic_speed_gb_s: float


def platform(product_id: str, specs: pd.DataFrame | None = None, rack_row: str = "preferred") -> Platform:
    """Power per GPU and NIC speed of a rack-scale product, from ``hardware_specs``.

    Parameters
    ----------
    product_id : str
        E.g. ``"gb300-nvl72"``.
    specs : pandas.DataFrame, optional
        ``data.load("hardware_specs")``.
    rack_row : {"preferred", "max"}
        Rack power: the preferred row, or the highest published.

    Examples
    --------
    >>> p = platform("gb300-nvl72")
    >>> round(p.gpu_power_w, 1), p.nic_speed_gb_s
    (1666.7, 800.0)
    """
    from analysis import jensen_math as jm

    specs = data.load("hardware_specs") if specs is None else specs
    packages = jm.topologies(specs)[product_id].packages
    if rack_row == "max":
        rows = specs[(specs["product_id"] == product_id) & (specs["metric"] == "power_kw") & (specs["scope"] == "per_rack")]
        rack_kw = float(rows["value_in_metric_unit"].max())
    else:
        rack_kw = jm.spec_value(specs, product_id, "power_kw", scope="per_rack")
    nic_tb_s = jm.spec_value(specs, product_id, "nic_bandwidth_tb_s", scope="per_package")
    return Platform(product_id, rack_kw * 1000 / packages, nic_tb_s * 8000)


@dataclass(frozen=True)
class Inputs:
    """Scalar inputs of the power model (defaults from ``network_assumptions``).

    Attributes
    ----------
    pue : float
        Facility power over IT power. [-]
    switch_power_w_per_tb_s : float
        Switch power without front-panel optics, per Tb/s of box capacity. [W/(Tb/s)]
    optics_column : dict
        Column of ``network_optics`` per option (``power_w`` or a range end).
    ends_factor : float
        Multiplier on the optical ends of every GPU (1 = the fat-tree count). [-]
    gpu_power_w : float or None
        Overrides the platform's power per GPU. [W]
    """

    pue: float
    switch_power_w_per_tb_s: float
    optics_column: tuple = (("dsp_pluggable", "power_w"), ("lpo_pluggable", "power_w"), ("cpo", "power_w"))
    ends_factor: float = 1.0
    gpu_power_w: float | None = None

    def column(self, option: str) -> str:
        """The optics column used for ``option``."""
        return dict(self.optics_column)[option]


def default_inputs() -> Inputs:
    """Central values of every input.

    Examples
    --------
    >>> i = default_inputs()
    >>> i.pue, i.switch_power_w_per_tb_s
    (1.3, 28.66)
    """
    return Inputs(assumption("pue"), assumption("switch_power_w_per_tb_s"))


@dataclass(frozen=True)
class Scenario:
    """A network design: switch, optics of switch ports and of NIC ports.

    Attributes
    ----------
    label : str
        Short name for tables and charts.
    switch_id : str
        Switch box of ``network_switches``.
    switch_option, nic_option : str
        Optics option of switch-side and NIC-side ends.
    flatten : bool
        Choose planes to minimize tiers.
    one_fabric : bool
        Treat the box's ASICs as one switch (hypothetical).
    """

    label: str
    switch_id: str
    switch_option: str
    nic_option: str = "dsp_pluggable"
    flatten: bool = True
    one_fabric: bool = False

    def switch(self, table: dict[str, Switch] | None = None) -> Switch:
        """The switch box, as one fabric if asked."""
        s = (switches() if table is None else table)[self.switch_id]
        return as_one_fabric(s) if self.one_fabric else s


#: The three designs of the C1 comparison.
C1_SCENARIOS = (
    Scenario("DSP pluggable (Quantum-X800)", "quantum-x800-q3400", "dsp_pluggable"),
    Scenario("CPO, same tiers (Quantum-X Photonics)", "quantum-x-photonics-q3450", "cpo"),
    Scenario("CPO, flattest (Spectrum-X Photonics SN6800 as one fabric)", "spectrum-x-photonics-sn6800", "cpo",
             one_fabric=True),
)


def cluster_power(n_gpus, plat: Platform, scenario: Scenario, inputs: Inputs | None = None,
                  optics: pd.DataFrame | None = None) -> pd.DataFrame:
    """Power of a cluster's GPUs, switches and optics (vectorized over ``n_gpus``).

    Parameters
    ----------
    n_gpus : int or array_like
        GPUs. [count]
    plat : Platform
        GPU platform (power per GPU [W], NIC speed [Gb/s]).
    scenario : Scenario
        Network design.
    inputs : Inputs, optional
        Scalar inputs; default :func:`default_inputs`.

    Returns
    -------
    pandas.DataFrame
        The :func:`fabric` columns plus ``gpu_power_w, switch_power_w,
        switch_optics_power_w, nic_optics_power_w, optics_power_w, it_power_w,
        facility_power_w`` [W], ``optics_power_share`` [-] and ``lasers_count`` [count].

    Examples
    --------
    >>> p = Platform("example", 1000.0, 800.0)
    >>> c = cluster_power(10_368, p, Scenario("dsp", "quantum-x800-q3400", "dsp_pluggable"),
    ...                   Inputs(pue=1.0, switch_power_w_per_tb_s=0.0))
    >>> float(c["optics_power_w"].iloc[0]) / 10_368   # 4 ends x 15 W
    60.0
    >>> round(float(c["optics_power_share"].iloc[0]), 4)   # 60 / 1060
    0.0566
    """
    inputs = default_inputs() if inputs is None else inputs
    optics = data.load("network_optics") if optics is None else optics
    sw = scenario.switch()
    f = fabric(n_gpus, plat.nic_speed_gb_s, sw, flatten=scenario.flatten)
    n = f["n_gpus"].to_numpy(float)
    speed = plat.nic_speed_gb_s
    gpu_w = plat.gpu_power_w if inputs.gpu_power_w is None else inputs.gpu_power_w
    switch_end_w = port_value(scenario.switch_option, speed, "switch", inputs.column(scenario.switch_option), optics)
    nic_end_w = port_value(scenario.nic_option, speed, "nic", inputs.column(scenario.nic_option), optics)
    switch_lasers = port_value(scenario.switch_option, speed, "switch", "lasers_count", optics)
    nic_lasers = port_value(scenario.nic_option, speed, "nic", "lasers_count", optics)
    ports = f["switch_ports_per_gpu"].to_numpy(float) * inputs.ends_factor
    nic_ends = 1.0 * inputs.ends_factor
    out = f.assign(
        gpu_power_w=n * gpu_w,
        switch_power_w=f["switch_boxes"].to_numpy(float) * sw.capacity_tb_s * inputs.switch_power_w_per_tb_s,
        switch_optics_power_w=n * ports * switch_end_w,
        nic_optics_power_w=n * nic_ends * nic_end_w,
        lasers_count=n * (ports * switch_lasers + nic_ends * nic_lasers),
    )
    out["optics_power_w"] = out["switch_optics_power_w"] + out["nic_optics_power_w"]
    out["it_power_w"] = out["gpu_power_w"] + out["switch_power_w"] + out["optics_power_w"]
    out["facility_power_w"] = out["it_power_w"] * inputs.pue
    out["optics_power_share"] = out["optics_power_w"] / out["it_power_w"]
    return out


def saving(n_gpus, plat: Platform, baseline: Scenario, alternative: Scenario, inputs: Inputs | None = None) -> pd.DataFrame:
    """Power saved by ``alternative`` over ``baseline`` (vectorized over ``n_gpus``).

    Parameters
    ----------
    n_gpus : int or array_like
        GPUs. [count]
    plat : Platform
        GPU platform (power per GPU [W], NIC speed [Gb/s]).
    baseline, alternative : Scenario
        Network designs compared.
    inputs : Inputs, optional
        Scalar inputs; default :func:`default_inputs`.

    Returns
    -------
    pandas.DataFrame
        ``n_gpus, saving_it_w, saving_facility_w`` [W], ``saving_share`` (of the
        baseline's total power; PUE cancels) [-], ``saving_per_gpu_w`` [W].

    Examples
    --------
    >>> p = Platform("example", 1000.0, 800.0)
    >>> s = saving(10_368, p, C1_SCENARIOS[0], C1_SCENARIOS[1], Inputs(pue=1.0, switch_power_w_per_tb_s=0.0))
    >>> float(s["saving_per_gpu_w"].iloc[0])   # 3 switch ends x (15 - 4.5) W
    31.5
    """
    inputs = default_inputs() if inputs is None else inputs
    a = cluster_power(n_gpus, plat, baseline, inputs)
    b = cluster_power(n_gpus, plat, alternative, inputs)
    it = a["it_power_w"] - b["it_power_w"]
    return pd.DataFrame(
        {
            "n_gpus": a["n_gpus"],
            "saving_it_w": it,
            "saving_facility_w": it * inputs.pue,
            "saving_share": it / a["it_power_w"],
            "saving_per_gpu_w": it / a["n_gpus"],
        }
    )


# --- C1: the table, the "up to 12%" and the waterfall ------------------------------------------


def c1_table(product_id: str = "gb300-nvl72", sizes=C1_SIZES) -> pd.DataFrame:
    """Optics share and CPO saving for the C1 designs at each cluster size.

    Parameters
    ----------
    product_id : str
        Rack-scale product of ``hardware_specs`` whose power per GPU [W] and NIC speed [Gb/s] are used.
    sizes : sequence of int
        Cluster sizes. [count]

    Returns
    -------
    pandas.DataFrame
        ``n_gpus, design, tiers, planes, switch_boxes, optics_power_share,
        it_power_mw, saving_share, saving_mw, saving_per_gpu_w`` (saving versus
        the DSP design; MW of IT power).
    """
    plat = platform(product_id)
    inputs = default_inputs()
    rows = []
    base = cluster_power(list(sizes), plat, C1_SCENARIOS[0], inputs)
    for scenario in C1_SCENARIOS:
        c = cluster_power(list(sizes), plat, scenario, inputs)
        s = base["it_power_w"] - c["it_power_w"]
        rows.append(pd.DataFrame({
            "n_gpus": c["n_gpus"], "design": scenario.label, "tiers": c["tiers"], "planes": c["planes"],
            "switch_boxes": c["switch_boxes"], "optics_power_share": c["optics_power_share"],
            "it_power_mw": c["it_power_w"] / 1e6, "saving_share": s / base["it_power_w"],
            "saving_mw": s / 1e6, "saving_per_gpu_w": s / c["n_gpus"],
        }))
    return pd.concat(rows, ignore_index=True).sort_values(["n_gpus"], kind="stable").reset_index(drop=True)


def speed_label(gb_s: float) -> str:
    """Short label of a port speed, as the industry writes it.

    Parameters
    ----------
    gb_s : float
        Port speed. [Gb/s]

    Returns
    -------
    str
        ``"400G"``, ``"800G"``, ``"1.6T"``, ...

    Examples
    --------
    >>> speed_label(400), speed_label(800.0), speed_label(1600), speed_label(3200)
    ('400G', '800G', '1.6T', '3.2T')
    """
    gb_s = float(gb_s)
    return f"{gb_s / 1000:g}T" if gb_s >= 1000 else f"{gb_s:g}G"


def product_name(product_id: str, products: pd.DataFrame | None = None) -> str:
    """Display name of a product of ``products``.

    Parameters
    ----------
    product_id : str
        Product id, e.g. ``"gb200-nvl72"``.
    products : pandas.DataFrame, optional
        ``data.load("products")``.

    Returns
    -------
    str
        The product's name.

    Examples
    --------
    >>> product_name("gb300-nvl72")
    'GB300 NVL72'
    """
    names = data.product_names() if products is None else dict(zip(products["product_id"], products["name"]))
    return names.get(product_id, product_id)


@dataclass(frozen=True)
class Accounting:
    """One way of counting the "up to 12%" (for :func:`twelve_percent_table`).

    Attributes
    ----------
    key : str
        Short id of the accounting (stable; the chapter selects rows by it).
    product_id : str
        Platform whose rack power per GPU is used.
    nic_speed_gb_s : float or None
        Overrides the platform's NIC speed (None: the product as built). [Gb/s]
    nic_option : str
        Optics at the NIC in the CPO design.
    count_switches : bool
        Count the switch power removed with a tier.
    gpu_power : str
        ``"rack"`` (rack power per GPU) or ``"package"`` (GPU package TDP only).
    like_for_like : bool
        The product as built, counted as the model counts every design (the
        accountings that decide whether C1 is supported).
    """

    key: str
    product_id: str
    nic_speed_gb_s: float | None = None
    nic_option: str = "dsp_pluggable"
    count_switches: bool = True
    gpu_power: str = "rack"
    like_for_like: bool = False

    def describe(self, nic_speed_gb_s: float, products: pd.DataFrame | None = None,
                 optics: pd.DataFrame | None = None) -> str:
        """What the accounting assumes, built from its fields and the data.

        Parameters
        ----------
        nic_speed_gb_s : float
            Scale-out bandwidth per GPU used. [Gb/s]

        Examples
        --------
        >>> ACCOUNTINGS[0].describe(400)
        'GB200 NVL72 as built: 400G per GPU (DSP 9 W / CPO 2.25 W per switch port end), NIC pluggable'
        >>> ACCOUNTINGS[3].describe(1600)
        'GB200 NVL72 power: 1.6T per GPU (DSP 30 W / CPO 9 W per switch port end), NIC also CPO'
        """
        dsp_w = port_value("dsp_pluggable", nic_speed_gb_s, "switch", optics=optics)
        cpo_w = port_value("cpo", nic_speed_gb_s, "switch", optics=optics)
        head = product_name(self.product_id, products) + (" as built" if self.nic_speed_gb_s is None else " power")
        parts = [f"{head}: {speed_label(nic_speed_gb_s)} per GPU (DSP {dsp_w:g} W / CPO {cpo_w:g} W per switch port end)",
                 "NIC also CPO" if self.nic_option == "cpo" else "NIC pluggable"]
        if not self.count_switches:
            parts.append("optics only (no switch power counted)")
        if self.gpu_power == "package":
            parts.append("GPU package TDP instead of rack power")
        return ", ".join(parts)


#: Ways of counting the C1 saving, from like-for-like to most favourable.
ACCOUNTINGS = (
    Accounting("gb200_as_built", "gb200-nvl72", like_for_like=True),
    Accounting("gb300_as_built", "gb300-nvl72", like_for_like=True),
    Accounting("gb200_1600", "gb200-nvl72", 1600.0),
    Accounting("gb200_1600_nic_cpo", "gb200-nvl72", 1600.0, "cpo"),
    Accounting("gb200_1600_nic_cpo_optics_only", "gb200-nvl72", 1600.0, "cpo", False),
    Accounting("gb200_1600_nic_cpo_package", "gb200-nvl72", 1600.0, "cpo", True, "package"),
)


def twelve_percent_table(n_gpus: int | None = None) -> pd.DataFrame:
    """The C1 saving (DSP three-tier vs CPO flattest) under each :data:`ACCOUNTINGS` entry.

    Parameters
    ----------
    n_gpus : int, optional
        Cluster size; default the claim's (``claim_c1_cluster_gpus``). [count]

    Returns
    -------
    pandas.DataFrame
        ``key, accounting, like_for_like, product_id, nic_speed_gb_s, nic_option, count_switches,
        gpu_power, gpu_power_w, dsp_tiers, cpo_tiers, dsp_optics_share, cpo_optics_share,
        saving_share, saving_per_gpu_w`` ([Gb/s], [W], [count], shares [-]).
    """
    from analysis import jensen_math as jm

    n_gpus = int(assumption("claim_c1_cluster_gpus")) if n_gpus is None else int(n_gpus)
    specs = data.load("hardware_specs")
    products = data.load("products")
    inputs = default_inputs()
    rows = []
    for acc in ACCOUNTINGS:
        plat = platform(acc.product_id, specs)
        if acc.nic_speed_gb_s is not None:
            plat = replace(plat, nic_speed_gb_s=acc.nic_speed_gb_s)
        if acc.gpu_power == "package":
            plat = replace(plat, gpu_power_w=jm.spec_value(specs, acc.product_id, "power_kw", scope="per_package") * 1000)
        use = inputs if acc.count_switches else replace(inputs, switch_power_w_per_tb_s=0.0)
        dsp = replace(C1_SCENARIOS[0], flatten=False)
        cpo = replace(C1_SCENARIOS[2], nic_option=acc.nic_option)
        a = cluster_power(n_gpus, plat, dsp, use).iloc[0]
        b = cluster_power(n_gpus, plat, cpo, use).iloc[0]
        rows.append({
            "key": acc.key, "accounting": acc.describe(plat.nic_speed_gb_s, products), "like_for_like": acc.like_for_like,
            "product_id": acc.product_id, "nic_speed_gb_s": plat.nic_speed_gb_s, "nic_option": acc.nic_option,
            "count_switches": acc.count_switches, "gpu_power": acc.gpu_power, "gpu_power_w": plat.gpu_power_w,
            "dsp_tiers": int(a["tiers"]), "cpo_tiers": int(b["tiers"]),
            "dsp_optics_share": a["optics_power_share"], "cpo_optics_share": b["optics_power_share"],
            "saving_share": (a["it_power_w"] - b["it_power_w"]) / a["it_power_w"],
            "saving_per_gpu_w": (a["it_power_w"] - b["it_power_w"]) / n_gpus,
        })
    return pd.DataFrame(rows)


def waterfall_table(n_gpus: int = C1_SIZES[-1], product_id: str = "gb300-nvl72") -> pd.DataFrame:
    """Steps from the DSP design to the flattest CPO design, in MW of IT power.

    Parameters
    ----------
    n_gpus : int
        GPUs in the cluster. [count]
    product_id : str
        Rack-scale product of ``hardware_specs`` whose power per GPU [W] and NIC speed [Gb/s] are used.

    Returns
    -------
    pandas.DataFrame
        ``step, order, start_mw, end_mw, change_mw, kind`` (``kind``: total or change).
    """
    plat = platform(product_id)
    inputs = default_inputs()
    dsp = cluster_power(n_gpus, plat, C1_SCENARIOS[0], inputs).iloc[0]
    same = cluster_power(n_gpus, plat, C1_SCENARIOS[1], inputs).iloc[0]
    flat = cluster_power(n_gpus, plat, C1_SCENARIOS[2], inputs).iloc[0]
    mw = 1e-6
    steps = [
        ("Total, DSP pluggable", None, dsp["it_power_w"] * mw),
        ("Switch-side optics: DSP to CPO", (same["switch_optics_power_w"] - dsp["switch_optics_power_w"]) * mw, None),
        ("Switch electronics (assumed equal per Tb/s)", (same["switch_power_w"] - dsp["switch_power_w"]) * mw, None),
        ("Flatter: fewer switch ports (optics)", (flat["switch_optics_power_w"] - same["switch_optics_power_w"]) * mw, None),
        ("Flatter: fewer switch boxes", (flat["switch_power_w"] - same["switch_power_w"]) * mw, None),
        ("NIC-side optics (stay pluggable)", (flat["nic_optics_power_w"] - same["nic_optics_power_w"]) * mw, None),
        ("Total, CPO flattest", None, flat["it_power_w"] * mw),
    ]
    rows, level = [], 0.0
    for order, (name, change, total) in enumerate(steps):
        if total is not None:
            rows.append({"step": name, "order": order, "start_mw": 0.0, "end_mw": total, "change_mw": total, "kind": "total"})
            level = total
        else:
            rows.append({"step": name, "order": order, "start_mw": level, "end_mw": level + change, "change_mw": change,
                         "kind": "change"})
            level += change
    return pd.DataFrame(rows)


# --- C2: tiers and flattening ---------------------------------------------------------------------


#: Switches compared for C2: (switch id, GPU port speed [Gb/s], as one fabric, split ports to flatten).
C2_SWITCHES = (
    ("quantum-2-qm9700", 400.0, False, False),
    ("quantum-x-photonics-q3450", 800.0, False, False),
    ("spectrum-x-photonics-sn6800", 800.0, False, False),
    ("spectrum-x-photonics-sn6800", 800.0, True, True),
)


def _c2_switches():
    table = switches()
    for switch_id, speed, one, split in C2_SWITCHES:
        yield (as_one_fabric(table[switch_id]) if one else table[switch_id]), speed, split


def tiers_table(sizes=None) -> pd.DataFrame:
    """Tiers needed against cluster size for each C2 switch (vectorized sweep).

    Parameters
    ----------
    sizes : array_like, optional
        Cluster sizes to sweep; default 121 sizes spaced logarithmically over 10^2 to 10^7. [count]

    Returns
    -------
    pandas.DataFrame
        ``switch, gpu_speed_gb_s, n_gpus, tiers, radix, planes``.
    """
    sizes = np.unique(np.round(np.logspace(2, 7, 121)).astype(int)) if sizes is None else np.asarray(sizes)
    frames = []
    for sw, speed, split in _c2_switches():
        f = fabric(sizes, speed, sw, flatten=split)
        frames.append(pd.DataFrame({"switch": f"{sw.name}, {int(speed)}G per GPU", "gpu_speed_gb_s": speed,
                                    "n_gpus": f["n_gpus"], "tiers": f["tiers"], "radix": f["radix"], "planes": f["planes"]}))
    return pd.concat(frames, ignore_index=True)


def reach_table() -> pd.DataFrame:
    """Endpoints each C2 switch reaches on one, two and three tiers.

    Returns
    -------
    pandas.DataFrame
        ``switch_id, switch, optics, gpu_speed_gb_s, radix, planes, one_tier, two_tiers, three_tiers`` [count].

    Examples
    --------
    >>> r = reach_table().set_index("switch_id")
    >>> int(r.loc["quantum-x-photonics-q3450", "two_tiers"]), int(r.loc["quantum-2-qm9700", "three_tiers"])
    (10368, 65536)
    """
    rows = []
    for sw, speed, split in _c2_switches():
        plane_speed = sw.plane_speeds(speed)[-1 if split else 0]
        radix = sw.radix_at(plane_speed)
        rows.append({"switch_id": sw.switch_id, "switch": sw.name, "optics": sw.optics, "gpu_speed_gb_s": speed,
                     "radix": radix, "planes": int(speed / plane_speed), "one_tier": radix,
                     "two_tiers": max_endpoints(radix, 2), "three_tiers": max_endpoints(radix, 3)})
    return pd.DataFrame(rows)


def plane_radix(switch: Switch, gpu_speed_gb_s: float) -> int:
    """Radix of one plane when a GPU port of ``gpu_speed_gb_s`` is not split further than the box needs.

    Parameters
    ----------
    switch : Switch
        Switch box.
    gpu_speed_gb_s : float
        GPU port speed. [Gb/s]

    Returns
    -------
    int
        Ports of one ASIC at the fastest plane speed the box supports. [count]

    Examples
    --------
    >>> s = switches()
    >>> plane_radix(s["quantum-x800-q3400"], 800), plane_radix(s["spectrum-x-photonics-sn6800"], 800)
    (144, 512)
    """
    return switch.radix_at(switch.plane_speeds(gpu_speed_gb_s)[0])


def counterpart_table(gpu_speed_gb_s: float = 800.0, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every CPO switch of ``network_switches`` beside the pluggable switches of equal radix per plane.

    In a fat tree the reach depends on the radix alone, so a CPO switch and a
    pluggable switch of the same radix per plane reach the same number of GPUs;
    only a CPO switch without such a counterpart can be flatter than pluggables.

    Parameters
    ----------
    gpu_speed_gb_s : float
        GPU port speed every switch serves. [Gb/s]
    frame : pandas.DataFrame, optional
        ``data.load("network_switches")``.

    Returns
    -------
    pandas.DataFrame
        One row per CPO switch: ``switch_id, switch, radix, two_tiers, counterparts_count,
        counterpart_id, counterpart, counterpart_two_tiers, best_pluggable_two_tiers``
        ([count]; ``counterpart_*`` empty/NaN where none exists; the first counterpart is shown).

    Examples
    --------
    >>> t = counterpart_table().set_index("switch_id")
    >>> t.loc["quantum-x-photonics-q3450", "counterpart_id"], int(t.loc["spectrum-x-photonics-sn6800", "counterparts_count"])
    ('quantum-x800-q3400', 0)
    >>> int(t.loc["spectrum-x-photonics-sn6800", "two_tiers"]), int(t.loc["spectrum-x-photonics-sn6800", "best_pluggable_two_tiers"])
    (131072, 10368)
    """
    table = switches(frame)
    usable = {k: s for k, s in table.items() if s.plane_speeds(gpu_speed_gb_s)}
    plug = {k: s for k, s in usable.items() if s.optics == "pluggable"}
    best_plug = max((max_endpoints(plane_radix(s, gpu_speed_gb_s), 2) for s in plug.values()), default=0.0)
    rows = []
    for k, s in usable.items():
        if s.optics != "cpo":
            continue
        radix = plane_radix(s, gpu_speed_gb_s)
        twins = [p for p in plug.values() if plane_radix(p, gpu_speed_gb_s) == radix]
        rows.append({
            "switch_id": k, "switch": s.name, "radix": radix, "two_tiers": max_endpoints(radix, 2),
            "counterparts_count": len(twins), "counterpart_id": twins[0].switch_id if twins else "",
            "counterpart": twins[0].name if twins else "",
            "counterpart_two_tiers": max_endpoints(radix, 2) if twins else np.nan,
            "best_pluggable_two_tiers": best_plug,
        })
    return pd.DataFrame(rows)


def min_radix(n_gpus, tiers):
    """Smallest even radix whose fat tree of ``tiers`` tiers reaches ``n_gpus``.

    Parameters
    ----------
    n_gpus : int or array_like
        Endpoints. [count]
    tiers : int
        Switch tiers. [count]

    Returns
    -------
    int or numpy.ndarray
        ``2 ceil((n/2)^(1/T))``. [count]

    Examples
    --------
    >>> min_radix(400_000, 2), min_radix(10_368, 2), min_radix(10_369, 2)
    (896, 144, 146)
    """
    n = np.asarray(n_gpus, dtype=float)
    r = 2.0 * np.ceil((n / 2.0) ** (1.0 / tiers) - 1e-9)
    r = np.where(max_endpoints(r, tiers) < n, r + 2.0, r).astype(int)
    return int(r) if r.ndim == 0 else r


def flattening_table(n_gpus: int = REFERENCE_GPUS, product_id: str = "gb300-nvl72") -> pd.DataFrame:
    """What a flatter CPO network saves against three DSP tiers: switches, optics, hops.

    Parameters
    ----------
    n_gpus : int
        GPUs in the cluster. [count]
    product_id : str
        Rack-scale product of ``hardware_specs`` whose power per GPU [W] and NIC speed [Gb/s] are used.

    Returns
    -------
    pandas.DataFrame
        ``design, tiers, switch_boxes, optical_ends, lasers_count, switch_hops, optics_power_mw`` per design.
    """
    plat = platform(product_id)
    rows = []
    for scenario in C1_SCENARIOS:
        c = cluster_power(n_gpus, plat, scenario).iloc[0]
        rows.append({"design": scenario.label, "tiers": int(c["tiers"]), "switch_boxes": int(c["switch_boxes"]),
                     "optical_ends": int(c["optical_ends_per_gpu"]) * n_gpus, "lasers_count": float(c["lasers_count"]),
                     "switch_hops": int(c["switch_hops"]), "optics_power_mw": c["optics_power_w"] / 1e6})
    return pd.DataFrame(rows)


# --- C3: per-port efficiency, lasers, failures ------------------------------------------------------


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


def laser_table(n_gpus: int = REFERENCE_GPUS, product_id: str = "gb300-nvl72") -> pd.DataFrame:
    """Lasers per GPU and laser-caused link interruptions per day per ``n_gpus`` GPUs, by design.

    Parameters
    ----------
    n_gpus : int
        GPUs in the cluster. [count]
    product_id : str
        Rack-scale product of ``hardware_specs`` whose power per GPU [W] and NIC speed [Gb/s] are used.

    Returns
    -------
    pandas.DataFrame
        ``design, tiers, lasers_per_gpu, interruptions_per_day, interruptions_low, interruptions_high``
        (the range from the laser failure-rate range).
    """
    plat = platform(product_id)
    scenarios = C1_SCENARIOS[:2] + (Scenario("LPO pluggable (Quantum-X800)", "quantum-x800-q3400", "lpo_pluggable"),)
    rows = []
    for scenario in scenarios:
        c = cluster_power(n_gpus, plat, scenario).iloc[0]
        lasers = float(c["lasers_count"]) / n_gpus
        rows.append({"design": scenario.label, "tiers": int(c["tiers"]), "lasers_per_gpu": lasers,
                     **{f"interruptions{suffix}": link_interruptions_per_day(lasers, assumption("laser_afr_per_year", w), n_gpus)
                        for suffix, w in (("_per_day", "value"), ("_low", "low"), ("_high", "high"))}})
    return pd.DataFrame(rows)


# --- C4: scale-up domains ---------------------------------------------------------------------------


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
    from analysis import jensen_math as jm

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


# --- sensitivity and money ---------------------------------------------------------------------------


def tornado_table(n_gpus: int = REFERENCE_GPUS, product_id: str = "gb300-nvl72") -> pd.DataFrame:
    """Saving of the flattest CPO design over DSP at each end of every input's range.

    Two measures: facility MW (PUE scales it, GPU power does not) and share of
    total power (GPU power moves it, PUE cancels).

    Parameters
    ----------
    n_gpus : int
        GPUs in the cluster. [count]
    product_id : str
        Rack-scale product of ``hardware_specs`` whose power per GPU [W] and NIC speed [Gb/s] are used.

    Returns
    -------
    pandas.DataFrame
        ``input, measure, low_label, high_label, at_low, at_high, base, swing``
        (``measure``: "MW" of facility power or "%" of total), sorted by MW swing.
    """
    specs = data.load("hardware_specs")
    plat = platform(product_id, specs)
    base_inputs = default_inputs()
    dsp, cpo = C1_SCENARIOS[0], C1_SCENARIOS[2]

    def run(inputs, p):
        s = saving(n_gpus, p, dsp, cpo, inputs).iloc[0]
        return float(s["saving_facility_w"]) / 1e6, float(s["saving_share"]) * 100

    def cols(option, end):
        return tuple((o, end if o == option else "power_w") for o, _ in base_inputs.optics_column)

    def scalar(field, parameter):
        return (replace(base_inputs, **{field: assumption(parameter, "low")}),
                replace(base_inputs, **{field: assumption(parameter, "high")}))

    ends = assumption("published_transceivers_per_gpu", "low") / assumption("published_transceivers_per_gpu", "high")
    pkg_w = float(specs.query(f"product_id == '{product_id}' and metric == 'power_kw' and scope == 'per_package' "
                              "and preferred")["value_in_metric_unit"].iloc[0]) * 1000
    high_plat = platform(product_id, specs, rack_row="max")
    cases = [
        ("DSP pluggable W per port", "range low", "range high",
         replace(base_inputs, optics_column=cols("dsp_pluggable", "power_low_w")),
         replace(base_inputs, optics_column=cols("dsp_pluggable", "power_high_w")), plat, plat),
        ("CPO W per port", "range high", "range low", replace(base_inputs, optics_column=cols("cpo", "power_high_w")),
         replace(base_inputs, optics_column=cols("cpo", "power_low_w")), plat, plat),
        ("Optical ends per GPU",
         f"x{ends:.2f} (NVIDIA's {assumption('published_transceivers_per_gpu', 'low'):.1f} per GPU)",
         f"fat-tree count ({int(fabric(n_gpus, plat.nic_speed_gb_s, dsp.switch())['optical_ends_per_gpu'].iloc[0])})",
         replace(base_inputs, ends_factor=ends), base_inputs, plat, plat),
        ("GPU power", f"{pkg_w:.0f} W (package TDP)",
         f"{high_plat.gpu_power_w:.0f} W ({high_plat.gpu_power_w * plat_packages(product_id) / 1000:.0f} kW rack)",
         replace(base_inputs, gpu_power_w=pkg_w), base_inputs, plat, high_plat),
        ("PUE", f"{assumption('pue', 'low'):g}", f"{assumption('pue', 'high'):g}", *scalar("pue", "pue"), plat, plat),
        ("Switch W per Tb/s", f"{assumption('switch_power_w_per_tb_s', 'low'):g}",
         f"{assumption('switch_power_w_per_tb_s', 'high'):g}",
         *scalar("switch_power_w_per_tb_s", "switch_power_w_per_tb_s"), plat, plat),
    ]
    base = run(base_inputs, plat)
    rows = []
    for name, lo_l, hi_l, lo, hi, p_lo, p_hi in cases:
        at_lo, at_hi = run(lo, p_lo), run(hi, p_hi)
        for k, measure in enumerate(("MW", "%")):
            rows.append({"input": name, "measure": measure, "low_label": lo_l, "high_label": hi_l,
                         "at_low": at_lo[k], "at_high": at_hi[k], "base": base[k]})
    out = pd.DataFrame(rows)
    out["swing"] = (out["at_high"] - out["at_low"]).abs()
    order = out[out["measure"] == "MW"].sort_values("swing", ascending=False)["input"].tolist()
    out["rank"] = out["input"].map({name: i for i, name in enumerate(order)})
    return out.sort_values(["rank", "measure"]).drop(columns="rank").reset_index(drop=True)


def money_table(n_gpus: int = REFERENCE_GPUS, product_id: str = "gb300-nvl72") -> pd.DataFrame:
    """Electricity value of the CPO saving per year against the pluggable optics it removes.

    Parameters
    ----------
    n_gpus : int
        GPUs in the cluster. [count]
    product_id : str
        Rack-scale product of ``hardware_specs`` whose power per GPU [W] and NIC speed [Gb/s] are used.

    Returns
    -------
    pandas.DataFrame
        ``case, saving_facility_mw, electricity_usd_per_year, switch_side_optics_capex_usd, years_of_electricity``
        for the low, central and high price assumptions (USD).
    """
    plat = platform(product_id)
    inputs = default_inputs()
    s = saving(n_gpus, plat, C1_SCENARIOS[0], C1_SCENARIOS[2], inputs).iloc[0]
    dsp = cluster_power(n_gpus, plat, C1_SCENARIOS[0], inputs).iloc[0]
    ends = float(dsp["switch_ports_per_gpu"]) * n_gpus * plat.nic_speed_gb_s / 800.0
    rows = []
    for case, price_end, power_end in (("low", "low", "low"), ("central", "value", "value"), ("high", "high", "high")):
        usd_kwh = assumption("electricity_usd_per_kwh", power_end)
        per_year = s["saving_facility_w"] / 1000 * HOURS_PER_YEAR * usd_kwh
        capex = ends * assumption("pluggable_price_usd_per_800g", price_end)
        rows.append({"case": case, "electricity_usd_per_kwh": usd_kwh, "saving_facility_mw": s["saving_facility_w"] / 1e6,
                     "electricity_usd_per_year": per_year, "switch_side_optics_capex_usd": capex,
                     "years_of_electricity": capex / per_year})
    return pd.DataFrame(rows)


# --- verdicts ---------------------------------------------------------------------------------------------


def _claims():
    from analysis import claims

    return claims


#: Share of a claimed figure a computed figure must reach to count as reproducing it (C1, C3). [-]
REPRODUCED_SHARE = 0.9


def verdict_c1():
    """C1: CPO cuts network power by up to 12% of total power in large deployments.

    Rule: with ``s`` the saving (three DSP tiers to the flattest CPO design) at
    the claim's cluster size under each :data:`ACCOUNTINGS` entry and ``c`` the
    claimed share (``claim_c1_saving_share``):
    supported if ``s >= REPRODUCED_SHARE * c`` for an accounting flagged
    ``like_for_like`` (GB200 or GB300 NVL72 as built); partly supported if
    only accountings not flagged like-for-like reach it (the closest is named
    in the evidence); contradicted if no accounting does.
    """
    c = _claims()
    claimed = assumption("claim_c1_saving_share")
    n_claim = int(assumption("claim_c1_cluster_gpus"))
    table = twelve_percent_table(n_claim)
    like = table[table["like_for_like"]]
    other = table[~table["like_for_like"]]
    reaching = table[table["saving_share"] >= REPRODUCED_SHARE * claimed]
    c1 = c1_table()
    close = table.iloc[int(np.argmin((table["saving_share"] - claimed).abs().to_numpy()))]
    evidence = [c.Evidence("claimed saving (SemiAnalysis)", claimed * 100, "%"),
                c.Evidence("threshold: share of the claim to reproduce", REPRODUCED_SHARE * 100, "%")]
    evidence += [c.Evidence(f"{n_claim:,} GPUs, {r.accounting}: saving", r.saving_share * 100, "%") for r in table.itertuples()]
    for r in c1[c1["design"] != C1_SCENARIOS[0].label].itertuples():
        evidence.append(c.Evidence(f"GB300 NVL72, {r.n_gpus:,} GPUs, {r.design}: saving", r.saving_share * 100, "%"))
    for r in c1[c1["design"] == C1_SCENARIOS[0].label].itertuples():
        evidence.append(c.Evidence(f"GB300 NVL72, {r.n_gpus:,} GPUs, DSP optics share", r.optics_power_share * 100, "%"))
    evidence.append(c.Evidence(f"scenario closest to {claimed:.0%}: {close.accounting}", close.saving_share * 100, "%"))
    evidence.append(c.Evidence("accountings reaching the threshold", len(reaching), "-"))
    if reaching["like_for_like"].any():
        verdict = c.Verdict.SUPPORTED
    elif len(reaching):
        verdict = c.Verdict.PARTLY
    else:
        verdict = c.Verdict.CONTRADICTED
    like_text = " and ".join(
        f"{r.saving_share:.1%} for {product_name(r.product_id)} ({speed_label(r.nic_speed_gb_s)} per GPU)"
        for r in like.itertuples())
    close_how = (f"{speed_label(close.nic_speed_gb_s)} per GPU, {close.cpo_tiers} CPO tiers instead of "
                 f"{close.dsp_tiers} DSP tiers, NIC end {'CPO' if close.nic_option == 'cpo' else 'pluggable'}, "
                 f"switch power {'counted' if close.count_switches else 'not counted'}, GPU power from the "
                 f"{'rack' if close.gpu_power == 'rack' else 'package TDP'}")
    if verdict is c.Verdict.SUPPORTED:
        reach_text = f"'Up to {claimed:.0%}' is reached like-for-like."
    elif verdict is c.Verdict.PARTLY:
        reach_text = (f"'Up to {claimed:.0%}' is reached (at least {REPRODUCED_SHARE:.0%} of it) only by "
                      f"{len(reaching)} of the {len(other)} accountings that are not like-for-like; the closest is {close.saving_share:.1%} "
                      f"({close_how}).")
    else:
        reach_text = f"No accounting reaches {REPRODUCED_SHARE:.0%} of '{claimed:.0%}'; the closest gives {close.saving_share:.1%}."
    summary = (
        f"At {n_claim:,} GPUs, {int(like['dsp_tiers'].max())} DSP tiers to the flattest CPO design "
        f"({int(like['cpo_tiers'].max())} tiers) saves {like_text}. {reach_text} "
        f"CPO does cut the power of a {speed_label(1600)} optical port by {port_power_cut(1600):.0%}."
    )
    sn = switches()["spectrum-x-photonics-sn6800"]
    plat = platform("gb300-nvl72")
    packages = plat_packages("gb300-nvl72")
    to_16 = table.set_index("key").loc["gb200_1600", "saving_share"]
    return c.ClaimResult(
        "C1", verdict, summary, tuple(evidence),
        assumptions=(
            f"Optics per switch port end: DSP {port_value('dsp_pluggable', 1600):g} W and CPO {port_value('cpo', 1600):g} W "
            f"per {speed_label(1600)} (NVIDIA), scaled per bit; NIC ends pluggable unless the accounting says otherwise.",
            f"Switch power without optics {assumption('switch_power_w_per_tb_s'):.1f} W per Tb/s (derived from Lambda's "
            f"{assumption('q3450_switch_power_w') / 1000:.2f} kW CPO switch); GPU power = rack power / {packages:.0f} "
            f"packages ({plat.gpu_power_w:,.0f} W for GB300 NVL72).",
            f"Two tiers at {n_claim:,} GPUs need a radix of at least {min_radix(n_claim, 2):,} per plane: the SN6800 "
            f"({as_one_fabric(sn).lanes_per_asic:,} lanes) treated as one fabric (hypothetical).",
        ),
        would_change=(
            f"A scale-out bandwidth of {speed_label(1600)} per GPU (Rubin-class NICs) moves the saving to "
            f"{to_16:.1%} with GB200 rack power and pluggable NICs.",
            f"A published power for the SN6800 or a single-ASIC {sn.capacity_tb_s:g} Tb/s switch would replace the "
            "per-Tb/s switch power.",
        ),
    )


def plat_packages(product_id: str) -> float:
    """GPU packages of a rack-scale product (``hardware_specs``).

    Parameters
    ----------
    product_id : str
        Product id.

    Returns
    -------
    float
        Packages per rack. [count]

    Examples
    --------
    >>> plat_packages("gb300-nvl72"), plat_packages("rubin-ultra-nvl576")
    (72.0, 144.0)
    """
    from analysis import jensen_math as jm

    return float(jm.topologies(data.load("hardware_specs"))[product_id].packages)


def verdict_c2():
    """C2: CPO allows a flatter network (fewer tiers) and better scalability.

    Rule (:func:`counterpart_table`, GPU ports of 800 Gb/s, two-tier reach
    ``2 (R/2)^2`` with ``R`` the radix per plane): a CPO switch is *flatter*
    if its two-tier reach exceeds that of every pluggable switch in
    ``network_switches``; its *pluggable counterpart* is a pluggable switch in
    the data with the same radix per plane.
    Contradicted if no CPO switch is flatter.  Supported if a flatter CPO
    switch has a counterpart that reaches fewer GPUs on two tiers (the optics,
    not the radix, make the difference).  Partly supported otherwise: CPO
    switches are flatter, but every flatter one either has a counterpart that
    reaches as many (flattening from radix) or has none in the data (the
    flattening cannot be credited to the optics).
    """
    c = _claims()
    gpu_speed = 800.0
    reach = reach_table().set_index("switch_id")
    pairs = counterpart_table(gpu_speed)
    flat = flattening_table()
    evidence = [c.Evidence(f"{r.switch}: GPUs on two tiers ({speed_label(r.gpu_speed_gb_s)} per GPU)", r.two_tiers, "-")
                for r in reach.itertuples()]
    evidence += [c.Evidence(f"{r.switch}: GPUs on three tiers", r.three_tiers, "-") for r in reach.itertuples()]
    evidence.append(c.Evidence(f"best pluggable switch in the data: GPUs on two tiers ({speed_label(gpu_speed)} per GPU)",
                               float(pairs["best_pluggable_two_tiers"].iloc[0]), "-"))
    for r in pairs.itertuples():
        evidence.append(c.Evidence(f"{r.switch}: radix per plane", r.radix, "-"))
        evidence.append(c.Evidence(f"{r.switch}: pluggable switches of equal radix ({r.radix}) in the data",
                                   r.counterparts_count, "-"))
        if r.counterparts_count:
            evidence.append(c.Evidence(f"{r.switch}: two-tier reach of its pluggable counterpart {r.counterpart}",
                                       r.counterpart_two_tiers, "-"))
    evidence += [c.Evidence(f"{REFERENCE_GPUS:,} GPUs, {r.design}: switch boxes", r.switch_boxes, "-")
                 for r in flat.itertuples()]
    evidence += [c.Evidence(f"{REFERENCE_GPUS:,} GPUs, {r.design}: switch hops (worst path)", r.switch_hops, "-")
                 for r in flat.itertuples()]
    flatter = pairs[pairs["two_tiers"] > pairs["best_pluggable_two_tiers"]]
    beaten = flatter[(flatter["counterparts_count"] > 0) & (flatter["counterpart_two_tiers"] < flatter["two_tiers"])]
    if flatter.empty:
        verdict = c.Verdict.CONTRADICTED
    elif len(beaten):
        verdict = c.Verdict.SUPPORTED
    else:
        verdict = c.Verdict.PARTLY
    twins = pairs[pairs["counterparts_count"] > 0]
    twin_text = "; ".join(f"the {r.switch} reaches {r.two_tiers:,.0f} GPUs on two tiers, as many as its pluggable "
                          f"counterpart {r.counterpart} (radix {r.radix})" for r in twins.itertuples())
    flatter_text = "; ".join(
        f"the {r.switch} (radix {r.radix}) reaches {r.two_tiers:,.0f}"
        + ("" if r.counterparts_count else ", but the data hold no pluggable switch of that radix to compare")
        for r in flatter.itertuples())
    one = reach.loc["spectrum-x-photonics-sn6800-one-fabric"]
    summary = (
        f"With {speed_label(gpu_speed)} per GPU the best pluggable switch in the data reaches "
        f"{pairs['best_pluggable_two_tiers'].iloc[0]:,.0f} GPUs on two tiers; "
        + (flatter_text if len(flatter) else "no CPO switch reaches more")
        + (f". Where a pluggable switch of equal radix exists, CPO adds no reach: {twin_text}" if len(twins) else "")
        + f". Only a {one['radix']:,.0f}-lane single fabric would reach {one['two_tiers']:,.0f}. Flattening comes from "
        "radix: CPO makes high-radix boxes practical (no front-panel cages) but does not flatten a network by itself."
    )
    return c.ClaimResult(
        "C2", verdict, summary, tuple(evidence),
        assumptions=("Non-blocking fat trees; one NIC port per GPU; a multi-ASIC box is one plane per ASIC.",
                     f"SN6800 built from {switches()['spectrum-x-photonics-sn6800'].asics} ASICs of "
                     f"{switches()['spectrum-x-photonics-sn6810'].capacity_tb_s:g} Tb/s (estimated; low confidence)."),
        would_change=(
            f"A single-fabric {one['radix']:,.0f}-lane SN6800 would put {one['two_tiers'] / 1e6:.1f} million GPUs on two tiers.",
            "A pluggable switch with the SN6800's radix per plane (a sourced row in network_switches) would show "
            "whether CPO or radix makes the difference.",
        ),
    )


def verdict_c3():
    """C3: CPO switches give 3.5x power efficiency, 10x resiliency and 4x fewer lasers.

    Rule, with the claimed factors ``claim_c3_power_efficiency``,
    ``claim_c3_fewer_lasers`` and ``claim_c3_resiliency`` of
    ``network_assumptions`` and ``k = REPRODUCED_SHARE``: the per-port figures
    hold if the DSP/CPO power ratio of a 1.6T port is at least ``k`` x the
    claimed efficiency and its laser ratio at least ``k`` x the claimed laser
    reduction; the resiliency holds if laser-caused link interruptions of a
    three-tier cluster (NIC ends pluggable) fall by at least ``k`` x the
    claimed resiliency.  Supported if all hold; partly supported if only the
    per-port figures hold; contradicted otherwise.
    """
    c = _claims()
    claim_eff = assumption("claim_c3_power_efficiency")
    claim_lasers = assumption("claim_c3_fewer_lasers")
    claim_res = assumption("claim_c3_resiliency")
    dsp_w, cpo_w = port_value("dsp_pluggable", 1600), port_value("cpo", 1600)
    dsp_l = port_value("dsp_pluggable", 1600, column="lasers_count")
    cpo_l = port_value("cpo", 1600, column="lasers_count")
    ratio, lasers_port = dsp_w / cpo_w, dsp_l / cpo_l
    n_gpus = REFERENCE_GPUS
    lasers = laser_table(n_gpus).set_index("design")
    dsp, cpo = C1_SCENARIOS[0].label, C1_SCENARIOS[1].label
    cluster_ratio = lasers.at[dsp, "lasers_per_gpu"] / lasers.at[cpo, "lasers_per_gpu"]
    plug_128k, cpo_128k = assumption("published_lasers_pluggable_128k"), assumption("published_lasers_cpo_128k")
    evidence = [
        c.Evidence(f"pluggable {speed_label(1600)} port", dsp_w, "W"),
        c.Evidence(f"CPO {speed_label(1600)} port", cpo_w, "W"),
        c.Evidence(f"per-port efficiency ({dsp_w:g} W / {cpo_w:g} W)", ratio, "x"),
        c.Evidence("claimed efficiency", claim_eff, "x"),
        c.Evidence(f"lasers per {speed_label(1600)} port, pluggable / CPO", lasers_port, "x"),
        c.Evidence("claimed laser reduction", claim_lasers, "x"),
        c.Evidence(f"lasers per GPU, DSP {lasers.at[dsp, 'tiers']} tiers", lasers.at[dsp, "lasers_per_gpu"], "-"),
        c.Evidence(f"lasers per GPU, CPO {lasers.at[cpo, 'tiers']} tiers (NIC pluggable)", lasers.at[cpo, "lasers_per_gpu"], "-"),
        c.Evidence("cluster laser (and laser-interruption) reduction", cluster_ratio, "x"),
        c.Evidence("claimed resiliency", claim_res, "x"),
        c.Evidence(f"Lambda's 128k-GPU laser estimate ({plug_128k / 1e6:g}M / {cpo_128k / 1e6:g}M)", plug_128k / cpo_128k, "x"),
        c.Evidence(f"laser interruptions per day per {n_gpus:,} GPUs, DSP", lasers.at[dsp, "interruptions_per_day"], "1/day"),
        c.Evidence(f"laser interruptions per day per {n_gpus:,} GPUs, CPO", lasers.at[cpo, "interruptions_per_day"], "1/day"),
    ]
    per_port_ok = ratio >= REPRODUCED_SHARE * claim_eff and lasers_port >= REPRODUCED_SHARE * claim_lasers
    cluster_ok = cluster_ratio >= REPRODUCED_SHARE * claim_res
    if per_port_ok and cluster_ok:
        verdict = c.Verdict.SUPPORTED
    elif per_port_ok:
        verdict = c.Verdict.PARTLY
    else:
        verdict = c.Verdict.CONTRADICTED
    summary = (
        f"Per {speed_label(1600)} port NVIDIA's own figures give {ratio:.2f}x ({dsp_w:g} W to {cpo_w:g} W) against the "
        f"claimed {claim_eff:g}x, and {lasers_port:g}x fewer lasers against the claimed {claim_lasers:g}x. Across a "
        f"cluster whose NIC ends stay pluggable, lasers (and laser-caused link interruptions) fall {cluster_ratio:.1f}x, "
        f"not {claim_res:g}x; {claim_res:g}x resiliency would need failures other than lasers (DSPs, connectors, "
        "handling) to fall too, which no public data quantifies."
    )
    afr = [fit_from_afr(assumption("laser_afr_per_year", w)) for w in ("value", "low", "high")]
    return c.ClaimResult(
        "C3", verdict, summary, tuple(evidence),
        assumptions=(f"Laser annual failure rate {afr[0]:.0f} FIT ({afr[1]:.0f}-{afr[2]:.0f}), equal for pluggable and "
                     "external CW lasers (assumed).",
                     "One laser failure interrupts one link."),
        would_change=("Field failure rates of CPO light sources vs pluggable modules at scale.",),
    )


def verdict_c4():
    """C4: CPO lets far more GPUs be interconnected, paving the way past 576-GPU domains.

    A domain past the claimed size (``claim_c4_domain_gpus``) spans more than
    one rack, so its links need optics.  Rule, with ``e`` today's CPO energy
    per bit (the 1.6T row of ``network_optics``), ``e_road`` the roadmap
    energy (``cpo_roadmap_pj_per_bit``) and ``e_req(b)`` the energy per bit at
    which all-optical scale-up of a Rubin Ultra package fits a share ``b`` of
    its power (:func:`scaleup_table`), ``b`` over the low, central and high
    ends of ``scaleup_optics_budget_share``:
    supported if ``e <= e_req(low)`` (announced CPO fits even the tightest
    budget); contradicted if ``e_road > e_req(high)`` (even the roadmap misses
    the loosest budget); not testable with public data otherwise (the outcome
    flips within the assumed budget range or rests on unannounced scale-up
    optics).
    """
    c = _claims()
    budgets = {w: assumption("scaleup_optics_budget_share", w) for w in ("low", "value", "high")}
    tables = {w: scaleup_table(b).set_index("product_id") for w, b in budgets.items()}
    t = tables["value"]
    ru = t.loc["rubin-ultra-nvl576"]
    required = {w: float(tab.at["rubin-ultra-nvl576", "required_pj_per_bit"]) for w, tab in tables.items()}
    cpo = pj_per_bit(port_value("cpo", 1600), 1600)
    roadmap = assumption("cpo_roadmap_pj_per_bit")
    domain = assumption("claim_c4_domain_gpus")
    nv_ports = assumption("nvlink_switch_ports")
    evidence = [
        c.Evidence("claimed domain size to go past", domain, "GPUs"),
        c.Evidence("passive copper reach at NVLink lane rates", assumption("copper_reach_m"), "m"),
        c.Evidence("NVLink 5 switch ports (one-tier domain limit)", nv_ports, "-"),
        c.Evidence(f"two-tier NVLink domain with {nv_ports:.0f}-port switches", max_endpoints(nv_ports, 2), "-"),
        c.Evidence(f"today's CPO energy ({speed_label(1600)} port)", cpo, "pJ/bit"),
        c.Evidence("CPO research roadmap energy", roadmap, "pJ/bit"),
    ]
    for pid, r in t.iterrows():
        evidence += [
            c.Evidence(f"{pid}: packages per domain", r["packages"], "-"),
            c.Evidence(f"{pid}: rack power per package", r["power_per_package_w"], "W"),
            c.Evidence(f"{pid}: optical scale-up at today's CPO ({cpo:.2f} pJ/bit)", r["optics_w_cpo"], "W per package"),
        ]
    for w, b in budgets.items():
        evidence.append(c.Evidence(f"rubin-ultra-nvl576: energy per bit that fits {b:.0%} of package power", required[w], "pJ/bit"))
    if cpo <= required["low"]:
        verdict = c.Verdict.SUPPORTED
    elif roadmap > required["high"]:
        verdict = c.Verdict.CONTRADICTED
    else:
        verdict = c.Verdict.NOT_TESTABLE
    fits = [f"{budgets[w]:.0%}" for w in budgets if cpo <= required[w]]
    misses = [f"{budgets[w]:.0%}" for w in budgets if cpo > required[w]]
    fit_text = (f"fits a budget of {' or '.join(fits)} of package power but not {' or '.join(misses)}" if fits and misses
                else ("fits every budget in the range" if fits else "misses every budget in the range"))
    summary = (
        f"Copper's ~{assumption('copper_reach_m'):.0f} m reach at today's lane rates and rack power "
        f"({ru['power_per_package_w']:,.0f} W per Rubin Ultra package) keep an NVLink domain inside one rack, so going "
        f"past {domain:.0f} needs optical scale-up. At today's CPO energy ({cpo:.2f} pJ/bit) a Rubin Ultra package would "
        f"spend {ru['optics_w_cpo']:,.0f} W on it, which {fit_text} (assumed range {budgets['low']:.0%}-"
        f"{budgets['high']:.0%}; {required['low']:.1f}-{required['high']:.1f} pJ/bit allowed). The verdict thus turns on "
        f"an assumed budget and on scale-up optics nobody has announced: the CPO switches announced are scale-out "
        f"switches, and the research roadmap ({roadmap:g} pJ/bit and below) is not a product. Settling it needs a "
        "published optical NVLink link or switch with its energy per bit, and the scale-up power budget of a package."
    )
    return c.ClaimResult(
        "C4", verdict, summary, tuple(evidence),
        assumptions=(f"Every scale-up link optical with two ends; budget {budgets['value']:.0%} of package power "
                     f"(assumed, {budgets['low']:.0%}-{budgets['high']:.0%}).",
                     f"Rubin Ultra NVLink {ru['nvlink_rack_tb_s_both'] / 1000:.1f} PB/s per rack, both directions "
                     f"(low-confidence source), over {ru['packages']:.0f} packages."),
        would_change=("An announced optical NVLink switch or GPU with co-packaged optics and its energy per bit.",
                      "A published share of package power for scale-up I/O (replaces the assumed budget)."),
    )


# --- figures ---------------------------------------------------------------------------------------------


def _sources(*tables: str, specs_ids=()) -> pd.DataFrame:
    from analysis.figures import SOURCE_COLUMNS

    frames = [data.load(t)[SOURCE_COLUMNS] for t in tables]
    if specs_ids:
        specs = data.load("hardware_specs")
        frames.append(specs[specs["spec_id"].isin(set(specs_ids))][SOURCE_COLUMNS])
    return pd.concat(frames, ignore_index=True)


def _platform_spec_ids(product_id: str) -> list[str]:
    specs = data.load("hardware_specs")
    rows = specs[(specs["product_id"] == product_id) & specs["metric"].isin(["power_kw", "nic_bandwidth_tb_s", "gpu_packages_count"])]
    return list(rows["spec_id"])


def waterfall_figure():
    """fig-cpo-waterfall: from three DSP tiers to the flattest CPO design at 400k GB300 GPUs."""
    import altair as alt

    from analysis.figures import FigureData, themed

    n_gpus = C1_SIZES[-1]
    table = waterfall_table(n_gpus)
    plat = platform("gb300-nvl72")
    tiers = [int(cluster_power(n_gpus, plat, s)["tiers"].iloc[0]) for s in (C1_SCENARIOS[0], C1_SCENARIOS[2])]
    table["low_mw"] = table[["start_mw", "end_mw"]].min(axis=1)
    table["high_mw"] = table[["start_mw", "end_mw"]].max(axis=1)
    table["label"] = np.where(table["kind"] == "total", table["change_mw"].map("{:,.0f} MW".format),
                              table["change_mw"].map("{:+,.1f} MW".format))
    lowest = float(table.loc[table["kind"] == "total", "end_mw"].min())
    highest = float(table.loc[table["kind"] == "total", "end_mw"].max())
    domain = [float(np.floor(lowest * 0.95 / 10) * 10), float(np.ceil(highest * 1.02 / 10) * 10)]
    base = alt.Chart(table).encode(
        y=alt.Y("step:N", sort=list(table["step"]), title=None, axis=alt.Axis(labelLimit=300)))
    bars = base.mark_bar(clip=True).encode(
        x=alt.X("low_mw:Q", title=f"IT power of {n_gpus:,} GB300 NVL72 GPUs [MW] (axis starts at "
                f"{domain[0]:.0f})", scale=alt.Scale(domain=domain, zero=False)),
        x2="high_mw:Q",
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=["total", "change"], range=["#0072B2", "#009E73"])),
        tooltip=["step", alt.Tooltip("change_mw:Q", format=",.2f"), alt.Tooltip("end_mw:Q", format=",.1f")],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=12).encode(x="high_mw:Q", text="label:N")
    chart = (bars + labels).properties(title=f"Where CPO saves power: {n_gpus // 1000}k GB300 GPUs, {tiers[0]} DSP tiers "
                                             f"to {tiers[1]} CPO tiers")
    return FigureData(themed(chart, width=460, height=260), table[["step", "kind", "start_mw", "end_mw", "change_mw"]],
                      _sources("network_switches", "network_optics", "network_assumptions",
                               specs_ids=_platform_spec_ids("gb300-nvl72")))


def tiers_figure():
    """fig-cpo-tiers: tiers needed against cluster size for each switch."""
    import altair as alt

    from analysis.figures import FigureData, themed

    table = tiers_table()
    chart = (
        alt.Chart(table).mark_line(interpolate="step-after", strokeWidth=2.5).encode(
            x=alt.X("n_gpus:Q", title="GPUs in the cluster (one NIC port each)", scale=alt.Scale(type="log")),
            y=alt.Y("tiers:Q", title="Switch tiers needed", scale=alt.Scale(domain=[0.5, 4.5]), axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("switch:N", title=None, legend=alt.Legend(columns=1, labelLimit=560)),
            strokeDash=alt.StrokeDash("switch:N", legend=None),
            tooltip=["switch", "n_gpus", "tiers", "radix", "planes"],
        ).properties(title="Tiers needed vs cluster size: radix per plane decides")
    )
    return FigureData(themed(chart, width=560, height=280), table, _sources("network_switches"))


def port_power_figure():
    """fig-cpo-port-power: watts per port end by optics option, 800G and 1.6T."""
    import altair as alt

    from analysis.figures import FigureData, themed

    table = per_port_table()
    table["speed"] = table["port_speed_gb_s"].map(lambda s: "1.6T port" if s == 1600 else "800G port")
    base = alt.Chart().encode(y=alt.Y("option:N", title=None, sort=["DSP pluggable", "LPO pluggable", "CPO"]))
    bars = base.mark_bar(color="#0072B2").encode(
        x=alt.X("power_w:Q", title="Power per port end, laser included [W]"),
        tooltip=["option", "speed", "power_w", "power_low_w", "power_high_w", alt.Tooltip("energy_pj_per_bit:Q", format=".2f"),
                 "lasers_count", "status"])
    whiskers = base.mark_rule(color="#000000").encode(x="power_low_w:Q", x2="power_high_w:Q")
    text = base.mark_text(align="left", dx=4, dy=-8, fontSize=11).encode(x="power_high_w:Q", text=alt.Text("power_w:Q", format=".1f"))
    chart = (
        alt.layer(bars, whiskers, text, data=table).properties(width=420, height=110)
        .facet(row=alt.Row("speed:N", title=None, sort=["800G port", "1.6T port"], header=alt.Header(labelFontSize=13, labelOrient="top")))
        .properties(title=f"Watts per optical port: DSP {port_value('dsp_pluggable', 1600):g} W vs CPO "
                          f"{port_value('cpo', 1600):g} W at {speed_label(1600)} (whiskers: sourced range)")
    )
    return FigureData(themed(chart, width=None, height=None), table.drop(columns="speed"), _sources("network_optics"))


def tornado_figure():
    """fig-cpo-tornado: sensitivity of the CPO saving at 100k GB300 GPUs."""
    import altair as alt

    from analysis.figures import FigureData, themed

    table = tornado_table()
    long = pd.concat([
        table.assign(end="low end of range", saving=table["at_low"], label=table["low_label"]),
        table.assign(end="high end of range", saving=table["at_high"], label=table["high_label"]),
    ], ignore_index=True)[["input", "measure", "end", "label", "saving", "base"]]
    long["measure"] = long["measure"].map({"MW": "Facility MW saved", "%": "Saved, % of total power"})
    order = list(dict.fromkeys(table["input"]))
    bars = alt.Chart().mark_bar(opacity=0.85).encode(
        y=alt.Y("input:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
        x=alt.X("saving:Q", title=None, scale=alt.Scale(zero=False)),
        x2=alt.X2("base:Q"),
        color=alt.Color("end:N", title=None, scale=alt.Scale(range=["#E69F00", "#0072B2"])),
        tooltip=["input", "end", "label", alt.Tooltip("saving:Q", format=".2f")],
    )
    rule = alt.Chart().mark_rule(color="#000000", strokeDash=[4, 3]).encode(x="mean(base):Q")
    chart = (
        alt.layer(bars, rule, data=long).properties(width=250, height=200)
        .facet(column=alt.Column("measure:N", title=None, header=alt.Header(labelFontSize=13)))
        .resolve_scale(x="independent")
        .properties(title=f"CPO saving at {REFERENCE_GPUS // 1000}k GB300 GPUs: each bar spans one input's sourced range")
    )
    return FigureData(themed(chart, width=None, height=None), long,
                      _sources("network_optics", "network_assumptions", specs_ids=_platform_spec_ids("gb300-nvl72")))


def optics_share_figure():
    """fig-cpo-optics-share: optics share of IT power against cluster size, by design."""
    import altair as alt

    from analysis.figures import FigureData, themed

    plat = platform("gb300-nvl72")
    sizes = np.unique(np.round(np.logspace(3, np.log10(700_000), 60)).astype(int))
    scenarios = C1_SCENARIOS + (Scenario("LPO pluggable (Quantum-X800)", "quantum-x800-q3400", "lpo_pluggable"),)
    frames = [cluster_power(sizes, plat, s)[["n_gpus", "tiers", "optics_power_share"]].assign(design=s.label)
              for s in scenarios]
    table = pd.concat(frames, ignore_index=True)
    chart = alt.Chart(table).mark_line(interpolate="step-after", strokeWidth=2.5).encode(
        x=alt.X("n_gpus:Q", title="GB300 NVL72 GPUs", scale=alt.Scale(type="log")),
        y=alt.Y("optics_power_share:Q", title="Optics share of IT power", axis=alt.Axis(format="%")),
        color=alt.Color("design:N", title=None, legend=alt.Legend(columns=1, labelLimit=420)),
        tooltip=["design", "n_gpus", "tiers", alt.Tooltip("optics_power_share:Q", format=".2%")],
    ).properties(title="Optics share of cluster IT power jumps with each added tier")
    return FigureData(themed(chart, width=560, height=280), table,
                      _sources("network_switches", "network_optics", "network_assumptions",
                               specs_ids=_platform_spec_ids("gb300-nvl72")))
