"""Citable figures: one theme, one registry of stable ids, one export path.

Every figure is a function returning a :class:`FigureData` (an Altair chart,
the table it plots, and the provenance rows behind it), registered in
:data:`FIGURES` under a stable id ``fig-<chapter>-<slug>``.  :func:`export`
writes the four files a reader can cite and reuse (SVG, PNG, the plotted data
as CSV, and the Vega-Lite JSON), byte-identical from run to run: the
specification is serialized with sorted keys, no dates are written, and
selections, if any, must be named explicitly (Altair's automatic names depend
on how many charts were made before).

The book shows a figure with :func:`glue_figure`, which glues the interactive
chart (rendered offline by the site's own copy of vega-embed) and its source
line for a ``{glue:figure}`` directive.
"""

from __future__ import annotations

import html
import importlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

#: Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")

#: Font present on the build machines (Debian's fonts-dejavu); the browser falls back to sans-serif.
FONT = "DejaVu Sans"

#: Where the built site keeps the exported files, relative to a chapter page.
DOWNLOAD_BASE = "../figures/"

#: The four files written per figure, as (suffix, label).
FORMATS = ((".svg", "SVG"), (".png", "PNG"), (".csv", "CSV data"), (".vl.json", "Vega-Lite JSON"))

#: Columns of a provenance table (see data/datapackage.json).
SOURCE_COLUMNS = ["source_title", "source_url", "source_date", "accessed"]


@dataclass(frozen=True)
class FigureData:
    """What a figure function returns.

    Attributes
    ----------
    chart : altair.TopLevelMixin
        The chart, themed with :func:`themed`.
    table : pandas.DataFrame
        Exactly the data plotted (exported as CSV), with units in column names.
    sources : pandas.DataFrame
        Provenance rows of the plotted values (columns :data:`SOURCE_COLUMNS`).
    """

    chart: object
    table: pd.DataFrame
    sources: pd.DataFrame


@dataclass(frozen=True)
class FigureSpec:
    """A registered figure.

    Attributes
    ----------
    fig_id : str
        Stable id, ``fig-<chapter>-<slug>``; also the MyST label in the book.
    chapter : str
        Book file (without extension) that shows the figure.
    title : str
        Short title (first sentence of the caption).
    alt : str
        Alternative text describing what the chart shows.
    builder : str
        ``"module:function"`` returning :class:`FigureData`; imported on use.
    """

    fig_id: str
    chapter: str
    title: str
    alt: str
    builder: str

    def build(self) -> FigureData:
        """Run the figure function."""
        module, function = self.builder.split(":")
        return getattr(importlib.import_module(module), function)()


#: The id prefix of each chapter's figures: ``fig-<slug>-...`` (ids are stable once published).
CHAPTER_SLUGS = {
    "01_scaling_laws": "scaling",
    "02_new_math_rules": "jensen",
    "03_hardware_roadmap": "roadmap",
    "04_dynamo": "dynamo",
    "05_cpo": "cpo",
    "06_cost": "cost",
    "90_performance_model": "perf",
}

