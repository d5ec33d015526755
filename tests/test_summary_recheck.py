"""The 回头看 table (复查 / 巩固 / 反弹 / 反弹率) stands in every summary format that shows the
整改情况统计 — terminal, md, html, xlsx, and rollup's html and xlsx — in the same place, with the
same rows and figures, and only when something was re-checked.

md is the reference: every other format is read back into md's cells and compared with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_summary_helpers import make_response, write
from typer.testing import CliRunner

from selfcheck.cli import app
from selfcheck.summary.textfmt import pct

TODAY = "2009-03-10"
RECHECK_HEADING = "回头看"
RECTIFY_HEADING = "整改情况统计"
REVIEW_HEADING = "材料审核"
EXPECTED = [
    ["单位", "复查", "巩固", "反弹", "反弹率"],
    ["办公室", "2", "1", "1", "50.0%"],
    ["规划科", "1", "1", "0", "0.0%"],
    ["合计", "3", "2", "1", "33.3%"],
]
"""By hand: 办公室 巩固 1 + 反弹 1, 规划科 巩固 1, 后勤科 nothing re-checked (no row)."""


def cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env={"SELFCHECK_TODAY": TODAY})
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def _person(root: Path, unit: str, name: str, item: str, status: str | None) -> Path:
    response = make_response(
        _checklist(),
        name=name,
        unit=unit,
        role="staff",
        ratings={item: "some"},
        problems={item: {"problem": "办件拖拉", "measure": "建立台账", "deadline": "2009-06-30"}},
        progress=[(item, status, "2009-02-01", "2009-02-01 17:00")] if status else [],
    )
    return write(root / unit, f"{unit}-{name}.json", response)


def _checklist() -> Any:
    from selfcheck.checklist.registry import resolve_checklist

    return resolve_checklist(None)


@pytest.fixture(scope="module")
def bureau(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Three units; 办公室 and 规划科 re-checked by the committee, 后勤科 not."""
    root = tmp_path_factory.mktemp("recheck") / "答卷"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SELFCHECK_TODAY", TODAY)
        zhang = _person(root, "办公室", "张三", "work-2", "已完成")
        li = _person(root, "办公室", "李四", "study-1", "已完成")
        wang = _person(root, "规划科", "王五", "work-1", "长期坚持")
        _person(root, "后勤科", "赵六", "work-3", None)
        cli("rectify", str(zhang), "--no-input", "--recheck", "work-2", "--result", "巩固")
        cli(
            *("rectify", str(li), "--no-input", "--recheck", "study-1", "--result", "反弹"),
            *("--note", "又有拖拉", "--deadline", "2009-06-30"),
        )
        cli("rectify", str(wang), "--no-input", "--recheck", "work-1", "--result", "巩固")
    yield root


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Measures closed but nothing re-checked: md shows no 回头看 table."""
    root = tmp_path_factory.mktemp("plain") / "答卷"
    _person(root, "办公室", "张三", "work-2", "已完成")
    return root


# ------------------------------------------------------------------ reading back


def md_table(md: str) -> list[list[str]]:
    """The rows (header first) of md's 回头看 table."""
    block = md.split(f"### {RECHECK_HEADING}\n\n", 1)[1].split("\n\n", 1)[0]
    lines = [line for line in block.splitlines() if not line.startswith("|-")]
    return [[c.strip() for c in line.strip("|").split("|")] for line in lines]


def html_table(html: str) -> list[list[str]]:
    """The rows (header first) of the html 回头看 table, as text."""
    block = html.split(f"<h3>{RECHECK_HEADING}</h3>", 1)[1].split("</table>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", block, flags=re.S)
    ]


def xlsx_cell(cell: Any) -> str:
    """A 汇总 sheet cell as md writes it: a percentage as 12.3%, a count as 12."""
    value = cell.value
    if isinstance(value, (int, float)) and "%" in cell.number_format:
        return pct(value)
    return str(value)


def xlsx_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """(column A of the 汇总 sheet, the rows of its 回头看 table with header)."""
    from openpyxl import load_workbook

    ws = load_workbook(path)["汇总"]
    first = [str(ws.cell(r, 1).value or "") for r in range(1, ws.max_row + 1)]
    start = first.index(RECHECK_HEADING) + 1  # 1-based row of the heading
    assert ws.cell(start, 1).font.b
    rows = []
    for r in range(start + 1, ws.max_row + 1):
        cells = [ws.cell(r, c) for c in range(1, len(EXPECTED[0]) + 1)]
        if cells[1].value in (None, ""):  # the note under the table, or a blank row
            break
        rows.append([xlsx_cell(c) for c in cells])
    return first, rows


