"""The summary as rich tables in the terminal (the default format).

User text is passed as plain strings to a console with markup off (see
:mod:`selfcheck.console`) and was cleaned of control characters on the way in.
Long lists (the full ledger) are left to the file formats; the terminal shows
the figures, the overdue measures, who is missing and what was skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.table import Table
from rich.text import Text

from selfcheck.rules import REVIEW_STATUSES, STATUS_LABELS
from selfcheck.summary.ledger_extra import REVIEW_COLUMNS, REVIEW_NOTE, review_cells
from selfcheck.summary.sections import (
    PARTICIPATION_COLUMNS,
    RECHECK_COLUMNS,
    RECHECK_TITLE,
    RECTIFY_COLUMNS,
    RECTIFY_NOTES,
    SECTION_COLUMNS,
    TITLES,
    UNIT_COLUMNS,
    closing_cells,
    heading_facts,
    titles_of,
)
from selfcheck.summary.textfmt import day, mean, opt_int, pct, ratio
from selfcheck.summary.view import SummaryView

if TYPE_CHECKING:
    from rich.console import Console

TERMINAL_LIMIT = 30
FULL_WIDTH = 120
"""Terminals this wide or wider get every table; narrower ones the compact view."""


def render_table(view: SummaryView, console: Console) -> None:
    """Print the summary: every table from :data:`FULL_WIDTH` columns, else the compact view."""
    _heading(view, console)
    if console.width < FULL_WIDTH:
        render_compact(view, console)
    else:
        _render_full(view, console)
    if view.similarity is not None:
        from selfcheck.similarity.render import table_section

        table_section(view.similarity, view.plan, console)


def _heading(view: SummaryView, console: Console) -> None:
    plan = view.plan
    f = view.figures
    title = f"{plan.title} · 汇总"
    console.print(Text(title, style="bold"))
    console.print(Text("；".join(heading_facts(view)), style="dim"))
    console.print(
        Text(
            f"已提交 {f.respondents} 人，查摆问题 {f.problems} 条；"
            f"未计入的文件 {len(view.skipped)} 个"
            + (f"；按条件排除 {view.excluded} 份" if view.excluded else "")
        )
    )


def _compact_table(title: str, columns: list[tuple[str, bool]]) -> Table:
    """A borderless table; text columns fold (never cut), numbers never wrap."""
    t = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=(0, 0),  # the box's own column separator is the one space between columns
    )
    for name, numeric in columns:
        if numeric:
            t.add_column(name, justify="right", no_wrap=True)
        else:
            t.add_column(name, overflow="fold")
    return t


def render_compact(view: SummaryView, console: Console) -> None:
    """The summary for an 80-column terminal: participation, problems, rectification.

    Unit names are folded onto a second line when they do not fit, never cut;
    the long lists (ranking, ledger, who is missing, skipped files) are one
    pointer line to the html and xlsx formats.
    """
    f = view.figures
    headings = titles_of(0, 1, 6)
    t = _compact_table(
        headings[0],
        [("单位", False), ("应参加", True), ("已提交", True), ("未提交", True), ("完成率", True)],
    )
    for p in f.participation:
        t.add_row(
            p.unit,
            opt_int(p.roster),
            str(p.submitted),
            opt_int(p.missing),
            pct(p.rate),
            style="bold" if p is f.participation[-1] else None,
        )
    console.print(t)

    t = _compact_table(
        headings[1],
        [("问题类别", False), ("条数", True), ("占比", True), ("问题率", True)],
    )
    for s in f.sections:
        t.add_row(s.heading, str(s.flagged), pct(s.problem_share), pct(s.flagged_share))
    t.add_row("合计", str(f.problems), pct(1.0 if f.problems else None), "", style="bold")
    console.print(t)

    statuses = list(f.rectify[-1].by_status) if f.rectify else list(STATUS_LABELS)
    t = _compact_table(
        headings[2],
        [
            ("单位", False),
            ("措施", True),
            *[(s, True) for s in statuses],
            ("逾期", True),
            ("完成率", True),
        ],
    )
    for r in f.rectify:
        t.add_row(
            r.unit,
            str(r.measures),
            *[str(n) for n in r.by_status.values()],
            Text(str(r.overdue), style="red" if r.overdue else ""),
            pct(r.done_rate),
            style="bold" if r is f.rectify[-1] else None,
        )
    console.print(t)

    lists = [f"逾期未完成 {len(view.overdue)} 条"]
    if view.has_roster or view.missing:
        lists.append(f"未提交 {len(view.missing)} 人")
    if view.outside:
        lists.append(f"名单外 {len(view.outside)} 人")
    lists.append(f"未计入的文件 {len(view.skipped)} 个")
    for title, rows in view.warning_groups:
        lists.append(f"{title} {len(rows)} 处")
    console.print(Text("，".join(lists) + "。"))
    if f.reviews:
        total = f.reviews[-1]
        counts = "，".join(f"{s.label} {total.by_status[s.value]} 份" for s in REVIEW_STATUSES)
        console.print(Text(f"材料审核：{counts}。"))
    console.print(
        Text(
            f"检查项排名、各单位对比、问题清单和整改台账（{len(view.ledger)} 条）及各名单："
            "--format html 或 --format xlsx -o 汇总.xlsx；"
            f"终端宽 {FULL_WIDTH} 列以上显示全部表格。",
            style="dim",
        )
    )


def _render_full(view: SummaryView, console: Console) -> None:
    """Every table (wide terminals)."""
    plan = view.plan
    f = view.figures

    # numbered in the order shown: a list with nobody on it is left out, not its number
    shown = (0, 1, 2, 3, 6, *((7,) if view.missing else ()), *((8,) if view.skipped else ()))
    headings = dict(zip((TITLES[i] for i in shown), titles_of(*shown), strict=True))
    t = Table(title=headings["参与情况"], title_justify="left")
    for n, column in enumerate(PARTICIPATION_COLUMNS):
        t.add_column(column, justify="right" if n else "left")
    for p in f.participation:
        t.add_row(
            p.unit,
            opt_int(p.roster),
            str(p.submitted),
            str(p.draft_only),
            opt_int(p.missing),
            opt_int(p.outside),
            pct(p.rate),
            style="bold" if p is f.participation[-1] else None,
        )
    _show(console, t)

    t = Table(title=headings["查摆问题分类统计"], title_justify="left")
    for column in SECTION_COLUMNS:
        t.add_column(column, justify="left" if column == "问题类别" else "right")
    for s in f.sections:
        t.add_row(
            s.heading,
            str(s.flagged),
            pct(s.problem_share),
            str(s.answered),
            pct(s.flagged_share),
            mean(s.mean),
        )
    t.add_row("合计", str(f.problems), pct(1.0 if f.problems else None), "", "", "", style="bold")
    _show(console, t)

    t = Table(
        title=headings[TITLES[2]], title_justify="left", caption="评价分布为占作答人数的比例。"
    )
    t.caption_justify = "left"
    t.add_column("名次", justify="right", no_wrap=True, min_width=2)
    t.add_column("检查项", overflow="fold", min_width=8)
    t.add_column("类别", no_wrap=True)
    t.add_column("作答", justify="right", no_wrap=True)
    scales = {tuple(o.label for o in item.options) for item in f.ranked}
    shared = next(iter(scales)) if len(scales) == 1 else None
    # One column per rating option needs a wide terminal; otherwise the spread is
    # stacked in one column so the figures on the right are never cut off.
    columns_fit = shared is not None and console.width >= 40 + 9 * (len(shared) + 7)
    if shared is not None and columns_fit:
        for label in shared:
            t.add_column(label, justify="right", no_wrap=True)
    else:
        t.add_column("评价分布", overflow="fold")
    t.add_column("平均分", justify="right", no_wrap=True)
    t.add_column("问题", justify="right", no_wrap=True)
    t.add_column("问题率", justify="right", no_wrap=True)
    sections = {s.id: s.title for s in plan.sections}
    for rank, item in enumerate(f.ranked, start=1):
        spread = [pct(o.share) for o in item.options]
        if not columns_fit:
            spread = ["\n".join(f"{o.label} {o.count}（{pct(o.share)}）" for o in item.options)]
        t.add_row(
            str(rank),
            item.label,
            sections[item.section],
            str(item.answered),
            *spread,
            mean(item.mean),
            str(item.flagged),
            pct(item.flagged_share),
        )
    _show(console, t)

    t = Table(title=headings["各单位对比"], title_justify="left")
    t.add_column(UNIT_COLUMNS[0])
    for column in UNIT_COLUMNS[1:]:
        t.add_column(column, justify="right")
    for plan_section in plan.sections:
        t.add_column(plan_section.title, justify="right")
    for u in f.units:
        t.add_row(
            u.unit,
            str(u.respondents),
            str(u.problems),
            ratio(u.per_person),
            pct(u.flagged_share),
            mean(u.mean),
            *[str(n) for n in u.by_section],
        )
    _show(console, t)

    t = Table(title=headings["整改情况统计"], title_justify="left")
    t.add_column("单位")
    for column in RECTIFY_COLUMNS[1:]:
        t.add_column(column, justify="right")
    for r in f.rectify:
        t.add_row(
            r.unit,
            str(r.measures),
            *[str(n) for n in r.by_status.values()],
            Text(str(r.overdue), style="red" if r.overdue else ""),
            pct(r.done_rate),
            *closing_cells(r),
            style="bold" if r is f.rectify[-1] else None,
        )
    _show(console, t)
    for note in RECTIFY_NOTES:
        console.print(Text(note, style="dim"))
    rechecks = view.rechecks
    if rechecks:
        t = Table(title=RECHECK_TITLE, title_justify="left")
        t.add_column(RECHECK_COLUMNS[0])
        for column in RECHECK_COLUMNS[1:]:
            t.add_column(column, justify="right")
        for c in rechecks:
            t.add_row(
                c.unit,
                str(c.checked),
                *map(str, c.by_result.values()),
                pct(c.rebound_rate),
                style="bold" if c is rechecks[-1] else None,
            )
        _show(console, t)
    if f.reviews:
        t = Table(title="材料审核", title_justify="left")
        for n, column in enumerate(REVIEW_COLUMNS):
            t.add_column(column, justify="right" if n else "left")
        for review in f.reviews:
            t.add_row(*review_cells(review), style="bold" if review is f.reviews[-1] else None)
        _show(console, t)
        console.print(Text(REVIEW_NOTE, style="dim"))

    overdue = view.overdue
    if overdue:
        t = Table(title=f"逾期未完成的整改措施（{len(overdue)} 条）", title_justify="left")
        for column in (
            "序号",
            "单位",
            "责任人",
            "检查项",
            "整改措施",
            "整改时限",
            "完成情况",
            "逾期",
        ):
            t.add_column(column)
        for row in overdue[:TERMINAL_LIMIT]:
            t.add_row(
                str(row.number),
                row.unit,
                row.person,
                row.item,
                row.measure,
                day(row.deadline),
                row.status,
                Text(f"{row.overdue_days} 天", style="red"),
            )
        _show(console, t)
        _more(console, len(overdue))
    console.print(
        Text(
            f"完整的问题清单和整改台账（{len(view.ledger)} 条）："
            "--format xlsx -o 汇总.xlsx 或 --format html",
            style="dim",
        )
    )

    if view.missing:
        t = Table(title=f"{headings['未提交名单']}（{len(view.missing)} 人）", title_justify="left")
        for column in ("单位", "姓名", "职务", "类别", "情况"):
            t.add_column(column)
        for person in view.missing[:TERMINAL_LIMIT]:
            t.add_row(person.unit, person.name, person.position, person.role, person.note)
        _show(console, t)
        _more(console, len(view.missing))
    if view.outside:
        t = Table(
            title=f"不在名单中的提交人（{len(view.outside)} 人，请核对姓名和单位）",
            title_justify="left",
        )
        for column in ("单位", "姓名", "文件"):
            t.add_column(column)
        for person in view.outside[:TERMINAL_LIMIT]:
            t.add_row(person.unit, person.name, person.note)
        _show(console, t)
        _more(console, len(view.outside))

    if view.skipped:
        t = Table(
            title=f"{headings['未计入的文件']}（{len(view.skipped)} 个）", title_justify="left"
        )
        t.add_column("文件")
        t.add_column("原因")
        for skip in view.skipped[:TERMINAL_LIMIT]:
            t.add_row(skip.file, skip.reason)
        _show(console, t)
        _more(console, len(view.skipped))
        console.print(
            Text(
                "分类：" + "，".join(f"{title} {n}" for title, n in view.skipped_by_code()),
                style="dim",
            )
        )
    if view.ignored_files:
        console.print(
            Text(
                f"文件夹中另有 {view.ignored_files} 个非 .json 文件（报告、名单等）未读取。",
                style="dim",
            )
        )
    for title, rows in view.warning_groups:
        t = Table(title=f"提示：{title}（{len(rows)} 处）", title_justify="left")
        for column in ("文件", "人员", "说明"):
            t.add_column(column)
        for w in rows[:TERMINAL_LIMIT]:
            t.add_row(w.file, w.person, w.message)
        _show(console, t)
        _more(console, len(rows))


def _more(console: Console, total: int) -> None:
    if total > TERMINAL_LIMIT:
        console.print(
            Text(
                f"……另有 {total - TERMINAL_LIMIT} 条，完整列表见 md、html 或 xlsx 格式。",
                style="dim",
            )
        )


def _show(console: Console, table: Table) -> None:
    """Print ``table`` with text folded onto more lines rather than cut with an ellipsis."""
    for column in table.columns:
        if column.overflow == "ellipsis":
            column.overflow = "fold"
    console.print(table)
