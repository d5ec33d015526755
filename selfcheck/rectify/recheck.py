"""The committee's 回头看: re-check a closed measure, 巩固 or 反弹 (``rectify --recheck``).

A re-check is an append-only :class:`~selfcheck.response.RecheckEntry` in the
response file. 反弹 also reopens the measure: a progress entry with
:data:`selfcheck.rules.REOPENED_STATUS` and the new deadline is appended in
the same locked write, so every stage (ledger, report, summary) sees the
measure open again and overdue once the new deadline passes. What 巩固 and
反弹 mean, and which measures can be re-checked, is asked of
:mod:`selfcheck.rules`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck import clock, rules
from selfcheck.answers import InvalidAnswer, parse_date
from selfcheck.errors import Interrupted, RectifyError, not_recorded, refused
from selfcheck.rectify.progress import (
    Measure,
    clean_note,
    list_measures,
    measure_for,
    parse_entry_date,
)
from selfcheck.response import RecheckEntry, RectifyEntry, Response, replace, update_response
from selfcheck.textsafe import clean_text

if TYPE_CHECKING:
    from rich.console import Console

    from selfcheck.checklist.model import Checklist
    from selfcheck.prompter import Prompter

WHAT = "回头看结果"
"""What a refused 回头看 did not record (:func:`selfcheck.errors.refused`)."""


@dataclass(frozen=True)
class RecheckRequest:
    """A checked re-check: item, result, day, note and (for 反弹) the new deadline."""

    item_id: str
    result: rules.RecheckResult
    on: date
    note: str
    deadline: date | None


def result_choices() -> str:
    """Every result label joined by 、 (what ``--result`` may be)."""
    return "、".join(r.label for r in rules.RECHECK_RESULTS)


def parse_result(text: str) -> rules.RecheckResult:
    """The result named by ``text``, or :class:`RectifyError` naming the choices."""
    found = rules.recheck_result_of(text)
    if found is None:
        shown = clean_text(text).strip() or "（空）"
        raise RectifyError(f"未知的回头看结果“{shown}”：可选 {result_choices()}")
    return found


def parse_deadline(text: str, *, after: date) -> date:
    """A new deadline for a reopened measure: a real day later than ``after``."""
    try:
        value = parse_date(text)
    except InvalidAnswer as exc:
        raise RectifyError(f"新的整改时限：{exc}") from None
    if value <= after:
        raise RectifyError(f"新的整改时限 {value.isoformat()} 应晚于回头看日期 {after.isoformat()}")
    return value


def check_request(
    measures: Sequence[Measure],
    item_id: str,
    result: rules.RecheckResult,
    on: date,
    deadline: date | None,
) -> Measure:
    """The measure ``item_id`` if it can be re-checked as asked; else :class:`RectifyError`."""
    measure = measure_for(measures, item_id)
    if not rules.can_recheck(measure.status.value):
        closed = "、".join(s.label for s in rules.STATUSES if s.closed)
        raise RectifyError(
            f"检查项“{item_id}”目前为“{measure.status.label}”：回头看只复查已报{closed}的措施"
        )
    latest = measure.latest
    if latest is not None and on < latest.date:
        raise RectifyError(
            f"回头看日期 {on.isoformat()} 早于该项上次记录的日期 {latest.date.isoformat()}"
        )
    if result.reopens and deadline is None:
        raise RectifyError(
            f"{result.label}会重新打开整改：请用 --deadline 给出新的整改时限，"
            "如 --deadline 2009-06-30"
        )
    if not result.reopens and deadline is not None:
        raise RectifyError(f"{result.label}不重新打开整改，不需要 --deadline")
    return measure


def entries_for(request: RecheckRequest) -> tuple[RecheckEntry, RectifyEntry | None]:
    """The log entries of ``request``: the re-check, and for 反弹 the reopening entry."""
    now = clock.now()
    recheck = RecheckEntry(
        item=request.item_id,
        result=request.result,
        date=request.on,
        note=request.note,
        deadline=request.deadline,
        recorded_at=now,
    )
    if not request.result.reopens:
        return recheck, None
    note = f"回头看{request.result.label}，重新整改" + (f"：{request.note}" if request.note else "")
    reopen = RectifyEntry(
        item=request.item_id,
        status=rules.REOPENED_STATUS,
        date=request.on,
        note=note,
        recorded_at=now,
        deadline=request.deadline,
    )
    return recheck, reopen


def apply(response: Response, request: RecheckRequest) -> Response:
    """A copy of ``response`` with the entries of ``request`` appended; nothing else changes."""
    recheck, reopen = entries_for(request)
    rechecks = [*response.rechecks, recheck]
    if reopen is None:
        return replace(response, rechecks=rechecks)
    return replace(response, rechecks=rechecks, rectification=[*response.rectification, reopen])


def record_recheck(
    path: Path,
    checklist: Checklist,
    item_id: str,
    result_text: str,
    *,
    note: str,
    deadline_text: str | None,
    on: str | None,
    today: date,
    ask_deadline: Callable[[Measure], str] | None = None,
) -> tuple[Response, Measure]:
    """Check and record one re-check under the file's lock (all or nothing).

    ``ask_deadline`` is asked for the new deadline when 反弹 was given without
    one (interactive use); without it a missing deadline is an error.
    """
    from selfcheck.rectify.store import _require_same_checklist, _require_submitted

    try:
        result = parse_result(result_text)
        day = parse_entry_date(on, today=today)
        cleaned = clean_note(note)
    except RectifyError as exc:
        raise RectifyError(refused(exc.message, WHAT)) from None
    found: list[Measure] = []
    text = deadline_text
    if text is None and result.reopens and ask_deadline is not None:
        # Asked before the lock is taken: nobody else has to wait while a person types.
        # What is typed is checked again below against the file as it is then.
        from selfcheck.rectify.store import load_submitted

        by_id = {m.item_id: m for m in list_measures(checklist, load_submitted(path), today=today)}
        if item_id in by_id and rules.can_recheck(by_id[item_id].status.value):
            text = ask_deadline(by_id[item_id])

    def change(current: Response) -> Response:
        _require_submitted(current, path)
        _require_same_checklist(current, checklist, path)
        measures = list_measures(checklist, current, today=today)
        try:
            deadline = parse_deadline(text, after=day) if text else None
            measure = check_request(measures, item_id, result, day, deadline)
        except RectifyError as exc:
            raise RectifyError(refused(exc.message, WHAT)) from None
        found.append(measure)
        return apply(current, RecheckRequest(item_id, result, day, cleaned, deadline))

    saved = update_response(path, change)
    return saved, found[-1]


def recheck_command(
    path: Path,
    checklist: Checklist,
    item_id: str | None,
    result_text: str | None,
    *,
    note: str,
    deadline: str | None,
    on: str | None,
    today: date,
    no_input: bool,
    console: Console,
    prompter: Prompter | None = None,
) -> int:
    """``rectify FILE --recheck ITEM --result 巩固|反弹 [--note] [--deadline]``: record, show."""
    from rich.text import Text

    from selfcheck.rectify import view

    if not item_id or not result_text:
        raise RectifyError(
            refused(f"回头看需要同时给出 --recheck 检查项 和 --result {result_choices()}", WHAT)
        )
    ask: Callable[[Measure], str] | None = None
    if not no_input:
        from selfcheck.prompter import TerminalPrompter

        asker = prompter or TerminalPrompter(console)

        def ask(measure: Measure) -> str:
            asker.say(f"{measure.item_label}：回头看发现反弹，将重新整改。", "yellow")

            def check(text: str) -> str:
                try:
                    parse_deadline(text, after=parse_entry_date(on, today=today))
                except RectifyError as exc:
                    raise ValueError(exc.message) from None
                return text

            stopped = not_recorded(WHAT)
            try:
                with asker.saving_nothing(stopped):
                    given = asker.ask("新的整改时限", check, hint="如 2009-06-30")
            except (KeyboardInterrupt, EOFError):
                asker.console.print()  # the prompt line was left open
                raise Interrupted(f"已中断，{stopped}。") from None
            return given or ""

    saved, measure = record_recheck(
        path,
        checklist,
        item_id,
        result_text,
        note=note,
        deadline_text=deadline,
        on=on,
        today=today,
        ask_deadline=ask,
    )
    entry = saved.rechecks[-1]
    line = Text(
        f"已记录回头看：{measure.item_label}［{entry.item}］{entry.result.label}", style="green"
    )
    if entry.deadline is not None:
        line.append(f"，重新整改，新的整改时限 {entry.deadline.isoformat()}")
    line.append(f"，保存到 {path}")
    measures = list_measures(checklist, saved, today=today)
    view.show_measures(console, saved, measures, today=today)
    console.print()
    console.print(line, soft_wrap=True)
    return 0
