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


@dataclass(frozen=True)
class Accounting:
    """One way of counting the "up to 12%" (for :func:`twelve_percent_table`).

    Attributes
    ----------
    label : str
        What the accounting assumes.
    product_id : str
        Platform whose rack power per GPU is used.
    nic_speed_gb_s : float or None
        Overrides the platform's NIC speed. [Gb/s]
    nic_option : str
        Optics at the NIC in the CPO design.
    count_switches : bool
        Count the switch power removed with a tier.
    gpu_power : str
        ``"rack"`` (rack power per GPU) or ``"package"`` (GPU package TDP only).
    """

    label: str
    product_id: str
    nic_speed_gb_s: float | None = None
    nic_option: str = "dsp_pluggable"
    count_switches: bool = True
    gpu_power: str = "rack"


#: Ways of counting the C1 saving, from like-for-like to most favourable.
ACCOUNTINGS = (
    Accounting("GB200 NVL72 as built: 400G per GPU, NIC pluggable", "gb200-nvl72"),
    Accounting("GB300 NVL72 as built: 800G per GPU, NIC pluggable", "gb300-nvl72"),
    Accounting("GB200 power, 1.6T per GPU (NVIDIA's 30 W / 9 W ports), NIC pluggable", "gb200-nvl72", 1600.0),
    Accounting("GB200 power, 1.6T per GPU, NIC also CPO (NVIDIA's 6 x 30 W to 6 x 9 W)", "gb200-nvl72", 1600.0, "cpo"),
    Accounting("As above, optics only (no switch power counted)", "gb200-nvl72", 1600.0, "cpo", False),
    Accounting("As above with switches, GPU package TDP instead of rack power", "gb200-nvl72", 1600.0, "cpo", True,
               "package"),
)


def twelve_percent_table(n_gpus: int = 400_000) -> pd.DataFrame:
    """The C1 saving (DSP three-tier vs CPO flattest) under each :data:`ACCOUNTINGS` entry.

    Returns
    -------
    pandas.DataFrame
        ``accounting, nic_speed_gb_s, gpu_power_w, dsp_tiers, cpo_tiers,
        dsp_optics_share, cpo_optics_share, saving_share, saving_per_gpu_w``.
    """
    from analysis import jensen_math as jm

    specs = data.load("hardware_specs")
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
            "accounting": acc.label, "nic_speed_gb_s": plat.nic_speed_gb_s, "gpu_power_w": plat.gpu_power_w,
            "dsp_tiers": int(a["tiers"]), "cpo_tiers": int(b["tiers"]),
            "dsp_optics_share": a["optics_power_share"], "cpo_optics_share": b["optics_power_share"],
            "saving_share": (a["it_power_w"] - b["it_power_w"]) / a["it_power_w"],
            "saving_per_gpu_w": (a["it_power_w"] - b["it_power_w"]) / n_gpus,
        })
    return pd.DataFrame(rows)


def waterfall_table(n_gpus: int = 400_000, product_id: str = "gb300-nvl72") -> pd.DataFrame:
    """Steps from the DSP design to the flattest CPO design, in MW of IT power.

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


def flattening_table(n_gpus: int = 100_000, product_id: str = "gb300-nvl72") -> pd.DataFrame:
    """What a flatter CPO network saves against three DSP tiers: switches, optics, hops.

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


