"""Every format of `selfcheck summary` on a 500-person demo bureau plus damaged, duplicate,
foreign and hostile files: produced, safe, and showing what was skipped."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from test_summary_helpers import make_response, write
from typer.testing import CliRunner

from selfcheck.cli import app

HOSTILE_NAME = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://example.invalid","点我")'
LONG = "很长的意见。" * 7000  # 42,000 characters: over Excel's 32,767 limit


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """(responses folder, roster) of a demo bureau with a handful of bad files added."""
    from selfcheck.checklist.registry import resolve_checklist
    from selfcheck.summary.demo import ROSTER_NAME, write_demo

    root = tmp_path_factory.mktemp("bureau")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SELFCHECK_TODAY", "2009-01-15")
        checklist = resolve_checklist(None)
        write_demo(root, checklist, people=500, seed=7)
        folder = root / "答卷"
        extra = folder / "其他"
        extra.mkdir()
        (extra / "损坏.json").write_bytes(b'{"schema_version": 1, "checklist": {')
        (extra / "乱码.json").write_bytes('{"名字": "张三"}'.encode("gbk"))
        (extra / "空.json").write_bytes(b"")
        (extra / "不是答卷.json").write_text('{"hello": "world"}', encoding="utf-8")
        (extra / "说明.docx").write_bytes(b"PK\x03\x04 not really")
        first = next(
            p for p in sorted(folder.rglob("*.json")) if not p.name.endswith(".draft.json")
        )
        shutil.copy(first, extra / ("副本-" + first.name))
        foreign = make_response(checklist, name="外单位", unit="局机关办公室", role="staff")
        foreign.checklist.version = "2007.9"
        write(extra, "旧版检查表.json", foreign)
        hostile = make_response(
            checklist,
            name=HOSTILE_NAME,
            unit="局机关办公室",
            role="staff",
            ratings={"work-1": "serious", "work-3": "some"},
            problems={
                "work-1": {
                    "problem": FORMULA,
                    "cause": "红色\x1b[31m警告\x07响铃",
                    "opinion": LONG,
                    "measure": "+1+1",
                    "deadline": "2009-01-01",
                },
                "work-3": {"problem": "@SUM(A1)", "measure": "-2", "deadline": "2009-06-30"},
            },
            submitted="2008-12-30 09:00",
        )
        write(extra, "hostile.json", hostile)
        yield folder, root / ROSTER_NAME


def _run(collection: tuple[Path, Path], *args: str) -> Any:
    folder, roster = collection
    result = CliRunner().invoke(app, ["summary", str(folder), "--roster", str(roster), *args])
    assert result.exit_code == 0, result.output
    return result


def test_table_in_the_terminal(collection: tuple[Path, Path]) -> None:
    out = _run(collection).stdout
    for heading in ("一、参与情况", "二、查摆问题分类统计", "五、整改情况", "七、未计入的文件"):
        assert heading in out
    assert "\x1b" not in out and "\x07" not in out
    assert "不是有效的 JSON 文件" in out


def test_table_written_to_a_file_is_the_table(
    collection: tuple[Path, Path], tmp_path: Path
) -> None:
    """``-o 汇总.txt`` keeps what the screen shows, as plain text (once written empty)."""
    out = tmp_path / "汇总.txt"
    result = _run(collection, "--format", "table", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    for heading in ("一、参与情况", "二、查摆问题分类统计", "五、整改情况", "七、未计入的文件"):
        assert heading in text
    assert "不是有效的 JSON 文件" in text and "一、参与情况" not in result.stdout
    assert "\x1b" not in text and not any(line.endswith(" ") for line in text.splitlines())


def test_json_lists_every_skipped_file_and_warning(
    collection: tuple[Path, Path], tmp_path: Path
) -> None:
    out = tmp_path / "s.json"
    _run(collection, "--format", "json", "-o", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    reasons = {Path(s["file"]).name: s for s in data["skipped"]}
    assert reasons["损坏.json"]["code"] == "not_json"
    assert reasons["乱码.json"]["code"] == "not_json"
    assert reasons["空.json"]["code"] == "not_json"
    assert reasons["不是答卷.json"]["code"] == "schema"
    assert reasons["旧版检查表.json"]["code"] == "version"
    codes = {s["code"] for s in data["skipped"]}
    assert {"draft", "superseded"} <= codes
    assert data["ignored_files"] == 1  # 说明.docx
    hostile = next(r for r in data["records"] if r["name"] == HOSTILE_NAME)
    problem = next(p for p in hostile["problems"] if p["item"] == "work-1")
    assert problem["opinion"] == LONG  # stored whole
    assert problem["cause"] == "红色警告响铃"  # escape codes removed
    assert any("控制字符" in w for w in hostile["warnings"])
    assert any("32767" in w for w in hostile["warnings"])
    assert data["checklist"]["id"] == "zuofeng-2008" and len(data["checklist"]["sha256"]) == 64
    assert data["summary_schema"] == 2
    assert out.stat().st_mode & 0o777 == 0o600


def test_markdown_escapes_user_text(collection: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "s.md"
    _run(collection, "--format", "md", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert "## 六、整改台账" in text and "## 九、未计入的文件" in text
    assert "<script>" not in text
    assert r"\<script\>alert(1)\</script\>" in text


def test_html_is_self_contained_and_escaped(collection: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "s.html"
    _run(collection, "--format", "html", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<svg") >= 6  # sections, each section's items, units
    assert "@media print" in html
    for attribute in (" src=", " href=", "@import", "url("):
        assert attribute not in html
    assert "损坏.json" in html and "不是有效的 JSON 文件" in html


def test_csv_ledger_has_bom_and_no_formulas(collection: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "台账.csv"
    _run(collection, "--format", "csv", "-o", str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["序号", "问题类别", "问题描述（具体表现）"]  # design.md §4
    col = {name: n for n, name in enumerate(rows[0])}
    for row in rows[1:]:
        for value in row:
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    hostile = [r for r in rows if r[col["责任人"]] == HOSTILE_NAME]
    assert {r[col["问题描述（具体表现）"]] for r in hostile} == {"'" + FORMULA, "'@SUM(A1)"}
    assert {r[col["整改措施"]] for r in hostile} == {"'+1+1", "'-2"}
    # Overdue measures come first.
    overdue = [("逾期" in r[col["完成情况"]]) for r in rows[1:]]
    assert overdue == sorted(overdue, reverse=True) and overdue[0]


def test_xlsx_sheets_dates_frozen_headers_and_no_formula(
    collection: tuple[Path, Path], tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "汇总.xlsx"
    _run(collection, "--format", "xlsx", "-o", str(out))
    with zipfile.ZipFile(out) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        for name in sheets:
            xml = archive.read(name).decode("utf-8")
            assert "<f>" not in xml and "<f " not in xml, name
    book = load_workbook(out)
    assert book.sheetnames[:4] == ["汇总", "问题清单", "整改台账", "未提交名单"]
    ledger = book["整改台账"]
    assert ledger.freeze_panes == "A2"
    header = [c.value for c in ledger[1]]
    assert header[:3] == ["序号", "问题类别", "问题描述（具体表现）"]  # design.md §4
    assert isinstance(ledger.cell(2, header.index("整改时限") + 1).value, datetime)
    widths = {name: ledger.column_dimensions[chr(65 + n)].width for n, name in enumerate(header)}
    widest = sorted(widths, key=lambda name: widths[name])[-2:]
    assert set(widest) == {"问题描述（具体表现）", "整改措施"}  # the texts get the room
    texts = [
        c.value for row in ledger.iter_rows(min_row=2) for c in row if isinstance(c.value, str)
    ]
    assert "'" + FORMULA in texts and "'+1+1" in texts
    assert all(len(t) <= 32767 for t in texts)
    assert book["未提交名单"].max_row > 1


def test_xlsx_ledger_status_reads_as_the_csv_with_overdue_marked(
    collection: tuple[Path, Path], tmp_path: Path
) -> None:
    """完成情况 of an overdue measure is 未开始（逾期） in the workbook as in the CSV (once plain
    未开始 there), and the row keeps its red fill and its 备注 (已逾期 N 天)."""
    from openpyxl import load_workbook

    _run(collection, "--format", "csv", "-o", str(tmp_path / "台账.csv"))
    rows = list(csv.reader(io.StringIO((tmp_path / "台账.csv").read_text(encoding="utf-8-sig"))))
    status = rows[0].index("完成情况")
    _run(collection, "--format", "xlsx", "-o", str(tmp_path / "汇总.xlsx"))
    ledger = load_workbook(tmp_path / "汇总.xlsx")["整改台账"]
    header = [c.value for c in ledger[1]]
    assert header == rows[0]
    cells = [row[status] for row in ledger.iter_rows(min_row=2)]
    assert [c.value for c in cells] == [r[status] for r in rows[1:]]
    remark = header.index("备注")
    overdue = [c for c in cells if c.value.endswith("（逾期）")]
    assert overdue and any(c.value == "未开始（逾期）" for c in overdue)
    for c in cells:
        late = c.value.endswith("（逾期）")
        assert c.fill.fgColor.rgb.endswith("FDECEA") == late, c.coordinate
        assert ("已逾期" in str(ledger.cell(c.row, remark + 1).value)) == late, c.coordinate


def test_anonymised_output_hides_names_with_stable_codes(
    collection: tuple[Path, Path], tmp_path: Path
) -> None:
    first, second = tmp_path / "1.html", tmp_path / "2.html"
    _run(collection, "--format", "html", "--anonymize", "-o", str(first))
    _run(collection, "--format", "html", "--anonymize", "-o", str(second))
    html = first.read_text(encoding="utf-8")
    assert html == second.read_text(encoding="utf-8")
    _, roster = collection
    names = [row[0] for row in csv.reader(io.StringIO(roster.read_text(encoding="utf-8-sig")))][1:]
    leaked = [n for n in names if n in html]
    assert not leaked
    assert "人员-" in html and "script" not in html


def test_html_renders_in_a_browser(collection: tuple[Path, Path], tmp_path: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("chromium and pdftotext are required in CI")
        pytest.skip("chromium or pdftotext not installed")
    page = tmp_path / "s.html"
    _run(collection, "--format", "html", "-o", str(page))
    pdf = tmp_path / "s.pdf"
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = subprocess.run(
        ["pdftotext", "-l", "40", str(pdf), "-"], check=True, capture_output=True
    ).stdout.decode()
    assert "参与情况" in text and "整改台账" in text
    assert "<script>alert(1)</script>" in text  # shown as text, not run


@pytest.mark.parametrize("entries", [511, 512, 513, 1024])
def test_summary_json_lists_are_valid_json_whatever_their_length(
    tmp_path: Path, entries: int
) -> None:
    """The lists are streamed a few hundred entries at a time; a list whose length is a
    multiple of that batch once ended in a stray comma, so the summary JSON (and the
    rollup that reads it) broke on exactly 512 skipped files."""
    folder = tmp_path / "答卷"
    folder.mkdir()
    for n in range(entries):
        (folder / f"坏文件{n:04d}.json").write_text("不是 JSON", encoding="utf-8")
    out = tmp_path / "汇总.json"
    result = CliRunner().invoke(app, ["summary", str(folder), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["skipped"]) == entries
    assert {s["code"] for s in data["skipped"]} == {"not_json"}
    rolled = CliRunner().invoke(app, ["rollup", str(out), "--format", "json"])
    assert rolled.exit_code == 0, rolled.output


CONTROLS = "\x00\x1b[2J\x07\u202e"


def test_skip_reasons_quoting_a_file_show_no_control_characters(tmp_path: Path) -> None:
    """A skip's reason quotes the file (its role, its checklist's version): the terminal
    was cleaned, but md and html carried NUL and escape codes through, and rollup carried
    those of another unit's summary JSON."""
    from selfcheck.checklist.registry import resolve_checklist

    checklist = resolve_checklist(None)
    folder = tmp_path / "答卷"
    stray = make_response(checklist, name="张三", unit="办公室", role="staff")
    stray.respondent.role = f"staff{CONTROLS}x"
    write(folder, "角色.json", stray)
    old = make_response(checklist, name="李四", unit="办公室", role="staff")
    old.checklist.version = f"2007{CONTROLS}.9"
    write(folder, "旧版.json", old)
    runner = CliRunner()
    unit = tmp_path / "单位.json"
    result = runner.invoke(app, ["summary", str(folder), "--format", "json", "-o", str(unit)])
    assert result.exit_code == 0, result.output
    data = json.loads(unit.read_text(encoding="utf-8"))
    data["skipped"].append({"file": f"外{CONTROLS}.json", "code": "draft", "reason": CONTROLS})
    unit.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    for argv in (["summary", str(folder), "--no-similarity"], ["rollup", str(unit)]):
        for fmt in ("md", "html"):
            out = tmp_path / f"{argv[0]}.{fmt}"
            result = runner.invoke(app, [*argv, "--format", fmt, "-o", str(out)])
            assert result.exit_code == 0, result.output
            text = out.read_text(encoding="utf-8")
            assert "角色“staffx”不在检查表中" in text, (argv, fmt)
            assert "答卷为 2007.9" in text, (argv, fmt)
            assert not any(c in text for c in "\x00\x1b\x07\u202e"), (argv, fmt)
