"""Total cost of ownership: dollars per GPU-hour, per million tokens and of revenue per MW.

One GPU package of a deployed system costs, per hour it is owned,

    capex_hw x A(wacc, life) / 8,766 h              # system and its share of the scale-out network
  + capex_dc x P_IT x A(wacc, dc_life) / 8,766 h     # data-center shell, power and cooling per MW of IT power
  + m x capex_hw / 8,766 h                           # maintenance, a share of hardware capex a year
  + P_IT x PUE x price of electricity                # power, drawn every hour (provisioned)

with ``A(r, n) = r / (1 - (1 + r)^-n)`` the annuity factor (capital recovered
with a cost of capital ``r`` over ``n`` years; ``1/n`` when ``r = 0``) and
``capex_hw = system price / (1 - network share)``.  ``P_IT`` is the system's
power per package (``analysis.systems``) plus its share of the scale-out
network's switches and optics from the CPO chapter's fat-tree model
(``analysis.network_power``).  A GPU that serves ``T`` output tokens/s at the
interactivity asked, for a share ``u`` of its hours, costs

    cost per million output tokens = cost per GPU-hour / (T x 3,600 s x u) x 10^6

and earns, at a price ``p`` per million tokens, ``T u p`` per second per the
facility power ``P_IT x PUE`` (revenue per MW).  ``T`` comes from the
performance model's frontier and its uncertainty band (``analysis.frontier``)
or from a measurement (MLPerf).  Every input with its source and range is one
row of ``data/tco_assumptions.csv`` (electricity price and PUE of
``data/network_assumptions.csv``); :func:`monte_carlo` draws all ranges at
once (seeded) and :func:`tornado` moves one at a time.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from analysis import data, frontier, models, network_power, optics, systems
from analysis import jensen_math as jm

#: Hours in a year (365.25 days), as the CPO chapter counts them [h].
HOURS_PER_YEAR = optics.HOURS_PER_YEAR

#: Parameters taken from ``network_assumptions`` (shared with the CPO chapter), not duplicated.
NETWORK_PARAMETERS = ("electricity_usd_per_kwh", "pue")

#: Hardware without a performance-model entry (their throughput is measured: MLPerf).
MEASURED_ONLY = ("mi300x", "mi325x", "mi355x")

#: Display names of the hardware without a product row in ``hardware_specs``.
AMD_NAMES = {"mi300x": "AMD MI300X (8-GPU)", "mi325x": "AMD MI325X (8-GPU)", "mi355x": "AMD MI355X (8-GPU)"}

#: AMD systems publish only the package power: their system power per package is it times the
#: system-over-TDP ratio of this NVIDIA system of the same class (as :data:`analysis.systems.POWER_REFERENCE`).
POWER_REFERENCE = {"mi300x": "h100", "mi325x": "h100", "mi355x": "b200"}

#: z of the 5th and 95th percentiles of a normal distribution (the frontier band is a 5-95% band) [-].
Z95 = 1.6448536269514722


# --- the assumption table -------------------------------------------------------------------


def assumptions(overrides: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every input of the cost model, one row each, with its source and range.

    ``data/tco_assumptions.csv`` plus the electricity price and PUE rows of
    ``data/network_assumptions.csv`` (shared with the CPO chapter; hardware ``all``).

    Parameters
    ----------
    overrides : pandas.DataFrame, optional
        Rows with the columns of ``tco_assumptions`` (validated with its schema,
        e.g. by :func:`analysis.data.load_file`); each replaces the row with the
        same ``parameter`` and ``hardware``.

    Returns
    -------
    pandas.DataFrame
        Columns of ``tco_assumptions`` (values in the row's ``unit``).

    Raises
    ------
    KeyError
        If an override names a (parameter, hardware) the table does not have; the message lists the valid ones.

    Examples
    --------
    >>> a = assumptions().set_index(["parameter", "hardware"])
    >>> float(a.loc[("lifetime_years", "all"), "value"]), float(a.loc[("pue", "all"), "value"])
    (4.0, 1.3)
    """
    base = data.load("tco_assumptions")
    net = data.load("network_assumptions")
    net = net[net["parameter"].isin(NETWORK_PARAMETERS)].assign(hardware="all")
    table = pd.concat([base, net[base.columns]], ignore_index=True)
    if overrides is not None and len(overrides):
        keys = set(zip(table["parameter"], table["hardware"]))
        wanted = list(zip(overrides["parameter"], overrides["hardware"]))
        unknown = [k for k in wanted if k not in keys]
        if unknown:
            valid = ", ".join(f"{p}/{h}" for p, h in sorted(keys))
            raise KeyError(f"override rows not in the assumption table: {unknown}; valid (parameter/hardware): {valid}")
        table = table.set_index(["parameter", "hardware"])
        table.loc[wanted, list(overrides.columns.drop(["parameter", "hardware"]))] = (
            overrides.set_index(["parameter", "hardware"]).loc[wanted].to_numpy())
        table = table.reset_index()
    return table


