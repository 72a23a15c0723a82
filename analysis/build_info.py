"""What a citation of the report needs: its version, the commit it was built from and that commit's date.

* The version is ``[project].version`` of ``pyproject.toml`` (``CITATION.cff``
  repeats it; ``tests/test_reader.py`` checks that they agree).
* The commit is ``git rev-parse HEAD`` of the repository at build time, and the
  date is that commit's committer date (or ``SOURCE_DATE_EPOCH`` when set), never
  today's date: two builds of one commit say the same thing.
* Outside a git checkout (a source archive, no git installed) both are
  ``"unknown"``; nothing here raises for that.

Nothing runs at import time; paths come from ``__file__``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

import yaml

#: The repository root (the folder of ``pyproject.toml``).
ROOT = Path(__file__).resolve().parent.parent

#: What a field is when it cannot be known (no git, no commit).
UNKNOWN = "unknown"


@dataclass(frozen=True)
class BuildInfo:
    """Version, commit and date of one build.

    Attributes
    ----------
    version : str
        Report version (``pyproject.toml``).
    commit : str
        Full commit hash, or ``"unknown"``.
    date : str
        ISO date (YYYY-MM-DD) of the commit, or of ``SOURCE_DATE_EPOCH``; ``"unknown"`` if neither.
    dirty : bool
        True when tracked files differ from the commit (the build is of uncommitted changes).
    """

    version: str
    commit: str
    date: str
    dirty: bool = False

    @property
    def short_commit(self) -> str:
        """The first 12 characters of the commit (``"unknown"`` stays whole).

        Examples
        --------
        >>> BuildInfo("0.1.0", "0a1b2a4429da7ea1aeb5a6052577ac38b3bdbc2e", "2026-12-03").short_commit
        '0a1b2a4429da'
        """
        return self.commit if self.commit == UNKNOWN else self.commit[:12]

    @property
    def year(self) -> str:
        """The year of :attr:`date`, or ``"unknown"``.

        Examples
        --------
        >>> BuildInfo("0.1.0", "abc", "2026-12-03").year
        '2026'
        """
        return self.date[:4] if self.date != UNKNOWN else UNKNOWN


def _git(root: Path, *args: str) -> str | None:
    # any failure (no git, not a checkout, no commit yet) means "unknown", never an error
    try:
        out = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=20, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def report_version(root: Path = ROOT) -> str:
    """The report's version, from ``pyproject.toml``.

    Parameters
    ----------
    root : pathlib.Path, optional
        Repository root; default :data:`ROOT`.

    Examples
    --------
    >>> report_version() == citation()["version"]
    True
    """
    with open(Path(root) / "pyproject.toml", "rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def citation(root: Path = ROOT) -> dict:
    """``CITATION.cff`` as a dictionary (title, authors, version, license, ...).

    Parameters
    ----------
    root : pathlib.Path, optional
        Repository root; default :data:`ROOT`.

    Examples
    --------
    >>> citation()["cff-version"]
    '1.2.0'
    """
    return yaml.safe_load((Path(root) / "CITATION.cff").read_text(encoding="utf-8"))


def epoch_date(epoch: str | int) -> str:
    """The UTC date of a Unix time, as ``SOURCE_DATE_EPOCH`` gives it.

    Parameters
    ----------
    epoch : str or int
        Seconds since 1970-01-01 UTC. [s]

    Examples
    --------
    >>> epoch_date("1764755059")
    '2025-12-03'
    """
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date().isoformat()


def build_info(root: Path = ROOT, environ: dict | None = None) -> BuildInfo:
    """Version, commit and commit date of the checkout at ``root``.

    Parameters
    ----------
    root : pathlib.Path, optional
        Repository root; default :data:`ROOT`.
    environ : dict, optional
        Environment to read ``SOURCE_DATE_EPOCH`` from; default ``os.environ``.

    Returns
    -------
    BuildInfo
        ``commit`` and ``date`` are ``"unknown"`` outside a git checkout (and
        ``date`` then comes from ``SOURCE_DATE_EPOCH`` if that is set).

    Examples
    --------
    >>> info = build_info(environ={"SOURCE_DATE_EPOCH": "1764755059"})
    >>> info.date, info.version == report_version()
    ('2025-12-03', True)
    """
    root = Path(root)
    environ = os.environ if environ is None else environ
    commit = _git(root, "rev-parse", "--verify", "HEAD") or UNKNOWN
    epoch = str(environ.get("SOURCE_DATE_EPOCH", "")).strip()
    if epoch:
        date = epoch_date(epoch)
    elif commit != UNKNOWN:
        stamp = _git(root, "log", "-1", "--format=%ct", commit)
        date = epoch_date(stamp) if stamp else UNKNOWN
    else:
        date = UNKNOWN
    # tracked files only: build output and caches are untracked or ignored
    dirty = commit != UNKNOWN and _git(root, "status", "--porcelain", "--untracked-files=no") is not None
    return BuildInfo(report_version(root), commit, date, dirty)


def toc_docnames(toc_path: Path = ROOT / "_toc.yml") -> list[str]:
    """The root document then every ``file:`` of ``_toc.yml``, in order, without extension.

    Parameters
    ----------
    toc_path : pathlib.Path
        The table of contents [-].

    Returns
    -------
    list of str
        Document names, e.g. ``"book/intro"`` [-].

    Examples
    --------
    >>> toc_docnames()[0]
    'book/intro'
    """
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
