"""The interactive side of ``selfcheck rectify``: one measure after another.

For each measure the person picks a status, may add a short note of
evidence and a date, and confirms; every confirmed entry is saved at once,
so Ctrl-C never loses one. All questions go through the project's one
prompting seam, :mod:`selfcheck.run.prompter`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from selfcheck import rectify_view
from selfcheck.errors import Interrupted
from selfcheck.rectify import (
    NOTE_MAX_LENGTH,
    Measure,
    RectifyError,
    ResponseFile,
    StatusUpdate,
    check_update,
    entry_for,
    list_measures,
    parse_entry_date,
)
from selfcheck.response import RECTIFY_STATUSES
from selfcheck.run.prompter import GoBack, Prompter, SaveAndQuit

if TYPE_CHECKING:
    from rich.console import Console

    from selfcheck.checklist.model import Checklist

STATUS_HELP = (
    "未开始：还没有着手；整改中：正在落实；已完成：措施已落实、问题已解决（对账销号）；"
    "长期坚持：需要长期坚持的措施，已形成制度或习惯。"
    "已完成和长期坚持的措施不再计为逾期。"
)
NOTE_HELP = "简要写明整改的佐证：做了什么、形成了什么材料（制度、台账、会议记录等）。"
DATE_HELP = "这条进展发生的日期，不能晚于今天，也不能早于该项上次记录的日期。"


def walk(
    file: ResponseFile,
    checklist: Checklist,
    *,
    console: Console,
    on: str | None,
    today: date,
    prompter: Prompter | None = None,
    history: bool = False,
) -> int:
    """Ask for progress on every measure of ``file``; save each confirmed entry. Returns 0.

    ``on`` (``--date``) is the default date offered. Ctrl-C or Ctrl-D raise
    :class:`~selfcheck.errors.Interrupted` (exit 130) after what was
    confirmed has been saved.
    """
    if prompter is None:
        from selfcheck.run.prompter import TerminalPrompter

        prompter = TerminalPrompter(console)
    default_date = parse_entry_date(on, today=today)
    measures = list_measures(checklist, file.response, today=today)
    console.print(rectify_view.header(file.response, today), soft_wrap=True)
    console.print(rectify_view.counts_line(measures), soft_wrap=True)
    prompter.say(
        "逐项记录整改进展：回车保留当前状态；< 返回上一项；q 保存并退出；"
        "每条记录确认后立即保存。",
        "dim",
    )
    start = len(file.response.rectification)
    try:
        recorded = _walk_measures(file, checklist, prompter, default_date, today, history)
    except (KeyboardInterrupt, EOFError):
        console.print()  # the prompt line was left open
        saved = len(file.response.rectification) - start
        raise Interrupted(f"已中断。已确认的 {saved} 条整改进展都已保存在 {file.path}。") from None
    measures = list_measures(checklist, file.response, today=today)
    console.print()
    console.print(rectify_view.counts_line(measures), soft_wrap=True)
    if recorded:
        rectify_view.show_saved(console, recorded, file.path)
    else:
        prompter.say("没有记录新的整改进展，答卷未改动。")
    return 0


def _walk_measures(
    file: ResponseFile,
    checklist: Checklist,
    prompter: Prompter,
    default_date: date,
    today: date,
    history: bool,
) -> int:
    recorded = 0
    index = 0
    while True:
        measures = list_measures(checklist, file.response, today=today)
        if index >= len(measures):
            return recorded
        measure = measures[index]
        prompter.console.print()
        for line in rectify_view.measure_block(index + 1, len(measures), measure, history=history):
            prompter.console.print(line, soft_wrap=True)
        try:
            update = _ask_update(prompter, measures, measure, default_date, today)
        except GoBack:
            index = max(index - 1, 0)
            continue
        except SaveAndQuit:
            return recorded
        if update is not None:
            file.record([entry_for(update)])
            recorded += 1
            prompter.say("已保存。", "green")
        index += 1


def _ask_update(
    prompter: Prompter,
    measures: Sequence[Measure],
    measure: Measure,
    default_date: date,
    today: date,
) -> StatusUpdate | None:
    """One measure's questions; None when nothing changes. ``<`` inside goes back a step."""
    step = 0
    status = measure.status
    note = ""
    on = default_date
    latest = measure.latest
    if latest is not None and on < latest.date:
        on = latest.date
    while True:
        try:
            if step == 0:
                chosen = prompter.choose(
                    "整改状态",
                    list(RECTIFY_STATUSES),
                    default=RECTIFY_STATUSES.index(measure.status),
                    help=STATUS_HELP,
                    nav=True,
                )
                status = RECTIFY_STATUSES[chosen]
            elif step == 1:
                note = prompter.ask_text(
                    "进展说明（佐证材料）",
                    required=False,
                    help=NOTE_HELP,
                    nav=True,
                    max_length=NOTE_MAX_LENGTH,
                ) or ""
                if status == measure.status and not note:
                    prompter.say("状态未变，也没有新的说明：这一项不作记录。", "dim")
                    return None
            elif step == 2:
                on = _ask_date(prompter, measures, measure, status, on, today)
            else:
                summary = f"记录：{on.isoformat()} {status}"
                if note:
                    summary += f"：{note}"
                prompter.say(summary)
                if prompter.confirm("保存这条整改进展？"):
                    return StatusUpdate(measure.item_id, status, on, note)
                prompter.say("未保存，请重新选择。", "yellow")
                step = 0
                continue
        except GoBack:
            if step == 0:
                raise
            step -= 1
            continue
        step += 1


def _ask_date(
    prompter: Prompter,
    measures: Sequence[Measure],
    measure: Measure,
    status: str,
    default: date,
    today: date,
) -> date:
    def parse(text: str) -> date:
        try:
            value = parse_entry_date(text, today=today)
            check_update(measures, StatusUpdate(measure.item_id, status, value), today=today)
        except RectifyError as exc:
            raise ValueError(exc.message) from None
        return value

    value = prompter.ask("日期", parse, default=default.isoformat(), help=DATE_HELP, nav=True)
    assert value is not None  # a default is always offered
    return value
