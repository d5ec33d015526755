"""Trial runs of ``when`` conditions over sample answers.

A condition that compiles can still be wrong. The sandbox may refuse what it
does (``[1].append(2)``); it may compare a score with a string
(``rating.score > "2"``); it may test a role its section never has. In the
walk every such condition is simply false (:func:`~.conditions.evaluate`), so
its question silently never appears: the 整改措施 nobody is asked for.

Here each condition is evaluated against every combination of sample answers
to the questions it reads (each option; unanswered, where the question can be
left unanswered; typical numbers, texts and days) and every role of its
section, with the same context the walk builds. A condition that is true in
none of them becomes a warning naming its ``when`` field, with the error the
trials met when there was one. Warnings, not errors: a checklist already in
use keeps loading, and the responses made with it keep counting.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from jinja2.exceptions import SecurityError, UndefinedError

from selfcheck.answers import condition_context
from selfcheck.checklist.conditions import (
    RESERVED_NAMES,
    ConditionError,
    compile_condition,
    referenced_names,
)
from selfcheck.checklist.model import Item, Question
from selfcheck.response import Answer
from selfcheck.textsafe import one_line

MAX_TRIALS = 4096
"""Combinations tried per condition at most (a condition reads one or two answers)."""

BUDGET_S = 2.0
"""Seconds one checklist's trials may take in all: an expression that loops over
``range(99999)`` in every trial is left untried rather than holding up validation."""

_SAMPLE_TEXT = "示例"
_SAMPLE_DAYS = ("2000-01-01", "2099-12-31")


class Trials:
    """What the trials of one checklist share: the verdicts reached so far (a question
    set shared by many items is tried once) and the time left (:data:`BUDGET_S`)."""

    def __init__(self, budget: float | None = None) -> None:
        self.memo: dict[tuple[object, ...], str | None] = {}
        self.deadline = time.monotonic() + (BUDGET_S if budget is None else budget)

    def out_of_time(self) -> bool:
        """Whether the budget is spent."""
        return time.monotonic() > self.deadline


@dataclass(frozen=True)
class Verdict:
    """What the trials of one condition found: None ``message`` when it can hold."""

    question: Question
    message: str | None


def samples(question: Question) -> list[Answer]:
    """Answers ``question`` may hold when a later condition reads it."""
    kind = question.type
    options = [o.value for o in question.options or []]
    values: list[Answer]
    if kind == "single_choice":
        values = list(options)
    elif kind == "multiple_choice":
        values = [[], *([v] for v in options), options]
    elif kind == "yes_no":
        values = [True, False]
    elif kind == "number":
        low = question.min if question.min is not None else 0
        high = question.max if question.max is not None else max(low, 0) + 100
        values = list(dict.fromkeys(_number(v) for v in (low, (low + high) / 2, high)))
    elif kind == "date":
        values = list(_SAMPLE_DAYS)
    else:
        values = [_SAMPLE_TEXT]
    if not question.required or question.when is not None:
        values.append(None)  # left unanswered, or hidden by its own condition
    return values


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _reason(exc: Exception) -> str:
    detail = one_line(str(exc))[:160]
    if isinstance(exc, SecurityError):
        return f"沙箱不允许这个操作（{detail}）"
    if isinstance(exc, UndefinedError):
        return f"取不到这个值（{detail}）"
    if isinstance(exc, TypeError):
        return f"类型不符，如把分数和文字比较（{detail}）"
    return f"{type(exc).__name__}（{detail}）"


def _read_by(item: Item, question: Question, names: frozenset[str]) -> list[Question]:
    """The earlier questions of ``item`` that ``question``'s condition reads."""
    earlier: list[Question] = []
    for q in item.questions:
        if q.id == question.id:
            break
        if q.id in names:
            earlier.append(q)
    return earlier


def _key(question: Question, earlier: list[Question], roles: Sequence[str]) -> tuple[object, ...]:
    """What a verdict depends on: items sharing a question set share their verdicts."""
    read = tuple(
        (
            (q.id, q.type, q.required, q.when, q.min, q.max),
            tuple((o.value, o.label, o.score, o.problem) for o in q.options or []),
        )
        for q in earlier
    )
    return (question.id, question.when, read, tuple(roles))


def judge(
    item: Item, question: Question, roles: Sequence[str], trials: Trials | None = None
) -> Verdict:
    """Try ``question.when`` on every combination of sample answers and roles.

    ``trials`` is shared by the items of one checklist (its verdicts and its time)."""
    assert question.when is not None
    try:
        names = referenced_names(question.when)
        condition = compile_condition(question.when)
    except ConditionError:
        return Verdict(question, None)  # reported by the cross-check already
    if names - {q.id for q in item.questions} - RESERVED_NAMES:
        return Verdict(question, None)  # an unknown name: reported by the cross-check already
    earlier = _read_by(item, question, names)
    trials = trials or Trials()
    key = _key(question, earlier, roles)
    if key in trials.memo:
        return Verdict(question, trials.memo[key])
    verdict = _try(item, question, condition, earlier, roles, trials)
    trials.memo[key] = verdict.message
    return verdict


def _try(
    item: Item,
    question: Question,
    condition: Callable[..., Any],
    earlier: list[Question],
    roles: Sequence[str],
    trials: Trials,
) -> Verdict:
    assert question.when is not None
    axes = [samples(q) for q in earlier]
    first_error: Exception | None = None
    tried = 0
    for role in roles:
        for combination in itertools.product(*axes):
            tried += 1
            if tried > MAX_TRIALS or (tried % 16 == 0 and trials.out_of_time()):
                return Verdict(question, None)  # too many, or too slow, to be sure: say nothing
            answers = {q.id: value for q, value in zip(earlier, combination, strict=True)}
            try:
                if condition(**condition_context(item, answers, role)):
                    return Verdict(question, None)
            except Exception as exc:  # what evaluate() would swallow
                first_error = first_error or exc
    shown = one_line(question.when)
    if first_error is not None:
        why = f"试算时出错：{_reason(first_error)}"
    else:
        why = "无论前面怎样作答都不成立"
    return Verdict(
        question,
        f"警告：问题“{question.id}”的显示条件“{shown}”{why}，这个问题永远不会出现",
    )


def verdicts(item: Item, roles: Sequence[str], trials: Trials | None = None) -> Iterator[Verdict]:
    """The verdict on each condition of ``item`` (``message`` None: it can hold)."""
    trials = trials or Trials()
    for question in item.questions:
        if question.when is not None:
            yield judge(item, question, roles, trials)
