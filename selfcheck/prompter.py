"""The one seam through which every question reaches a person.

Everything interactive in selfcheck (the ``run`` walk, ``rectify``) asks
through a :class:`Prompter`:

``ask(label, parse, *, default, options, required, multiline, help, hint, nav, empty)``
    Print ``label`` (and numbered ``options``, and a dim ``hint`` line), read
    a line (or several), and return ``parse(text)``. ``parse`` raises
    ``ValueError`` with a Chinese message to have the question asked again.
    Enter keeps ``default`` (given as the text the person would type); on an
    optional question (``required=False``) Enter with no default, or ``-``,
    returns ``None`` (``empty`` names what Enter does, default "跳过").
    ``?`` prints ``help``. With ``nav=True``, ``<`` raises :class:`GoBack`
    and ``q`` raises :class:`SaveAndQuit`. ``multiline`` reads until an
    empty line; ``e`` on the first line opens ``$EDITOR``.
``ask_text(label, ...)``
    ``ask`` for free text: control characters removed, blanks trimmed.
``choose(label, options, *, default, help, nav, aliases) -> int``
    One of ``options`` by number, exact wording or an alias; returns its index.
``confirm(label, *, default) -> bool``
    是/否 (y/n); Enter gives ``default``.
``say(text, style)``
    Print one line literally (no markup).

Ctrl-C and Ctrl-D surface as ``KeyboardInterrupt`` and ``EOFError`` for the
caller to save and stop. Input bytes that are not valid text are refused and
the question is asked again.

All the logic lives in :class:`LinePrompter`; implementations differ only in
where lines come from: :class:`TerminalPrompter` here (``input()`` with
readline, so wide characters and backspace work; ``$EDITOR``), and
:class:`selfcheck.testing.ScriptedPrompter` (a list of lines, with ``EOF`` and
``INTERRUPT`` markers) for tests. Output is wrapped for Chinese text
(:func:`wrap_text`).
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from rich.text import Text

from selfcheck.errors import os_error_reason, too_long
from selfcheck.inputs import (
    FINISH_HINT,
    FINISH_KEYS,
    AreaResult,
    TypingEnded,
    TypingInterrupted,
)
from selfcheck.inputs import TypingStopped as TypingStopped  # re-exported for callers
from selfcheck.textsafe import clean_text
from selfcheck.wrapping import wrap_parts, wrap_text

if TYPE_CHECKING:
    from rich.console import Console

T = TypeVar("T")

BACK_KEYS = frozenset({"<", "《", "＜", "〈"})
QUIT_KEYS = frozenset({"q", "Q", "ｑ", "Ｑ"})
HELP_KEYS = frozenset({"?", "？"})
EDITOR_KEYS = frozenset({"e", "E", "ｅ", "Ｅ"})
CLEAR_KEYS = frozenset({"-", "－"})
YES_WORDS = frozenset({"y", "yes", "是", "是的", "对", "好", "确定", "继续", "1", "ｙ"})
NO_WORDS = frozenset({"n", "no", "否", "不", "不是", "不要", "取消", "0", "ｎ"})

OPTIONAL_MARK = "（选填）"
"""What the title of an optional question ends with, unless its label already says so."""
OPTIONAL_WORDS = ("可不填", "选填", "可选")
"""Words in a label that already say a question is optional (``本方面问题概括（可不填）``)."""

PROMPT = "> "
CONTINUATION = ". "

_UNDECODABLE = re.compile("[\udc80-\udcff]")


# ---------------------------------------------------------------- the seam


class Navigation(Exception):
    """The person asked to move rather than answer.

    ``partial`` is the text in the editing area when the key was typed (None
    for a one-line question): it may be kept as an unfinished answer.
    """

    def __init__(self, partial: str | None = None) -> None:
        super().__init__()
        self.partial = partial


class GoBack(Navigation):
    """``<``: go back to the previous question."""


class SaveAndQuit(Navigation):
    """``q``: save what there is and stop for now."""


class EditorUnavailable(Exception):
    """The external editor could not be started or failed (Chinese message)."""


class Prompter(Protocol):
    """What the rest of selfcheck may ask of a person (see the module docstring)."""

    console: Console

    def ask(
        self,
        label: str,
        parse: Callable[[str], T],
        *,
        default: str | None = None,
        options: Sequence[str] = (),
        required: bool = True,
        multiline: bool = False,
        help: str | None = None,
        hint: str | None = None,
        nav: bool = False,
        empty: str = "跳过",
    ) -> T | None:
        """Ask once, re-asking until ``parse`` accepts; None when skipped."""
        ...

    def ask_text(
        self,
        label: str,
        *,
        default: str | None = None,
        required: bool = True,
        multiline: bool = False,
        help: str | None = None,
        hint: str | None = None,
        nav: bool = False,
        max_length: int | None = None,
    ) -> str | None:
        """Free text, cleaned of control characters; None when skipped."""
        ...

    def choose(
        self,
        label: str,
        options: Sequence[str],
        *,
        default: int | None = None,
        help: str | None = None,
        nav: bool = False,
        aliases: Callable[[str], int | None] | None = None,
    ) -> int:
        """The index of the chosen option (``aliases``: other words for the options)."""
        ...

    def confirm(
        self, label: str, *, default: bool | None = True, help: str | None = None, nav: bool = False
    ) -> bool:
        """A yes/no answer (``nav``: ``<`` and ``q`` raise like in :meth:`ask`)."""
        ...

    def say(self, text: str, style: str | None = None) -> None:
        """Print a line literally."""
        ...

    def saving_nothing(self, note: str) -> AbstractContextManager[None]:
        """Within, help and key hints say ``q`` and Ctrl-C leave without saving (``note``)."""
        ...


def parse_yes_no(text: str) -> bool:
    """是/否, y/n and friends; raises ValueError otherwise."""
    word = text.strip().lower()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise ValueError("请回答“是”或“否”（也可输入 y 或 n）")


def clean_line(text: str) -> str:
    """Free text as stored: control characters and escapes removed, trimmed."""
    return clean_text(text).strip()


@dataclass(frozen=True)
class QuestionSpec:
    """Everything :meth:`LinePrompter.ask` was told about one question."""

    label: str
    options: tuple[str, ...] = ()
    default: str | None = None
    required: bool = True
    multiline: bool = False
    help: str | None = None
    hint: str | None = None
    nav: bool = False
    empty: str = "跳过"
    show_default: bool = True


class LinePrompter:
    """All prompting logic on top of two primitives: read a line, edit a text.

    Subclasses implement :meth:`read_line` (raise ``EOFError`` or
    ``KeyboardInterrupt`` like ``input()``) and :meth:`edit_text`.
    """

    edits_in_place = False
    """True when :meth:`read_area` is a real multi-line editing area (the current
    answer is placed in it); False reads long text line by line, ending at an empty line."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self._nothing_saved: str | None = None
        """Set inside :meth:`saving_nothing`: what leaving now keeps (nothing), in words."""

    @contextlib.contextmanager
    def saving_nothing(self, note: str) -> Iterator[None]:
        """Within, ``?`` says ``q`` and Ctrl-C leave with ``note`` (no "已自动保存")."""
        before, self._nothing_saved = self._nothing_saved, note
        try:
            yield
        finally:
            self._nothing_saved = before

    # ---------------------------------------------------------- primitives

    def read_area(self, prompt: str, initial: str, keys: frozenset[str]) -> AreaResult:
        """A multi-line editing area holding ``initial`` (only when :attr:`edits_in_place`).

        A line holding only one of ``keys`` ends it with that key; raises
        :class:`TypingInterrupted` with the text on Ctrl-C/Ctrl-D.
        """
        raise NotImplementedError

    def read_line(self, prompt: str) -> str:
        """One line typed by the person, without its newline."""
        raise NotImplementedError

    def edit_text(self, initial: str) -> str:
        """Let the person edit ``initial`` in an editor; raise EditorUnavailable."""
        raise EditorUnavailable("没有可用的编辑器")

    # -------------------------------------------------------------- output

    def say(self, text: str, style: str | None = None) -> None:
        """Print text literally (user text is never read as markup), wrapped to the screen."""
        for line in wrap_text(text, self.console.width):
            self.console.print(Text(line, style=style or ""), soft_wrap=True)

    def _warn(self, text: str) -> None:
        self.say(text, "yellow")

    # --------------------------------------------------------------- asking

    def ask(
        self,
        label: str,
        parse: Callable[[str], T],
        *,
        default: str | None = None,
        options: Sequence[str] = (),
        required: bool = True,
        multiline: bool = False,
        help: str | None = None,
        hint: str | None = None,
        nav: bool = False,
        empty: str = "跳过",
    ) -> T | None:
        """See the module docstring."""
        spec = QuestionSpec(
            label, tuple(options), default, required, multiline, help, hint, nav, empty
        )
        return self._ask(spec, parse)

    def _ask(self, spec: QuestionSpec, parse: Callable[[str], T]) -> T | None:
        if spec.multiline and self.edits_in_place:
            return self._ask_in_area(spec, parse)
        self._show_question(spec)
        default = spec.default
        edited: str | None = None
        while True:
            line = self._read_checked(PROMPT)
            if line is None:
                continue
            key = line.strip()
            if key in HELP_KEYS:
                self._show_help(spec)
                continue
            if spec.nav and key in BACK_KEYS:
                raise GoBack
            if spec.nav and key in QUIT_KEYS:
                raise SaveAndQuit
            if key in CLEAR_KEYS and not spec.required:
                return None
            if spec.multiline and key in EDITOR_KEYS:
                try:
                    text = self.edit_text(edited if edited is not None else (default or ""))
                except EditorUnavailable as exc:
                    self._warn(f"{exc}。请直接在这里输入，空行结束。")
                    continue
                edited = text
                if not text.strip():
                    self._warn("编辑器中没有内容。")
                    continue
                self.say("（已从编辑器取回以下内容）", "dim")
                self.say(clean_text(text).strip())
            elif key == "":
                if default is not None:
                    text = default
                elif not spec.required:
                    return None
                else:
                    self._warn("这一题必须回答。" + ("输入 ? 查看说明。" if spec.help else ""))
                    continue
            else:
                text = line
                if spec.multiline:
                    rest = self._read_more_lines(line)
                    if rest is None:
                        continue
                    text = "\n".join([line, *rest])
            try:
                return parse(text)
            except ValueError as exc:
                self._warn(str(exc) or "输入无效，请重新输入。")
                if edited is not None:
                    self.say("再次输入 e 可继续在编辑器中修改。", "dim")

    def ask_text(
        self,
        label: str,
        *,
        default: str | None = None,
        required: bool = True,
        multiline: bool = False,
        help: str | None = None,
        hint: str | None = None,
        nav: bool = False,
        max_length: int | None = None,
    ) -> str | None:
        """Free text, cleaned of control characters; None when skipped."""

        def parse(text: str) -> str:
            value = clean_line(text)
            if not multiline:
                value = " ".join(value.split())
            if not value:
                raise ValueError("内容不能为空。")
            if max_length is not None and len(value) > max_length:
                raise ValueError(f"{too_long(max_length, len(value))}。")
            return value

        return self.ask(
            label,
            parse,
            default=default,
            required=required,
            multiline=multiline,
            help=help,
            hint=hint,
            nav=nav,
        )

    def choose(
        self,
        label: str,
        options: Sequence[str],
        *,
        default: int | None = None,
        help: str | None = None,
        nav: bool = False,
        aliases: Callable[[str], int | None] | None = None,
    ) -> int:
        """The index of the chosen option (by number or exact wording).

        ``aliases`` gives the index of an option another word names (None: no option),
        so a prompt accepts what the same choice accepts elsewhere (``--set …=done``).
        """

        def parse(text: str) -> int:
            word = clean_line(text)
            for index, option in enumerate(options):
                if word == option:
                    return index
            digits = word.translate(_FULLWIDTH_DIGITS)
            if digits.isdigit() and 1 <= int(digits) <= len(options):
                return int(digits) - 1
            aliased = aliases(word) if aliases is not None and word else None
            if aliased is not None:
                return aliased
            raise ValueError(f"请输入 1 到 {len(options)} 之间的编号，或选项的文字。")

        chosen = self.ask(
            label,
            parse,
            default=options[default] if default is not None else None,
            options=options,
            help=help,
            nav=nav,
        )
        assert chosen is not None  # required: never skipped
        return chosen

    def confirm(
        self, label: str, *, default: bool | None = True, help: str | None = None, nav: bool = False
    ) -> bool:
        """是/否; Enter gives ``default`` (or asks again when it is None)."""
        suffix = {True: "（是/否，回车 = 是）", False: "（是/否，回车 = 否）", None: "（是/否）"}[
            default
        ]
        spec = QuestionSpec(
            label + suffix,
            default=None if default is None else ("是" if default else "否"),
            help=help,
            nav=nav,
            show_default=False,
        )
        answer = self._ask(spec, parse_yes_no)
        assert answer is not None
        return answer

    # ------------------------------------------------------------- details

    def _read_checked(self, prompt: str) -> str | None:
        """A line, or None (after a message) when its bytes were not valid text."""
        try:
            line = self.read_line(prompt)
        except UnicodeDecodeError:
            line = "\udcff"
        if _UNDECODABLE.search(line):
            self._warn("刚才的输入含有无法识别的字符（终端的编码可能不是 UTF-8），请重新输入。")
            return None
        return line

    def _ask_in_area(self, spec: QuestionSpec, parse: Callable[[str], T]) -> T | None:
        """A long answer in the editing area: the current answer is in it to edit."""
        self._show_question(spec)
        keys = HELP_KEYS | EDITOR_KEYS | ((BACK_KEYS | QUIT_KEYS) if spec.nav else frozenset())
        text = spec.default or ""
        while True:
            got = self.read_area(PROMPT, text, keys)
            for note in got.notes:
                self._warn(note)
            text = clean_text(got.text)
            if _UNDECODABLE.search(got.text):
                self._warn(
                    "刚才的输入含有无法识别的字符（终端的编码可能不是 UTF-8），已去掉，请核对。"
                )
                continue
            if got.key in HELP_KEYS:
                self._show_help(spec)
                continue
            if got.key in BACK_KEYS:
                raise GoBack(text)
            if got.key in QUIT_KEYS:
                raise SaveAndQuit(text)
            if got.key in EDITOR_KEYS:
                try:
                    text = clean_text(self.edit_text(text))
                except EditorUnavailable as exc:
                    self._warn(f"{exc}。请直接在这里输入。")
                else:
                    self.say(f"（已从编辑器取回，核对后按 {FINISH_KEYS} 完成）", "dim")
                continue
            if not text.strip():
                if not spec.required:
                    return None
                self._warn("这一题必须回答。" + ("单独一行输入 ? 查看说明。" if spec.help else ""))
                continue
            try:
                return parse(text)
            except ValueError as exc:
                self._warn(str(exc) or "输入无效，请修改。")

    def _read_more_lines(self, first: str = "") -> list[str] | None:
        lines: list[str] = []
        while True:
            try:
                line = self._read_checked(CONTINUATION)
            except (KeyboardInterrupt, EOFError) as exc:
                typed = "\n".join([first, *lines])
                if isinstance(exc, EOFError):
                    raise TypingEnded(typed) from None
                raise TypingInterrupted(typed) from None
            if line is None:
                self._warn("这一段已放弃，请从第一行重新输入。")
                return None
            if line.strip() == "":
                return lines
            lines.append(line)

    def _show_question(self, spec: QuestionSpec) -> None:
        title = Text(spec.label, style="bold")
        said = any(word in spec.label for word in OPTIONAL_WORDS)
        if not spec.required and spec.empty == "跳过" and not said:
            title.append(OPTIONAL_MARK, style="dim")
        self.console.print(title)
        for number, option in enumerate(spec.options, start=1):
            line = Text(f"  {number}. ", style="cyan")
            line.append(option)
            self.console.print(line)
        default = spec.default
        in_area = spec.multiline and self.edits_in_place
        if in_area and default:
            self.say("  当前内容已放在下面的编辑区，可直接修改。", "green")
        elif default is not None and spec.show_default:
            if "\n" in default or len(default) > 40:
                self.say("  当前答案（直接回车保留）：", "green")
                for part in default.splitlines():
                    self.say(f"    {part}", "green")
            else:
                line = Text("  当前答案：", style="green")
                line.append(default, style="green")
                line.append("（直接回车保留）", style="dim")
                self.console.print(line)
        keys = []
        if spec.hint:
            keys.append(spec.hint)
        if in_area:
            self.say("  " + FINISH_HINT, "bold")
            if not spec.required:
                keys.append(f"编辑区为空时按 Enter {spec.empty}")
            keys.append("单独一行输入下列字符再按 Enter：e 用编辑器")
            if spec.help:
                keys.append("? 说明")
            if spec.nav:
                keys.append("< 上一步")
                keys.append(f"q {self._quit_word}")
            keys.append(f"Ctrl-C {self._quit_word}")
        else:
            if spec.multiline:
                keys.append("可输入多行，空行结束；首行输入 e 用编辑器")
            if not spec.required:
                keys.append(f"回车{spec.empty}" if default is None else "- 清空")
            if spec.help:
                keys.append("? 说明")
            if spec.nav:
                keys.append("< 上一步")
                keys.append(f"q {self._quit_word}")
        for hint in wrap_parts(keys, self.console.width, indent="  "):
            self.say(hint, "dim")

    def _show_help(self, spec: QuestionSpec) -> None:
        self.say(spec.help or "这一题没有补充说明。", "cyan")
        tips = []
        if spec.default is not None:
            tips.append("直接回车：保留当前答案")
        elif not spec.required:
            tips.append(f"直接回车：{spec.empty}")
        if not spec.required and spec.default is not None:
            tips.append("- ：清空答案")
        if spec.multiline and self.edits_in_place:
            tips.append(f"Enter 换行、另起一段；{FINISH_KEYS} 完成本题；方向键移动光标修改")
            tips.append("单独一行输入 e 再按 Enter 打开编辑器")
        elif spec.multiline:
            tips.append("多行输入以空行结束；首行输入 e 打开编辑器（$EDITOR）")
        if spec.nav:
            tips.append("< ：返回上一步")
        if self._nothing_saved is not None:
            if spec.nav:
                tips.append(f"q ：退出，{self._nothing_saved}")
            tips.append("Ctrl-C：同样退出" if spec.nav else f"Ctrl-C：退出，{self._nothing_saved}")
        else:
            if spec.nav:
                tips.append("q ：退出，已答的题都已自动保存")
            tips.append("Ctrl-C：同样退出，已答的题不会丢失")
        self.say("；".join(tips), "dim")

    @property
    def _quit_word(self) -> str:
        """What the key hints call leaving: 保存退出, or 退出 when nothing is saved."""
        return "退出" if self._nothing_saved is not None else "保存退出"


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


