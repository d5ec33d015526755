"""Reading from a real terminal with prompt_toolkit: one line, or a multi-line editing area.

Used only by :class:`selfcheck.prompter.TerminalPrompter` when both standard
input and output are terminals. prompt_toolkit measures Chinese characters as
two cells, understands bracketed paste (a pasted text arrives as one piece,
blank lines included) and drives Windows consoles as well as xterm-likes.

:func:`read_line`
    One line; Enter finishes. A paste with line breaks becomes one line.
:func:`read_area`
    A multi-line editing area holding ``initial``. Enter starts a new line
    (a new paragraph); Esc then Enter (Alt-Enter in most terminals) finishes.
    A line holding only one of ``keys`` (``q``, ``<``, ``?``…) followed by
    Enter is a command: that line is taken out and the rest of the text comes
    back with the key. Enter in an empty area finishes it (nothing is lost).

Ctrl-C and Ctrl-D raise :class:`~selfcheck.inputs.TypingInterrupted` and
:class:`~selfcheck.inputs.TypingEnded` carrying the text typed so
far (Ctrl-D in an empty single line raises ``EOFError``, like ``input()``).
Pasted text is cleaned of control characters and escape sequences as it
arrives (:func:`selfcheck.textsafe.clean_text`, with a note); a paste holding
bytes that are not UTF-8, or one that would take the text past
:data:`AREA_LIMIT` characters, is refused with the reason (and the limit).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from prompt_toolkit import PromptSession
from prompt_toolkit.application import run_in_terminal
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.keys import Keys
from prompt_toolkit.output import Output, create_output
from prompt_toolkit.output.vt100 import Vt100_Output

from selfcheck.inputs import AreaResult, TypingEnded, TypingInterrupted
from selfcheck.textsafe import clean_text

AREA_LIMIT = 20_000
"""The longest text one answer may hold, in characters (about 13 printed pages)."""


_UNDECODABLE = re.compile("[\udc80-\udcff]")
UNDECODABLE_PASTE = (
    "粘贴的内容中有无法识别的字节（复制来源的编码可能不是 UTF-8），未粘贴。"
    "请先把文字另存为 UTF-8，或在这里直接输入。"
)


def _cleaned_paste(data: str) -> tuple[str, int]:
    """The pasted text without control characters and escapes, and how many were removed."""
    data = data.replace("\r\n", "\n").replace("\r", "\n")
    cleaned = clean_text(data)
    return cleaned, max(0, len(data) - len(cleaned))


def _tell(note: str) -> None:
    """Show ``note`` above the editing area, now."""
    run_in_terminal(lambda: print(note, flush=True))


def _output() -> Output:
    """The terminal output, without cursor position requests.

    prompt_toolkit asks the terminal where the cursor is (CPR) to size a bottom
    toolbar; a terminal that never answers (pexpect, some consoles) delays
    every answer by a second and gets an English warning, and an answer that
    arrives late over a slow link lands in the next input as ``^[[12;1R``.
    The finishing key is printed above the area instead of in a toolbar.
    """
    output = create_output()
    if isinstance(output, Vt100_Output):
        output.enable_cpr = False
    return output


def _session(message: str, *, multiline: bool, bindings: KeyBindings) -> PromptSession[str]:
    session: PromptSession[str] = PromptSession(
        FormattedText([("bold", message)]),
        multiline=multiline,
        key_bindings=bindings,
        history=InMemoryHistory(),  # fresh and empty: Up never recalls an earlier answer
        enable_history_search=False,
        complete_while_typing=False,
        mouse_support=False,
        wrap_lines=True,
        reserve_space_for_menu=0,  # no completion menu: no blank lines under the text
        # Every paragraph starts with the prompt; a line that merely wraps is indented.
        prompt_continuation=lambda width, line, wrap: " " * width if wrap else message,
        output=_output(),
    )
    session.app.timeoutlen = None  # type: ignore[assignment]  # Esc, a pause, then Enter still finishes
    return session


def read_line(message: str, *, limit: int = AREA_LIMIT) -> str:
    """One line from the terminal; Enter finishes, Ctrl-C interrupts, Ctrl-D on empty is EOF."""
    bindings = KeyBindings()

    @bindings.add("c-c")
    def _interrupt(event: KeyPressEvent) -> None:
        event.app.exit(exception=TypingInterrupted(event.current_buffer.text))

    @bindings.add("c-d")
    def _eof(event: KeyPressEvent) -> None:
        text = event.current_buffer.text
        event.app.exit(exception=EOFError() if not text else TypingEnded(text))

    @bindings.add(Keys.BracketedPaste)
    def _paste(event: KeyPressEvent) -> None:
        if _UNDECODABLE.search(event.data):
            _tell(UNDECODABLE_PASTE)
            return
        data, _ = _cleaned_paste(event.data)
        data = " ".join(data.split())
        if len(event.current_buffer.text) + len(data) > limit:
            _tell(f"粘贴的内容有 {len(data)} 个字，超过上限 {limit} 个字，未粘贴。")
            return
        event.current_buffer.insert_text(data)

    return _session(message, multiline=False, bindings=bindings).prompt()


def read_area(
    message: str,
    initial: str = "",
    *,
    keys: Collection[str] = (),
    limit: int = AREA_LIMIT,
) -> AreaResult:
    """The multi-line editing area (see the module docstring)."""
    bindings = KeyBindings()
    result = AreaResult("")

    def finish(event: KeyPressEvent, key: str | None = None) -> None:
        buffer = event.current_buffer
        text = buffer.text
        if key is not None:
            lines = text.split("\n")
            del lines[buffer.document.cursor_position_row]
            text = "\n".join(lines)
        result.text, result.key = text, key
        event.app.exit(result="")

    @bindings.add("escape", "enter")
    def _finish(event: KeyPressEvent) -> None:
        finish(event)

    @bindings.add("enter")
    def _enter(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        word = buffer.document.current_line.strip()
        if word and word in keys:
            finish(event, word)
        elif not buffer.text.strip():
            finish(event)
        else:
            buffer.insert_text("\n")

    @bindings.add("c-c")
    def _interrupt(event: KeyPressEvent) -> None:
        event.app.exit(exception=TypingInterrupted(event.current_buffer.text))

    @bindings.add("c-d")
    def _eof(event: KeyPressEvent) -> None:
        event.app.exit(exception=TypingEnded(event.current_buffer.text))

    @bindings.add(Keys.BracketedPaste)
    def _paste(event: KeyPressEvent) -> None:
        if _UNDECODABLE.search(event.data):
            _tell(UNDECODABLE_PASTE)
            return
        data, removed = _cleaned_paste(event.data)
        if len(event.current_buffer.text) + len(data) > limit:
            _tell(
                f"粘贴的内容有 {len(data)} 个字，本题最多 {limit} 个字，未粘贴。"
                "请删减后再粘贴，或分成几题填写。",
            )
            return
        if removed:
            _tell(f"粘贴的内容中有 {removed} 个控制字符或无法识别的字节，已去掉。")
        event.current_buffer.insert_text(data)

    _session(message, multiline=True, bindings=bindings).prompt(default=initial)
    return result
