"""Chapter "Hardware roadmap": the verdicts H1 to H3, the timeline and roofline tables, and the chapter's figures.

Computation lives in :mod:`analysis.growth` (generation table, growth,
doubling times) and :mod:`analysis.roofline` (ridge points, intensities,
walls); this module presents it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import claims, data
from analysis import growth, roofline
from analysis import jensen_math as jm
from analysis.figures import SOURCE_COLUMNS, FigureData, spec_sources, themed


#: This chapter's id in ``data/claims.csv``.
CHAPTER = "hardware_roadmap"


def claims_table() -> pd.DataFrame:
    """The claims this chapter settles (``id, claim, origin``), for its opening table."""
    return claims.chapter_claims(CHAPTER)


def verdicts() -> pd.DataFrame:
    """The verdicts H1 to H3, for the table that closes the chapter (:func:`analysis.claims.chapter_verdicts`)."""
    return claims.chapter_verdicts(CHAPTER)


#: Relative band within which a ratio counts as "about" the claimed multiple, not more or less [-].
ABOUT = 0.01


def _versus(ratio: float, claimed: float) -> str:
    """Classify a ratio against a claimed multiple: "more", "about" or "less" (band :data:`ABOUT`)."""
    if ratio >= claimed * (1 + ABOUT):
        return "more"
    if ratio > claimed * (1 - ABOUT):
        return "about"
    return "less"


def verdict_h1():
    """H1: B300 has more than 50% more FP4 than B200 and keeps 8 TB/s.

    Rule: the bandwidth part holds if B300's HBM bandwidth equals B200's within
    2%.  The FLOPs part holds if the dense FP4 ratio on the preferred sources is
    more than 1.5 by at least :data:`ABOUT` for both the HGX and the NVL72
    variants; a ratio within that band of 1.5 is "about 50%", not more.  Both
    parts: supported; one: partly supported; neither: contradicted.
    """
    specs = data.load("hardware_specs")
    table = growth.generation_table(specs)
    claimed = 1.5
    pairs = {"HGX": ("b300-hgx", "b200-hgx"), "NVL72": ("gb300-nvl72", "gb200-nvl72")}
    evidence, fp4_status, bw_kept, parts, fp4_high, fp4_values = [], {}, [], [], {}, {}
    for label, (new, old) in pairs.items():
        cmp_ = growth.compare(table, new, old).set_index("quantity")
        fp4 = cmp_.loc["dense_fp4_pflop_s"]
        fp4_high[label] = float(fp4["ratio_high"])
        fp4_values[new], fp4_values[old] = float(fp4["new"]), float(fp4["old"])
        bw = cmp_.loc["hbm_bandwidth_tb_s"]
        fp4_status[label] = _versus(float(fp4["ratio"]), claimed)
        bw_kept.append(abs(bw["ratio"] - 1) <= 0.02)
        int8_new, int8_old = (jm.per_package(specs, p, "compute_pop_s", "int8")[0] for p in (new, old))
        evidence += [
            claims.Evidence(f"{label}: dense FP4 per package, B300 / B200", float(fp4["ratio"]), "x"),
            claims.Evidence(f"{label}: dense FP4 ratio, lowest source", float(fp4["ratio_low"]), "x"),
            claims.Evidence(f"{label}: dense FP4 ratio, highest source", float(fp4["ratio_high"]), "x"),
            claims.Evidence(f"{label}: HBM bandwidth, B300 / B200", float(bw["ratio"]), "x"),
            claims.Evidence(f"{label}: B300 HBM bandwidth", float(bw["new"]), "TB/s"),
            claims.Evidence(f"{label}: FP64, B300 / B200", float(cmp_.loc["fp64_tflop_s", "ratio"]), "x"),
            claims.Evidence(f"{label}: dense INT8, B300 / B200", int8_new / int8_old, "x"),
        ]
        parts.append(
            f"{label}: FP4 x{fp4['ratio']:.2f} ({fp4_status[label]} than {claimed:g}x; sources "
            f"{fp4['ratio_low']:.2f} to {fp4['ratio_high']:.2f}), bandwidth x{bw['ratio']:.2f} "
            f"({float(bw['new']):g} TB/s), FP64 x{cmp_.loc['fp64_tflop_s', 'ratio']:.2f}, INT8 x{int8_new / int8_old:.2f}"
        )
    flops_ok = all(status == "more" for status in fp4_status.values())
    bandwidth_ok = all(bw_kept)
    if flops_ok and bandwidth_ok:
        verdict = claims.Verdict.SUPPORTED
    elif flops_ok or bandwidth_ok:
        verdict = claims.Verdict.PARTLY
    else:
        verdict = claims.Verdict.CONTRADICTED
    summary = (
        "; ".join(parts).replace("about than", "about")
        + f". Bandwidth {'is' if bandwidth_ok else 'is not'} kept; the FP4 gain is "
        + ("more than" if flops_ok else "not more than")
        + f" {claimed - 1:.0%} on the preferred sources of both variants, bought by cutting FP64 and INT8."
    )
    return claims.ClaimResult(
        "H1",
        verdict,
        summary,
        tuple(evidence),
        assumptions=(
            "Dense FP4 per GPU from the preferred rows of data/hardware_specs.csv: "
            + ", ".join(f"{p} {fp4_values[p]:.4g} PFLOP/s" for p in fp4_values)
            + "; the HGX B300 row is its GTC-era board figure.",
            f"A ratio within {ABOUT:.0%} of the claimed multiple counts as 'about', not 'more than'.",
        ),
        would_change=tuple(
            f"{label}: the highest source gives an FP4 gain of {high:.2f}x ({_versus(high, claimed)} than {claimed:g}x)."
            .replace("about than", "about")
            for label, high in fp4_high.items()
        ),
    )


def verdict_h2():
    """H2: the Rubin family brings large performance gains.

    Rule: a step is "large" if dense FP4 per package grows at least 1.5x.
    Supported if every step GB300 -> Rubin -> Rubin Ultra is large per package
    and, where rack power is published for both ends, dense FP4 per kW of rack
    power grows too; partly supported if some but not all steps are large;
    contradicted if none is.  Per-die growth is reported as evidence (a gain
    from more dies per package is still a gain per package bought).  Feynman,
    announced without numbers, is reported as not testable in the evidence.
    """
    specs = data.load("hardware_specs")
    table = growth.generation_table(specs)
    power = growth.rack_power(specs).set_index("product_id")["dense_fp4_pflop_s_per_kw"]
    steps = [("vr-nvl144", "gb300-nvl72"), ("rubin-ultra-nvl576", "vr-nvl144")]
    quantities = ["dense_fp4_pflop_s", "dense_fp8_pflop_s", "hbm_bandwidth_tb_s", "hbm_capacity_gb",
                  "nvlink_one_way_tb_s", "power_kw"]
    per_die = table.set_index(["product_id", "quantity"])["per_die"]
    evidence, large, per_watt_ok, die_ratios = [], [], True, {}
    for new, old in steps:
        cmp_ = growth.compare(table, new, old, quantities).set_index("quantity")
        large.append(cmp_.at["dense_fp4_pflop_s", "ratio"] >= 1.5)
        for q, row in cmp_.iterrows():
            evidence.append(claims.Evidence(f"{new} / {old}: {q} per package", float(row["ratio"]), "x"))
        die_ratios[new] = float(per_die[(new, "dense_fp4_pflop_s")] / per_die[(old, "dense_fp4_pflop_s")])
        evidence.append(claims.Evidence(f"{new} / {old}: dense FP4 per die", die_ratios[new], "x"))
    # per kW of rack power: only between products whose rack power is published
    rubin_racks = [p for p in ("gb300-nvl72", "vr-nvl144", "rubin-ultra-nvl576") if p in power.index]
    for old, new in zip(rubin_racks, rubin_racks[1:]):
        ratio = float(power[new] / power[old])
        per_watt_ok &= ratio > 1.0
        evidence.append(claims.Evidence(f"{new} / {old}: dense FP4 per kW of rack power", ratio, "x"))
    feynman = table[table["product_id"] == "feynman"]
    evidence.append(claims.Evidence("Feynman quantities published", float(feynman["per_package"].notna().sum()), "-"))
    if all(large) and per_watt_ok:
        verdict = claims.Verdict.SUPPORTED
    elif any(large):
        verdict = claims.Verdict.PARTLY
    else:
        verdict = claims.Verdict.CONTRADICTED
    t = table.set_index(["product_id", "quantity"])["per_package"]
    flat_die = [p for p, r in die_ratios.items() if r <= 1.0 + ABOUT]
    names = table.drop_duplicates("product_id").set_index("product_id")["product"]
    summary = (
        f"Dense FP4 per package: GB300 {t[('gb300-nvl72', 'dense_fp4_pflop_s')]:.0f}, Rubin "
        f"{t[('vr-nvl144', 'dense_fp4_pflop_s')]:.0f}, Rubin Ultra {t[('rubin-ultra-nvl576', 'dense_fp4_pflop_s')]:.0f} "
        f"PFLOP/s; HBM bandwidth {t[('gb300-nvl72', 'hbm_bandwidth_tb_s')]:.0f} to "
        f"{t[('vr-nvl144', 'hbm_bandwidth_tb_s')]:.0f} to {t[('rubin-ultra-nvl576', 'hbm_bandwidth_tb_s')]:.0f} TB/s. "
        + (f"Per die, {', '.join(names[p] for p in flat_die)} adds nothing over its predecessor: the gain is more dies "
           "per package. " if flat_die else "")
        + ("Feynman has no numbers." if feynman["per_package"].isna().all() else "")
    )
    ru_bw = specs[(specs["product_id"] == "rubin-ultra-nvl576") & (specs["metric"] == "hbm_bandwidth_tb_s")
                  & specs["preferred"].astype(bool)]
    packages = jm.topologies(specs)["rubin-ultra-nvl576"].packages
    return claims.ClaimResult(
        "H2",
        verdict,
        summary,
        tuple(evidence),
        assumptions=(
            "Rubin and Rubin Ultra figures are GTC-2025 announcements and estimates, not shipping specs.",
            f"Rubin Ultra per-package bandwidth is the rack's {float(ru_bw['value'].iloc[0]):g} "
            f"{ru_bw['unit'].iloc[0]} over {packages:.0f} packages.",
        ),
        would_change=(
            "NVIDIA's 2026 'training' figure for Rubin's dense FP4, or a two-die Rubin Ultra (reported mid-2026), "
            f"would shrink the gains: Rubin over GB300 falls to {growth.compare(table, 'vr-nvl144', 'gb300-nvl72', ['dense_fp4_pflop_s']).iloc[0]['ratio_low']:.2f}x "
            "on the lowest source.",
            "Any published Feynman spec would make the 2028 step testable.",
        ),
    )


def verdict_h3():
    """H3: compute grows faster than bandwidth, so decode gets more memory-bound each generation.

    Rule, on the flagship line: supported if the dense FP8 ridge point rises at
    every step (each generation more memory-bound); partly supported if it
    rises from the first to the last flagship but not at every step, or if
    FLOPs double faster than bandwidth only end to end; contradicted if it does
    not rise end to end.  FP4 ridge points (Blackwell on) are reported too.
    """
    table = growth.generation_table()
    ridge = roofline.ridge_points(table)
    flagship = ridge[ridge["product_id"].isin(growth.FLAGSHIPS)].sort_values("year")
    fp8 = flagship[flagship["precision"] == "fp8"].reset_index(drop=True)
    steps = fp8["ridge_flop_per_byte"].diff().iloc[1:]
    rising_steps, n_steps = int((steps > 0).sum()), len(steps)
    end_to_end = fp8["ridge_flop_per_byte"].iloc[-1] > fp8["ridge_flop_per_byte"].iloc[0]
    evidence = [claims.Evidence(f"FP8 ridge point, {row.product}", float(row.ridge_flop_per_byte), "FLOP/B")
                for row in fp8.itertuples()]
    fp4 = flagship[flagship["precision"] == "fp4"]
    evidence += [claims.Evidence(f"FP4 ridge point, {row.product}", float(row.ridge_flop_per_byte), "FLOP/B")
                 for row in fp4.itertuples()]
    evidence.append(claims.Evidence("flagship steps where the FP8 ridge point rises", rising_steps, f"of {n_steps}"))
    trends = growth.trend_comparison(table).set_index("quantity")["roadmap_doubling_years"]
    evidence += [
        claims.Evidence("roadmap doubling time, dense FP8 per package", float(trends["dense_fp8_pflop_s"]), "years"),
        claims.Evidence("roadmap doubling time, HBM bandwidth per package", float(trends["hbm_bandwidth_tb_s"]), "years"),
    ]
    share = roofline.decode_bound_share("fp8")
    batch64 = share[share["workload"].str.startswith("dense 70B") & share["workload"].str.endswith("batch 64")]
    batch64 = batch64.sort_values("year")
    first_share, last_share = batch64.iloc[0], batch64.iloc[-1]
    evidence += [
        claims.Evidence("dense 70B FP8 decode, batch 64: intensity", float(first_share["intensity_flop_per_byte"]), "FLOP/B"),
        claims.Evidence(f"its attainable share of FP8 peak on {first_share['product']}", float(first_share["fraction_of_peak"]), "-"),
        claims.Evidence(f"its attainable share of FP8 peak on {last_share['product']}", float(last_share["fraction_of_peak"]), "-"),
    ]
    if rising_steps == n_steps:
        verdict = claims.Verdict.SUPPORTED
    elif end_to_end:
        verdict = claims.Verdict.PARTLY
    else:
        verdict = claims.Verdict.CONTRADICTED
    falling = [f"{a} to {b}" for a, b, d in zip(fp8["product"], fp8["product"].iloc[1:], steps) if d <= 0]
    summary = (
        f"The FP8 ridge point goes from {fp8['ridge_flop_per_byte'].iloc[0]:.0f} FLOP/B ({fp8['product'].iloc[0]}) to "
        f"{fp8['ridge_flop_per_byte'].iloc[-1]:.0f} ({fp8['product'].iloc[-1]}), rising at {rising_steps} of {n_steps} "
        f"steps" + (f" (not from {'; '.join(falling)})" if falling else "") + "; dense FP8 doubles every "
        f"{trends['dense_fp8_pflop_s']:.1f} years, HBM bandwidth every {trends['hbm_bandwidth_tb_s']:.1f}. "
        f"Decoding a dense 70B model at batch 64 can use at most {first_share['fraction_of_peak']:.0%} of FP8 peak on "
        f"{first_share['product']} and {last_share['fraction_of_peak']:.0%} on {last_share['product']}."
    )
    rubin_bw = growth.compare(table, "vr-nvl144", "gb300-nvl72", ["hbm_bandwidth_tb_s"]).iloc[0]
    ridge_vr = ridge.set_index(["product_id", "precision"]).loc[("vr-nvl144", "fp4")]
    return claims.ClaimResult(
        "H3",
        verdict,
        summary,
        tuple(evidence),
        assumptions=("Peak dense FLOPs and peak HBM bandwidth; achieved fractions differ by kernel.",),
        would_change=(
            f"Rubin's HBM4 at the highest published bandwidth ({rubin_bw['new'] * rubin_bw['ratio_high'] / rubin_bw['ratio']:.1f} TB/s) "
            f"instead of the GTC slide's {rubin_bw['new']:g} TB/s, with the lowest FP4 figure, puts Rubin's FP4 ridge "
            f"point as low as {ridge_vr['ridge_low']:.0f} FLOP/B.",
        ),
    )


def _specs_sources(product_ids, metrics=None):
    return spec_sources(data.load("hardware_specs"), product_ids=product_ids, metrics=metrics)


def timeline_table(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Flagship growth relative to the first flagship with each quantity, with Epoch's trend.

    Parameters
    ----------
    table : pandas.DataFrame, optional
        :func:`generation_table` (computed if omitted).

    Returns
    -------
    pandas.DataFrame
        ``series, product, year, index_vs_first, kind`` (kind "roadmap" or
        "Epoch AI trend"); ``index_vs_first`` [-] is 1 at the first product.
    """
    table = growth.generation_table() if table is None else table
    trends = data.load("hardware_trends").set_index("trend_id")["doubling_time_years"]
    series = {
        "dense_fp8_pflop_s": ("Dense FP8 FLOP/s", "epoch2025_fp16_flop_s"),
        "dense_fp4_pflop_s": ("Dense FP4 FLOP/s", "epoch2025_fp16_flop_s"),
        "hbm_bandwidth_tb_s": ("HBM bandwidth", "epoch2023_memory_bandwidth"),
        "hbm_capacity_gb": ("HBM capacity", "epoch2023_memory_capacity"),
    }
    rows = []
    for quantity, (label, trend_id) in series.items():
        group = table[(table["quantity"] == quantity) & table["product_id"].isin(growth.FLAGSHIPS)].sort_values("year")
        group = group.dropna(subset=["per_package"])
        first = group.iloc[0]
        for row in group.itertuples():
            rows.append({"series": label, "product": row.product, "year": row.year,
                         "index_vs_first": row.per_package / first["per_package"], "kind": "roadmap"})
        for year in (first["year"], group["year"].iloc[-1]):
            rows.append({"series": label, "product": "", "year": year,
                         "index_vs_first": 2 ** ((year - first["year"]) / trends[trend_id]), "kind": "Epoch AI trend"})
    return pd.DataFrame(rows)


