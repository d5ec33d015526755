"""Carry-forward: last round's problems brought into this round's walk (``run --previous``).

No I/O. From the previous round's response and the checklist it was
answered under, :func:`carried_problems` lists every problem that needed
rectification with its measure and last status, matched to this round's
checklist by item id, or by wording where the id changed (the rule of
``checklist diff``: :func:`selfcheck.checklist.diff.renamed_items`). Items
that no longer exist are kept in the list with ``item=None``, never dropped.

The cadre then states where each stands (:class:`selfcheck.rules.CarryState`)
with a note; :func:`apply_statement` records it. A problem that
``carries_over`` (出现反弹, 仍未整改) becomes a problem of this round unless
removed with a reason: :func:`merge_answers` writes it into the matching
item's answers, marked :data:`selfcheck.rules.CARRIED_MARK`, so the report,
ledger and summary count it like any other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import msgspec

from selfcheck import rules
from selfcheck.answers import InvalidAnswer, is_empty, meaning_text, parse_date
from selfcheck.checklist.diff import renamed_items
from selfcheck.checklist.model import Checklist, Item, Question
from selfcheck.errors import too_long
from selfcheck.report.numerals import format_date
from selfcheck.report.text import open_end
from selfcheck.response import CarriedProblem, PreviousRound, Response, replace
from selfcheck.textsafe import one_line

NOTE_MAX_LENGTH = 500


@dataclass(frozen=True)
class Statement:
    """What the cadre says about one carried problem."""

    state: rules.CarryState
    note: str = ""
    removed: str = ""
    """A reason to take a 出现反弹/仍未整改 problem off this round's list (empty: keep it)."""
    deadline: date | None = None
    """The deadline it is held to this round, when it is kept."""


def carried_problems(
    previous: Response, previous_checklist: Checklist, checklist: Checklist, *, file: str
) -> PreviousRound:
    """Every problem of ``previous`` that needed rectification, matched to ``checklist``."""
    renamed = renamed_items(previous_checklist, checklist)
    history = rules.history_by_item(previous.rectification)
    problems: list[CarriedProblem] = []
    for section, item in previous_checklist.items_for(previous.respondent.role):
        answers = previous.answers.get(item.id) or {}
        if not rules.needs_rectification(item, answers):
            continue
        entries = history.get(item.id, [])
        if checklist.item(item.id) is not None:
            target: str | None = item.id
            how: Any = "id"
        elif item.id in renamed:
            target, how = renamed[item.id], "wording"
        else:
            target, how = None, None
        problems.append(
            CarriedProblem(
                previous_item=item.id,
                item=target,
                matched_by=how,
                section=section.title,
                label=item.label,
                problem=meaning_text(item, answers, rules.PROBLEM),
                cause=meaning_text(item, answers, rules.CAUSE),
                measure=meaning_text(item, answers, rules.MEASURE),
                deadline=rules.current_deadline(rules.deadline_of(item, answers), entries),
                last_status=rules.current_status(entries),
            )
        )
    return PreviousRound(
        file=file,
        checklist=previous.checklist,
        submitted_at=previous.submitted_at,
        problems=problems,
    )


def clean_note(text: str, what: str = "说明") -> str:
    """One line of free text, control characters removed; too long is an error (ValueError)."""
    note = one_line(text)
    if len(note) > NOTE_MAX_LENGTH:
        raise ValueError(too_long(NOTE_MAX_LENGTH, len(note), what))
    return note


def apply_statement(problem: CarriedProblem, statement: Statement) -> CarriedProblem:
    """``problem`` with the cadre's statement recorded."""
    return msgspec.structs.replace(
        problem,
        state=statement.state,
        note=statement.note,
        removed=statement.removed,
        kept_deadline=statement.deadline,
    )


def kept(problem: CarriedProblem) -> bool:
    """Whether ``problem`` becomes a problem of this round (上轮遗留)."""
    return (
        problem.state is not None
        and problem.state.carries_over
        and not problem.removed
        and problem.item is not None
    )


def carried_items(round_: PreviousRound | None) -> list[str]:
    """This round's items that hold a problem carried over from ``round_`` (上轮遗留)."""
    if round_ is None:
        return []
    return [p.item for p in round_.problems if p.item is not None and kept(p)]


def unstated(round_: PreviousRound) -> list[CarriedProblem]:
    """The carried problems nobody has stated a status for yet."""
    return [p for p in round_.problems if p.state is None]


def marked(text: str) -> str:
    """``【上轮遗留】text``."""
    return f"【{rules.CARRIED_MARK}】{text}"


