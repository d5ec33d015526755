"""Chinese for every word Click and Typer print by themselves.

Click marks its own texts with ``gettext`` (``_()`` and ``ngettext()`` in each
module).  :func:`install` points those module-level names at the catalogue
below, so help sections, ``[required]``, ``[default: …]`` and the wording of
usage errors come out in Chinese whatever the system locale is.  The rest is
done with Click's own extension points:

- :class:`ChineseHelpFormatter` (``Context.formatter_class``): ``用法：``,
  ``选项：``, columns aligned and lines wrapped by display width, so Chinese
  text lines up and breaks between characters rather than past the margin;
- :class:`LocalisedCommand` / :class:`LocalisedGroup` mixins: Chinese
  metavars (``路径`` not ``PATH``), help for Typer's own options, the argument
  help Typer 0.24 loses with Click 8.5, one suggestion for a mistyped command,
  and usage errors printed once, in Chinese, with exit code 1.

Only Click and Typer (already loaded by the CLI) are imported here, so
``selfcheck --help`` stays fast.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import click

EXIT_USAGE = 1
"""Usage errors exit like every other mendable error (README: 退出码 1)."""

# --------------------------------------------------------------- the catalogue

MESSAGES: dict[str, str] = {
    # help pages
    "Usage:": "用法：",
    "Options": "选项",
    "Arguments": "参数",
    "Positional arguments": "参数",
    "Commands": "命令",
    "required": "必填",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "deprecated": "已停用",
    "(deprecated) ": "（已停用）",
    "[default: {}]": "[默认：{}]",
    "[env var: {}]": "[环境变量：{}]",
    "[required]": "[必填]",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s %(version)s",
    "Do you want to continue?": "是否继续？",
    "Confirm the action without prompting.": "不再询问，直接确认。",
    # errors and their parts
    "Error": "错误",
    "Error: {message}": "错误：{message}",
    "Aborted!": "已取消。",
    "Aborted.": "已取消。",
    "Try '{command} {option}' for help.": "运行 {command} {option} 查看帮助。",
    "Try [blue]'{command_path} {help_option}'[/] for help.": (
        "运行 {command_path} {help_option} 查看帮助。"
    ),
    "Missing command.": "缺少命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "No such option {name!r}.": "没有 {name} 这个选项。",
    "No such command {name!r}.": "没有“{name}”这个命令。",
    "unknown error": "未知错误",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename}：{message}",
    "Invalid start character for option ({option})": "选项的开头字符无效（{option}）",
    "Option {name!r} does not take a value.": "选项 {name} 后面不能带值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name} 需要 {nargs} 个值。",
    "Value must be an iterable.": "这里需要多个值。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name} {filename} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename} 是文件，这里需要文件夹。",
    "{name} {filename!r} is a directory.": "{name} {filename} 是文件夹，这里需要文件。",
    "{name} {filename!r} is not readable.": "{name} {filename} 没有读取权限。",
    "{name} {filename!r} is not writable.": "{name} {filename} 没有写入权限。",
    "{name} {filename!r} is not executable.": "{name} {filename} 不能执行。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "{value} is not in the range {range}.": "{value} 超出允许的范围（{range}）。",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "“{value}”不是有效的是/否值。可用的值：{states}"
    ),
    "{value!r} is not a valid {number_type}.": "“{value}”不是有效的数字。",
    "{value!r} is not a valid UUID.": "“{value}”不是有效的 UUID。",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": (
        "提示：命令 {name} 已停用。{extra_message}"
    ),
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": (
        "提示：{name} 已停用。{extra_message}"
    ),
    # prompts and the editor (click.prompt, click.edit)
    "Repeat for confirmation": "请再输入一次以确认",
    "Error: The two entered values do not match.": "错误：两次输入的不一致。",
    "Error: invalid input": "错误：输入无效",
    "Press any key to continue...": "按任意键继续……",
    "{editor}: Editing failed": "{editor}：编辑失败",
    "{editor}: Editing failed: {e}": "{editor}：编辑失败：{e}",
    "Windows error: {error}": "Windows 错误：{error}",
    # shell completion
    "Shell completion is not supported for Bash versions older than 4.4.": (
        "Bash 4.4 以下的版本不支持命令自动补全。"
    ),
    "Couldn't detect Bash version, shell completion is not supported.": (
        "无法识别 Bash 的版本，不能安装命令自动补全。"
    ),
}
"""Click's and Typer's message ids (their English text) and the Chinese shown instead."""

PLURAL_MESSAGES: dict[str, tuple[str, str]] = {
    "Got unexpected extra argument ({args})": ("多余的参数：{args}", "多余的参数：{args}"),
    "Did you mean {possibility}?": (
        "您是不是要输入 {possibility}？",
        "您是不是要输入其中之一：{possibilities}？",
    ),
    "Takes {nargs} values but 1 was given.": (
        "需要 {nargs} 个值，只给了 1 个。",
        "需要 {nargs} 个值，给了 {len} 个。",
    ),
    "Option {name!r} requires an argument.": (
        "选项 {name} 后面需要一个值。",
        "选项 {name} 后面需要 {nargs} 个值。",
    ),
    "{value!r} is not {choice}.": ("“{value}”不是 {choice}。", "“{value}”不是 {choices} 之一。"),
    "{value!r} does not match the format {format}.": (
        "“{value}”不符合格式 {format}。",
        "“{value}”不符合格式 {formats} 中的任何一种。",
    ),
    "{len_type} values are required, but {len_value} was given.": (
        "需要 {len_type} 个值，给了 {len_value} 个。",
        "需要 {len_type} 个值，给了 {len_value} 个。",
    ),
}
"""Plural message ids (keyed by the singular) and their two Chinese forms."""

TYPE_METAVARS: dict[str, str] = {
    "text": "文本",
    "path": "路径",
    "filename": "文件",
    "integer": "整数",
    "integer range": "整数",
    "float": "数字",
    "float range": "数字",
    "boolean": "是/否",
    "datetime": "日期时间",
    "uuid": "UUID",
}
"""Chinese metavars by Click type name (``TEXT`` → ``文本``)."""

METAVAR_WORDS: dict[str, str] = {
    "DIR": "目录",
    "FOLDER": "文件夹",
    "FILE": "文件",
    "PATH": "路径",
    "TEXT": "文本",
    "DATE": "日期",
    "ITEM": "检查项",
    "STATUS": "状态",
    "NOTE": "说明",
    "REASON": "理由",
    "NAME": "名称",
    "RESPONSE": "答卷",
    "INTEGER": "整数",
    "NUMBER": "数字",
    "PORT": "端口",
    "HOST": "地址",
    "URL": "网址",
}
"""Chinese for English words in a metavar given in code (``ITEM=STATUS`` → ``检查项=状态``)."""

FRAMEWORK_HELP: dict[str, str] = {
    "--help": "显示本帮助并退出。",
    "--install-completion": "为当前的命令行终端安装命令自动补全。",
    "--show-completion": "显示当前命令行终端的自动补全脚本，可复制后自行安装。",
}
"""Help for the options Typer adds by itself."""


def gettext(message: str) -> str:
    """The Chinese for one of Click's messages (the English one if it is unknown)."""
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The Chinese for one of Click's plural messages."""
    forms = PLURAL_MESSAGES.get(singular)
    if forms is None:
        return singular if n == 1 else plural
    return forms[0] if n == 1 else forms[1]


