"""Text clean-up for the report: safe for XML (.docx), tidy for print, escaped for Markdown.

Everything that reaches a report, checklist wording and answers alike,
passes through :func:`report_text` first: control characters and anything
XML 1.0 forbids are removed, so no answer can yield a .docx that Word
refuses to open.
"""

from __future__ import annotations

import itertools
import re

from selfcheck.report.numerals import starts_with_enumeration
from selfcheck.textsafe import clean_text, text_lines

# XML 1.0 allows tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD and the supplementary planes.
_XML_INVALID = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’"
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_ASCII_PUNCT_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s*([,;:?!])\s*|\s*([,;:?!])\s*(?=[{_CJK}])")
_TERMINAL = (*"。！？；：…”’）」』》", ".", "!", "?", ")")
_TRAILING_SOFT = "。；;，,、 \t"


def report_text(value: object) -> str:
    """Any value as clean report text: no control or XML-invalid characters, NFC, trimmed."""
    text = clean_text("" if value is None else str(value))
    return _XML_INVALID.sub("", text).strip()


def cjk_punctuation(text: str) -> str:
    """Half-width , ; : ? ! next to Chinese text become their full-width forms.

    Checklists copied from web pages (and answers typed without the Chinese
    input method) often carry ASCII commas between Chinese words; on paper
    the full-width mark is correct. Commas between digits or Latin words stay.
    """

    def full(match: re.Match[str]) -> str:
        mark = match.group(1) or match.group(2)
        return _HALF_TO_FULL[mark]

    return _ASCII_PUNCT_NEAR_CJK.sub(full, text)


def paragraphs(value: object) -> list[str]:
    """Split free text into print paragraphs (one per non-blank line), tidied."""
    return [cjk_punctuation(line) for line in text_lines(report_text(value))]


def sentence(text: str, mark: str = "。") -> str:
    """``text`` closed with ``mark`` (。 or ；) unless it already ends a sentence."""
    if not text or text.endswith(_TERMINAL):
        return text
    return text.rstrip(_TRAILING_SOFT) + mark


def join_paragraphs(paras: list[str]) -> str:
    """Paragraphs run into one line where the layout has room for one line only.

    Chinese text takes no space between sentences: each paragraph but the last
    is closed with “。”, or with “；” before a paragraph the writer numbered
    (``1.建立台账；2.每周清理``); the last one is left as written.
    """
    closed = [
        sentence(text, "；" if starts_with_enumeration(following) else "。")
        for text, following in itertools.pairwise(paras)
    ]
    return "".join([*closed, *paras[-1:]])


def as_one_paragraph(value: object) -> str:
    """Free text for a place with room for one paragraph: its :func:`paragraphs` joined."""
    return join_paragraphs(paragraphs(value))


def open_end(text: str) -> str:
    """``text`` without a closing 。；， so a clause can follow it."""
    return text.rstrip(_TRAILING_SOFT)


_MD_INLINE = re.compile(r"([\\`*_<>|])")
_MD_BRACKETS = re.compile(r"([\[\]])")
_MD_LINK_SYNTAX = ("](", "]:", "][")
_MD_LINE_START = re.compile(r"^(\s*)([#>+\-=|~]|\d+[.)])")


def md_escape(value: object) -> str:
    """Escape text for Markdown so it renders literally (no links, HTML, emphasis, headings).

    Only the few ASCII characters Markdown acts on are backslash-escaped;
    Chinese text reads as plain text.
    """
    text = _MD_INLINE.sub(r"\\\1", str(value))
    if any(marker in text for marker in _MD_LINK_SYNTAX):
        # Brackets only make links next to ( : [ or a definition; escape them only then,
        # so 茂办发[2008]20号 stays readable.
        text = _MD_BRACKETS.sub(r"\\\1", text)
    lines = []
    for line in text.split("\n"):
        lines.append(_MD_LINE_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), line))
    return "\n".join(lines)


def _escape_marker(marker: str) -> str:
    if marker[0].isdigit():
        return marker[:-1] + "\\" + marker[-1]
    return "\\" + marker
