"""The domain of progress records: measures, status requests, log entries. No I/O.

Every rule (statuses, closed, overdue, latest entry, needs rectification,
deadline) is asked of :mod:`selfcheck.rules`; this module adds what only
rectify needs: how a person names a status on the command line, the checks
a new entry must pass, and the messages that say why one cannot be recorded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from selfcheck import clock, rules
from selfcheck.answers import InvalidAnswer, meaning_text, parse_date
from selfcheck.errors import RectifyError, not_recorded, too_long
from selfcheck.response import EvidenceFile, RectifyEntry, Response, VerifyEntry, replace
from selfcheck.rules import STATUSES, Status
from selfcheck.textsafe import clean_text, one_line

if TYPE_CHECKING:
    from selfcheck.checklist.model import Checklist

NOTE_MAX_LENGTH = 500

_SET_SYNTAX = re.compile(
    r"^\s*(?P<item>[^=＝\s]+)\s*[=＝]\s*(?P<status>[^:：]*?)\s*(?:[:：](?P<note>.*))?$", re.S
)


@dataclass(frozen=True)
class Measure:
    """One measure of one person, with where it stands today."""

    item_id: str
    section_title: str
    rubric: str | None
    item_label: str
    problem: str
    measure: str
    deadline: date | None
    history: tuple[RectifyEntry, ...] = field(default=())
    overdue: bool = False
    verifications: tuple[VerifyEntry, ...] = field(default=())
    """The committee's verifications of this item (对账销号), in log order."""

    @property
    def closing(self) -> rules.Closing | None:
        """已销号 or 自报完成 when the latest status is 已完成 (:func:`rules.closing_of`)."""
        return rules.closing_of(self.latest, self.status.value, self.verifications)

    @property
    def last_verification(self) -> VerifyEntry | None:
        """The latest verification of this item, if any."""
        return rules.latest_verification(self.item_id, self.verifications)

    @property
    def latest(self) -> RectifyEntry | None:
        """The most recent progress entry, if any."""
        return self.history[-1] if self.history else None

    @property
    def status(self) -> Status:
        """The latest status, :attr:`Status.NOT_STARTED` when nothing was recorded."""
        latest = self.latest
        return latest.status if latest else Status.NOT_STARTED

    @property
    def closed(self) -> bool:
        """True when the latest status closes the measure (see :attr:`Status.closed`)."""
        return self.status.closed


@dataclass(frozen=True)
class StatusUpdate:
    """A requested change: record ``status`` for ``item_id`` on ``on`` with ``note``."""

    item_id: str
    status: Status
    on: date
    note: str = ""
    evidence: tuple[EvidenceFile, ...] = ()


# --------------------------------------------------------------------- queries


def list_measures(checklist: Checklist, response: Response, *, today: date) -> list[Measure]:
    """Every item of ``response`` that needs rectification, in checklist order."""
    history = rules.history_by_item(response.rectification)
    measures = []
    counted = rules.counted_verifications(response.verifications, response.respondent.name)
    for section, item in checklist.items_for(response.respondent.role):
        answers = response.answers.get(item.id) or {}
        if not rules.needs_rectification(item, answers):
            continue
        entries = tuple(history.get(item.id, ()))
        deadline = rules.current_deadline(rules.deadline_of(item, answers), entries)
        status = rules.current_status(entries)
        measures.append(
            Measure(
                item_id=item.id,
                section_title=section.title,
                rubric=section.rubric,
                item_label=item.label,
                problem=meaning_text(item, answers, rules.PROBLEM),
                measure=meaning_text(item, answers, rules.MEASURE),
                deadline=deadline,
                history=entries,
                verifications=tuple(v for v in counted if v.item == item.id),
                overdue=rules.is_overdue(deadline, status, today),
            )
        )
    return measures


# ------------------------------------------------------------------- parsing


def status_choices() -> str:
    """Every status as ``LABEL（ascii-id）``, joined by 、: what a status may be called."""
    return "、".join(f"{status.label}（{status.ascii_id}）" for status in STATUSES)


def parse_status(text: str) -> Status:
    """The status named by ``text``: a Chinese label, a listed synonym or an ASCII id.

    Raises :class:`RectifyError` naming the value when it is unknown.
    """
    found = rules.status_of(text)
    if found is None:
        shown = text.strip() or "（空）"
        raise RectifyError(f"未知的整改状态“{shown}”：可选 {status_choices()}")
    return found


def clean_note(text: str) -> str:
    """A short one-line evidence note: control characters removed, whitespace collapsed."""
    note = one_line(text)
    if len(note) > NOTE_MAX_LENGTH:
        raise RectifyError(too_long(NOTE_MAX_LENGTH, len(note), "说明"))
    return note


def parse_entry_date(raw: str | None, *, today: date) -> date:
    """The date of a progress entry: today by default, never in the future.

    Accepts the formats of :func:`selfcheck.answers.parse_date` (people type
    ``2009年1月12日``); stored days are strict ISO.
    """
    if raw is None or not raw.strip():
        return today
    try:
        value = parse_date(raw)
    except InvalidAnswer as exc:
        raise RectifyError(str(exc)) from None
    if value > today:
        raise RectifyError(
            f"日期 {value.isoformat()} 晚于今天（{today.isoformat()}）：不能记录将来的进展"
        )
    return value


