"""Turning what people type (or prefill) into stored answers.

One normaliser (:func:`normalize`) serves every channel: the interactive
walk, ``--answers`` prefill, ``--no-input`` and the browser form, so the same
input always yields the same stored answer. Also here: which questions of an
item apply given its answers (``when``), which every stage reads the same
way. Checking a whole answers set is the walk engine's
(:func:`selfcheck.engine.check_answers`).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from selfcheck import rules
from selfcheck.checklist.conditions import ChoiceValue, evaluate
from selfcheck.errors import no_such_option, too_long
from selfcheck.response import Answer
from selfcheck.rules import marks_problem as marks_problem
from selfcheck.textsafe import clean_text, one_line, shortened

if TYPE_CHECKING:
    from collections.abc import Mapping

    from selfcheck.checklist.model import Item, Option, Question


class InvalidAnswer(ValueError):
    """An answer that does not fit its question; the message is Chinese."""


_DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
]
_YES = {"是", "y", "yes", "true", "1", "对", "有", "是的"}
_NO = {"否", "n", "no", "false", "0", "不是", "没有", "无"}
_LIST_SPLIT = re.compile(r"[,，、;；\s]+")


def parse_date(raw: object) -> date:
    """Accept 2009-03-31, 2009/3/31, 2009.3.31 and 2009年3月31日 (and date objects)."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip().translate(_FULLWIDTH_DIGITS)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                raise InvalidAnswer(f"日期不存在：{text}") from None
    shown = shortened(one_line(text), 30)
    raise InvalidAnswer(f"无法识别的日期“{shown}”：请写成 2009-03-31、2009/3/31 或 2009年3月31日")


def date_example(today: date) -> date:
    """A date to show as an example on ``today``: the last day of the month after next
    (2010-01-15 → 2010-03-31), a plausible 整改时限, never one already past."""
    month = today.month + 2
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def date_hint(today: date) -> str:
    """The hint of every date question asked on ``today`` (the one home of its example)."""
    d = date_example(today)
    return f"日期，如 {d.isoformat()}、{d.year}/{d.month}/{d.day} 或 {d.year}年{d.month}月{d.day}日"


def check_deadline(value: date, today: date) -> date:
    """``value`` as a 整改时限 set on ``today``: not in the past (the one rule for every
    deadline asked: the answers, a carried problem's 本轮整改时限), else InvalidAnswer."""
    if value < today:
        raise InvalidAnswer(
            f"整改时限 {value.isoformat()} 已经过去（今天是 {today.isoformat()}）："
            "请填写今天或以后的日期"
        )
    return value


def parse_deadline(raw: object, today: date) -> date:
    """:func:`parse_date`, then :func:`check_deadline`."""
    return check_deadline(parse_date(raw), today)


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９／－．", "0123456789/-.")