def lookup(table: pd.DataFrame, parameter: str, hardware: str = "all", which: str = "value") -> float:
    """One assumption: the row of ``hardware`` if there is one, else the ``all`` row.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`assumptions`.
    parameter : str
        Parameter id [-].
    hardware : str
        Hardware id [-].
    which : {"value", "low", "high"}
        Central value or an end of the range.

    Returns
    -------
    float
        The value [the row's unit].

    Examples
    --------
    >>> t = assumptions()
    >>> lookup(t, "system_price_usd_per_gpu", "h100"), lookup(t, "utilization", "h100", "low")
    (33750.0, 0.5)
    """
    return data.assumption("tco_assumptions", parameter, which, frame=table, hardware=hardware)


def hardware_ids(table: pd.DataFrame | None = None) -> list[str]:
    """Hardware with a system price in the assumption table, in roadmap order (NVIDIA, then AMD).

    Examples
    --------
    >>> hardware_ids()[:3], hardware_ids()[-1]
    (['h100', 'h200', 'b200'], 'mi355x')
    """
    table = assumptions() if table is None else table
    priced = set(table.loc[table["parameter"] == "system_price_usd_per_gpu", "hardware"])
    order = list(systems.HARDWARE) + list(MEASURED_ONLY)
    return [h for h in order if h in priced]


def display_name(hardware: str) -> str:
    """Display name of a hardware id (``analysis.systems`` names; AMD from :data:`AMD_NAMES`).

    Examples
    --------
    >>> display_name("gb300"), display_name("mi355x")
    ('GB300 NVL72', 'AMD MI355X (8-GPU)')
    """
    return AMD_NAMES[hardware] if hardware in AMD_NAMES else systems.get(hardware).name


# --- power per GPU ------------------------------------------------------------------------


def system_power_kw(hardware: str, table: pd.DataFrame | None = None) -> float:
    """System power per GPU package, without the scale-out network [kW].

    NVIDIA: :attr:`analysis.systems.HardwareSpec.power_kw` (published system or rack
    power per package, else estimated from the package TDP); AMD: the package power
    times the system-over-TDP ratio of the :data:`POWER_REFERENCE` system.

    Parameters
    ----------
    hardware : str
        Hardware id [-].
    table : pandas.DataFrame, optional
        :func:`assumptions` (for AMD package power).

    Examples
    --------
    >>> round(system_power_kw("h100"), 4), round(system_power_kw("h200"), 4)   # HGX H100 10.2 kW / 8; H200 at H100's ratio
    (1.275, 1.275)
    >>> round(system_power_kw("mi355x"), 4)   # 1.4 kW x HGX B200's 1.7875 / 1.0
    2.5025
    """
    if hardware not in MEASURED_ONLY:
        return float(systems.get(hardware).power_kw)
    table = assumptions() if table is None else table
    ref = systems.get(POWER_REFERENCE[hardware])
    return lookup(table, "package_tdp_kw", hardware) * ref.power_kw / ref.package_tdp_kw


