"""The terminal summary fits the terminal: a compact view at 80 columns, every table at 120.

The 80-column output is a golden file. Regenerate after an intended change with::

    UPDATE_GOLDEN=1 pytest tests/test_summary_terminal.py

and review the diff of tests/golden/summary/ before committing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from rich.cells import cell_len
from test_summary_helpers import build_bureau, make_response, write
from typer.testing import CliRunner

from selfcheck.cli import app

GOLDEN = Path(__file__).parent / "golden" / "summary" / "table-80.txt"
LONG_UNIT = "市城市管理综合行政执法局城建监察支队第三大队"  # 22 characters, 44 columns
TWIN_UNITS = ("城建监察支队第一中队", "城建监察支队第二中队")  # differ only late


@pytest.fixture
def bureau(tmp_path: Path) -> tuple[Path, Path]:
    from selfcheck.checklist.registry import resolve_checklist

    checklist = resolve_checklist(None)
    folder, roster = build_bureau(tmp_path, checklist)
    for n, unit in enumerate((LONG_UNIT, *TWIN_UNITS)):
        response = make_response(
            checklist,
            name=f"赵{'一二三'[n]}",
            unit=unit,
            role="staff",
            ratings={"work-1": "some"},
            problems={
                "work-1": {"problem": "态度生硬", "measure": "改进", "deadline": "2009-01-05"}
            },
            submitted="2008-12-22 10:00",
        )
        write(folder / unit, f"{unit}-赵{n}.json", response)
    return folder, roster


def _summary(bureau: tuple[Path, Path], columns: int, *extra: str) -> str:
    folder, roster = bureau
    result = CliRunner().invoke(
        app,
        ["summary", str(folder), "--roster", str(roster), *extra],
        env={"COLUMNS": str(columns), "SELFCHECK_TODAY": "2009-01-15"},
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_compact_view_at_80_columns_matches_golden(bureau: tuple[Path, Path]) -> None:
    # The 雷同检查 part has its own tests; the golden file holds the summary's own tables.
    out = _summary(bureau, 80, "--no-similarity")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(out, encoding="utf-8")
    assert out == GOLDEN.read_text(encoding="utf-8")


def test_compact_view_fits_and_never_cuts_a_unit_name(bureau: tuple[Path, Path]) -> None:
    out = _summary(bureau, 80)
    lines = out.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert "…" not in out
    for heading in ("一、参与情况", "二、查摆问题分类统计", "三、整改情况统计"):
        assert heading in out
    assert "--format html" in out and "--format xlsx" in out  # where the long lists are
    for unit in TWIN_UNITS:
        assert unit in out  # whole, so the two rows can be told apart
    # A name too long for its column is folded onto the next line, not cut.
    joined = "".join(line.strip().split(" ")[0] for line in lines)
    assert LONG_UNIT in joined


def test_full_tables_at_120_columns(bureau: tuple[Path, Path]) -> None:
    out = _summary(bureau, 120)
    headings = ("三、检查项评价情况", "四、各单位对比", "五、整改情况统计", "逾期未完成的整改措施")
    for heading in headings:
        assert heading in out
    assert max(cell_len(line) for line in out.splitlines()) <= 120
    assert all(unit in out for unit in TWIN_UNITS)


def test_the_review_figures_are_in_the_terminal_too(bureau: tuple[Path, Path]) -> None:
    """材料审核 (待审核 / 已通过 / 已退回, 平均稿数) as md, html and xlsx show it: a table
    at 120 columns, one line at 80; the figures are the JSON's."""
    folder, _ = bureau
    returned = next(folder.rglob("*.json"))
    review = CliRunner().invoke(
        app, ["review", str(returned), "--return", "--reason", "雷同", "--reviewer", "赵委员"]
    )
    assert review.exit_code == 0, review.output
    data = json.loads(_summary(bureau, 120, "--format", "json", "--no-similarity"))
    total = data["figures"]["reviews"][-1]
    counts = total["by_status"]
    wide = _summary(bureau, 120, "--no-similarity")
    assert "材料审核" in wide and "平均稿数 = " in wide
    row = next(line for line in wide.splitlines() if "合计" in line and "1.0" in line)
    cells = [c for c in row.replace("│", " ").split() if c != "合计"]
    assert cells == [str(total["materials"]), *map(str, counts.values()), "1.0"]
    compact = _summary(bureau, 80, "--no-similarity")
    said = "，".join(f"{label} {n} 份" for label, n in counts.items())
    assert f"材料审核：{said}。" in compact and counts["已退回"] == 1


def test_the_parts_shown_are_numbered_without_a_gap(tmp_path: Path) -> None:
    """Nobody missing, so no 未提交名单: the next part takes its number (once the
    terminal went from 五、 to 七、未计入的文件)."""
    import re

    from selfcheck.checklist.registry import resolve_checklist

    response = make_response(resolve_checklist(None), name="赵一", unit="办公室", role="staff")
    write(tmp_path, "赵一.json", response)
    (tmp_path / "坏.json").write_text("{", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["summary", str(tmp_path), "--no-similarity"], env={"COLUMNS": "160"}
    )
    assert result.exit_code == 0, result.output
    numbers = re.findall(r"^([一二三四五六七八九十]+)、", result.stdout, flags=re.M)
    assert numbers == list("一二三四五六"), numbers
    assert "六、未计入的文件" in result.stdout and "、未提交名单" not in result.stdout