_MODULES_USING_GETTEXT = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.shell_completion",
    "click.termui",
    "click.types",
    "click.utils",
    "click._termui_impl",
    "typer.core",
    "typer.rich_utils",
)

_installed = False


def install() -> None:
    """Make Click and Typer speak Chinese (idempotent; only already-loaded modules)."""
    global _installed
    if _installed:
        return
    for name in _MODULES_USING_GETTEXT:
        module = sys.modules.get(name)
        if module is None:
            if name.startswith(("click._", "typer.rich")):
                continue  # loaded only for editors / rich help; patched when it is
            try:
                module = __import__(name, fromlist=["_"])
            except ImportError:  # pragma: no cover - a future Click without it
                continue
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    _installed = True


# ------------------------------------------------------------ widths and wraps

_CLOSING = set("，。、；：？！）》」』〕】”’…%,.;:?!)]")
_OPENING = set("（《「『〔【“‘([")
_TOKEN = re.compile(r"\s+|[\x21-\x7e\u00a0-\u10ff]+|.", re.DOTALL)


def cell_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (CJK characters take two)."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def wrap_line(text: str, width: int) -> list[str]:
    """Break one paragraph into lines of at most ``width`` columns.

    Latin words stay whole; Chinese breaks between characters, never before
    closing punctuation nor after an opening bracket.
    """
    width = max(width, 10)
    lines: list[str] = []
    current: list[str] = []
    used = 0
    for token in _TOKEN.findall(text):
        size = cell_width(token)
        if token.isspace():
            if current:
                current.append(" ")
                used += 1
            continue
        if used + size > width and current:
            closing = token in _CLOSING
            if closing and used + size <= width + 2 and current[-1] not in _CLOSING:
                current.append(token)  # one closing mark may hang past the margin
                used += size
                continue
            carried: list[str] = []
            if closing:  # no line starts with it: the character before it moves down too
                while len(current) > 1 and current[-1] in _CLOSING:
                    carried.insert(0, current.pop())
                if len(current) > 1:
                    carried.insert(0, current.pop())
            while len(current) > 1 and current[-1] in _OPENING:
                carried.insert(0, current.pop())
            while current and current[-1] == " ":
                current.pop()
            lines.append("".join(current))
            current = carried
            used = cell_width("".join(current))
        current.append(token)
        used += size
    while current and current[-1] == " ":
        current.pop()
    if current:
        lines.append("".join(current))
    return lines


