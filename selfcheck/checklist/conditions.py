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

from jinja2 import TemplateSyntaxError, meta

from selfcheck.jinja import make_environment

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


def referenced_names(expression: str) -> set[str]:
    """Names an expression reads; raises :class:`ConditionError` if it does not parse."""
    env = _env()
    try:
        ast = env.parse("{{ (" + expression + ") }}")
    except TemplateSyntaxError as exc:
        raise ConditionError(f"条件表达式无法解析：{exc.message}") from None
    return set(meta.find_undeclared_variables(ast))


@lru_cache(maxsize=512)
def compile_condition(expression: str) -> Callable[..., Any]:
    """Compile once; the result is called with the answers as keyword arguments."""
    env = _env()
    try:
        return env.compile_expression(expression)  # type: ignore[no-any-return]
    except TemplateSyntaxError as exc:
        raise ConditionError(f"条件表达式无法解析：{exc.message}") from None


def evaluate(expression: str, context: Mapping[str, Any]) -> bool:
    """Evaluate a compiled condition against ``context``; errors count as false."""
    try:
        return bool(compile_condition(expression)(**context))
    except Exception:  # a sandbox violation or type error in an author's expression
        return False