def timeline_figure():
    """fig-roadmap-timeline: growth per package vs Epoch AI's long-run trends."""
    import altair as alt

    table = timeline_table()
    base = alt.Chart(table).encode(
        x=alt.X("year:Q", title="Availability [year]", scale=alt.Scale(zero=False), axis=alt.Axis(format="d")),
        y=alt.Y("index_vs_first:Q", title="Per package, relative to the first flagship [x]", scale=alt.Scale(type="log")),
        color=alt.Color("series:N", title=None),
    )
    roadmap = base.transform_filter("datum.kind == 'roadmap'").mark_line(point=True)
    trend = base.transform_filter("datum.kind != 'roadmap'").mark_line(strokeDash=[4, 4], opacity=0.7)
    chart = (roadmap + trend).properties(title="Roadmap growth (solid) vs Epoch AI long-run trends (dashed)")
    sources = pd.concat([_specs_sources(growth.FLAGSHIPS, ["compute_pflop_s", "hbm_bandwidth_tb_s", "hbm_capacity_gb"]),
                         data.load("hardware_trends")[SOURCE_COLUMNS]])
    return FigureData(themed(chart, width=480, height=300), table, sources)


def roofline_table(precision: str = "fp8", intensity=None) -> pd.DataFrame:
    """Attainable dense FLOP/s against arithmetic intensity for each flagship.

    Parameters
    ----------
    precision : str
        Number format of the FLOPs.
    intensity : array_like, optional
        Intensities to evaluate [FLOP/B]; default 1 to 100,000, log-spaced.

    Returns
    -------
    pandas.DataFrame
        ``product, intensity_flop_per_byte, attainable_pflop_s`` with
        attainable = min(peak, intensity x bandwidth).

    Examples
    --------
    >>> t = roofline_table("bf16", [100.0, 1000.0])
    >>> t[t["product"] == "HGX H100"]["attainable_pflop_s"].round(4).tolist()   # 3.35 TB/s x 100; then the 989.4 TFLOP/s peak
    [0.335, 0.9894]
    """
    ridge = roofline.ridge_points(precisions=(precision,))
    ridge = ridge[ridge["product_id"].isin(growth.FLAGSHIPS)]
    grid = np.geomspace(1, 1e5, 61) if intensity is None else np.asarray(intensity, dtype=float)
    peak = ridge["dense_pflop_s"].to_numpy()[:, None]
    bandwidth = ridge["hbm_bandwidth_tb_s"].to_numpy()[:, None]
    attainable = np.minimum(peak, grid[None, :] * bandwidth / 1000.0)
    return pd.DataFrame(
        {
            "product": np.repeat(ridge["product"].to_numpy(), len(grid)),
            "intensity_flop_per_byte": np.tile(grid, len(ridge)),
            "attainable_pflop_s": attainable.ravel(),
        }
    )


