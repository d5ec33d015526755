"""The summary as an Excel workbook (openpyxl).

Sheets: 汇总 (all figures), 问题清单, 整改台账, 未提交名单, 未计入文件. Every
sheet has a bold, frozen header row and set column widths; deadlines are real
dates. No cell is ever a formula: every text value is cleaned, neutralised
(= + - @ tab CR get a leading quote), cut to Excel's 32,767-character limit,
and stored with an explicit string data type.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from selfcheck.rules import STATUS_LABELS
from selfcheck.summary.reader import EXCEL_CELL_LIMIT
from selfcheck.summary.render_csv import safe_cell
from selfcheck.summary.sections import problem_groups
from selfcheck.summary.textfmt import chinese_date, opt_int, pct
from selfcheck.summary.view import LEDGER_COLUMNS, SummaryView

HEADER_FILL = PatternFill("solid", fgColor="EAF0F5")
OVERDUE_FILL = PatternFill("solid", fgColor="FDECEA")
TITLE_FONT = Font(bold=True, size=13)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
TRUNCATED = "…（已截断，全文见 HTML 或 JSON 汇总）"


@dataclass(frozen=True)
class Num:
    """A number with an Excel number format (percentages stay numbers)."""

    value: float | None
    format: str


def _pct(value: float | None) -> Num:
    return Num(value, "0.0%")


def _mean(value: float | None) -> Num:
    return Num(value, "0.00")


def _text(value: object) -> str:
    text = safe_cell(value)
    if len(text) > EXCEL_CELL_LIMIT:
        text = text[: EXCEL_CELL_LIMIT - len(TRUNCATED)] + TRUNCATED
    return text


def _put(ws: Any, row: int, col: int, value: object, *, wrap: bool = False) -> Any:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, Num):
        if value.value is None:
            cell.value = "—"
            cell.data_type = "s"
        else:
            cell.value = value.value
            cell.data_type = "n"
            cell.number_format = value.format
    elif isinstance(value, bool) or value is None:
        cell.value = _text("" if value is None else ("是" if value else "否"))
        cell.data_type = "s"
    elif isinstance(value, (int, float)):
        cell.value = value
        cell.data_type = "n"
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    else:
        cell.value = _text(value)
        cell.data_type = "s"
    cell.alignment = WRAP if wrap else TOP
    return cell


def _fit_height(ws: Any, row: int, texts: Sequence[tuple[object, float]]) -> None:
    """Set a row tall enough for its wrapped text (Chinese characters are two units wide)."""
    lines = 1
    for value, width in texts:
        text = str(value or "")
        per_line = max(1.0, (width - 1) / 2)
        lines = max(lines, sum(max(1, -(-len(part) // int(per_line))) for part in text.split("\n")))
    ws.row_dimensions[row].height = min(409, 15 * lines + 3)


def _sheet(book: Any, title: str, header: Sequence[str], widths: Sequence[float]) -> Any:
    ws = book.create_sheet(title)
    for col, (name, width) in enumerate(zip(header, widths, strict=True), start=1):
        cell = _put(ws, 1, col, name)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    _landscape(ws)
    ws.print_title_rows = "1:1"
    return ws


def _landscape(ws: Any) -> None:
    """Print on A4 landscape, all columns on one page width."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _summary_sheet(book: Any, view: SummaryView) -> None:
    f = view.figures
    plan = view.plan
    ws = book.create_sheet("汇总")
    widths = [48, 11, 16, 16, 16, 16, 11, 11, 11, 12]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    title = _put(ws, 1, 1, f"{plan.title}汇总（统计日期 {chinese_date(view.today)}）")
    title.font = TITLE_FONT
    ws.freeze_panes = "A2"
    _landscape(ws)
    row = 2
    facts = [f"检查表 {plan.id} {plan.version}", *view.conditions]
    if view.anonymized:
        facts.append("已匿名（姓名以编号代替）")
    _put(ws, row, 1, "；".join(facts))
    row += 2

    def table(
        heading: str, header: list[str], rows: list[list[object]], total: bool = False
    ) -> None:
        nonlocal row
        _put(ws, row, 1, heading).font = BOLD
        row += 1
        for col, name in enumerate(header, start=1):
            cell = _put(ws, row, col, name)
            cell.font = BOLD
            cell.fill = HEADER_FILL
        row += 1
        for n, values in enumerate(rows):
            for col, value in enumerate(values, start=1):
                cell = _put(ws, row, col, value)
                if total and n == len(rows) - 1:
                    cell.font = BOLD
            row += 1
        row += 1

    table(
        "一、参与情况",
        ["单位", "应参加", "已提交", "仅有草稿", "未提交", "名单外", "完成率"],
        [
            [
                p.unit,
                _n(p.roster),
                p.submitted,
                p.draft_only,
                _n(p.missing),
                _n(p.outside),
                _pct(p.rate),
            ]
            for p in f.participation
        ],
        total=True,
    )
    table(
        "二、查摆问题分类统计",
        ["问题类别", "条数", "占比", "作答人次", "问题率", "平均分"],
        [
            [
                s.heading,
                s.flagged,
                _pct(s.problem_share),
                s.answered,
                _pct(s.flagged_share),
                _mean(s.mean),
            ]
            for s in f.sections
        ]
        + [["合计", f.problems, _pct(1.0 if f.problems else None), "", "", ""]],
        total=True,
    )
    options = f.ranked[0].options if f.ranked else []
    table(
        "三、检查项评价情况（按查摆问题人数排序）",
        ["检查项", "作答", *[o.label for o in options], "平均分", "问题", "问题率"],
        [
            [
                i.label,
                i.answered,
                *[f"{o.count}（{pct(o.share)}）" for o in i.options],
                _mean(i.mean),
                i.flagged,
                _pct(i.flagged_share),
            ]
            for i in f.ranked
        ],
    )
    table(
        "四、各单位对比",
        ["单位", "人数", "问题", "人均", "问题率", "平均分", *[s.title for s in plan.sections]],
        [
            [
                u.unit,
                u.respondents,
                u.problems,
                Num(u.per_person, "0.0"),
                _pct(u.flagged_share),
                _mean(u.mean),
                *u.by_section,
            ]
            for u in f.units
        ],
    )
    table(
        "五、整改情况",
        ["单位", "措施", *STATUS_LABELS, "逾期未完成", "整改完成率"],
        [
            [r.unit, r.measures, *r.by_status.values(), r.overdue, _pct(r.done_rate)]
            for r in f.rectify
        ],
        total=True,
    )
    _put(ws, row, 1, "整改完成率 =（已完成 + 长期坚持）÷ 整改措施总数。")


