"""Units nobody put in order (no roster) come in counting order: 第二 before 第十."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from selfcheck.summary.figures import unit_order
from selfcheck.summary.ordering import chinese_number, natural_key
from selfcheck.summary.roster import RosterEntry

_DIGIT = "零一二三四五六七八九"


def as_chinese(n: int) -> str:
    """How a unit's name writes ``n`` (1 … 9999): 十一, 二十三, 一百零五 (a test-side
    writer, independent of the reader under test)."""
    out = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            if zero and out:
                out += "零"
            out += ("" if (value == 10 and digit == 1 and not out) else _DIGIT[digit]) + unit
            zero = False
        elif out:
            zero = True
    return out


def test_the_writer_in_this_test_writes_what_people_write() -> None:
    assert [as_chinese(n) for n in (1, 10, 11, 20, 23, 105, 110, 2008)] == [
        "一", "十", "十一", "二十", "二十三", "一百零五", "一百一十", "二千零八",
    ]


@given(st.integers(1, 9999))
def test_chinese_numerals_read_as_the_number_they_write(n: int) -> None:
    assert chinese_number(as_chinese(n)) == n
    # digit by digit, as in 一〇五室
    digits = str.maketrans("0123456789", "〇一二三四五六七八九")
    assert chinese_number(str(n).translate(digits)) == n


_WORD = st.text(alphabet="党支部中队科室办公第局处", max_size=4)


@given(_WORD, _WORD, st.integers(1, 9999), st.integers(1, 9999), st.booleans())
def test_names_that_differ_in_a_number_sort_by_it(
    before: str, after: str, a: int, b: int, chinese: bool
) -> None:
    write = as_chinese if chinese else str
    first, second = before + write(a) + after, before + write(b) + after
    if a < b:
        assert natural_key(first) < natural_key(second)
    elif a == b:
        assert natural_key(first) == natural_key(second)


@given(st.lists(st.text(), max_size=8))
def test_any_names_have_one_total_order(names: list[str]) -> None:
    once = sorted(names, key=natural_key)
    assert sorted(reversed(names), key=natural_key) == once  # the same whatever came first
    assert sorted(once) == sorted(names)  # nothing lost or made up


def test_units_off_the_roster_follow_it_in_counting_order() -> None:
    roster = [RosterEntry("机关党委", "张三", "", "staff")]
    units = ["第十党支部", "第二党支部", "第十一党支部", "第一党支部", "机关党委", "第三党支部"]
    assert unit_order(roster, units) == [
        "机关党委", "第一党支部", "第二党支部", "第三党支部", "第十党支部", "第十一党支部",
    ]
    assert unit_order(None, ["第10科", "第2科", "第1科"]) == ["第1科", "第2科", "第10科"]
