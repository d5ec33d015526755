"""Characters a Chinese input method, Word or a web page puts where ASCII is meant.

A checklist is typed in Notepad or WPS with a Chinese input method on, or pasted
from a Word document: a full-width ``：`` or ``＝``, a 全角空格, Word's
non-breaking space, curly quotes. They look like the ASCII character YAML and the
``when`` conditions need, and are not. :func:`lookalike` names such a character and
the one to type instead, so every message that meets one can say so the same way.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Lookalike:
    """A character that stands where an ASCII one was meant."""

    char: str
    name: str
    """What it is, in Chinese: ``全角空格``, ``中文引号 “``."""
    ascii: str
    """What to type instead: ``" "``, ``'"'``, ``"!="``."""

    @property
    def is_space(self) -> bool:
        """True for the blanks that are not the ordinary space."""
        return self.ascii == " "

    def advice(self) -> str:
        """``请改成半角的 =`` or ``请改成普通空格``: how to mend it."""
        return "请改成普通空格" if self.is_space else f"请改成半角的 {self.ascii}"


_SPACE_NAMES = {
    "\u3000": "全角空格",
    "\u00a0": "不间断空格（从 Word 或网页复制时常带入，看起来和空格一样）",
    "\u202f": "窄的不间断空格（从 Word 复制时常带入）",
}
_NAMED = {
    "“": ("中文引号", '"'),
    "”": ("中文引号", '"'),
    "‘": ("中文单引号", "'"),
    "’": ("中文单引号", "'"),
    "，": ("中文逗号", ","),
    "、": ("顿号", ","),
    "。": ("中文句号", "."),
    "【": ("中文方括号", "["),
    "】": ("中文方括号", "]"),
    "≠": ("不等号", "!="),
    "≥": ("大于等于号", ">="),
    "≤": ("小于等于号", "<="),
}


def lookalike(char: str) -> Lookalike | None:
    """What ``char`` is and what to type instead, when it stands in for ASCII: a
    full-width form (``：``, ``＝``, ``（``, ``Ａ``), an unusual blank, a curly quote, a
    Chinese comma, ``≠``. None for any other character (Chinese text included)."""
    if char in _SPACE_NAMES:
        return Lookalike(char, _SPACE_NAMES[char], " ")
    if unicodedata.category(char) == "Zs" and char != " ":
        return Lookalike(char, f"特殊空格 U+{ord(char):04X}（从 Word 复制时常带入）", " ")
    if char in _NAMED:
        name, ascii_char = _NAMED[char]
        return Lookalike(char, f"{name} {char}", ascii_char)
    if "\uff01" <= char <= "\uff5e":  # the full-width forms of ASCII ! to ~
        return Lookalike(char, f"全角字符 {char}", chr(ord(char) - 0xFEE0))
    return None


def first_lookalike(text: str) -> Lookalike | None:
    """The first character of ``text`` that :func:`lookalike` names, or None."""
    if text.isascii():
        return None
    return next((found for found in map(lookalike, text) if found is not None), None)
