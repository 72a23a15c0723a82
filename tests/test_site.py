"""Browser test of the built site (marker ``site``; run after the book build).

``make test-site`` / ``python -m pytest -m site tests/test_site.py``.

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
import yaml

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
def toc_docnames(toc_path: Path = ROOT / "_toc.yml") -> list[str]:
    """The root document then every ``file:`` of ``_toc.yml``, in order."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    names = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                names.append(node["file"])
            for key in ("parts", "chapters", "sections", "subtrees", "entries"):
                walk(node.get(key))
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return [re.sub(r"\.(md|ipynb)$", "", n) for n in names]


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


_SLIDER_LABELS_JS = """() => {
  const fig = document.querySelector('#gtc-fig-cost-sliders');
  if (!fig) return null;
  return Array.from(fig.querySelectorAll('svg.marks text')).map(t => t.textContent).filter(s => /^\\d+\\.\\d{3}$/.test(s));
}"""


def test_cost_slider_recomputes_in_the_browser(site_url, browser):
    """Moving the electricity slider of fig-cost-sliders changes the costs the chart displays (offline)."""
    context = browser.new_context()
    context.route("**/*", lambda r: r.continue_() if urllib.parse.urlsplit(r.request.url).hostname in LOCAL_HOSTS
                  else r.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
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
