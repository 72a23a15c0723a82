"""Browser test of the built site (marker ``site``; run after the book build).

``make test-site`` / ``python -m pytest -m "site and not pdf" tests/test_site.py``; the PDF's test
(marker ``pdf``) runs with ``make test-pdf``, after ``make pdf``.

* Serves ``_build/html`` on 127.0.0.1 (random free port, http.server in a thread).
* Opens the intro and every chapter listed in ``_toc.yml`` in headless Debian
  chromium driven by Playwright (``executable_path``; Playwright's own browser
  download is not used), waits until every ``.vega-chart`` holds a rendered
  ``svg.marks`` or ``canvas``, and checks: rendered charts == chart divs, > 0 on
  chapters whose source calls ``show(``; no console errors, no page errors; every
  request stays on 127.0.0.1/localhost (others are aborted and fail the test);
  every figure download link resolves to a file in the site.
* Statically: no built page loads a script or stylesheet from the internet, and
  the local Vega bundle is a plain (not async/deferred) script in ``<head>``.

A missing ``_build/html`` fails (never skips): build first with ``make book``.
"""
from __future__ import annotations

import functools
import html.parser
import http.server
import os
import re
import threading
import urllib.parse
from pathlib import Path

import pytest

from analysis.build_info import toc_docnames

pytestmark = pytest.mark.site

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
BUNDLE = "_static/vendor/vega-bundle.js"
RENDER_TIMEOUT_MS = 30_000


# ---- pages ----------------------------------------------------------------------
DOCNAMES = toc_docnames()


def _require_build() -> None:
    if not (HTML / "index.html").is_file():
        pytest.fail(
            f"{HTML} has no built site: run the build first (`make book`, or "
            "`.venv/bin/jupyter-book build .`) before `pytest -m site`.",
            pytrace=False,
        )


def expected_min_charts(docname: str) -> int:
    """Figures the chapter's source shows: ``{glue:figure}``/``{glue}`` directives
    of a ``fig-...`` id, plus ``show(``/``figures.display(`` calls in code cells."""
    src = ROOT / f"{docname}.md"
    if not src.is_file():
        return 0
    text = src.read_text(encoding="utf-8")
    glued = re.findall(r"\{glue(?::figure|:any)?\}`?\s*fig-[\w-]+", text)
    cells = re.findall(r"^```\{code-cell\}[^\n]*\n(.*?)^```", text, flags=re.S | re.M)
    shown = sum(len(re.findall(r"(?<![\w.])(?:figures\.)?show\(|\bfigures\.display\(", c)) for c in cells)
    return len(glued) + shown


# ---- static checks ------------------------------------------------------------------
class _AssetParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.external: list[str] = []
        self.head_scripts: list[dict] = []
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "head":
            self._in_head = True
        if tag == "script":
            if _is_remote(a.get("src", "")):
                self.external.append(f"<script src={a['src']}>")
            if self._in_head and a.get("src"):
                self.head_scripts.append(a)
        if tag == "link":
            rel = a.get("rel", "").lower().split()
            if set(rel) & {"stylesheet", "preload", "modulepreload"} and _is_remote(a.get("href", "")):
                self.external.append(f"<link rel={a.get('rel')} href={a['href']}>")
        if tag in ("iframe", "img", "embed") and _is_remote(a.get("src", "")):
            self.external.append(f"<{tag} src={a['src']}>")

    def handle_endtag(self, tag):
        if tag == "head":
            self._in_head = False


def _is_remote(url: str) -> bool:
    url = url.strip().lower()
    return url.startswith(("http:", "https:", "//"))


def built_pages() -> list[Path]:
    return sorted(p for p in HTML.rglob("*.html") if "_static" not in p.parts)


def test_no_page_loads_assets_from_the_internet():
    _require_build()
    offenders = {}
    for page in built_pages():
        parser = _AssetParser()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        if parser.external:
            offenders[str(page.relative_to(HTML))] = parser.external
    assert not offenders, f"pages load scripts/stylesheets from the internet: {offenders}"


@pytest.mark.parametrize("docname", DOCNAMES)
def test_vega_bundle_is_a_plain_head_script(docname):
    _require_build()
    page = HTML / f"{docname}.html"
    assert page.is_file(), f"{docname} is in _toc.yml but {page} was not built"
    parser = _AssetParser()
    parser.feed(page.read_text(encoding="utf-8"))
    bundles = [s for s in parser.head_scripts if s["src"].split("?")[0].endswith(BUNDLE.split("/", 1)[1])]
    assert len(bundles) == 1, f"{docname}: vega bundle not in <head> exactly once: {parser.head_scripts}"
    assert "async" not in bundles[0] and "defer" not in bundles[0], bundles[0]
    assert (HTML / BUNDLE).is_file(), f"{HTML / BUNDLE} missing"