def is_empty(value: object) -> bool:
    """True for None, blank text and empty lists: an unanswered question."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return not value
    return False


def _match_option(options: list[Option], raw: object) -> Option:
    text = str(raw).strip().translate(_FULLWIDTH_DIGITS)
    for option in options:
        if text in (option.value, option.label):
            return option
    if text.isdigit() and 1 <= int(text) <= len(options):
        return options[int(text) - 1]
    listing = "；".join(f"{i}. {o.label}" for i, o in enumerate(options, start=1))
    raise InvalidAnswer(f"{no_such_option(text)}：请输入编号或选项文字（{listing}）")


def normalize(question: Question, raw: object, *, today: date) -> Answer:
    """Convert ``raw`` into the stored form for ``question``; None if empty.

    Raises :class:`InvalidAnswer` with a Chinese reason when it does not fit.
    """
    if is_empty(raw):
        return None
    options = question.options or []
    kind = question.type
    if kind == "single_choice":
        return _match_option(options, raw).value
    if kind == "multiple_choice":
        parts = raw if isinstance(raw, list) else _LIST_SPLIT.split(str(raw).strip())
        chosen = {_match_option(options, p).value for p in parts if not is_empty(p)}
        return [o.value for o in options if o.value in chosen]
    if kind in ("short_text", "long_text"):
        if not isinstance(raw, str):
            raw = _plain_text(raw)
        text = one_line(raw) if kind == "short_text" else clean_text(raw).strip()
        if question.max_length and len(text) > question.max_length:
            raise InvalidAnswer(too_long(question.max_length, len(text)))
        return text or None
    if kind == "date":
        value = parse_date(raw)
        if question.meaning == rules.DEADLINE:
            check_deadline(value, today)
        return value.isoformat()
    if kind == "yes_no":
        return _yes_no(raw)
    if kind == "number":
        return _number(question, raw)
    raise InvalidAnswer(f"未知题型 {kind}")  # pragma: no cover - the model forbids it


def _plain_text(raw: object) -> str:
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, (date, datetime)):
        return raw.isoformat()
    return str(raw)


def _yes_no(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise InvalidAnswer(f"请回答“是”或“否”（也可输入 y / n），而不是“{raw}”")


def _number(question: Question, raw: object) -> int | float:
    if isinstance(raw, bool):
        raise InvalidAnswer("请输入数字")
    if isinstance(raw, (int, float)):
        value: float = float(raw)
    else:
        text = str(raw).strip().translate(_FULLWIDTH_DIGITS)
        if question.unit:
            text = text.removesuffix(question.unit).strip()
        try:
            value = float(text)
        except ValueError:
            raise InvalidAnswer(f"请输入数字，而不是“{raw}”") from None
    if not math.isfinite(value):
        raise InvalidAnswer("请输入有限的数字")
    if question.min is not None and value < question.min:
        raise InvalidAnswer(f"不能小于 {_fmt(question.min)}")
    if question.max is not None and value > question.max:
        raise InvalidAnswer(f"不能大于 {_fmt(question.max)}")
    return int(value) if value.is_integer() else value


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def display_answer(question: Question, value: Answer) -> str:
    """The answer as a person reads it: option labels, 是/否, dates as written."""
    if value is None:
        return ""
    options = {o.value: o.label for o in question.options or []}
    if question.type == "single_choice":
        return options.get(str(value), str(value))
    if question.type == "multiple_choice" and isinstance(value, list):
        return "、".join(options.get(v, v) for v in value)
    if question.type == "yes_no":
        return "是" if value else "否"
    if question.type == "number" and question.unit:
        return f"{value} {question.unit}"
    return str(value)


def meaning_text(item: Item, answers: Mapping[str, Answer], meaning: str) -> str:
    """What ``item``'s answers say for ``meaning`` (问题表现, 整改措施…), as a person reads
    it: every answered question with that meaning, in checklist order, joined by “；”."""
    parts = []
    for question in item.questions:
        if question.meaning == meaning:
            value = answers.get(question.id)
            if not is_empty(value):
                parts.append(display_answer(question, value))
    return "；".join(parts)


# ----------------------------------------------------------------- visibility


def condition_context(item: Item, answers: Mapping[str, Answer], role: str) -> dict[str, Any]:
    """Variables a ``when`` expression sees: earlier answers of the item, and ``role``."""
    context: dict[str, Any] = {"role": role}
    for question in item.questions:
        value = answers.get(question.id)
        if question.type == "single_choice" and isinstance(value, str):
            option = next((o for o in question.options or [] if o.value == value), None)
            if option is not None:
                value = ChoiceValue(option.value, option.label, option.score, option.problem)
        context[question.id] = value
    return context


_VISIBLE: dict[tuple[Any, ...], tuple[Item, bool]] = {}
"""Memo of ``when`` results: the walk asks the same few questions again and again
(the browser form rebuilds the engine on every save); Jinja calls are slow."""
_VISIBLE_MAX = 8192


def _frozen(value: Answer) -> Any:
    return tuple(value) if isinstance(value, list) else value


def is_visible(item: Item, question: Question, answers: Mapping[str, Answer], role: str) -> bool:
    """Whether ``question`` is asked given the answers so far (only earlier ones count)."""
    if question.when is None:
        return True
    earlier: dict[str, Answer] = {}
    seen: list[Any] = []
    for q in item.questions:
        if q.id == question.id:
            break
        if q.id in answers:
            value = answers[q.id]
            earlier[q.id] = value
            option = None
            if q.type == "single_choice" and isinstance(value, str):
                found = next((o for o in q.options or [] if o.value == value), None)
                option = (found.label, found.score, found.problem) if found else None
            seen.append((q.id, type(value).__name__, _frozen(value), option))
    # The item is part of the key (its other questions are names the expression sees);
    # the entry holds the item, so its id cannot be reused while the entry lives.
    key = (question.when, role, id(item), tuple(seen))
    cached = _VISIBLE.get(key)
    if cached is None:
        cached = (item, evaluate(question.when, condition_context(item, earlier, role)))
        if len(_VISIBLE) >= _VISIBLE_MAX:
            _VISIBLE.clear()
        _VISIBLE[key] = cached
    return cached[1]


def visible_questions(item: Item, answers: Mapping[str, Answer], role: str) -> list[Question]:
    """The questions of ``item`` that apply, given its answers."""
    return [q for q in item.questions if is_visible(item, q, answers, role)]


def visible_answers(item: Item, values: Mapping[str, Answer], role: str) -> dict[str, Answer]:
    """The values of ``item`` that apply: each question's visibility judged on the
    applicable values before it (a hidden answer never makes a later question appear)."""
    kept: dict[str, Answer] = {}
    for question in item.questions:
        if question.id in values and is_visible(item, question, kept, role):
            kept[question.id] = values[question.id]
    return kept
