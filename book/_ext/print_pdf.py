"""The whole report as one PDF, printed from the built site by headless chromium (no TeX).

``make pdf`` (after ``make book``) runs ``python book/_ext/print_pdf.py``:

1. serves ``_build/html`` on 127.0.0.1 (a random free port; nothing leaves the machine);
2. opens every page of ``_toc.yml`` in toc order in Debian's chromium (driven by the
   pinned Playwright, ``executable_path``), waits until every chart is drawn and every
   image loaded, opens the catalog's collapsed tables, and takes the page's article
   (charts as drawn SVG, scripts removed);
3. puts the articles one after the other into a single print page (each chapter on a
   new page, ``book/_static/reader.css`` ``@media print``) and prints it with
   ``page.pdf`` (A4, page numbers, an outline of the headings).

One combined page rather than one PDF per page: merging PDFs would need a library the
project does not pin.  The PDF lands at a stable name in the site,
``_build/html/downloads/gtc2025-inference-claims.pdf``, which the intro and the
reproducibility page link to.  Its text (chapter titles, for the test) is checked by
``tests/test_site.py``.

Not an extension: it runs after the HTML build, on its output.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
import sys
import threading
import time
from pathlib import Path


from analysis.build_info import toc_docnames
from analysis.chapters.reader import PDF_NAME

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
RENDER_TIMEOUT_MS = 60_000

_READY_JS = """() => {
  const divs = Array.from(document.querySelectorAll('.vega-chart'));
  const drawn = divs.every(d => d.querySelector('svg.marks, canvas'));
  const imgs = Array.from(document.querySelectorAll('article img'));
  return drawn && imgs.every(i => i.complete);
}"""

_ARTICLE_JS = """(doc) => {
  document.querySelectorAll('article img[loading]').forEach(i => i.removeAttribute('loading'));
  document.querySelectorAll('details.gtc-catalog-table').forEach(d => d.open = true);
  const article = document.querySelector('article.bd-article');
  const copy = article.cloneNode(true);
  copy.querySelectorAll('script').forEach(s => s.remove());
  return '<section class="gtc-print-chapter" data-doc="' + doc + '">' + copy.innerHTML + '</section>';
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


def print_pdf(html_dir: Path, out: Path) -> dict:
    """Print every toc page of the built site into one PDF; returns what was printed."""
    from playwright.sync_api import sync_playwright

    html_dir = Path(html_dir).resolve()
    if not (html_dir / "index.html").is_file():
        raise SystemExit(f"{html_dir} has no built site: run `make book` first")
    docs = toc_docnames()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(html_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    start = time.perf_counter()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1200, "height": 1600})
            context.route("**/*", lambda r: r.continue_() if (r.request.url.startswith(base)
                          or r.request.url.startswith("data:")) else r.abort())
            page = context.new_page()
            sections = []
            for doc in docs:
                page.goto(base + f"{doc}.html", wait_until="load")
                sections.append(page.evaluate(_ARTICLE_JS, doc))
                page.wait_for_function(_READY_JS, timeout=RENDER_TIMEOUT_MS)
                # after the lazy images load and the charts draw: take the article again
                sections[-1] = page.evaluate(_ARTICLE_JS, doc)
            # the first page is the print page: its article becomes every article in turn
            page.goto(base + f"{docs[0]}.html", wait_until="load")
            page.evaluate("""(html) => {
                const a = document.querySelector('article.bd-article');
                a.innerHTML = html;
                document.title = document.title.split('—')[0].trim();
            }""", "".join(sections))
            page.wait_for_function(_READY_JS, timeout=RENDER_TIMEOUT_MS)
            page.emulate_media(media="print")
            out.parent.mkdir(parents=True, exist_ok=True)
            page.pdf(
                path=str(out), format="A4", print_background=True, outline=True, tagged=True,
                margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"},
                display_header_footer=True, header_template="<span></span>",
                footer_template='<div style="font-size:8px;width:100%;text-align:center;">'
                                '<span class="pageNumber"></span> / <span class="totalPages"></span></div>',
            )
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    data = out.read_bytes()
    return {"pages": len(re.findall(rb"/Type\s*/Page\b", data)), "bytes": len(data), "docs": len(docs),
            "seconds": time.perf_counter() - start}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html", help="the built site")
    parser.add_argument("--out", type=Path, default=None, help=f"the PDF (default <html>/downloads/{PDF_NAME})")
    args = parser.parse_args(argv)
    out = args.out or args.html / "downloads" / PDF_NAME
    info = print_pdf(args.html, out)
    print(f"{out}: {info['docs']} pages of the site, {info['pages']} PDF pages, {info['bytes'] / 1e6:.1f} MB, "
          f"{info['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
