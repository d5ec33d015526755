"""What the committee's records add to a summary record: review, drafts, 销号, ledger columns.

Called by the bulk reader (:mod:`selfcheck.summary.reader`) for each counted
file; every rule is :mod:`selfcheck.rules`' (review status, 已销号 / 自报完成).
"""

from __future__ import annotations

from typing import Any

from selfcheck import clock, rules
from selfcheck.summary.plan import PlanItem
from selfcheck.summary.records import EvidenceRow
from selfcheck.textsafe import one_line

LEDGER_MEANINGS = (("source", rules.SOURCE), ("kind", rules.RECTIFY_TYPE), ("leader", rules.LEADER))
"""ProblemRow field, question meaning."""
_FIELD_OF = {meaning: field for field, meaning in LEDGER_MEANINGS}


EVIDENCE_WARNING = "佐证材料有变："
"""How a record's warning about a missing or changed evidence file begins."""

_FIRST_DRAFT: dict[str, Any] = {"review": rules.ReviewStatus.PENDING, "drafts": 1}


def record_extras(data: Any) -> dict[str, Any]:
    """``review`` and ``drafts`` of one decoded response."""
    if not data.reviews and data.draft_number == 1:
        return _FIRST_DRAFT  # the common case, no work
    return {
        "review": rules.review_status(data.draft_number, data.reviews),
        "drafts": data.draft_number,
    }


def row_extras(item: PlanItem, answer_of: Any, data: Any, progress: Any | None) -> dict[str, Any]:
    """问题来源, 整改类型, 责任领导, 佐证材料 and 销号情况 of one ledger row.

    ``answer_of(qid)`` gives the stored answer of a question of ``item``.
    """
    out: dict[str, Any] = {}
    questions = item.ledger_questions
    if not questions and not data.ledger and progress is None:
        return out  # nothing to add: no ledger answers, entries or progress for this item
    for meaning, question in questions:
        value = answer_of(question.id)
        if value is None:
            continue
        option = question.option(value)
        text = option.label if option is not None else str(value)
        out[_FIELD_OF[meaning]] = one_line(text)
    if data.ledger:
        from selfcheck.review.ledger import ledger_values

        out.update(ledger_values(item.id, data.ledger))  # the committee's entries win
    if not data.rectification:
        return out
    evidence = [
        EvidenceRow(e.name, e.stored, e.size, e.sha256)
        for entry in data.rectification
        if entry.item == item.id
        for e in entry.evidence
    ]
    if evidence:
        out["evidence"] = evidence
    if progress is not None:
        counted = rules.counted_verifications(data.verifications, data.respondent.name)
        closing = rules.closing_of(progress, progress.status.value, counted)
        if closing is not None:
            out["closing"] = closing
            last = rules.latest_verification(item.id, counted)
            if closing is rules.Closing.VERIFIED and last is not None:
                out["verified_by"] = last.reviewer
                out["verified_at"] = last.recorded_at
    return out


def check_evidence(record: Any, path: str) -> Any:
    """``record`` with a warning for each evidence file missing or changed since recorded.

    Only records that name evidence cost anything: their files are hashed
    (:func:`selfcheck.rectify.evidence.evidence_problem`), relative to the
    response file at ``path``.
    """
    if not any(row.evidence for row in record.problems):
        return record
    from pathlib import Path

    import msgspec

    from selfcheck.rectify.evidence import evidence_problem
    from selfcheck.response import EvidenceFile

    base = Path(path).parent
    found = []
    for row in record.problems:
        for e in row.evidence:
            stored = EvidenceFile(name=e.name, stored=e.stored, size=e.size, sha256=e.sha256)
            problem = evidence_problem(base, row.item, stored)
            if problem:
                found.append(EVIDENCE_WARNING + problem)
    if not found:
        return record
    return msgspec.structs.replace(record, warnings=[*record.warnings, *found])


def closing_cell(row: Any) -> str:
    """销号情况: ``已销号（王五，2009-03-25）``, ``自报完成（待核验）`` or empty."""
    closing = row.closing
    if closing is None:
        return ""
    if closing is rules.Closing.VERIFIED:
        when = clock.day(row.verified_at) if row.verified_at is not None else ""
        by = "，".join(p for p in (row.verified_by, when) if p)
        return f"{closing.label}（{by}）" if by else closing.label
    return f"{closing.label}（待核验）"


def ledger_cells(row: Any) -> dict[str, str]:
    """The ledger's 整改类型, 责任领导, 佐证材料 and 销号情况 cells of a problem row."""
    evidence = "、".join(e.name for e in row.evidence)
    return {
        "kind": row.kind,
        "leader": row.leader,
        "evidence": evidence,
        "closing": closing_cell(row),
    }


CLOSING_COLUMNS = tuple(c.label for c in rules.CLOSINGS)
CLOSING_NOTE = (
    "其中已完成分为已销号（机关党委对照佐证材料核验通过）和自报完成（干部自报、尚未核验）。"
)
REVIEW_COLUMNS = ("单位", "材料", *(s.label for s in rules.REVIEW_STATUSES), "平均稿数")
REVIEW_NOTE = "平均稿数 = 各份材料的稿数之和 ÷ 材料份数（每退回重新提交一次多一稿）。"


def review_cells(figure: Any) -> list[str]:
    """One row of the 材料审核 table: unit, materials, each status, mean drafts."""
    mean = "—" if figure.mean_drafts is None else f"{figure.mean_drafts:.1f}"
    return [
        figure.unit,
        str(figure.materials),
        *(str(figure.by_status[s.value]) for s in rules.REVIEW_STATUSES),
        mean,
    ]
