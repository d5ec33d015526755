"""The summary as an Excel workbook (openpyxl) that prints as it is.

Sheets: 汇总 (all figures), 问题清单, 整改台账, 未提交名单, 未计入文件. Every
sheet prints on A4 landscape, one page wide, with body text of
:data:`BODY_SIZE` pt at 100 %: column widths are fitted to the printable width
(:func:`selfcheck.summary.columns.fit_widths`), so "fit to width" never has to
shrink the text. Header rows are bold, bordered, repeated on every page and
frozen; on 汇总, where several tables stand one under another, page breaks are set
from the rows' heights so that a table going on over a page repeats its heading
(（续）) and header there; every cell has a thin border; the page header names the sheet and the
date, the footer reads 第 N 页 共 M 页. Numbers and their headers are both
right-aligned. Deadlines are real dates.

No cell is ever a formula: every text value is cleaned, neutralised
(= + - @ tab CR get a leading quote), cut to Excel's 32,767-character limit,
and stored with an explicit string data type.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break

from selfcheck.rules import REVIEW_STATUSES, STATUS_LABELS
from selfcheck.summary.columns import ColumnLayout, fit_widths, layout_of
from selfcheck.summary.ledger_extra import (
    REVIEW_COLUMNS,
    REVIEW_NOTE,
)
from selfcheck.summary.reader import EXCEL_CELL_LIMIT
from selfcheck.summary.render_csv import safe_cell
from selfcheck.summary.sections import (
    PARTICIPATION_COLUMNS,
    RECHECK_COLUMNS,
    RECHECK_NOTE,
    RECHECK_TITLE,
    RECTIFY_COLUMNS,
    RECTIFY_NOTES,
    SECTION_COLUMNS,
    UNIT_COLUMNS,
    heading_facts,
    problem_groups,
    titles_of,
)
from selfcheck.summary.textfmt import chinese_date, opt_int
from selfcheck.summary.view import LEDGER_COLUMNS, SummaryView

FONT_NAME = "宋体"
DEFAULT_FONT = Font(name=FONT_NAME, size=11, family=3, charset=134)
"""The workbook's default font (Chinese Excel's and WPS's own): it sets the width unit."""
BODY_SIZE = 10.5
"""Body text in points (五号, the usual size of a table in a 公文)."""
MIN_PRINTED_SIZE = 9.0
HEADER_FOOTER_SIZE = 11  # a whole number: header codes take integer sizes
PAGE_WIDTH_PT = 297 / 25.4 * 72  # A4 landscape
PAGE_HEIGHT_PT = 210 / 25.4 * 72
MARGIN_IN = PageMargins(left=0.4, right=0.4, top=0.7, bottom=0.7, header=0.3, footer=0.3)
BODY_HEIGHT_PT: float = PAGE_HEIGHT_PT - (MARGIN_IN.top + MARGIN_IN.bottom) * 72
"""What rows may fill of a page (the page header and footer sit in the margins)."""
PRINTABLE_PT = PAGE_WIDTH_PT - (MARGIN_IN.left + MARGIN_IN.right) * 72
UNIT_PT = 7 * 0.75
"""Points per Excel width unit: the digit of 宋体 (or Calibri) 11 pt is 7 px at 96 dpi."""
FALLBACK_UNIT_PT = 9.3 * 0.75
"""The same unit where neither font is installed and DejaVu Sans stands in (LibreOffice on
Linux): digits are a third wider, so the same columns are wider and fit-to-width shrinks."""
PRINTABLE_UNITS = math.floor(PRINTABLE_PT * BODY_SIZE / MIN_PRINTED_SIZE / FALLBACK_UNIT_PT * 0.95)
"""Width units of every sheet: 100 % where the default font exists (the table then fills
about 85 % of the width), and still ≥ 9 pt after fit-to-width with the wider stand-in font."""

