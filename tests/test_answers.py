"""The one normaliser behind typed, prefilled and ``--no-input`` answers."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfcheck.answers import InvalidAnswer, display_answer, normalize, parse_date
from selfcheck.checklist.model import Question
from selfcheck.engine import check_answers, ignored_answers

TODAY = date(2009, 1, 15)


def question(**fields: Any) -> Question:
    return Question(id="q", prompt="问题", **fields)


DEADLINE = question(type="date", meaning="deadline")


WRITTEN = ["2009-03-31", "2009/3/31", "2009年3月31日", "２００９年３月３１日", "2009.3.31"]


@pytest.mark.parametrize("typed", WRITTEN)
def test_dates_in_every_accepted_form(typed: str) -> None:
    assert normalize(DEADLINE, typed, today=TODAY) == "2009-03-31"


def test_a_deadline_in_the_past_is_refused_with_the_reason() -> None:
    with pytest.raises(InvalidAnswer, match="已经过去（今天是 2009-01-15）"):
        normalize(DEADLINE, "2009-01-14", today=TODAY)
    assert normalize(DEADLINE, "2009-01-15", today=TODAY) == "2009-01-15"
    # a date that is not a deadline may lie in the past
    assert normalize(question(type="date"), "2008-12-01", today=TODAY) == "2008-12-01"


@pytest.mark.parametrize("typed", ["明天", "2009-02-30", "2009/13/1", "31/3/2009"])
def test_impossible_or_unreadable_dates(typed: str) -> None:
    with pytest.raises(InvalidAnswer):
        parse_date(typed)


def test_a_long_paste_in_a_date_is_quoted_short_on_one_line() -> None:
    """A paragraph pasted into a date by mistake: the message names it, it does not
    print all of it again."""
    pasted = "整改措施：" + "建立台账，逐件销号。\n" * 60
    with pytest.raises(InvalidAnswer) as caught:
        parse_date(pasted)
    message = str(caught.value)
    assert len(message) < 80 and "\n" not in message
    assert "无法识别的日期“整改措施：建立台账" in message and "…”" in message


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
@settings(max_examples=50, deadline=None)
def test_every_date_round_trips_through_each_written_form(day: date) -> None:
    y, m, d = day.year, day.month, day.day
    for written in (day.isoformat(), f"{y}/{m}/{d}", f"{y}年{m}月{d}日"):
        assert parse_date(written) == day


def test_choices_by_number_value_or_label(zuofeng) -> None:  # type: ignore[no-untyped-def]
    rating = zuofeng.sections[0].items[0].questions[0]
    assert normalize(rating, "3", today=TODAY) == "some"
    assert normalize(rating, "serious", today=TODAY) == "serious"
    assert normalize(rating, "基本做到", today=TODAY) == "basic"
    assert display_answer(rating, "basic") == "基本做到"
    with pytest.raises(InvalidAnswer, match="没有这个选项"):
        normalize(rating, "0", today=TODAY)


def test_text_is_cleaned_of_control_characters_and_escapes() -> None:
    long_text = question(type="long_text")
    raw = "第一行\x1b[31m红\x1b[0m\r\n第二行\x07[/]"
    assert normalize(long_text, raw, today=TODAY) == "第一行红\n第二行[/]"
    short = question(type="short_text", max_length=4)
    assert normalize(short, "  张  三 ", today=TODAY) == "张 三"
    with pytest.raises(InvalidAnswer, match="太长了"):
        normalize(short, "一二三四五", today=TODAY)
    assert normalize(long_text, "   ", today=TODAY) is None


@given(st.text(max_size=40))
@settings(max_examples=80, deadline=None)
def test_stored_text_never_holds_control_characters(raw: str) -> None:
    stored = normalize(question(type="long_text"), raw, today=TODAY)
    assert stored is None or not any(ord(c) < 32 and c not in "\t\n" for c in stored)  # type: ignore[union-attr]


def test_template_blanks_for_other_roles_are_not_problems(zuofeng) -> None:  # type: ignore[no-untyped-def]
    raw: dict[str, Any] = {item.id: {"rating": "good"} for _, item in zuofeng.items_for("staff")}
    raw["leadership-1"] = {"rating": None, "manifestation": ""}
    kept, issues = check_answers(zuofeng, "staff", raw, today=TODAY)
    assert issues == []
    assert "leadership-1" not in kept
    raw["leadership-1"] = {"rating": "good"}
    _, issues = check_answers(zuofeng, "staff", raw, today=TODAY)
    assert [i.item for i in issues] == ["leadership-1"]
    raw["leadership-1"] = {}
    raw["leadershp-1"] = {}  # a typo is still reported even when blank
    _, issues = check_answers(zuofeng, "staff", raw, today=TODAY)
    assert [i.item for i in issues] == ["leadershp-1"]


def test_answers_to_questions_that_do_not_apply_are_dropped_and_listed(zuofeng) -> None:  # type: ignore[no-untyped-def]
    raw: dict[str, Any] = {item.id: {"rating": "good"} for _, item in zuofeng.items_for("staff")}
    raw["work-1"] = {"rating": "good", "manifestation": "写了具体表现，却评为做得好"}
    kept, issues = check_answers(zuofeng, "staff", raw, today=TODAY)
    assert issues == []
    assert kept["work-1"] == {"rating": "good"}
    ignored = ignored_answers(zuofeng, "staff", raw, today=TODAY)
    assert [(i.item, i.question) for i in ignored] == [("work-1", "manifestation")]


@given(st.text(max_size=40))
@settings(max_examples=120, deadline=None)
def test_a_one_line_field_is_clean_single_spaced_and_stable(raw: str) -> None:
    """textsafe.one_line: every name, note and label field is cleaned this one way."""
    from selfcheck.textsafe import clean_text, has_control_chars, one_line

    line = one_line(raw)
    assert not has_control_chars(line) and "\n" not in line and "\t" not in line
    assert "  " not in line and line == line.strip()
    assert one_line(line) == line
    assert line.split() == clean_text(raw).split()
