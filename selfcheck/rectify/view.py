"""Terminal output of ``selfcheck rectify``: the measures, their status and history.

User text is printed through :class:`rich.text.Text`, never as markup.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

from selfcheck import clock
from selfcheck.errors import none_recorded
from selfcheck.rectify.progress import early_date_warning
from selfcheck.rules import STATUSES, VERIFY_REJECT, Closing, Status
from selfcheck.textsafe import text_lines

if TYPE_CHECKING:
    from rich.console import Console

    from selfcheck.rectify.progress import Measure, StatusUpdate
    from selfcheck.response import RectifyEntry, Response

STATUS_STYLES: dict[Status, str] = {
    Status.NOT_STARTED: "yellow",
    Status.IN_PROGRESS: "cyan",
    Status.DONE: "green",
    Status.ONGOING: "green",
}


def status_text(measure: Measure) -> Text:
    """The status label (styled), followed by ``逾期`` in red when overdue."""
    text = Text(measure.status.label, style=STATUS_STYLES.get(measure.status, ""))
    if measure.overdue:
        text.append(" 逾期", style="bold red")
    return text


def counts_line(measures: Sequence[Measure]) -> Text:
    """``共 4 项整改措施：`` then ``LABEL n`` for every status, ``·``-separated, then
    ``逾期未完成 n``."""
    counts = Counter(m.status for m in measures)
    line = Text(f"共 {len(measures)} 项整改措施：")
    for i, status in enumerate(STATUSES):
        if i:
            line.append(" · ")
        line.append(f"{status.label} {counts.get(status, 0)}", style=STATUS_STYLES[status])
    overdue = sum(1 for m in measures if m.overdue)
    line.append(" · ")
    line.append(f"逾期未完成 {overdue}", style="bold red" if overdue else "")
    return line


def entry_text(entry: RectifyEntry) -> Text:
    """``2009-01-10 LABEL：NOTE`` (the status label styled)."""
    text = Text(f"{entry.date.isoformat()} ")
    text.append(entry.status.label, style=STATUS_STYLES.get(entry.status, ""))
    if entry.note:
        text.append("：")
        text.append(entry.note)
    return text


_Line = tuple[Text, int | None]
"""A line of a measure's block and where its wrapped lines hang (None: under its indent)."""


def _field(label: str, value: str | Text) -> _Line:
    """``   具体表现：第一段``; later paragraphs (and wrapped lines) hang under the first one's
    text."""
    text = Text(f"   {label}：", style="bold")
    hang = cell_len(text.plain)
    if isinstance(value, Text):
        text.append(value)
        return text, hang
    first, *more = text_lines(value) or ["（未填写）"]
    text.append(first)
    for paragraph in more:
        text.append(f"\n{' ' * hang}{paragraph}")
    return text, hang


def _block(index: int, total: int, measure: Measure, *, history: bool) -> list[_Line]:
    heading = Text(f"{index}/{total} ", style="bold")
    where = measure.section_title
    if measure.rubric:
        where += f"（{measure.rubric}）"
    heading.append(f"{where} · ")
    heading.append(measure.item_label, style="bold")
    heading.append(f"  [{measure.item_id}]", style="dim")
    lines = [(heading, cell_len(f"{index}/{total} ")), _field("具体表现", measure.problem)]
    lines.append(_field("整改措施", measure.measure))
    deadline = measure.deadline.isoformat() if measure.deadline else "（未填写）"
    lines.append(_field("整改时限", deadline))
    status = status_text(measure)
    latest = measure.latest
    if latest is not None:
        status.append(f"（{latest.date.isoformat()}")
        if latest.note:
            status.append("：")
            status.append(latest.note)
        status.append("）")
    lines.append(_field("当前状态", status))
    lines.extend(_verification_lines(measure))
    if history and measure.history:
        lines.append((Text("   进展记录：", style="bold"), None))
        for entry in measure.history:
            line = Text("     ")
            line.append(entry_text(entry))
            line.append(f"  （记录于 {clock.minute(entry.recorded_at)}）", style="dim")
            lines.append((line, cell_len("     2009-01-01 ")))
    return lines


def measure_block(index: int, total: int, measure: Measure, *, history: bool = False) -> list[Text]:
    """The lines describing one measure."""
    return [text for text, _ in _block(index, total, measure, history=history)]