def nic_gb_s(hardware: str) -> float:
    """Scale-out bandwidth per package, one direction [Gb/s] (AMD and unpublished: assumed as the same-class system).

    Examples
    --------
    >>> nic_gb_s("h100"), nic_gb_s("gb300"), nic_gb_s("rubin-ultra")
    (400.0, 800.0, 1600.0)
    """
    ref = {"rubin-ultra": "rubin", **{h: POWER_REFERENCE[h] for h in MEASURED_ONLY}}.get(hardware, hardware)
    return float(systems.get(ref).nic_tb_s * 8000)


def network_power_kw(hardware: str, design: network_power.Scenario | None = None, n_gpus: int = network_power.REFERENCE_GPUS,
                     table: pd.DataFrame | None = None) -> float:
    """Scale-out network power (switches and optics) per GPU, from the CPO chapter's fat-tree model [kW].

    Parameters
    ----------
    hardware : str
        Hardware id [-].
    design : analysis.network_power.Scenario, optional
        Network design; default DSP pluggables (``network_power.DESIGNS[0]``).
    n_gpus : int
        Cluster size [count].
    table : pandas.DataFrame, optional
        :func:`assumptions`.

    Examples
    --------
    >>> 0.1 < network_power_kw("gb300") < 0.3   # three tiers of DSP optics and switches at 800G
    True
    """
    design = network_power.DESIGNS[0] if design is None else design
    return _network_power_kw(hardware, design, n_gpus, system_power_kw(hardware, table), data.version())


# the fat-tree model takes ~15 ms and the cost model asks it the same question hundreds of times (every
# inputs() call); keyed on the data's version, so an edited table is read again
@functools.lru_cache(maxsize=256)
def _network_power_kw(hardware: str, design: network_power.Scenario, n_gpus: int, system_kw: float, _version) -> float:
    plat = network_power.Platform(hardware, system_kw * 1000, nic_gb_s(hardware))
    c = network_power.cluster_power(n_gpus, plat, design).iloc[0]
    return float((c["it_power_w"] - c["gpu_power_w"]) / c["n_gpus"] / 1000)


