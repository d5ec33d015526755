"""The report view model: grouping, numbering, role filtering, dates, rectification.

Every format is laid out from this one model, so the report's content is
specified here; the golden tests only check the layout of the result.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import msgspec
import pytest

from selfcheck.checklist.loader import load_checklist
from selfcheck.checklist.model import Checklist
from selfcheck.errors import ResponseError
from selfcheck.report.model import ReportView, build_report
from selfcheck.report.numerals import chinese_number, format_date, point_ordinal
from selfcheck.response import RectifyEntry, Response, load_response, replace
from selfcheck.rules import Status

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2009, 1, 15)


@pytest.fixture
def leader_response() -> Response:
    """A leader's submitted response with problems in every section."""
    return load_response(FIXTURES / "report_leader.json")


def with_answers(
    response: Response, answers: dict[str, dict[str, Any]], **changes: Any
) -> Response:
    """A copy of ``response`` with other answers (and respondent/status changes)."""
    update: dict[str, Any] = {"answers": answers}
    if "role" in changes:
        update["respondent"] = replace(response.respondent, **{"role": changes.pop("role")})
    update.update(changes)
    return replace(response, **update)


def problem(text: str, **more: str) -> dict[str, Any]:
    """Answers for an item rated as having a problem."""
    return {"rating": "some", "manifestation": text, "measure": f"针对“{text}”整改", **more}


def build(response: Response, checklist: Checklist, **options: Any) -> ReportView:
    return build_report(response, checklist, today=options.pop("today", TODAY), **options)


def part(view: ReportView, kind: str) -> Any:
    return next(p for p in view.parts if p.kind == kind)


# ----------------------------------------------------------------- numerals and dates


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (21, "二十一"),
        (99, "九十九"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (1001, "一千零一"),
    ],
)
def test_chinese_numbers_are_written_as_counted(n: int, text: str) -> None:
    assert chinese_number(n) == text


def test_point_ordinals_continue_past_ten() -> None:
    assert [point_ordinal(n) for n in (1, 2, 10, 11, 12)] == [
        "一是",
        "二是",
        "十是",
        "十一是",
        "十二是",
    ]


@pytest.mark.parametrize(
    ("value", "arabic", "hanzi"),
    [
        (date(2008, 12, 1), "2008年12月1日", "二〇〇八年十二月一日"),
        (date(2009, 1, 15), "2009年1月15日", "二〇〇九年一月十五日"),
        (date(2010, 10, 30), "2010年10月30日", "二〇一〇年十月三十日"),
        (date(2000, 2, 29), "2000年2月29日", "二〇〇〇年二月二十九日"),
    ],
)
def test_dates_arabic_without_padding_or_in_chinese(value: date, arabic: str, hanzi: str) -> None:
    assert format_date(value) == arabic
    assert format_date(value, hanzi=True) == hanzi


# ----------------------------------------------------------------- structure


def test_parts_follow_the_conventional_skeleton(
    zuofeng: Checklist, leader_response: Response
) -> None:
    view = build(leader_response, zuofeng)
    assert [p.heading for p in view.parts] == [
        "一、存在的主要问题",
        "二、问题产生的原因剖析",
        "三、整改措施和努力方向",
    ]
    assert view.title == f"关于开展{zuofeng.campaign.name}的个人对照检查材料"
    assert "".join(view.title_lines) == view.title
    assert view.byline == "市城建监察支队　支队长　王建国"
    assert view.closing.startswith("以上是我的自查剖析")


def test_problems_are_grouped_by_section_in_checklist_order(
    zuofeng: Checklist, leader_response: Response
) -> None:
    view = build(leader_response, zuofeng)
    problems = part(view, "problems")
    expected = [s.title for s in zuofeng.sections_for("leader")]
    assert [g.title for g in problems.groups] == [f"{t}方面" for t in expected]
    assert [g.number for g in problems.groups] == ["（一）", "（二）", "（三）", "（四）"]
    rubrics = [s.rubric for s in zuofeng.sections_for("leader")]
    verdicts = [s.verdict for s in view.sections]
    assert [g.heading for g in problems.groups] == [
        f"{g.number}{g.title}：{v}" if v else f"{g.number}{g.title}（对照“{r}”）"
        for g, r, v in zip(problems.groups, rubrics, verdicts, strict=True)
    ]  # the respondent's own 本方面问题概括 heads a section, else its rubric
    # Points are numbered 一是、二是 inside each group, in item order; a lone one is not.
    for group, section in zip(problems.groups, view.sections, strict=True):
        count = len(section.problems)
        expected = [point_ordinal(n) for n in range(1, count + 1)] if count > 1 else [""]
        assert [p.ordinal for p in group.points] == expected
    work = view.sections[1]
    answers = leader_response.answers
    assert [p.item_id for p in work.problems] == [
        item.id
        for item in zuofeng.sections_for("leader")[1].items
        if answers.get(item.id, {}).get("rating") in ("some", "serious")
    ]


