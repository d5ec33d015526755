"""The one error hierarchy. Every user-facing failure is a SelfcheckError.

The CLI catches SelfcheckError in one place (``selfcheck.cli.main``), prints
its message to stderr and exits with ``exit_code``. Messages are Chinese.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from dataclasses import dataclass

Loc = tuple[str | int, ...]
"""Where a field is in a file: keys and list indices, ``("sections", 0, "items")``."""


def format_loc(loc: Sequence[str | int]) -> str:
    """``("sections", 0, "items")`` → ``sections[0].items``: how every message names a field,
    in checklists, answers files, responses and summaries alike."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass(frozen=True)
class Problem:
    """One located fault in a user-supplied file."""

    file: str
    line: int | None
    col: int | None
    path: str
    message: str

    def format(self) -> str:
        """Render as ``FILE:LINE:COL: field.path: message``."""
        line = self.line if self.line is not None else 1
        col = self.col if self.col is not None else 1
        where = f"{self.file}:{line}:{col}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


EXIT_OK = 0
EXIT_ERROR = 1
"""Bad input, bad usage, anything the user can mend: a Chinese message on stderr."""
EXIT_INTERRUPTED = 130
"""Ctrl-C (128 + SIGINT), after the draft has been saved."""


class SelfcheckError(Exception):
    """Base of every error shown to the user (message already in Chinese)."""

    exit_code: int = EXIT_ERROR

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = list(problems or [])

    def render(self) -> str:
        """The full text printed to stderr."""
        lines = [self.message]
        lines.extend(p.format() for p in self.problems)
        return "\n".join(lines)


class YamlError(SelfcheckError):
    """A YAML file could not be read; ``problems`` says where and why."""


class ChecklistError(SelfcheckError):
    """A checklist file cannot be read or does not validate."""


class ChecklistNotFound(SelfcheckError):
    """No checklist with the given id or path."""


class ResponseError(SelfcheckError):
    """A response or draft file is unreadable or invalid."""


class AnswersError(SelfcheckError):
    """Prefilled or scripted answers do not fit the checklist."""


class TemplateError(SelfcheckError):
    """A report template failed to load or render."""


class RosterError(SelfcheckError):
    """A roster file is unreadable or has bad rows."""


class SummaryError(SelfcheckError):
    """A summary or roll-up input is invalid."""


class UsageError(SelfcheckError):
    """Bad command-line usage that Typer itself cannot detect."""


class RectifyError(UsageError):
    """A rectification request that cannot be recorded (bad ``--set``, ``--date``, draft...)."""


class ReviewError(UsageError):
    """A review request that cannot be recorded (unknown reason, a draft, no reviewer...)."""


class FileInUseError(SelfcheckError):
    """A file could not be replaced: another program (Excel, WPS) holds it open, or no permission.

    The file on disk is unchanged; the caller still has what it meant to write.
    """


class Interrupted(SelfcheckError):
    """The user pressed Ctrl-C or Ctrl-D; the draft has been saved."""

    exit_code = EXIT_INTERRUPTED


_LOCKED = "文件正被其他程序打开（如 Excel、WPS），请先关闭它"
IS_A_FOLDER = "这是一个文件夹，不是文件"
"""What every message says of a folder given where a file is wanted."""
_OS_REASONS: dict[int, str] = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EISDIR: IS_A_FOLDER,
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.EACCES: "没有访问权限，或" + _LOCKED,
    errno.EPERM: "操作不被允许（没有权限）",
    errno.EEXIST: "已经存在",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘是只读的",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EBUSY: _LOCKED,
    errno.EMFILE: "同时打开的文件太多",
    errno.EIO: "读写磁盘时出错",
    errno.EINVAL: '文件名无效（不能含 \\ / : * ? " < > | 等字符）',
    errno.ELOOP: "符号链接循环",
    errno.ENOTEMPTY: "文件夹不是空的",
    errno.EXDEV: "不能跨磁盘移动",
    getattr(errno, "EDQUOT", -1): "超出磁盘配额",
    errno.EADDRINUSE: "端口已被占用",
    errno.EADDRNOTAVAIL: "本机没有这个地址",
    errno.ENOEXEC: "不是可以运行的程序",
}
_WINDOWS_REASONS: dict[int, str] = {
    5: "拒绝访问：没有权限，或" + _LOCKED,
    32: _LOCKED,
    33: "文件的一部分被其他程序锁定，请先关闭占用它的程序",
    123: "文件名、目录名或卷标语法不正确",
    206: "文件名或路径太长",
}


UNCHANGED = "答卷文件没有改动"
"""How a message says that nothing was written to the response file."""


def not_recorded(what: str) -> str:
    """``审核意见未记录，答卷文件没有改动``: how a refused committee or 整改 record ends."""
    return f"{what}未记录，{UNCHANGED}"


def none_recorded(what: str) -> str:
    """``没有记录新的整改进展，答卷文件没有改动``: how a session that recorded nothing ends."""
    return f"没有记录新的{what}，{UNCHANGED}"


def refused(detail: str, what: str) -> str:
    """``detail`` followed by :func:`not_recorded` (one sentence each)."""
    return f"{detail.rstrip('。')}。{not_recorded(what)}"


def too_long(limit: int, length: int, what: str = "") -> str:
    """``说明太长了：最多 500 个字，现在 612 个字``: the one wording of a length limit."""
    return f"{what}太长了：最多 {limit} 个字，现在 {length} 个字"


def no_such_option(value: object) -> str:
    """``没有这个选项“9”``: the one wording of a choice answer the question does not offer."""
    return f"没有这个选项“{value}”"


def os_error_reason(exc: OSError) -> str:
    """Why an operating-system call failed, in Chinese (for "无法读取文件 X：<reason>").

    Windows error numbers (``winerror``: 32 = file open in another program) come
    first, then ``errno``; anything else keeps the system's own text.
    """
    winerror = getattr(exc, "winerror", None)
    if isinstance(winerror, int) and winerror in _WINDOWS_REASONS:
        return _WINDOWS_REASONS[winerror]
    if exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    return f"系统错误：{exc.strerror or type(exc).__name__}"


_JSON_REASONS: dict[str, str] = {
    "Expecting value": "这里缺少一个值（或文件是空的）",
    "Expecting property name enclosed in double quotes": "这里应是用双引号括起的键名",
    "Expecting ',' delimiter": "这里缺少逗号",
    "Expecting ':' delimiter": "这里缺少冒号",
    "Unterminated string starting at": "字符串缺少结尾的双引号",
    "Invalid control character at": "字符串中有控制字符",
    "Invalid \\escape": "无效的反斜杠转义",
    "Invalid \\uXXXX escape": "无效的 \\u 转义",
    "Extra data": "JSON 内容结束后还有多余的内容",
}


def json_error_reason(message: str) -> str:
    """The Chinese for a ``json.JSONDecodeError.msg`` (the English one if unknown)."""
    for english, chinese in _JSON_REASONS.items():
        if message.startswith(english):
            return chinese
    return message