def roofline_figure():
    """fig-roadmap-roofline: FP8 rooflines with decode and prefill intensities."""
    import altair as alt

    curves = roofline_table("fp8")
    work = roofline.workload_intensities("fp8")
    work = work.assign(model=work["workload"].str.split(":").str[0], step=work["workload"].str.split(": ").str[1])
    order = [n for n in data.load("products").set_index("product_id").loc[list(growth.FLAGSHIPS), "name"]]
    models = list(dict.fromkeys(work["model"]))
    table = pd.concat(
        [curves.merge(pd.DataFrame({"model": models}), how="cross").assign(kind="roofline"),
         work[["model", "workload", "step", "intensity_flop_per_byte"]].assign(kind="workload")],
        ignore_index=True,
    )
    x = alt.X("intensity_flop_per_byte:Q", title="Arithmetic intensity [FLOP/byte]", scale=alt.Scale(type="log"))
    lines = alt.Chart().transform_filter("datum.kind == 'roofline'").mark_line().encode(
        x=x,
        y=alt.Y("attainable_pflop_s:Q", title="Attainable dense FP8 [PFLOP/s]", scale=alt.Scale(type="log")),
        color=alt.Color("product:N", sort=order, title=None),
    )
    workloads = alt.Chart().transform_filter("datum.kind == 'workload'")
    rules = workloads.mark_rule(strokeDash=[3, 3], color="#555555").encode(
        x=x, tooltip=["workload", alt.Tooltip("intensity_flop_per_byte:Q", format=".1f")]
    )
    labels = workloads.mark_text(angle=270, align="left", dx=4, dy=-3, fontSize=10, color="#333333").encode(
        x=x, y=alt.value(190), text="step:N"
    )
    chart = (
        alt.layer(lines, rules, labels, data=table)
        .properties(width=520, height=200)
        .facet(row=alt.Row("model:N", title=None, sort=models, header=alt.Header(labelFontSize=12, labelOrient="top")))
        .properties(title="FP8 rooflines per package, and where decode and prefill land")
    )
    return FigureData(themed(chart, width=None, height=None), table,
                      _specs_sources(growth.FLAGSHIPS, ["compute_pflop_s", "hbm_bandwidth_tb_s"]))


