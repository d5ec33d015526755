"""Wrapping Chinese text for the terminal.

Rich wraps at spaces only, so a Chinese sentence with one space in it breaks
at that space and leaves half a line empty, and a terminal left to itself breaks
anywhere (``selfcheck ru`` / ``n``). Here a break may fall between any two Chinese
characters, Latin words stay whole, a number keeps the character after it ("0 对",
"12 份") and a date its time, closing punctuation never starts a line, and
continuation lines hang under the first line's text. The prompter, the error
printer and the console use these functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rich.cells import cell_len
from rich.text import Text

_TOKEN = re.compile(
    r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(?::\d\d)? ?"  # a date with its time
    r"|\d[\d.,:%]* ?[\u3400-\u9fff]"  # a number with its 对、份、人
    r"|[A-Za-z0-9_./:\\\-\[\]@#%+=~]+ ?"  # a Latin word
    r"| +|.",
    re.DOTALL,
)
_NO_LINE_START = frozenset("，。、；：？！）》」』”’,.;:?!)]》〉…—%")
_BULLET = re.compile(r"^(\s*(?:[·•\-*]\s|\d+\.\s)?)")
_PATH_CHAR = r"[^\s，。；：、（）「」“”]"
_PATH = re.compile(rf"{_PATH_CHAR}*[/\\]{_PATH_CHAR}* ?")
"""A file path (a run with a ``/`` or ``\\``, Chinese folder names included): one token."""


def _tokens(text: str, room: int) -> Iterator[re.Match[str]]:
    """The tokens of ``text``: a path whole when it fits in ``room`` cells, a Latin word
    whole, a run of blanks, else one character."""
    at = 0
    for path in _PATH.finditer(text):
        yield from _TOKEN.finditer(text, at, path.start())
        if cell_len(path.group().rstrip(" ")) <= room:
            yield path
        else:
            yield from _TOKEN.finditer(text, path.start(), path.end())
        at = path.end()
    yield from _TOKEN.finditer(text, at)


def _line_spans(text: str, width: int, hang: int | None) -> tuple[str, list[tuple[int, int]]]:
    """Where one line of ``text`` breaks: the hang of continuation lines and the
    ``(start, end)`` of every output line in ``text`` (trailing blanks excluded).

    ``hang`` (in cells) is where continuation lines start; None hangs them under
    a leading indent or bullet.
    """
    if width < 8 or cell_len(text) <= width:
        return "", [(0, len(text))]
    if hang is None:
        prefix = _BULLET.match(text)
        hang = cell_len(prefix.group(1)) if prefix else 0
    indent = " " * min(hang, width // 2)
    lines: list[list[re.Match[str]]] = [[]]
    used = 0
    for match in _tokens(text, width - len(indent)):
        token = match.group()
        size = cell_len(token.rstrip(" ")) if token.strip() else cell_len(token)
        if used + size > width and lines[-1]:
            carried = []
            if token in _NO_LINE_START and len(lines[-1]) > 1:
                carried.append(lines[-1].pop())
            lines.append(carried)
            used = cell_len(indent) + sum(cell_len(t.group()) for t in carried)
            if not token.strip():
                continue  # no blank at the start of a continuation line
        lines[-1].append(match)
        used += cell_len(token)
    spans = []
    for tokens in lines:
        if not tokens:
            continue
        start, end = tokens[0].start(), tokens[-1].end()
        while end > start and text[end - 1] == " ":
            end -= 1
        if text[start:end].strip():
            spans.append((start, end))
    return indent, spans


def wrap_cells(text: str, width: int) -> list[str]:
    """Split one line of ``text`` into lines of at most ``width`` terminal cells."""
    indent, spans = _line_spans(text, width, None)
    return [(indent if i else "") + text[a:b] for i, (a, b) in enumerate(spans)]


def wrap_rich(text: Text, width: int, *, hang: int | None = None) -> list[Text]:
    """:func:`wrap_cells` for a styled :class:`~rich.text.Text` (styles kept), every
    line of it; continuation lines start at ``hang`` cells (None: under the indent)."""
    out: list[Text] = []
    for line in text.split("\n", allow_blank=True):
        indent, spans = _line_spans(line.plain, width, hang)
        for i, (a, b) in enumerate(spans or [(0, 0)]):
            piece = line[a:b]
            if i:
                piece = Text(indent) + piece
            out.append(piece)
    return out


def wrap_parts(parts: list[str], width: int, *, indent: str = "", sep: str = " · ") -> list[str]:
    """``parts`` joined by ``sep`` in lines of at most ``width`` cells, each line
    starting with ``indent``; a line breaks between parts (a key hint such as
    ``? 说明`` is never split), and only a part wider than a line is wrapped inside."""
    lines: list[str] = []
    line = ""
    for part in parts:
        joined = f"{line}{sep}{part}" if line else indent + part
        if not line or cell_len(joined) <= width:
            line = joined
            continue
        lines.append(line)
        line = indent + part
    if line:
        lines.append(line)
    return [piece for line in lines for piece in wrap_cells(line, width)]


def wrap_text(text: str, width: int) -> list[str]:
    """:func:`wrap_cells` for every line of ``text``."""
    out: list[str] = []
    for line in text.split("\n"):
        out.extend(wrap_cells(line, width) if line else [""])
    return out