def early_date_warning(on: date, response: Response) -> str | None:
    """Why ``on`` may be a slip of the year (``2008-01-05`` typed in January 2009): it is
    before the person began the self-inspection that found the problem; None otherwise.

    A caution, not a refusal: a material first written on paper and typed in later has
    real progress older than its file.
    """
    started = response.started_at.date()
    if on >= started:
        return None
    return f"日期 {on.isoformat()} 早于开始对照检查的日期 {started.isoformat()}，请核对年份"


def parse_set(spec: str) -> tuple[str, str, str]:
    """Split ``ITEM_ID=STATUS[:note]`` into its parts (status and note still raw text)."""
    match = _SET_SYNTAX.match(spec)
    if match is None or not match.group("item"):
        raise RectifyError(
            f"格式应为 检查项=状态[:说明]，如 work-2={Status.DONE.label}:已建立台账；"
            f"收到的是“{clean_text(spec)}”"
        )
    return match.group("item"), match.group("status"), match.group("note") or ""


# ---------------------------------------------------------------- validation


def check_update(
    measures: Sequence[Measure],
    update: StatusUpdate,
    *,
    today: date,
    checklist: Checklist | None = None,
    role: str | None = None,
) -> None:
    """Raise :class:`RectifyError` if ``update`` cannot be recorded against ``measures``.

    ``checklist`` and ``role``, when given, make the message for an item
    without a measure say why (unknown item, other role, no problem found).
    """
    measure = measure_for(measures, update.item_id, checklist, role)
    if update.status not in STATUSES:
        raise RectifyError(f"未知的整改状态“{update.status}”")
    if update.on > today:
        raise RectifyError(f"日期 {update.on.isoformat()} 晚于今天（{today.isoformat()}）")
    latest = measure.latest
    if latest is not None and update.on < latest.date:
        raise RectifyError(
            f"日期 {update.on.isoformat()} 早于该项上次记录的日期 {latest.date.isoformat()}"
            "：整改进展按时间顺序记录"
        )


def measure_for(
    measures: Sequence[Measure],
    item_id: str,
    checklist: Checklist | None = None,
    role: str | None = None,
) -> Measure:
    """The measure of ``item_id``; else :class:`RectifyError` saying why there is none and
    which items have one (every stage that records against a measure asks this way)."""
    for measure in measures:
        if measure.item_id == item_id:
            return measure
    reason = _why_no_measure(clean_text(item_id), checklist, role)
    raise RectifyError(f"{reason}。{_known_items(measures)}")


def _why_no_measure(item_id: str, checklist: Checklist | None, role: str | None) -> str:
    if checklist is None:
        return f"检查项“{item_id}”没有整改措施"
    found = checklist.item(item_id)
    if found is None:
        return f"检查表中没有检查项“{item_id}”"
    section, item = found
    if role is not None and not section.applies_to(role):
        return f"检查项“{item_id}”（{item.label}）不适用于本人的角色"
    return f"检查项“{item_id}”（{item.label}）没有查摆出问题，无需整改"


def _known_items(measures: Sequence[Measure]) -> str:
    if not measures:
        return "本答卷没有查摆出需要整改的问题。"
    return "有整改措施的检查项：" + "、".join(m.item_id for m in measures)


def updates_from_sets(
    measures: Sequence[Measure],
    sets: Sequence[str],
    *,
    on: str | None,
    today: date,
    checklist: Checklist | None = None,
    role: str | None = None,
) -> list[StatusUpdate]:
    """Turn every ``--set`` into a checked :class:`StatusUpdate`, or raise naming each bad one.

    Nothing is recorded unless every ``--set`` (and ``--date``) is valid.
    """
    errors: list[str] = []
    try:
        when: date | None = parse_entry_date(on, today=today)
    except RectifyError as exc:
        errors.append(f"--date {clean_text(on or '')}：{exc.message}")
        when = None
    updates: list[StatusUpdate] = []
    seen: set[str] = set()
    for spec in sets:
        shown = clean_text(spec)
        try:
            item_id, status_text, note_text = parse_set(spec)
            if item_id in seen:
                raise RectifyError(f"检查项“{item_id}”被指定了不止一次")
            seen.add(item_id)
            status = parse_status(status_text)
            note = clean_note(note_text)
            if when is None:
                continue
            update = StatusUpdate(item_id, status, when, note)
            check_update(measures, update, today=today, checklist=checklist, role=role)
            updates.append(update)
        except RectifyError as exc:
            errors.append(f"--set {shown}：{exc.message}")
    if errors:
        listing = "\n".join(f"  {e}" for e in errors)
        raise RectifyError(f"{NOT_RECORDED}：\n{listing}")
    return updates


WHAT = "整改进展"
"""What a refused --set leaves unrecorded."""
NOT_RECORDED = not_recorded(WHAT)


# ------------------------------------------------------------------ recording


def entry_for(update: StatusUpdate) -> RectifyEntry:
    """The log entry for ``update``, stamped with :func:`selfcheck.clock.now`."""
    return RectifyEntry(
        item=update.item_id,
        status=Status(update.status),
        date=update.on,
        note=update.note,
        recorded_at=clock.now(),
        evidence=list(update.evidence),
    )


def append_entries(response: Response, entries: Sequence[RectifyEntry]) -> Response:
    """A copy of ``response`` with ``entries`` appended to its log; nothing else changes."""
    return replace(response, rectification=[*response.rectification, *entries])
