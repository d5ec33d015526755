"""The committee fills the ledger columns of one item: 问题来源, 整改类型, 责任领导.

The answers may already carry them (questions with meaning ``source``,
``rectify_type``, ``leader``); what the committee enters is an append-only
:class:`~selfcheck.response.LedgerEntry` and, field by field, the latest
non-empty entry wins over the answer (:func:`ledger_values`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from selfcheck import clock, rules
from selfcheck.errors import ReviewError, refused
from selfcheck.response import LedgerEntry, Response, replace, update_response
from selfcheck.review.record import clean_one_line, require_reviewer, require_submitted
from selfcheck.textsafe import clean_text, one_line

WHAT = "台账栏目"
LEADER_MAX_LENGTH = 50
FIELDS = ("source", "kind", "leader")


def _pick(value: str | None, allowed: tuple[str, ...], what: str) -> str:
    text = one_line(value)
    if text and text not in allowed:
        raise ReviewError(refused(f"{what}“{text}”不在可选范围内：可选 {'、'.join(allowed)}", WHAT))
    return text


def record_ledger(
    path: Path,
    item: str,
    *,
    source: str | None,
    kind: str | None,
    leader: str | None,
    by: str | None,
) -> Response:
    """Append the committee's ledger columns for ``item`` (checked under the file's lock)."""
    entry_source = _pick(source, rules.PROBLEM_SOURCES, "问题来源")
    entry_kind = _pick(kind, rules.RECTIFY_KINDS, "整改类型")
    entry_leader = clean_one_line(leader or "", "责任领导", LEADER_MAX_LENGTH, WHAT)
    if not (entry_source or entry_kind or entry_leader):
        raise ReviewError(
            refused(
                "请至少给出 --source（问题来源）、--kind（整改类型）或 --leader（责任领导）之一",
                WHAT,
            )
        )
    who = require_reviewer(by, WHAT)

    def change(current: Response) -> Response:
        require_submitted(current, path, WHAT)
        if item not in current.answers:
            known = "、".join(current.answers) or "（无）"
            raise ReviewError(refused(f"答卷中没有检查项 {clean_text(item)}：可选 {known}", WHAT))
        entry = LedgerEntry(
            item=item,
            source=entry_source,
            kind=entry_kind,
            leader=entry_leader,
            by=who,
            recorded_at=clock.now(),
        )
        return replace(current, ledger=[*current.ledger, entry])

    return update_response(path, change)


def ledger_values(item: str, entries: Iterable[LedgerEntry]) -> dict[str, str]:
    """The committee's latest non-empty value of each ledger field of ``item``."""
    out: dict[str, str] = {}
    for entry in rules.in_recorded_order(e for e in entries if e.item == item):
        for field in FIELDS:
            value = getattr(entry, field)
            if value:
                out[field] = value
    return out
