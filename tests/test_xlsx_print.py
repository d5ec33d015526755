"""The summary workbook prints as the committee hands it round: A4 landscape, ≥ 9 pt.

The print scale is computed from the file's own page setup and column widths (what
Excel's and LibreOffice's "fit to one page wide" do), then checked for real in the PDF
LibreOffice makes of it.
"""

from __future__ import annotations

import itertools
import math
import os
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from selfcheck.cli import app

A4_LANDSCAPE_PT = (297 / 25.4 * 72, 210 / 25.4 * 72)
DIGIT_PX = {"nominal": 7.0, "fallback": 9.3}
"""Width of the default font's digit at 96 dpi: 宋体/Calibri 11, and DejaVu Sans standing
in for them where neither is installed (LibreOffice on a bare Linux)."""
MIN_PT = 9.0
LEDGER_DESIGN = [
    *("序号", "问题类别", "问题描述（具体表现）", "问题来源", "整改措施", "责任人"),
    *("整改时限", "完成情况", "备注"),
]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from selfcheck.checklist.registry import resolve_checklist
    from selfcheck.summary.demo import ROSTER_NAME, write_demo

    root = tmp_path_factory.mktemp("print")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SELFCHECK_TODAY", "2009-01-15")
        write_demo(root, resolve_checklist(None), people=80, seed=11)
        out = root / "汇总.xlsx"
        result = CliRunner().invoke(
            app,
            [
                "summary",
                str(root / "答卷"),
                "--roster",
                str(root / ROSTER_NAME),
                "--format",
                "xlsx",
                "-o",
                str(out),
            ],
        )
        assert result.exit_code == 0, result.output
        yield out


def _used_width(ws: Any) -> float:
    from openpyxl.utils import get_column_letter

    default = ws.sheet_format.defaultColWidth or 8.43
    return sum(
        ws.column_dimensions[get_column_letter(n)].width or default
        for n in range(1, ws.max_column + 1)
    )


def print_scale(ws: Any, digit_px: float) -> float:
    """The scale "fit to 1 page wide" prints ``ws`` at, from its own page setup."""
    setup = ws.page_setup
    assert setup.paperSize in (9, "9"), "A4"
    assert setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (1, "1")
    width = A4_LANDSCAPE_PT[0] - (ws.page_margins.left + ws.page_margins.right) * 72
    content = _used_width(ws) * digit_px * 0.75
    return min(1.0, width / content)


def _body_cells(ws: Any) -> list[Any]:
    return [c for row in ws.iter_rows() for c in row if c.value not in (None, "")]


