"""Chapter "CPO": the tables, verdicts C1 to C4 and figures of the co-packaged optics chapter.

Computation lives in :mod:`analysis.network` (fat trees, switches, cluster
power) and :mod:`analysis.optics` (watts and lasers per port end, failures,
scale-up energy); this module picks the chapter's scenarios and presents them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analysis import claims, data, network, network_power, optics
from analysis import jensen_math as jm
from analysis.figures import SOURCE_COLUMNS, FigureData, themed


#: This chapter's id in ``data/claims.csv``.
CHAPTER = "cpo"


def claims_table() -> pd.DataFrame:
    """The claims this chapter settles (``id, claim, origin``), for its opening table."""
    return claims.chapter_claims(CHAPTER)


def verdicts() -> pd.DataFrame:
    """The verdicts C1 to C4, for the table that closes the chapter (:func:`analysis.claims.chapter_verdicts`)."""
    return claims.chapter_verdicts(CHAPTER)


#: Cluster sizes of the chapter's C1 table. [GPUs]
C1_SIZES = (10_000, 100_000, 400_000)


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
    plat = network_power.platform(product_id)
    inputs = network_power.default_inputs()
    rows = []
    base = network_power.cluster_power(list(sizes), plat, network_power.DESIGNS[0], inputs)
    for scenario in network_power.DESIGNS:
        c = network_power.cluster_power(list(sizes), plat, scenario, inputs)
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
                 optics_table: pd.DataFrame | None = None) -> str:
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
        dsp_w = optics.port_value("dsp_pluggable", nic_speed_gb_s, "switch", optics_table=optics_table)
        cpo_w = optics.port_value("cpo", nic_speed_gb_s, "switch", optics_table=optics_table)
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
    n_gpus = int(optics.assumption("claim_c1_cluster_gpus")) if n_gpus is None else int(n_gpus)
    specs = data.load("hardware_specs")
    products = data.load("products")
    inputs = network_power.default_inputs()
    rows = []
    for acc in ACCOUNTINGS:
        plat = network_power.platform(acc.product_id, specs)
        if acc.nic_speed_gb_s is not None:
            plat = replace(plat, nic_speed_gb_s=acc.nic_speed_gb_s)
        if acc.gpu_power == "package":
            plat = replace(plat, gpu_power_w=jm.spec_value(specs, acc.product_id, "power_kw", scope="per_package") * 1000)
        use = inputs if acc.count_switches else replace(inputs, switch_power_w_per_tb_s=0.0)
        dsp = replace(network_power.DESIGNS[0], flatten=False)
        cpo = replace(network_power.DESIGNS[2], nic_option=acc.nic_option)
        a = network_power.cluster_power(n_gpus, plat, dsp, use).iloc[0]
        b = network_power.cluster_power(n_gpus, plat, cpo, use).iloc[0]
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
    plat = network_power.platform(product_id)
    inputs = network_power.default_inputs()
    dsp = network_power.cluster_power(n_gpus, plat, network_power.DESIGNS[0], inputs).iloc[0]
    same = network_power.cluster_power(n_gpus, plat, network_power.DESIGNS[1], inputs).iloc[0]
    flat = network_power.cluster_power(n_gpus, plat, network_power.DESIGNS[2], inputs).iloc[0]
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


#: Switches compared for C2: (switch id, GPU port speed [Gb/s], as one fabric, split ports to flatten).
C2_SWITCHES = (
    ("quantum-2-qm9700", 400.0, False, False),
    ("quantum-x-photonics-q3450", 800.0, False, False),
    ("spectrum-x-photonics-sn6800", 800.0, False, False),
    ("spectrum-x-photonics-sn6800", 800.0, True, True),
)


def _c2_switches():
    table = network.switches()
    for switch_id, speed, one, split in C2_SWITCHES:
        yield (network.as_one_fabric(table[switch_id]) if one else table[switch_id]), speed, split


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
        f = network.fabric(sizes, speed, sw, flatten=split)
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
                     "two_tiers": network.max_endpoints(radix, 2), "three_tiers": network.max_endpoints(radix, 3)})
    return pd.DataFrame(rows)


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
    claimed = optics.assumption("claim_c1_saving_share")
    n_claim = int(optics.assumption("claim_c1_cluster_gpus"))
    table = twelve_percent_table(n_claim)
    like = table[table["like_for_like"]]
    other = table[~table["like_for_like"]]
    reaching = table[table["saving_share"] >= REPRODUCED_SHARE * claimed]
    c1 = c1_table()
    close = table.iloc[int(np.argmin((table["saving_share"] - claimed).abs().to_numpy()))]
    evidence = [claims.Evidence("claimed saving (SemiAnalysis)", claimed * 100, "%"),
                claims.Evidence("threshold: share of the claim to reproduce", REPRODUCED_SHARE * 100, "%")]
    evidence += [claims.Evidence(f"{n_claim:,} GPUs, {r.accounting}: saving", r.saving_share * 100, "%") for r in table.itertuples()]
    for r in c1[c1["design"] != network_power.DESIGNS[0].label].itertuples():
        evidence.append(claims.Evidence(f"GB300 NVL72, {r.n_gpus:,} GPUs, {r.design}: saving", r.saving_share * 100, "%"))
    for r in c1[c1["design"] == network_power.DESIGNS[0].label].itertuples():
        evidence.append(claims.Evidence(f"GB300 NVL72, {r.n_gpus:,} GPUs, DSP optics share", r.optics_power_share * 100, "%"))
    evidence.append(claims.Evidence(f"scenario closest to {claimed:.0%}: {close.accounting}", close.saving_share * 100, "%"))
    evidence.append(claims.Evidence("accountings reaching the threshold", len(reaching), "-"))
    if reaching["like_for_like"].any():
        verdict = claims.Verdict.SUPPORTED
    elif len(reaching):
        verdict = claims.Verdict.PARTLY
    else:
        verdict = claims.Verdict.CONTRADICTED
    like_text = " and ".join(
        f"{r.saving_share:.1%} for {product_name(r.product_id)} ({speed_label(r.nic_speed_gb_s)} per GPU)"
        for r in like.itertuples())
    close_how = (f"{speed_label(close.nic_speed_gb_s)} per GPU, {close.cpo_tiers} CPO tiers instead of "
                 f"{close.dsp_tiers} DSP tiers, NIC end {'CPO' if close.nic_option == 'cpo' else 'pluggable'}, "
                 f"switch power {'counted' if close.count_switches else 'not counted'}, GPU power from the "
                 f"{'rack' if close.gpu_power == 'rack' else 'package TDP'}")
    if verdict is claims.Verdict.SUPPORTED:
        reach_text = f"'Up to {claimed:.0%}' is reached like-for-like."
    elif verdict is claims.Verdict.PARTLY:
        reach_text = (f"'Up to {claimed:.0%}' is reached (at least {REPRODUCED_SHARE:.0%} of it) only by "
                      f"{len(reaching)} of the {len(other)} accountings that are not like-for-like; the closest is {close.saving_share:.1%} "
                      f"({close_how}).")
    else:
        reach_text = f"No accounting reaches {REPRODUCED_SHARE:.0%} of '{claimed:.0%}'; the closest gives {close.saving_share:.1%}."
    summary = (
        f"At {n_claim:,} GPUs, {int(like['dsp_tiers'].max())} DSP tiers to the flattest CPO design "
        f"({int(like['cpo_tiers'].max())} tiers) saves {like_text}. {reach_text} "
        f"CPO does cut the power of a {speed_label(1600)} optical port by {optics.port_power_cut(1600):.0%}."
    )
    sn = network.switches()["spectrum-x-photonics-sn6800"]
    plat = network_power.platform("gb300-nvl72")
    packages = network_power.plat_packages("gb300-nvl72")
    to_16 = table.set_index("key").loc["gb200_1600", "saving_share"]
    return claims.ClaimResult(
        "C1", verdict, summary, tuple(evidence),
        assumptions=(
            f"Optics per switch port end: DSP {optics.port_value('dsp_pluggable', 1600):g} W and CPO {optics.port_value('cpo', 1600):g} W "
            f"per {speed_label(1600)} (NVIDIA), scaled per bit; NIC ends pluggable unless the accounting says otherwise.",
            f"Switch power without optics {optics.assumption('switch_power_w_per_tb_s'):.1f} W per Tb/s (derived from Lambda's "
            f"{optics.assumption('q3450_switch_power_w') / 1000:.2f} kW CPO switch); GPU power = rack power / {packages:.0f} "
            f"packages ({plat.gpu_power_w:,.0f} W for GB300 NVL72).",
            f"Two tiers at {n_claim:,} GPUs need a radix of at least {network.min_radix(n_claim, 2):,} per plane: the SN6800 "
            f"({network.as_one_fabric(sn).lanes_per_asic:,} lanes) treated as one fabric (hypothetical).",
        ),
        would_change=(
            f"A scale-out bandwidth of {speed_label(1600)} per GPU (Rubin-class NICs) moves the saving to "
            f"{to_16:.1%} with GB200 rack power and pluggable NICs.",
            f"A published power for the SN6800 or a single-ASIC {sn.capacity_tb_s:g} Tb/s switch would replace the "
            "per-Tb/s switch power.",
        ),
    )


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
    gpu_speed = 800.0
    reach = reach_table().set_index("switch_id")
    pairs = network.counterpart_table(gpu_speed)
    flat = network_power.flattening_table()
    evidence = [claims.Evidence(f"{r.switch}: GPUs on two tiers ({speed_label(r.gpu_speed_gb_s)} per GPU)", r.two_tiers, "-")
                for r in reach.itertuples()]
    evidence += [claims.Evidence(f"{r.switch}: GPUs on three tiers", r.three_tiers, "-") for r in reach.itertuples()]
    evidence.append(claims.Evidence(f"best pluggable switch in the data: GPUs on two tiers ({speed_label(gpu_speed)} per GPU)",
                               float(pairs["best_pluggable_two_tiers"].iloc[0]), "-"))
    for r in pairs.itertuples():
        evidence.append(claims.Evidence(f"{r.switch}: radix per plane", r.radix, "-"))
        evidence.append(claims.Evidence(f"{r.switch}: pluggable switches of equal radix ({r.radix}) in the data",
                                   r.counterparts_count, "-"))
        if r.counterparts_count:
            evidence.append(claims.Evidence(f"{r.switch}: two-tier reach of its pluggable counterpart {r.counterpart}",
                                       r.counterpart_two_tiers, "-"))
    evidence += [claims.Evidence(f"{network_power.REFERENCE_GPUS:,} GPUs, {r.design}: switch boxes", r.switch_boxes, "-")
                 for r in flat.itertuples()]
    evidence += [claims.Evidence(f"{network_power.REFERENCE_GPUS:,} GPUs, {r.design}: switch hops (worst path)", r.switch_hops, "-")
                 for r in flat.itertuples()]
    flatter = pairs[pairs["two_tiers"] > pairs["best_pluggable_two_tiers"]]
    beaten = flatter[(flatter["counterparts_count"] > 0) & (flatter["counterpart_two_tiers"] < flatter["two_tiers"])]
    if flatter.empty:
        verdict = claims.Verdict.CONTRADICTED
    elif len(beaten):
        verdict = claims.Verdict.SUPPORTED
    else:
        verdict = claims.Verdict.PARTLY
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
    return claims.ClaimResult(
        "C2", verdict, summary, tuple(evidence),
        assumptions=("Non-blocking fat trees; one NIC port per GPU; a multi-ASIC box is one plane per ASIC.",
                     f"SN6800 built from {network.switches()['spectrum-x-photonics-sn6800'].asics} ASICs of "
                     f"{network.switches()['spectrum-x-photonics-sn6810'].capacity_tb_s:g} Tb/s (estimated; low confidence)."),
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
    claim_eff = optics.assumption("claim_c3_power_efficiency")
    claim_lasers = optics.assumption("claim_c3_fewer_lasers")
    claim_res = optics.assumption("claim_c3_resiliency")
    dsp_w, cpo_w = optics.port_value("dsp_pluggable", 1600), optics.port_value("cpo", 1600)
    dsp_l = optics.port_value("dsp_pluggable", 1600, column="lasers_count")
    cpo_l = optics.port_value("cpo", 1600, column="lasers_count")
    ratio, lasers_port = dsp_w / cpo_w, dsp_l / cpo_l
    n_gpus = network_power.REFERENCE_GPUS
    lasers = network_power.laser_table(n_gpus).set_index("design")
    dsp, cpo = network_power.DESIGNS[0].label, network_power.DESIGNS[1].label
    cluster_ratio = lasers.at[dsp, "lasers_per_gpu"] / lasers.at[cpo, "lasers_per_gpu"]
    plug_128k, cpo_128k = optics.assumption("published_lasers_pluggable_128k"), optics.assumption("published_lasers_cpo_128k")
    evidence = [
        claims.Evidence(f"pluggable {speed_label(1600)} port", dsp_w, "W"),
        claims.Evidence(f"CPO {speed_label(1600)} port", cpo_w, "W"),
        claims.Evidence(f"per-port efficiency ({dsp_w:g} W / {cpo_w:g} W)", ratio, "x"),
        claims.Evidence("claimed efficiency", claim_eff, "x"),
        claims.Evidence(f"lasers per {speed_label(1600)} port, pluggable / CPO", lasers_port, "x"),
        claims.Evidence("claimed laser reduction", claim_lasers, "x"),
        claims.Evidence(f"lasers per GPU, DSP {lasers.at[dsp, 'tiers']} tiers", lasers.at[dsp, "lasers_per_gpu"], "-"),
        claims.Evidence(f"lasers per GPU, CPO {lasers.at[cpo, 'tiers']} tiers (NIC pluggable)", lasers.at[cpo, "lasers_per_gpu"], "-"),
        claims.Evidence("cluster laser (and laser-interruption) reduction", cluster_ratio, "x"),
        claims.Evidence("claimed resiliency", claim_res, "x"),
        claims.Evidence(f"Lambda's 128k-GPU laser estimate ({plug_128k / 1e6:g}M / {cpo_128k / 1e6:g}M)", plug_128k / cpo_128k, "x"),
        claims.Evidence(f"laser interruptions per day per {n_gpus:,} GPUs, DSP", lasers.at[dsp, "interruptions_per_day"], "1/day"),
        claims.Evidence(f"laser interruptions per day per {n_gpus:,} GPUs, CPO", lasers.at[cpo, "interruptions_per_day"], "1/day"),
    ]
    per_port_ok = ratio >= REPRODUCED_SHARE * claim_eff and lasers_port >= REPRODUCED_SHARE * claim_lasers
    cluster_ok = cluster_ratio >= REPRODUCED_SHARE * claim_res
    if per_port_ok and cluster_ok:
        verdict = claims.Verdict.SUPPORTED
    elif per_port_ok:
        verdict = claims.Verdict.PARTLY
    else:
        verdict = claims.Verdict.CONTRADICTED
    summary = (
        f"Per {speed_label(1600)} port NVIDIA's own figures give {ratio:.2f}x ({dsp_w:g} W to {cpo_w:g} W) against the "
        f"claimed {claim_eff:g}x, and {lasers_port:g}x fewer lasers against the claimed {claim_lasers:g}x. Across a "
        f"cluster whose NIC ends stay pluggable, lasers (and laser-caused link interruptions) fall {cluster_ratio:.1f}x, "
        f"not {claim_res:g}x; {claim_res:g}x resiliency would need failures other than lasers (DSPs, connectors, "
        "handling) to fall too, which no public data quantifies."
    )
    afr = [optics.fit_from_afr(optics.assumption("laser_afr_per_year", w)) for w in ("value", "low", "high")]
    return claims.ClaimResult(
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
    budgets = {w: optics.assumption("scaleup_optics_budget_share", w) for w in ("low", "value", "high")}
    tables = {w: optics.scaleup_table(b).set_index("product_id") for w, b in budgets.items()}
    t = tables["value"]
    ru = t.loc["rubin-ultra-nvl576"]
    required = {w: float(tab.at["rubin-ultra-nvl576", "required_pj_per_bit"]) for w, tab in tables.items()}
    cpo = optics.pj_per_bit(optics.port_value("cpo", 1600), 1600)
    roadmap = optics.assumption("cpo_roadmap_pj_per_bit")
    domain = optics.assumption("claim_c4_domain_gpus")
    nv_ports = optics.assumption("nvlink_switch_ports")
    evidence = [
        claims.Evidence("claimed domain size to go past", domain, "GPUs"),
        claims.Evidence("passive copper reach at NVLink lane rates", optics.assumption("copper_reach_m"), "m"),
        claims.Evidence("NVLink 5 switch ports (one-tier domain limit)", nv_ports, "-"),
        claims.Evidence(f"two-tier NVLink domain with {nv_ports:.0f}-port switches", network.max_endpoints(nv_ports, 2), "-"),
        claims.Evidence(f"today's CPO energy ({speed_label(1600)} port)", cpo, "pJ/bit"),
        claims.Evidence("CPO research roadmap energy", roadmap, "pJ/bit"),
    ]
    for pid, r in t.iterrows():
        evidence += [
            claims.Evidence(f"{pid}: packages per domain", r["packages"], "-"),
            claims.Evidence(f"{pid}: rack power per package", r["power_per_package_w"], "W"),
            claims.Evidence(f"{pid}: optical scale-up at today's CPO ({cpo:.2f} pJ/bit)", r["optics_w_cpo"], "W per package"),
        ]
    for w, b in budgets.items():
        evidence.append(claims.Evidence(f"rubin-ultra-nvl576: energy per bit that fits {b:.0%} of package power", required[w], "pJ/bit"))
    if cpo <= required["low"]:
        verdict = claims.Verdict.SUPPORTED
    elif roadmap > required["high"]:
        verdict = claims.Verdict.CONTRADICTED
    else:
        verdict = claims.Verdict.NOT_TESTABLE
    fits = [f"{budgets[w]:.0%}" for w in budgets if cpo <= required[w]]
    misses = [f"{budgets[w]:.0%}" for w in budgets if cpo > required[w]]
    fit_text = (f"fits a budget of {' or '.join(fits)} of package power but not {' or '.join(misses)}" if fits and misses
                else ("fits every budget in the range" if fits else "misses every budget in the range"))
    summary = (
        f"Copper's ~{optics.assumption('copper_reach_m'):.0f} m reach at today's lane rates and rack power "
        f"({ru['power_per_package_w']:,.0f} W per Rubin Ultra package) keep an NVLink domain inside one rack, so going "
        f"past {domain:.0f} needs optical scale-up. At today's CPO energy ({cpo:.2f} pJ/bit) a Rubin Ultra package would "
        f"spend {ru['optics_w_cpo']:,.0f} W on it, which {fit_text} (assumed range {budgets['low']:.0%}-"
        f"{budgets['high']:.0%}; {required['low']:.1f}-{required['high']:.1f} pJ/bit allowed). The verdict thus turns on "
        f"an assumed budget and on scale-up optics nobody has announced: the CPO switches announced are scale-out "
        f"switches, and the research roadmap ({roadmap:g} pJ/bit and below) is not a product. Settling it needs a "
        "published optical NVLink link or switch with its energy per bit, and the scale-up power budget of a package."
    )
    return claims.ClaimResult(
        "C4", verdict, summary, tuple(evidence),
        assumptions=(f"Every scale-up link optical with two ends; budget {budgets['value']:.0%} of package power "
                     f"(assumed, {budgets['low']:.0%}-{budgets['high']:.0%}).",
                     f"Rubin Ultra NVLink {ru['nvlink_rack_tb_s_both'] / 1000:.1f} PB/s per rack, both directions "
                     f"(low-confidence source), over {ru['packages']:.0f} packages."),
        would_change=("An announced optical NVLink switch or GPU with co-packaged optics and its energy per bit.",
                      "A published share of package power for scale-up I/O (replaces the assumed budget)."),
    )


def _sources(*tables: str, specs_ids=()) -> pd.DataFrame:
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

    n_gpus = C1_SIZES[-1]
    table = waterfall_table(n_gpus)
    plat = network_power.platform("gb300-nvl72")
    tiers = [int(network_power.cluster_power(n_gpus, plat, s)["tiers"].iloc[0]) for s in (network_power.DESIGNS[0], network_power.DESIGNS[2])]
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

    table = optics.per_port_table()
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
        .properties(title=f"Watts per optical port: DSP {optics.port_value('dsp_pluggable', 1600):g} W vs CPO "
                          f"{optics.port_value('cpo', 1600):g} W at {speed_label(1600)} (whiskers: sourced range)")
    )
    return FigureData(themed(chart, width=None, height=None), table.drop(columns="speed"), _sources("network_optics"))


def tornado_figure():
    """fig-cpo-tornado: sensitivity of the CPO saving at 100k GB300 GPUs."""
    import altair as alt

    table = network_power.tornado_table()
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
        .properties(title=f"CPO saving at {network_power.REFERENCE_GPUS // 1000}k GB300 GPUs: each bar spans one input's sourced range")
    )
    return FigureData(themed(chart, width=None, height=None), long,
                      _sources("network_optics", "network_assumptions", specs_ids=_platform_spec_ids("gb300-nvl72")))


def optics_share_figure():
    """fig-cpo-optics-share: optics share of IT power against cluster size, by design."""
    import altair as alt

    plat = network_power.platform("gb300-nvl72")
    sizes = np.unique(np.round(np.logspace(3, np.log10(700_000), 60)).astype(int))
    scenarios = network_power.DESIGNS + (network_power.Scenario("LPO pluggable (Quantum-X800)", "quantum-x800-q3400", "lpo_pluggable"),)
    frames = [network_power.cluster_power(sizes, plat, s)[["n_gpus", "tiers", "optics_power_share"]].assign(design=s.label)
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
