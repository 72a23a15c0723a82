"""Chapter "New math rules": the verdicts M1 to M4, the inflation table and the chapter's figures.

Computation lives in :mod:`analysis.jensen_math`; this module presents it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import claims, data
from analysis import jensen_math as jm
from analysis.figures import SOURCE_COLUMNS, FigureData, spec_sources, themed


#: This chapter's id in ``data/claims.csv``.
CHAPTER = "new_math_rules"


def claims_table() -> pd.DataFrame:
    """The claims this chapter settles (``id, claim, origin``), for its opening table."""
    return claims.chapter_claims(CHAPTER)


def verdicts() -> pd.DataFrame:
    """The verdicts M1 to M4, for the table that closes the chapter (:func:`analysis.claims.chapter_verdicts`)."""
    return claims.chapter_verdicts(CHAPTER)


# --- verdicts M1 to M4 ---------------------------------------------------------


def verdict_m1():
    """M1: headline FLOPs carry 2:4 sparsity; dense is what workloads get.

    Rule: supported if at least three quarters of the per-package headline
    FLOPs figures are quoted sparse; partly supported from a quarter; else
    contradicted.  The exceptions (a published sparse:dense ratio other than 2)
    are listed as evidence.
    """
    specs = data.load("hardware_specs")
    rows = jm.preferred(specs)
    headline = rows[rows["headline"].astype(bool) & rows["metric"].isin(jm.COMPUTE_METRICS)
                    & rows["precision"].isin(jm.SPARSE_CAPABLE)]
    per_package = headline[headline["scope"] == "per_package"]
    share_sparse = float((per_package["sparsity"] == "sparse").mean())
    rack = headline[headline["scope"] == "per_rack"]
    ratios = jm.sparsity_ratios(specs)
    ratios = ratios[ratios["scope"] == "per_package"]
    exceptions = ratios[~np.isclose(ratios["ratio"], 2.0, rtol=0.01)]
    evidence = [
        claims.Evidence("per-package headline FLOPs figures", len(per_package), "-"),
        claims.Evidence("share of them quoted with 2:4 sparsity", share_sparse, "-"),
        claims.Evidence("published sparse:dense pairs (per package)", len(ratios), "-"),
        claims.Evidence("pairs with a ratio of 2", int(len(ratios) - len(exceptions)), "-"),
    ]
    evidence += [
        claims.Evidence(f"sparse:dense ratio, {e.product_id} {e.precision}", float(e.ratio), "x")
        for e in exceptions.itertuples()
    ]
    evidence.append(claims.Evidence("share of per-rack keynote/product headline FLOPs quoted sparse",
                               float((rack["sparsity"] == "sparse").mean()) if len(rack) else float("nan"), "-"))
    if share_sparse >= 0.75:
        verdict = claims.Verdict.SUPPORTED
    elif share_sparse >= 0.25:
        verdict = claims.Verdict.PARTLY
    else:
        verdict = claims.Verdict.CONTRADICTED
    exc = ", ".join(f"{e.product_id} {e.precision.upper()} {e.ratio:.2f}x" for e in exceptions.itertuples())
    summary = (
        f"{share_sparse:.0%} of per-package headline FLOPs are quoted with 2:4 sparsity, which doubles them; "
        f"the exceptions, where the sparse figure is not twice the dense one: {exc or 'none'}."
    )
    return claims.ClaimResult(
        "M1",
        verdict,
        summary,
        tuple(evidence),
        assumptions=(
            "Production LLM inference kernels do not exploit 2:4 structured sparsity, so dense peak is the relevant "
            "ceiling (no public serving benchmark reports a sparse speed-up).",
            "Where only a sparse figure is published, dense is taken as half of it (NVIDIA's own footnote).",
        ),
        would_change=(
            "Widely used inference stacks shipping 2:4-sparse models at equal quality would make sparse peaks "
            "relevant and the 2x an actual gain.",
        ),
    )


def verdict_m2():
    """M2: NVLink is quoted bidirectionally (1.8 TB/s is 0.9 TB/s each way).

    Rule: supported if every headline NVLink figure is bidirectional and the
    rack totals equal packages times the per-package figure within 2%.
    """
    specs = data.load("hardware_specs")
    rows = jm.preferred(specs)
    topo = jm.topologies(specs)
    nvlink = rows[(rows["metric"] == "nvlink_bandwidth_tb_s") & rows["headline"].astype(bool)]
    share_bi = float((nvlink["direction"] == "bidirectional").mean())
    checks = []
    for product_id, group in nvlink.groupby("product_id"):
        pkg = group[group["scope"] == "per_package"]
        rack = group[group["scope"] == "per_rack"]
        if len(pkg) and len(rack) and product_id in topo:
            expected = float(pkg["value_in_metric_unit"].iloc[0]) * topo[product_id].packages
            checks.append((product_id, float(rack["value_in_metric_unit"].iloc[0]) / expected))
    nic = rows[(rows["metric"] == "nic_bandwidth_tb_s") & rows["headline"].astype(bool)]
    nic_uni = float((nic["direction"] == "unidirectional").mean()) if len(nic) else float("nan")
    nvlink5 = jm.spec_value(specs, "gb200-nvl72", "nvlink_bandwidth_tb_s", scope="per_package", direction="bidirectional")
    evidence = [
        claims.Evidence("headline NVLink figures", len(nvlink), "-"),
        claims.Evidence("share quoted bidirectionally", share_bi, "-"),
        claims.Evidence("NVLink 5 per GPU as marketed", nvlink5, "TB/s"),
        claims.Evidence("NVLink 5 per GPU, one direction", jm.one_direction(nvlink5, "bidirectional"), "TB/s"),
    ]
    evidence += [claims.Evidence(f"{p}: rack NVLink / (packages x per-package)", r, "x") for p, r in checks]
    evidence.append(claims.Evidence("share of headline NIC figures quoted one direction (network convention)", nic_uni, "-"))
    consistent = all(abs(r - 1) <= 0.02 for _, r in checks)
    verdict = claims.Verdict.SUPPORTED if share_bi == 1.0 and consistent else claims.Verdict.PARTLY
    summary = (
        f"{share_bi:.0%} of headline NVLink figures sum both directions: NVLink 5's {nvlink5:g} TB/s is "
        f"{jm.one_direction(nvlink5, 'bidirectional'):g} TB/s each way; rack totals are packages x the per-GPU "
        f"bidirectional figure ({'consistent' if consistent else 'inconsistent'} within 2%). Only "
        f"{nic_uni:.0%} of headline NIC figures use the network convention of one direction: rack and system "
        "NIC totals are summed both ways too."
    )
    return claims.ClaimResult(
        "M2",
        verdict,
        summary,
        tuple(evidence),
        assumptions=("Links are symmetric (equal bandwidth each way), as NVLink and Ethernet/InfiniBand are.",),
        would_change=("A headline NVLink figure stated as one-direction would make the rule inconsistent.",),
    )


def verdict_m3():
    """M3: from Rubin on a "GPU" is a die; VR NVL144 is 72 packages, NVL576 is 144.

    Rule: supported if the Rubin racks' marketed counts equal their dies and
    their packages are 72 and 144, and Blackwell racks count packages;
    partly supported if NVIDIA later named a Rubin rack by packages again.
    """
    specs = data.load("hardware_specs")
    counts = jm.gpu_counts(specs).set_index("product_id")
    products = data.load("products").set_index("product_id")
    names = data.load("product_names")
    rubin = [p for p in counts.index if products.at[p, "architecture"] in ("Rubin", "Rubin Ultra")]
    blackwell_racks = [p for p in counts.index if products.at[p, "architecture"].startswith("Blackwell")
                       and products.at[p, "form_factor"] == "nvl_rack"]
    evidence = [claims.Evidence(f"{p}: marketed GPUs / packages / dies",
                           counts.at[p, "count_inflation"], "x") for p in counts.index]
    evidence += [
        claims.Evidence("VR NVL144 packages", counts.at["vr-nvl144", "packages"], "-"),
        claims.Evidence("Rubin Ultra NVL576 packages", counts.at["rubin-ultra-nvl576", "packages"], "-"),
    ]
    rubin_dies = all(counts.at[p, "counts"] == "dies" for p in rubin)
    blackwell_packages = all(counts.at[p, "counts"] == "packages" for p in blackwell_racks)
    packages_ok = counts.at["vr-nvl144", "packages"] == 72 and counts.at["rubin-ultra-nvl576", "packages"] == 144
    renamed = names[names["product_id"].isin(rubin) & (names["counts"] == "packages")]
    if not (rubin_dies and packages_ok):
        verdict = claims.Verdict.CONTRADICTED
    elif len(renamed):
        verdict = claims.Verdict.PARTLY
    else:
        verdict = claims.Verdict.SUPPORTED
    later = "; ".join(f"{r.product_id} renamed '{r.name}' ({r.used_from})" for r in renamed.itertuples())
    summary = (
        f"At GTC 2025 the Rubin racks counted dies: VR NVL144 is {counts.at['vr-nvl144', 'packages']:.0f} packages "
        f"and Rubin Ultra NVL576 {counts.at['rubin-ultra-nvl576', 'packages']:.0f}, while Blackwell NVL72 racks "
        f"counted packages{' (as did every Blackwell rack)' if blackwell_packages else ''}. "
        + (f"The rule did not last: {later}." if later else "")
    )
    return claims.ClaimResult(
        "M3",
        verdict,
        summary,
        tuple(evidence),
        assumptions=("Package and die counts are NVIDIA's and SemiAnalysis' descriptions of unreleased racks.",),
        would_change=("A shipping Rubin Ultra rack with a different package count, or NVL576 renamed by packages.",),
    )


def verdict_m4():
    """M4: VR NVL144 is 3.3x GB300 NVL72 and Rubin Ultra NVL576 14x.

    Rule: contradicted if the per-rack ratio on the keynote's own (dense FP4)
    basis is more than 10% off the claim; supported only on a normalized basis
    if it matches but a like-for-like per-package ratio is below 80% of the
    claim for any of the two; else supported.
    """
    ratios = jm.m4_ratios()
    evidence, as_marketed_ok, like_for_like_ok = [], True, True
    parts = []
    for fig_id, group in ratios.groupby("figure_id", sort=False):
        g = group.set_index("basis")
        claimed = float(g["claimed"].iloc[0])
        rack = float(g.at["per rack, FP4 (keynote figures)", "ratio"])
        package = float(g.at["per package, FP4 dense", "ratio"])
        die = float(g.at["per die, FP4 dense", "ratio"])
        as_marketed_ok &= abs(rack / claimed - 1) <= 0.10
        like_for_like_ok &= package >= 0.8 * claimed
        name = g["numerator"].iloc[0]
        evidence += [
            claims.Evidence(f"{name}: claimed multiple", claimed, "x"),
            claims.Evidence(f"{name}: per rack, FP4 (keynote figures)", rack, "x"),
            claims.Evidence(f"{name}: per rack, FP8 (keynote figures)", float(g.at["per rack, FP8 (keynote figures)", "ratio"]), "x"),
            claims.Evidence(f"{name}: per package, FP4 dense", package, "x"),
            claims.Evidence(f"{name}: per package, FP4 dense, lowest source", float(g.at["per package, FP4 dense", "ratio_low"]), "x"),
            claims.Evidence(f"{name}: per die, FP4 dense", die, "x"),
        ]
        if "per kW of rack power, FP4 (keynote figures)" in g.index:
            kw = float(g.at["per kW of rack power, FP4 (keynote figures)", "ratio"])
            evidence.append(claims.Evidence(f"{name}: per kW of rack power, FP4", kw, "x"))
        parts.append(f"{name} {claimed:g}x: {rack:.1f}x per rack, {package:.1f}x per package, {die:.1f}x per die")
    if not as_marketed_ok:
        verdict = claims.Verdict.CONTRADICTED
    elif not like_for_like_ok:
        verdict = claims.Verdict.NORMALIZED_ONLY
    else:
        verdict = claims.Verdict.SUPPORTED
    vr_low = float(ratios.set_index(["figure_id", "basis"]).loc[("vr_nvl144_vs_gb300_nvl72", "per package, FP4 dense"), "ratio_low"])
    specs = data.load("hardware_specs")
    rubin = jm.per_package_dense(specs, "vr-nvl144", "fp4")
    ultra = jm.per_package_dense(specs, "rubin-ultra-nvl576", "fp4")
    ultra_packages = jm.topologies(specs)["rubin-ultra-nvl576"].packages
    rack_basis = "per rack, FP4 (keynote figures)"
    ultra_claim = ratios[(ratios["numerator"] == "rubin-ultra-nvl576") & (ratios["basis"] == rack_basis)].iloc[0]
    summary = "; ".join(parts) + ". The rack multiples hold as marketed; what they hide is package count and power."
    return claims.ClaimResult(
        "M4",
        verdict,
        summary,
        tuple(evidence),
        assumptions=(
            f"Rubin's {rubin[0]:g} PFLOP/s and Rubin Ultra's {ultra[0]:g} PFLOP/s FP4 per package are dense, as "
            f"SemiAnalysis reports; NVIDIA's 2026 figures put Rubin's FP4 between {rubin[1]:g} ('training') and "
            f"{rubin[2]:g} ('inference') PFLOP/s.",
            "GB300 NVL72 is taken at its keynote dense FP4 (the basis of the claim).",
        ),
        would_change=(
            f"If Rubin's dense FP4 is NVIDIA's 2026 'training' figure, VR NVL144 falls to {vr_low:.1f}x GB300 NVL72.",
            f"A Rubin Ultra rack with fewer than {ultra_packages:.0f} packages would lower the "
            f"{ultra_claim['claimed']:g}x proportionally.",
        ),
    )


# --- tables and figures ----------------------------------------------------------


def _quantity_label(metric: str, precision: str) -> str:
    if metric in jm.COMPUTE_METRICS:
        return f"{precision.upper().replace('_TENSOR', ' tensor')} FLOPs"
    return {"nvlink_bandwidth_tb_s": "NVLink bandwidth", "nic_bandwidth_tb_s": "NIC bandwidth"}.get(metric, metric)


def inflation_table(specs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Inflation factors of the per-package and per-rack headline figures.

    Parameters
    ----------
    specs : pandas.DataFrame
        ``data.load("hardware_specs")``: published specs, with ``value_in_metric_unit``.

    Returns
    -------
    pandas.DataFrame
        ``product, quantity, scope, marketed, normalized, inflation_factor,
        dense_source, spec_id``; FLOPs [PFLOP/s], bandwidths [TB/s],
        factor [-], for FP4/FP8/BF16 FLOPs and NVLink.
    """
    specs = data.load("hardware_specs") if specs is None else specs
    table = jm.marketed_vs_normalized(specs)
    keep = table["metric"].eq("nvlink_bandwidth_tb_s") | (
        table["metric"].eq("compute_pflop_s") & table["precision"].isin(["fp4", "fp8", "bf16"])
    )
    table = table[keep & table["scope"].isin(["per_package", "per_rack"])]
    names = data.product_names()
    return pd.DataFrame(
        {
            "product": table["product_id"].map(names),
            "quantity": [_quantity_label(m, p) for m, p in zip(table["metric"], table["precision"])],
            "scope": table["scope"].str.replace("_", " "),
            "marketed": table["marketed"],
            "normalized": table["normalized"],
            "inflation_factor": table["inflation"],
            "dense_source": table["dense_source"],
            "spec_id": table["spec_id"],
        }
    ).reset_index(drop=True)


