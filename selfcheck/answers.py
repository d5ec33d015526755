"""Turning what people type (or prefill) into stored answers, and checking them.

One normaliser serves the interactive walk, ``--answers`` prefill and
``--no-input``, so the same input always yields the same stored answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from selfcheck.checklist.conditions import ChoiceValue, evaluate
from selfcheck.checklist.model import Checklist, Item, Option, Question
from selfcheck.response import Answer
from selfcheck.textsafe import clean_text


class InvalidAnswer(ValueError):
    """An answer that does not fit its question; the message is Chinese."""


@dataclass(frozen=True)
class AnswerIssue:
    """A problem with one answer (or one item) of an answers set."""

    item: str
    question: str | None
    message: str

    def format(self) -> str:
        """``item.question: message``."""
        where = f"{self.item}.{self.question}" if self.question else self.item
        return f"{where}: {self.message}"


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
    raise InvalidAnswer(f"无法识别的日期“{text}”：请写成 2009-03-31、2009/3/31 或 2009年3月31日")


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
    raise InvalidAnswer(f"没有这个选项“{text}”：请输入编号或选项文字（{listing}）")


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
        text = clean_text(raw).strip()
        if kind == "short_text":
            text = " ".join(text.split())
        if question.max_length and len(text) > question.max_length:
            raise InvalidAnswer(f"太长了：最多 {question.max_length} 个字，现在 {len(text)} 个字")
        return text or None
    if kind == "date":
        value = parse_date(raw)
        if question.meaning == "deadline" and value < today:
            raise InvalidAnswer(
                f"整改时限 {value.isoformat()} 已经过去（今天是 {today.isoformat()}）："
                "请填写今天或以后的日期"
            )
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


def is_visible(item: Item, question: Question, answers: Mapping[str, Answer], role: str) -> bool:
    """Whether ``question`` is asked given the answers so far."""
    if question.when is None:
        return True
    earlier: dict[str, Answer] = {}
    for q in item.questions:
        if q.id == question.id:
            break
        if q.id in answers:
            earlier[q.id] = answers[q.id]
    return evaluate(question.when, condition_context(item, earlier, role))


def visible_questions(item: Item, answers: Mapping[str, Answer], role: str) -> list[Question]:
    """The questions of ``item`` that apply, given its answers."""
    return [q for q in item.questions if is_visible(item, q, answers, role)]


def marks_problem(item: Item, answers: Mapping[str, Answer]) -> bool:
    """True when the item's rating answer chose an option that marks a problem."""
    for question in item.questions:
        if question.type != "single_choice":
            continue
        value = answers.get(question.id)
        option = next((o for o in question.options or [] if o.value == value), None)
        if option is not None and option.problem and question.meaning in (None, "rating"):
            return True
    return False


def _all_empty(value: object) -> bool:
    if isinstance(value, Mapping):
        return all(is_empty(v) for v in value.values())
    return is_empty(value)


def ignored_answers(
    checklist: Checklist, role: str, raw_answers: Mapping[str, Any], *, today: date
) -> list[AnswerIssue]:
    """Non-blank answers that :func:`check_answers` drops because their ``when`` is false.

    Worth a warning: someone wrote a 具体表现 but rated the item as fine.
    """
    kept, _ = check_answers(checklist, role, raw_answers, today=today, require_complete=False)
    out: list[AnswerIssue] = []
    for _, item in checklist.items_for(role):
        given = raw_answers.get(item.id) if isinstance(raw_answers, Mapping) else None
        if not isinstance(given, Mapping):
            continue
        stored = kept.get(item.id, {})
        for question in item.questions:
            value = given.get(question.id)
            if is_empty(value) or question.id in stored:
                continue
            if not is_visible(item, question, stored, role):
                message = f"“{question.prompt}”在本项的答案下不适用，已忽略"
                out.append(AnswerIssue(item.id, question.id, message))
    return out


def check_answers(
    checklist: Checklist,
    role: str,
    raw_answers: Mapping[str, Any],
    *,
    today: date,
    require_complete: bool = True,
) -> tuple[dict[str, dict[str, Answer]], list[AnswerIssue]]:
    """Normalise a whole answers mapping and list every problem.

    Answers to questions hidden by their ``when`` are dropped. With
    ``require_complete`` every visible required question must be answered.
    """
    issues: list[AnswerIssue] = []
    if checklist.role(role) is None:
        known = "、".join(f"{r.id}（{r.label}）" for r in checklist.roles)
        issues.append(AnswerIssue("respondent", "role", f"角色“{role}”不在检查表中，可选：{known}"))
        return {}, issues
    applicable = {item.id: item for _, item in checklist.items_for(role)}
    if not isinstance(raw_answers, Mapping):
        message = "answers 应是“检查项标识: {问题标识: 答案}”的映射"
        issues.append(AnswerIssue("answers", None, message))
        return {}, issues
    for item_id in raw_answers:
        if item_id not in applicable:
            found = checklist.item(str(item_id))
            if found and _all_empty(raw_answers[item_id]):
                continue  # a fill-in template lists every item; blank ones are harmless
            reason = (
                f"不适用于角色“{role}”" if found else "检查表中没有这个检查项"
            )
            issues.append(AnswerIssue(str(item_id), None, reason))
    result: dict[str, dict[str, Answer]] = {}
    for item_id, item in applicable.items():
        given = raw_answers.get(item_id) or {}
        if not isinstance(given, Mapping):
            issues.append(AnswerIssue(item_id, None, "应是“问题标识: 答案”的映射"))
            continue
        known_ids = {q.id for q in item.questions}
        for qid in given:
            if qid not in known_ids:
                known = "、".join(sorted(known_ids))
                issues.append(AnswerIssue(item_id, str(qid), f"没有这个问题；本项的问题：{known}"))
        normalized: dict[str, Answer] = {}
        for question in item.questions:
            if not is_visible(item, question, normalized, role):
                continue
            try:
                value = normalize(question, given.get(question.id), today=today)
            except InvalidAnswer as exc:
                issues.append(AnswerIssue(item_id, question.id, str(exc)))
                continue
            if value is None:
                if require_complete and question.required:
                    message = f"必填（{question.prompt}），尚未回答"
                    issues.append(AnswerIssue(item_id, question.id, message))
                continue
            normalized[question.id] = value
        if normalized:
            result[item_id] = normalized
    return result, issues
