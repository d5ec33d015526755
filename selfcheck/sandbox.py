"""The Jinja sandboxes, bounded so that a ``when`` or a user template never hangs the program.

Jinja's sandbox stops a template from reaching Python's internals, and caps one
``range()`` at 100,000 items; it does not bound what a template may compute.
:class:`BoundedSandbox` (``when`` conditions and user templates) refuses arithmetic
whose result would be huge. :class:`TemplateSandbox` (user templates, which have
loops) also refuses huge widths, fills and replacements, counts the items of all
``range()`` calls of one rendering, caps the output, and stops a rendering that runs
past :data:`MAX_RENDER_SECONDS`. Every refusal is a :class:`SandboxLimit` with a
Chinese message; :func:`render` is how a template is rendered under these bounds.
"""

from __future__ import annotations

import functools
import math
import re
import string
import time
from collections.abc import Callable, Generator, Mapping
from typing import Any, cast

from jinja2 import Template
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range

MAX_POWER_BITS = 4096
"""The largest integer ``**`` may make in the sandbox (about 1,200 digits)."""
MAX_REPEAT = 100_000
"""The longest text or list ``*``, ``%`` or a width may make (range()'s own limit)."""
MAX_RANGE_ITEMS = 10_000_000
"""All ``range()`` items one rendering of a user template may loop over."""
MAX_OUTPUT_CHARS = 50_000_000
"""The longest text a user template may produce or build by replacing."""
MAX_RENDER_SECONDS = 60.0
"""How long one rendering of a user template may run."""
_PERCENT_WIDTH = re.compile(r"%[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_DIGITS = re.compile(r"\d+")
_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


class SandboxLimit(SecurityError):
    """An operation a bounded sandbox refuses; the message is Chinese."""


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The sandbox with its arithmetic bounded.

    ``9**999999999``, ``'x' * 10**9`` or ``'%999999999d' % 1`` would run for minutes or
    take gigabytes, and a constant expression is even folded while the template
    compiles (so ``checklist validate`` itself would hang). Intercepting these operators
    stops the folding and refuses results past :data:`MAX_POWER_BITS` and
    :data:`MAX_REPEAT`.
    """

    intercepted_binops = frozenset({"**", "*", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals.pop("lipsum", None)  # lipsum(10**8): no bound, and no use here

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """Refuse a ``**``, ``*`` or ``%`` whose result would be huge; else compute it."""
        if operator == "**" and _is_int(left) and _is_int(right):
            if right > 0 and abs(left) > 1 and abs(left).bit_length() * right > MAX_POWER_BITS:
                raise SandboxLimit(f"乘方的结果太大（{left}**{right}）")
        elif operator == "*":
            for seq, count in ((left, right), (right, left)):
                sized = isinstance(seq, str | list | tuple) and _is_int(count)
                if sized and len(seq) * count > MAX_REPEAT:
                    raise SandboxLimit(f"重复的结果太长（超过 {MAX_REPEAT} 项）")
        elif operator == "%" and isinstance(left, str):
            _check_percent(left)
        return super().call_binop(context, operator, left, right)


class TemplateSandbox(BoundedSandbox):
    """The sandbox of a user's own template: bounded in size, loop work and time.

    Start each rendering with :meth:`start` (``render`` does); the clock and the
    ``range()`` count belong to one rendering.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._deadline = math.inf
        self._ranged = 0
        self.globals["range"] = self._range
        for name, check in _FILTER_CHECKS.items():
            self.filters[name] = _checked(self.filters[name], check)

    def start(self) -> None:
        """Begin a rendering: the clock starts and the ``range()`` count is zero."""
        self._deadline = time.monotonic() + MAX_RENDER_SECONDS
        self._ranged = 0

    def check_time(self) -> None:
        """Refuse to go on past the rendering's deadline."""
        if time.monotonic() > self._deadline:
            raise SandboxLimit(
                f"模板运行超过 {MAX_RENDER_SECONDS:g} 秒，已停止（是否有循环套得太深？）"
            )

    def _range(self, *args: int) -> range:
        items = safe_range(*args)
        self._ranged += len(items)
        if self._ranged > MAX_RANGE_ITEMS:
            raise SandboxLimit(f"循环的次数太多（range() 合计超过 {MAX_RANGE_ITEMS} 次）")
        return items

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Call ``__obj`` unless it is a string method asked for a huge result."""
        __self.check_time()
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            name = getattr(__obj, "__name__", "")
            if name in _WIDTH_METHODS:
                _check_widths(args, kwargs)
            elif name == "replace":
                _check_replace(owner, *args[:2])
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Look up an attribute (the clock is checked)."""
        self.check_time()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """Look up an item (the clock is checked)."""
        self.check_time()
        return super().getitem(obj, argument)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """As :class:`BoundedSandbox` (the clock is checked)."""
        self.check_time()
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``str.format`` as Jinja's sandbox gives it, refusing huge widths first."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        fmt = value.__self__

        @functools.wraps(wrapped)
        def checked(*args: Any, **kwargs: Any) -> str:
            _check_format_spec(fmt)
            return wrapped(*args, **kwargs)

        return checked


def render(template: Template, variables: Mapping[str, Any]) -> str:
    """Render ``template``; under :class:`TemplateSandbox`, within its bounds."""
    env = template.environment
    if not isinstance(env, TemplateSandbox):
        return template.render(variables)
    env.start()
    parts: list[str] = []
    size = 0
    stream = cast(Generator[str, None, None], template.generate(variables))  # a generator
    for part in stream:
        size += len(part)
        try:
            if size > MAX_OUTPUT_CHARS:
                raise SandboxLimit(f"模板输出的内容太长（超过 {MAX_OUTPUT_CHARS} 字）")
            env.check_time()
        except SandboxLimit as refused:
            stream.throw(refused)  # raised again where the template stands: its line is named
        parts.append(part)
    return "".join(parts)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_percent(fmt: str) -> None:
    for spec in _PERCENT_WIDTH.finditer(fmt):
        widths = [w for w in spec.groups() if w]
        if any(w == "*" or int(w) > MAX_REPEAT for w in widths):
            raise SandboxLimit(f"格式化的宽度太大（超过 {MAX_REPEAT}）")


def _check_format_spec(fmt: str) -> None:
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # str.format itself says what is wrong
    for _, _, spec, _ in fields:
        if spec and ("{" in spec or any(int(d) > MAX_REPEAT for d in _DIGITS.findall(spec))):
            raise SandboxLimit(f"格式化的宽度太大（超过 {MAX_REPEAT}）")


def _check_widths(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if _is_int(value) and value > MAX_REPEAT:
            raise SandboxLimit(f"宽度太大（{value}，最多 {MAX_REPEAT}）")


def _check_replace(text: Any, old: Any = None, new: Any = None, *_: Any) -> None:
    if not (isinstance(text, str) and isinstance(old, str) and isinstance(new, str)):
        return
    times = text.count(old) if old else len(text) + 1
    if len(text) + times * max(len(new) - len(old), 0) > MAX_OUTPUT_CHARS:
        raise SandboxLimit(f"替换的结果太长（超过 {MAX_OUTPUT_CHARS} 字）")


def _check_indent(text: Any, width: Any = 4, *_: Any, **__: Any) -> None:
    if isinstance(width, str) and isinstance(text, str):
        if len(width) * (text.count("\n") + 1) > MAX_OUTPUT_CHARS:
            raise SandboxLimit(f"缩进后的内容太长（超过 {MAX_OUTPUT_CHARS} 字）")
    else:
        _check_widths((width,), {})


def _check_filter_widths(_value: Any, *args: Any, **kwargs: Any) -> None:
    _check_widths(args[:1], {k: v for k, v in kwargs.items() if k != "fill_with"})


def _check_format_filter(value: Any, *_: Any, **__: Any) -> None:
    if isinstance(value, str):
        _check_percent(value)


_FILTER_CHECKS: dict[str, Callable[..., None]] = {
    "center": _check_filter_widths,
    "batch": _check_filter_widths,
    "slice": _check_filter_widths,
    "indent": _check_indent,
    "format": _check_format_filter,
    "replace": _check_replace,
}


def _checked(flt: Callable[..., Any], check: Callable[..., None]) -> Callable[..., Any]:
    """``flt`` that first runs ``check`` on its arguments (Jinja's pass-arg mark kept).

    A filter marked to receive the context, eval context or environment first gets
    it in front of its value; ``check`` sees the value first either way.
    """
    skip = 1 if getattr(flt, "jinja_pass_arg", None) is not None else 0

    @functools.wraps(flt)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        check(*args[skip:], **kwargs)
        return flt(*args, **kwargs)

    return bounded