def inflation_figure():
    """fig-jensen-inflation: inflation factor by product and quantity."""
    import altair as alt

    specs = data.load("hardware_specs")
    table = inflation_table(specs)
    order = [n for n in data.product_names().values() if n in set(table["product"])]
    table = table.assign(column=table["quantity"].str.replace(" bandwidth", "") + ", " + table["scope"].str.replace("per ", ""))
    columns = sorted(set(table["column"]), key=lambda c: (c.endswith("rack"), c))  # packages first, then racks
    base = alt.Chart(table).encode(
        x=alt.X("column:N", sort=columns, title=None, axis=alt.Axis(labelAngle=-30, orient="top", labelLimit=200)),
        y=alt.Y("product:N", sort=order, title=None),
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("inflation_factor:Q", title="Marketed / normalized [x]",
                        scale=alt.Scale(domain=[1, 2], range=["#f7f7f7", "#0072B2"])),
        tooltip=["product", "quantity", "scope", "marketed", "normalized", "inflation_factor", "dense_source"],
    )
    labels = base.mark_text(fontSize=12).encode(
        text=alt.Text("inflation_factor:Q", format=".2f"),
        color=alt.condition("datum.inflation_factor > 1.6", alt.value("white"), alt.value("black")),
    )
    chart = (cells + labels).properties(title="Marketed over normalized (dense, one direction), by product and figure")
    return FigureData(themed(chart, width=400, height=300), table.drop(columns="column"), spec_sources(specs, table["spec_id"]))


