"""``when`` conditions: Jinja expressions compiled in the sandbox.

An expression sees the answers given so far to the same item, by question id,
plus ``role`` (the respondent's role id). Choice answers are :class:`ChoiceValue`
strings that also carry ``.label``, ``.score`` and ``.problem`` of the chosen
option, so ``rating.problem`` reads "the rating marks a problem".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from jinja2 import TemplateSyntaxError, meta, nodes

from selfcheck.jinja import make_environment, syntax_hint

RESERVED_NAMES = frozenset({"role"})


class ChoiceValue(str):
    """A chosen option's value that also knows its label, score and problem flag."""

    label: str
    score: float | None
    problem: bool

    def __new__(cls, value: str, label: str, score: float | None, problem: bool) -> ChoiceValue:
        obj = super().__new__(cls, value)
        obj.label = label
        obj.score = score
        obj.problem = problem
        return obj


class ConditionError(ValueError):
    """A ``when`` expression does not compile (message in Chinese)."""


@lru_cache(maxsize=1)
def _env() -> Any:
    return make_environment("condition")


MAX_CONDITION_LENGTH = 500


def _syntax_message(exc: TemplateSyntaxError) -> str:
    detail = exc.message or ""
    hint = syntax_hint(detail, template=False) or "语法错误"
    return f"条件表达式无法解析：{hint}（{detail}）"


@lru_cache(maxsize=512)
def referenced_names(expression: str) -> frozenset[str]:
    """Names an expression reads; raises :class:`ConditionError` if it does not compile.

    The expression must compile exactly as it will be evaluated, may not be
    longer than :data:`MAX_CONDITION_LENGTH`, and may not touch attributes
    starting with an underscore. Cached: a question set's conditions are
    checked once per item that uses the set.
    """
    if not expression.strip():
        raise ConditionError("条件表达式是空的：删除 when，或写出条件，如 rating.problem")
    if len(expression) > MAX_CONDITION_LENGTH:
        raise ConditionError(f"条件表达式过长（超过 {MAX_CONDITION_LENGTH} 个字符）")
    env = _env()
    try:
        env.compile_expression(expression)
        ast = env.parse("{{ (" + expression + ") }}")
    except TemplateSyntaxError as exc:
        raise ConditionError(_syntax_message(exc)) from None
    except (RecursionError, MemoryError):
        raise ConditionError("条件表达式嵌套过深") from None
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        name = getattr(node, "attr", None)
        if name is None and isinstance(getattr(node, "arg", None), nodes.Const):
            name = node.arg.value
        if isinstance(name, str) and name.startswith("_"):
            raise ConditionError(f"条件表达式不能访问以下划线开头的属性“{name}”")
    return frozenset(meta.find_undeclared_variables(ast))


@lru_cache(maxsize=512)
def compile_condition(expression: str) -> Callable[..., Any]:
    """Compile once; the result is called with the answers as keyword arguments."""
    env = _env()
    try:
        return env.compile_expression(expression)  # type: ignore[no-any-return]
    except TemplateSyntaxError as exc:
        raise ConditionError(_syntax_message(exc)) from None
    except (RecursionError, MemoryError):
        raise ConditionError("条件表达式嵌套过深") from None


def evaluate(expression: str, context: Mapping[str, Any]) -> bool:
    """Evaluate a compiled condition against ``context``; errors count as false."""
    try:
        return bool(compile_condition(expression)(**context))
    except Exception:  # a sandbox violation or type error in an author's expression
        return False