def _join_lines(lines: Sequence[str]) -> str:
    """Join a paragraph's source lines: a space between Latin words, none between Chinese."""
    out = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if out and cell_width(out[-1]) == 1 and cell_width(line[0]) == 1:
            out += " "
        out += line
    return out


def wrap_text(text: str, width: int) -> list[str]:
    """Wrap help text: paragraphs kept, ``\\b`` paragraphs printed as written."""
    out: list[str] = []
    for number, paragraph in enumerate(re.split(r"\n[ \t]*\n", text.strip("\n"))):
        if number:
            out.append("")
        lines = paragraph.splitlines()
        if lines and lines[0].strip() == "\b":
            out.extend(line.rstrip() for line in lines[1:])
            continue
        out.extend(wrap_line(_join_lines(lines), width))
    return out


_RANGE = re.compile(
    r"(?P<low>-?[\d.]+)(?P<lop><=?)x(?P<hop><=?)(?P<high>-?[\d.]+)|x(?P<op>>=|<=|>|<)(?P<bound>-?[\d.]+)"
)
_ONE_SIDED = {">=": "不小于 {}", ">": "大于 {}", "<=": "不大于 {}", "<": "小于 {}"}


def localise_range(text: str) -> str:
    """Click's range notes (``x>=1``, ``1<=x<=9``) in words."""

    def words(match: re.Match[str]) -> str:
        if match.group("op"):
            return _ONE_SIDED[match.group("op")].format(match.group("bound"))
        return f"{match.group('low')} 到 {match.group('high')}"

    return _RANGE.sub(words, text)


def _split_extra(help_text: str) -> tuple[str, str]:
    """Help text and its ``[默认：…；必填]`` tail (Chinese separators and ranges), apart."""
    match = re.search(r"\s*\[([^\[\]]*)\]\s*$", help_text)
    if not match:
        return help_text, ""
    inner = localise_range(match.group(1)).replace("; ", "；")
    return help_text[: match.start()], f"[{inner}]"


def _wrap_help(help_text: str, width: int) -> list[str]:
    """Wrap a help record's text; its ``[…]`` tail is never broken across lines."""
    body, extra = _split_extra(help_text)
    lines = wrap_text(body, width) if body.strip() else []
    if extra:
        if lines and cell_width(lines[-1]) + 1 + cell_width(extra) <= width:
            lines[-1] += " " + extra
        else:
            lines.extend(wrap_line(extra, width))
    return lines


