"""Chapter "Cost", its figures (fig-cost-*): drawn from the tables of :mod:`analysis.chapters.cost`.

Split from the chapter module to keep each under the project's module size; this
module only draws (every number comes from a table of the chapter module).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import data, tco
from analysis.chapters.cost import (
    GENERATIONS,
    GRID,
    active_assumptions,
    amd_table,
    generation_table,
    gpu_hour_table,
    reference_interactivity,
    slider_table,
    tornado_table,
    waterfall_table,
)
from analysis.figures import SOURCE_COLUMNS, FigureData, themed


def _sources(*tables: str, hardware=None) -> pd.DataFrame:
    frames = [data.load(t)[SOURCE_COLUMNS] for t in tables]
    if hardware is not None:
        specs = data.load("hardware_specs")
        from analysis import systems

        pids = {systems.HARDWARE[h] for h in hardware if h in systems.HARDWARE}
        rows = specs[specs["product_id"].isin(pids) & specs["preferred"].astype(bool)
                     & specs["metric"].isin(["power_kw", "nic_bandwidth_tb_s", "compute_pflop_s", "hbm_bandwidth_tb_s"])]
        frames.append(rows[SOURCE_COLUMNS])
    return pd.concat(frames, ignore_index=True)


def _names(hardware) -> list[str]:
    return [tco.display_name(h) for h in hardware]


def per_token_figure():
    """fig-cost-per-token: cost per million output tokens against interactivity, by generation, with 90% bands."""
    import altair as alt

    t = generation_table().dropna(subset=["usd_per_m_tokens"])
    t = t[["name", "tokens_per_s_per_user", "usd_per_m_tokens", "usd_per_m_tokens_low", "usd_per_m_tokens_high",
           "tokens_per_s_per_gpu", "usd_per_gpu_hour"]]
    order = _names(GENERATIONS)
    x = alt.X("tokens_per_s_per_user:Q", title="Interactivity [output tokens/s per user]",
              scale=alt.Scale(type="log", domain=[GRID[0], GRID[-1]], nice=False))
    color = alt.Color("name:N", title=None, sort=order, legend=alt.Legend(columns=4))
    band = alt.Chart(t).mark_area(opacity=0.15).encode(x=x, y="usd_per_m_tokens_low:Q", y2="usd_per_m_tokens_high:Q", color=color)
    line = alt.Chart(t).mark_line(point=True, strokeWidth=2.5).encode(
        x=x, y=alt.Y("usd_per_m_tokens:Q", title="Cost per million output tokens [USD]", scale=alt.Scale(type="log")),
        color=color, tooltip=["name", "tokens_per_s_per_user", alt.Tooltip("usd_per_m_tokens:Q", format=".3f"),
                              alt.Tooltip("tokens_per_s_per_gpu:Q", format=",.0f"), alt.Tooltip("usd_per_gpu_hour:Q", format=".2f")])
    chart = (band + line).properties(title="DeepSeek-R1: cost per million tokens by system and interactivity (90% bands)")
    return FigureData(themed(chart, width=560, height=320), t,
                      _sources("tco_assumptions", "network_assumptions", "perf_parameters", hardware=GENERATIONS))


def revenue_figure():
    """fig-cost-revenue: token revenue per MW of facility power a year against interactivity."""
    import altair as alt

    t = generation_table().dropna(subset=["usd_per_m_tokens"])
    t = t.assign(revenue_musd=t["revenue_usd_per_mw_year"] / 1e6, revenue_low_musd=t["revenue_low"] / 1e6,
                 revenue_high_musd=t["revenue_high"] / 1e6)[
        ["name", "tokens_per_s_per_user", "revenue_musd", "revenue_low_musd", "revenue_high_musd", "tokens_per_s_per_mw"]]
    x = alt.X("tokens_per_s_per_user:Q", title="Interactivity [output tokens/s per user]", scale=alt.Scale(type="log"))
    color = alt.Color("name:N", title=None, sort=_names(GENERATIONS), legend=alt.Legend(columns=4))
    band = alt.Chart(t).mark_area(opacity=0.15).encode(x=x, y="revenue_low_musd:Q", y2="revenue_high_musd:Q", color=color)
    line = alt.Chart(t).mark_line(point=True, strokeWidth=2.5).encode(
        x=x, y=alt.Y("revenue_musd:Q", title="Token revenue per MW a year [million USD]", scale=alt.Scale(type="log")),
        color=color, tooltip=["name", "tokens_per_s_per_user", alt.Tooltip("revenue_musd:Q", format=",.1f"),
                              alt.Tooltip("tokens_per_s_per_mw:Q", format=",.0f")])
    price = tco.lookup(active_assumptions(), "token_price_usd_per_m_output")
    chart = (band + line).properties(title=f"Revenue per MW at USD {price:.2f} per million output tokens (90% bands)")
    return FigureData(themed(chart, width=560, height=320), t,
                      _sources("tco_assumptions", "network_assumptions", "perf_parameters", hardware=GENERATIONS))


def tornado_figure():
    """fig-cost-tornado: which input moves GB300's cost per token most."""
    import altair as alt

    t = tornado_table()
    long = pd.concat([t.assign(end="low end of range", cost=t["at_low"]), t.assign(end="high end of range", cost=t["at_high"])],
                     ignore_index=True)[["parameter", "quantity", "end", "cost", "base"]]
    order = list(t["parameter"])
    bars = alt.Chart(long).mark_bar(opacity=0.85).encode(
        y=alt.Y("parameter:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X("cost:Q", title="Cost per million output tokens [USD]", scale=alt.Scale(zero=False)), x2="base:Q",
        color=alt.Color("end:N", title=None, scale=alt.Scale(range=["#E69F00", "#0072B2"])),
        tooltip=["quantity", "end", alt.Tooltip("cost:Q", format=".3f")])
    rule = alt.Chart(long).mark_rule(color="#000000", strokeDash=[4, 3]).encode(x="mean(base):Q")
    ref = reference_interactivity()
    chart = (bars + rule).properties(title=f"GB300 NVL72 at {ref:.0f} tokens/s per user: each bar spans one input's range")
    return FigureData(themed(chart, width=480, height=300), long, _sources("tco_assumptions", "network_assumptions", "perf_parameters"))


def waterfall_figure():
    """fig-cost-waterfall: cost per token from Hopper to Rubin, one change at a time (log scale)."""
    import altair as alt

    t = waterfall_table()
    t = t.assign(low=t[["start", "end"]].where(t["kind"] != "total", t["end"], axis=0).min(axis=1),
                 high=t[["start", "end"]].max(axis=1))
    floor = float(10 ** np.floor(np.log10(t["end"].min())))   # totals start at the axis floor, so their length reads
    t.loc[t["kind"] == "total", "low"] = floor
    t["label"] = t["usd_per_m_tokens"].map("USD {:.3f}".format)
    base = alt.Chart(t).encode(y=alt.Y("step:N", sort=list(t["step"]), title=None, axis=alt.Axis(labelLimit=320)))
    bars = base.mark_bar().encode(
        x=alt.X("low:Q", title="Cost per million output tokens [USD] (log scale)",
                scale=alt.Scale(type="log", domain=[floor, float(t["high"].max()) * 3], nice=False)), x2="high:Q",
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=["total", "software", "hardware", "precision", "network"],
                                                              range=["#0072B2", "#CC79A7", "#009E73", "#E69F00", "#D55E00"])),
        tooltip=["step", alt.Tooltip("usd_per_m_tokens:Q", format=".4f"), alt.Tooltip("log_share:Q", format=".1%")])
    text = base.mark_text(align="left", dx=4, fontSize=11).encode(x="high:Q", text="label:N")
    ref = reference_interactivity()
    chart = (bars + text).properties(title=f"Hopper to Rubin at {ref:.0f} tokens/s per user: where the cost per token goes")
    return FigureData(themed(chart, width=460, height=260), t[["step", "kind", "usd_per_m_tokens", "start", "end", "log_share"]],
                      _sources("tco_assumptions", "network_assumptions", "network_optics", "perf_parameters", hardware=("h100", "gb300", "rubin")))


