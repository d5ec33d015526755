"""Quality checks before submit: warnings the committee would raise, never blocks."""

from __future__ import annotations

from typing import Any

from selfcheck.engine import MIN_PROBLEM_CHARS, copies_wording, quality_warnings
from selfcheck.run.review import review_table


def good_for_all(checklist: Any, role: str = "staff") -> dict[str, dict[str, Any]]:
    return {item.id: {"rating": "good"} for _, item in checklist.items_for(role)}


def messages(checklist: Any, answers: dict[str, dict[str, Any]]) -> list[str]:
    return [w.format() for w in quality_warnings(checklist, "staff", answers)]


def test_a_material_without_any_problem_gets_one_clear_warning(zuofeng) -> None:  # type: ignore[no-untyped-def]
    found = messages(zuofeng, good_for_all(zuofeng))
    count = len(zuofeng.items_for("staff"))
    assert len(found) == 1, "one warning for the whole material, not one per section"
    assert "整份材料没有查摆出任何问题" in found[0] and f"{count} 项" in found[0]
    assert not any(section.title in found[0] for section in zuofeng.sections_for("staff"))


def test_every_section_without_a_problem_is_named(zuofeng) -> None:  # type: ignore[no-untyped-def]
    answers = good_for_all(zuofeng)
    first, *others = zuofeng.sections_for("staff")
    answers[first.items[0].id] = {
        "rating": "some",
        "manifestation": "去年有三件群众来信超过规定时限才答复，影响了群众办事",
        "measure": "建立来信台账，每周清理",
        "deadline": "2009-03-31",
    }
    found = messages(zuofeng, answers)
    assert len(found) == len(others)
    for section, message in zip(others, found, strict=True):
        assert section.title in message and "没有查摆出问题" in message
        assert f"的 {len(section.items)} 项都没有查摆出问题" in message


def test_a_section_with_one_honest_problem_is_not_warned(zuofeng) -> None:  # type: ignore[no-untyped-def]
    answers = good_for_all(zuofeng)
    first = zuofeng.sections[0]
    answers[first.items[0].id] = {
        "rating": "some",
        "manifestation": "去年有三件群众来信超过规定时限才答复，影响了群众办事",
        "measure": "建立来信台账，每周清理",
        "deadline": "2009-03-31",
    }
    assert not any(first.title in m for m in messages(zuofeng, answers))


def test_short_copied_and_undated_problems(zuofeng) -> None:  # type: ignore[no-untyped-def]
    answers = good_for_all(zuofeng)
    items = [item for _, item in zuofeng.items_for("staff")]
    answers[items[0].id] = {
        "rating": "some", "manifestation": "不够", "measure": "改", "deadline": "2009-03-31"
    }
    answers[items[1].id] = {"rating": "serious", "manifestation": items[1].text, "measure": "改"}
    found = messages(zuofeng, answers)
    assert any(m.startswith("第 1 项") and "只有 2 个字" in m for m in found)
    assert any(m.startswith("第 2 项") and "照抄原文" in m for m in found)
    assert any(m.startswith("第 2 项") and "没有整改时限" in m for m in found)
    assert not any(m.startswith("第 1 项") and "没有整改时限" in m for m in found)


def test_a_lasting_measure_needs_no_deadline(zuofeng) -> None:  # type: ignore[no-untyped-def]
    """整改类型 长期坚持 is kept up for good: no 整改时限 is asked of it (立行立改 and 限期整改
    still are)."""
    items = [item for _, item in zuofeng.items_for("staff")]
    for kind, warned in (("lasting", False), ("immediate", True), ("deadline", True)):
        answers = good_for_all(zuofeng)
        answers[items[0].id] = {
            "rating": "some",
            "manifestation": "去年有三件群众来信超过规定时限才答复，影响了群众办事",
            "measure": "坚持每周清理来信台账",
            "rectify_type": kind,
        }
        found = messages(zuofeng, answers)
        assert any("没有整改时限" in m for m in found) is warned, (kind, found)


def test_copy_detection_tolerates_shared_words_but_not_copying() -> None:
    wording = ["是否办事拖拉、相互扯皮,甚至“吃、拿、卡、要、占”"]
    assert copies_wording("办事拖拉、相互扯皮", wording)
    assert copies_wording("存在办事拖拉，相互扯皮的现象", wording)
    assert not copies_wording("去年审批的三个项目都超过了承诺时限，拖拉问题突出", wording)
    assert MIN_PROBLEM_CHARS > 4


def test_review_table_lists_every_item_with_rating_and_brief_problem(zuofeng) -> None:  # type: ignore[no-untyped-def]
    from rich.console import Console

    answers = good_for_all(zuofeng)
    del answers["work-1"]
    long_text = "[red]审批拖拉[/]，" + "很长的描述" * 10
    answers["work-2"] = {"rating": "some", "manifestation": long_text}
    console = Console(record=True, width=140)
    console.print(review_table(zuofeng, "staff", answers))
    text = console.export_text()
    assert text.count("做得好") == len(zuofeng.items_for("staff")) - 2
    assert "（未答）" in text
    assert "存在一些问题" in text
    assert "[red]审批拖拉[/]" in text
    assert "…" in text
