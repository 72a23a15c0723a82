"""Export every registered figure into the built site (html builders only).

``analysis.figures.export_all(<dir>)`` writes ``<fig_id>.svg/.png/.csv/.vl.json``
for every registered figure: the targets of the figure cells' download links
(``../figures/<id>.svg`` from a chapter page; ``tests/test_site.py`` checks that
every link resolves).  The files end up in ``<outdir>/figures``.

The figures depend only on ``analysis/`` and ``data/`` (and the pinned
packages), not on the notebooks, so the export starts in a subprocess at
``builder-inited`` into ``<outdir>/../.figures-staging`` and runs on the second
core while the chapters execute; on ``build-finished`` of a successful build
the files replace ``<outdir>/figures``.  It is skipped when the inputs hash
(``gtc_inputs_hash``, see ``input_hash.py``) is unchanged since the last export
and the files are still there.  A failed import or export fails the build with
the subprocess's output.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

_state: dict = {}

_EXPORT_SCRIPT = r"""
import sys
from pathlib import Path
try:
    from analysis.figures import export_all
except ImportError as exc:
    sys.exit(
        "figure_export: cannot import analysis.figures.export_all (%r); install the "
        "package into the build's environment (`make book`, or "
        "`.venv/bin/python -m pip install -e . --no-deps`)" % (exc,)
    )
export_all(Path(sys.argv[1]))
"""


def export_dir(outdir: Path) -> Path:
    """Where the figure files go: ``<outdir>/figures``."""
    return Path(outdir) / "figures"


def _on_builder_inited(app) -> None:
    _state.clear()
    if app.builder.format != "html":
        return
    out = export_dir(Path(app.outdir))
    key = getattr(app.config, "gtc_inputs_hash", "") + "\n" + str(out)
    stamp = Path(app.outdir).parent / ".figure_export.stamp"
    if (
        key.strip()
        and stamp.is_file()
        and stamp.read_text(encoding="utf-8") == key
        and out.is_dir()
        and any(out.iterdir())
    ):
        logger.info("[figure_export] inputs unchanged: figures in %s are current", out)
        return
    staging = Path(app.outdir).parent / ".figures-staging"
    if staging.exists():
        shutil.rmtree(staging)
    stamp.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-c", _EXPORT_SCRIPT, str(staging)],
        cwd=app.confdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    _state.update(proc=proc, out=out, staging=staging, stamp=stamp, key=key, start=time.perf_counter())
    logger.info("[figure_export] exporting the figures in a subprocess")


def _on_build_finished(app, exception) -> None:
    proc = _state.get("proc")
    if proc is None:
        return
    if exception is not None:
        proc.kill()
        proc.communicate()
        return
    output, _ = proc.communicate()
    if proc.returncode != 0:
        raise ExtensionError(f"figure_export: exporting the figures failed:\n{output.strip()}")
    out, staging = _state["out"], _state["staging"]
    if out.exists():
        shutil.rmtree(out)  # no stale files of removed or renamed figures
    shutil.move(str(staging), str(out))
    _state["stamp"].write_text(_state["key"], encoding="utf-8")
    n = sum(1 for p in out.iterdir() if p.is_file())
    logger.info(
        "[figure_export] %d files -> %s (%.1f s after the export started)",
        n,
        out,
        time.perf_counter() - _state["start"],
    )


def setup(app):
    app.connect("builder-inited", _on_builder_inited)
    app.connect("build-finished", _on_build_finished, priority=600)
    return {"version": "1.1", "parallel_read_safe": True, "parallel_write_safe": True}