def _n(value: int | None) -> object:
    return opt_int(value) if value is None else value


def render_xlsx(view: SummaryView) -> bytes:
    """The workbook as bytes."""
    book = Workbook()
    book.remove(book.active)
    _summary_sheet(book, view)

    ws = _sheet(
        book,
        "问题清单",
        ["序号", "问题类别", "检查项", "单位", "姓名", "具体表现", "原因剖析"],
        [6, 18, 30, 18, 12, 60, 40],
    )
    row = 2
    widths = [6, 18, 30, 18, 12, 60, 40]
    for heading, rows in problem_groups(view):
        for r in rows:
            values = [row - 1, heading, r.item, r.unit, r.person, r.problem, r.cause]
            for col, value in enumerate(values, start=1):
                _put(ws, row, col, value, wrap=col >= 3)
            _fit_height(ws, row, list(zip(values, widths, strict=True))[2:])
            row += 1

    widths = [6, 10, 24, 44, 24, 44, 10, 16, 12, 10, 24]
    ws = _sheet(book, "整改台账", LEDGER_COLUMNS, widths)
    for n, r in enumerate(view.ledger, start=2):
        values = r.cells()
        for col, value in enumerate(values, start=1):
            cell = _put(ws, n, col, value, wrap=col in (3, 4, 5, 6, 8, 11))
            if r.overdue:
                cell.fill = OVERDUE_FILL
        _fit_height(
            ws, n, [(v, w) for v, w in zip(values, widths, strict=True) if isinstance(v, str)]
        )
    ws.auto_filter.ref = (
        f"A1:{get_column_letter(len(LEDGER_COLUMNS))}{max(1, len(view.ledger) + 1)}"
    )

    ws = _sheet(book, "未提交名单", ["单位", "姓名", "职务", "类别", "情况"], [20, 12, 14, 10, 30])
    for n, p in enumerate(view.missing, start=2):
        for col, value in enumerate([p.unit, p.name, p.position, p.role, p.note], start=1):
            _put(ws, n, col, value)
    n = len(view.missing) + 3
    for p in view.outside:
        for col, value in enumerate(
            [p.unit, p.name, "", "", f"不在名单中的提交人：{p.note}"], start=1
        ):
            _put(ws, n, col, value)
        n += 1

    ws = _sheet(book, "未计入文件", ["文件", "原因"], [70, 70])
    for n, skip in enumerate(view.skipped, start=2):
        _put(ws, n, 1, skip["file"])
        _put(ws, n, 2, skip["reason"])
    n = len(view.skipped) + 3
    for w in view.warnings:
        _put(ws, n, 1, w.file)
        _put(ws, n, 2, f"{w.person}：{w.message}")
        n += 1

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
