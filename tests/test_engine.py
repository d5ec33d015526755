"""The walk engine on its own: no prompter, no terminal, no files.

What a driver (terminal, answers file, browser form) relies on: the order of
questions, ``when`` follow-ups appearing and disappearing, back and jump,
hidden answers kept in the draft but not in the response, the review and the
submission.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfcheck.checklist.model import Checklist
from selfcheck.engine import Engine, Incomplete, Step, check_answers
from selfcheck.testing import NOW, TODAY, builtin_checklist, make_response, respondent

ZUOFENG = builtin_checklist("zuofeng-2008")
LIUXING = builtin_checklist("liuxing-jiguan")
STAFF_ITEMS = [item.id for _, item in ZUOFENG.items_for("staff")]

MANIFESTATION = "在办理群众来信时拖拉，去年有三件超过规定时限才答复"
MEASURE = "建立来信台账，每周清理一次，逐件销号"


def engine(role: str = "staff", checklist: Checklist = ZUOFENG, **kw: Any) -> Engine:
    return Engine(checklist, role, today=TODAY, **kw)


def where(step: Step | None) -> tuple[str, str] | None:
    return None if step is None else (step.item.id, step.question.id)


def answer_all(e: Engine, lines: Sequence[object]) -> None:
    for line in lines:
        outcome = e.answer(line)
        assert outcome.ok, (where(e.current), outcome.problems)


PROBLEM_ITEM = ["some", MANIFESTATION, None, None, MEASURE, "2009/3/31", None, None]
"""A rating that marks a problem, then every follow-up (cause, opinion, source and
rectify_type skipped; without a cause, cause_category and verdict are not asked)."""


# ------------------------------------------------------------------- order


def test_the_first_step_says_where_it_stands_and_what_to_offer() -> None:
    step = engine().current
    assert step is not None
    assert where(step) == ("thinking-1", "rating")
    assert step.position == "第 1/9 项" and step.total == 9 and step.first
    assert step.section.title == "思想作风"
    assert step.required
    assert step.options == ("做得好", "基本做到", "存在一些问题", "问题比较突出")
    assert step.value is None and step.default_text is None
    assert step.hint == "输入编号或选项文字"
    assert step.help and "实事求是" in step.help


@pytest.mark.parametrize(
    ("today", "example"),
    [
        (date(2010, 1, 15), "2010-03-31"),
        (date(2009, 11, 20), "2010-01-31"),
        (date(2009, 12, 31), "2010-02-28"),
        (date(2008, 12, 1), "2009-02-28"),
    ],
)
def test_a_date_questions_hint_gives_an_example_after_today(today: date, example: str) -> None:
    from selfcheck.answers import date_hint

    e = Engine(ZUOFENG, "staff", today=today)
    answer_all(e, PROBLEM_ITEM[:5])
    step = e.current
    assert step is not None and step.question.type == "date"
    y, m, d = (int(x) for x in example.split("-"))
    assert step.hint == date_hint(today) == f"日期，如 {example}、{y}/{m}/{d} 或 {y}年{m}月{d}日"
    assert e.item_steps(step.index)[5].hint == step.hint  # the form's page, the same
    # the checklist's own help says the same with a 2009 example: a page printing both
    # beside each other prints the hint alone; ? in the terminal still shows the help
    assert step.help is not None and "2009-03-31" in step.help
    assert step.help_beside_hint is None


def test_a_help_that_says_more_than_the_hint_is_kept_beside_it() -> None:
    e = engine()
    assert e.current is not None and e.current.help_beside_hint == e.current.help
    answer_all(e, PROBLEM_ITEM[:4])
    measure = e.current
    assert measure is not None and measure.question.id == "measure"
    assert measure.help_beside_hint == "措施要具体、可检验。"


def test_ratings_without_a_problem_go_item_after_item_to_the_review() -> None:
    e = engine()
    seen = []
    while (step := e.current) is not None:
        seen.append(where(step))
        assert e.answer("1").ok
    assert seen == [(item, "rating") for item in STAFF_ITEMS]
    assert e.at_review and e.current_item_id is None
    assert e.answers == {item: {"rating": "good"} for item in STAFF_ITEMS}


def test_a_leader_also_walks_the_leadership_items() -> None:
    e = engine("leader")
    assert e.total == ZUOFENG.item_count == 15
    assert e.current is not None and e.current.position == "第 1/15 项"


# ----------------------------------------------------------- follow-ups


def test_follow_ups_appear_when_the_rating_marks_a_problem() -> None:
    e = engine()
    e.answer("3")
    step = e.current
    assert where(step) == ("thinking-1", "manifestation")
    assert step is not None and not step.first
    asked = [s.question.id for s in e.item_steps(0)]
    assert asked == [
        "rating", "manifestation", "cause", "opinion", "measure", "deadline",
        "source", "rectify_type",
    ]  # fmt: skip
    answer_all(e, PROBLEM_ITEM[1:])
    assert where(e.current) == ("thinking-2", "rating")
    assert e.answers["thinking-1"] == {
        "rating": "some",
        "manifestation": MANIFESTATION,
        "measure": MEASURE,
        "deadline": "2009-03-31",
    }


def test_follow_ups_disappear_when_the_rating_changes_but_stay_in_the_draft() -> None:
    e = engine()
    answer_all(e, PROBLEM_ITEM)
    e.jump("thinking-1")
    assert e.answer("做得好").ok
    assert where(e.current) == ("thinking-2", "rating"), "no follow-ups any more"
    assert e.answers["thinking-1"] == {"rating": "good"}
    assert e.hidden["thinking-1"]["manifestation"] == MANIFESTATION

    draft = e.draft(respondent(), now=NOW)
    assert draft.status == "draft"
    assert draft.answers["thinking-1"]["manifestation"] == MANIFESTATION
    assert draft.cursor == "thinking-2"
    for item in STAFF_ITEMS[1:]:
        e.jump(item)
        e.answer("1")
    submitted = e.submit(respondent(), now=NOW)
    assert submitted.answers["thinking-1"] == {"rating": "good"}, "hidden text never submitted"

    # switching back offers the texts again, as the current values
    e.jump(0)
    e.answer("3")
    step = e.current
    assert step is not None and step.value == MANIFESTATION
    assert step.default_text == MANIFESTATION
    assert e.answers["thinking-1"]["manifestation"] == MANIFESTATION


def test_a_follow_up_condition_on_a_yes_no_question() -> None:
    e = engine(checklist=LIUXING)
    e.jump("efficiency-1")
    assert e.current is not None and e.current.options == ("是", "否")
    assert e.answer("2").ok, "a number picks one of the shown options"
    assert where(e.current) == ("efficiency-1", "level")
    e.back()
    assert e.answer("是").ok
    assert where(e.current) == ("efficiency-1", "overdue_count")


# --------------------------------------------------------- back and jump


def test_back_walks_questions_then_items_and_stops_at_the_first() -> None:
    e = engine()
    assert not e.back(), "nowhere to go from the very first question"
    assert where(e.current) == ("thinking-1", "rating")
    answer_all(e, PROBLEM_ITEM)
    assert e.back()
    assert where(e.current) == ("thinking-1", "rectify_type"), "into the previous item, at its end"
    assert e.back() and e.back() and e.back() and e.back()
    assert where(e.current) == ("thinking-1", "opinion")
    e.to_review()
    assert e.current is None
    assert e.back()
    assert where(e.current) == ("study-2", "rating"), "from the review to the last item"


def test_jump_by_index_or_id_and_to_a_question() -> None:
    e = engine()
    assert where(e.jump(3)) == ("work-1", "rating")
    assert where(e.jump("study-2")) == ("study-2", "rating")
    assert e.jump(len(e.items)) is None
    e.jump("work-2")
    e.answer("3")
    assert where(e.jump("work-2", "measure")) == ("work-2", "measure")
    # a question that does not apply resolves to the next one that does
    assert where(e.jump("work-3", "measure")) == ("work-4", "rating")
    with pytest.raises(IndexError):
        e.jump("leadership-1")


# ------------------------------------------------------------- answering


def test_a_refused_answer_says_why_and_changes_nothing() -> None:
    e = engine()
    e.answer("3")
    e.answer(MANIFESTATION)
    before = e.values
    outcome = e.answer("9", item="thinking-1", question="rating")
    assert not outcome.ok and "没有这个选项“9”" in outcome.problems[0]
    assert e.values == before
    assert where(e.current) == ("thinking-1", "cause"), "the cursor does not move"
    assert not e.answer("", item="thinking-1", question="manifestation").ok
    assert e.check("", item="thinking-1", question="manifestation").problems == (
        "这一题必须回答。",
    )
    assert e.check("\x07", item="thinking-1", question="manifestation").problems == (
        "内容不能为空。",
    )


def test_deadlines_before_today_are_refused_unless_kept_unchanged() -> None:
    started = datetime(2009, 1, 10, 9, 0).astimezone()
    e = engine(started_at=started)
    e.load({"thinking-1": {"rating": "some", "manifestation": "拖拉", "deadline": "2009-01-12"}})
    assert e.issues == [] and e.answers["thinking-1"]["deadline"] == "2009-01-12"
    e.jump("thinking-1", "deadline")
    assert e.check("2009-01-12").ok, "kept as it was when the self-check began"
    outcome = e.check("2009-01-13")
    assert not outcome.ok and "已经过去（今天是 2009-01-15）" in outcome.problems[0]
    assert e.check("2009年1月15日").value == "2009-01-15"


def test_an_optional_answer_is_cleared_with_a_blank() -> None:
    e = engine()
    e.load({"thinking-1": {"rating": "some", "manifestation": "拖拉", "cause": "学习不够"}})
    e.jump("thinking-1", "cause")
    assert e.answer(None).ok
    assert "cause" not in e.values["thinking-1"]


# --------------------------------------------------------- load, resume


def test_load_reports_what_cannot_be_kept_and_keeps_the_rest() -> None:
    e = engine()
    issues = e.load(
        {
            "thinking-1": {"rating": "excellent"},
            "thinking-2": {"rating": "good", "manifestation": "写了但评为做得好"},
            "work-9": {"rating": "good"},
            "work-1": {"ratting": "good"},
            "leadership-1": {"rating": "", "manifestation": None},
        }
    )
    assert [(i.item, i.question) for i in issues] == [
        ("work-9", None),
        ("thinking-1", "rating"),
        ("work-1", "ratting"),
    ]
    assert e.answers == {"thinking-2": {"rating": "good"}}
    assert e.hidden == {"thinking-2": {"manifestation": "写了但评为做得好"}}
    assert [(i.item, i.question) for i in e.ignored({"thinking-2": {"manifestation": "x"}})] == [
        ("thinking-2", "manifestation")
    ]


def test_an_engine_rebuilt_from_its_draft_stands_where_it_stood() -> None:
    e = engine(started_at=NOW)
    answer_all(e, ["1", "2", *PROBLEM_ITEM[:3]])
    e.jump("thinking-3")  # the draft's cursor is an item: resume at its first question
    draft = e.draft(respondent(), now=NOW + timedelta(minutes=5))
    again = Engine.from_response(ZUOFENG, draft, today=TODAY)
    assert again.issues == []
    assert where(again.current) == ("thinking-3", "rating")
    assert again.values == e.values and again.answers == e.answers
    assert again.started_at == NOW
    assert again.draft(respondent(), now=NOW + timedelta(minutes=5)) == draft


def test_a_draft_at_the_review_resumes_at_the_review() -> None:
    e = engine()
    answer_all(e, ["1"] * 9)
    draft = e.draft(respondent(), now=NOW)
    assert draft.cursor is None
    assert Engine.from_response(ZUOFENG, draft, today=TODAY).at_review


# ---------------------------------------------------------- review, submit


def test_submitting_an_incomplete_walk_lists_what_is_missing() -> None:
    e = engine()
    answer_all(e, ["1", "3", MANIFESTATION])
    review = e.review()
    assert not review.complete
    assert review.first_incomplete == 1
    assert [(i.item, i.question) for i in review.missing][:2] == [
        ("thinking-2", "measure"),
        ("thinking-3", "rating"),
    ]
    with pytest.raises(Incomplete) as caught:
        e.submit(respondent(), now=NOW)
    assert caught.value.issues == review.missing
    assert "必填（整改措施），尚未回答" in caught.value.issues[0].message


def test_a_complete_walk_submits_the_answers_that_apply() -> None:
    previous = make_response(ZUOFENG, {}, rectification=())
    e = engine(started_at=NOW)
    answer_all(e, PROBLEM_ITEM + ["1"] * 8)
    response = e.submit(respondent(), now=NOW, rectification=previous.rectification)
    assert response.status == "submitted" and response.cursor is None
    assert response.submitted_at == NOW and response.started_at == NOW
    assert response.checklist.sha256 == ZUOFENG.sha256
    assert response.respondent == respondent()
    assert list(response.answers) == STAFF_ITEMS
    with pytest.raises(ValueError):
        e.submit(respondent("leader"), now=NOW)


def test_review_warnings_come_from_the_engine() -> None:
    e = engine()
    copied = "是否办事拖拉、相互扯皮"  # work-2's own wording
    e.load(
        {
            **{item: {"rating": "good"} for item in STAFF_ITEMS},
            "work-2": {"rating": "some", "manifestation": copied, "measure": "加强学习"},
            "work-3": {
                "rating": "some",
                "manifestation": "态度生硬",
                "measure": "改进",
                "deadline": "2009-06-30",
            },
        }
    )
    review = e.review()
    assert review.complete
    found = [w.format() for w in review.warnings]
    assert any(m.startswith("第 5 项") and "照抄原文" in m for m in found)
    assert any(m.startswith("第 5 项") and "没有整改时限" in m for m in found)
    assert any(m.startswith("第 6 项") and "只有 4 个字" in m for m in found)
    assert any("“思想作风”（对照“三查三看”）的 3 项都没有查摆出问题" in m for m in found)
    assert not any("工作作风" in m for m in found)


# ------------------------------------------------ walk and file agree (property)

_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
_TEXT = st.builds(
    lambda first, rest: (first + rest).strip(),
    _CJK,
    st.text(st.one_of(_CJK, st.sampled_from(list("，。；、[]/ （）0123456789ab\n"))), max_size=20),
)
_DATE_STYLES = ["{d.year}-{d.month:02d}-{d.day:02d}", "{d.year}/{d.month}/{d.day}",
                "{d.year}年{d.month}月{d.day}日"]  # fmt: skip


@st.composite
def _item_answers(draw: st.DrawFn) -> dict[str, Any]:
    rating = draw(st.sampled_from(["good", "basic", "some", "serious", "1", "3", "问题比较突出"]))
    answers: dict[str, Any] = {"rating": rating}
    problem = rating in ("some", "serious", "3", "问题比较突出")
    # Follow-ups are drawn whatever the rating: for a rating without a problem they
    # are hidden, and neither the walk nor the answers file may keep them.
    if problem or draw(st.booleans()):
        answers["manifestation"] = draw(_TEXT)
        answers["measure"] = draw(_TEXT)
    for optional in ("cause", "opinion"):
        if draw(st.booleans()):
            answers[optional] = draw(_TEXT)
    for optional, values in (
        ("source", ["self", "masses", "2"]),
        ("rectify_type", ["lasting", "1"]),
    ):
        if draw(st.booleans()):
            answers[optional] = draw(st.sampled_from(values))
    if draw(st.booleans()):
        day = draw(st.dates(min_value=TODAY, max_value=date(2010, 12, 31)))
        answers["deadline"] = draw(st.sampled_from(_DATE_STYLES)).format(d=day)
    return answers


@settings(max_examples=60, deadline=None)
@given(
    role=st.sampled_from(["staff", "leader"]),
    raw=st.fixed_dictionaries(
        {item.id: _item_answers() for _, item in ZUOFENG.items_for("leader")}
    ),
)
def test_walking_question_by_question_submits_what_check_answers_gives(
    role: str, raw: dict[str, dict[str, Any]]
) -> None:
    sections = {item.id: section for section, item in ZUOFENG.items_for("leader")}
    raw = {item: given for item, given in raw.items() if sections[item].applies_to(role)}
    expected, issues = check_answers(ZUOFENG, role, raw, today=TODAY)
    assert issues == []

    e = Engine(ZUOFENG, role, today=TODAY)
    asked = 0
    while (step := e.current) is not None:
        value = raw[step.item.id].get(step.question.id)
        outcome = e.answer(value)
        assert outcome.ok, (where(step), outcome.problems)
        asked += 1
    response = e.submit(respondent(role), now=NOW)
    assert response.answers == expected
    assert asked == sum(len(e.item_steps(i)) for i in range(e.total))

    # the same file loaded whole gives the same answers, and the same draft
    loaded = Engine(ZUOFENG, role, today=TODAY)
    assert loaded.load(raw, complete=True) == []
    assert loaded.answers == expected
    assert loaded.submit(respondent(role), now=NOW) == response


def test_an_answer_for_another_role_names_the_role_by_its_label() -> None:
    issues = engine("staff").load({"leadership-1": {"rating": "good"}})
    assert [(i.item, i.message) for i in issues] == [
        ("leadership-1", f"不适用于角色“{ZUOFENG.role_label('staff')}”")
    ]
    assert ZUOFENG.role_label("staff") == "一般干部"
    assert ZUOFENG.role_label("nobody") == "nobody", "an unknown id comes back unchanged"
