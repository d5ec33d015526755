"""The rectification phase (整改): progress on every measure a cadre wrote.

A submitted response carries an append-only ``rectification`` log of
:class:`~selfcheck.response.RectifyEntry`. This module lists a person's
measures with their latest status and overdue flag, parses and validates
``--set ITEM=STATUS[:note]`` requests, and appends new entries. It never
touches ``answers``, ``submitted_at`` or the checklist reference.

``rectify_command`` is what ``selfcheck rectify`` calls; the interactive walk
lives in :mod:`selfcheck.rectify_walk`, the terminal output in
:mod:`selfcheck.rectify_view`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck import clock
from selfcheck.answers import InvalidAnswer, display_answer, is_empty, marks_problem, parse_date
from selfcheck.errors import ChecklistError, ResponseError, UsageError
from selfcheck.response import (
    RECTIFY_STATUSES,
    RectifyEntry,
    Response,
    parse_response,
    save_response,
)
from selfcheck.textsafe import clean_text

if TYPE_CHECKING:
    from rich.console import Console

    from selfcheck.checklist.model import Checklist, Item
    from selfcheck.response import Answer, RectifyStatus
    from selfcheck.run.prompter import Prompter

NOT_STARTED = "未开始"
IN_PROGRESS = "整改中"
DONE = "已完成"
ONGOING = "长期坚持"
CLOSED_STATUSES: frozenset[str] = frozenset({DONE, ONGOING})
"""Statuses that close a measure: it can no longer be overdue."""

NOTE_MAX_LENGTH = 500

# Exact Chinese labels, plus a few unambiguous synonyms and ASCII ids for scripts.
_STATUS_SYNONYMS: dict[str, str] = {
    "未开始": NOT_STARTED,
    "尚未开始": NOT_STARTED,
    "not-started": NOT_STARTED,
    "todo": NOT_STARTED,
    "整改中": IN_PROGRESS,
    "正在整改": IN_PROGRESS,
    "in-progress": IN_PROGRESS,
    "doing": IN_PROGRESS,
    "已完成": DONE,
    "完成": DONE,
    "已整改": DONE,
    "done": DONE,
    "长期坚持": ONGOING,
    "ongoing": ONGOING,
}
STATUS_IDS: dict[str, str] = {
    NOT_STARTED: "not-started",
    IN_PROGRESS: "in-progress",
    DONE: "done",
    ONGOING: "ongoing",
}
"""The ASCII id of each status, for scripts and file formats that want one."""

_SET_SYNTAX = re.compile(
    r"^\s*(?P<item>[^=\s]+)\s*=\s*(?P<status>[^:：]*?)\s*(?:[:：](?P<note>.*))?$", re.S
)


class RectifyError(UsageError):
    """A rectification request that cannot be recorded (bad ``--set``, ``--date``, draft...)."""


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

    @property
    def latest(self) -> RectifyEntry | None:
        """The most recent progress entry, if any."""
        return self.history[-1] if self.history else None

    @property
    def status(self) -> str:
        """The latest status, 未开始 when nothing was recorded."""
        latest = self.latest
        return latest.status if latest else NOT_STARTED

    @property
    def closed(self) -> bool:
        """True when the latest status is 已完成 or 长期坚持."""
        return self.status in CLOSED_STATUSES


@dataclass(frozen=True)
class StatusUpdate:
    """A requested change: record ``status`` for ``item_id`` on ``on`` with ``note``."""

    item_id: str
    status: str
    on: date
    note: str = ""


# --------------------------------------------------------------------- queries


def is_overdue(deadline: date | None, status: str, today: date) -> bool:
    """A measure is overdue when its deadline has passed and it is not 已完成/长期坚持."""
    return deadline is not None and deadline < today and status not in CLOSED_STATUSES


def in_recorded_order(entries: Iterable[RectifyEntry]) -> list[RectifyEntry]:
    """The log sorted by ``recorded_at``, log order breaking ties.

    ``rectify`` only appends, so this is the log order; the sort keeps the
    answer the same as the report's and the summary's for hand-edited files.
    """
    indexed = list(enumerate(entries))
    indexed.sort(key=lambda pair: (pair[1].recorded_at.timestamp(), pair[0]))
    return [entry for _, entry in indexed]


def _texts(item: Item, answers: Mapping[str, Answer], meaning: str) -> str:
    parts = []
    for question in item.questions:
        if question.meaning != meaning:
            continue
        value = answers.get(question.id)
        if not is_empty(value):
            parts.append(display_answer(question, value))
    return "；".join(parts)


def _deadline(item: Item, answers: Mapping[str, Answer]) -> date | None:
    for question in item.questions:
        if question.meaning != "deadline":
            continue
        value = answers.get(question.id)
        if is_empty(value):
            continue
        try:
            return parse_date(value)
        except InvalidAnswer:
            continue  # a non-date deadline question: shown as text, never overdue
    return None


def has_measure(item: Item, answers: Mapping[str, Answer]) -> bool:
    """True when the item needs rectification: its rating marks a problem or it has a measure."""
    return marks_problem(item, answers) or bool(_texts(item, answers, "measure"))


def list_measures(checklist: Checklist, response: Response, *, today: date) -> list[Measure]:
    """Every item of ``response`` that needs rectification, in checklist order."""
    history: dict[str, list[RectifyEntry]] = {}
    for entry in in_recorded_order(response.rectification):
        history.setdefault(entry.item, []).append(entry)
    measures = []
    for section, item in checklist.items_for(response.respondent.role):
        answers = response.answers.get(item.id) or {}
        if not has_measure(item, answers):
            continue
        entries = tuple(history.get(item.id, ()))
        deadline = _deadline(item, answers)
        status = entries[-1].status if entries else NOT_STARTED
        measures.append(
            Measure(
                item_id=item.id,
                section_title=section.title,
                rubric=section.rubric,
                item_label=item.label,
                problem=_texts(item, answers, "problem"),
                measure=_texts(item, answers, "measure"),
                deadline=deadline,
                history=entries,
                overdue=is_overdue(deadline, status, today),
            )
        )
    return measures


# ------------------------------------------------------------------- parsing


def parse_status(text: str) -> str:
    """The status named by ``text``: a Chinese label, a listed synonym or an ASCII id.

    Raises :class:`RectifyError` naming the value when it is unknown.
    """
    key = text.strip()
    found = _STATUS_SYNONYMS.get(key) or _STATUS_SYNONYMS.get(key.lower())
    if found is None:
        choices = "、".join(f"{label}（{STATUS_IDS[label]}）" for label in RECTIFY_STATUSES)
        shown = key or "（空）"
        raise RectifyError(f"未知的整改状态“{shown}”：可选 {choices}")
    return found


def clean_note(text: str) -> str:
    """A short one-line evidence note: control characters removed, whitespace collapsed."""
    note = " ".join(clean_text(text).split())
    if len(note) > NOTE_MAX_LENGTH:
        raise RectifyError(f"说明太长了：最多 {NOTE_MAX_LENGTH} 个字，现在 {len(note)} 个字")
    return note


def parse_entry_date(raw: str | None, *, today: date) -> date:
    """The date of a progress entry: today by default, never in the future.

    Accepts the formats of :func:`selfcheck.answers.parse_date`.
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


