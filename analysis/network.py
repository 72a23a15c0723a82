"""The scale-out network: fat-tree sizing, switch planes, and the power and lasers of a cluster.

The model behind claims C1 to C4 (presented by :mod:`analysis.chapters.cpo`;
watts and lasers per port end are in :mod:`analysis.optics`):

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


# --- radix of a plane, the radix a cluster needs, pluggable counterparts ---------


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