FIGURES: dict[str, FigureSpec] = {
    spec.fig_id: spec
    for spec in (
        FigureSpec(
            "fig-scaling-frontier",
            "01_scaling_laws",
            "Compute-optimal training tokens per parameter under two fits of Chinchilla's loss law.",
            "Log-log line chart: compute-optimal training tokens per parameter against training compute from 1e20 to "
            "1e27 FLOP, one line for Hoffmann et al.'s 2022 fit and one for Besiroglu et al.'s 2024 refit; the refit "
            "stays between about 15 and 25 tokens per parameter, the original fit rises from about 40 to about 190. "
            "Values in the CSV.",
            "analysis.chapters.scaling_laws:frontier_figure",
        ),
        FigureSpec(
            "fig-scaling-inference-optimum",
            "01_scaling_laws",
            "Inference-aware optimum: model size and training tokens against lifetime demand.",
            "Log-log line chart over the tokens a model serves in its life (1e11 to 1e15): the parameters, the training "
            "tokens per parameter and the inference share of lifetime FLOPs of the model that reaches Chinchilla's loss "
            "at least total compute; more demand means a smaller model trained on more tokens. Values in the CSV.",
            "analysis.chapters.scaling_laws:inference_optimum_figure",
        ),
        FigureSpec(
            "fig-scaling-test-time",
            "01_scaling_laws",
            "Published accuracy against test-time compute.",
            "Line chart with a log x axis of test-time compute relative to each series' first setting: accuracy of "
            "DeepSeek-R1-Zero on AIME 2024 with 1 and 64 samples and of OpenAI o3 on ARC-AGI-1 at 1x and 172x compute, "
            "each point with a 95% binomial interval. Values in the CSV.",
            "analysis.chapters.scaling_laws:test_time_figure",
        ),
        FigureSpec(
            "fig-scaling-flops-ratio",
            "01_scaling_laws",
            "Compute of a DeepSeek-R1 answer relative to a dense 70B one-shot answer, by counting basis.",
            "Log-log line chart: the ratio of FLOPs per answer against the reasoning model's tokens (1,000 to 100,000), "
            "one line per basis (tokens only, active weights, active weights plus attention, all weights as if dense, "
            "with and without attention), dashed lines at the claimed 20x and 150x and a grey line at the demo's "
            "8,000 tokens. Values in the CSV.",
            "analysis.chapters.scaling_laws:flops_ratio_figure",
        ),
        FigureSpec(
            "fig-scaling-progress",
            "01_scaling_laws",
            "Six-month frontier gains over time, Epoch Capabilities Index and METR time horizons.",
            "Two panels over window end dates from January 2024 to March 2026: the gain of the frontier over the "
            "preceding six months in ECI points (top panel) and in doublings of METR's 50% time horizon (bottom panel), "
            "each with a shaded 95% bootstrap band and a dashed line at the keynote (2025-03-18). Values in the CSV.",
            "analysis.chapters.scaling_laws:progress_figure",
        ),
        FigureSpec(
            "fig-scaling-demand",
            "01_scaling_laws",
            "Tokens served per month by provider, against the price of fixed capability.",
            "Log-scale line chart from February 2024 to May 2026 in trillion tokens per month: Google's, Microsoft's "
            "and OpenRouter's disclosed volumes (converted to monthly), and a dashed index of the price to reach a "
            "fixed capability falling at Epoch AI's central 40x a year, starting at Google's first value. Values in "
            "the CSV.",
            "analysis.chapters.scaling_laws:demand_figure",
        ),
        FigureSpec(
            "fig-jensen-inflation",
            "02_new_math_rules",
            "How much the marketed basis inflates each headline figure.",
            "Heat map with one row per NVIDIA product and one column per headline figure (FP4, FP8 and BF16 "
            "FLOPs and NVLink bandwidth, per package and per rack); each cell is labelled with the factor by which "
            "the marketed figure exceeds its dense, one-direction value, from 1 (already dense) to 2 (sparse or "
            "bidirectional). The values are in the figure's CSV.",
            "analysis.chapters.new_math_rules:inflation_figure",
        ),
        FigureSpec(
            "fig-jensen-per-gpu",
            "02_new_math_rules",
            "Dense FP4 compute per 'GPU' under three ways of counting a GPU.",
            "Line chart on a log scale, one line per way of counting a GPU (per package, per compute die, per "
            "'GPU' as marketed), showing dense FP4 PFLOP/s for each rack-scale product from GB200 NVL72 to "
            "Rubin Ultra NVL576; the lines part where a product's marketed count is its dies. Values in the CSV.",
            "analysis.chapters.new_math_rules:per_gpu_figure",
        ),
        FigureSpec(
            "fig-jensen-m4-ratios",
            "02_new_math_rules",
            "The keynote's 3.3x and 14x recomputed on several bases.",
            "Bar chart: ratio of Vera Rubin NVL144 and Rubin Ultra NVL576 to GB300 NVL72 on each basis "
            "(per rack, per package, per die, per kW), with the claimed multiple drawn as a rule.",
            "analysis.chapters.new_math_rules:m4_figure",
        ),
        FigureSpec(
            "fig-perf-parity",
            "90_performance_model",
            "The performance model out of sample: each point predicted by a refit that never saw its hardware.",
            "Three log-log scatter plots, predicted against measured, for time per output token, time to first "
            "token and output tokens per second per GPU; one point per serving-sweep measurement or MLPerf "
            "result, coloured by hardware and shaped by dataset, with dashed lines for equality and a factor "
            "of two either way. The values are in the figure's CSV.",
            "analysis.chapters.performance_model:parity_figure",
        ),
        FigureSpec(
            "fig-perf-pareto",
            "90_performance_model",
            "Modelled throughput-interactivity frontiers of DeepSeek-R1 by system, with 5-95% bands.",
            "Log-log line chart: output tokens per second per GPU against output tokens per second per user, "
            "one Pareto frontier per system (H200, B200, GB200 NVL72, GB300 NVL72 and Vera Rubin, the last "
            "a projection, dashed), each with a shaded band from the bootstrap refits widened by the "
            "held-out error.",
            "analysis.chapters.performance_model:pareto_figure",
        ),
        FigureSpec(
            "fig-dynamo-pareto",
            "04_dynamo",
            "Modelled throughput per MW against interactivity, Hopper to Rubin, aggregated and disaggregated.",
            "Two log-log line charts, one per model (DeepSeek-R1 and Llama-3.3-70B), of output tokens per second per "
            "megawatt against output tokens per second per user: one frontier per system (HGX H100, HGX B200, GB200 "
            "NVL72, GB300 NVL72 and Vera Rubin as a projection), solid for aggregated and dashed for disaggregated "
            "serving. Values in the CSV.",
            "analysis.chapters.dynamo:pareto_figure",
        ),
        FigureSpec(
            "fig-dynamo-d2-steps",
            "04_dynamo",
            "The GB200 NVL72 over HGX H100 multiple on DeepSeek-R1, step by step.",
            "Horizontal bars on a log scale of throughput per GPU relative to HGX H100 at one matched interactivity, "
            "for each step from Hopper to GB200 NVL72 with disaggregation (chip, FP4, the 72-GPU NVLink domain, "
            "disaggregation), each labelled with its own factor. Values in the CSV.",
            "analysis.chapters.dynamo:d2_figure",
        ),
        FigureSpec(
            "fig-dynamo-d3",
            "04_dynamo",
            "Disaggregated against aggregated serving of Llama-70B on one and two H100 nodes.",
            "Log-log line chart of output tokens per second per GPU against output tokens per second per user for "
            "Llama-70B FP8 at 3,000 input and 150 output tokens: four frontiers, aggregated and disaggregated on one "
            "and on two HGX H100 nodes. Values in the CSV.",
            "analysis.chapters.dynamo:d3_figure",
        ),
        FigureSpec(
            "fig-dynamo-routing",
            "04_dynamo",
            "Mean time to first token by router on the Mooncake conversation trace.",
            "Grouped bars, one panel per load factor (1, 1.5 and 2 times the trace's arrival rate): the simulated mean "
            "time to first token with random, round-robin, least-loaded and KV-aware routing over 16 workers. "
            "Values in the CSV.",
            "analysis.chapters.dynamo:routing_figure",
        ),
        FigureSpec(
            "fig-dynamo-map",
            "04_dynamo",
            "Where disaggregation helps: the gain by input and output length.",
            "Heat map with input tokens across and output tokens down, each cell labelled with the ratio of "
            "disaggregated to aggregated throughput per GPU at 50 tokens per second per user for Llama-70B FP8 on two "
            "HGX H100 nodes; cells above 1 are orange, below 1 blue. Values in the CSV.",
            "analysis.chapters.dynamo:map_figure",
        ),
        FigureSpec(
            "fig-cpo-waterfall",
            "05_cpo",
            "Where co-packaged optics saves power in a 400,000-GPU cluster.",
            "Waterfall chart in megawatts of IT power for a large GB300 NVL72 cluster: the total with three tiers of "
            "DSP pluggable optics, the drop from CPO on switch ports, the drop from removing a switch tier, and the "
            "total with two CPO tiers, with GPU power as the largest block. Values in the CSV.",
            "analysis.chapters.cpo:waterfall_figure",
        ),
        FigureSpec(
            "fig-cpo-tiers",
            "05_cpo",
            "Switch tiers needed against cluster size for each switch.",
            "Step lines on a log x axis of cluster size in GPUs: the switch tiers a non-blocking fat tree needs with "
            "each switch of the chapter (Quantum-2, Quantum-X Photonics, Spectrum-X Photonics as built and as one "
            "fabric); switches with more ports stay on fewer tiers to larger clusters. Values in the CSV.",
            "analysis.chapters.cpo:tiers_figure",
        ),
        FigureSpec(
            "fig-cpo-port-power",
            "05_cpo",
            "Watts per optical port end for DSP pluggable, LPO pluggable and CPO.",
            "Horizontal bars in two panels (800G and 1.6T ports): watts per optical port end for DSP pluggable, "
            "LPO pluggable and CPO optics, with whiskers over the sourced range; CPO is the shortest bar in both "
            "panels. Values in the CSV.",
            "analysis.chapters.cpo:port_power_figure",
        ),
        FigureSpec(
            "fig-cpo-tornado",
            "05_cpo",
            "Sensitivity of the CPO saving to its main inputs.",
            "Tornado chart in two panels: the facility megawatts saved by CPO and the share of total power saved, "
            "as each input (switch power per Tb/s, PUE, DSP and CPO watts per port, optical ends per GPU, GPU power) "
            "moves across its sourced range, widest bars on top. Values in the CSV.",
            "analysis.chapters.cpo:tornado_figure",
        ),
        FigureSpec(
            "fig-cpo-optics-share",
            "05_cpo",
            "Optics share of cluster power against cluster size.",
            "Step lines on a log x axis of cluster size: the share of IT power spent on optics for GB300 NVL72 "
            "clusters with DSP, LPO and CPO optics; each added switch tier steps the share up, and the CPO line is "
            "the lowest. Values in the CSV.",
            "analysis.chapters.cpo:optics_share_figure",
        ),
        FigureSpec(
            "fig-cost-per-token",
            "06_cost",
            "Cost per million output tokens against interactivity, by system.",
            "Log-log line chart: cost per million DeepSeek-R1 output tokens in US dollars against output tokens per second "
            "per user, one line per system from HGX H100 to Rubin Ultra NVL576, each with a shaded 90% Monte Carlo band; "
            "every line rises steeply where its system runs out of interactivity. Values in the CSV.",
            "analysis.chapters.cost_figures:per_token_figure",
        ),
        FigureSpec(
            "fig-cost-revenue",
            "06_cost",
            "Token revenue per MW of facility power a year, by system and interactivity.",
            "Log-log line chart: million US dollars of token revenue per megawatt a year against output tokens per second "
            "per user, one line per system with a shaded 90% band. Values in the CSV.",
            "analysis.chapters.cost_figures:revenue_figure",
        ),
        FigureSpec(
            "fig-cost-tornado",
            "06_cost",
            "Sensitivity of GB300 NVL72's cost per token to each input.",
            "Tornado chart: horizontal bars, one per input (throughput band, utilization, life, system price, cost of capital, "
            "facility capex, maintenance, network share, electricity, PUE), each spanning the cost per million tokens at the "
            "low and high end of its range around a dashed central value, widest on top. Values in the CSV.",
            "analysis.chapters.cost_figures:tornado_figure",
        ),
        FigureSpec(
            "fig-cost-waterfall",
            "06_cost",
            "Cost per token from Hopper to Rubin, one change at a time.",
            "Waterfall chart on a log scale: cost per million output tokens for HGX H100, then the change from software, "
            "from Hopper to Blackwell hardware, from FP8 to FP4, from Blackwell to Rubin and from pluggable optics to CPO, "
            "ending with the Rubin total. Values in the CSV.",
            "analysis.chapters.cost_figures:waterfall_figure",
        ),
        FigureSpec(
            "fig-cost-amd",
            "06_cost",
            "Cost per token of NVIDIA and AMD systems on MLPerf Inference v5.1 Llama-2-70B.",
            "Dot plot in two panels (Offline, Server): cost per million output tokens for each NVIDIA and AMD system, one "
            "dot with this report's TCO and its 90% interval and one with SemiAnalysis' hyperscaler TCO tier. Values in the CSV.",
            "analysis.chapters.cost_figures:amd_figure",
        ),
        FigureSpec(
            "fig-cost-sliders",
            "06_cost",
            "Cost per token by system, recomputed as the reader moves four sliders.",
            "Horizontal bar chart of cost per million output tokens for each system at the reference interactivity, each "
            "bar labelled with its value; four sliders below (electricity price, system price scale, utilization, hardware "
            "life) recompute the bars in the browser. Values at the central assumptions in the CSV.",
            "analysis.chapters.cost_figures:slider_figure",
        ),
        FigureSpec(
            "fig-cost-gpu-hour",
            "06_cost",
            "Cost per GPU-hour by component, against SemiAnalysis' published tiers.",
            "Stacked horizontal bars: cost per GPU-hour owned, split into system, network, data center, maintenance and "
            "power, for each system, with black marks at SemiAnalysis' hyperscaler TCO and 3-year rental price where "
            "published. Values in the CSV.",
            "analysis.chapters.cost_figures:gpu_hour_figure",
        ),
        FigureSpec(
            "fig-roadmap-timeline",
            "03_hardware_roadmap",
            "Growth per package along the flagship line, against Epoch AI's long-run trends.",
            "Log-scale line chart over availability year: dense FP8 and FP4 FLOP/s, HBM bandwidth and HBM capacity "
            "per package, each relative to the first flagship that has it, with dashed lines for Epoch AI's "
            "long-run doubling times. Values in the CSV.",
            "analysis.chapters.hardware_roadmap:timeline_figure",
        ),
        FigureSpec(
            "fig-roadmap-roofline",
            "03_hardware_roadmap",
            "FP8 rooflines per package, with decode and prefill intensities.",
            "Log-log roofline chart: attainable dense FP8 PFLOP/s against arithmetic intensity for H100 to Rubin Ultra, "
            "with dashed vertical lines at the intensity of decode (batch 1 to 256) and prefill (1k and 8k tokens) for "
            "a dense 70B model and a 671B-parameter MoE, one panel per model. Values in the CSV.",
            "analysis.chapters.hardware_roadmap:roofline_figure",
        ),
        FigureSpec(
            "fig-roadmap-ridge",
            "03_hardware_roadmap",
            "Ridge points by product and precision over time.",
            "Log-scale scatter over availability year of the ridge point (dense FLOP/s per HBM byte/s) for FP4, FP8 "
            "and BF16, with vertical bars spanning the conflicting sources. Values in the CSV.",
            "analysis.chapters.hardware_roadmap:ridge_figure",
        ),
        FigureSpec(
            "fig-roadmap-walls",
            "03_hardware_roadmap",
            "Rack power and dense FP4 per kW of rack power.",
            "Two bar panels by product: the rack (or HGX system) power in kW, and dense FP4 PFLOP/s per kW of that "
            "power. Values in the CSV.",
            "analysis.chapters.hardware_roadmap:walls_figure",
        ),
        FigureSpec(
            "fig-roadmap-h1",
            "03_hardware_roadmap",
            "Blackwell Ultra against Blackwell, per package, HGX and NVL72.",
            "Dot plot on a log scale: the ratio of B300 to B200 and of GB300 to GB200 per package for each quantity "
            "of the generation table, with whiskers over the sources and a dashed line at the claimed 1.5. "
            "Values in the CSV.",
            "analysis.chapters.hardware_roadmap:h1_figure",
        ),
    )
}