class ChineseHelpFormatter(click.HelpFormatter):
    """Click's help layout measured in terminal columns, with Chinese headings."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        """``用法：selfcheck report [选项] 答卷``, wrapped under itself if long."""
        head = f"{'':>{self.current_indent}}{prefix or '用法：'}{prog}"
        if not args:
            self.write(head + "\n")
            return
        indent = cell_width(head) + 1
        lines = wrap_line(args, max(self.width - indent, 20))
        if indent + 20 > self.width:
            indent = self.current_indent + 4
            self.write(head + "\n")
            self.write("".join(f"{'':>{indent}}{line}\n" for line in lines))
            return
        self.write(f"{head} {lines[0]}\n")
        self.write("".join(f"{'':>{indent}}{line}\n" for line in lines[1:]))

    def write_heading(self, heading: str) -> None:
        """``选项：`` (Chinese colon)."""
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        """Re-wrapped paragraphs at the current indentation."""
        indent = " " * self.current_indent
        lines = wrap_text(text, self.width - self.current_indent)
        self.write("".join(f"{indent}{line}\n" if line else "\n" for line in lines))

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        """Two aligned columns (option, help), measured in terminal columns."""
        rows = list(rows)
        if not rows:
            return
        first_col = min(max(cell_width(first) for first, _ in rows), col_max) + col_spacing
        text_width = max(self.width - first_col - 2, 10)
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if cell_width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cell_width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = _wrap_help(second, text_width) or [""]
            pad = " " * (first_col + self.current_indent)
            self.write(lines[0] + "\n")
            self.write("".join(f"{pad}{line}\n" if line else "\n" for line in lines[1:]))


class ChineseContext(click.Context):
    """A Click context whose help pages use :class:`ChineseHelpFormatter`."""

    formatter_class = ChineseHelpFormatter


# ---------------------------------------------------------- commands and groups


def _callback_parameter_help(command: click.Command) -> dict[str, str]:
    """``help=`` of each ``typer.Argument`` in the command function's signature."""
    function = getattr(command.callback, "__wrapped__", None)
    if function is None:
        return {}
    import inspect

    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):  # pragma: no cover - not a plain function
        return {}
    found: dict[str, str] = {}
    for name, parameter in signature.parameters.items():
        text = getattr(parameter.default, "help", None)
        if isinstance(text, str) and text:
            found[name] = text
    if len(found) < len(signature.parameters):
        found = {**_annotated_help(function), **found}
    return found


def _annotated_help(function: Any) -> dict[str, str]:
    """``help=`` given the ``Annotated[..., typer.Argument(help=...)]`` way."""
    import typing

    try:
        hints = typing.get_type_hints(function, include_extras=True)
    except Exception:  # pragma: no cover - unresolvable annotations: nothing to add
        return {}
    found: dict[str, str] = {}
    for name, hint in hints.items():
        for meta in getattr(hint, "__metadata__", ()):
            text = getattr(meta, "help", None)
            if isinstance(text, str) and text:
                found[name] = text
    return found


def _type_metavar(param: click.Parameter) -> str | None:
    """Chinese metavar from the parameter's type, or None to keep Click's (choices...)."""
    if isinstance(param.type, click.Choice):
        return None
    return TYPE_METAVARS.get(param.type.name, "值")


def localise_metavar(metavar: str) -> str:
    """Chinese for the capitalised English words in a metavar (unknown words are kept)."""
    return re.sub(r"[A-Z]{2,}", lambda m: METAVAR_WORDS.get(m.group(0), m.group(0)), metavar)


def localise_params(command: click.Command) -> None:
    """Chinese metavars and argument help on a freshly built command (idempotent)."""
    argument_help: dict[str, str] | None = None
    for param in command.params:
        if isinstance(param, click.Argument):
            if not getattr(param, "help", None):
                if argument_help is None:
                    argument_help = _callback_parameter_help(command)
                if param.name in argument_help:
                    param.help = argument_help[param.name]  # type: ignore[attr-defined]
            metavar = localise_metavar(param.metavar or _type_metavar(param) or "值")
            if param.nargs != 1 and not metavar.endswith("..."):
                metavar += "..."
            param.metavar = metavar
        elif isinstance(param, click.Option) and not param.is_flag and not param.count:
            param.metavar = (
                _type_metavar(param) if param.metavar is None else localise_metavar(param.metavar)
            )


def _localise_framework_params(params: list[click.Parameter]) -> list[click.Parameter]:
    for param in params:
        for name in getattr(param, "opts", ()):
            if name in FRAMEWORK_HELP:
                param.help = FRAMEWORK_HELP[name]  # type: ignore[attr-defined]
            if name == "--install-completion":
                param.callback = _install_completion
    return params


