"""Build-time parts of the reader's pages: the build's version, commit and date, the figure
gallery, and the data package zip.

* ``{build}`version``` / ``commit`` / ``commit-full`` / ``date`` (a role) writes the report
  version, the commit of the checkout and that commit's date
  (``analysis.build_info``: from git at build time, ``"unknown"`` outside git,
  ``SOURCE_DATE_EPOCH`` if set; never today's date).
* ``{figure-gallery}`` (a directive) writes every registered figure with its
  thumbnail, caption, downloads and citation (``analysis.chapters.reader.gallery_html``).

Notebook outputs are cached by the inputs hash, which does not (and should not)
change with every commit, so the commit is never part of an executed output:
the role and the directive run when Sphinx reads the page, and every page that
uses them is re-read whenever the build's version, commit or date changed
(``env-get-outdated``), which costs a parse, not an execution.  The key also holds a hash
of the stylesheets in ``html_static_path``: Sphinx copies static files only when it writes
some page, so without it an edit of ``book/_static/reader.css`` alone would not reach the site.

On ``build-finished`` of a successful html build the data package is written
to ``<outdir>/downloads/`` as a deterministic zip (``analysis.catalog.write_zip``).
"""
from __future__ import annotations

import hashlib
import time
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.util import logging

logger = logging.getLogger(__name__)

_state: dict = {}


def _info(app):
    if "info" not in _state:
        from analysis import build_info

        _state["info"] = build_info.build_info(Path(app.confdir))
    return _state["info"]


def _static_hash(app) -> str:
    # Sphinx copies static files only when some page is written; folding the stylesheets into
    # the key makes an edit of book/_static re-read (and so rewrite) the pages that use {build}
    digest = hashlib.sha256()
    for folder in app.config.html_static_path:
        base = Path(app.confdir) / folder
        for path in sorted(p for p in base.rglob("*") if p.is_file() and "vendor" not in p.parts):
            digest.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _key(app) -> str:
    if "key" not in _state:
        i = _info(app)
        _state["key"] = f"{i.version} {i.commit} {i.date} {i.dirty} {_static_hash(app)}"
    return _state["key"]


def _mark(env) -> None:
    if not hasattr(env, "gtc_build_docs"):
        env.gtc_build_docs = {}
    env.gtc_build_docs[env.docname] = _key(env.app)


def build_role(name, rawtext, text, lineno, inliner, options=None, content=()):
    """``{build}`version|commit|commit-full|date``` -> the value as inline literal text."""
    env = inliner.document.settings.env
    info = _info(env.app)
    values = {
        "version": info.version,
        "commit": info.short_commit + ("+local changes" if info.dirty else ""),
        "commit-full": info.commit,
        "date": info.date,
    }
    field = text.strip()
    if field not in values:
        msg = inliner.reporter.error(f"{{build}} knows {', '.join(values)}, not {field!r}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    _mark(env)
    return [nodes.literal(rawtext, values[field])], []


class FigureGallery(Directive):
    """Every registered figure: thumbnail, caption, downloads, citation."""

    has_content = False

    def run(self):
        from analysis.chapters import reader

        env = self.state.document.settings.env
        _mark(env)
        return [nodes.raw("", reader.gallery_html(_info(env.app)), format="html")]


def _on_builder_inited(app) -> None:
    _state.clear()
    _state["started"] = time.perf_counter()
    info = _info(app)
    logger.info("[reader_pages] version %s, commit %s, date %s%s", info.version, info.short_commit, info.date,
                " (uncommitted changes)" if info.dirty else "")


def _on_env_get_outdated(app, env, added, changed, removed):
    docs = getattr(env, "gtc_build_docs", {})
    key = _key(app)
    return [d for d, k in docs.items() if k != key and d not in removed and d in env.found_docs]


def _on_env_purge_doc(app, env, docname) -> None:
    getattr(env, "gtc_build_docs", {}).pop(docname, None)


def _on_env_merge_info(app, env, docnames, other) -> None:
    if not hasattr(env, "gtc_build_docs"):
        env.gtc_build_docs = {}
    env.gtc_build_docs.update(getattr(other, "gtc_build_docs", {}))


def _on_build_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from analysis import catalog

    start = time.perf_counter()
    path = catalog.write_zip(Path(app.outdir) / "downloads" / catalog.ZIP_NAME)
    logger.info("[reader_pages] data package -> %s (%.0f kB, %.1f s)", path, path.stat().st_size / 1e3,
                time.perf_counter() - start)


def setup(app):
    app.add_role("build", build_role)
    app.add_directive("figure-gallery", FigureGallery)
    app.connect("builder-inited", _on_builder_inited)
    app.connect("env-get-outdated", _on_env_get_outdated)
    app.connect("env-purge-doc", _on_env_purge_doc)
    app.connect("env-merge-info", _on_env_merge_info)
    app.connect("build-finished", _on_build_finished)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