def amd_figure():
    """fig-cost-amd: cost per million tokens on MLPerf v5.1 Llama-2-70B, NVIDIA and AMD, two TCO bases."""
    import altair as alt

    t = amd_table()
    t["system"] = t["name"] + np.where(t["division"] == "open", " (open)", "")
    long = pd.concat([t.assign(tco="this report (90% interval)", cost=t["usd_per_m_tokens"]),
                      t.assign(tco="SemiAnalysis hyperscaler tier", cost=t["semianalysis_usd_per_m_tokens"])], ignore_index=True)
    long = long[["scenario", "system", "vendor", "tco", "cost", "usd_per_m_tokens_low", "usd_per_m_tokens_high", "tokens_per_s_per_gpu"]]
    order = list(t.sort_values("usd_per_m_tokens")["system"].drop_duplicates())
    y = alt.Y("system:N", sort=order, title=None, axis=alt.Axis(labelLimit=220))
    pts = alt.Chart().mark_point(filled=True, size=80).encode(
        y=y, x=alt.X("cost:Q", title="Cost per million output tokens [USD]"), color=alt.Color("vendor:N", title=None),
        shape=alt.Shape("tco:N", title=None), tooltip=["system", "tco", alt.Tooltip("cost:Q", format=".3f"),
                                                        alt.Tooltip("tokens_per_s_per_gpu:Q", format=",.0f")])
    whisk = alt.Chart().mark_rule().encode(y=y, x="usd_per_m_tokens_low:Q", x2="usd_per_m_tokens_high:Q",
                                            color=alt.Color("vendor:N", title=None)).transform_filter(
        alt.datum.tco == "this report (90% interval)")
    chart = (alt.layer(whisk, pts, data=long).properties(width=420, height=190)
             .facet(row=alt.Row("scenario:N", title=None, header=alt.Header(labelFontSize=13, labelOrient="top")))
             .properties(title="MLPerf Inference v5.1 Llama-2-70B: cost per token, NVIDIA and AMD"))
    return FigureData(themed(chart, width=None, height=None), long, _sources("tco_mlperf", "tco_assumptions", "tco_anchors"))