HEADER_FILL = PatternFill("solid", fgColor="EAF0F5")
OVERDUE_FILL = PatternFill("solid", fgColor="FDECEA")
BODY = Font(name=FONT_NAME, size=BODY_SIZE)
BOLD = Font(name=FONT_NAME, size=BODY_SIZE, bold=True)
TITLE_FONT = Font(name=FONT_NAME, size=14, bold=True)
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
RIGHT = Alignment(horizontal="right", vertical="top")
RIGHT_WRAP = Alignment(horizontal="right", vertical="top", wrap_text=True)
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


def _is_number(value: object) -> bool:
    return isinstance(value, (Num, int, float, date)) and not isinstance(value, bool)


def _put(
    ws: Any, row: int, col: int, value: object, *, wrap: bool = False, border: bool = True
) -> Any:
    """Write one cell: numbers right-aligned, text top-left (wrapped with ``wrap``)."""
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
    if _is_number(value):
        cell.alignment = RIGHT
    else:
        cell.alignment = WRAP if wrap else TOP
    cell.font = BODY
    if border:
        cell.border = BORDER
    return cell


def _header_cell(ws: Any, row: int, col: int, name: str, *, numeric: bool) -> Any:
    """A bold, shaded header cell aligned like the numbers (or text) below it."""
    cell = _put(ws, row, col, name)
    cell.font = BOLD
    cell.fill = HEADER_FILL
    cell.alignment = RIGHT_WRAP if numeric else WRAP
    return cell


def text_width(text: str, size: float = BODY_SIZE) -> float:
    """Printed width of ``text`` in points: CJK and full-width forms one em, others half."""
    return sum(size if ord(ch) >= 0x2E80 else size * 0.55 for ch in text)


def lines_needed(text: str, width_units: float, size: float = BODY_SIZE) -> int:
    """How many wrapped lines ``text`` takes in a column ``width_units`` wide."""
    usable = max(size, width_units * UNIT_PT - 6)  # cell padding
    return sum(max(1, math.ceil(text_width(part, size) / usable)) for part in text.split("\n"))


def row_height(texts: Sequence[tuple[object, float]]) -> float:
    """Points a row needs for its wrapped text (``(value, column width)`` per cell)."""
    lines = 1
    for value, width in texts:
        if isinstance(value, str):
            lines = max(lines, lines_needed(value, width))
    return min(409.0, round(lines * BODY_SIZE * 1.32 + 4, 1))


LINE_PT = row_height([])
"""The height of a one-line row."""


def _fit_height(ws: Any, row: int, texts: Sequence[tuple[object, float]]) -> None:
    """Set a row tall enough for its wrapped text."""
    ws.row_dimensions[row].height = row_height(texts)


class _Pages:
    """Where the 汇总 sheet's printed pages end, so that no table is cut from its header.

    Every row of the sheet is given an explicit height, so a page's rows are known
    before Excel or LibreOffice lays them out. Rows are placed at 100 %: widths fit
    the page, and a smaller fit-to-width scale only leaves more room, so every break
    here comes before the program's own would. A manual break is put wherever the
    next row would not fit, which leaves nothing to the program's automatic breaks.
    """

    SAFETY = 0.96
    """Of a page's height: room for rounding row heights to the screen's pixels."""

    def __init__(self, ws: Any, title_rows: float) -> None:
        self.ws = ws
        self.room = float(BODY_HEIGHT_PT - title_rows) * self.SAFETY
        self.used = 0.0

    def fits(self, height: float) -> bool:
        """Whether ``height`` more points fit on the current page."""
        return self.used + height <= self.room

    def place(self, row: int, height: float) -> None:
        """Account for ``row``; it starts a new page when it does not fit on this one."""
        if not self.fits(height):
            self.new_page(row)
        self.used += height

    def new_page(self, row: int) -> None:
        """Start a new page at ``row`` (a manual break after the row above it)."""
        if self.used:
            self.ws.row_breaks.append(Break(id=row - 1))
        self.used = 0.0