def merge_answers(
    checklist: Checklist, answers: Mapping[str, Mapping[str, Any]], round_: PreviousRound
) -> dict[str, dict[str, Any]]:
    """This round's answers with every kept carried problem written into its item.

    An item the cadre already rated as a problem keeps its own answers, and
    last round's 具体表现 and 整改措施 are each added after his own (a paragraph
    marked 上轮遗留) unless his text already says the same (spaces and
    punctuation aside). The item has one 整改时限, tracked by ``rectify`` and the
    summary: the earlier of his own and the one stated for the carried problem,
    so neither can pass unnoticed; the later one is said in words after the
    measure it belongs to (his own: ``……，于2010年9月30日前完成。``; the carried
    one: ``……，本轮于2010年6月30日前完成。``).
    Otherwise the rating becomes the item's first option that marks a problem,
    and 具体表现 (marked) / 原因剖析 / 整改措施 are last round's, with the
    deadline stated this round. Merging twice changes nothing more.
    """
    merged: dict[str, dict[str, Any]] = {k: dict(v) for k, v in answers.items()}
    for problem in round_.problems:
        if not kept(problem):
            continue
        assert problem.item is not None
        found = checklist.item(problem.item)
        if found is None:
            continue
        _, item = found
        given = merged.setdefault(item.id, {})
        _merge_item(item, given, problem)
    return merged


def _merge_item(item: Item, given: dict[str, Any], problem: CarriedProblem) -> None:
    rating = rules.rating_question(item.questions)
    problem_q = rules.question_for(item.questions, rules.PROBLEM)
    measure_q = rules.question_for(item.questions, rules.MEASURE)
    deadline_q = rules.question_for(item.questions, rules.DEADLINE)
    held_to = problem.kept_deadline
    if rules.states_problem(item, given):
        _add_text(given, problem_q, problem.problem or problem.label)
        if deadline_q is None or held_to is None:
            _add_text(given, measure_q, problem.measure)
            return
        own = given.get(deadline_q.id)
        day = _day_of(own)
        if not is_empty(own) and (day is None or day < held_to):
            # The item keeps its own, earlier deadline; the carried one stays in view.
            _add_text(given, measure_q, problem.measure, f"，本轮于{format_date(held_to)}前完成。")
        else:
            if day is not None and day > held_to:
                # The carried deadline binds the item; his own, later one stays in his words.
                _add_tail(given, measure_q, f"，于{format_date(day)}前完成。")
            _add_text(given, measure_q, problem.measure)
            given[deadline_q.id] = held_to.isoformat()
        return
    text = marked(problem.problem or problem.label)
    if rating is not None and rating.options:
        first = next((o.value for o in rating.options if o.problem), None)
        if first is not None:
            given[rating.id] = first
    if problem_q is not None:
        given[problem_q.id] = text
    for meaning, value in ((rules.CAUSE, problem.cause), (rules.MEASURE, problem.measure)):
        question = rules.question_for(item.questions, meaning)
        if question is not None and value and is_empty(given.get(question.id)):
            given[question.id] = value
    if deadline_q is not None and held_to is not None:
        given[deadline_q.id] = held_to.isoformat()


def _day_of(value: object) -> date | None:
    """The day an answer gives (an answers file may hold a date or any accepted wording)."""
    if is_empty(value):
        return None
    try:
        return parse_date(value)
    except InvalidAnswer:
        return None  # the engine reports it where it stands


def _core(text: str) -> str:
    """``text`` with spaces and punctuation removed: what two wordings share when equal."""
    return "".join(ch for ch in text if ch.isalnum())


def _add_text(
    given: dict[str, Any], question: Question | None, carried: str, tail: str = ""
) -> None:
    """Append ``【上轮遗留】carried`` to the cadre's own answer to ``question``, as a paragraph
    of its own; nothing when his text already says it (spaces and punctuation aside)."""
    if question is None or not carried.strip():
        return
    own = given.get(question.id)
    own_text = own if isinstance(own, str) else ""
    if _core(carried) in _core(own_text):
        return
    text = marked(open_end(carried.strip()) + tail if tail else carried.strip())
    given[question.id] = f"{own_text.rstrip()}\n{text}" if own_text.strip() else text


def _add_tail(given: dict[str, Any], question: Question | None, tail: str) -> None:
    """End the cadre's own answer to ``question`` with ``tail`` (nothing when he wrote none)."""
    if question is None:
        return
    own = given.get(question.id)
    if isinstance(own, str) and own.strip():
        given[question.id] = open_end(own.rstrip()) + tail


def with_round(response: Response, round_: PreviousRound | None) -> Response:
    """``response`` carrying the previous round's statements (unchanged when None)."""
    return response if round_ is None else replace(response, previous=round_)