# ---- browser ----------------------------------------------------------------------------
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - keep pytest output clean
        pass


@pytest.fixture(scope="module")
def site_url():
    _require_build()
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    _require_build()
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"chromium not found at {CHROMIUM} (apt-get install -y chromium, or set CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


_RENDERED_JS = """() => {
  const divs = Array.from(document.querySelectorAll('.vega-chart'));
  return divs.filter(d => d.querySelector('svg.marks, canvas')).length;
}"""


@pytest.mark.parametrize("docname", DOCNAMES)
def test_page_renders_offline(docname, site_url, browser):
    context = browser.new_context()
    page = context.new_page()
    console_errors: list[str] = []
    page_errors: list[str] = []
    external: list[str] = []
    failed: list[str] = []

    def route(r):
        url = urllib.parse.urlsplit(r.request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.hostname not in LOCAL_HOSTS:
            external.append(r.request.url)
            r.abort()
        else:
            r.continue_()

    context.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and console_errors.append(f"{m.text} @ {m.location}"))
    page.on("pageerror", lambda e: page_errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(f"{r.url}: {r.failure}"))
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.url}: HTTP {r.status}"))
    try:
        page.goto(site_url + f"{docname}.html", wait_until="load")
        n_divs = page.locator(".vega-chart").count()
        if n_divs:
            try:
                page.wait_for_function(
                    f"() => ({_RENDERED_JS})() === {n_divs}", timeout=RENDER_TIMEOUT_MS
                )
            except Exception:
                pass  # reported by the assertion below, with the counts
        page.wait_for_load_state("networkidle")
        rendered = page.evaluate(_RENDERED_JS)
        links = page.eval_on_selector_all(
            ".gtc-figure-downloads a[href]", "els => els.map(e => e.getAttribute('href'))"
        )
        if os.environ.get("SITE_SCREENSHOT_DIR"):
            out = Path(os.environ["SITE_SCREENSHOT_DIR"]) / (docname.replace("/", "_") + ".png")
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out), full_page=True)
    finally:
        context.close()

    assert not external, f"{docname}: requests to the internet (aborted): {external}"
    assert not page_errors, f"{docname}: page errors: {page_errors}"
    assert not console_errors, f"{docname}: console errors: {console_errors}"
    assert not failed, f"{docname}: failed requests: {failed}"
    assert rendered == n_divs, f"{docname}: {rendered} of {n_divs} .vega-chart divs rendered"
    want = expected_min_charts(docname)
    if want:
        assert n_divs >= want > 0, f"{docname}: the source shows {want} figures, the page has {n_divs} charts"
    page_dir = (HTML / docname).parent
    missing = [h for h in links if not (page_dir / urllib.parse.unquote(h.split("#")[0])).is_file()]
    assert not missing, f"{docname}: figure download links with no file in the site: {missing}"


