"""Pydantic validation errors, translated to located Chinese messages."""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from typing import TYPE_CHECKING, Any

from selfcheck.errors import Problem

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

    from selfcheck.errors import Loc
    from selfcheck.yamlsafe import LoadedYaml

_TYPE_NAMES = {
    bool: "布尔值",
    int: "整数",
    float: "小数",
    str: "文本",
    list: "列表",
    dict: "映射",
    type(None): "空值",
    _dt.date: "日期",
    _dt.datetime: "日期时间",
}

_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_EXPECTED_FOR_EMPTY = {
    "string_type": "请填写文本",
    "list_type": "请写一个列表（每项以“- ”开头）",
    "dict_type": "请写一组“键: 值”",
    "model_type": "请写一组“键: 值”",
    "bool_type": "请写 true 或 false",
    "int_type": "请写整数",
    "float_type": "请写数字",
    "literal_error": "请从可选值中选一个",
}

_UNION_TAGS = {"ref", "question"}


def _type_name(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _as_read(value: Any) -> str:
    """A value YAML read, as YAML writes it: ``2008-12-01``, ``false``, ``1.1`` (never
    Python's ``datetime.date(2008, 12, 1)`` or ``False``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def clean_loc(loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Drop the discriminator tags that pydantic inserts into union locations.

    A tag always follows a list index (``questions[0].question.type``); a real
    field never does, since no list element has a field named like a tag.
    """
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and part in _UNION_TAGS and out and isinstance(out[-1], int):
            continue
        out.append(part)
    return tuple(out)


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """Walk ``model`` fields along ``loc`` to find the model owning the last key.

    List indices are skipped, and so are the keys of mapping fields (such as
    the names under ``scales``).
    """
    from pydantic import BaseModel as _Base

    current: Any = model
    skip_key = False
    for part in loc:
        if isinstance(part, int):
            continue
        if skip_key:
            skip_key = False
            continue
        if not (isinstance(current, type) and issubclass(current, _Base)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        skip_key = _is_mapping(field.annotation)
        current = _innermost_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, _Base) else None


def _is_mapping(annotation: Any) -> bool:
    """True for ``dict[...]`` and ``dict[...] | None``."""
    from typing import get_args, get_origin

    if get_origin(annotation) is dict:
        return True
    return any(get_origin(arg) is dict for arg in get_args(annotation))


def _innermost_model(annotation: Any) -> Any:
    from typing import get_args

    from pydantic import BaseModel as _Base

    stack = [annotation]
    while stack:
        candidate = stack.pop()
        if isinstance(candidate, type) and issubclass(candidate, _Base):
            return candidate
        stack.extend(get_args(candidate))
    return None


def translate(
    exc: ValidationError,
    loaded: LoadedYaml,
    model: type[BaseModel],
    prefix: Loc = (),
) -> list[Problem]:
    """Every error of ``exc`` as a located Chinese :class:`Problem`."""
    problems: list[Problem] = []
    for error in exc.errors(include_url=False):
        loc = (*prefix, *clean_loc(error["loc"]))
        if "[key]" in loc:  # a mapping key itself is wrong: point at the key
            bad_key = loc[: loc.index("[key]")]
            message = _message_for(
                error["type"], error.get("input"), error.get("ctx") or {}, error.get("msg", "")
            )
            problems.append(loaded.problem(bad_key, message, key=True))
            continue
        problems.append(_translate_one(error, loc, loaded, model, prefix))
    return problems


def _translate_one(
    error: Any, loc: Loc, loaded: LoadedYaml, model: type[BaseModel], prefix: Loc
) -> Problem:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        field = str(loc[-1])
        owner = _model_at(model, clean_loc(error["loc"])[:-1])
        known = [f.alias or name for name, f in owner.model_fields.items()] if owner else []
        close = difflib.get_close_matches(field, known, n=1, cutoff=0.6)
        hint = f"是否应为“{close[0]}”？" if close else ""
        allowed = f"可用字段：{'、'.join(known)}" if known else ""
        return loaded.problem(loc, f"未知字段“{field}”。{hint}{allowed}".rstrip("。"), key=True)
    if kind == "missing":
        return loaded.problem(loc[:-1], f"缺少必填字段“{loc[-1]}”")
    if value is None and kind in _EXPECTED_FOR_EMPTY:
        expected = _EXPECTED_FOR_EMPTY[kind]
        if kind == "literal_error":
            expected += f"：{_expected_values(ctx)}"
        return loaded.problem(loc, f"没有填写内容（空值）：{expected}")
    if loc in loaded.plain_scalars and kind in {
        "string_type",
        "literal_error",
        "string_pattern_mismatch",
    }:
        raw = loaded.plain_scalars[loc]
        if (
            kind != "literal_error"
            and _wants_identifier(model, clean_loc(error["loc"]))
            and not _IDENTIFIER.match(raw)
        ):
            return loaded.problem(loc, _message_for("string_pattern_mismatch", raw, ctx, ""))
        return loaded.problem(
            loc,
            f"YAML 把 {raw} 读成了{_type_name(value)} {_as_read(value)}，"
            f'这里需要文本：请加引号，写成 "{raw}"',
        )
    message = _message_for(kind, value, ctx, error.get("msg", ""))
    return loaded.problem(loc, message)


def _wants_identifier(model: type[BaseModel], loc: tuple[str | int, ...]) -> bool:
    """True when the field at ``loc`` is an identifier (has the identifier pattern)."""
    if not loc or not isinstance(loc[-1], str):
        return False
    owner = _model_at(model, loc[:-1])
    field = owner.model_fields.get(loc[-1]) if owner else None
    if field is None:
        return False
    return any(getattr(m, "pattern", None) == _IDENTIFIER.pattern for m in field.metadata)


def _expected_values(ctx: dict[str, Any]) -> str:
    """pydantic's "'a', 'b' or 'c'" as a Chinese list."""
    return "、".join(_literal_choices(ctx)) or str(ctx.get("expected", ""))


_CHOICE = re.compile(r"'([^']*)'|\b(\d+)\b")


def _literal_choices(ctx: dict[str, Any]) -> list[str]:
    """The allowed values listed in pydantic's ``expected`` text."""
    return [quoted or number for quoted, number in _CHOICE.findall(str(ctx.get("expected", "")))]


def _message_for(kind: str, value: Any, ctx: dict[str, Any], msg: str) -> str:
    if kind == "string_type":
        return f"应为文本，实际是{_type_name(value)}"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"应为整数，实际是 {value!r}"
    if kind in {"float_type", "float_parsing"}:
        return f"应为数字，实际是 {value!r}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"应为 true 或 false（不加引号），实际是 {value!r}"
    if kind == "finite_number":
        return "应为有限的数字"
    if kind == "list_type":
        return f"应为列表（每项以“- ”开头），实际是{_type_name(value)}"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return f"应为映射（“键: 值”），实际是{_type_name(value)}"
    if kind == "literal_error":
        choices = _literal_choices(ctx)
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
        hint = f"是否应为“{close[0]}”？" if close else ""
        return f"取值无效：{value!r}。{hint}可选：{_expected_values(ctx)}"
    if kind == "string_pattern_mismatch":
        return f"标识“{value}”无效：只能包含字母、数字、- 和 _，且以字母开头"
    if kind == "string_too_short":
        return "不能为空"
    if kind == "string_too_long":
        return f"过长：最多 {ctx.get('max_length')} 个字符"
    if kind == "too_short":
        return f"至少需要 {ctx.get('min_length')} 项"
    if kind == "too_long":
        return f"最多 {ctx.get('max_length')} 项"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"应不小于 {ctx.get('ge', ctx.get('gt'))}"
    if kind in {"less_than_equal", "less_than"}:
        return f"应不大于 {ctx.get('le', ctx.get('lt'))}"
    if kind in {"datetime_type", "datetime_parsing", "datetime_from_date_parsing"}:
        return f"应为日期时间，实际是 {value!r}"
    if kind in {"date_type", "date_parsing", "date_from_datetime_parsing"}:
        return f"应为日期（如 2009-03-31），实际是 {value!r}"
    if kind == "union_tag_invalid":
        return "格式无效"
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    return f"取值无效（{msg}）"