def print_block(
    console: Console, index: int, total: int, measure: Measure, *, history: bool = False
) -> None:
    """Print :func:`measure_block`. On a terminal long lines are wrapped to its width,
    continuation lines hanging under the field's text (a Chinese line breaks between
    any two characters, ids stay whole); elsewhere (a file, a pipe) each stays one line.
    """
    for text, hang in _block(index, total, measure, history=history):
        if console.is_terminal:
            from selfcheck.wrapping import wrap_rich

            for line in wrap_rich(text, console.width, hang=hang):
                console.print(line, soft_wrap=True)
        else:
            console.print(text, soft_wrap=True)


def closing_text(measure: Measure) -> Text | None:
    """销号情况: ``已销号（王五 2009-03-25：台账属实）``, ``自报完成，待核验``, a rejection."""
    closing = measure.closing
    last = measure.last_verification
    if closing is Closing.VERIFIED and last is not None:
        text = Text(closing.label, style="bold green")
        text.append(f"（{last.reviewer} {clock.day(last.recorded_at)}")
        if last.note:
            text.append("：")
            text.append(last.note)
        text.append("）")
        return text
    if closing is Closing.SELF_REPORTED:
        return Text(f"{closing.label}，待机关党委核验销号", style="yellow")
    if last is not None and last.decision == VERIFY_REJECT:
        text = Text("核验未通过", style="bold red")
        text.append(f"（{last.reviewer}：")
        text.append(last.note)
        text.append("）")
        return text
    return None


def _verification_lines(measure: Measure) -> list[_Line]:
    """The 销号 line and the latest entry's 佐证材料, when there are any."""
    lines = []
    closing = closing_text(measure)
    if closing is not None:
        lines.append(_field("销号情况", closing))
    evidence = [e for entry in measure.history for e in entry.evidence]
    if evidence:
        from selfcheck.rectify.evidence import describe

        lines.append(_field("佐证材料", describe(evidence)))
    return lines


def show_evidence_problems(console: Console, problems: Sequence[str]) -> None:
    """Evidence files missing or changed since they were recorded, in red."""
    for problem in problems:
        console.print(Text("佐证材料有变：" + problem, style="bold red"), soft_wrap=True)


def header(response: Response, today: date) -> Text:
    """``整改进展：张三 · 办公室 · 科员    今天 2009-01-15``."""
    text = Text("整改进展：", style="bold")
    text.append(response.respondent.describe())
    text.append(f"    今天 {today.isoformat()}", style="dim")
    return text


def show_measures(
    console: Console,
    response: Response,
    measures: Sequence[Measure],
    *,
    today: date,
    history: bool = False,
) -> None:
    """Print the header, the counts and every measure."""
    console.print(header(response, today), soft_wrap=True)
    if not measures:
        console.print("本答卷没有查摆出需要整改的问题，无需记录整改进展。")
        return
    console.print(counts_line(measures), soft_wrap=True)
    for index, measure in enumerate(measures, start=1):
        console.print()
        print_block(console, index, len(measures), measure, history=history)


def show_saved(console: Console, count: int, path: Path) -> None:
    """``已记录 2 条整改进展，保存到 PATH``."""
    console.print()
    console.print(Text(f"已记录 {count} 条整改进展，保存到 {path}", style="green"), soft_wrap=True)


def show_early_dates(console: Console, response: Response, updates: Sequence[StatusUpdate]) -> None:
    """A caution for each saved update dated before the self-inspection (a slip of the year?)."""
    for update in updates:
        warning = early_date_warning(update.on, response)
        if warning is not None:
            text = f"注意：{update.item_id} 的{warning}；已按这个日期记录。"
            console.print(Text(text, style="yellow"), soft_wrap=True)


def interrupted(recorded: int, what: str, path: Path) -> str:
    """How Ctrl-C or Ctrl-D ends an interactive record: what is saved, or that nothing is.

    ``已中断。已确认的 2 条整改进展都已保存在 PATH。`` or, before any was confirmed,
    ``已中断，没有记录新的整改进展，答卷文件没有改动。``
    """
    if recorded:
        return f"已中断。已确认的 {recorded} 条{what}都已保存在 {path}。"
    return f"已中断，{none_recorded(what)}。"
