"""The order of names nobody put in order: units not on a roster.

By code point, 第一党支部、第二党支部 … 第十一党支部 come out as 第一、第七、第三、第九、
第二 …, because 一 (U+4E00) and 二 (U+4E8C) are not stored in counting order; and
第10科 comes before 第2科. :func:`natural_key` reads every run of Arabic digits
and every run of Chinese numerals as the number it writes, so names that differ
only in their numbers sort by those numbers. Ties (第02科 and 第2科) fall back
to the text itself, so the order is total and the same on every run.
"""

from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_ARABIC = "0123456789０１２３４５６７８９"
_RUN = re.compile(f"[{_ARABIC}]+|[零〇一二两三四五六七八九十百千]+")

Part = tuple[int, int | str]


def chinese_number(run: str) -> int:
    """The number a run of Chinese numerals writes: 十一 → 11, 二十三 → 23,
    一百零五 → 105; without 十百千, digit by digit (一〇五 → 105)."""
    if not any(ch in _UNITS for ch in run):
        value = 0
        for ch in run:
            value = value * 10 + _DIGITS[ch]
        return value
    total = 0
    digit: int | None = None
    for ch in run:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
    return total + (digit or 0)


def natural_key(text: str) -> tuple[tuple[Part, ...], str]:
    """Sort key: text runs compared as text, number runs (Arabic or Chinese) as numbers,
    a number before text at the same place; then the text itself."""
    parts: list[Part] = []
    at = 0
    for match in _RUN.finditer(text):
        if match.start() > at:
            parts.append((1, text[at : match.start()]))
        run = match.group()
        parts.append((0, int(run) if run[0] in _ARABIC else chinese_number(run)))
        at = match.end()
    if at < len(text):
        parts.append((1, text[at:]))
    return tuple(parts), text