def ridge_figure():
    """fig-roadmap-ridge: ridge points over time, with the range over sources."""
    import altair as alt

    table = roofline.ridge_points()
    base = alt.Chart(table).encode(
        x=alt.X("year:Q", title="Availability [year]", scale=alt.Scale(zero=False), axis=alt.Axis(format="d")),
        color=alt.Color("precision:N", title="Dense format", sort=["fp4", "fp8", "bf16"]),
    )
    points = base.mark_point(filled=True, size=70).encode(
        y=alt.Y("ridge_flop_per_byte:Q", title="Ridge point [FLOP per HBM byte]", scale=alt.Scale(type="log")),
        tooltip=["product", "precision", alt.Tooltip("ridge_flop_per_byte:Q", format=".0f"), "ridge_low", "ridge_high"],
    )
    bars = base.mark_rule().encode(y="ridge_low:Q", y2="ridge_high:Q")
    chart = (bars + points).properties(title="Ridge points rise: decode needs ever larger batches to use the FLOPs")
    return FigureData(themed(chart, width=480, height=300), table,
                      _specs_sources(table["product_id"], ["compute_pflop_s", "hbm_bandwidth_tb_s"]))


def walls_figure():
    """fig-roadmap-walls: rack power and dense FP4 per kW of rack power."""
    import altair as alt

    table = growth.rack_power()
    long = table.melt(id_vars=["product", "year"], value_vars=["rack_power_kw", "dense_fp4_pflop_s_per_kw"],
                      var_name="measure", value_name="value")
    long["measure"] = long["measure"].map({"rack_power_kw": "Rack or system power [kW]",
                                           "dense_fp4_pflop_s_per_kw": "Dense FP4 per kW [PFLOP/s per kW]"})
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("product:N", sort=list(table["product"]), title=None, axis=alt.Axis(labelAngle=-20)),
            y=alt.Y("value:Q", title=None),
            color=alt.Color("product:N", legend=None),
            tooltip=["product", "measure", alt.Tooltip("value:Q", format=".2f")],
        )
        .properties(width=220, height=220)
        .facet(column=alt.Column("measure:N", title=None, sort=["Rack or system power [kW]"]))
        .resolve_scale(y="independent")
        .properties(title="Rack (or HGX system) power, and dense FP4 per kW of it")
    )
    return FigureData(themed(chart, width=None, height=None), long,
                      _specs_sources(table["product_id"], ["power_kw", "compute_pflop_s", "gpu_packages_count"]))