#: Slider parameters of fig-cost-sliders: (name, label, min, max, step). Names are explicit so exports are byte-identical.
SLIDERS = (
    ("electricity_usd_per_kwh", "Electricity price [USD/kWh] ", 0.02, 0.25, 0.005),
    ("system_price_scale", "System price [x central] ", 0.5, 2.0, 0.05),
    ("utilization", "Utilization [-] ", 0.2, 1.0, 0.05),
    ("lifetime_years", "Hardware life [years] ", 2.0, 8.0, 0.5),
)


#: The chart's cost per million tokens as a Vega expression (the same formula as analysis.tco.gpu_hour_cost).
SLIDER_EXPRESSION = (
    "(((datum.system_price_usd_per_gpu * system_price_scale / (1 - datum.network_capex_share))"
    " * (datum.wacc / (1 - pow(1 + datum.wacc, -lifetime_years)) + datum.maintenance_share_per_year)"
    " + datum.datacenter_capex_usd_per_mw * datum.it_power_kw / 1000"
    " * datum.wacc / (1 - pow(1 + datum.wacc, -datum.datacenter_life_years))) / {hours}"
    " + datum.it_power_kw * datum.pue * electricity_usd_per_kwh)"
    " / (datum.tokens_per_s_per_gpu * 3600 * utilization) * 1e6"
)


