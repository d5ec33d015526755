"""Rendering the report view through Jinja templates (shipped or the user's own).

Shipped templates render in the ``builtin`` environment; a ``--template``
file renders in the ``user`` environment (Jinja sandbox, StrictUndefined).
Both come from :func:`selfcheck.jinja.make_environment`. Any template
failure becomes a :class:`~selfcheck.errors.TemplateError` naming the
template, the line and what went wrong, in Chinese.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from jinja2 import Environment, TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from selfcheck.errors import Problem, TemplateError
from selfcheck.jinja import make_environment, syntax_hint
from selfcheck.paths import builtin_templates_dir
from selfcheck.report.model import ReportView
from selfcheck.report.numerals import chinese_number
from selfcheck.report.text import md_escape
from selfcheck.sandbox import SandboxLimit, render

TEMPLATE_MAX_BYTES = 2 * 1024 * 1024
"""The largest user template read (real ones are a few kilobytes)."""
BUILTIN_TEMPLATES = {"md": "report.md.j2", "html": "report.html.j2"}
"""The shipped template of each text format."""

_TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2")


def require_template(path: Path) -> None:
    """Refuse a user template that is missing, a folder, a pipe or unreadable, in Chinese."""
    from selfcheck.folder import require_named

    require_named(path, "模板文件", TemplateError)


def template_format(path: Path) -> str:
    """The output format a user template writes, from its name: ``a.html.j2`` → ``html``.

    ``.htm``/``.html`` → html (autoescaped), ``.md``/``.markdown`` → md,
    ``.docx`` → docx (a reference document for styles), anything else → its suffix.
    """
    name = path.name.lower()
    for suffix in _TEMPLATE_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    suffix = Path(name).suffix.lstrip(".")
    if suffix in ("htm", "html", "xhtml"):
        return "html"
    if suffix in ("md", "markdown"):
        return "md"
    return suffix or "txt"


def template_context(view: ReportView, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The variables a template receives: every field of :class:`ReportView`, plus ``report``
    (and ``extra``, e.g. the committee report's figures)."""
    context: dict[str, Any] = {f.name: getattr(view, f.name) for f in dataclasses.fields(view)}
    context["report"] = view
    context.update(extra or {})
    return context


def _configure(env: Environment) -> Environment:
    env.filters["md"] = md_escape
    env.filters["cn_number"] = chinese_number
    return env


def builtin_environment(*, autoescape: bool) -> Environment:
    """The environment of the shipped templates (``autoescape`` for HTML)."""
    return _configure(
        make_environment("builtin", search_path=[builtin_templates_dir()], autoescape=autoescape)
    )


def render_builtin(
    fmt: str, view: ReportView, *, name: str | None = None, extra: Mapping[str, Any] | None = None
) -> str:
    """Render ``view`` with the shipped template of ``fmt`` (md or html), or the shipped
    template ``name`` (e.g. ``close_report.html.j2``) with ``extra`` variables."""
    env = builtin_environment(autoescape=fmt == "html")
    return _render(env, name or BUILTIN_TEMPLATES[fmt], view, {}, extra)


def render_user_template(
    path: Path, view: ReportView, *, extra: Mapping[str, Any] | None = None
) -> str:
    """Render ``view`` with the user's template file, sandboxed.

    The template may ``{% include %}`` or ``{% extends %}`` files next to it
    and the shipped templates (``report.html.j2``, ``report.css``, …).
    """
    from selfcheck.folder import read_named

    raw = read_named(path, "模板文件", TemplateError, TEMPLATE_MAX_BYTES)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        raise TemplateError(f"模板文件不是 UTF-8 编码：{path}（请用“UTF-8”另存后再试）") from None
    env = _configure(
        make_environment(
            "user",
            search_path=[path.resolve().parent, builtin_templates_dir()],
            autoescape=template_format(path) == "html",
        )
    )
    return _render(env, path.name, view, {str(path.resolve()): str(path)}, extra)


def _render(
    env: Environment,
    name: str,
    view: ReportView,
    display: dict[str, str],
    extra: Mapping[str, Any] | None = None,
) -> str:
    shown = next(iter(display.values()), name)
    try:
        template = env.get_template(name)
        return render(template, template_context(view, extra))
    except TemplateSyntaxError as exc:
        where = display.get(exc.filename or "", exc.filename or shown)
        raise TemplateError(
            f"模板有语法错误：{where}",
            [Problem(where, exc.lineno, None, "", _syntax(exc.message or ""))],
        ) from None
    except TemplateNotFound as exc:
        raise TemplateError(f"模板 {shown} 引用的模板找不到：{exc.name}") from None
    except Exception as exc:
        file, line = _template_location(exc.__traceback__)
        where = display.get(file or "", file or shown)
        raise TemplateError(
            f"模板渲染失败：{where}", [Problem(where, line, None, "", _explain(exc))]
        ) from None


def _syntax(detail: str) -> str:
    hint = syntax_hint(detail, template=True)
    return f"语法错误：{hint}（{detail}）" if hint else f"语法错误：{detail}"


def _template_location(tb: TracebackType | None) -> tuple[str | None, int | None]:
    """The innermost template file and line in a traceback Jinja rewrote."""
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


_UNDEFINED_NAME = re.compile(r"^'([^']+)' is undefined$")
_NO_ATTRIBUTE = re.compile(r"^'?(.+?)'? has no attribute '([^']+)'$")
_UNSAFE = re.compile(r"access to attribute '([^']+)' of '([^']+)' object is unsafe")


def _explain(exc: BaseException) -> str:
    """A Chinese account of a template runtime error."""
    message = str(exc)
    if isinstance(exc, SandboxLimit):
        return f"{message}（自定义模板在安全沙箱中渲染）"
    if isinstance(exc, SecurityError):
        unsafe = _UNSAFE.search(message)
        what = f"属性 {unsafe.group(1)}" if unsafe else message
        return f"不允许访问{what}（自定义模板在安全沙箱中渲染）"
    if isinstance(exc, UndefinedError):
        undefined = _UNDEFINED_NAME.match(message)
        if undefined:
            return f"变量 {undefined.group(1)} 未定义（可用变量见 docs/templates.md）"
        missing = _NO_ATTRIBUTE.match(message)
        if missing:
            return f"{missing.group(1)} 没有属性 {missing.group(2)}（可用变量见 docs/templates.md）"
        return f"未定义的值：{message}"
    if isinstance(exc, OverflowError) and "MAX_RANGE" in message:
        return "range() 太大：沙箱中最多 100000 项"
    return f"{type(exc).__name__}: {message}"