def figure_ids(chapter: str | None = None) -> list[str]:
    """Registered figure ids, optionally those of one chapter.

    Parameters
    ----------
    chapter : str, optional
        Book file without extension (``02_new_math_rules``); all chapters if omitted.

    Examples
    --------
    >>> all(f.startswith("fig-jensen-") for f in figure_ids("02_new_math_rules"))
    True
    """
    return [f for f, spec in FIGURES.items() if chapter is None or spec.chapter == chapter]


def get(fig_id: str) -> FigureSpec:
    """The registered figure ``fig_id``; the error lists the valid ids.

    Parameters
    ----------
    fig_id : str
        Registered figure id, ``fig-<chapter>-<slug>``.
    """
    try:
        return FIGURES[fig_id]
    except KeyError:
        raise KeyError(f"no figure {fig_id!r}; figures: {', '.join(FIGURES)}") from None


def themed(chart, width: int | None = 520, height: int | None = 300):
    """Apply the report's theme (font, sizes, colour-blind-safe palette).

    The configuration is written into the chart itself, not registered as a
    global Altair theme, so the exported specification is self-contained.
    Pass ``width=None, height=None`` for compound charts that size their parts.

    Parameters
    ----------
    chart : altair.TopLevelMixin
        The chart.
    width : int or None, optional
        Width of a single view [px]; None leaves compound charts alone.
    height : int or None, optional
        Height of a single view [px]; None leaves compound charts alone.
    """
    if width is not None and height is not None:
        chart = chart.properties(width=width, height=height)
    return (
        chart.configure(font=FONT, background="white", padding=8)
        .configure_range(category=list(PALETTE))
        .configure_axis(labelFontSize=12, titleFontSize=13, gridColor="#e6e6e6")
        .configure_legend(labelFontSize=12, titleFontSize=12, orient="bottom", columns=2)
        .configure_title(fontSize=15, anchor="start")
        .configure_view(stroke=None)
    )