# ------------------------------------------------------------------ terminal


class TerminalPrompter(LinePrompter):
    """Reads from the real terminal.

    When standard input and output are both terminals, lines and long answers
    are read through :mod:`selfcheck.terminal_input` (prompt_toolkit): Chinese
    widths, cursor keys, bracketed paste and a multi-line editing area whose
    finishing key is shown (:attr:`edits_in_place`). Otherwise (input piped)
    ``input()`` reads line by line. Standard input decodes with
    ``surrogateescape`` so stray bytes (GBK in a UTF-8 terminal) are detected
    and asked again instead of crashing.
    """

    def __init__(self, console: Console) -> None:
        super().__init__(console)
        stdin = sys.stdin
        reconfigure = getattr(stdin, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(Exception):
                reconfigure(errors="surrogateescape")
        self.edits_in_place = _is_terminal(stdin) and _is_terminal(sys.stdout)
        if not self.edits_in_place and _is_terminal(stdin):
            with contextlib.suppress(ImportError):
                import readline  # noqa: F401 - line editing for input()

    def _flush(self) -> None:
        with contextlib.suppress(Exception):
            self.console.file.flush()
        sys.stdout.flush()

    def read_line(self, prompt: str) -> str:
        """One line (prompt_toolkit in a terminal, else ``input()``), after flushing output."""
        self._flush()
        if self.edits_in_place:
            from selfcheck.terminal_input import read_line

            return read_line(prompt)
        return input(prompt)

    def read_area(self, prompt: str, initial: str, keys: frozenset[str]) -> AreaResult:
        """The multi-line editing area of :mod:`selfcheck.terminal_input`."""
        self._flush()
        from selfcheck.terminal_input import read_area

        return read_area(prompt, initial, keys=keys)

    def edit_text(self, initial: str) -> str:
        """Open ``$VISUAL``/``$EDITOR`` (or a platform default) on a private temp file."""
        command = editor_command()
        if command is None:
            raise EditorUnavailable(
                "找不到文本编辑器（可设置环境变量 EDITOR，如 EDITOR=nano；Windows 上为记事本）"
            )
        note = editor_note(command)
        if note:
            self.say(note, "cyan")
            self._flush()
        folder = Path(tempfile.mkdtemp(prefix="selfcheck-"))
        path = folder / "answer.txt"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(initial)
            try:
                result = subprocess.run([*command, str(path)], check=False)
            except OSError as exc:
                raise EditorUnavailable(
                    f"无法启动编辑器 {command[0]}：{os_error_reason(exc)}"
                ) from None
            if result.returncode != 0:
                raise EditorUnavailable(
                    f"编辑器异常退出（代码 {result.returncode}），未采用其中的内容"
                )
            return decode_edited(path.read_bytes())
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def _is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except (OSError, ValueError):
        return False


def split_editor(value: str, *, windows: bool | None = None) -> list[str]:
    """``$EDITOR`` as a command: a path with spaces may be quoted (or be the whole value).

    ``"C:\\Program Files\\Notepad++\\notepad++.exe" -multiInst`` and
    ``'/opt/my editor/ed' -w`` both work; backslashes in Windows paths are kept.
    """
    value = value.strip()
    if windows is None:
        windows = os.name == "nt"
    if Path(value).is_file():
        return [value]  # an unquoted path with spaces, nothing else
    try:
        parts = shlex.split(value, posix=not windows)
    except ValueError:  # an unbalanced quote: take the value as one program name
        return [value.strip("\"'")]
    if windows:
        parts = [p[1:-1] if len(p) >= 2 and p[0] == p[-1] and p[0] in "\"'" else p for p in parts]
    return parts


DEFAULT_EDITORS = ("notepad",) if os.name == "nt" else ("nano", "vi")
"""Used when neither $VISUAL nor $EDITOR is set: 记事本 on Windows, else nano, else vi."""


def editor_command(environ: Mapping[str, str] | None = None) -> list[str] | None:
    """The editor to run: $VISUAL, $EDITOR, else :data:`DEFAULT_EDITORS` (first found)."""
    env = os.environ if environ is None else environ
    for name in ("VISUAL", "EDITOR"):
        value = env.get(name, "").strip()
        if value:
            return split_editor(value)
    for candidate in DEFAULT_EDITORS:
        found = shutil.which(candidate)
        if found:
            return [found]
    return None


def editor_note(command: Sequence[str], environ: Mapping[str, str] | None = None) -> str | None:
    """How to save and leave the default editor, in Chinese (None for the person's own $EDITOR)."""
    env = os.environ if environ is None else environ
    if any(env.get(name, "").strip() for name in ("VISUAL", "EDITOR")):
        return None
    name = re.split(r"[\\/]", command[0])[-1].lower().removesuffix(".exe")
    if name == "notepad":
        return "将用记事本打开答案：改好后按 Ctrl-S 保存，再关闭记事本，即回到这里。"
    if name == "nano":
        return "将用 nano 打开答案：改好后按 Ctrl-O 再按 Enter 保存，按 Ctrl-X 退出，即回到这里。"
    if name in ("vi", "vim"):
        return (
            "将用 vi 打开答案：先按 i 开始输入；改好后按 Esc，再输入 :wq 并按 Enter 保存退出"
            "（输入 :q! 并按 Enter 则放弃修改）。想换用其他编辑器，可设置环境变量 EDITOR。"
        )
    return None


def decode_edited(raw: bytes) -> str:
    """Text saved by an editor: UTF-8 (BOM allowed), else GB18030 (Notepad 'ANSI')."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")
