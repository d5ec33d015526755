"""对账销号: the committee checks a measure reported 已完成 against its evidence.

``selfcheck rectify FILE --verify ITEM --accept|--reject --note … --reviewer …``
appends a :class:`~selfcheck.response.VerifyEntry`. Only an accepted 已完成
counts as 已销号 (:func:`selfcheck.rules.closing_of`); a rejection also
appends a progress entry that puts the measure back to 整改中 with the
reason as its note, so the cadre sees why. Everything is checked again under
the file's lock; a refusal leaves the file byte-identical.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text

from selfcheck import clock, rules
from selfcheck.errors import Interrupted, RectifyError, none_recorded, refused, too_long
from selfcheck.rectify import store, view
from selfcheck.rectify.progress import (
    NOTE_MAX_LENGTH,
    Measure,
    clean_note,
    list_measures,
    measure_for,
)
from selfcheck.response import RectifyEntry, Response, VerifyEntry, replace, update_response
from selfcheck.textsafe import one_line

if TYPE_CHECKING:
    from rich.console import Console

    from selfcheck.checklist.model import Checklist
    from selfcheck.prompter import Prompter

WHAT = "核验结果"
REJECT_PREFIX = "销号核验未通过："
ACCEPT_LABEL = f"通过（{rules.Closing.VERIFIED.label}）"
REJECT_LABEL = f"不通过（退回{rules.REJECTED_STATUS.label}）"
"""The two verdicts as the terminal and ``--help`` name them."""
ALL = "all"


@dataclass(frozen=True)
class Verdict:
    """One verification request, still as typed."""

    item: str
    accept: bool
    note: str = ""
    reviewer: str = ""


def _reviewer(text: str, respondent: str) -> str:
    name = one_line(text)
    if not name:
        raise RectifyError(
            refused("请用 --reviewer 写明核验人姓名：销号须由干部本人以外的人核验", WHAT)
        )
    if len(name) > rules.REVIEWER_MAX_LENGTH:
        problem = too_long(rules.REVIEWER_MAX_LENGTH, len(name), "核验人姓名")
        raise RectifyError(refused(problem, WHAT))
    if rules.reviews_own_file(name, respondent):
        raise RectifyError(refused(self_verification(respondent), WHAT))
    return name


def self_verification(respondent: str) -> str:
    """Why ``respondent`` may not close his own measures."""
    return (
        f"核验人“{respondent}”就是这份答卷的干部本人：销号须由干部本人以外的人核验"
        f"（{rules.SELF_REVIEW_HINT}）"
    )


def _measure(measures: Sequence[Measure], item: str) -> Measure:
    try:
        return measure_for(measures, item)
    except RectifyError as exc:
        raise RectifyError(refused(exc.message, WHAT)) from None


def entries_for(
    verdict: Verdict, measures: Sequence[Measure], today: date, respondent: str
) -> tuple[VerifyEntry, RectifyEntry | None]:
    """The checked entries of ``verdict`` on the measures of ``respondent``'s file: the
    verification, and for a rejection the progress entry that returns the measure to
    整改中."""
    reviewer = _reviewer(verdict.reviewer, respondent)
    measure = _measure(measures, verdict.item)
    if not rules.can_verify(measure.status.value):
        raise RectifyError(
            refused(
                f"检查项 {measure.item_id} 的整改状态是“{measure.status.label}”，"
                f"尚未报告{rules.Status.DONE.label}，不能核验",
                WHAT,
            )
        )
    try:
        note = clean_note(verdict.note)
    except RectifyError as exc:
        raise RectifyError(refused(exc.message, WHAT)) from None
    if not verdict.accept and not note:
        raise RectifyError(refused("核验不通过时请用 --note 写明理由，干部据此继续整改", WHAT))
    now = clock.now()
    entry = VerifyEntry(
        item=measure.item_id,
        decision=rules.VERIFY_ACCEPT if verdict.accept else rules.VERIFY_REJECT,  # type: ignore[arg-type]
        note=note,
        reviewer=reviewer,
        recorded_at=now,
    )
    if verdict.accept:
        return entry, None
    latest = measure.latest
    on = max(today, latest.date) if latest is not None else today
    back = RectifyEntry(
        item=measure.item_id,
        status=rules.REJECTED_STATUS,
        date=on,
        note=f"{REJECT_PREFIX}{note}",
        recorded_at=now,
    )
    return entry, back


def record_verdict(path: Path, checklist: Checklist, verdict: Verdict, *, today: date) -> Response:
    """Append ``verdict`` to the file at ``path``, re-read and re-checked under its lock."""

    def change(current: Response) -> Response:
        if current.status != "submitted":
            raise RectifyError(refused(f"{path} 是尚未提交的草稿，没有可核验的整改措施", WHAT))
        if current.checklist.sha256 != checklist.sha256:
            raise RectifyError(refused(f"答卷文件 {path} 在此期间被重新提交过：请重新运行", WHAT))
        measures = list_measures(checklist, current, today=today)
        verification, back = entries_for(verdict, measures, today, current.respondent.name)
        rectification = (
            [*current.rectification, back] if back is not None else current.rectification
        )
        return replace(
            current,
            verifications=[*current.verifications, verification],
            rectification=list(rectification),
        )

    return update_response(path, change)


def verify_command(
    path: Path,
    checklist: Checklist,
    item: str,
    accept: bool | None,
    *,
    note: str,
    reviewer: str | None,
    today: date,
    no_input: bool,
    console: Console,
    prompter: Prompter | None = None,
) -> int:
    """``rectify --verify``: scripted with ``--accept``/``--reject``, else asked item by item."""
    if accept is not None:
        if item == ALL:
            raise RectifyError(refused("--verify all 只能逐项询问：请去掉 --accept/--reject", WHAT))
        saved = record_verdict(
            path, checklist, Verdict(item, accept, note, reviewer or ""), today=today
        )
        show_result(console, saved, checklist, item, today, path)
        return 0
    if no_input:
        raise RectifyError(refused("--no-input 时请用 --accept 或 --reject 给出核验结论", WHAT))
    if prompter is None:
        from selfcheck.prompter import TerminalPrompter

        prompter = TerminalPrompter(console)
    # ? says what leaving keeps: the verdicts saved so far, not the one being asked
    with prompter.saving_nothing(f"正在核验的这一项不记录（已保存的{WHAT}不受影响）"):
        return _ask(path, checklist, item, reviewer, today, prompter)


def show_result(
    console: Console, saved: Response, checklist: Checklist, item: str, today: date, path: Path
) -> None:
    """``work-2：已销号（王五）`` or the measure back at 整改中 with the reason."""
    measure = _measure(list_measures(checklist, saved, today=today), item)
    view.print_block(console, 1, 1, measure)
    console.print(Text(f"核验结果已记录，保存到 {path}", style="green"))


def _ask(
    path: Path,
    checklist: Checklist,
    item: str,
    reviewer: str | None,
    today: date,
    prompter: Prompter,
) -> int:
    current = store.load_submitted(path)
    measures = list_measures(checklist, current, today=today)
    if item == ALL:
        todo = [m for m in measures if m.closing is rules.Closing.SELF_REPORTED]
        if not todo:
            prompter.say(f"没有待核验（{rules.Closing.SELF_REPORTED.label}）的整改措施。")
            return 0
    else:
        todo = [_measure(measures, item)]
    recorded = 0
    try:
        for n, measure in enumerate(todo, start=1):
            prompter.console.print()
            view.print_block(prompter.console, n, len(todo), measure, history=True)
            if not rules.can_verify(measure.status.value):
                prompter.say(f"该项尚未报告{rules.Status.DONE.label}，不能核验。", "yellow")
                continue
            choice = prompter.choose(
                "核验结论", [ACCEPT_LABEL, REJECT_LABEL, "暂不核验"], default=None
            )
            if choice == 2:
                continue
            note = (
                prompter.ask_text(
                    "核验说明" + ("（不通过时必填）" if choice == 1 else "（可不填）"),
                    required=choice == 1,
                    max_length=NOTE_MAX_LENGTH,
                )
                or ""
            )
            while not reviewer or rules.reviews_own_file(reviewer, current.respondent.name):
                if reviewer:
                    prompter.say(self_verification(current.respondent.name), "yellow")
                longest = rules.REVIEWER_MAX_LENGTH
                reviewer = prompter.ask_text("核验人姓名", max_length=longest) or ""
            record_verdict(
                path, checklist, Verdict(measure.item_id, choice == 0, note, reviewer), today=today
            )
            recorded += 1
            prompter.say("已保存。", "green")
    except (KeyboardInterrupt, EOFError):
        prompter.console.print()
        raise Interrupted(view.interrupted(recorded, WHAT, path)) from None
    if recorded:
        prompter.say(f"共记录 {recorded} 条{WHAT}。", "green")
    else:
        prompter.say(f"{none_recorded(WHAT)}。")
    return 0
