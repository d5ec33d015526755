"""Rich consoles with user text treated literally, on any console encoding.

Markup, emoji codes and highlighting are off: a user's ``[/]`` or ``:smile:``
prints as typed. Style output with ``rich.text.Text`` and style arguments.

A Chinese Windows PC writes redirected output (``> v.txt``) in GBK (cp936),
which has no ``✓``. :func:`protect_standard_streams` makes stdout and stderr
print a look-alike that the encoding has (``√``), or ``?``, instead of failing
with UnicodeEncodeError. It works at the stream, so every message is covered.
"""

from __future__ import annotations

import codecs
import sys
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

    from rich.console import Console, ConsoleOptions, RenderableType
    from rich.segment import Segment

FALLBACK_ERRORS = "selfcheck-fallback"
"""Name of the codec error handler that substitutes unencodable symbols."""

LOOK_ALIKES: dict[str, tuple[str, ...]] = {
    "\u2713": ("√", "v"),  # ✓
    "\u2714": ("√", "v"),  # ✔
    "\u2705": ("√", "v"),  # ✅
    "\u2717": ("×", "x"),  # ✗
    "\u2718": ("×", "x"),  # ✘
    "\u274c": ("×", "x"),  # ❌
    "\u2022": ("·", "*"),  # •
    "\u26a0": ("！", "!"),  # ⚠
    "\u25b6": ("→", ">"),  # ▶
    "\u25b8": ("→", ">"),  # ▸
    "\u25ba": ("→", ">"),  # ►
    "\u2591": ("#",),  # ░
    "\u2592": ("#",),  # ▒
    "\u2014": ("—", "-"),  # —
    "\u2026": ("…", "..."),  # …
    "\u00b7": ("·", "."),  # ·
    "\u201c": ("“", '"'),
    "\u201d": ("”", '"'),
}
"""Symbols the output uses, and what to print where the console can't encode them."""


def _substitute(char: str, encoding: str) -> str:
    for candidate in LOOK_ALIKES.get(char, ()):
        try:
            candidate.encode(encoding)
        except UnicodeEncodeError:
            continue
        return candidate
    return "?"


def _fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(_substitute(char, error.encoding) for char in text), error.end


codecs.register_error(FALLBACK_ERRORS, _fallback)


def _needs_fallback(stream: IO[str] | None) -> bool:
    encoding = getattr(stream, "encoding", None)
    if not encoding or getattr(stream, "errors", "strict") != "strict":
        return False
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return not name.startswith("utf")


def protect_standard_streams() -> None:
    """Let stdout and stderr print anything, whatever their encoding (idempotent)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and _needs_fallback(stream):
            try:
                reconfigure(errors=FALLBACK_ERRORS)
            except (ValueError, OSError):  # pragma: no cover - a closed or odd stream
                continue


def write_document(file: IO[str], text: str) -> None:
    """Write a document (JSON, YAML, CSV) to ``file`` exactly, as UTF-8 even on a GBK console.

    ``checklist schema > schema.json`` must give the UTF-8 file that editors and
    selfcheck itself read, not a GBK one, so where ``file`` is a byte stream in
    another encoding the UTF-8 bytes go to its buffer (as ``summary`` does).
    """
    if not text.endswith("\n"):
        text += "\n"
    buffer = getattr(file, "buffer", None)
    encoding = getattr(file, "encoding", None) or "utf-8"
    if buffer is not None and not codecs.lookup(encoding).name.startswith("utf"):
        file.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
        return
    file.write(text)
    file.flush()


_LITERAL_CONSOLE: type[Console] | None = None


def _wrapped(obj: Any, width: int) -> Any:
    """``obj`` with a wrappable Text paragraph broken into lines that fit ``width``."""
    from rich.text import Text

    from selfcheck.wrapping import wrap_rich

    if not isinstance(obj, Text) or obj.no_wrap or obj.overflow in ("ellipsis", "ignore"):
        return obj
    lines = wrap_rich(obj, width)
    if len(lines) == 1:
        return obj
    return Text("\n", justify=obj.justify, end=obj.end).join(lines)


def _literal_console_class() -> type[Console]:
    """The Console subclass (made once, on first use, so rich loads only when needed)."""
    global _LITERAL_CONSOLE
    if _LITERAL_CONSOLE is not None:
        return _LITERAL_CONSOLE
    from rich.console import Console
    from rich.segment import Segment

    from selfcheck.textsafe import clean_text, has_control_chars

    class LiteralConsole(Console):
        """A Console whose text segments never carry escape sequences or control characters.

        A name, a unit or an item id read from a response file reaches the terminal in
        tables and headings; whatever the caller forgot to clean, this removes. The
        styles rich adds itself are applied later, from each segment's style."""

        def print(self, *objects: Any, **options: Any) -> None:
            """As rich prints, but on a screen a :class:`~rich.text.Text` paragraph is
            wrapped for Chinese (:mod:`selfcheck.wrapping`): rich breaks only at spaces
            (a short line before a long Chinese run, a line starting with ``：``), and a
            terminal left to itself breaks inside words. In a pipe, rich's own wrapping."""
            if self.is_terminal and not options.get("no_wrap"):
                objects = tuple(_wrapped(o, self.width) for o in objects)
            super().print(*objects, **options)

        def render(
            self, renderable: RenderableType, options: ConsoleOptions | None = None
        ) -> Iterator[Segment]:
            for segment in super().render(renderable, options):
                text = segment.text
                if segment.control is None and not text.isprintable() and has_control_chars(text):
                    yield Segment(clean_text(text), segment.style)
                else:
                    yield segment

    _LITERAL_CONSOLE = LiteralConsole
    return LiteralConsole


def make_console(
    *,
    stderr: bool = False,
    record: bool = False,
    width: int | None = None,
    file: IO[str] | None = None,
) -> Console:
    """A Console that never interprets markup in what it prints, and never prints an
    escape sequence or control character that came with the text."""
    protect_standard_streams()
    return _literal_console_class()(
        stderr=stderr,
        markup=False,
        emoji=False,
        highlight=False,
        record=record,
        width=width,
        file=file,
    )