def vega_lite_spec(chart) -> dict:
    """The chart as a Vega-Lite dictionary (with its data inlined).

    Parameters
    ----------
    chart : altair.TopLevelMixin
        The chart.
    """
    return chart.to_dict()


def spec_sources(specs: pd.DataFrame, spec_ids=None, product_ids=None, metrics=None) -> pd.DataFrame:
    """Provenance rows of the hardware specs behind a figure.

    Parameters
    ----------
    specs : pandas.DataFrame
        ``data.load("hardware_specs")``.
    spec_ids : iterable of str, optional
        Exactly these rows (any basis, preferred or not).
    product_ids, metrics : iterable of str, optional
        Otherwise: the preferred rows of these products and metrics (all if omitted).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SOURCE_COLUMNS`, for :func:`source_line`.
    """
    if spec_ids is not None:
        return specs[specs["spec_id"].isin(set(spec_ids))][SOURCE_COLUMNS]
    rows = specs[specs["preferred"].astype(bool)]
    if product_ids is not None:
        rows = rows[rows["product_id"].isin(set(product_ids))]
    if metrics is not None:
        rows = rows[rows["metric"].isin(set(metrics))]
    return rows[SOURCE_COLUMNS]


def source_line(sources: pd.DataFrame) -> str:
    """A "Source:" line from the provenance of the plotted values.

    Publishers are the text before the first colon of ``source_title``; each is
    listed once with the span of its publication dates.

    Parameters
    ----------
    sources : pandas.DataFrame
        Columns :data:`SOURCE_COLUMNS`.

    Returns
    -------
    str
        E.g. ``"Source: NVIDIA (2022-2025); SemiAnalysis (2025-03-19). Accessed 2026-11-26."``

    Examples
    --------
    >>> s = pd.DataFrame({"source_title": ["NVIDIA: H100 datasheet", "NVIDIA: GB200 NVL72", "SemiAnalysis: GTC 2025"],
    ...                   "source_url": ["https://a", "https://b", "https://c"],
    ...                   "source_date": ["2022", "2025-03", "2025-03-19"], "accessed": ["2026-11-26"] * 3})
    >>> source_line(s)
    'Source: NVIDIA (2022 to 2025-03); SemiAnalysis (2025-03-19). Accessed 2026-11-26. Analysis: this report.'
    """
    frame = sources.drop_duplicates(subset=SOURCE_COLUMNS).copy()
    frame["publisher"] = frame["source_title"].str.split(":", n=1).str[0].str.strip()
    parts = []
    for publisher, group in frame.groupby("publisher", sort=True):
        dates = sorted(group["source_date"].astype(str))
        span = dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}"
        parts.append(f"{publisher} ({span})")
    accessed = sorted(frame["accessed"].astype(str).unique())
    when = accessed[0] if len(accessed) == 1 else f"{accessed[0]} to {accessed[-1]}"
    return f"Source: {'; '.join(parts)}. Accessed {when}. Analysis: this report."