def _offline_page(browser, **context_options):
    """A page in a fresh context that may fetch only from this machine; ``(context, page, page errors)``."""
    context = browser.new_context(**context_options)
    context.route("**/*", lambda r: r.continue_() if urllib.parse.urlsplit(r.request.url).hostname in LOCAL_HOSTS
                  else r.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page, errors


_SLIDER_LABELS_JS = """() => {
  const fig = document.querySelector('#gtc-fig-cost-sliders');
  if (!fig) return null;
  return Array.from(fig.querySelectorAll('svg.marks text')).map(t => t.textContent).filter(s => /^\\d+\\.\\d{3}$/.test(s));
}"""


def test_cost_slider_recomputes_in_the_browser(site_url, browser):
    """Moving the electricity slider of fig-cost-sliders changes the costs the chart displays (offline)."""
    context, page, errors = _offline_page(browser)
    try:
        page.goto(site_url + "book/06_cost.html", wait_until="load")
        page.wait_for_function(f"() => {{ const l = ({_SLIDER_LABELS_JS})(); return l && l.length > 0; }}",
                               timeout=RENDER_TIMEOUT_MS)
        before = page.evaluate(_SLIDER_LABELS_JS)
        slider = page.locator('#gtc-fig-cost-sliders input[type="range"][name="electricity_usd_per_kwh"]')
        assert slider.count() == 1, "no electricity slider in fig-cost-sliders"
        start = float(slider.input_value())
        slider.evaluate("(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true}));"
                        " el.dispatchEvent(new Event('change', {bubbles: true})); }", str(start * 2.5))
        page.wait_for_function(f"(b) => JSON.stringify(({_SLIDER_LABELS_JS})()) !== JSON.stringify(b)", arg=before,
                               timeout=RENDER_TIMEOUT_MS)
        after = page.evaluate(_SLIDER_LABELS_JS)
    finally:
        context.close()
    assert not errors, errors
    assert len(after) == len(before) > 0
    # dearer power raises every system's cost per token
    assert all(float(a) > float(b) for a, b in zip(after, before)), (before, after)


# ---- reader features: summary, gallery, catalog, alt text, phone width, PDF, downloads -------------
def _reader():
    from analysis import data, figures
    from analysis.chapters import reader

    return data, figures, reader


class _ImageParser(html.parser.HTMLParser):
    """Every <img> and every .vega-chart div of a page, with its attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.images: list[dict] = []
        self.charts: list[dict] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "img":
            self.images.append(a)
        if "vega-chart" in a.get("class", "").split():
            self.charts.append(a)


def _parse(page: Path) -> _ImageParser:
    parser = _ImageParser()
    parser.feed(page.read_text(encoding="utf-8", errors="replace"))
    return parser


def test_every_image_and_chart_has_alt_text():
    _require_build()
    missing = []
    n_images = n_charts = 0
    for page in built_pages():
        parsed = _parse(page)
        n_images += len(parsed.images)
        n_charts += len(parsed.charts)
        missing += [f"{page.name}: <img src={i.get('src')}>" for i in parsed.images if not i.get("alt", "").strip()]
        missing += [f"{page.name}: chart {c.get('id')}" for c in parsed.charts
                    if c.get("role") != "img" or not c.get("aria-label", "").strip()]
    _, figures, reader = _reader()
    # the gallery's thumbnails and the summary's key figures at least; every glued chart
    assert n_images >= len(figures.FIGURES) + len(reader.KEY_FIGURES)
    assert n_charts >= len(figures.FIGURES)
    assert not missing, missing


_LOAD_ALL_IMAGES_JS = """async () => {
  document.querySelectorAll('img[loading]').forEach(i => i.removeAttribute('loading'));
  document.querySelectorAll('details').forEach(d => d.open = true);
  const imgs = Array.from(document.querySelectorAll('article img'));
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => { i.onload = r; i.onerror = r; })));
  return imgs.filter(i => !(i.naturalWidth > 0)).map(i => i.getAttribute('src'));
}"""


def _visit(browser, url):
    context, page, errors = _offline_page(browser)
    page.goto(url, wait_until="load")
    broken = page.evaluate(_LOAD_ALL_IMAGES_JS)
    ids = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
    text = page.inner_text("article")
    context.close()
    return ids, text, broken, errors


def test_summary_shows_every_claim_and_the_key_figures(site_url, browser):
    data, _, reader = _reader()
    ids, text, broken, errors = _visit(browser, site_url + "book/00_summary.html")
    claim_ids = data.load("claims")["claim_id"].tolist()
    assert len(claim_ids) == 26
    assert not [c for c in claim_ids if f"scorecard-{c}" not in ids]
    assert not [f for f in reader.KEY_FIGURES if f"key-{f}" not in ids]
    assert not broken and not errors, (broken, errors)


def test_gallery_shows_every_figure_with_a_loaded_thumbnail(site_url, browser):
    _, figures, _ = _reader()
    ids, text, broken, errors = _visit(browser, site_url + "book/95_figures.html")
    assert not [f for f in figures.FIGURES if f"gallery-{f}" not in ids or f not in text]
    assert "Cite this figure" in text and "@misc{gtc2025-" in text
    assert not broken and not errors, (broken, errors)


def test_catalog_shows_every_table(site_url, browser):
    data, _, reader = _reader()
    ids, text, broken, errors = _visit(browser, site_url + "book/99_data_and_sources.html")
    assert not [t for t in data.table_names() if f"table-{t}" not in ids]
    assert not [t.term for t in reader.GLOSSARY if t.term not in text]
    assert not errors, errors


def test_reader_links_resolve_to_pages_and_anchors():
    """Scorecard, key figures and gallery link to <page>.html#<anchor>: the page and the anchor exist."""
    _require_build()
    bad = []
    for name in ("00_summary", "95_figures"):
        page = HTML / "book" / f"{name}.html"
        hrefs = re.findall(r'href="([\w.-]+\.html)#([\w-]+)"', page.read_text(encoding="utf-8"))
        assert hrefs, name
        for target, anchor in set(hrefs):
            path = HTML / "book" / target
            if not path.is_file() or anchor not in _parse(path).ids:
                bad.append(f"{name}: {target}#{anchor}")
    assert not bad, bad


