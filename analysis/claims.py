"""The claims ledger: every claim of ``data/claims.csv`` mapped to the function
that computes its verdict.

A verdict is on the scale of the project's CLAIMS.md.  A claim whose chapter
is not built yet is listed as *pending*, which is a status, never a verdict.
Run ``python -m analysis claims`` (``--json`` for machines) to print the ledger.
"""

from __future__ import annotations

import enum
import importlib
from dataclasses import asdict, dataclass, field

import pandas as pd

from analysis import data


class Verdict(str, enum.Enum):
    """The verdict scale of CLAIMS.md."""

    SUPPORTED = "supported"
    NORMALIZED_ONLY = "supported only on a normalized basis"
    PARTLY = "partly supported"
    CONTRADICTED = "contradicted"
    NOT_TESTABLE = "not testable with public data"


#: Status of a claim whose chapter is not built yet (not a verdict).
PENDING = "pending: chapter not yet built"


@dataclass(frozen=True)
class Evidence:
    """One number behind a verdict.

    Attributes
    ----------
    label : str
        What the number is.
    value : float
        The number [unit].
    unit : str
        Its unit (``"x"`` for a ratio, ``"-"`` for a count or share).
    """

    label: str
    value: float
    unit: str

    def __str__(self) -> str:
        return f"{self.label}: {self.value:.4g} {self.unit}".rstrip()


@dataclass(frozen=True)
class ClaimResult:
    """A computed verdict with its evidence and the assumptions that would change it."""

    claim_id: str
    verdict: Verdict
    summary: str
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)
    assumptions: tuple[str, ...] = field(default_factory=tuple)
    would_change: tuple[str, ...] = field(default_factory=tuple)


#: Claim id -> "module:function" computing its :class:`ClaimResult`, or None
#: while the claim's chapter is not built.
CHECKS: dict[str, str | None] = {
    "S1": "analysis.chapters.scaling_laws:verdict_s1",
    "S2": "analysis.chapters.scaling_laws:verdict_s2",
    "S3": "analysis.chapters.scaling_laws:verdict_s3",
    "S4": "analysis.chapters.scaling_laws:verdict_s4",
    "S5": "analysis.chapters.scaling_laws:verdict_s5",
    "S6": "analysis.chapters.cost:verdict_s6",
    "M1": "analysis.chapters.new_math_rules:verdict_m1",
    "M2": "analysis.chapters.new_math_rules:verdict_m2",
    "M3": "analysis.chapters.new_math_rules:verdict_m3",
    "M4": "analysis.chapters.new_math_rules:verdict_m4",
    "H1": "analysis.chapters.hardware_roadmap:verdict_h1",
    "H2": "analysis.chapters.hardware_roadmap:verdict_h2",
    "H3": "analysis.chapters.hardware_roadmap:verdict_h3",
    "D1": "analysis.chapters.dynamo:verdict_d1",
    "D2": "analysis.chapters.dynamo:verdict_d2",
    "D3": "analysis.chapters.dynamo:verdict_d3",
    "D4": "analysis.chapters.dynamo:verdict_d4",
    "C1": "analysis.chapters.cpo:verdict_c1",
    "C2": "analysis.chapters.cpo:verdict_c2",
    "C3": "analysis.chapters.cpo:verdict_c3",
    "C4": "analysis.chapters.cpo:verdict_c4",
    "T1": "analysis.chapters.cost:verdict_t1",
    "T2": "analysis.chapters.cost:verdict_t2",
    "T3": "analysis.chapters.cost:verdict_t3",
    "T4": "analysis.chapters.cost:verdict_t4",
    "T5": "analysis.chapters.cost:verdict_t5",
}  # fmt: skip


def chapter_claims(chapter: str) -> pd.DataFrame:
    """The claims a chapter settles, as ``data/claims.csv`` states them (for the chapter's opening table).

    Parameters
    ----------
    chapter : str
        Chapter id as in ``claims.csv`` (``new_math_rules``, ``hardware_roadmap``, ``cpo``, ...).

    Returns
    -------
    pandas.DataFrame
        ``id, claim, origin``.

    Examples
    --------
    >>> chapter_claims("new_math_rules")["id"].tolist()
    ['M1', 'M2', 'M3', 'M4']
    """
    table = data.load("claims")
    rows = table[table["chapter"] == chapter]
    if rows.empty:
        raise KeyError(f"no claims for chapter {chapter!r}; chapters: {', '.join(sorted(set(table['chapter'])))}")
    return rows[["claim_id", "claim", "origin"]].rename(columns={"claim_id": "id"}).reset_index(drop=True)