def _position(titles: list[str], text: str) -> int:
    return next(n for n, t in enumerate(titles) if text in t)


# ------------------------------------------------------------------ the tests


def test_md_shows_the_hand_computed_table_after_the_rectify_figures(bureau: Path) -> None:
    md = cli("summary", str(bureau), "--format", "md")
    assert md_table(md) == EXPECTED
    assert md.index(RECTIFY_HEADING) < md.index(f"### {RECHECK_HEADING}") < md.index(REVIEW_HEADING)


def test_html_shows_the_recheck_table_as_md(bureau: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.html"
    cli("summary", str(bureau), "--format", "html", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    md = cli("summary", str(bureau), "--format", "md")
    assert html_table(html) == md_table(md) == EXPECTED
    assert html.index(RECTIFY_HEADING) < html.index(f"<h3>{RECHECK_HEADING}</h3>")
    assert html.index(f"<h3>{RECHECK_HEADING}</h3>") < html.index(f"<h3>{REVIEW_HEADING}</h3>")
    assert "反弹率 = 反弹 ÷ 复查" in html
    assert '<tr class="total"><td>合计</td><td class="n">3</td>' in html


def test_xlsx_summary_sheet_shows_the_recheck_table_as_md(bureau: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    cli("summary", str(bureau), "--format", "xlsx", "-o", str(out))
    first, rows = xlsx_rows(out)
    md = cli("summary", str(bureau), "--format", "md")
    assert rows == md_table(md) == EXPECTED
    rectify = _position(first, RECTIFY_HEADING)
    assert rectify < first.index(RECHECK_HEADING) < first.index(REVIEW_HEADING)
    heading = first.index(RECHECK_HEADING) + 1  # rows are 1-based
    header, total, note = heading + 1, heading + len(EXPECTED), heading + len(EXPECTED) + 1
    assert first[note - 1].startswith("反弹率 = 反弹 ÷ 复查")
    # laid out like the tables around it: numbers right under right-aligned headers, 合计 bold
    from openpyxl import load_workbook

    ws = load_workbook(out)["汇总"]
    assert [ws.cell(header, c).alignment.horizontal for c in (1, 2, 5)] == [None, "right", "right"]
    rate = ws.cell(header + 1, 5)
    assert rate.number_format == "0.0%" and rate.data_type == "n"
    assert all(ws.cell(total, c).font.b for c in range(1, 6))
    assert not ws.cell(total - 1, 1).font.b


def test_rollup_html_and_xlsx_show_the_recheck_table_as_md(bureau: Path, tmp_path: Path) -> None:
    parts = []
    for unit in ("办公室", "规划科", "后勤科"):
        part = tmp_path / f"{unit}.json"
        cli("summary", str(bureau / unit), "--format", "json", "-o", str(part))
        parts.append(str(part))
    md = cli("rollup", *parts, "--format", "md")
    assert md_table(md) == EXPECTED
    cli("rollup", *parts, "--format", "html", "-o", str(tmp_path / "r.html"))
    assert html_table((tmp_path / "r.html").read_text(encoding="utf-8")) == EXPECTED
    cli("rollup", *parts, "--format", "xlsx", "-o", str(tmp_path / "r.xlsx"))
    assert xlsx_rows(tmp_path / "r.xlsx")[1] == EXPECTED


def test_no_recheck_no_table_in_any_format(plain: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    assert f"### {RECHECK_HEADING}" not in cli("summary", str(plain), "--format", "md")
    assert "复查" not in cli("summary", str(plain))
    cli("summary", str(plain), "--format", "html", "-o", str(tmp_path / "s.html"))
    assert "复查" not in (tmp_path / "s.html").read_text(encoding="utf-8")
    cli("summary", str(plain), "--format", "xlsx", "-o", str(tmp_path / "s.xlsx"))
    ws = load_workbook(tmp_path / "s.xlsx")["汇总"]
    assert not any(c.value in (RECHECK_HEADING, "复查") for row in ws.iter_rows() for c in row)