def per_gpu_table(specs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Dense FP4 per package, per die and per marketed GPU, in long form.

    Parameters
    ----------
    specs : pandas.DataFrame
        ``data.load("hardware_specs")``: published specs, with ``value_in_metric_unit``.

    Returns
    -------
    pandas.DataFrame
        ``product, product_id, counting, dense_fp4_pflop_s`` [PFLOP/s per counted unit].
    """
    specs = data.load("hardware_specs") if specs is None else specs
    products = data.load("products").set_index("product_id")
    views = jm.per_gpu_views(specs)
    views = views[views["product_id"].map(products["form_factor"]) == "nvl_rack"]
    long = views.melt(
        id_vars="product_id",
        value_vars=["per_package", "per_die", "per_marketed_gpu"],
        var_name="counting",
        value_name="dense_fp4_pflop_s",
    )
    long["counting"] = long["counting"].map(
        {"per_package": "per package", "per_die": "per compute die", "per_marketed_gpu": "per 'GPU' as marketed"}
    )
    long.insert(0, "product", long["product_id"].map(products["name"]))
    return long.reset_index(drop=True)


def per_gpu_figure():
    """fig-jensen-per-gpu: dense FP4 per 'GPU' under three counting rules."""
    import altair as alt

    specs = data.load("hardware_specs")
    table = per_gpu_table(specs)
    order = [n for n in data.product_names().values() if n in set(table["product"])]
    chart = (
        alt.Chart(table)
        .mark_line(point=alt.OverlayMarkDef(size=70))
        .encode(
            x=alt.X("product:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelLimit=140)),
            y=alt.Y("dense_fp4_pflop_s:Q", title="Dense FP4 per counted unit [PFLOP/s]", scale=alt.Scale(type="log")),
            color=alt.Color("counting:N", title="Counting a 'GPU' as"),
            tooltip=["product", "counting", alt.Tooltip("dense_fp4_pflop_s:Q", format=".2f")],
        )
        .properties(title="Per-'GPU' growth depends on what a GPU is")
    )
    rows = jm.preferred(specs)
    plotted = set(table["product_id"])
    used = rows[rows["product_id"].isin(plotted) & rows["metric"].isin(
        ["compute_pflop_s", "gpu_packages_count", "compute_dies_count", "marketed_gpus_count"])]
    used = used[(used["metric"] != "compute_pflop_s") | (used["precision"] == "fp4")]
    return FigureData(themed(chart), table, spec_sources(specs, used["spec_id"]))


def m4_figure():
    """fig-jensen-m4-ratios: the 3.3x and 14x claims on several bases."""
    import altair as alt

    specs = data.load("hardware_specs")
    ratios = jm.m4_ratios(specs)
    names = data.product_names()
    table = ratios.assign(
        comparison=ratios["numerator"].map(names) + " vs " + ratios["denominator"].map(names)
    )[["comparison", "basis", "ratio", "ratio_low", "ratio_high", "claimed"]]
    base = alt.Chart().encode(
        y=alt.Y("basis:N", title=None, sort=list(dict.fromkeys(table["basis"])), axis=alt.Axis(labelLimit=320))
    )
    bars = base.mark_bar(color="#0072B2").encode(
        x=alt.X("ratio:Q", title="Multiple of GB300 NVL72 [x]"),
        tooltip=["comparison", "basis", alt.Tooltip("ratio:Q", format=".2f"), "ratio_low", "ratio_high", "claimed"],
    )
    whiskers = base.mark_rule(color="#000000").encode(x="ratio_low:Q", x2="ratio_high:Q")
    claimed = alt.Chart().mark_rule(color="#D55E00", strokeDash=[6, 3], size=2).encode(x="mean(claimed):Q")
    chart = (
        alt.layer(bars, whiskers, claimed, data=table)
        .properties(width=300, height=200)
        .facet(row=alt.Row("comparison:N", title=None, header=alt.Header(labelFontSize=13, labelOrient="top")))
        .resolve_scale(y="independent")
        .properties(title="Keynote multiples (dashed) vs like-for-like ratios; whiskers span the sources")
    )
    used = specs[specs["product_id"].isin(set(ratios["numerator"]) | set(ratios["denominator"]))]
    used = used[used["metric"].isin(["compute_pflop_s", "gpu_packages_count", "compute_dies_count",
                                     "marketed_gpus_count", "power_kw"])]
    claim_sources = data.load("claim_figures")
    sources = pd.concat([spec_sources(specs, used["spec_id"]), claim_sources[SOURCE_COLUMNS]])
    return FigureData(themed(chart, width=None, height=None), table, sources)