def parse_set(spec: str) -> tuple[str, str, str]:
    """Split ``ITEM_ID=STATUS[:note]`` into its parts (status and note still raw text)."""
    match = _SET_SYNTAX.match(spec)
    if match is None or not match.group("item"):
        raise RectifyError(
            "格式应为 检查项=状态[:说明]，如 work-2=已完成:已建立台账；"
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
    by_id = {m.item_id: m for m in measures}
    measure = by_id.get(update.item_id)
    if measure is None:
        reason = _why_no_measure(update.item_id, checklist, role)
        raise RectifyError(f"{reason}。{_known_items(measures)}")
    if update.status not in RECTIFY_STATUSES:
        raise RectifyError(f"未知的整改状态“{update.status}”")
    if update.on > today:
        raise RectifyError(f"日期 {update.on.isoformat()} 晚于今天（{today.isoformat()}）")
    latest = measure.latest
    if latest is not None and update.on < latest.date:
        raise RectifyError(
            f"日期 {update.on.isoformat()} 早于该项上次记录的日期 {latest.date.isoformat()}"
            "：整改进展按时间顺序记录"
        )


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
        raise RectifyError(f"整改进展未记录，答卷文件没有改动：\n{listing}")
    return updates


# ------------------------------------------------------------------ recording


def entry_for(update: StatusUpdate) -> RectifyEntry:
    """The log entry for ``update``, stamped with :func:`selfcheck.clock.now`."""
    return RectifyEntry(
        item=update.item_id,
        status=_as_status(update.status),
        date=update.on,
        note=update.note,
        recorded_at=clock.now(),
    )


def _as_status(status: str) -> RectifyStatus:
    for known in RECTIFY_STATUSES:
        if known == status:
            return known  # type: ignore[return-value]
    raise RectifyError(f"未知的整改状态“{status}”")


def append_entries(response: Response, entries: Sequence[RectifyEntry]) -> Response:
    """A copy of ``response`` with ``entries`` appended to its log; nothing else changes."""
    return response.model_copy(update={"rectification": [*response.rectification, *entries]})


class ResponseFile:
    """A submitted response on disk, saved only if nobody else changed it meanwhile."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._bytes = path.read_bytes()
        except FileNotFoundError:
            raise ResponseError(f"找不到答卷文件：{path}") from None
        except OSError as exc:
            raise ResponseError(f"无法读取答卷文件 {path}：{exc.strerror or exc}") from None
        self.response = parse_response(self._bytes, str(path))
        if self.response.status != "submitted":
            raise RectifyError(
                f"{path} 是尚未提交的草稿：请先用 selfcheck run 完成并提交对照检查，"
                "再记录整改进展。"
            )

    def record(self, entries: Sequence[RectifyEntry]) -> None:
        """Append ``entries`` to the log and save atomically (mode 0600)."""
        if not entries:
            return
        try:
            current = self.path.read_bytes()
        except OSError:
            current = b""
        if current != self._bytes:
            raise ResponseError(
                f"答卷文件在此期间被其他程序修改过：{self.path}。"
                "为避免覆盖，本次进展没有保存，请重新运行 selfcheck rectify。"
            )
        updated = append_entries(self.response, entries)
        save_response(updated, self.path)
        self.response = updated
        self._bytes = updated.to_json().encode("utf-8")


# ------------------------------------------------------------------ checklist


def checklist_for(response: Response, ref: str | None, dirs: Sequence[Path]) -> Checklist:
    """The checklist ``response`` was answered under; its content hash must match."""
    from selfcheck.checklist.loader import load_checklist
    from selfcheck.checklist.registry import find_checklist_path

    path = find_checklist_path(ref or response.checklist.id, list(dirs))
    checklist = load_checklist(path)
    expected = response.checklist
    if checklist.sha256 != expected.sha256:
        raise ChecklistError(
            f"答卷是按检查表 {expected.id}（版本 {expected.version}）填写的，"
            f"但找到的检查表 {path}（{checklist.id}，版本 {checklist.version}）内容不同。"
            "请用 --checklist 指定填写时使用的检查表文件。"
        )
    return checklist


# ------------------------------------------------------------------- command


def rectify_command(
    response: Path,
    *,
    no_input: bool,
    sets: Sequence[str],
    on: str | None,
    console: Console,
    checklist_ref: str | None = None,
    dirs: Sequence[Path] = (),
    history: bool = False,
    prompter: Prompter | None = None,
) -> int:
    """``selfcheck rectify``: list measures, then record progress (scripted or interactive).

    With ``--set`` the given statuses are recorded without questions; with
    ``--no-input`` alone the measures are only listed; otherwise every
    measure is asked about through ``prompter`` (default: the terminal).
    Returns the exit code.
    """
    from selfcheck import rectify_view

    today = clock.today()
    file = ResponseFile(response)
    checklist = checklist_for(file.response, checklist_ref, dirs)
    measures = list_measures(checklist, file.response, today=today)
    if sets:
        role = file.response.respondent.role
        updates = updates_from_sets(
            measures, sets, on=on, today=today, checklist=checklist, role=role
        )
        file.record([entry_for(u) for u in updates])
        measures = list_measures(checklist, file.response, today=today)
        rectify_view.show_measures(console, file.response, measures, today=today, history=history)
        rectify_view.show_saved(console, len(updates), file.path)
        return 0
    if no_input or not measures:
        if on is not None:
            parse_entry_date(on, today=today)
        rectify_view.show_measures(console, file.response, measures, today=today, history=history)
        return 0
    from selfcheck import rectify_walk

    return rectify_walk.walk(
        file, checklist, console=console, on=on, today=today, prompter=prompter, history=history
    )