def slider_figure():
    """fig-cost-sliders: cost per million tokens by system, recomputed in the browser as the reader drags four sliders."""
    import altair as alt

    t = slider_table()
    table = active_assumptions()
    start = {"electricity_usd_per_kwh": tco.lookup(table, "electricity_usd_per_kwh"), "system_price_scale": 1.0,
             "utilization": tco.lookup(table, "utilization"), "lifetime_years": tco.lookup(table, "lifetime_years")}
    params = [alt.param(name=n, value=start[n], bind=alt.binding_range(min=lo, max=hi, step=st, name=label))
              for n, label, lo, hi, st in SLIDERS]
    expr = SLIDER_EXPRESSION.format(hours=repr(float(tco.HOURS_PER_YEAR)))
    base = alt.Chart(t).transform_calculate(cost=expr).transform_calculate(label="format(datum.cost, '.3f')")
    y = alt.Y("name:N", sort=list(t["name"]), title=None, axis=alt.Axis(labelLimit=220))
    bars = base.mark_bar(color="#0072B2").encode(
        y=y, x=alt.X("cost:Q", title="Cost per million output tokens [USD] (log scale)",
                     scale=alt.Scale(type="log", domain=[0.02, 200], nice=False)),
        tooltip=["name", alt.Tooltip("cost:Q", format=".3f"), alt.Tooltip("tokens_per_s_per_gpu:Q", format=",.0f")])
    text = base.mark_text(align="left", dx=4, fontSize=12).encode(y=y, x="cost:Q", text="label:N")
    ref = reference_interactivity()
    chart = (bars + text).add_params(*params).properties(
        title=f"Drag the sliders: DeepSeek-R1 at {ref:.0f} tokens/s per user")
    return FigureData(themed(chart, width=460, height=260), t,
                      _sources("tco_assumptions", "network_assumptions", "perf_parameters", hardware=GENERATIONS))


def gpu_hour_figure():
    """fig-cost-gpu-hour: cost per GPU-hour by component, against SemiAnalysis' published tiers."""
    import altair as alt

    t = gpu_hour_table()
    parts = ["system", "network", "datacenter", "maintenance", "power"]
    long = t.melt(id_vars=["name"], value_vars=parts, var_name="component", value_name="usd_per_gpu_hour")
    order = list(t["name"])
    bars = alt.Chart(long).mark_bar().encode(
        y=alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
        x=alt.X("sum(usd_per_gpu_hour):Q", title="Cost per GPU-hour owned [USD]"),
        color=alt.Color("component:N", title=None, sort=parts), order=alt.Order("component_order:Q"),
        tooltip=["name", "component", alt.Tooltip("usd_per_gpu_hour:Q", format=".3f")],
    ).transform_calculate(component_order=f"indexof({parts!r}, datum.component)")
    tiers = t.dropna(subset=["semianalysis_hyperscaler"]).melt(
        id_vars=["name"], value_vars=["semianalysis_hyperscaler", "rental_3yr"], var_name="anchor", value_name="usd_per_gpu_hour")
    marks = alt.Chart(tiers).mark_point(shape="diamond", size=90, filled=True, color="#000000").encode(
        y=alt.Y("name:N", sort=order), x="usd_per_gpu_hour:Q", shape=alt.Shape("anchor:N", title="SemiAnalysis (InferenceX)"),
        tooltip=["name", "anchor", "usd_per_gpu_hour"])
    chart = (bars + marks).properties(title="Cost per GPU-hour: this report's components and SemiAnalysis' tiers")
    table = pd.concat([long.assign(kind="this report"), tiers.rename(columns={"anchor": "component"}).assign(kind="anchor")],
                      ignore_index=True)
    return FigureData(themed(chart, width=480, height=300), table,
                      _sources("tco_assumptions", "network_assumptions", "tco_anchors", hardware=GENERATIONS))