def _install_completion(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Typer's ``--install-completion``, reporting in Chinese."""
    if not value or ctx.resilient_parsing:
        return value
    from typer._completion_shared import _get_shell_name
    from typer._completion_shared import install as install_completion

    shell = value if isinstance(value, str) else _get_shell_name()
    if shell not in ("bash", "zsh", "fish", "powershell", "pwsh"):
        where = shell or "当前终端"
        supported = "bash、zsh、fish 和 PowerShell"
        click.echo(f"无法为 {where} 安装命令自动补全：只支持 {supported}。", err=True)
        ctx.exit(EXIT_USAGE)
    shell, path = install_completion(shell=shell)
    click.echo(f"已为 {shell} 安装命令自动补全（写入 {path}），重新打开终端后生效。")
    ctx.exit(0)


def _first_paragraph(text: str | None) -> str:
    if not text:
        return ""
    paragraph = text.strip().partition("\n\n")[0]
    lines = paragraph.splitlines()
    if lines and lines[0].strip() == "\b":
        lines = lines[1:]
    return _join_lines(lines)


class LocalisedCommand(click.Command):
    """Mixin for every selfcheck command: Chinese help page and parameters."""

    context_class = ChineseContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options_metavar = "[选项]"
        localise_params(self)

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        """Parameters, with Chinese help on the ones Click and Typer add."""
        return _localise_framework_params(super().get_params(ctx))

    def format_arguments(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Nothing: Typer lists the arguments in :meth:`format_options` (Click 8.5 would twice)."""

    def get_short_help_str(self, limit: int = 45) -> str:
        """The first paragraph whole: the formatter wraps it (Click would cut Chinese)."""
        return _first_paragraph(self.short_help or self.help)


class LocalisedGroup(LocalisedCommand, click.Group):
    """Mixin for the command groups: Chinese usage errors, printed once, exit code 1."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subcommand_metavar = "命令 [参数]..."

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """The subcommand; a typo gets one suggestion (Typer and Click each add one)."""
        try:
            return click.Group.resolve_command(self, ctx, args)
        except click.UsageError:
            name = args[0] if args else ""
            if not name[:1].isalnum():
                raise  # an unknown option, reported as such
            raise click.UsageError(unknown_command_message(name, self.commands), ctx) from None

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the program; print framework errors ourselves (Chinese, once, exit 1)."""
        install()
        from selfcheck.console import protect_standard_streams

        protect_standard_streams()
        extra["windows_expand_args"] = windows_expand_args
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except _NO_ARGS_IS_HELP as exc:
            click.echo(exc.ctx.get_help())
            sys.exit(0)
        except click.UsageError as exc:
            _print_error(usage_error_text(exc))
            sys.exit(EXIT_USAGE)
        except click.ClickException as exc:
            _print_error(gettext("Error: {message}").format(message=exc.format_message()))
            sys.exit(exc.exit_code)
        except click.Abort:
            _print_error(gettext("Aborted!"))
            sys.exit(EXIT_USAGE)
        sys.exit(result if isinstance(result, int) else 0)


_NO_ARGS_IS_HELP: Any = getattr(click.exceptions, "NoArgsIsHelpError", ())
"""Click 8.2+ signals ``no_args_is_help`` as a usage error; we show the help and exit 0."""


def _print_error(text: str) -> None:
    click.echo(text, err=True)


def unknown_command_message(name: str, commands: Iterable[str]) -> str:
    """``没有“sumary”这个命令。您是不是要输入 summary？`` (at most one suggestion)."""
    import difflib

    message = gettext("No such command {name!r}.").format(name=name)
    matches = difflib.get_close_matches(name, list(commands), n=1)
    if matches:
        message += f"您是不是要输入 {matches[0]}？"
    return message


def _param_label(param: click.Parameter) -> str:
    if isinstance(param, click.Option):
        return " / ".join(param.opts)
    return param.metavar or param.name or "参数"


def _help_sentence(param: click.Parameter) -> str:
    text = (getattr(param, "help", None) or "").strip().rstrip("。.")
    return f"（{text}）" if text else ""


def usage_error_text(exc: click.UsageError) -> str:
    """The whole Chinese text for a usage error: what is wrong, the usage line, where help is."""
    ctx = exc.ctx
    if isinstance(exc, click.NoSuchOption):
        message = gettext("No such option {name!r}.").format(name=exc.option_name)
        if exc.possibilities:
            message += f"您是不是要输入 {exc.possibilities[0]}？"
    elif isinstance(exc, click.MissingParameter) and exc.param is not None:
        kind = "选项" if isinstance(exc.param, click.Option) else "参数"
        message = f"缺少{kind} {_param_label(exc.param)}{_help_sentence(exc.param)}。"
    elif isinstance(exc, click.BadParameter) and exc.param is not None:
        message = f"{_param_label(exc.param)} 的值无效：{localise_range(exc.message)}"
    else:
        message = localise_range(exc.format_message())
    lines = [f"错误：{message}"]
    if ctx is not None:
        lines.append(ctx.get_usage())
        help_names = ctx.command.get_help_option_names(ctx)
        if ctx.command.get_help_option(ctx) is not None and help_names:
            lines.append(
                gettext("Try '{command} {option}' for help.").format(
                    command=ctx.command_path, option=max(help_names, key=len)
                )
            )
    return "\n".join(lines)


def iter_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command path under ``group`` (``("checklist", "show")``...), groups included."""
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from iter_commands(command, (*prefix, name))
