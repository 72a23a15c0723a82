"""Benchmark the book build (``make bench``). Prints a table; never fails.

Measured in one run, on this machine, into a temporary output folder (the
repo's ``_build/`` is not touched):

1. notebooks alone: every chapter of ``_toc.yml`` executed with nbclient,
   sequentially, no Sphinx (kernel cwd = the notebook's folder, as in the build);
2. clean build: ``jupyter-book build . --path-output <tmp>`` into an empty folder;
   target: clean / notebooks-alone <= 1.5;
3. no-change rebuild; target: no-change / clean < 0.20, nothing re-executed;
4. rebuild after an ``analysis/`` edit (a comment line appended to one
   ``analysis/*.py``, restored byte for byte afterwards, even on failure):
   seconds and which chapters re-executed; target: every chapter re-executed;
5. rebuild after restoring the file (the previous cache is reused).
"""
from __future__ import annotations

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
VENV_BIN = Path(sys.executable).parent
JB = [str(VENV_BIN / "jupyter-book")]


def chapters() -> list[Path]:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    names = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                names.append(node["file"])
            for key in ("parts", "chapters", "sections"):
                walk(node.get(key))
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    out = []
    for n in names:
        p = ROOT / (n if n.endswith((".md", ".ipynb")) else n + ".md")
        out.append(p)
    return out


def run_notebooks_alone(paths: list[Path]) -> tuple[float, dict[str, float]]:
    import jupytext
    from nbclient import NotebookClient

    per = {}
    start = time.perf_counter()
    for p in paths:
        nb = jupytext.read(p)
        if not any(c.cell_type == "code" for c in nb.cells):
            per[p.stem] = 0.0
            continue
        t = time.perf_counter()
        NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(p.parent)}}).execute()
        per[p.stem] = time.perf_counter() - t
    return time.perf_counter() - start, per


def executed_since(out: Path, since: datetime.datetime) -> list[str]:
    """Chapters whose executed outputs were cached after ``since``: read from the
    jupyter-cache databases of the build (works with myst-nb's own execution
    and with book/_ext/preexecute.py alike)."""
    from jupyter_cache import get_cache

    names = set()
    root = out / "_build" / ".jupyter_cache"
    for db in sorted(root.glob("*/global.db")) if root.is_dir() else []:
        for rec in get_cache(db.parent).list_cache_records():
            created = rec.created
            if created.tzinfo is None:
                created = created.replace(tzinfo=datetime.timezone.utc)
            if created >= since:
                names.add(Path(rec.uri).stem)
    return sorted(names)


def build(out: Path) -> tuple[float, list[str], str]:
    since = datetime.datetime.now(datetime.timezone.utc)
    start = time.perf_counter()
    proc = subprocess.run(
        JB + ["build", ".", "--path-output", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    log = proc.stdout + proc.stderr
    executed = executed_since(out, since) if proc.returncode == 0 else []
    if proc.returncode != 0:
        print(log[-4000:], file=sys.stderr)
        raise RuntimeError(f"jupyter-book build failed ({proc.returncode})")
    return elapsed, executed, log


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per step; the minimum is reported")
    args = parser.parse_args()
    n = max(args.repeat, 1)
    paths = chapters()
    names = [p.stem for p in paths]
    print(f"chapters: {', '.join(names)}  (cores: {os.cpu_count()}, runs per step: {n})", flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        out = Path(tmp)
        runs = [run_notebooks_alone(paths) for _ in range(n)]
        t_nb, per = min(runs, key=lambda r: r[0])
        rows.append(("1 notebooks alone (nbclient, sequential)", t_nb, "", ""))

        cleans = []
        for _ in range(n):
            shutil.rmtree(out / "_build", ignore_errors=True)
            cleans.append(build(out))
        t_clean = min(c[0] for c in cleans)
        r1 = t_clean / t_nb if t_nb else float("inf")
        rows.append(("2 clean build", t_clean, f"clean/notebooks = {r1:.2f} (target <= 1.5)",
                     "MET" if r1 <= 1.5 else "NOT MET"))

        noops = [build(out) for _ in range(n)]
        t_noop = min(c[0] for c in noops)
        ex_noop = sorted({x for c in noops for x in c[1]})
        r2 = t_noop / t_clean
        ok = r2 < 0.20 and not ex_noop
        rows.append(("3 no-change rebuild", t_noop,
                     f"rebuild/clean = {r2:.2f} (target < 0.20); re-executed: {', '.join(ex_noop) or 'none'}",
                     "MET" if ok else "NOT MET"))

        target = sorted((ROOT / "analysis").glob("*.py"))[0]
        original = target.read_bytes()
        st = target.stat()
        edits, backs = [], []
        suffix = b""

        def undo() -> None:
            # Remove only our own line: if someone edited the file meanwhile, keep their edit.
            current = target.read_bytes()
            if suffix and current.endswith(suffix):
                target.write_bytes(current[: -len(suffix)])
            elif current != original:
                print(f"warning: {target} changed during the benchmark; left as is", file=sys.stderr)
            if target.read_bytes() == original:
                os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))

        try:
            for i in range(n):
                suffix = f"\n# bench_build.py: temporary edit {i}, reverted\n".encode()
                target.write_bytes(original + suffix)
                edits.append(build(out))
                undo()
                suffix = b""
                backs.append(build(out))
        finally:
            undo()
        t_edit = min(e[0] for e in edits)
        stale = sorted({c for e in edits for c in set(names) - set(e[1])})
        ex_edit = sorted({x for e in edits for x in e[1]})
        rows.append((f"4 rebuild after editing {target.relative_to(ROOT)}", t_edit,
                     f"re-executed: {', '.join(ex_edit) or 'none'}",
                     "MET (every chapter re-executed)" if not stale
                     else f"NOT MET (not re-executed: {', '.join(stale)})"))
        t_back = min(b[0] for b in backs)
        ex_back = sorted({x for b in backs for x in b[1]})
        rows.append(("5 rebuild after reverting the edit", t_back,
                     f"re-executed: {', '.join(ex_back) or 'none'} (the cache of the old inputs is kept)", ""))

    print()
    print(f"{'step':<55} {'seconds':>8}  notes")
    print("-" * 110)
    for name, secs, note, verdict in rows:
        print(f"{name:<55} {secs:8.1f}  {note} {verdict}".rstrip())
    print()
    print("per-notebook execution (s): " + ", ".join(f"{k} {v:.1f}" for k, v in per.items()))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as exc:  # a benchmark reports, it does not fail the caller
        print(f"benchmark aborted: {exc!r}", file=sys.stderr)
        sys.exit(0)
