"""Line wrapping that suits Chinese text in a terminal.

Rich wraps at spaces only, so a Chinese sentence with one space in it breaks
at that space and leaves half a line empty. Here a break may fall between
any two Chinese characters, Latin words stay whole, closing punctuation never
starts a line, and continuation lines hang under the first line's text.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

_TOKEN = re.compile(r"[A-Za-z0-9_./:\\\-\[\]@#%+=~]+ ?| +|.", re.DOTALL)
_NO_LINE_START = frozenset("，。、；：？！）》」』”’,.;:?!)]》〉…—%")
_BULLET = re.compile(r"^(\s*(?:[·•\-*]\s|\d+\.\s)?)")


def wrap_cells(text: str, width: int) -> list[str]:
    """Split one line of ``text`` into lines of at most ``width`` terminal cells."""
    if width < 8 or cell_len(text) <= width:
        return [text]
    prefix = _BULLET.match(text)
    hang = " " * cell_len(prefix.group(1)) if prefix else ""
    tokens = _TOKEN.findall(text)
    lines: list[list[str]] = [[]]
    used = 0
    for token in tokens:
        size = cell_len(token.rstrip(" ")) if token.strip() else cell_len(token)
        if used + size > width and lines[-1]:
            carried: list[str] = []
            if token in _NO_LINE_START and len(lines[-1]) > 1:
                carried.append(lines[-1].pop())
            lines.append([hang, *carried])
            used = sum(cell_len(t) for t in lines[-1])
            if not token.strip():
                continue  # no blank at the start of a continuation line
        lines[-1].append(token)
        used += cell_len(token)
    return ["".join(parts).rstrip(" ") for parts in lines if "".join(parts).strip()]


def wrap_text(text: str, width: int) -> list[str]:
    """:func:`wrap_cells` for every line of ``text``."""
    out: list[str] = []
    for line in text.split("\n"):
        out.extend(wrap_cells(line, width) if line else [""])
    return out
