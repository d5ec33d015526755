"""The built-in checklist asks what a real material needs: a cause category and a
verdict for each problem that has a cause, and (where a checklist asks it) how many
opinions were gathered; the report is laid out from those answers."""

from __future__ import annotations

from datetime import date

from test_summary_helpers import make_response

from selfcheck.answers import visible_questions
from selfcheck.checklist.model import Checklist, Question
from selfcheck.engine import Engine
from selfcheck.report.model import build_report
from selfcheck.response import Respondent
from selfcheck.rules import question_for
from selfcheck.run.identity import ask_identity_questions
from selfcheck.testing import ScriptedPrompter

CATEGORIES = ["理想信念", "宗旨意识", "党性修养", "纪律规矩", "能力作风", "其他"]


def test_the_category_and_verdict_follow_a_written_cause(zuofeng: Checklist) -> None:
    _, item = zuofeng.items_for("staff")[0]
    category = question_for(item.questions, "cause_category")
    assert category is not None and [o.label for o in category.options or []] == CATEGORIES
    asked = [q.meaning for q in visible_questions(item, {"rating": "some"}, "staff")]
    assert "cause_category" not in asked  # no cause written: nothing more to ask
    with_cause = {"rating": "some", "cause": "放松了学习"}
    asked = [q.meaning for q in visible_questions(item, with_cause, "staff")]
    assert "cause_category" in asked and "verdict" not in asked
    chosen = {**with_cause, "cause_category": "ideals"}
    asked = [q.meaning for q in visible_questions(item, chosen, "staff")]
    assert asked.index("verdict") == asked.index("cause_category") + 1


def _with_opinions(checklist: Checklist) -> Checklist:
    question = Question(
        id="opinions", type="number", prompt="征求意见建议（条）", meaning="opinion_count", min=0
    )
    return checklist.model_copy(update={"identity_questions": [question]})


def test_identity_questions_are_asked_and_reach_the_opening(zuofeng: Checklist) -> None:
    checklist = _with_opinions(zuofeng)
    prompter = ScriptedPrompter(["-3", "21"])  # a negative count is refused, then 21
    answers = ask_identity_questions(prompter, checklist, {}, today=date(2008, 12, 1))
    assert answers == {"opinions": 21}
    assert "征求意见建议（条）" in prompter.labels[0]
    engine = Engine(checklist, "staff", today=date(2008, 12, 1))
    engine.identity_answers = answers
    response = make_response(
        checklist,
        name="张三",
        unit="局办公室",
        role="staff",
        ratings={"work-2": "some"},
        problems={"work-2": {"problem": "办件拖拉，群众投诉两次", "measure": "建立台账"}},
    )
    response.identity_answers = engine.draft(
        Respondent(name="张三", unit="局办公室", role="staff"), now=response.started_at
    ).identity_answers
    view = build_report(response, checklist, today=date(2008, 12, 20))
    assert view.opinion_count == 21
    assert "广泛征求意见建议21条" in view.opening
    skipped = ScriptedPrompter([""])  # optional: Enter skips it
    assert ask_identity_questions(skipped, checklist, {}, today=date(2008, 12, 1)) == {}
    response.identity_answers = {}
    plain = build_report(response, checklist, today=date(2008, 12, 20))
    assert "结合征求到的意见建议" in plain.opening


def test_the_leading_body_comes_from_the_respondent_or_the_checklist(zuofeng: Checklist) -> None:
    question = Question(
        id="party", type="short_text", prompt="本单位党组织", meaning="leading_body"
    )
    checklist = zuofeng.model_copy(update={"identity_questions": [question]})
    response = make_response(checklist, name="张三", unit="城建监察支队", role="staff")
    response.identity_answers = {"party": "支队党支部"}
    view = build_report(response, checklist, today=date(2008, 12, 20))
    assert "和局党组《关于进一步加强机关作风建设实施方案》的要求，按照支队党支部的统一部署" in (
        view.opening
    )
    campaign = zuofeng.campaign.model_copy(update={"issuer": None, "leading_body": "县委办党支部"})
    other = zuofeng.model_copy(update={"campaign": campaign})
    view = build_report(make_response(other, name="李四", unit="县委办", role="staff"), other,
                        today=date(2008, 12, 20))  # fmt: skip
    assert "局党组" not in view.opening and "县委办党支部《关于" in view.opening


def test_causes_and_measures_group_by_category_in_checklist_order(zuofeng: Checklist) -> None:
    response = make_response(
        zuofeng,
        name="张三",
        unit="局办公室",
        role="staff",
        ratings={"work-1": "some", "work-2": "some", "study-1": "some"},
        problems={
            "work-1": {"problem": "对来访群众态度生硬", "cause": "服务意识淡薄",
                       "cause_category": "purpose", "measure": "文明用语",
                       "deadline": "2009-03-31"},
            "work-2": {"problem": "办件拖拉", "cause": "学习放松", "cause_category": "ideals",
                       "measure": "每周学习", "deadline": "2009-04-30", "verdict": "效率不高"},
            "study-1": {"problem": "学习不系统", "measure": "制定计划", "deadline": "2009-05-31"},
        },
    )  # fmt: skip
    view = build_report(response, zuofeng, today=date(2008, 12, 20))
    causes = next(p for p in view.parts if p.kind == "causes")
    measures = next(p for p in view.parts if p.kind == "measures")
    assert [g.heading for g in causes.groups] == ["（一）理想信念方面", "（二）宗旨意识方面"]
    assert [g.heading for g in measures.groups] == [
        "（一）理想信念方面", "（二）宗旨意识方面", "（三）其他方面"
    ]  # fmt: skip
    assert measures.groups[2].points[0].paragraphs == ["制定计划（整改时限：2009年5月31日前）。"]
    problems = next(p for p in view.parts if p.kind == "problems")
    assert problems.groups[1].heading == "（二）工作作风方面：效率不高"


def test_without_categories_measures_are_one_list(zuofeng: Checklist) -> None:
    response = make_response(
        zuofeng,
        name="张三",
        unit="局办公室",
        role="staff",
        ratings={"work-1": "some", "study-1": "some"},
        problems={
            "work-1": {"problem": "态度生硬", "measure": "文明用语", "deadline": "2009-03-31"},
            "study-1": {"problem": "学习不系统", "measure": "制定计划", "deadline": "2009-05-31"},
        },
    )
    view = build_report(response, zuofeng, today=date(2008, 12, 20))
    measures = next(p for p in view.parts if p.kind == "measures")
    assert len(measures.groups) == 1 and measures.groups[0].heading == ""
    assert [p.ordinal for p in measures.groups[0].points] == ["一是", "二是"]
    assert all("整改时限" in p.paragraphs[-1] for p in measures.groups[0].points)
