"""The interactive side of ``selfcheck rectify``: one measure after another.

For each measure the person picks a status, may add a short note of
evidence and a date, and confirms; every confirmed entry is saved at once
(under the file's lock, see :mod:`selfcheck.rectify.store`), so Ctrl-C never
loses one. All questions go through the project's one prompting seam,
:mod:`selfcheck.prompter`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck.errors import Interrupted, RectifyError, none_recorded
from selfcheck.prompter import GoBack, Prompter, SaveAndQuit
from selfcheck.rectify import store, view
from selfcheck.rectify.evidence import Source, check_sources, duplicate_of
from selfcheck.rectify.progress import (
    NOTE_MAX_LENGTH,
    WHAT,
    Measure,
    StatusUpdate,
    check_update,
    early_date_warning,
    list_measures,
    parse_entry_date,
)
from selfcheck.rules import STATUSES, Status, status_of

if TYPE_CHECKING:
    from rich.console import Console

    from selfcheck.checklist.model import Checklist
    from selfcheck.response import Response

_STATUS_MEANINGS: dict[Status, str] = {
    Status.NOT_STARTED: "还没有着手",
    Status.IN_PROGRESS: "正在落实",
    Status.DONE: "措施已落实、问题已解决（对账销号）",
    Status.ONGOING: f"需要{Status.ONGOING.label}的措施，已形成制度或习惯",
}
STATUS_HELP = (
    "；".join(f"{status.label}：{_STATUS_MEANINGS[status]}" for status in STATUSES)
    + "。"
    + "和".join(status.label for status in STATUSES if status.closed)
    + "的措施不再计为逾期。"
)
NOTE_HELP = "简要写明整改的佐证：做了什么、形成了什么材料（制度、台账、会议记录等）。"
DATE_HELP = "这条进展发生的日期，不能晚于今天，也不能早于该项上次记录的日期。"
UNCONFIRMED = "正在填写的这一条尚未确认，不保存（已确认的记录都已保存）"
"""What ``?`` says q and Ctrl-C keep: an entry is saved only once it is confirmed."""


@dataclass
class _Session:
    """One walk: the file, what it held at the last read or save, what was saved."""

    path: Path
    checklist: Checklist
    response: Response
    today: date
    recorded: int = 0

    def measures(self) -> list[Measure]:
        return list_measures(self.checklist, self.response, today=self.today)


def walk(
    path: Path,
    response: Response,
    checklist: Checklist,
    *,
    console: Console,
    on: str | None,
    today: date,
    prompter: Prompter | None = None,
    history: bool = False,
) -> int:
    """Ask for progress on every measure of ``response`` (read from ``path``). Returns 0.

    Each confirmed entry is saved at once. ``on`` (``--date``) is the default
    date offered. Ctrl-C or Ctrl-D raise :class:`~selfcheck.errors.Interrupted`
    (exit 130) after what was confirmed has been saved.
    """
    if prompter is None:
        from selfcheck.prompter import TerminalPrompter

        prompter = TerminalPrompter(console)
    default_date = parse_entry_date(on, today=today)
    session = _Session(path, checklist, response, today)
    console.print(view.header(response, today), soft_wrap=True)
    console.print(view.counts_line(session.measures()), soft_wrap=True)
    prompter.say(
        "逐项记录整改进展：回车保留当前状态；< 返回上一项；q 退出；每条记录确认后立即保存。",
        "dim",
    )
    try:
        with prompter.saving_nothing(UNCONFIRMED):
            _walk_measures(session, prompter, default_date, history)
    except (KeyboardInterrupt, EOFError):
        console.print()  # the prompt line was left open
        raise Interrupted(view.interrupted(session.recorded, WHAT, path)) from None
    console.print()
    console.print(view.counts_line(session.measures()), soft_wrap=True)
    if session.recorded:
        view.show_saved(console, session.recorded, path)
    else:
        prompter.say(f"{none_recorded(WHAT)}。")
    return 0


def _walk_measures(
    session: _Session, prompter: Prompter, default_date: date, history: bool
) -> None:
    index = 0
    retry: _Draft | None = None  # what was typed for a measure whose save was refused
    while True:
        measures = session.measures()
        if index >= len(measures):
            return
        measure = measures[index]
        prompter.console.print()
        view.print_block(prompter.console, index + 1, len(measures), measure, history=history)
        draft = _Draft.start(measure, default_date)
        if retry is not None:
            # the status is chosen again against the one now on file; the rest is kept
            draft, retry = replace(retry, status=measure.status), None
        try:
            answered = _ask_update(prompter, measures, measure, draft, session)
        except GoBack:
            index = max(index - 1, 0)
            continue
        except SaveAndQuit:
            return
        if answered is not None:
            try:
                saved = store.record_update(
                    session.path,
                    session.checklist,
                    answered.update(measure.item_id),
                    today=session.today,
                    sources=answered.evidence,
                )
            except RectifyError as exc:
                # Someone else changed this measure meanwhile: show it as it is now, ask again
                # with what was typed offered as the answers.
                prompter.say(
                    f"答卷文件在此期间被其他程序修改过，这条进展没有保存：{exc.message}。"
                    "请按最新情况重新选择状态（刚才填写的说明、日期和佐证材料已作为当前答案）。",
                    "yellow",
                )
                session.response = store.load_submitted(session.path)
                retry = answered
                continue
            session.response = saved.response
            session.recorded += 1
            prompter.say("已保存。", "green")
        index += 1


@dataclass
class _Draft:
    """What has been answered so far for one measure; kept when stepping back or retrying."""

    status: Status
    note: str
    on: date
    sources: list[Source] = field(default_factory=list)

    @classmethod
    def start(cls, measure: Measure, default_date: date) -> _Draft:
        """The answers offered before anything is typed: the current status, the default day."""
        on = default_date
        latest = measure.latest
        if latest is not None and on < latest.date:
            on = latest.date
        return cls(measure.status, "", on)

    @property
    def evidence(self) -> list[Source]:
        """The evidence files to save: they go with a report of 已完成 only."""
        return self.sources if self.status is Status.DONE else []

    def update(self, item_id: str) -> StatusUpdate:
        """The update to record (the evidence is stored when it is saved)."""
        return StatusUpdate(item_id, self.status, self.on, self.note)


EVIDENCE_HELP = (
    "佐证材料（制度文件、台账、会议记录的扫描件等）会复制到答卷旁的“佐证材料”文件夹，"
    "答卷中只登记文件名、大小和校验值。每次输入一个文件路径，直接回车结束。"
)


def _ask_evidence(prompter: Prompter, draft: _Draft) -> None:
    """Add evidence files (optional) to ``draft``, one path per answer, Enter to finish.

    The files are checked and hashed here and copied beside the response only
    when the entry is saved. ``<`` and ``q`` navigate like every other step.
    """

    def parse(text: str) -> Source:
        try:
            found = check_sources([Path(text.strip().strip('"'))])[0]
        except RectifyError as exc:
            raise ValueError(exc.message.rsplit("\n", 1)[-1].strip()) from None
        same = duplicate_of(found, draft.sources)
        if same is not None:
            raise ValueError(f"这个文件已经添加过（与 {same.path.name} 内容相同），不再重复添加")
        return found

    while True:
        added = "、".join(s.path.name for s in draft.sources)
        found = prompter.ask(
            f"佐证材料文件（可选，已添加 {len(draft.sources)} 个{'：' + added if added else ''}）",
            parse,
            required=False,
            help=EVIDENCE_HELP,
            nav=True,
            empty="结束",
        )
        if found is None:
            return
        draft.sources.append(found)


def _ask_update(
    prompter: Prompter,
    measures: Sequence[Measure],
    measure: Measure,
    draft: _Draft,
    session: _Session,
) -> _Draft | None:
    """One measure's questions; None when nothing changes. ``<`` inside goes back a step.

    What was answered stays in ``draft`` and is offered again as the current
    answer when the person steps back or declines the confirmation.
    """
    step = 0
    while True:
        try:
            if step == 0:
                chosen = prompter.choose(
                    "整改状态",
                    [s.label for s in STATUSES],
                    default=STATUSES.index(draft.status),
                    help=STATUS_HELP,
                    nav=True,
                    aliases=_status_index,
                )
                draft.status = STATUSES[chosen]
            elif step == 1:
                draft.note = (
                    prompter.ask_text(
                        "进展说明（佐证材料）",
                        default=draft.note or None,
                        required=False,
                        help=NOTE_HELP,
                        nav=True,
                        max_length=NOTE_MAX_LENGTH,
                    )
                    or ""
                )
                if draft.status == measure.status and not draft.note:
                    prompter.say("状态未变，也没有新的说明：这一项不作记录。", "dim")
                    return None
            elif step == 2:
                draft.on = _ask_date(prompter, measures, measure, draft, session)
            elif step == 3:
                if draft.status is Status.DONE:
                    _ask_evidence(prompter, draft)
            else:
                summary = f"记录：{draft.on.isoformat()} {draft.status.label}"
                if draft.note:
                    summary += f"：{draft.note}"
                prompter.say(summary)
                if draft.evidence:
                    prompter.say("佐证材料：" + "、".join(s.path.name for s in draft.evidence))
                if prompter.confirm("保存这条整改进展？"):
                    return draft
                prompter.say("未保存，请重新选择（已填写的内容作为当前答案）。", "yellow")
                step = 0
                continue
        except GoBack:
            if step == 0:
                raise
            step -= 1
            continue
        step += 1


def _status_index(word: str) -> int | None:
    """Where in :data:`STATUSES` a word ``--set`` accepts (完成, done, 已整改…) points."""
    status = status_of(word)
    return None if status is None else STATUSES.index(status)


def _ask_date(
    prompter: Prompter,
    measures: Sequence[Measure],
    measure: Measure,
    draft: _Draft,
    session: _Session,
) -> date:
    """The entry's date: a valid one, and a day before the self-inspection only if confirmed."""
    today = session.today

    def parse(text: str) -> date:
        try:
            value = parse_entry_date(text, today=today)
            update = StatusUpdate(measure.item_id, draft.status, value)
            check_update(measures, update, today=today)
        except RectifyError as exc:
            raise ValueError(exc.message) from None
        return value

    default = draft.on
    while True:
        value = prompter.ask("日期", parse, default=default.isoformat(), help=DATE_HELP, nav=True)
        assert value is not None  # a default is always offered
        warning = early_date_warning(value, session.response)
        if warning is None:
            return value
        prompter.say(warning + "。", "yellow")
        if prompter.confirm("这个日期无误吗？", default=False, nav=True):
            return value
        default = value