def test_each_point_carries_the_answer_text(zuofeng: Checklist, leader_response: Response) -> None:
    view = build(leader_response, zuofeng)
    first_item = zuofeng.sections[0].items[0].id
    manifestation = leader_response.answers[first_item]["manifestation"]
    opinion = leader_response.answers[first_item]["opinion"]
    group = part(view, "problems").groups[0]
    point = group.points[0]
    assert point.ordinal == ("一是" if len(group.points) > 1 else "")
    assert point.paragraphs[0].startswith(str(manifestation))
    assert point.paragraphs[-1].endswith(f"征求意见中，{opinion}")


def test_multi_line_answers_become_paragraphs(
    zuofeng: Checklist, leader_response: Response
) -> None:
    item = zuofeng.sections[1].items[0].id
    response = with_answers(leader_response, {item: problem("第一段\n\n  第二段  \n第三段")})
    point = part(build(response, zuofeng), "problems").groups[1].points[0]
    assert point.paragraphs == ["第一段", "第二段", "第三段。"]


def test_measures_carry_their_deadline(zuofeng: Checklist, leader_response: Response) -> None:
    item = zuofeng.sections[0].items[0].id
    response = with_answers(
        leader_response, {item: problem("问题", measure="每月调研两次。", deadline="2009-03-31")}
    )
    measures = part(build(response, zuofeng), "measures")
    assert measures.groups[0].points[0].paragraphs == [
        "每月调研两次（整改时限：2009年3月31日前）。"
    ]
    assert build(response, zuofeng).sections[0].problems[0].deadline == date(2009, 3, 31)


def test_the_same_cause_for_two_problems_is_stated_once(
    zuofeng: Checklist, leader_response: Response
) -> None:
    a, b = (i.id for i in zuofeng.sections[1].items[:2])
    response = with_answers(
        leader_response,
        {a: problem("甲", cause="宗旨意识淡化"), b: problem("乙", cause="宗旨意识淡化")},
    )
    causes = part(build(response, zuofeng), "causes")
    assert [p.paragraphs for p in causes.groups[0].points] == [["宗旨意识淡化。"]]


def test_causes_part_left_out_when_no_cause_was_written(
    zuofeng: Checklist, leader_response: Response
) -> None:
    item = zuofeng.sections[0].items[0].id
    view = build(with_answers(leader_response, {item: problem("问题")}), zuofeng)
    assert [p.heading for p in view.parts] == ["一、存在的主要问题", "二、整改措施和努力方向"]


# ----------------------------------------------------------------- role filtering


def test_sections_not_for_the_role_are_left_out(
    zuofeng: Checklist, leader_response: Response
) -> None:
    leader_only = [s for s in zuofeng.sections if not s.applies_to("staff")]
    assert leader_only, "the built-in checklist has a leader-only section"
    staff_answers = {
        item.id: leader_response.answers[item.id] for _, item in zuofeng.items_for("staff")
    }
    view = build(with_answers(leader_response, staff_answers, role="staff"), zuofeng)
    titles = [s.title for s in view.sections]
    for section in leader_only:
        assert section.title not in titles
        assert section.rubric not in view.opening
        assert all(section.title not in g.heading for p in view.parts for g in p.groups)
    assert [s.title for s in view.sections] == [s.title for s in zuofeng.sections_for("staff")]
    assert view.respondent.role_label == "一般干部"


def test_leader_report_includes_the_leader_section(
    zuofeng: Checklist, leader_response: Response
) -> None:
    view = build(leader_response, zuofeng)
    for section in zuofeng.sections:
        assert section.title in [s.title for s in view.sections]
        assert f"“{section.rubric}”" in view.opening


def test_unknown_role_is_refused_in_chinese(zuofeng: Checklist, leader_response: Response) -> None:
    with pytest.raises(ResponseError, match="角色“chief”不在检查表"):
        build(with_answers(leader_response, {}, role="chief"), zuofeng)


# ----------------------------------------------------------------- sections without problems


def test_a_section_without_problems_gets_a_sober_sentence(
    zuofeng: Checklist, leader_response: Response
) -> None:
    answers = dict(leader_response.answers)
    last = zuofeng.sections_for("leader")[-1]
    for item in last.items:
        answers[item.id] = {"rating": "good"}
    view = build(with_answers(leader_response, answers), zuofeng)
    group = part(view, "problems").groups[-1]
    assert group.points == []
    assert group.notes == [
        f"经对照“{last.rubric}”逐项检查，本人在{last.title}方面未查摆出明显问题。"
    ]
    # The later parts only list sections that have something to say.
    assert all(g.title != f"{last.title}方面" for g in part(view, "measures").groups)