# --- cost per GPU-hour ------------------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    """Inputs of one system's cost (scalars, or equal-length arrays for the Monte Carlo).

    Attributes
    ----------
    system_price_usd_per_gpu : float
        Compute system price per GPU package [USD].
    network_capex_share : float
        Scale-out network share of compute plus network capex [-].
    datacenter_capex_usd_per_mw : float
        Facility capex per MW of IT power [USD/MW].
    datacenter_life_years : float
        Facility depreciation life [years].
    lifetime_years : float
        Hardware economic life [years].
    wacc : float
        Cost of capital, annual [-].
    maintenance_share_per_year : float
        Maintenance per year over hardware capex [-].
    utilization : float
        Share of hours serving at the frontier throughput [-].
    electricity_usd_per_kwh : float
        Electricity price [USD/kWh].
    pue : float
        Facility power over IT power [-].
    it_power_kw : float
        IT power per GPU package, network included [kW].
    token_price_usd_per_m_output : float
        Price of a million output tokens (for revenue) [USD].
    """

    system_price_usd_per_gpu: float
    network_capex_share: float
    datacenter_capex_usd_per_mw: float
    datacenter_life_years: float
    lifetime_years: float
    wacc: float
    maintenance_share_per_year: float
    utilization: float
    electricity_usd_per_kwh: float
    pue: float
    it_power_kw: float
    token_price_usd_per_m_output: float


#: Inputs read from the assumption table (all but the power, which is computed).
TABLE_INPUTS = tuple(f.name for f in fields(Inputs) if f.name != "it_power_kw")


def inputs(hardware: str, table: pd.DataFrame | None = None, which: str = "value", design=None) -> Inputs:
    """The inputs of one system from the assumption table (central values or one end of every range).

    Parameters
    ----------
    hardware : str
        Hardware id [-].
    table : pandas.DataFrame, optional
        :func:`assumptions`.
    which : {"value", "low", "high"}
        Which column of every row.
    design : analysis.network_power.Scenario, optional
        Scale-out network design (for its power).

    Examples
    --------
    >>> i = inputs("gb300")
    >>> i.system_price_usd_per_gpu, i.lifetime_years
    (52083.0, 4.0)
    """
    table = assumptions() if table is None else table
    values = {name: lookup(table, name, hardware, which) for name in TABLE_INPUTS}
    power = system_power_kw(hardware, table) + network_power_kw(hardware, design, table=table)
    return Inputs(**values, it_power_kw=power)


def annuity_factor(rate, years):
    """Capital recovery factor: the yearly payment that repays 1 over ``years`` at ``rate`` [1/year].

    Parameters
    ----------
    rate : float or array_like
        Cost of capital per year [-].
    years : float or array_like
        Life [years].

    Returns
    -------
    numpy.ndarray or float
        ``r / (1 - (1 + r)^-n)``, and ``1 / n`` where ``r`` is 0 [1/year].

    Examples
    --------
    >>> round(float(annuity_factor(0.10, 4)), 6), float(annuity_factor(0.0, 4))
    (0.315471, 0.25)
    """
    r = np.asarray(rate, dtype=float)
    n = np.asarray(years, dtype=float)
    safe = np.where(r == 0, 1.0, r)
    out = np.where(r == 0, 1.0 / n, safe / (1.0 - (1.0 + safe) ** -n))
    return out if out.ndim else float(out)


def gpu_hour_cost(i: Inputs) -> dict:
    """Cost of owning one GPU package for one hour, by component [USD per GPU-hour].

    Parameters
    ----------
    i : Inputs
        Scalars or arrays.

    Returns
    -------
    dict
        ``system, network, datacenter, maintenance, power, total`` [USD per GPU-hour].

    Examples
    --------
    >>> i = Inputs(30000.0, 0.0, 0.0, 15.0, 4.0, 0.0, 0.0, 1.0, 0.1, 1.0, 1.0, 2.0)
    >>> c = gpu_hour_cost(i)   # 30,000 / 4 / 8,766 + 1 kW x 0.1 USD/kWh
    >>> round(c["system"], 4), round(c["power"], 4), round(c["total"], 4)
    (0.8556, 0.1, 0.9556)
    """
    hw = np.asarray(i.system_price_usd_per_gpu, float) / (1.0 - np.asarray(i.network_capex_share, float))
    a_hw = annuity_factor(i.wacc, i.lifetime_years) / HOURS_PER_YEAR
    out = {
        "system": np.asarray(i.system_price_usd_per_gpu, float) * a_hw,
        "network": (hw - np.asarray(i.system_price_usd_per_gpu, float)) * a_hw,
        "datacenter": np.asarray(i.datacenter_capex_usd_per_mw, float) * np.asarray(i.it_power_kw, float) / 1000.0
        * annuity_factor(i.wacc, i.datacenter_life_years) / HOURS_PER_YEAR,
        "maintenance": np.asarray(i.maintenance_share_per_year, float) * hw / HOURS_PER_YEAR,
        "power": np.asarray(i.it_power_kw, float) * np.asarray(i.pue, float) * np.asarray(i.electricity_usd_per_kwh, float),
    }
    out["total"] = sum(out.values())
    return {k: (float(v) if np.ndim(v) == 0 else v) for k, v in out.items()}


def cost_per_million_tokens(usd_per_gpu_hour, tokens_per_s_per_gpu, utilization):
    """Cost of a million output tokens [USD].

    Parameters
    ----------
    usd_per_gpu_hour : float or array_like
        Cost per owned GPU-hour [USD].
    tokens_per_s_per_gpu : float or array_like
        Output tokens per second per GPU while serving [tokens/s].
    utilization : float or array_like
        Share of hours serving [-].

    Examples
    --------
    >>> round(float(cost_per_million_tokens(1.41, 90.0, 1.0)), 2)   # NVIDIA's H200 example: USD 4.35 (it prints 4.20)
    4.35
    """
    out = np.asarray(usd_per_gpu_hour, float) / (np.asarray(tokens_per_s_per_gpu, float) * 3600.0
                                                 * np.asarray(utilization, float)) * 1e6
    return out if out.ndim else float(out)


def revenue_per_mw_year(tokens_per_s_per_gpu, it_power_kw, pue, utilization, price_usd_per_m):
    """Token revenue a year per MW of facility power [USD per MW-year].

    Parameters
    ----------
    tokens_per_s_per_gpu : float or array_like
        Output tokens per second per GPU while serving [tokens/s].
    it_power_kw : float or array_like
        IT power per GPU [kW].
    pue : float or array_like
        Facility over IT power [-].
    utilization : float or array_like
        Share of hours serving [-].
    price_usd_per_m : float or array_like
        Price of a million output tokens [USD].

    Examples
    --------
    >>> round(float(revenue_per_mw_year(1000.0, 1.0, 1.0, 1.0, 1.0)) / 1e6, 2)   # 1,000 GPUs x 1,000 tok/s x 1 USD/M
    31.56
    """
    gpus_per_mw = 1000.0 / (np.asarray(it_power_kw, float) * np.asarray(pue, float))
    out = (np.asarray(tokens_per_s_per_gpu, float) * gpus_per_mw * np.asarray(utilization, float)
           * 3600.0 * HOURS_PER_YEAR * np.asarray(price_usd_per_m, float) / 1e6)
    return out if out.ndim else float(out)


def tokens_per_s_per_mw(tokens_per_s_per_gpu, it_power_kw, pue):
    """Output tokens per second per MW of facility power while serving [tokens/s per MW].

    Examples
    --------
    >>> float(tokens_per_s_per_mw(100.0, 2.0, 1.25))   # 400 GPUs per MW
    40000.0
    """
    out = np.asarray(tokens_per_s_per_gpu, float) * 1000.0 / (np.asarray(it_power_kw, float) * np.asarray(pue, float))
    return out if out.ndim else float(out)


# --- throughput ------------------------------------------------------------------------


def deployment(hardware: str, model_id: str) -> tuple[str, int]:
    """Weight format and engine size a system serves a model with.

    FP4 where the system has FP4 tensor cores, else FP8; one NVLink domain, doubled
    until the weights fit in 90% of the engine's HBM.

    Parameters
    ----------
    hardware : str
        Hardware id of the performance model [-].
    model_id : str
        Model of ``data/models.csv`` [-].

    Returns
    -------
    tuple
        ``(precision, gpus)``.

    Examples
    --------
    >>> deployment("h100", "deepseek-r1"), deployment("h200", "deepseek-r1"), deployment("gb300", "deepseek-r1")
    (('fp8', 16), ('fp8', 8), ('fp4', 72))
    """
    h = systems.get(hardware)
    precision = "fp4" if h.pflop_s_fp4 > h.pflop_s_fp8 * 1.01 else "fp8"
    weights_gb = models.weight_bytes(models.get(model_id), precision) / 1e9
    gpus = int(h.nvlink_domain)
    while weights_gb > 0.9 * h.hbm_gb * gpus:
        gpus *= 2
    return precision, gpus


def band(hardware: str, model_id: str, isl: int = 1024, osl: int = 1024, precision: str | None = None,
         backend: str | None = None) -> pd.DataFrame:
    """The performance model's frontier with its 5-95% band for a system's default deployment.

    Parameters
    ----------
    hardware, model_id : str
        As :func:`deployment` [-].
    isl, osl : int
        Input and output tokens per request [tokens].
    precision : str, optional
        Weight format; default :func:`deployment`'s.
    backend : str, optional
        Engine (``analysis.perf.BACKENDS``); default the model's default.

    Returns
    -------
    pandas.DataFrame
        :func:`analysis.frontier.frontier_band` columns [tokens/s].
    """
    default_precision, gpus = deployment(hardware, model_id)
    kwargs = {} if backend is None else {"backend": backend}
    return frontier.frontier_band(hardware, model_id, precision or default_precision, gpus, isl, osl, **kwargs)


def throughput_at(frontier_band: pd.DataFrame, tokens_per_user) -> dict:
    """Output tokens/s per GPU at given interactivities, with the band's ends.

    A system asked for less interactivity than its slowest frontier point serves
    at that point (users may be served faster than asked); faster than its
    fastest point it cannot serve (NaN).

    Parameters
    ----------
    frontier_band : pandas.DataFrame
        :func:`band` (sorted by ``tokens_per_s_per_user``).
    tokens_per_user : float or array_like
        Interactivity [tokens/s per user].

    Returns
    -------
    dict
        ``value, low, high`` arrays [tokens/s per GPU].

    Examples
    --------
    >>> f = pd.DataFrame({"tokens_per_s_per_user": [10.0, 100.0], "output_tokens_per_s_per_gpu": [1000.0, 100.0],
    ...                   "output_tokens_per_s_per_gpu_low": [500.0, 50.0], "output_tokens_per_s_per_gpu_high": [2000.0, 200.0]})
    >>> {k: v.round(1).tolist() for k, v in throughput_at(f, [1.0, 31.6227766, 1000.0]).items()}
    {'value': [1000.0, 316.2, nan], 'low': [500.0, 158.1, nan], 'high': [2000.0, 632.5, nan]}
    """
    x = np.log(frontier_band["tokens_per_s_per_user"].to_numpy(float))
    q = np.log(np.atleast_1d(np.asarray(tokens_per_user, float)))
    out = {}
    for key, column in (("value", "output_tokens_per_s_per_gpu"), ("low", "output_tokens_per_s_per_gpu_low"),
                        ("high", "output_tokens_per_s_per_gpu_high")):
        y = np.log(frontier_band[column].to_numpy(float))
        out[key] = np.exp(np.interp(q, x, y, left=y[0], right=np.nan))
    return out


def draw_throughput(value, low, high, z):
    """Throughput at a standard-normal quantile ``z`` of a lognormal fitted to a 5-95% band [tokens/s].

    Each side of the band sets its own spread (the band is skewed).

    Parameters
    ----------
    value, low, high : float or array_like
        Central value and 5th / 95th percentiles [tokens/s].
    z : float or array_like
        Standard-normal draws [-].

    Examples
    --------
    >>> round(float(draw_throughput(100.0, 50.0, 400.0, Z95)), 6), float(draw_throughput(100.0, 50.0, 400.0, 0.0))
    (400.0, 100.0)
    """
    v, lo, hi, z = (np.asarray(a, float) for a in (value, low, high, z))
    spread = np.where(z >= 0, np.log(hi / v), np.log(v / lo)) / Z95
    out = v * np.exp(z * spread)
    return out if out.ndim else float(out)


# --- uncertainty ----------------------------------------------------------------------------


#: Inputs drawn once per Monte Carlo draw for every system (one facility, one market).
SHARED = ("datacenter_capex_usd_per_mw", "datacenter_life_years", "lifetime_years", "wacc", "maintenance_share_per_year",
          "utilization", "electricity_usd_per_kwh", "pue", "network_capex_share", "token_price_usd_per_m_output")


def _triangular(rng: np.random.Generator, low: float, mode: float, high: float, n: int) -> np.ndarray:
    if np.isclose(low, high):
        return np.full(n, mode)
    return rng.triangular(low, mode, high, n)


def monte_carlo(hardware_list, throughput: dict, n: int = 4000, seed: int = 20250318,
                table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Draw every ranged input at once and compute cost per million tokens and revenue per MW.

    Each input is triangular over (low, value, high).  Facility and market inputs
    (:data:`SHARED`) are drawn once per draw for all systems; system prices per
    system; throughput from its band (:func:`draw_throughput`) with one
    standard-normal ``z`` per draw shared by all systems (the performance model's
    error is common to them).

    Parameters
    ----------
    hardware_list : sequence of str
        Hardware ids [-].
    throughput : dict
        ``hardware -> (value, low, high)`` output tokens/s per GPU at the interactivity studied [tokens/s].
    n : int
        Draws [-].
    seed : int
        Seed of the generator [-].
    table : pandas.DataFrame, optional
        :func:`assumptions`.

    Returns
    -------
    pandas.DataFrame
        ``draw, hardware, usd_per_gpu_hour, tokens_per_s_per_gpu, usd_per_m_tokens,
        revenue_usd_per_mw_year`` [USD, tokens/s].
    """
    table = assumptions() if table is None else table
    rng = np.random.default_rng(seed)
    shared = {k: _triangular(rng, lookup(table, k, "all", "low"), lookup(table, k, "all", "value"),
                             lookup(table, k, "all", "high"), n) for k in SHARED}
    z = rng.standard_normal(n)
    frames = []
    for hw in hardware_list:
        central = inputs(hw, table)
        price = _triangular(rng, lookup(table, "system_price_usd_per_gpu", hw, "low"),
                            lookup(table, "system_price_usd_per_gpu", hw, "value"),
                            lookup(table, "system_price_usd_per_gpu", hw, "high"), n)
        i = replace(central, system_price_usd_per_gpu=price, **shared, it_power_kw=np.full(n, central.it_power_kw))
        cost = gpu_hour_cost(i)["total"]
        tps = draw_throughput(*throughput[hw], z)
        frames.append(pd.DataFrame({
            "draw": np.arange(n), "hardware": hw, "usd_per_gpu_hour": cost, "tokens_per_s_per_gpu": tps,
            "usd_per_m_tokens": cost_per_million_tokens(cost, tps, i.utilization),
            "revenue_usd_per_mw_year": revenue_per_mw_year(tps, i.it_power_kw, i.pue, i.utilization,
                                                           i.token_price_usd_per_m_output),
        }))
    return pd.concat(frames, ignore_index=True)


