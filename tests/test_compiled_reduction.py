"""The bulk reader's generated inner loop agrees with the interpreted rules it compiles.

selfcheck.summary.compiled writes one straight-line function per checklist and
role. Its meaning is defined elsewhere: which items need rectification by
rules.states_problem, the counter keys by records.answer_keys, the required
and the role's items by the plan. For generated checklists (odd ids included:
keywords, Han characters, a leading underscore, dashes) and generated answers,
every decision of the compiled code must be the interpreted one.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfcheck import rules
from selfcheck.summary.plan import ChecklistPlan, PlanItem, PlanOption, PlanQuestion, PlanSection
from selfcheck.summary.reader import BulkReader
from selfcheck.summary.records import Record, Skip, answer_keys

ODD_IDS = ["rating", "class", "问题", "_x", "a-b", "measure", "q1", "None", "deadline", "x y"]
ROLES = (("staff", "一般干部"), ("leader", "领导干部"))


@st.composite
def questions(draw: st.DrawFn) -> tuple[PlanQuestion, ...]:
    ids = draw(st.lists(st.sampled_from(ODD_IDS), min_size=1, max_size=5, unique=True))
    out = []
    for qid in ids:
        kind = draw(
            st.sampled_from(["single_choice", "multiple_choice", "short_text", "long_text", "date"])
        )
        options: tuple[PlanOption, ...] = ()
        meaning: str | None = None
        if kind in ("single_choice", "multiple_choice"):
            values = draw(
                st.lists(
                    st.sampled_from(["good", "some", "重", "x-1"]),
                    min_size=1,
                    max_size=3,
                    unique=True,
                )
            )
            options = tuple(PlanOption(v, f"选项{v}", None, draw(st.booleans())) for v in values)
            meaning = draw(st.sampled_from([None, rules.RATING]))
        elif kind in ("short_text", "long_text"):
            meaning = draw(st.sampled_from([None, rules.PROBLEM, rules.MEASURE, rules.CAUSE]))
        else:
            meaning = draw(st.sampled_from([None, rules.DEADLINE]))
        required = draw(st.booleans())
        conditional = draw(st.booleans())
        out.append(PlanQuestion(qid, kind, "问？", meaning, required, conditional, options))  # type: ignore[arg-type]
    return tuple(out)


@st.composite
def plans(draw: st.DrawFn) -> ChecklistPlan:
    sections = []
    n = 0
    for k, roles in enumerate([("staff", "leader"), ("leader",), ("staff",)]):
        items = []
        for _ in range(draw(st.integers(0, 3))):
            item_id = draw(st.sampled_from(["work-1", "class", "思想", "_i", "i"])) + f"{n}"
            n += 1
            items.append(PlanItem(item_id, f"项{n}", "内容", f"s{k}", draw(questions())))
        sections.append(PlanSection(f"s{k}", f"部分{k}", None, roles, tuple(items)))
    return ChecklistPlan(2, "gen", "1", "0" * 64, "生成", "活动", ROLES, tuple(sections))


def _value(draw: st.DrawFn, q: PlanQuestion) -> object:
    if q.type == "single_choice":
        return draw(st.sampled_from([o.value for o in q.options]))
    if q.type == "multiple_choice":
        return draw(st.lists(st.sampled_from([o.value for o in q.options]), max_size=3))
    if q.type == "date":
        return draw(st.sampled_from(["2009-01-01", "2010-12-31"]))
    return draw(st.sampled_from(["", "  ", "拖拉", "改\n进", "有\x07铃"]))


@st.composite
def cases(draw: st.DrawFn) -> tuple[ChecklistPlan, dict[str, Any]]:
    plan = draw(plans())
    role = draw(st.sampled_from(["staff", "leader"]))
    answers: dict[str, dict[str, object]] = {}
    for item in plan.items.values():
        applies = item.id in plan.role_items[role]
        if not draw(st.booleans() if applies else st.integers(0, 9).map(lambda n: n == 0)):
            continue
        answers[item.id] = {
            q.id: (_value(draw, q) if draw(st.integers(0, 4)) else None) for q in item.questions
        }
    response = {
        "schema_version": 1,
        "checklist": {"id": plan.id, "version": plan.version, "sha256": plan.sha256},
        "respondent": {"name": "张三", "unit": "办公室", "position": "", "role": role},
        "status": "submitted",
        "started_at": "2008-12-24T13:07:00+08:00",
        "updated_at": "2008-12-25T10:09:00+08:00",
        "submitted_at": "2008-12-25T10:09:00+08:00",
        "answers": answers,
    }
    return plan, response


def _expected(plan: ChecklistPlan, response: dict[str, Any]) -> tuple[str, object]:
    """The interpreted verdict: a skip code with its subject, or the problem items."""
    role = response["respondent"]["role"]
    answers = response["answers"]
    for item_id in plan.items:
        if item_id in answers and item_id not in plan.role_items[role]:
            return "answers", item_id
    for item_id, qid in plan.required[role]:
        if answers.get(item_id, {}).get(qid) is None:
            return "incomplete", f"{item_id}.{qid}"
    problems = [
        item.id
        for item in plan.items.values()
        if item.id in plan.role_items[role]
        and item.id in answers
        and rules.states_problem(item, {k: v for k, v in answers[item.id].items() if v is not None})
    ]
    return "record", problems


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_the_compiled_reduction_decides_as_the_rules_do(case: tuple[ChecklistPlan, Any]) -> None:
    plan, response = case
    raw = json.dumps(response, ensure_ascii=False).encode("utf-8")
    result, keys = BulkReader(plan).read_counted(raw, "f.json")
    verdict, subject = _expected(plan, response)
    if verdict != "record":
        assert isinstance(result, Skip), result
        assert result.code == verdict
        assert str(subject) in result.reason
        assert keys == []
        return
    assert isinstance(result, Record), result
    assert [row.item for row in result.problems] == subject
    # The answer keys counted on the way are exactly the interpreted ones.
    assert Counter(keys) == Counter(answer_keys(result))
    # And the kept choice answers are every answered choice question, nothing else.
    choices = {
        item_id: {
            qid: value
            for qid, value in given.items()
            if value is not None
            and plan.items[item_id].by_id[qid].type in ("single_choice", "multiple_choice")
        }
        for item_id, given in response["answers"].items()
    }
    assert result.answers == {k: v for k, v in choices.items() if v}


def test_no_checklist_text_reaches_the_generated_source() -> None:
    """Ids are constants, not source: an id that is Python code stays an id."""
    evil = "x); import os; os.system('echo pwned'"
    question = PlanQuestion(
        evil,
        "single_choice",
        "问",
        None,
        True,
        False,
        (PlanOption("'); raise SystemExit('", "差", None, True),),
    )
    item = PlanItem(evil, "项", "内容", "s", (question,))
    plan = ChecklistPlan(
        2,
        "gen",
        "1",
        "0" * 64,
        "t",
        "c",
        ROLES,
        (PlanSection("s", "部分", None, ("staff",), (item,)),),
    )
    response = {
        "schema_version": 1,
        "checklist": {"id": "gen", "version": "1", "sha256": "0" * 64},
        "respondent": {"name": "张三", "unit": "办公室", "position": "", "role": "staff"},
        "status": "submitted",
        "started_at": "2008-12-24T13:07:00+08:00",
        "submitted_at": "2008-12-25T10:09:00+08:00",
        "answers": {evil: {evil: "'); raise SystemExit('"}},
    }
    record, keys = BulkReader(plan).read_counted(json.dumps(response).encode(), "f.json")
    assert isinstance(record, Record)
    assert [row.item for row in record.problems] == [evil]
    assert ("opt", evil, evil, "'); raise SystemExit('") in keys