def test_no_problem_at_all_gives_only_the_first_part(
    zuofeng: Checklist, leader_response: Response
) -> None:
    answers = {item.id: {"rating": "basic"} for _, item in zuofeng.items_for("leader")}
    view = build(with_answers(leader_response, answers), zuofeng)
    assert [p.kind for p in view.parts] == ["problems"]
    assert all(g.notes and not g.points for g in view.parts[0].groups)
    assert view.problem_count == 0


def test_a_draft_says_which_sections_are_unfinished(
    zuofeng: Checklist, leader_response: Response
) -> None:
    first = zuofeng.sections[0]
    answers = {first.items[0].id: problem("问题")}
    view = build(with_answers(leader_response, answers, status="draft", submitted_at=None), zuofeng)
    groups = part(view, "problems").groups
    assert groups[0].notes == [f"本方面尚有{len(first.items) - 1}项未完成自查。"]
    assert view.draft is True


# ----------------------------------------------------------------- opening, campaign, dates


def test_opening_names_the_basis_the_motto_and_the_rubrics(
    zuofeng: Checklist, leader_response: Response
) -> None:
    view = build(leader_response, zuofeng)
    campaign = zuofeng.campaign
    assert campaign.plan_title and campaign.basis_title and campaign.basis
    assert campaign.plan_title in view.opening
    assert campaign.basis_title in view.opening
    # 文号 years in 〔〕, as GB/T 9704 writes them.
    assert "〔2008〕" in view.opening and "[2008]" not in view.opening
    # ASCII commas between Chinese words (copied from the web) print full-width.
    assert "," not in view.opening
    assert view.opening.endswith("现将自查情况报告如下：")
    rubrics = "".join(f"“{s.rubric}”" for s in zuofeng.sections_for("leader"))
    assert f"对照{rubrics}" in view.opening


def test_signature_is_dated_at_submission(zuofeng: Checklist, leader_response: Response) -> None:
    assert leader_response.submitted_at is not None
    submitted = leader_response.submitted_at.date()
    view = build(leader_response, zuofeng)
    assert view.signature.name == leader_response.respondent.name
    assert view.signature.date == submitted
    assert view.signature.date_text == format_date(submitted)
    hanzi = build(leader_response, zuofeng, hanzi_date=True)
    assert hanzi.signature.date_text == format_date(submitted, hanzi=True)


def test_a_draft_is_dated_today(zuofeng: Checklist, leader_response: Response) -> None:
    draft = replace(leader_response, **{"status": "draft", "submitted_at": None})
    assert build(draft, zuofeng).signature.date == TODAY


def test_another_checklist_works_without_rubrics(liuxing_path: Path) -> None:
    """Nothing in the model knows the built-in checklist's ids or titles."""
    liuxing = load_checklist(liuxing_path)
    section = liuxing.sections[0]
    item = section.items[0]
    response = msgspec.convert(
        {
            "checklist": {"id": liuxing.id, "version": liuxing.version, "sha256": liuxing.sha256},
            "respondent": {"name": "李四", "unit": "办公室", "role": "staff"},
            "status": "submitted",
            "started_at": "2009-01-10T09:00:00+08:00",
            "submitted_at": "2009-01-10T10:00:00+08:00",
            "answers": {
                item.id: {
                    "channels": ["books"],
                    "sessions": 3,
                    "notes": True,
                    "level": "c",
                    "shortfall": "学习不深入",
                    "measure": "制定学习计划",
                }
            },
        },
        Response,
    )
    view = build(response, liuxing)
    assert view.sections[0].heading == f"{section.title}方面"
    assert part(view, "problems").groups[0].points[0].paragraphs == ["学习不深入。"]
    assert part(view, "measures").groups[0].points[0].paragraphs == ["制定学习计划。"]
    assert "".join(f"“{s.title}”" for s in liuxing.sections) in view.opening


# ----------------------------------------------------------------- rectification (整改情况)


def entry(item: str, status: str, day: date, note: str, recorded: datetime) -> RectifyEntry:
    return RectifyEntry(
        item=item, status=Status(status), date=day, note=note, recorded_at=recorded
    )


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2009, month, day, hour, tzinfo=timezone.utc)


def test_no_rectification_part_without_progress(
    zuofeng: Checklist, leader_response: Response
) -> None:
    view = build(leader_response, zuofeng)
    assert view.rectification is None
    assert "rectification" not in [p.kind for p in view.parts]


