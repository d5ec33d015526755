"""Summary figures checked against a small bureau computed by hand.

The bureau (today is 2009-01-15, see conftest):

- 办公室 张三 (staff): all 做得好 except work-2 存在一些问题, deadline 2009-01-10,
  no progress → overdue.
- 办公室 李四 (leader): all 基本做到 except thinking-1 问题比较突出 (deadline
  2009-03-31; 整改中 then 长期坚持) and leadership-2 存在一些问题 (deadline
  2009-01-05, 已完成 → not overdue).
- 规划科 王五 (staff): an older submission with study-1 存在一些问题, and a newer
  one, all 做得好: the newer wins.
- 规划科 赵六 (staff): only a draft.
- a damaged file and a response to another checklist.
- roster: 张三, 李四, 孙七 (办公室); 王五, 赵六 (规划科).

Scores: 做得好 3, 基本做到 2, 存在一些问题 1, 问题比较突出 0.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_summary_helpers import build_bureau
from typer.testing import CliRunner

from selfcheck.cli import app


def _summary(folder: Path, roster: Path, *extra: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        app, ["summary", str(folder), "--roster", str(roster), "--format", "json", *extra]
    )
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.fixture
def bureau(tmp_path: Path, zuofeng: Any) -> tuple[Path, Path]:
    """The bureau of the module docstring: (responses folder, roster)."""
    return build_bureau(tmp_path, zuofeng)


@pytest.fixture
def figures(bureau: tuple[Path, Path]) -> dict[str, Any]:
    folder, roster = bureau
    return _summary(folder, roster)["figures"]


def test_participation_per_unit_and_total(figures: dict[str, Any]) -> None:
    rows = {p["unit"]: p for p in figures["participation"]}
    office, planning, total = rows["办公室"], rows["规划科"], rows["合计"]
    assert (office["roster"], office["submitted"], office["draft_only"], office["missing"]) == (
        3,
        2,
        0,
        1,
    )
    assert office["rate"] == pytest.approx(2 / 3)
    assert (
        planning["roster"],
        planning["submitted"],
        planning["draft_only"],
        planning["missing"],
    ) == (2, 1, 1, 1)
    assert planning["rate"] == pytest.approx(1 / 2)
    assert (
        total["roster"],
        total["submitted"],
        total["draft_only"],
        total["missing"],
        total["outside"],
    ) == (
        5,
        3,
        1,
        2,
        0,
    )
    assert total["rate"] == pytest.approx(3 / 5)
    assert figures["respondents"] == 3
    assert figures["by_role"] == {"leader": 1, "staff": 2}


def test_problems_by_section_with_shares(figures: dict[str, Any]) -> None:
    sections = {s["title"]: s for s in figures["sections"]}
    assert figures["problems"] == 3
    assert {t: s["flagged"] for t, s in sections.items()} == {
        "思想作风": 1,
        "工作作风": 1,
        "领导作风": 1,
        "学风": 0,
    }
    assert sections["思想作风"]["problem_share"] == pytest.approx(1 / 3)
    assert sections["学风"]["problem_share"] == 0
    # 思想作风: 张三 3+3+3, 李四 0+2+2, 王五 3+3+3 → 22 points over 9 answers.
    assert sections["思想作风"]["answered"] == 9
    assert sections["思想作风"]["mean"] == pytest.approx(22 / 9)
    assert sections["思想作风"]["flagged_share"] == pytest.approx(1 / 9)
    # 领导作风: only 李四: five 基本做到 and one 存在一些问题 → 11 points over 6.
    assert sections["领导作风"]["answered"] == 6
    assert sections["领导作风"]["mean"] == pytest.approx(11 / 6)


def test_item_distribution_mean_and_ranking(figures: dict[str, Any]) -> None:
    items = {i["id"]: i for s in figures["sections"] for i in s["items"]}
    work2 = items["work-2"]
    assert work2["answered"] == 3
    assert [(o["value"], o["count"]) for o in work2["options"]] == [
        ("good", 1),
        ("basic", 1),
        ("some", 1),
        ("serious", 0),
    ]
    assert work2["options"][0]["share"] == pytest.approx(1 / 3)
    assert work2["mean"] == pytest.approx(2.0)
    assert work2["flagged"] == 1
    assert items["leadership-2"]["answered"] == 1
    assert items["leadership-2"]["mean"] == pytest.approx(1.0)
    assert items["leadership-2"]["flagged_share"] == 1.0
    # The older submission of 王五 (study-1 flagged) does not count.
    assert items["study-1"]["flagged"] == 0
    ranked = [i["id"] for i in figures["ranked"]]
    # One problem each; leadership-2 has the highest share; then checklist order.
    assert ranked[:3] == ["leadership-2", "thinking-1", "work-2"]


def test_units_compared(figures: dict[str, Any]) -> None:
    units = {u["unit"]: u for u in figures["units"]}
    assert (units["办公室"]["respondents"], units["办公室"]["problems"]) == (2, 3)
    assert units["办公室"]["per_person"] == pytest.approx(1.5)
    assert units["办公室"]["by_section"] == [1, 1, 1, 0]
    assert (units["规划科"]["respondents"], units["规划科"]["problems"]) == (1, 0)


def test_rectification_figures(figures: dict[str, Any]) -> None:
    rows = {r["unit"]: r for r in figures["rectify"]}
    total = rows["合计"]
    assert total["measures"] == 3
    assert total["by_status"] == {"未开始": 1, "整改中": 0, "已完成": 1, "长期坚持": 1}
    assert total["overdue"] == 1
    assert total["done_rate"] == pytest.approx(1 / 3)  # 已完成 only; 长期坚持 has its column
    assert rows["规划科"]["measures"] == 0
    assert rows["规划科"]["done_rate"] is None


def test_skipped_files_and_reasons(bureau: tuple[Path, Path]) -> None:
    folder, roster = bureau
    skipped = _summary(folder, roster)["skipped"]
    by_code = {s["code"]: s for s in skipped}
    assert sorted(by_code) == ["checklist", "draft", "not_json", "superseded"]
    assert by_code["superseded"]["file"].endswith("旧/规划科-王五.json")
    assert "规划科-王五.json" in by_code["superseded"]["reason"]
    assert "另一份检查表" in by_code["checklist"]["reason"]


def test_ledger_lists_overdue_first_with_latest_status(bureau: tuple[Path, Path]) -> None:
    from selfcheck import clock
    from selfcheck.folder import discover
    from selfcheck.summary.aggregate import Aggregator
    from selfcheck.summary.plancache import load_plan
    from selfcheck.summary.roster import load_roster
    from selfcheck.summary.view import build_view

    folder, roster_path = bureau
    plan = load_plan(None, [])
    agg = Aggregator(plan, clock.today())
    found, _, _ = discover([folder])
    for path, display in found:
        agg.add_file(path, display)
    view = build_view(agg, load_roster(roster_path, plan), [])
    ledger = [
        (r.number, r.person, r.item_id, r.status, r.overdue, r.overdue_days) for r in view.ledger
    ]
    assert ledger == [
        (1, "张三", "work-2", "未开始", True, 5),
        (2, "李四", "thinking-1", "长期坚持", False, 0),
        (3, "李四", "leadership-2", "已完成", False, 0),
    ]
    assert view.ledger[0].problem == "办件拖拉"
    assert view.ledger[1].source == "自己找；群众意见：群众说脾气急"
    assert [(p.name, p.note) for p in view.missing] == [
        ("孙七", "未见答卷"),
        ("赵六", "有草稿，未提交"),
    ]
    agg.close()


def test_unit_filter_counts_only_that_unit(bureau: tuple[Path, Path]) -> None:
    folder, roster = bureau
    data = _summary(folder, roster, "--unit", "规划科")
    total = data["figures"]["participation"][-1]
    assert (total["roster"], total["submitted"], total["draft_only"]) == (2, 1, 1)
    assert data["excluded"] == 2
    assert data["conditions"] == ["单位：规划科"]


def test_role_filter_accepts_label(bureau: tuple[Path, Path]) -> None:
    folder, roster = bureau
    data = _summary(folder, roster, "--role", "领导干部")
    assert data["figures"]["respondents"] == 1
    assert data["figures"]["participation"][-1]["roster"] == 1