def laser_table(n_gpus: int = 100_000, product_id: str = "gb300-nvl72") -> pd.DataFrame:
    """Lasers per GPU and laser-caused link interruptions per day per ``n_gpus`` GPUs, by design.

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

    Returns
    -------
    pandas.DataFrame
        ``product_id, packages, power_per_package_w, nvlink_tb_s_one_way,
        single_tier_switch_ports, optics_w_pluggable, optics_w_cpo, optics_w_roadmap,
        required_pj_per_bit`` ([count], [W], [TB/s], [pJ/bit]).
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
            "product_id": product_id, "packages": packages, "power_per_package_w": rack_w / packages,
            "nvlink_tb_s_one_way": tb_s, "single_tier_switch_ports": int(packages),
            "optics_w_pluggable": watts(dsp), "optics_w_cpo": watts(cpo), "optics_w_roadmap": watts(roadmap),
            "required_pj_per_bit": budget * rack_w / packages / (2 * bits) * 1e12,
        })
    return pd.DataFrame(rows)


# --- sensitivity and money ---------------------------------------------------------------------------


def tornado_table(n_gpus: int = 100_000, product_id: str = "gb300-nvl72") -> pd.DataFrame:
    """Saving of the flattest CPO design over DSP at each end of every input's range.

    Two measures: facility MW (PUE scales it, GPU power does not) and share of
    total power (GPU power moves it, PUE cancels).

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
        ("Optical ends per GPU", f"x{ends:.2f} (NVIDIA's 5.1 per GPU)", "fat-tree count (6)",
         replace(base_inputs, ends_factor=ends), base_inputs, plat, plat),
        ("GPU power", f"{pkg_w:.0f} W (package TDP)", f"{high_plat.gpu_power_w:.0f} W (142 kW rack)",
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


def money_table(n_gpus: int = 100_000, product_id: str = "gb300-nvl72") -> pd.DataFrame:
    """Electricity value of the CPO saving per year against the pluggable optics it removes.

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


def verdict_c1():
    """C1: CPO cuts network power by up to 12% of total power in large deployments.

    Rule: supported if the like-for-like GB200 or GB300 design reaches 90% of
    the claimed share; partly supported if only another accounting does (the
    scenario is named in the evidence); contradicted if none does.
    """
    c = _claims()
    claimed = assumption("claim_c1_saving_share")
    table = twelve_percent_table()
    c1 = c1_table()
    like = table.iloc[:2]
    best = table.loc[table["saving_share"].idxmax()]
    close = table.iloc[(table["saving_share"] - claimed).abs().argsort()[:1]].iloc[0]
    evidence = [c.Evidence("claimed saving (SemiAnalysis)", claimed * 100, "%")]
    evidence += [c.Evidence(f"400k GPUs, {r.accounting}: saving", r.saving_share * 100, "%") for r in table.itertuples()]
    for r in c1[c1["design"] != C1_SCENARIOS[0].label].itertuples():
        evidence.append(c.Evidence(f"GB300 NVL72, {r.n_gpus:,} GPUs, {r.design}: saving", r.saving_share * 100, "%"))
    for r in c1[c1["design"] == C1_SCENARIOS[0].label].itertuples():
        evidence.append(c.Evidence(f"GB300 NVL72, {r.n_gpus:,} GPUs, DSP optics share", r.optics_power_share * 100, "%"))
    evidence.append(c.Evidence(f"scenario closest to 12%: {close.accounting}", close.saving_share * 100, "%"))
    if (like["saving_share"] >= 0.9 * claimed).any():
        verdict = c.Verdict.SUPPORTED
    elif best["saving_share"] >= 0.9 * claimed:
        verdict = c.Verdict.PARTLY
    else:
        verdict = c.Verdict.CONTRADICTED
    summary = (
        f"At 400k GPUs, three DSP tiers to the flattest CPO design saves {like['saving_share'].iloc[0]:.1%} of total "
        f"power for GB200 NVL72 (400G per GPU) and {like['saving_share'].iloc[1]:.1%} for GB300 NVL72 (800G). "
        f"'Up to 12%' is reproduced only by the scenario '{close.accounting}' ({close.saving_share:.1%}): NVIDIA's "
        "per-port watts at 1.6T per GPU, two CPO tiers instead of three DSP tiers, and switch power counted. "
        "CPO does cut optics power by about 70% per port."
    )
    return c.ClaimResult(
        "C1", verdict, summary, tuple(evidence),
        assumptions=(
            "Optics per port: DSP 30 W and CPO 9 W per 1.6T (NVIDIA), scaled per bit; NIC ends stay pluggable.",
            "Switch power without optics 28.7 W per Tb/s (derived from Lambda's 3.95 kW CPO switch); GPU power = rack power / 72.",
            "Two tiers at 400k GPUs need a 2,048-lane switch: the SN6800 treated as one fabric (hypothetical).",
        ),
        would_change=(
            "A scale-out bandwidth of 1.6T per GPU (Rubin-class NICs) moves the like-for-like saving towards 10%.",
            "A published power for the SN6800 or a single-ASIC 409.6T switch would replace the per-Tb/s switch power.",
        ),
    )


def verdict_c2():
    """C2: CPO allows a flatter network (fewer tiers) and better scalability.

    Rule: supported if a CPO switch reaches on two tiers what pluggable
    switches need three for and the pluggable twin of a CPO switch does not;
    partly supported if the flattening comes from radix alone (a CPO switch
    with a pluggable twin of the same radix reaches the same).
    """
    c = _claims()
    reach = reach_table().set_index("switch_id")
    flat = flattening_table()
    sw = switches()
    same_radix = sw["quantum-x800-q3400"].lanes_per_asic == sw["quantum-x-photonics-q3450"].lanes_per_asic
    evidence = [c.Evidence(f"{r.switch}: GPUs on two tiers ({int(r.gpu_speed_gb_s)}G per GPU)", r.two_tiers, "-")
                for r in reach.itertuples()]
    evidence += [c.Evidence(f"{r.switch}: GPUs on three tiers", r.three_tiers, "-") for r in reach.itertuples()]
    evidence += [c.Evidence(f"100k GPUs, {r.design}: switch boxes", r.switch_boxes, "-") for r in flat.itertuples()]
    evidence += [c.Evidence(f"100k GPUs, {r.design}: switch hops (worst path)", r.switch_hops, "-") for r in flat.itertuples()]
    cpo_flatter = reach.loc["spectrum-x-photonics-sn6800", "two_tiers"] > reach.loc["quantum-x-photonics-q3450", "two_tiers"]
    verdict = c.Verdict.PARTLY if (cpo_flatter and same_radix) else (c.Verdict.SUPPORTED if cpo_flatter else c.Verdict.CONTRADICTED)
    summary = (
        f"Two tiers reach {reach.loc['quantum-x-photonics-q3450', 'two_tiers']:,.0f} GPUs with the 144-port Quantum-X "
        f"Photonics (the same as its pluggable twin) and {reach.loc['spectrum-x-photonics-sn6800', 'two_tiers']:,.0f} with "
        f"the 512-port Spectrum-X Photonics; only a 2,048-lane single fabric would reach "
        f"{reach.loc['spectrum-x-photonics-sn6800-one-fabric', 'two_tiers']:,.0f}. Flattening comes from radix: CPO "
        "makes high-radix boxes practical (no front-panel cages) but does not flatten a network by itself."
    )
    return c.ClaimResult(
        "C2", verdict, summary, tuple(evidence),
        assumptions=("Non-blocking fat trees; one NIC port per GPU; a multi-ASIC box is one plane per ASIC.",
                     "SN6800 built from four 102.4 Tb/s Spectrum-6 ASICs (estimated; low confidence)."),
        would_change=("A single-fabric 2,048-lane SN6800 would put 2.1 million GPUs on two tiers.",),
    )


def verdict_c3():
    """C3: CPO switches give 3.5x power efficiency, 10x resiliency and 4x fewer lasers.

    Rule: supported if per-port efficiency is within 10% of 3.5x, lasers per
    port 4x, and laser-caused interruptions fall 10x for the cluster; partly
    supported if only the per-port figures hold.
    """
    c = _claims()
    ratio = port_value("dsp_pluggable", 1600) / port_value("cpo", 1600)
    lasers_port = port_value("dsp_pluggable", 1600, column="lasers_count") / port_value("cpo", 1600, column="lasers_count")
    lasers = laser_table().set_index("design")
    dsp, cpo = C1_SCENARIOS[0].label, C1_SCENARIOS[1].label
    cluster_ratio = lasers.at[dsp, "lasers_per_gpu"] / lasers.at[cpo, "lasers_per_gpu"]
    lambda_ratio = assumption("published_lasers_pluggable_128k") / assumption("published_lasers_cpo_128k")
    evidence = [
        c.Evidence("pluggable 1.6T port", port_value("dsp_pluggable", 1600), "W"),
        c.Evidence("CPO 1.6T port", port_value("cpo", 1600), "W"),
        c.Evidence("per-port efficiency (30 W / 9 W)", ratio, "x"),
        c.Evidence("claimed efficiency", assumption("claim_c3_power_efficiency"), "x"),
        c.Evidence("lasers per 1.6T port, pluggable / CPO", lasers_port, "x"),
        c.Evidence("lasers per GPU, DSP 3 tiers", lasers.at[dsp, "lasers_per_gpu"], "-"),
        c.Evidence("lasers per GPU, CPO 3 tiers (NIC pluggable)", lasers.at[cpo, "lasers_per_gpu"], "-"),
        c.Evidence("cluster laser reduction", cluster_ratio, "x"),
        c.Evidence("Lambda's 128k-GPU laser estimate (5M / 1M)", lambda_ratio, "x"),
        c.Evidence("laser interruptions per day per 100k GPUs, DSP", lasers.at[dsp, "interruptions_per_day"], "1/day"),
        c.Evidence("laser interruptions per day per 100k GPUs, CPO", lasers.at[cpo, "interruptions_per_day"], "1/day"),
    ]
    per_port_ok = abs(ratio / assumption("claim_c3_power_efficiency") - 1) <= 0.10 and np.isclose(lasers_port, 4)
    if per_port_ok and cluster_ratio >= 10:
        verdict = c.Verdict.SUPPORTED
    elif per_port_ok:
        verdict = c.Verdict.PARTLY
    else:
        verdict = c.Verdict.CONTRADICTED
    summary = (
        f"Per 1.6T port NVIDIA's own figures give {ratio:.2f}x (30 W to 9 W), not quite 3.5x, and {lasers_port:.0f}x fewer "
        f"lasers. Across a cluster whose NIC ends stay pluggable, lasers (and laser-caused link interruptions) fall "
        f"{cluster_ratio:.1f}x, not 10x; 10x resiliency would need failures other than lasers (DSPs, connectors, "
        "handling) to fall too, which no public data quantifies."
    )
    return c.ClaimResult(
        "C3", verdict, summary, tuple(evidence),
        assumptions=("Laser annual failure rate 100 FIT (50-200), equal for pluggable and external CW lasers (assumed).",
                     "One laser failure interrupts one link."),
        would_change=("Field failure rates of CPO light sources vs pluggable modules at scale.",),
    )


def verdict_c4():
    """C4: CPO lets far more GPUs be interconnected, paving the way past 576-GPU domains.

    Rule: partly supported when copper reach and rack power bound a domain to
    one rack (so optics are needed beyond it) and today's CPO energy per bit
    exceeds the scale-up budget for Rubin Ultra (the claim then rests on a
    roadmap); supported if today's CPO fits the budget.
    """
    c = _claims()
    t = scaleup_table().set_index("product_id")
    ru = t.loc["rubin-ultra-nvl576"]
    cpo = pj_per_bit(port_value("cpo", 1600), 1600)
    evidence = [
        c.Evidence("copper reach at 200G per lane", assumption("copper_reach_m"), "m"),
        c.Evidence("NVLink 5 switch ports (one-tier domain limit)", assumption("nvlink_switch_ports"), "-"),
        c.Evidence("two-tier NVLink domain with 72-port switches", max_endpoints(assumption("nvlink_switch_ports"), 2), "-"),
    ]
    for pid, r in t.iterrows():
        evidence += [
            c.Evidence(f"{pid}: packages per domain", r["packages"], "-"),
            c.Evidence(f"{pid}: rack power per package", r["power_per_package_w"], "W"),
            c.Evidence(f"{pid}: optical scale-up at CPO 5.6 pJ/bit", r["optics_w_cpo"], "W per package"),
            c.Evidence(f"{pid}: energy per bit that fits the budget", r["required_pj_per_bit"], "pJ/bit"),
        ]
    verdict = c.Verdict.SUPPORTED if cpo <= ru["required_pj_per_bit"] else c.Verdict.PARTLY
    summary = (
        f"Copper's ~{assumption('copper_reach_m'):.0f} m reach at 200G per lane and rack power ({ru['power_per_package_w']:.0f} W "
        f"per Rubin Ultra package) keep an NVLink domain inside one rack, so going past NVL576 needs optical scale-up. "
        f"At today's CPO energy ({cpo:.1f} pJ/bit) a Rubin Ultra package would spend {ru['optics_w_cpo']:.0f} W on scale-up "
        f"optics; within {assumption('scaleup_optics_budget_share'):.0%} of its power needs {ru['required_pj_per_bit']:.1f} "
        "pJ/bit. The CPO switches announced are scale-out switches: they flatten the network but do not enlarge NVLink "
        "domains. Beyond 576 is a roadmap (sub-1 pJ/bit research), i.e. speculation."
    )
    return c.ClaimResult(
        "C4", verdict, summary, tuple(evidence),
        assumptions=("Every scale-up link optical with two ends; budget 10% of package power (assumed, 5-15%).",
                     "Rubin Ultra NVLink 1.5 PB/s per rack (low-confidence source) over 144 packages."),
        would_change=("An announced optical NVLink switch or GPU with co-packaged optics and its energy per bit.",),
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

    table = waterfall_table()
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
        x=alt.X("low_mw:Q", title="IT power of 400,000 GB300 NVL72 GPUs [MW] (axis starts at "
                f"{domain[0]:.0f})", scale=alt.Scale(domain=domain, zero=False)),
        x2="high_mw:Q",
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=["total", "change"], range=["#0072B2", "#009E73"])),
        tooltip=["step", alt.Tooltip("change_mw:Q", format=",.2f"), alt.Tooltip("end_mw:Q", format=",.1f")],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=12).encode(x="high_mw:Q", text="label:N")
    chart = (bars + labels).properties(title="Where CPO saves power: 400k GB300 GPUs, 3 DSP tiers to 2 CPO tiers")
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
        .properties(title="Watts per optical port: DSP 30 W vs CPO 9 W at 1.6T (whiskers: sourced range)")
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
        .properties(title="CPO saving at 100k GB300 GPUs: each bar spans one input's sourced range")
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
