"""``when`` conditions: Jinja expressions compiled in the sandbox.

An expression sees the answers given so far to the same item, by question id,
plus ``role`` (the respondent's role id). Choice answers are :class:`ChoiceValue`
strings that also carry ``.label``, ``.score`` and ``.problem`` of the chosen
option, so ``rating.problem`` reads "the rating marks a problem".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from jinja2 import TemplateSyntaxError, meta, nodes

from selfcheck.jinja import make_environment, syntax_hint
from selfcheck.lookalike import first_lookalike

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


# Words and signs for "and", "or", "not", "equals" that a Chinese author writes (or
# knows from Excel and other languages), in the order tried: 不等于 before 等于.
_WORD_OPERATORS: tuple[tuple[str, str], ...] = (
    ("不等于", "!="),
    ("等于", "=="),
    ("并且", "and"),
    ("而且", "and"),
    ("或者", "or"),
    ("不是", "not"),
    ("和", "and"),
    ("且", "and"),
    ("与", "and"),
    ("或", "or"),
    ("非", "not"),
    ("&&", "and"),
    ("||", "or"),
)
_EXAMPLES = {
    "and": "rating.problem and cause",
    "or": "rating == 'some' or rating == 'serious'",
    "not": "not rating.problem",
    "==": "rating == 'some'",
    "!=": "rating != 'good'",
}
_UPPER_OPERATORS = re.compile(r"\b(AND|OR|NOT|And|Or|Not)\b")
_SINGLE_EQUALS = re.compile(r"(?<![=!<>])=(?!=)")
_AT = re.compile(r"unexpected char '(.)' at (\d+)")
_QUOTED_PLACEHOLDER = "文"


def _outside_quotes(expression: str) -> tuple[str, int | None]:
    """``expression`` with the text inside its quotes blanked out (so a ``“`` or a ``和``
    in a quoted label is not taken for a mistake), and where an unclosed quote opens."""
    out: list[str] = []
    quote: str | None = None
    opened = 0
    for index, char in enumerate(expression):
        if quote is None:
            if char in "'\"":
                quote, opened = char, index
            out.append(char)
        elif char == quote:
            quote = None
            out.append(char)
        else:
            out.append(_QUOTED_PLACEHOLDER)
    return "".join(out), (opened if quote is not None else None)


def _syntax_message(expression: str, exc: TemplateSyntaxError) -> str:
    """A condition that does not compile, said in Chinese: the look-alike character, the
    Chinese word for an operator or the unclosed quote that is the usual cause first,
    then Jinja's own account translated. Jinja's English is shown only when no Chinese
    account of it is known, labelled as the parser's own words."""
    detail = exc.message or ""
    outside, unclosed = _outside_quotes(expression)
    odd = first_lookalike(outside)
    if odd is not None:
        return (
            f"条件表达式无法解析：条件中有{odd.name}，{odd.advice()}（条件中的符号和引号都用半角）"
        )
    if unclosed is not None:
        return (
            f"条件表达式无法解析：第 {unclosed + 1} 个字符的引号 {expression[unclosed]} "
            "没有对应的结束引号：文字两边的引号要成对"
        )
    upper = _UPPER_OPERATORS.search(outside)
    word = next((pair for pair in _WORD_OPERATORS if pair[0] in outside), None)
    if word is None and upper is not None:
        word = (upper[1], upper[1].lower())
    if word is not None:
        return f"条件表达式无法解析：“{word[0]}”要写成 {word[1]}（如 {_EXAMPLES[word[1]]}）"
    if _SINGLE_EQUALS.search(outside):
        return "条件表达式无法解析：判断相等要写两个等号 ==（如 rating == 'some'）"
    if outside.count("(") > outside.count(")"):
        return "条件表达式无法解析：括号没有闭合，缺少“)”"
    hint = syntax_hint(detail, template=False)
    if hint is None:
        return (
            f"条件表达式无法解析：写法有误，请对照检查表格式说明第 6 节（解析器的原话：{detail}）"
        )
    at = _AT.search(detail)
    where = f"（第 {int(at[2]) + 1} 个字符“{at[1]}”）" if at else ""
    return f"条件表达式无法解析：{hint}{where}"


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
        raise ConditionError(_syntax_message(expression, exc)) from None
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
        raise ConditionError(_syntax_message(expression, exc)) from None
    except (RecursionError, MemoryError):
        raise ConditionError("条件表达式嵌套过深") from None


def evaluate(expression: str, context: Mapping[str, Any]) -> bool:
    """Evaluate a compiled condition against ``context``; errors count as false."""
    try:
        return bool(compile_condition(expression)(**context))
    except Exception:  # a sandbox violation or type error in an author's expression
        return False