def stable_svg_ids(svg: str) -> str:
    """Renumber Vega's generated SVG ids (``gradient_7``, ``clip3``) in order of appearance.

    Vega numbers gradients and clip paths with a counter that lives as long as
    the JavaScript engine, so the second chart exported in a process would
    otherwise differ from the same chart exported first.

    Parameters
    ----------
    svg : str
        SVG text as vl-convert writes it.

    Examples
    --------
    >>> stable_svg_ids('<linearGradient id="gradient_4"/><path fill="url(#gradient_4)"/>')
    '<linearGradient id="gradient_0"/><path fill="url(#gradient_0)"/>'
    """
    mapping: dict[str, str] = {}

    def rename(match: re.Match) -> str:
        old = match.group(0)
        if old not in mapping:
            prefix = match.group(1)
            mapping[old] = f"{prefix}{sum(k.startswith(prefix) for k in mapping)}"
        return mapping[old]

    return re.sub(r"\b(gradient_|clip|pattern_)\d+\b", rename, svg)


def export(fig_id: str, out_dir: Path) -> list[Path]:
    """Write a figure's SVG, PNG, CSV and Vega-Lite JSON into ``out_dir``.

    Parameters
    ----------
    fig_id : str
        Registered figure id.
    out_dir : pathlib.Path
        Folder to write into (created if missing).

    Returns
    -------
    list of pathlib.Path
        The four files, in :data:`FORMATS` order.
    """
    import vl_convert

    figure = get(fig_id).build()
    spec = vega_lite_spec(figure.chart)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    payloads = {
        ".svg": stable_svg_ids(vl_convert.vegalite_to_svg(spec)).encode("utf-8"),
        ".png": vl_convert.vegalite_to_png(spec, scale=2),
        ".csv": figure.table.to_csv(index=False, lineterminator="\n").encode("utf-8"),
        ".vl.json": (json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8"),
    }
    paths = []
    for suffix, _label in FORMATS:
        path = out_dir / f"{fig_id}{suffix}"
        path.write_bytes(payloads[suffix])
        paths.append(path)
    return paths


def export_all(out_dir: Path) -> list[Path]:
    """Export every registered figure; returns all files written.

    Parameters
    ----------
    out_dir : pathlib.Path
        Folder to write into (created if missing).
    """
    return [path for fig_id in FIGURES for path in export(fig_id, out_dir)]


@dataclass(frozen=True)
class FigureDisplay:
    """A figure as the book shows it: the offline interactive chart plus downloads.

    Its HTML calls ``vegaEmbed``, which the site serves from its own static
    files (no CDN); in Jupyter without that bundle the text/plain form shows.
    """

    fig_id: str
    spec_json: str
    alt: str

    def _repr_mimebundle_(self, include=None, exclude=None):
        div_id = f"vega-{self.fig_id}"
        links = " · ".join(
            f'<a href="{DOWNLOAD_BASE}{self.fig_id}{suffix}" download>{label}</a>' for suffix, label in FORMATS
        )
        markup = (
            f'<figure class="gtc-figure" id="gtc-{self.fig_id}">'
            f'<div class="vega-chart" id="{div_id}" role="img" aria-label="{html.escape(self.alt)}"></div>'
            f'<script type="text/javascript">(function(){{var spec={self.spec_json};'
            f'vegaEmbed("#{div_id}", spec, {{"actions": false, "renderer": "svg"}})'
            f".catch(function(e){{console.error(e);}});}})();</script>"
            f'<p class="gtc-figure-downloads">Download ({self.fig_id}): {links}</p></figure>'
        )
        return {"text/html": markup, "text/plain": f"<figure {self.fig_id}: {get(self.fig_id).title}>"}


def display(fig_id: str) -> FigureDisplay:
    """Build a registered figure for display in a notebook or the book.

    Parameters
    ----------
    fig_id : str
        Registered figure id, ``fig-<chapter>-<slug>``.
    """
    spec = get(fig_id)
    return _display(spec, spec.build())


def _display(spec: FigureSpec, figure: FigureData) -> FigureDisplay:
    # '</' must not appear inside an inline <script>
    spec_json = json.dumps(vega_lite_spec(figure.chart), sort_keys=True).replace("</", "<\\/")
    return FigureDisplay(spec.fig_id, spec_json, spec.alt)


def glue_figure(fig_id: str) -> None:
    """Glue a figure and its source line for the book.

    In the chapter's Markdown, ``{glue:figure} <fig_id>`` shows the chart and
    ``{glue:md}`<fig_id>-source``` its source line, built from the provenance of
    the plotted data.

    Parameters
    ----------
    fig_id : str
        Registered figure id, ``fig-<chapter>-<slug>``.
    """
    from IPython.display import Markdown
    from myst_nb import glue

    spec = get(fig_id)
    figure = spec.build()
    glue(fig_id, _display(spec, figure), display=False)
    glue(f"{fig_id}-source", Markdown(source_line(figure.sources)), display=False)


def index() -> pd.DataFrame:
    """The figure index: id, chapter, title and the four file names of each figure.

    Examples
    --------
    >>> index().columns.tolist()
    ['fig_id', 'chapter', 'title', 'files']
    """
    return pd.DataFrame(
        [
            {
                "fig_id": spec.fig_id,
                "chapter": spec.chapter,
                "title": spec.title,
                "files": ", ".join(f"{spec.fig_id}{suffix}" for suffix, _ in FORMATS),
            }
            for spec in FIGURES.values()
        ]
    )
