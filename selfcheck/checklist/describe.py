"""Plain-Chinese descriptions of checklist parts: question types, options, conditions.

Used wherever a checklist is shown to people (``checklist show``, the answers
template); never names a particular section or item.
"""

from __future__ import annotations

import re

from selfcheck.checklist.model import Checklist, Item, Option, Question

TYPE_LABELS: dict[str, str] = {
    "single_choice": "单选",
    "multiple_choice": "多选",
    "short_text": "短文本",
    "long_text": "多行文本",
    "date": "日期",
    "yes_no": "是/否",
    "number": "数字",
}

MEANING_LABELS: dict[str, str] = {
    "rating": "自我评价",
    "problem": "问题表现",
    "cause": "原因剖析",
    "opinion": "群众意见",
    "measure": "整改措施",
    "deadline": "整改时限",
    "source": "问题来源",
    "rectify_type": "整改类型",
    "leader": "责任领导",
    "cause_category": "原因类别",
    "verdict": "本方面问题概括",
    "opinion_count": "征求意见建议条数",
    "leading_body": "本单位党组织",
}

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_PROBLEM = re.compile(rf"^({_NAME})\.problem$")
_NOT_PROBLEM = re.compile(rf"^not\s+({_NAME})\.problem$")
_TRUTHY = re.compile(rf"^({_NAME})$")
_FALSY = re.compile(rf"^not\s+({_NAME})$")
_ROLE_IS = re.compile(r"""^role\s*==\s*(['"])([A-Za-z0-9_-]+)\1$""")
_ROLE_IS_NOT = re.compile(r"""^role\s*!=\s*(['"])([A-Za-z0-9_-]+)\1$""")


def format_number(value: float) -> str:
    """3.0 -> "3", 2.5 -> "2.5"."""
    return str(int(value)) if float(value).is_integer() else str(value)


def option_text(option: Option) -> str:
    """``good 做得好（3 分）`` plus a problem mark when the option marks one."""
    extras = []
    if option.score is not None:
        extras.append(f"{format_number(option.score)} 分")
    if option.problem:
        extras.append("表示存在问题")
    suffix = f"（{'，'.join(extras)}）" if extras else ""
    return f"{option.value} {option.label}{suffix}"


def question_kind(question: Question) -> str:
    """``单选·必填`` / ``数字（次，0～200）·选填``."""
    kind = TYPE_LABELS.get(question.type, question.type)
    if question.type == "number":
        bounds = []
        if question.unit:
            bounds.append(question.unit)
        if question.min is not None and question.max is not None:
            bounds.append(f"{format_number(question.min)}～{format_number(question.max)}")
        elif question.min is not None:
            bounds.append(f"不小于 {format_number(question.min)}")
        elif question.max is not None:
            bounds.append(f"不大于 {format_number(question.max)}")
        if bounds:
            kind += f"（{'，'.join(bounds)}）"
    if question.max_length:
        kind += f"（最多 {question.max_length} 字）"
    return kind + ("·必填" if question.required else "·选填")


def describe_condition(checklist: Checklist | None, item: Item, question: Question) -> str:
    """A Chinese reading of ``question.when``, e.g. ``当“自我评价”选“存在一些问题”或…时``.

    Simple forms (``x.problem``, ``x``, ``not x``, ``role == 'leader'``) are put
    in words; anything else is shown as the expression itself.
    """
    when = (question.when or "").strip()
    if not when:
        return ""
    by_id = {q.id: q for q in item.questions}
    negated = _NOT_PROBLEM.match(when)
    match = _PROBLEM.match(when) or negated
    if match and match.group(1) in by_id:
        source = by_id[match.group(1)]
        negate = negated is not None
        chosen = [o.label for o in source.options or [] if o.problem != negate]
        if chosen:
            return f"当“{source.prompt}”选“{'”或“'.join(chosen)}”时"
    negated = _FALSY.match(when)
    match = _TRUTHY.match(when) or negated
    if match and match.group(1) in by_id:
        source = by_id[match.group(1)]
        negate = negated is not None
        if source.type == "yes_no":
            return f"当“{source.prompt}”答“{'否' if negate else '是'}”时"
        return f"当“{source.prompt}”{'没有' if negate else '已'}填写时"
    match = _ROLE_IS.match(when) or _ROLE_IS_NOT.match(when)
    if match:
        role = checklist.role(match.group(2)) if checklist else None
        label = role.label if role else match.group(2)
        return f"{'仅' if '==' in when else '除'}{label}{'' if '==' in when else '外'}"
    return f"当条件 {when} 成立时"