def h1_figure():
    """fig-roadmap-h1: what Blackwell Ultra gained and traded, HGX and NVL72."""
    import altair as alt

    table = growth.generation_table()
    labels = {q.key: q.label.split(" [")[0] for q in growth.QUANTITIES}
    frames = []
    for variant, (new, old) in {"HGX B300 / HGX B200": ("b300-hgx", "b200-hgx"),
                                "GB300 / GB200 (NVL72)": ("gb300-nvl72", "gb200-nvl72")}.items():
        frames.append(growth.compare(table, new, old).assign(variant=variant))
    cmp_ = pd.concat(frames, ignore_index=True)
    cmp_["quantity_label"] = cmp_["quantity"].map(labels)
    base = alt.Chart(cmp_).encode(
        y=alt.Y("quantity_label:N", title=None, sort=[labels[q.key] for q in growth.QUANTITIES]),
        color=alt.Color("variant:N", title=None),
        yOffset="variant:N",
    )
    bars = base.mark_point(filled=True, size=80).encode(
        x=alt.X("ratio:Q", title="Blackwell Ultra / Blackwell, per package [x] (log)", scale=alt.Scale(type="log")),
        tooltip=["variant", "quantity_label", alt.Tooltip("ratio:Q", format=".3f"), "ratio_low", "ratio_high"],
    )
    whiskers = base.mark_rule(color="#000000").encode(x="ratio_low:Q", x2="ratio_high:Q")
    one = alt.Chart(pd.DataFrame({"x": [1.5]})).mark_rule(strokeDash=[5, 3], color="#D55E00").encode(x="x:Q")
    chart = (whiskers + bars + one).properties(title="Blackwell Ultra over Blackwell per package (dashed: +50%)")
    return FigureData(themed(chart, width=460, height=320), cmp_,
                      _specs_sources(["b300-hgx", "b200-hgx", "gb300-nvl72", "gb200-nvl72"]))
