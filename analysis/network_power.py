"""Power and lasers of a GPU cluster's scale-out network, and how much co-packaged optics saves.

A cluster is GPUs at their rack's power per package, a fat tree of switches
(:mod:`analysis.network`) at a power per Tb/s of capacity without their
optics, and optics per port end by option (:mod:`analysis.optics`), with a PUE
for the facility.  A :class:`Scenario` names the switch and the optics of its
ports and of the NICs; :func:`saving` compares two.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from analysis import data, network, optics
from analysis import jensen_math as jm


#: Cluster size of the flattening, laser, sensitivity and money tables. [GPUs]
REFERENCE_GPUS = 100_000


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
    sw = network.switches()["quantum-x-photonics-q3450"]
    box_w = optics.assumption("q3450_switch_power_w", frame=frame)
    return (box_w - sw.ports * optics.port_value("cpo", sw.port_speed_gb_s)) / sw.capacity_tb_s


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
    return Inputs(optics.assumption("pue"), optics.assumption("switch_power_w_per_tb_s"))


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

    def switch(self, table: dict[str, network.Switch] | None = None) -> network.Switch:
        """The switch box, as one fabric if asked."""
        s = (network.switches() if table is None else table)[self.switch_id]
        return network.as_one_fabric(s) if self.one_fabric else s


#: The three designs compared throughout the CPO chapter: three DSP tiers, CPO on the same tiers, the flattest CPO.
DESIGNS = (
    Scenario("DSP pluggable (Quantum-X800)", "quantum-x800-q3400", "dsp_pluggable"),
    Scenario("CPO, same tiers (Quantum-X Photonics)", "quantum-x-photonics-q3450", "cpo"),
    Scenario("CPO, flattest (Spectrum-X Photonics SN6800 as one fabric)", "spectrum-x-photonics-sn6800", "cpo",
             one_fabric=True),
)


def cluster_power(n_gpus, plat: Platform, scenario: Scenario, inputs: Inputs | None = None,
                  optics_table: pd.DataFrame | None = None) -> pd.DataFrame:
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
    optics_table = data.load("network_optics") if optics_table is None else optics_table
    sw = scenario.switch()
    f = network.fabric(n_gpus, plat.nic_speed_gb_s, sw, flatten=scenario.flatten)
    n = f["n_gpus"].to_numpy(float)
    speed = plat.nic_speed_gb_s
    gpu_w = plat.gpu_power_w if inputs.gpu_power_w is None else inputs.gpu_power_w
    switch_end_w = optics.port_value(scenario.switch_option, speed, "switch", inputs.column(scenario.switch_option), optics_table)
    nic_end_w = optics.port_value(scenario.nic_option, speed, "nic", inputs.column(scenario.nic_option), optics_table)
    switch_lasers = optics.port_value(scenario.switch_option, speed, "switch", "lasers_count", optics_table)
    nic_lasers = optics.port_value(scenario.nic_option, speed, "nic", "lasers_count", optics_table)
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
    >>> s = saving(10_368, p, DESIGNS[0], DESIGNS[1], Inputs(pue=1.0, switch_power_w_per_tb_s=0.0))
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
    scenarios = DESIGNS[:2] + (Scenario("LPO pluggable (Quantum-X800)", "quantum-x800-q3400", "lpo_pluggable"),)
    rows = []
    for scenario in scenarios:
        c = cluster_power(n_gpus, plat, scenario).iloc[0]
        lasers = float(c["lasers_count"]) / n_gpus
        rows.append({"design": scenario.label, "tiers": int(c["tiers"]), "lasers_per_gpu": lasers,
                     **{f"interruptions{suffix}": optics.link_interruptions_per_day(lasers, optics.assumption("laser_afr_per_year", w), n_gpus)
                        for suffix, w in (("_per_day", "value"), ("_low", "low"), ("_high", "high"))}})
    return pd.DataFrame(rows)


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
    for scenario in DESIGNS:
        c = cluster_power(n_gpus, plat, scenario).iloc[0]
        rows.append({"design": scenario.label, "tiers": int(c["tiers"]), "switch_boxes": int(c["switch_boxes"]),
                     "optical_ends": int(c["optical_ends_per_gpu"]) * n_gpus, "lasers_count": float(c["lasers_count"]),
                     "switch_hops": int(c["switch_hops"]), "optics_power_mw": c["optics_power_w"] / 1e6})
    return pd.DataFrame(rows)


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
    dsp, cpo = DESIGNS[0], DESIGNS[2]

    def run(inputs, p):
        s = saving(n_gpus, p, dsp, cpo, inputs).iloc[0]
        return float(s["saving_facility_w"]) / 1e6, float(s["saving_share"]) * 100

    def cols(option, end):
        return tuple((o, end if o == option else "power_w") for o, _ in base_inputs.optics_column)

    def scalar(field, parameter):
        return (replace(base_inputs, **{field: optics.assumption(parameter, "low")}),
                replace(base_inputs, **{field: optics.assumption(parameter, "high")}))

    ends = optics.assumption("published_transceivers_per_gpu", "low") / optics.assumption("published_transceivers_per_gpu", "high")
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
         f"x{ends:.2f} (NVIDIA's {optics.assumption('published_transceivers_per_gpu', 'low'):.1f} per GPU)",
         f"fat-tree count ({int(network.fabric(n_gpus, plat.nic_speed_gb_s, dsp.switch())['optical_ends_per_gpu'].iloc[0])})",
         replace(base_inputs, ends_factor=ends), base_inputs, plat, plat),
        ("GPU power", f"{pkg_w:.0f} W (package TDP)",
         f"{high_plat.gpu_power_w:.0f} W ({high_plat.gpu_power_w * plat_packages(product_id) / 1000:.0f} kW rack)",
         replace(base_inputs, gpu_power_w=pkg_w), base_inputs, plat, high_plat),
        ("PUE", f"{optics.assumption('pue', 'low'):g}", f"{optics.assumption('pue', 'high'):g}", *scalar("pue", "pue"), plat, plat),
        ("Switch W per Tb/s", f"{optics.assumption('switch_power_w_per_tb_s', 'low'):g}",
         f"{optics.assumption('switch_power_w_per_tb_s', 'high'):g}",
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
    s = saving(n_gpus, plat, DESIGNS[0], DESIGNS[2], inputs).iloc[0]
    dsp = cluster_power(n_gpus, plat, DESIGNS[0], inputs).iloc[0]
    ends = float(dsp["switch_ports_per_gpu"]) * n_gpus * plat.nic_speed_gb_s / 800.0
    rows = []
    for case, price_end, power_end in (("low", "low", "low"), ("central", "value", "value"), ("high", "high", "high")):
        usd_kwh = optics.assumption("electricity_usd_per_kwh", power_end)
        per_year = s["saving_facility_w"] / 1000 * optics.HOURS_PER_YEAR * usd_kwh
        capex = ends * optics.assumption("pluggable_price_usd_per_800g", price_end)
        rows.append({"case": case, "electricity_usd_per_kwh": usd_kwh, "saving_facility_mw": s["saving_facility_w"] / 1e6,
                     "electricity_usd_per_year": per_year, "switch_side_optics_capex_usd": capex,
                     "years_of_electricity": capex / per_year})
    return pd.DataFrame(rows)


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
    return float(jm.topologies(data.load("hardware_specs"))[product_id].packages)