_KEPT_ROWS = 3
"""Rows a table longer than a page carries over to its last page at the least: never a
合计 row alone."""


def _set_widths(ws: Any, widths: Sequence[float]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def _sheet(
    book: Any,
    title: str,
    header: Sequence[str],
    widths: Sequence[float] | None = None,
) -> Any:
    """A list sheet: one header row, repeated and frozen; widths fitted to the page.

    Without ``widths`` the columns take their layout from
    :func:`~selfcheck.summary.columns.layout_of` by header text; given
    ``widths`` are minimums that shrink in proportion if they overflow the page.
    """
    layouts = _layouts(header, widths)
    fitted = fit_widths(layouts, PRINTABLE_UNITS)
    ws = book.create_sheet(title)
    for col, (name, layout) in enumerate(zip(header, layouts, strict=True), start=1):
        _header_cell(ws, 1, col, name, numeric=layout.numeric)
    _set_widths(ws, fitted)
    _fit_height(ws, 1, list(zip(header, fitted, strict=True)))
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    return ws


def _layouts(header: Sequence[str], widths: Sequence[float] | None) -> list[ColumnLayout]:
    if widths is None:
        return [layout_of(name) for name in header]
    return [
        ColumnLayout(w, weight=layout_of(name).weight, kind=layout_of(name).kind)
        for name, w in zip(header, widths, strict=True)
    ]


def _rows(ws: Any, rows: Sequence[Sequence[object]], *, first: int = 2) -> int:
    """Write ``rows`` under the header of a :func:`_sheet`; return the next free row."""
    header = [c.value for c in ws[1]]
    widths = [ws.column_dimensions[get_column_letter(n)].width for n in range(1, len(header) + 1)]
    layouts = [layout_of(str(name)) for name in header]
    row = first
    for values in rows:
        for col, (value, layout) in enumerate(zip(values, layouts, strict=True), start=1):
            _put(ws, row, col, value, wrap=layout.wrap)
        _fit_height(ws, row, list(zip(values, widths, strict=True)))
        row += 1
    return row


def _notes(ws: Any, notes: Sequence[str]) -> None:
    """Write ``notes`` under a :func:`_sheet`'s rows, each a sentence merged across every
    column: wrapped in the sheet's whole width, never in its first, narrow column."""
    last = ws.max_column
    width = sum(ws.column_dimensions[get_column_letter(n)].width for n in range(1, last + 1))
    for note in notes:
        row = ws.max_row + 1
        for col in range(1, last + 1):
            _put(ws, row, col, note if col == 1 else "", wrap=True)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        _fit_height(ws, row, [(note, width)])


def _landscape(ws: Any) -> None:
    """Print on A4 landscape, all columns on one page width (at 100 % once widths fit)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(
        left=MARGIN_IN.left,
        right=MARGIN_IN.right,
        top=MARGIN_IN.top,
        bottom=MARGIN_IN.bottom,
        header=MARGIN_IN.header,
        footer=MARGIN_IN.footer,
    )
    ws.print_options.horizontalCentered = True


def _header_footer(ws: Any, heading: str, when: str) -> None:
    """Page header: the document and sheet title left, the date right; footer 第 N 页 共 M 页."""
    for part, text in (
        (ws.oddHeader.left, f"{heading} · {ws.title}"),
        (ws.oddHeader.right, f"统计日期 {when}"),
        (ws.oddFooter.center, "第 &P 页 共 &N 页"),
    ):
        part.text = text if "&P" in text else text.replace("&", "&&")
        part.size = HEADER_FOOTER_SIZE


def _finish(book: Any, view: SummaryView) -> None:
    """Print setup of every sheet, including ones added by other parts of the program."""
    heading = f"{safe_cell(view.plan.title)}汇总"
    when = chinese_date(view.today)
    for ws in book.worksheets:
        _landscape(ws)
        _header_footer(ws, heading, when)


# ----------------------------------------------------------------- 汇总


def _summary_sheet(book: Any, view: SummaryView) -> None:
    f = view.figures
    plan = view.plan
    headings = titles_of(0, 1, 2, 3, 6)
    ws = book.create_sheet("汇总")
    options = f.ranked[0].options if f.ranked else []
    columns = max(7, 2 + len(options) + 3, 6 + len(plan.sections), 4 + len(STATUS_LABELS))
    label = 34.0
    other = min(12.0, (PRINTABLE_UNITS - label) / (columns - 1))
    widths = [PRINTABLE_UNITS - other * (columns - 1), *[other] * (columns - 1)]
    _set_widths(ws, widths)
    title = _put(ws, 1, 1, f"{plan.title}汇总（统计日期 {chinese_date(view.today)}）", border=False)
    title.font = TITLE_FONT
    ws.row_dimensions[1].height = 22
    _put(ws, 2, 1, "；".join(heading_facts(view, dated=False)), border=False)
    ws.row_dimensions[2].height = LINE_PT
    # The label column and the title rows stay in view; each table has its own header,
    # and a table that goes on over a page break repeats it under "（续）".
    ws.freeze_panes = "B3"
    ws.print_title_rows = "1:2"
    pages = _Pages(ws, ws.row_dimensions[1].height + ws.row_dimensions[2].height)
    row = 3

    def line(text: str | None = None, *, bold: bool = False) -> None:
        """A one-line row outside the tables: a heading, a note, or a blank (a blank
        that does not fit is left out: the page ends there anyway)."""
        nonlocal row
        if text is None and not pages.fits(LINE_PT):
            return
        pages.place(row, LINE_PT)
        if text is not None:
            cell = _put(ws, row, 1, text, border=False)
            if bold:
                cell.font = BOLD
        ws.row_dimensions[row].height = LINE_PT
        row += 1

    line()

    def table(
        heading: str,
        header: list[str],
        rows: list[list[object]],
        total: bool = False,
        notes: Sequence[str] = (),
    ) -> None:
        nonlocal row
        numeric = [
            n > 0 and all(_is_number(r[n]) or r[n] in ("", "—") for r in rows)
            for n in range(len(header))
        ]
        header_height = row_height(list(zip(header, widths, strict=False)))

        def header_row() -> None:
            nonlocal row
            pages.place(row, header_height)
            for col, name in enumerate(header, start=1):
                _header_cell(ws, row, col, name, numeric=numeric[col - 1])
            ws.row_dimensions[row].height = header_height
            row += 1

        heights = [row_height(list(zip(values, widths, strict=False))) for values in rows]
        tail = LINE_PT * len(notes)  # the notes stay with the last row
        first = (heights[0] if heights else 0.0) + (tail if len(heights) == 1 else 0.0)
        whole = LINE_PT + header_height + sum(heights) + tail
        if not pages.fits(LINE_PT + header_height + first) or (
            not pages.fits(whole) and whole <= pages.room
        ):
            pages.new_page(row)  # a heading never ends a page; a table a page can hold is whole
        line(heading, bold=True)
        header_row()
        kept = len(rows) - _KEPT_ROWS  # the last rows (with 合计 and the notes) go together
        for n, (values, height) in enumerate(zip(rows, heights, strict=True)):
            last = n == len(rows) - 1
            rest = sum(heights[n:]) + tail if n == kept and n > 0 else 0.0
            if not pages.fits(height + (tail if last else 0.0)) or not pages.fits(rest):
                pages.new_page(row)
                line(f"{heading}（续）", bold=True)
                header_row()
            pages.place(row, height)
            for col, value in enumerate(values, start=1):
                cell = _put(ws, row, col, value, wrap=col == 1)
                if numeric[col - 1] and not _is_number(value):
                    cell.alignment = RIGHT
                if total and last:
                    cell.font = BOLD
            ws.row_dimensions[row].height = height
            row += 1
        for note in notes:
            line(note)
        line()

    table(
        headings[0],
        list(PARTICIPATION_COLUMNS),
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
        headings[1],
        list(SECTION_COLUMNS),
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
    table(
        headings[2],
        ["检查项", "作答", *[o.label for o in options], "平均分", "问题", "问题率"],
        [
            [
                i.label,
                i.answered,
                *[Num(o.share, f'"{o.count}（"0.0%"）"') for o in i.options],
                _mean(i.mean),
                i.flagged,
                _pct(i.flagged_share),
            ]
            for i in f.ranked
        ],
    )
    table(
        headings[3],
        [*UNIT_COLUMNS, *[s.title for s in plan.sections]],
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
        headings[4],
        list(RECTIFY_COLUMNS),
        [
            [
                r.unit,
                r.measures,
                *r.by_status.values(),
                r.overdue,
                _pct(r.done_rate),
                r.verified,
                r.self_reported,
            ]
            for r in f.rectify
        ],
        total=True,
        notes=RECTIFY_NOTES,
    )
    if view.rechecks:
        table(
            RECHECK_TITLE,
            list(RECHECK_COLUMNS),
            [
                [c.unit, c.checked, *c.by_result.values(), _pct(c.rebound_rate)]
                for c in view.rechecks
            ],
            total=True,
            notes=[RECHECK_NOTE],
        )
    table(
        "材料审核",
        list(REVIEW_COLUMNS),
        [
            [
                r.unit,
                r.materials,
                *(r.by_status[s.value] for s in REVIEW_STATUSES),
                Num(r.mean_drafts, "0.0"),
            ]
            for r in f.reviews
        ],
        total=True,
        notes=[REVIEW_NOTE],
    )


def _n(value: int | None) -> object:
    return opt_int(value) if value is None else value


# ----------------------------------------------------------------- workbook


def _default_font(book: Any) -> None:
    """Make 宋体 11 the Normal style's font (openpyxl has no public setter for it)."""
    from openpyxl.utils.indexed_list import IndexedList

    book._fonts = IndexedList([DEFAULT_FONT])
    book._named_styles["Normal"].font = DEFAULT_FONT


def render_xlsx(view: SummaryView) -> bytes:
    """The workbook as bytes."""
    book = Workbook()
    _default_font(book)
    book.remove(book.active)
    _summary_sheet(book, view)

    header = ["序号", "问题类别", "检查项", "单位", "姓名", "具体表现", "原因剖析"]
    ws = _sheet(book, "问题清单", header)
    rows: list[list[object]] = []
    for heading, group in problem_groups(view):
        for r in group:
            rows.append([len(rows) + 1, heading, r.item, r.unit, r.person, r.problem, r.cause])
    _rows(ws, rows)

    ws = _sheet(book, "整改台账", LEDGER_COLUMNS)
    _rows(ws, [r.sheet_cells() for r in view.ledger])
    for n, r in enumerate(view.ledger, start=2):
        if r.overdue:
            for cell in ws[n]:
                cell.fill = OVERDUE_FILL
    ws.auto_filter.ref = (
        f"A1:{get_column_letter(len(LEDGER_COLUMNS))}{max(1, len(view.ledger) + 1)}"
    )

    ws = _sheet(book, "未提交名单", ["单位", "姓名", "职务", "类别", "情况"])
    people: list[list[object]] = [
        [p.unit, p.name, p.position, p.role, p.note] for p in view.missing
    ]
    people += [[p.unit, p.name, "", "", f"不在名单中的提交人：{p.note}"] for p in view.outside]
    _rows(ws, people)

    ws = _sheet(book, "未计入文件", ["文件", "原因"])
    files: list[list[object]] = [[s.file, s.reason] for s in view.skipped]
    files += [[w.file, f"{w.person}：{w.message}"] for w in view.warnings]
    _rows(ws, files)

    if view.similarity is not None:
        from selfcheck.similarity.render import xlsx_sheet

        xlsx_sheet(book, view.similarity, view.plan, _sheet, _rows, _notes)
    _finish(book, view)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