def evaluate(claim_id: str) -> ClaimResult | None:
    """Compute the verdict of one claim; ``None`` while it is pending.

    Parameters
    ----------
    claim_id : str
        Claim id as in ``data/claims.csv`` (``M1``, ``H3``, ...).

    Examples
    --------
    >>> evaluate("M2").verdict.value
    'supported'
    >>> evaluate("D1").verdict.value
    'supported only on a normalized basis'
    """
    try:
        check = CHECKS[claim_id]
    except KeyError:
        raise KeyError(f"no claim {claim_id!r}; claims: {', '.join(CHECKS)}") from None
    if check is None:
        return None
    module, function = check.split(":")
    result = getattr(importlib.import_module(module), function)()
    if result.claim_id != claim_id:
        raise RuntimeError(f"{check} returned a verdict for {result.claim_id}, not {claim_id}")
    return result


def ledger_records(claim_ids=None) -> list[dict]:
    """The ledger for machines: one dict per claim, evidence as structured lists.

    Pending claims have ``status`` :data:`PENDING` and ``verdict`` None.

    Parameters
    ----------
    claim_ids : iterable of str, optional
        Only these claims (in ``claims.csv`` order); all if omitted.
    """
    table = data.load("claims")
    if claim_ids is not None:
        wanted = set(claim_ids)
        unknown = wanted - set(table["claim_id"])
        if unknown:
            raise KeyError(f"no claims {sorted(unknown)}; claims: {', '.join(table['claim_id'])}")
        table = table[table["claim_id"].isin(wanted)]
    out = []
    for claim in table.itertuples(index=False):
        result = evaluate(claim.claim_id)
        record = {"claim_id": claim.claim_id, "chapter": claim.chapter, "claim": claim.claim, "origin": claim.origin}
        if result is None:
            record.update(status=PENDING, verdict=None, summary="", evidence=[], assumptions=[], would_change=[])
        else:
            record.update(
                status="verdict",
                verdict=result.verdict.value,
                summary=result.summary,
                evidence=[asdict(e) for e in result.evidence],
                assumptions=list(result.assumptions),
                would_change=list(result.would_change),
            )
        out.append(record)
    return out


def ledger(claim_ids=None) -> pd.DataFrame:
    """Every claim with its status, verdict, summary and evidence, as a table.

    Parameters
    ----------
    claim_ids : iterable of str, optional
        Only these claims (in ``claims.csv`` order); all if omitted.

    Returns
    -------
    pandas.DataFrame
        Columns ``claim_id, chapter, claim, origin, status, verdict, summary,
        evidence, assumptions, would_change``; ``verdict`` is empty for
        pending claims and ``status`` says why.
    """
    table = pd.DataFrame(ledger_records(claim_ids))
    table["verdict"] = table["verdict"].fillna("")
    table["evidence"] = [
        "; ".join(str(Evidence(**e)) for e in evidence) for evidence in table["evidence"]
    ]
    for column in ("assumptions", "would_change"):
        table[column] = table[column].map("; ".join)
    return table


def chapter_verdicts(chapter: str) -> pd.DataFrame:
    """The verdicts of one chapter's claims, for the table that closes the chapter.

    Only that chapter's claims are evaluated.

    Parameters
    ----------
    chapter : str
        Chapter id as in ``claims.csv``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``claim_id``: ``verdict, summary, evidence, assumptions, would_change``.

    Examples
    --------
    >>> chapter_verdicts("new_math_rules").loc["M2", "verdict"]
    'supported'
    """
    ids = chapter_claims(chapter)["id"]
    table = ledger(ids).set_index("claim_id")
    return table[["verdict", "summary", "evidence", "assumptions", "would_change"]]