def test_data_zip_in_the_site_is_the_data_package(tmp_path):
    _require_build()
    from analysis import catalog

    built = HTML / "downloads" / catalog.ZIP_NAME
    assert built.is_file(), f"{built} missing: the build writes it (book/_ext/reader_pages.py)"
    assert built.read_bytes() == catalog.write_zip(tmp_path / catalog.ZIP_NAME).read_bytes()
    page = (HTML / "book" / "99_data_and_sources.html").read_text(encoding="utf-8")
    assert f'href="../downloads/{catalog.ZIP_NAME}"' in page


_NARROW_JS = """() => {
  const d = document.documentElement;
  const wide = Array.from(document.querySelectorAll('article *'))
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.vega-chart, .cell_output, .gtc-table-scroll, pre, .highlight'))
    .slice(0, 5).map(e => e.tagName + '.' + (e.getAttribute('class') || ''));
  return {scroll: d.scrollWidth, width: window.innerWidth, wide: wide};
}"""


@pytest.mark.parametrize("docname", DOCNAMES)
def test_readable_at_phone_width(docname, site_url, browser):
    """At 375 px nothing widens the page: charts and tables scroll inside their own boxes."""
    context, page, _ = _offline_page(browser, viewport={"width": 375, "height": 800})
    try:
        page.goto(site_url + f"{docname}.html", wait_until="load")
        page.wait_for_load_state("networkidle")
        result = page.evaluate(_NARROW_JS)
    finally:
        context.close()
    assert result["scroll"] <= result["width"] and not result["wide"], f"{docname}: {result}"


def _pdf_strings(raw: bytes) -> list[str]:
    """Outline titles of a chromium PDF (``/Title (...)`` or ``/Title <FEFF...>``), decoded."""
    out = []
    for m in re.finditer(rb"/Title\s*(\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f\s]*>)", raw):
        token = m.group(1)
        if token.startswith(b"<"):
            data = bytes.fromhex(re.sub(rb"\s", b"", token[1:-1]).decode())
            out.append(data[2:].decode("utf-16-be") if data[:2] == b"\xfe\xff" else data.decode("latin-1"))
        else:
            escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
            body = re.sub(rb"\\([0-7]{1,3}|.)", lambda o: bytes([int(o.group(1), 8)]) if o.group(1).isdigit()
                          else escapes.get(o.group(1), o.group(1)), token[1:-1], flags=re.S)
            out.append(body.decode("latin-1"))
    return out


def _norm(text: str) -> str:
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", "", text).casefold()


@pytest.mark.pdf
def test_pdf_has_every_chapter():
    """``make pdf`` wrote one PDF with every page of the toc (its heading in the PDF's outline)."""
    _require_build()
    _, _, reader = _reader()
    pdf = HTML / "downloads" / reader.PDF_NAME
    assert pdf.is_file(), f"{pdf} missing: run `make pdf` after the build"
    raw = pdf.read_bytes()
    assert raw.startswith(b"%PDF-") and raw.rstrip().endswith(b"%%EOF")
    pages = len(re.findall(rb"/Type\s*/Page\b", raw))
    assert pages > len(DOCNAMES), pages
    titles = {_norm(t) for t in _pdf_strings(raw)}
    missing = [d for d in DOCNAMES if _norm(reader.page_title(d.split("/")[-1])) not in titles]
    assert not missing, missing
    for page in ("intro", "97_reproducibility"):
        assert f'href="../downloads/{reader.PDF_NAME}"' in (HTML / "book" / f"{page}.html").read_text(encoding="utf-8")


def test_pdf_string_decoding():
    raw = b"/Title (Cost \\(T1\\)) /Title <FEFF004E0056201C> /Title (a\\134b)"
    assert _pdf_strings(raw) == ["Cost (T1)", "NV\u201c", "a\\b"]
