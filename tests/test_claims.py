"""The claims ledger: complete, computed, and sensitive to the data."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import __main__ as cli
from analysis import claims, data

REPO = Path(__file__).resolve().parents[1]
# the ids of the project's CLAIMS.md (shared/ beside the repository when it is there)
CLAIM_IDS = {f"S{i}" for i in range(1, 7)} | {f"M{i}" for i in range(1, 5)} | {"H1", "H2", "H3"} \
    | {f"D{i}" for i in range(1, 5)} | {f"C{i}" for i in range(1, 5)} | {f"T{i}" for i in range(1, 6)}


@pytest.fixture(scope="module")
def ledger():
    """The whole ledger, computed once for the module (about half a minute from cold); the in-process
    command-line tests below then reuse what it cached. One test (the closed pipe) still runs the real
    ``python -m analysis claims --json`` in a child process, through the whole ledger."""
    return claims.ledger()


def _claims_md_ids() -> set[str]:
    """Ids of the project's CLAIMS.md (beside the repository, as in CI), else the copy above."""
    claims_md = REPO.parent / "shared" / "CLAIMS.md"
    if claims_md.exists():
        return set(re.findall(r"^\| ([SMHDCT]\d+) \|", claims_md.read_text(encoding="utf-8"), re.M))
    return CLAIM_IDS


def test_every_claim_has_an_entry_and_every_entry_a_claim():
    ids = set(data.load("claims")["claim_id"])
    assert ids == _claims_md_ids()
    assert set(claims.CHECKS) == ids


def test_chapter_of_each_claim_matches_its_letter():
    letter = {"S": "scaling_laws", "M": "new_math_rules", "H": "hardware_roadmap", "D": "dynamo", "C": "cpo", "T": "cost"}
    for row in data.load("claims").itertuples():
        assert row.chapter == letter[row.claim_id[0]], row.claim_id


def test_new_math_rules_verdicts():
    results = {cid: claims.evaluate(cid) for cid in ("M1", "M2", "M3", "M4")}
    assert results["M1"].verdict is claims.Verdict.SUPPORTED
    assert results["M2"].verdict is claims.Verdict.SUPPORTED
    # right at GTC 2025, reverted for Vera Rubin in December 2025
    assert results["M3"].verdict is claims.Verdict.PARTLY
    # 3.3x and 14x hold per rack; 14x is 6.7x per package
    assert results["M4"].verdict is claims.Verdict.NORMALIZED_ONLY
    for result in results.values():
        assert result.evidence and result.assumptions and result.would_change
    evidence = {e.label: e.value for e in results["M4"].evidence}
    assert evidence["rubin-ultra-nvl576: per package, FP4 dense"] == pytest.approx(100 / 15)


def test_pending_claims_are_labelled_not_judged(ledger):
    ledger = ledger.set_index("claim_id")
    pending = ledger[ledger["status"] == claims.PENDING]
    judged = {cid for cid, check in claims.CHECKS.items() if check is not None}
    assert {"M1", "M2", "M3", "M4", "H1", "H2", "H3", "C1", "C2", "C3", "C4"} <= judged
    assert set(pending.index) == CLAIM_IDS - judged
    assert (pending["verdict"] == "").all()
    scale = {v.value for v in claims.Verdict}
    assert set(ledger.loc[sorted(judged), "verdict"]) <= scale


def test_a_changed_spec_changes_the_verdict(edited_spec):
    """If Vera Rubin NVL144 were 2 EF of dense FP4, the 3.3x would be contradicted."""
    edited_spec("vr-nvl144.compute_pflop_s.fp4.dense.per_rack.1", "3.6,EFLOP/s", "2.0,EFLOP/s")
    assert claims.evaluate("M4").verdict is claims.Verdict.CONTRADICTED


def test_unknown_claim():
    with pytest.raises(KeyError, match="M1"):
        claims.evaluate("Z9")


def test_cli_json_ledger(ledger, capsys):
    assert cli.main(["claims", "--json"]) == 0
    out = capsys.readouterr().out
    records = {r["claim_id"]: r for r in json.loads(out)}
    assert set(records) == CLAIM_IDS
    assert records["M4"]["verdict"] == claims.Verdict.NORMALIZED_ONLY.value
    assert records["M4"]["evidence"][0]["unit"] == "x"
    # every chapter is built: no claim is pending any more
    assert all(r["status"] == "verdict" and r["verdict"] for r in records.values())
    assert records["D1"]["verdict"] == claims.Verdict.NORMALIZED_ONLY.value


def test_cli_text_ledger(ledger, capsys):
    assert cli.main(["claims"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^M2\s+supported\s", out, re.M)
    assert re.search(r"^D1\s+supported only on a normalized basis\s", out, re.M)
    assert not re.search(r"\bpending\b", out)


def test_cli_is_quiet_when_the_reader_closes_the_pipe():
    # `python -m analysis claims --json | head`: the reader is gone before the ledger is written
    child = subprocess.Popen([sys.executable, "-m", "analysis", "claims", "--json"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, cwd=REPO)
    child.stdout.close()
    err = child.stderr.read().decode()
    assert child.wait(timeout=120) == 1
    assert "Traceback" not in err and "BrokenPipeError" not in err, err


def test_chapter_verdicts_evaluate_only_that_chapter(monkeypatch):
    asked = []
    original = claims.evaluate
    monkeypatch.setattr(claims, "evaluate", lambda claim_id: asked.append(claim_id) or original(claim_id))
    table = claims.chapter_verdicts("hardware_roadmap")
    assert asked == ["H1", "H2", "H3"] and table.index.tolist() == asked
    assert list(table.columns) == ["verdict", "summary", "evidence", "assumptions", "would_change"]
    with pytest.raises(KeyError, match="no claims"):
        claims.ledger(["H1", "X9"])