def interval(values, level: float = 0.9) -> tuple[float, float, float]:
    """Median and central interval of draws.

    Parameters
    ----------
    values : array_like
        Draws [any unit].
    level : float
        Coverage [-].

    Examples
    --------
    >>> interval(np.arange(101.0))
    (50.0, 5.0, 95.0)
    """
    lo, mid, hi = np.percentile(np.asarray(values, float), [50 * (1 - level), 50, 50 * (1 + level)])
    return round(float(mid), 12), round(float(lo), 12), round(float(hi), 12)


def tornado(hardware: str, tokens_per_s: tuple, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cost per million tokens with one input at each end of its range, the others central.

    Parameters
    ----------
    hardware : str
        Hardware id [-].
    tokens_per_s : tuple
        ``(value, low, high)`` output tokens/s per GPU [tokens/s].
    table : pandas.DataFrame, optional
        :func:`assumptions`.

    Returns
    -------
    pandas.DataFrame
        ``parameter, quantity, at_low, at_high, base, swing`` [USD per million tokens], widest swing first.
    """
    table = assumptions() if table is None else table
    central = inputs(hardware, table)

    def cost(i: Inputs, tps: float) -> float:
        return cost_per_million_tokens(gpu_hour_cost(i)["total"], tps, i.utilization)

    base = cost(central, tokens_per_s[0])
    rows = []
    for name in ("system_price_usd_per_gpu",) + tuple(k for k in SHARED if k != "token_price_usd_per_m_output"):
        ends = [cost(replace(central, **{name: lookup(table, name, hardware, w)}), tokens_per_s[0]) for w in ("low", "high")]
        quantity = table.loc[table["parameter"] == name, "quantity"].iloc[0]
        rows.append({"parameter": name, "quantity": quantity, "at_low": ends[0], "at_high": ends[1]})
    rows.append({"parameter": "tokens_per_s_per_gpu", "quantity": "Throughput at the interactivity (performance-model band)",
                 "at_low": cost(central, tokens_per_s[1]), "at_high": cost(central, tokens_per_s[2])})
    out = pd.DataFrame(rows).assign(base=base)
    out["swing"] = (out["at_high"] - out["at_low"]).abs()
    return out.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


# --- the claims' arithmetic --------------------------------------------------------------


def implied_price_ratio(performance_multiple, cost_reduction):
    """System price ratio (new / old) implied by a performance multiple and a cost reduction [-].

    If cost means price per unit of performance, ``1 - c = P_new / P_old / m``.

    Parameters
    ----------
    performance_multiple : float or array_like
        New over old performance [-].
    cost_reduction : float or array_like
        Fall in cost per unit of performance, as a share [-].

    Examples
    --------
    >>> round(implied_price_ratio(68, 0.87), 2), round(implied_price_ratio(900, 0.9997), 2)
    (8.84, 0.27)
    """
    out = (1.0 - np.asarray(cost_reduction, float)) * np.asarray(performance_multiple, float)
    return out if out.ndim else float(out)


def implied_cost_reduction(performance_multiple, price_ratio):
    """Fall in cost per unit of performance implied by a performance multiple and a price ratio [-].

    Examples
    --------
    >>> round(implied_cost_reduction(68, 8.84), 4)
    0.87
    """
    out = 1.0 - np.asarray(price_ratio, float) / np.asarray(performance_multiple, float)
    return out if out.ndim else float(out)


#: Hopper system the claims compare with, and the basis of every peak-FLOPs candidate.
HOPPER_PRODUCT = "h100-sxm"


def peak_candidates(numerators=("gb200-nvl72", "gb300-nvl72", "vr-nvl144", "rubin-ultra-nvl576")) -> pd.DataFrame:
    """Peak-FLOPs ratios that could be the keynote's "performance" multiples, against an HGX H100 (8 GPUs).

    Parameters
    ----------
    numerators : sequence of str
        Products of ``hardware_specs`` [-].

    Returns
    -------
    pandas.DataFrame
        ``product_id, candidate, numerator_pflop_s, hopper_pflop_s, ratio`` [PFLOP/s, -].

    Examples
    --------
    >>> c = peak_candidates().set_index(["product_id", "candidate"])["ratio"]
    >>> round(float(c[("gb300-nvl72", "rack FP4 vs HGX H100 FP8, dense")]), 1)
    69.5
    """
    specs = data.load("hardware_specs")
    hopper_system = jm.rack_dense(specs, HOPPER_PRODUCT, "fp8")[0]
    hopper_package = jm.per_package_dense(specs, HOPPER_PRODUCT, "fp8")[0]
    hopper_marketed = jm.spec_value(specs, HOPPER_PRODUCT, "compute_pflop_s", "fp8", sparsity="sparse", scope="per_system")
    rows = []
    for pid in numerators:
        rack = jm.rack_dense(specs, pid, "fp4")[0]
        cands = [
            ("rack FP4 vs HGX H100 FP8, dense", rack, hopper_system),
            ("rack FP4 dense vs HGX H100 FP8 sparse (as marketed)", rack, hopper_marketed),
            ("package FP4 vs H100 FP8, dense", jm.per_package_dense(specs, pid, "fp4")[0], hopper_package),
            ("package FP8 vs H100 FP8, dense", jm.per_package_dense(specs, pid, "fp8")[0], hopper_package),
        ]
        rows += [{"product_id": pid, "candidate": c, "numerator_pflop_s": a, "hopper_pflop_s": b, "ratio": a / b}
                 for c, a, b in cands]
    return pd.DataFrame(rows)
