"""Chinese numerals and dates as 公文 write them.

- ``chinese_number(12)`` → ``十二`` (for 一是、二是 and （一）（二）);
- ``format_date(date(2008, 12, 1))`` → ``2008年12月1日`` (GB/T 9704-2012: Arabic, no padding);
- ``format_date(..., hanzi=True)`` → ``二〇〇八年十二月一日`` (the older style);
- ``starts_with_enumeration("1.建立台账")`` → True (the writer numbered it already).
"""

from __future__ import annotations

import re
from datetime import date

_DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """``n`` (1–9999) in Chinese numerals as counted: 一、十、十一、二十、一百零五."""
    if not 0 < n < 10000:
        raise ValueError(f"chinese_number supports 1..9999, not {n}")
    units = ["", "十", "百", "千"]
    digits = [int(d) for d in str(n)]
    out: list[str] = []
    zero_pending = False
    for position, digit in zip(range(len(digits) - 1, -1, -1), digits, strict=True):
        if digit == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(_DIGITS[digit] + units[position])
    text = "".join(out)
    # 一十 → 十 only at the start (十一, not 一十一), as in speech and 公文.
    return text[1:] if text.startswith("一十") else text


def part_number(n: int) -> str:
    """``一、`` — first-level heading number."""
    return f"{chinese_number(n)}、"


def group_number(n: int) -> str:
    """``（一）`` — second-level heading number."""
    return f"（{chinese_number(n)}）"


def point_ordinal(n: int) -> str:
    """``一是`` — the running count of points inside a paragraph group."""
    return f"{chinese_number(n)}是"


_CN = "[一二三四五六七八九十]{1,3}"
_DIGIT = "[0-9０-９]"
_CIRCLED = "\u2460-\u249b\u24eb-\u24ff\u2776-\u2793\u3220-\u3229\u3251-\u325f\u32b1-\u32bf"
_ENUMERATION = re.compile(
    "|".join(
        (
            f"{_CN}是",  # 一是
            f"{_CN}[、．.）)](?![一二三四五六七八九十])",  # 一、 一） (not 一、二季度)
            f"[第其]{_CN}[，,、：:是]",  # 第一， 其一，
            f"[（(](?:{_CN}|{_DIGIT}{{1,2}})[）)]",  # （一） (1)
            f"{_DIGIT}{{1,2}}[.．、)）](?!{_DIGIT})",  # 1. 1、 1） (not 1.5倍, 3、5月)
            f"[{_CIRCLED}]",  # ① ⑴ ⒈ ㈠ ❶
            "首先|其次",
        )
    )
)


def starts_with_enumeration(text: str) -> bool:
    """Whether ``text`` opens with the writer's own enumeration mark.

    一是 一、 一） （一） 第一， 其一， 1. 1、 1） (1) ① and 首先/其次 count: prefixing
    another ordinal would read ``一是一、…``. Numbers that open a plain sentence do
    not: 2009年, 1.5倍, 一、二季度, 3、5月份, 第一时间.
    """
    return _ENUMERATION.match(text.lstrip(" \t\u3000")) is not None


def format_date(value: date, *, hanzi: bool = False) -> str:
    """``2008年12月1日``, or ``二〇〇八年十二月一日`` with ``hanzi``."""
    if not hanzi:
        return f"{value.year}年{value.month}月{value.day}日"
    year = "".join(_DIGITS[int(d)] for d in str(value.year))
    return f"{year}年{chinese_number(value.month)}月{chinese_number(value.day)}日"
