"""Key jupyter-book's execution cache on the inputs the chapters read.

jupyter-cache keys a notebook on its own code cells only, so an edit to
``analysis/`` or ``data/`` would otherwise leave stale outputs (and stale
figures) in the site.  On ``config-inited`` this extension hashes

* every ``analysis/**/*.py`` file,
* every file under ``data/``,
* ``requirements.txt`` (pinned versions change outputs too),

and then

1. points myst-nb's ``nb_execution_cache_path`` at
   ``<outdir>/../.jupyter_cache/<hash[:16]>``: a new hash means an empty cache,
   so every chapter re-executes; the same hash reuses the cached outputs;
2. stores the hash in the config value ``gtc_inputs_hash`` (``rebuild="env"``),
   so Sphinx re-reads every document when it changes (otherwise Sphinx would
   not even look at the unchanged ``.md`` files);
3. prunes old cache folders, keeping the most recent ``KEEP`` ones (so that
   reverting an edit hits the cache again).
"""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Folders (relative to the repo root) whose files are inputs of every chapter,
#: with the glob of the files that count.
INPUT_GLOBS: tuple[tuple[str, str], ...] = (
    ("analysis", "**/*.py"),
    ("data", "**/*"),
)
#: Single files that are inputs too.
INPUT_FILES: tuple[str, ...] = ("requirements.txt",)
#: How many cache folders to keep (current one included).
KEEP = 3
_SKIP_PARTS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".hypothesis"}


def input_files(root: Path) -> list[Path]:
    """Return the sorted input files under ``root`` (see ``INPUT_GLOBS``)."""
    root = Path(root)
    found: set[Path] = set()
    for folder, pattern in INPUT_GLOBS:
        base = root / folder
        if not base.is_dir():
            continue
        for path in base.glob(pattern):
            rel = path.relative_to(root)
            if path.is_file() and not (_SKIP_PARTS & set(rel.parts)):
                found.add(path)
    for name in INPUT_FILES:
        if (root / name).is_file():
            found.add(root / name)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def inputs_hash(root: Path) -> str:
    """sha256 over the sorted relative paths and contents of the input files.

    Paths are part of the hash, so renaming or deleting a file changes it too.
    """
    root = Path(root)
    digest = hashlib.sha256()
    for path in input_files(root):
        rel = path.relative_to(root).as_posix().encode()
        data = path.read_bytes()
        digest.update(len(rel).to_bytes(8, "big") + rel)
        digest.update(len(data).to_bytes(8, "big") + data)
    # a reader's assumption file (ASSUMPTIONS=my.csv, cost chapter) changes outputs too
    override = os.environ.get("ASSUMPTIONS", "").strip()
    if override:
        path = Path(override) if Path(override).is_absolute() else root / override
        digest.update(b"ASSUMPTIONS" + (path.read_bytes() if path.is_file() else override.encode()))
    return digest.hexdigest()


def prune_caches(cache_root: Path, current: str, keep: int = KEEP) -> list[Path]:
    """Delete all but the ``keep`` most recently used cache folders; never ``current``."""
    cache_root = Path(cache_root)
    if not cache_root.is_dir():
        return []
    dirs = [
        d
        for d in cache_root.iterdir()
        if d.is_dir() and len(d.name) == 16 and all(c in "0123456789abcdef" for c in d.name)
    ]
    others = sorted(
        (d for d in dirs if d.name != current), key=lambda d: d.stat().st_mtime, reverse=True
    )
    removed = others[max(keep - 1, 0) :]
    for d in removed:
        shutil.rmtree(d, ignore_errors=True)
    return removed


def _on_config_inited(app, config) -> None:
    root = Path(app.confdir)
    full = inputs_hash(root)
    key = full[:16]
    cache_root = Path(app.outdir).parent / ".jupyter_cache"
    cache_dir = cache_root / key
    cache_dir.mkdir(parents=True, exist_ok=True)
    os.utime(cache_dir)  # mark as most recently used, for pruning
    config.gtc_inputs_hash = full
    config.nb_execution_cache_path = str(cache_dir)
    removed = prune_caches(cache_root, key)
    logger.info(
        "[input_hash] inputs hash %s -> execution cache %s%s",
        key,
        cache_dir,
        f" (pruned {len(removed)} old)" if removed else "",
    )


def setup(app):
    app.add_config_value("gtc_inputs_hash", "", rebuild="env", types=[str])
    # Run early, before anything reads nb_execution_cache_path (myst-nb reads it
    # at builder-inited; any priority would do, this makes the intent explicit).
    app.connect("config-inited", _on_config_inited, priority=100)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