def test_rectification_shows_the_latest_status_and_its_history(
    zuofeng: Checklist, leader_response: Response
) -> None:
    problem_items = [
        p.item_id for s in build(leader_response, zuofeng).sections for p in s.problems
    ]
    first = problem_items[0]
    # Entries out of order in the file: the latest *recorded* one is the current status.
    entries = [
        entry(first, "已完成", date(2009, 1, 12), "已完成研讨", at(1, 12)),
        entry(first, "整改中", date(2009, 1, 2), "已制定计划", at(1, 2)),
    ]
    view = build(replace(leader_response, **{"rectification": entries}), zuofeng)
    progress = view.sections[0].problems[0].rectification
    assert progress is not None
    assert progress.status == "已完成"
    assert progress.date == date(2009, 1, 12)
    assert [s.status for s in progress.history] == ["整改中", "已完成"]
    rectify = part(view, "rectification")
    assert rectify.heading == "四、整改情况"
    point = rectify.groups[0].points[0]
    assert "整改进展：已完成（2009年1月12日）" in point.paragraphs[0]
    assert point.paragraphs[0].endswith("已完成研讨。")
    assert point.paragraphs[1] == "此前进展：2009年1月2日整改中，已制定计划。"


def test_rectification_summary_counts_and_overdue(
    zuofeng: Checklist, leader_response: Response
) -> None:
    base = build(leader_response, zuofeng)
    problems = [p for s in base.sections for p in s.problems]
    past_deadline = [p for p in problems if p.deadline and p.deadline < TODAY]
    assert past_deadline, "the fixture has a measure past its deadline on the fixed today"
    open_late = past_deadline[0]
    done = next(p for p in problems if p is not open_late)
    entries = [entry(done.item_id, "已完成", date(2009, 1, 10), "", at(1, 10))]
    view = build(replace(leader_response, **{"rectification": entries}), zuofeng)
    summary = view.rectification
    assert summary is not None
    assert summary.total == len(problems)
    assert summary.counts["已完成"] == 1
    assert summary.counts["未开始"] == len(problems) - 1
    assert summary.overdue == len([p for p in past_deadline if p.item_id != done.item_id])
    assert part(view, "rectification").paragraphs == [
        f"截至2009年1月15日，本人{len(problems)}项整改措施中，未开始{len(problems) - 1}项，"
        f"已完成1项；其中逾期未完成{summary.overdue}项。"
    ]
    late = next(p for s in view.sections for p in s.problems if p.item_id == open_late.item_id)
    assert late.rectification is not None and late.rectification.overdue
    # Closing a measure ends its being overdue.
    closed = [*entries, entry(open_late.item_id, "长期坚持", date(2009, 1, 14), "", at(1, 14))]
    view = build(replace(leader_response, **{"rectification": closed}), zuofeng)
    late = next(p for s in view.sections for p in s.problems if p.item_id == open_late.item_id)
    assert late.rectification is not None and not late.rectification.overdue


def test_rectified_report_is_dated_today(zuofeng: Checklist, leader_response: Response) -> None:
    item = next(p.item_id for s in build(leader_response, zuofeng).sections for p in s.problems)
    entries = [entry(item, "整改中", date(2009, 1, 10), "", at(1, 10))]
    view = build(replace(leader_response, **{"rectification": entries}), zuofeng)
    assert view.signature.date == TODAY


def test_answers_for_items_not_in_the_checklist_are_reported(
    zuofeng: Checklist, leader_response: Response
) -> None:
    answers = {**leader_response.answers, "retired-item": {"rating": "some"}}
    view = build(with_answers(leader_response, answers), zuofeng)
    assert any("retired-item" in w for w in view.warnings)


def test_the_rating_shown_is_the_rules_rating_question(
    zuofeng_path: Path, leader_response: Response, tmp_path: Path
) -> None:
    """An item whose rating scale carries no ``meaning`` is still rated by its first single
    choice (rules.rating_question): the report shows that answer, as the ledger counts it."""
    text = zuofeng_path.read_text(encoding="utf-8")
    assert text.count("      meaning: rating\n") == 1
    plain = tmp_path / "plain.yaml"
    plain.write_text(text.replace("      meaning: rating\n", ""), encoding="utf-8")
    answers = {"work-1": {"rating": "some", "measure": "建立台账"}}
    for checklist in (load_checklist(zuofeng_path), load_checklist(plain)):
        view = build(with_answers(leader_response, answers), checklist)
        (shown,) = [p for s in view.sections for p in s.problems]
        assert shown.item_id == "work-1" and shown.rating == "存在一些问题"
