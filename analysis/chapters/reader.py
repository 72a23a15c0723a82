"""The reader's pages: the executive summary's scorecard, the figure gallery with citations,
the data catalog, the glossary and the reproducibility page.

These pages settle no claim of their own; they present the registries
(:data:`analysis.claims.CHECKS` through the ledger, :data:`analysis.figures.FIGURES`,
``data/datapackage.json`` through :mod:`analysis.catalog`) so that they cannot
drift from the chapters.  Every function returns a table or an HTML string;
the HTML uses the classes of ``book/_static/reader.css``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import build_info, catalog, claims, figures

#: The repository root and the book's folder.
ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"

#: Where the built site keeps the figure files and downloads, relative to a page in ``book/``.
FIGURE_BASE = figures.DOWNLOAD_BASE
DOWNLOAD_BASE = "../downloads/"

#: File name of the whole report as one PDF in the built site (``make pdf``).
PDF_NAME = "gtc2025-inference-claims.pdf"

#: Longest "one-line reason" of the scorecard. [characters]
REASON_CHARS = 220

#: Figures shown on the executive summary, one per chapter (ids of :data:`analysis.figures.FIGURES`).
KEY_FIGURES = (
    "fig-scaling-flops-ratio",
    "fig-jensen-inflation",
    "fig-roadmap-timeline",
    "fig-dynamo-pareto",
    "fig-cpo-waterfall",
    "fig-cost-per-token",
    "fig-perf-parity",
)

#: Packages whose versions change what the report shows (all pinned in requirements.txt).
KEY_PACKAGES = (
    "numpy", "pandas", "scipy", "altair", "vl-convert-python", "frictionless",
    "jupyter-book", "Sphinx", "myst-nb", "sphinxcontrib-bibtex", "playwright",
)  # fmt: skip


# ---- pages and chapters ---------------------------------------------------------------
def page_title(docname: str) -> str:
    """The first ``# `` heading of a book page.

    Parameters
    ----------
    docname : str
        File name in ``book/`` without extension (``05_cpo``).

    Examples
    --------
    >>> page_title("02_new_math_rules")
    'New math rules ("Jensen math")'
    """
    for line in (BOOK / f"{docname}.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise ValueError(f"book/{docname}.md has no '# ' title")


def chapter_page(chapter: str) -> str:
    """The book page of a chapter id of ``data/claims.csv``: the file ``NN_<chapter>.md``.

    Parameters
    ----------
    chapter : str
        Chapter id (``cpo``, ``scaling_laws``, ...).

    Examples
    --------
    >>> chapter_page("cpo")
    '05_cpo'
    """
    pages = [p.stem for p in sorted(BOOK.glob("[0-9][0-9]_*.md")) if re.sub(r"^\d+_", "", p.stem) == chapter]
    if len(pages) != 1:
        raise KeyError(f"chapter {chapter!r}: {len(pages)} pages book/NN_{chapter}.md")
    return pages[0]


# ---- scorecard ------------------------------------------------------------------------
def one_line(summary: str, limit: int = REASON_CHARS) -> str:
    """The first sentence of a verdict's summary, cut at a clause if longer than ``limit``.

    Parameters
    ----------
    summary : str
        The verdict's summary (:attr:`analysis.claims.ClaimResult.summary`).
    limit : int, optional
        Longest result. [characters]

    Examples
    --------
    >>> one_line("Ratio 3.3x. The rest follows.")
    'Ratio 3.3x.'
    >>> one_line("First clause is long; second clause. Next.", limit=25)
    'First clause is long; …'
    """
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9'\"(])", summary.strip(), maxsplit=1)[0]
    if len(first) <= limit:
        return first
    cut = max(first.rfind("; ", 0, limit), first.rfind(", ", 0, limit))
    cut = cut if cut > 0 else first.rfind(" ", 0, limit)
    return first[: cut + 1].rstrip() + " …"


def scorecard(records: list[dict] | None = None) -> pd.DataFrame:
    """One row per claim of ``data/claims.csv``: verdict, one-line reason, lead evidence, link.

    Parameters
    ----------
    records : list of dict, optional
        :func:`analysis.claims.ledger_records` (computed if omitted: every verdict, about a minute).

    Returns
    -------
    pandas.DataFrame
        ``claim_id, chapter, page, claim, verdict, reason, evidence, link`` in
        ``claims.csv`` order; ``link`` is the chapter's Verdicts section
        relative to a page in ``book/``; a pending claim's verdict is its status.
    """
    records = claims.ledger_records() if records is None else records
    rows = []
    for r in records:
        page = chapter_page(r["chapter"])
        lead = r["evidence"][0] if r["evidence"] else None
        rows.append(
            {
                "claim_id": r["claim_id"],
                "chapter": r["chapter"],
                "page": page,
                "claim": r["claim"],
                "verdict": r["verdict"] or r["status"],
                "reason": one_line(r["summary"]),
                "evidence": str(claims.Evidence(**lead)) if lead else "",
                "link": f"{page}.html#verdicts",
            }
        )
    return pd.DataFrame(rows)


def verdict_counts(card: pd.DataFrame) -> pd.Series:
    """How many claims got each verdict, in the order of the verdict scale (zeros kept).

    Parameters
    ----------
    card : pandas.DataFrame
        :func:`scorecard`.

    Returns
    -------
    pandas.Series
        Verdict -> claims [count]; a last entry for pending claims if there are any.

    Examples
    --------
    >>> card = pd.DataFrame({"verdict": ["supported", "contradicted", "supported"]})
    >>> verdict_counts(card).to_dict()["supported"], int(verdict_counts(card).sum())
    (2, 3)
    """
    scale = [v.value for v in claims.Verdict]
    counts = card["verdict"].value_counts()
    out = pd.Series({v: int(counts.get(v, 0)) for v in scale}, dtype="int64")
    pending = int(len(card) - out.sum())
    if pending:
        out[claims.PENDING] = pending
    return out


def verdict_slug(verdict: str) -> str:
    """A verdict as an identifier (glue names, CSS classes).

    Examples
    --------
    >>> verdict_slug("not testable with public data")
    'not_testable_with_public_data'
    """
    return re.sub(r"[^a-z0-9]+", "_", verdict.lower()).strip("_")


def verdict_class(verdict: str) -> str:
    """CSS class of a verdict badge.

    Examples
    --------
    >>> verdict_class("supported only on a normalized basis")
    'gtc-verdict gtc-verdict-supported_only_on_a_normalized_basis'
    """
    return "gtc-verdict gtc-verdict-" + verdict_slug(verdict)


def scorecard_html(card: pd.DataFrame) -> str:
    """The scorecard as an HTML table (one row per claim, each linking to its evidence).

    Parameters
    ----------
    card : pandas.DataFrame
        :func:`scorecard`.
    """
    e = html.escape
    rows = "".join(
        f'<tr id="scorecard-{e(r.claim_id)}"><th scope="row">{e(r.claim_id)}</th>'
        f"<td>{e(r.claim)}</td>"
        f'<td><span class="{verdict_class(r.verdict)}">{e(r.verdict)}</span></td>'
        f"<td>{e(r.reason)}"
        + (f'<br><span class="gtc-evidence">{e(r.evidence)}</span>' if r.evidence else "")
        + f'</td><td><a href="{e(r.link)}">{e(page_title(r.page))}</a></td></tr>'
        for r in card.itertuples(index=False)
    )
    return (
        '<div class="gtc-table-scroll"><table class="gtc-scorecard">'
        "<caption>Every claim with its computed verdict, the reason in one line, the lead number "
        "and the chapter where the evidence is.</caption>"
        '<thead><tr><th scope="col">Id</th><th scope="col">Claim</th><th scope="col">Verdict</th>'
        '<th scope="col">Why (lead number)</th><th scope="col">Evidence in</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )


# ---- figures --------------------------------------------------------------------------
def figure_link(fig_id: str) -> str:
    """Link to a figure in its chapter, relative to a page in ``book/``.

    Examples
    --------
    >>> figure_link("fig-cpo-tiers")
    '05_cpo.html#fig-cpo-tiers'
    """
    return f"{figures.get(fig_id).chapter}.html#{fig_id}"


def thumbnail_html(fig_id: str) -> str:
    """A figure's PNG, with its alt text, linking to the figure in its chapter.

    Parameters
    ----------
    fig_id : str
        Registered figure id.
    """
    spec = figures.get(fig_id)
    return (
        f'<a class="gtc-thumb" href="{html.escape(figure_link(fig_id))}">'
        f'<img src="{FIGURE_BASE}{fig_id}.png" alt="{html.escape(spec.alt)}" loading="lazy"></a>'
    )


def key_figures_html(fig_ids=KEY_FIGURES) -> str:
    """The summary's grid of key figures: thumbnail, title and chapter of each.

    Parameters
    ----------
    fig_ids : sequence of str, optional
        Registered figure ids.
    """
    cards = "".join(
        f'<figure class="gtc-key-figure" id="key-{f}">{thumbnail_html(f)}'
        f"<figcaption><strong>{html.escape(figures.get(f).title)}</strong> "
        f"({html.escape(page_title(figures.get(f).chapter))}, <code>{f}</code>)</figcaption></figure>"
        for f in fig_ids
    )
    return f'<div class="gtc-key-figures">{cards}</div>'


def bibtex_escape(text: str) -> str:
    """Text safe inside a BibTeX field in braces.

    Examples
    --------
    >>> bibtex_escape("Cost & 90% of {x}")
    'Cost \\\\& 90\\\\% of \\\\{x\\\\}'
    """
    return re.sub(r"([&%$#_{}])", r"\\\1", text)


@dataclass(frozen=True)
class FigureCitation:
    """How to cite one figure: plain text and BibTeX."""

    fig_id: str
    plain: str
    bibtex: str


def figure_citation(fig_id: str, info: build_info.BuildInfo, cff: dict | None = None) -> FigureCitation:
    """The citation of a figure: id, title, report title, version, commit and commit date.

    Parameters
    ----------
    fig_id : str
        Registered figure id.
    info : analysis.build_info.BuildInfo
        The build (version, commit, date).
    cff : dict, optional
        ``CITATION.cff`` (:func:`analysis.build_info.citation`; read if omitted).

    Examples
    --------
    >>> info = build_info.BuildInfo("0.1.0", "0a1b2a4429da7ea1aeb5a6052577ac38b3bdbc2e", "2026-12-03")
    >>> c = figure_citation("fig-cpo-tiers", info)
    >>> "fig-cpo-tiers" in c.plain and "0a1b2a4429da" in c.plain and "2026-12-03" in c.plain
    True
    >>> c.bibtex.splitlines()[0]
    '@misc{gtc2025-fig-cpo-tiers,'
    """
    cff = build_info.citation() if cff is None else cff
    spec = figures.get(fig_id)
    authors = " and ".join(a.get("name") or f"{a.get('family-names', '')}, {a.get('given-names', '')}"
                           for a in cff["authors"])
    title = spec.title.rstrip(".")
    commit = info.commit + (" (with uncommitted changes)" if info.dirty else "")
    short = info.short_commit + (" with uncommitted changes" if info.dirty else "")
    plain = (
        f"{authors} ({info.year}). {title} [figure {fig_id}]. In: {cff['title']}, version {info.version}, "
        f"commit {short}, {info.date}."
    )
    fields = [
        ("author", "{" + bibtex_escape(authors) + "}"),
        ("title", f"{bibtex_escape(title)} [figure {fig_id}]"),
        ("howpublished", f"{bibtex_escape(cff['title'])}, version {info.version}"),
        ("year", info.year),
        ("note", f"Figure {fig_id}; commit {commit}; dated {info.date}"),
    ]
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
    return FigureCitation(fig_id, plain, f"@misc{{gtc2025-{fig_id},\n{body}\n}}")


def gallery_item_html(fig_id: str, info: build_info.BuildInfo, cff: dict | None = None) -> str:
    """One figure of the gallery: thumbnail, caption, chapter, four downloads and its citation.

    Parameters
    ----------
    fig_id : str
        Registered figure id.
    info : analysis.build_info.BuildInfo
        The build (for the citation).
    cff : dict, optional
        ``CITATION.cff``; read if omitted.
    """
    e = html.escape
    spec = figures.get(fig_id)
    cite = figure_citation(fig_id, info, cff)
    downloads = " · ".join(
        f'<a href="{FIGURE_BASE}{fig_id}{suffix}" download>{label}</a>' for suffix, label in figures.FORMATS
    )
    return (
        f'<section class="gtc-gallery-item" id="gallery-{fig_id}">{thumbnail_html(fig_id)}'
        f'<div class="gtc-gallery-text"><p class="gtc-gallery-caption"><strong>{e(spec.title)}</strong></p>'
        f'<p>Figure <code>{fig_id}</code> in <a href="{e(figure_link(fig_id))}">{e(page_title(spec.chapter))}</a>.</p>'
        f'<p class="gtc-figure-downloads">Download: {downloads}</p>'
        f'<details class="gtc-cite"><summary>Cite this figure</summary>'
        f'<p class="gtc-cite-plain">{e(cite.plain)}</p>'
        f'<div class="highlight"><pre>{e(cite.bibtex)}</pre></div></details></div></section>'
    )


def gallery_html(info: build_info.BuildInfo, fig_ids=None) -> str:
    """Every registered figure, grouped by chapter in book order.

    Parameters
    ----------
    info : analysis.build_info.BuildInfo
        The build (for the citations).
    fig_ids : iterable of str, optional
        Only these figures; all of :data:`analysis.figures.FIGURES` if omitted.
    """
    cff = build_info.citation()
    wanted = list(figures.FIGURES) if fig_ids is None else list(fig_ids)
    chapters = sorted({figures.get(f).chapter for f in wanted})
    parts = []
    for chapter in chapters:
        items = "".join(gallery_item_html(f, info, cff) for f in wanted if figures.get(f).chapter == chapter)
        parts.append(f'<h2 class="gtc-gallery-chapter">{html.escape(page_title(chapter))}</h2>'
                     f'<div class="gtc-gallery">{items}</div>')
    return "".join(parts)


# ---- data catalog ---------------------------------------------------------------------
def catalog_html(data_dir: Path | None = None) -> str:
    """Every table of the data package: title, file, rows, columns with units, sources.

    Parameters
    ----------
    data_dir : pathlib.Path, optional
        Folder of the data package; default :data:`analysis.data.DATA_DIR`.
    """
    e = html.escape
    parts = []
    for t in catalog.tables(data_dir).itertuples(index=False):
        cols = catalog.columns(t.table, data_dir)
        col_rows = "".join(
            f"<tr><td><code>{e(c.column)}</code></td><td>{e(c.type)}</td><td>{e(c.unit)}</td>"
            f"<td>{e(c.allowed)}</td><td>{e(c.description)}</td></tr>"
            for c in cols.itertuples(index=False)
        )
        sources = catalog.table_sources(t.table, data_dir)
        src = "".join(
            f'<li><a href="{e(s.source_url)}">{e(s.source_title)}</a> ({s.rows:,} rows)</li>'
            if s.source_url.startswith(("http://", "https://"))
            else f"<li>{e(s.source_title)} ({e(s.source_url)}; {s.rows:,} rows)</li>"
            for s in sources.itertuples(index=False)
        )
        parts.append(
            f'<details class="gtc-catalog-table" id="table-{e(t.table)}"><summary><code>{e(t.table)}</code>: '
            f"{e(t.title)} ({t.rows:,} rows, {t.columns} columns)</summary>"
            f"<p>{e(t.description)}</p><p>File <code>{e(t.file)}</code>.</p>"
            '<div class="gtc-table-scroll"><table class="gtc-columns"><thead><tr><th>Column</th><th>Type</th>'
            f"<th>Unit</th><th>Allowed</th><th>Meaning</th></tr></thead><tbody>{col_rows}</tbody></table></div>"
            + (f"<p>Sources ({len(sources)}):</p><ul>{src}</ul>" if len(sources) else "<p>No source column: "
               "the table is derived (see its description).</p>")
            + "</details>"
        )
    return "".join(parts)


def catalog_overview(data_dir: Path | None = None) -> pd.DataFrame:
    """The catalog's overview table: name, title, rows, columns and sources of each table.

    Parameters
    ----------
    data_dir : pathlib.Path, optional
        Folder of the data package; default :data:`analysis.data.DATA_DIR`.
    """
    return catalog.tables(data_dir)[["table", "title", "rows", "columns", "sources"]]


# ---- glossary -------------------------------------------------------------------------
@dataclass(frozen=True)
class Term:
    """A glossary entry.

    Attributes
    ----------
    term : str
        The term as the book writes it.
    definition : str
        What it means in this report.
    pattern : str
        Regular expression (case-sensitive) that finds the term in the book's pages.
    """

    term: str
    definition: str
    pattern: str


GLOSSARY = (
    Term("Dense and sparse FLOPs (FP4, FP8)",
         "A sparse figure assumes 2:4 structured sparsity (two of every four weights are zero and skipped), "
         "which doubles the quoted rate; a dense figure counts every multiply-add. The report compares dense "
         "figures.", r"\bdense\b.*\bsparse\b|\bsparse\b.*\bdense\b"),
    Term("FP4, FP8, BF16",
         "Number formats of 4, 8 and 16 bits. Fewer bits give more operations per second and less memory per "
         "weight, at some cost in accuracy; rates are only comparable at one format.", r"\bFP4\b"),
    Term("Package and die",
         "A GPU package is what sits in one socket; from Blackwell on a package holds more than one compute "
         "die. Which of the two a 'GPU' is decides per-GPU figures (Jensen math rule 3).",
         r"\bdies\b"),
    Term("NVL72, NVL144, NVL576",
         "Rack names: the number is the GPUs in one NVLink domain as marketed, packages for the Blackwell "
         "racks (NVL72) and dies for the Rubin racks (NVL144, NVL576).", r"NVL72"),
    Term("NVLink, scale-up and scale-out",
         "NVLink joins the GPUs of one domain (scale-up) with memory-semantic links; NVIDIA quotes its "
         "bandwidth with both directions summed. The scale-out network (InfiniBand or Ethernet) joins domains.",
         r"\bNVLink\b"),
    Term("HGX",
         "NVIDIA's server board of GPUs joined by NVLink (HGX H100, HGX B200), the unit the rack-scale "
         "systems are compared with.",
         r"\bHGX\b"),
    Term("TTFT (time to first token)",
         "Time from a request's arrival to its first output token: queueing plus prefill.", r"\bTTFT\b"),
    Term("TPOT (time per output token) and ITL",
         "ITL (inter-token latency) is the time between two output tokens of one request; TPOT is a "
         "request's mean ITL.", r"\bTPOT\b"),
    Term("Interactivity",
         "Output tokens per second per user, 1 / TPOT: how fast one user sees text appear.",
         r"[Ii]nteractivity"),
    Term("Throughput per GPU (or per MW)",
         "Output tokens per second summed over all users, divided by the GPUs (or megawatts) serving them.",
         r"tokens/s per GPU|tokens per second per GPU"),
    Term("Pareto frontier",
         "The best throughput reachable at each interactivity, over all serving configurations; "
         "a point below it is beaten on both axes by another configuration.", r"Pareto"),
    Term("Prefill and decode",
         "The two phases of serving a request: prefill processes the prompt in one pass (compute-bound), "
         "decode generates one token per step (memory-bound at small batch).", r"\bprefill\b"),
    Term("KV cache",
         "The attention keys and values of the tokens seen so far, kept in GPU memory so decode does not "
         "recompute them.", r"KV cache|\bKV\b"),
    Term("Disaggregated serving",
         "Prefill and decode on separate GPU pools, the KV cache moved between them; aggregated serving "
         "runs both on the same GPUs.", r"[Dd]isaggregat"),
    Term("KV-aware routing",
         "Sending a request to the worker that already holds the longest prefix of its KV cache.",
         r"KV-aware"),
    Term("Goodput",
         "Requests per second per GPU that meet both a TTFT and a TPOT target.", r"[Gg]oodput"),
    Term("Dynamo",
         "NVIDIA's open-source inference-serving framework announced at GTC 2025 (router, disaggregation, "
         "planner, KV transfer).", r"\bDynamo\b"),
    Term("Roofline, arithmetic intensity, ridge point",
         "Attainable FLOP/s is the lesser of peak compute and memory bandwidth times arithmetic intensity "
         "(FLOPs per byte moved); the ridge point is the intensity where the two meet.", r"[Rr]oofline"),
    Term("Mixture of experts (MoE), active parameters",
         "A model whose layers route each token to a few expert sub-networks; the active parameters are "
         "those one token uses (DeepSeek-R1 activates a small share of its total).", r"\bMoE\b"),
    Term("Test-time compute",
         "Compute spent while answering (longer reasoning, more samples) rather than in training.",
         r"[Tt]est-time"),
    Term("Compute-optimal (Chinchilla)",
         "The split of a training budget between parameters and tokens that minimises loss under a fitted "
         "scaling law (Hoffmann et al. 2022).", r"Chinchilla"),
    Term("CPO (co-packaged optics)",
         "Optical engines on the switch package, fed by external lasers, instead of pluggable transceivers.",
         r"\bCPO\b"),
    Term("DSP and LPO pluggables",
         "Pluggable transceivers with a signal processor (DSP) that retimes the electrical signal, or "
         "linear-drive ones (LPO) without it.", r"\bLPO\b"),
    Term("Fat tree, tiers and radix",
         "A non-blocking switched network of several tiers; a switch's radix (its ports) sets how many GPUs "
         "each number of tiers reaches.", r"\bradix\b"),
    Term("PUE (power usage effectiveness)",
         "Facility power divided by IT power: cooling and conversion overhead.", r"\bPUE\b"),
    Term("TCO (total cost of ownership)",
         "Capital (systems, network, data center) spread over the hardware's life at a cost of capital, plus "
         "power and maintenance; the cost chapter divides it by tokens served.", r"\bTCO\b"),
    Term("MLPerf Inference (Offline, Server)",
         "MLCommons' benchmark: Offline measures throughput with all queries at once, Server with queries "
         "arriving at random under a latency bound.", r"MLPerf"),
    Term("Jevons paradox",
         "Cheaper use of a resource raising total spending on it, when demand is elastic enough.",
         r"Jevons"),
)


def glossary() -> pd.DataFrame:
    """The glossary as a table (``term, definition``), in :data:`GLOSSARY` order."""
    return pd.DataFrame([{"term": t.term, "definition": t.definition} for t in GLOSSARY])


def term_pages(term: Term, pages=None) -> list[str]:
    """The book pages (other than the data page, which holds the glossary) that use a term.

    Parameters
    ----------
    term : Term
        A glossary entry.
    pages : iterable of pathlib.Path, optional
        Pages to search; every ``book/*.md`` but ``99_data_and_sources.md`` if omitted.
    """
    pages = [p for p in sorted(BOOK.glob("*.md")) if p.stem != "99_data_and_sources"] if pages is None else pages
    return [p.stem for p in pages if re.search(term.pattern, p.read_text(encoding="utf-8"))]


# ---- reproducibility ------------------------------------------------------------------
def pinned_versions(requirements: Path = ROOT / "requirements.txt", packages=KEY_PACKAGES) -> pd.DataFrame:
    """The pinned version of each key package (``name==version`` lines of requirements.txt).

    Parameters
    ----------
    requirements : pathlib.Path, optional
        The requirements file.
    packages : sequence of str, optional
        Packages to list, in this order.

    Returns
    -------
    pandas.DataFrame
        ``package, version``.

    Raises
    ------
    KeyError
        If a package is not pinned with ``==``.
    """
    pins = dict(
        line.split("==", 1)
        for line in requirements.read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.lstrip().startswith("#")
    )
    pins = {re.sub(r"[-_.]+", "-", k.strip().lower()): v.strip() for k, v in pins.items()}
    rows = []
    for name in packages:
        key = re.sub(r"[-_.]+", "-", name.lower())
        if key not in pins:
            raise KeyError(f"{name} is not pinned with == in {requirements.name}")
        rows.append({"package": name, "version": pins[key]})
    return pd.DataFrame(rows)


def pin_count(requirements: Path = ROOT / "requirements.txt") -> int:
    """How many packages requirements.txt pins with ``==``. [count]

    Parameters
    ----------
    requirements : pathlib.Path, optional
        The requirements file.
    """
    lines = requirements.read_text(encoding="utf-8").splitlines()
    return sum(1 for line in lines if "==" in line and not line.lstrip().startswith("#"))


def python_requirement(root: Path = ROOT) -> str:
    """The Python versions the package supports (``requires-python`` of pyproject.toml).

    Parameters
    ----------
    root : pathlib.Path, optional
        Repository root.

    Examples
    --------
    >>> python_requirement()
    '>=3.11,<3.12'
    """
    import tomllib

    with open(Path(root) / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["requires-python"]
