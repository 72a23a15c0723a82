"""Execute the chapters that need it on all cores, before Sphinx reads them.

Jupyter Book 1 executes notebooks one at a time while it reads them.  On
``env-before-read-docs`` (when the documents to re-read are known) this adds
those that are MyST text notebooks to the jupyter-cache project of the current
execution cache (``input_hash.py`` picks the folder) and runs the ones with no
cached outputs with jupyter-cache's ``local-parallel`` executor (one process per
core, kernel cwd = the notebook's folder, the book's timeout and allow_errors).
myst-nb then finds every notebook in the cache.

If a notebook fails here, nothing is cached for it, and myst-nb executes it
again while reading and reports the error as usual (the build fails), so error
reporting is unchanged.  Skipped when fewer than two notebooks need running,
when execution is not in ``cache`` mode, or with ``gtc_parallel_execution = False``
(``sphinx: config:`` in ``_config.yml``).
"""
from __future__ import annotations

import fnmatch
import os
import time
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

#: how myst-nb reads a MyST text notebook into jupyter-cache (see myst_nb.core.read)
READ_DATA = {"name": "myst_nb_md", "type": "plugin"}


def _text_notebooks(app, env, docnames) -> list[str]:
    from myst_nb.core.read import is_myst_markdown_notebook

    excluded = list(app.config.nb_execution_excludepatterns or [])
    paths = []
    for doc in sorted(docnames):
        path = Path(env.doc2path(doc))
        if path.suffix != ".md" or any(fnmatch.fnmatch(str(path), pat) for pat in excluded):
            continue
        if is_myst_markdown_notebook(path.read_text(encoding="utf-8")):
            paths.append(str(path))
    return paths


def _on_env_before_read_docs(app, env, docnames) -> None:
    if not app.config.gtc_parallel_execution or app.config.nb_execution_mode != "cache":
        return
    if (os.cpu_count() or 1) < 2:
        return
    paths = _text_notebooks(app, env, docnames)
    if len(paths) < 2:
        return
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    cache = get_cache(env.mystnb_config.execution_cache_path)
    for path in paths:
        cache.add_nb_to_project(path, read_data=READ_DATA)
    todo = [r.uri for r in cache.list_unexecuted(filter_uris=paths)]
    if len(todo) < 2:
        return  # nothing to gain: myst-nb executes a single notebook itself
    names = ", ".join(Path(p).stem for p in todo)
    logger.info("[preexecute] executing %d notebooks on %d cores: %s", len(todo), os.cpu_count(), names)
    start = time.perf_counter()
    executor = load_executor("local-parallel", cache=cache, logger=None)
    result = executor.run_and_cache(
        filter_uris=todo,
        timeout=app.config.nb_execution_timeout,
        allow_errors=app.config.nb_execution_allow_errors,
    )
    failed = list(result.excepted) + list(result.errored)
    logger.info(
        "[preexecute] %d executed in %.1f s%s",
        len(result.succeeded),
        time.perf_counter() - start,
        f"; {len(failed)} failed (re-run while reading, to report the error): "
        + ", ".join(Path(p).stem for p in failed)
        if failed
        else "",
    )


def setup(app):
    app.add_config_value("gtc_parallel_execution", True, rebuild="", types=[bool])
    app.connect("env-before-read-docs", _on_env_before_read_docs)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