def test_every_sheet_prints_at_nine_points_or_more(workbook: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(workbook)
    assert book.sheetnames[:3] == ["汇总", "问题清单", "整改台账"]
    for ws in book.worksheets:
        sizes = [c.font.sz for c in _body_cells(ws)]
        smallest = min(sizes)
        nominal = print_scale(ws, DIGIT_PX["nominal"])
        fallback = print_scale(ws, DIGIT_PX["fallback"])
        assert nominal == 1.0, (ws.title, nominal)  # Excel/WPS with 宋体: printed as is
        assert smallest * fallback >= MIN_PT, (ws.title, smallest, fallback)


def test_headers_repeat_freeze_and_align_with_their_numbers(workbook: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(workbook)
    for ws in book.worksheets[1:]:
        assert ws.print_title_rows in ("1:1", "$1:$1"), ws.title
        assert ws.freeze_panes == "A2", ws.title
    ledger = book["整改台账"]
    header = [c.value for c in ledger[1]]
    # design.md §4's columns, in its order (other columns may stand between them)
    assert [c for c in header if c in LEDGER_DESIGN] == LEDGER_DESIGN
    assert header[:3] == LEDGER_DESIGN[:3]
    for col, name in enumerate(header, start=1):
        values = [ledger.cell(r, col) for r in range(2, ledger.max_row + 1)]
        filled = [c for c in values if c.value not in (None, "")]
        numeric = bool(filled) and all(c.data_type in ("n", "d") for c in filled)
        expected = "right" if numeric else None
        assert ledger.cell(1, col).alignment.horizontal == expected, name
        assert all(c.alignment.horizontal == expected for c in values), name
        if not numeric:
            assert all(c.alignment.wrap_text for c in values), name
    summary = book["汇总"]
    assert summary.print_title_rows in ("1:2", "$1:$2") and summary.freeze_panes == "B3"
    # In the 汇总 sheet a number column's header is right-aligned too.
    for row in summary.iter_rows(min_row=3):
        for cell in row:
            below = summary.cell(cell.row + 1, cell.column)
            if cell.fill.fgColor.rgb.endswith("EAF0F5") and below.data_type == "n":
                assert cell.alignment.horizontal == "right", cell.coordinate


def test_borders_header_and_footer(workbook: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(workbook)
    for ws in book.worksheets:
        assert ws.oddFooter.center.text == "第 &P 页 共 &N 页", ws.title
        assert ws.title in ws.oddHeader.left.text
        assert "2009年1月15日" in ws.oddHeader.right.text
        if ws.title == "汇总":
            continue
        for cell in _body_cells(ws):
            assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin"


def _cell_width(ws: Any, cell: Any) -> float:
    """The width ``cell`` wraps its text in: its column, or every column it is merged over."""
    from openpyxl.utils import get_column_letter

    columns = [cell.column]
    for merged in ws.merged_cells.ranges:
        if cell.coordinate in merged:
            columns = list(range(merged.min_col, merged.max_col + 1))
    return sum(ws.column_dimensions[get_column_letter(c)].width for c in columns)


def test_the_similarity_sheet_says_what_it_found_and_its_notes_read_across(
    workbook: Path,
) -> None:
    """The sheet's closing notes are sentences: each spans the sheet's width (a few lines),
    not a strip of two characters a line down the narrow 程度 column; and it states, as
    md and html do, how many took part and how many pairs were found."""
    from openpyxl import load_workbook

    from selfcheck.summary.render_xlsx import lines_needed

    ws = load_workbook(workbook)["雷同检查"]
    texts = [str(c.value) for c in _body_cells(ws)]
    assert any(t.startswith("参与比对") and "发现文字重合" in t for t in texts), texts
    notes = [
        c
        for c in _body_cells(ws)
        if str(c.value).startswith(("参与比对", "以下列出文字重合", "重合比例："))
    ]
    assert len(notes) == 3, [c.value for c in notes]
    for cell in notes:
        width = _cell_width(ws, cell)
        assert lines_needed(str(cell.value), width) <= 3, (cell.coordinate, width, cell.value)
        height = ws.row_dimensions[cell.row].height
        assert height >= lines_needed(str(cell.value), width) * 10.5, cell.coordinate


def print_pdf(workbook: Path, folder: Path) -> Path:
    """The PDF LibreOffice Calc prints of ``workbook`` (a fresh profile in ``folder``)."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        if os.environ.get("CI"):
            pytest.fail("libreoffice (with Calc) is required in CI")
        pytest.skip("libreoffice not installed")
    subprocess.run(
        [
            office,
            f"-env:UserInstallation={(folder / 'lo').as_uri()}",
            *("--headless", "--convert-to", "pdf", "--outdir", str(folder), str(workbook)),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return folder / f"{workbook.stem}.pdf"


@pytest.mark.slow
def test_libreoffice_prints_it_as_computed(workbook: Path, tmp_path: Path) -> None:
    import pypdf

    pdf = print_pdf(workbook, tmp_path)
    assert pdf.exists(), "LibreOffice Calc did not convert the workbook"
    reader = pypdf.PdfReader(pdf)
    total = len(reader.pages)
    assert total > 3
    sizes: dict[float, int] = {}

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        if text.strip():
            printed = size * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])
            sizes[round(printed, 1)] = sizes.get(round(printed, 1), 0) + len(text.strip())

    sheets_seen = set()
    for number, page in enumerate(reader.pages, start=1):
        text = unicodedata.normalize("NFKC", page.extract_text(visitor_text=visit))
        assert f"第 {number} 页 共 {total} 页" in text, number
        assert "统计日期 2009年1月15日" in text
        for title in ("汇总", "问题清单", "整改台账", "未提交名单"):
            if f"· {title}" in text:
                sheets_seen.add(title)
        width, height = (float(v) for v in page.mediabox[2:])
        assert (round(width), round(height)) == (842, 595), "A4 landscape"
    assert sheets_seen == {"汇总", "问题清单", "整改台账", "未提交名单"}
    small = {s: n for s, n in sizes.items() if s < MIN_PT - 0.05}
    assert not small, f"text printed below 9 pt: {small}"


# ------------------------------------------------ the 汇总 sheet's page breaks


def one_measure(checklist: Any, name: str, unit: str, **extra: Any) -> Any:
    """A staff response with one problem and its measure (work-1, due 2009-06-30)."""
    from test_summary_helpers import make_response

    return make_response(
        checklist,
        name=name,
        unit=unit,
        role="staff",
        ratings={"work-1": "some"},
        problems={
            "work-1": {"problem": "办件拖拉", "measure": "建立台账", "deadline": "2009-06-30"}
        },
        **extra,
    )


UNITS = 45
HEADING = r"^([一二三四五六七八九十]+、|回头看|材料审核)"


@pytest.fixture(scope="module")
def many_units(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """45 units, each with a measure done and re-checked: the 参与情况, 各单位对比, 整改情况,
    回头看 and 材料审核 tables run over pages."""
    from datetime import date

    import msgspec
    from test_summary_helpers import stamp

    from selfcheck.checklist.registry import resolve_checklist
    from selfcheck.response import RecheckEntry, save_response
    from selfcheck.rules import RECHECK_RESULTS

    root = tmp_path_factory.mktemp("units")
    checklist = resolve_checklist(None)
    folder = root / "答卷"
    folder.mkdir()
    for n in range(UNITS):
        response = one_measure(
            checklist,
            f"干部{n + 1}",
            f"第{n + 1}业务科",
            progress=[("work-1", "已完成", "2009-01-05", "2009-01-05 17:00")],
        )
        recheck = RecheckEntry(
            item="work-1",
            result=RECHECK_RESULTS[0],
            date=date(2009, 1, 12),
            recorded_at=stamp("2009-01-12 10:00"),
        )
        response = msgspec.structs.replace(response, rechecks=[recheck])
        save_response(response, folder / f"{n + 1}.json")
    out = root / "汇总.xlsx"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SELFCHECK_TODAY", "2009-01-15")
        result = CliRunner().invoke(
            app, ["summary", str(folder), "--format", "xlsx", "-o", str(out)]
        )
    assert result.exit_code == 0, result.output
    yield out


def test_every_page_of_the_summary_sheet_starts_with_a_heading_and_fits(many_units: Path) -> None:
    """Each page holds at most what A4 landscape holds at 100 % (every row has its height
    set), and begins with a table's heading and header: a table that goes on over a
    page break repeats both, marked （续）, so no page shows numbers without their columns."""
    import re

    from openpyxl import load_workbook

    from selfcheck.summary.render_xlsx import BODY_HEIGHT_PT

    ws = load_workbook(many_units)["汇总"]
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    assert len(breaks) >= 3, breaks

    def height(row: int) -> float:
        value = ws.row_dimensions[row].height
        assert value is not None, f"row {row} has no explicit height"
        return float(value)

    room = BODY_HEIGHT_PT - height(1) - height(2)
    starts = [3, *(b + 1 for b in breaks)]
    ends = [*breaks, ws.max_row]
    continued = 0
    for start, end in zip(starts, ends, strict=True):
        assert sum(height(r) for r in range(start, end + 1)) <= room, (start, end)
        if start == 3:
            continue
        first = ws.cell(start, 1)
        assert first.font.b and re.match(HEADING, str(first.value)), (start, first.value)
        assert ws.cell(start + 1, 1).fill.fgColor.rgb.endswith("EAF0F5"), start  # its header
        continued += str(first.value).endswith("（续）")
    assert continued >= 2  # the 45-row tables go on over a page
    units = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    # every unit still appears once in each of the five per-unit tables
    assert all(units.count(f"第{n + 1}业务科") == 5 for n in range(UNITS))
    assert "回头看（续）" in units  # the new table goes on over a page like the others


@pytest.mark.slow
def test_libreoffice_starts_each_summary_page_where_the_workbook_says(
    many_units: Path, tmp_path: Path
) -> None:
    """Printed for real, every page of the 汇总 sheet begins, under its two title rows,
    with a heading: LibreOffice adds no break of its own inside a table."""
    import re

    import pypdf
    from openpyxl import load_workbook

    pdf = print_pdf(many_units, tmp_path)
    reader = pypdf.PdfReader(pdf)
    pages = [unicodedata.normalize("NFKC", page.extract_text()) for page in reader.pages]
    summary = [text for text in pages if "· 汇总" in text.splitlines()[0]]
    ws = load_workbook(many_units)["汇总"]
    assert len(summary) == len(ws.row_breaks.brk) + 1
    facts = unicodedata.normalize("NFKC", str(ws.cell(2, 1).value))
    for number, text in enumerate(summary[1:], start=2):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        after = lines[lines.index(facts) + 1]
        assert re.match(HEADING, after), (number, after)


def _tables(ws: Any) -> list[tuple[str, list[int]]]:
    """(heading, body rows) of every table piece on the 汇总 sheet, in order: a piece is
    a heading, its header and the rows with figures beneath it (notes are not rows)."""
    import re

    pieces: list[tuple[str, list[int]]] = []
    for row in range(3, ws.max_row + 1):
        value = ws.cell(row, 1).value
        if ws.cell(row, 1).font.b and value and re.match(HEADING, str(value)):
            pieces.append((str(value), []))
        elif (
            pieces
            and ws.cell(row, 2).value is not None
            and not ws.cell(row, 1).fill.fgColor.rgb.endswith("EAF0F5")
        ):
            pieces[-1][1].append(row)
    return pieces


@pytest.mark.parametrize("units", [8, 12, *range(24, 31)])
def test_a_table_a_page_can_hold_is_never_split_nor_a_total_left_alone(
    tmp_path: Path, units: int
) -> None:
    """Over several sizes of bureau: a table short enough for one page starts on a new
    page rather than break (once 五、整改情况统计 left its 合计 alone on the next page,
    under （续） and the header), and a longer one carries at least three rows over."""
    from openpyxl import load_workbook
    from test_summary_helpers import write

    from selfcheck.checklist.registry import resolve_checklist
    from selfcheck.summary.render_xlsx import BODY_HEIGHT_PT

    checklist = resolve_checklist(None)
    for n in range(units):
        for k in range(2):
            response = one_measure(checklist, f"干部{n}-{k}", f"第{n + 1}业务科")
            write(tmp_path / "答卷", f"{n}-{k}.json", response)
    out = tmp_path / "汇总.xlsx"
    result = CliRunner().invoke(
        app,
        ["summary", str(tmp_path / "答卷"), "--format", "xlsx", "-o", str(out), "--no-similarity"],
        env={"SELFCHECK_TODAY": "2009-01-15"},
    )
    assert result.exit_code == 0, result.output
    ws = load_workbook(out)["汇总"]
    room = BODY_HEIGHT_PT - float(ws.row_dimensions[1].height) - float(ws.row_dimensions[2].height)
    pieces = _tables(ws)

    def height(first: int, last: int) -> float:
        return sum(float(ws.row_dimensions[r].height) for r in range(first, last + 1))

    split = 0
    for (heading, rows), (following, more) in itertools.pairwise(pieces):
        if not following.endswith("（续）"):
            continue
        split += 1
        assert len(more) >= 3, (following, len(more))  # never a 合计 alone
        if not heading.endswith("（续）"):  # the table's first piece: could it have been whole?
            repeated = height(more[0] - 2, more[0] - 1)  # （续） and the header again
            whole = height(rows[0] - 2, more[-1]) - repeated
            assert whole > room * 0.96, (heading, whole, room)
    assert split or units < 24  # the larger bureaus do split their long tables
