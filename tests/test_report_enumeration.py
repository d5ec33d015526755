"""The writer's own enumeration (一是, 1., 一、…) and running paragraphs together.

:func:`starts_with_enumeration` decides whether the material may put its own
一是 in front of a cadre's text; :func:`join_paragraphs` puts several paragraphs
where the layout has room for one, with Chinese punctuation and no space.
"""

from __future__ import annotations

import functools
import itertools
import re
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from selfcheck.checklist.loader import load_checklist
from selfcheck.checklist.model import Checklist
from selfcheck.report.model import build_report
from selfcheck.report.numerals import (
    chinese_number,
    group_number,
    part_number,
    point_ordinal,
    starts_with_enumeration,
)
from selfcheck.report.text import as_one_paragraph, join_paragraphs
from selfcheck.response import load_response, replace

FIXTURES = Path(__file__).parent / "fixtures"
HANZI_DIGITS = "一二三四五六七八九十"
MARK_STARTS = set(HANZI_DIGITS + "第其首（(0123456789０１２３４５６７８９")
BLANKS = st.text(alphabet=" \t\u3000", max_size=3)
WORDS = st.text(
    alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=12
)
"""Chinese text without punctuation."""
PLAIN = WORDS.filter(lambda t: t[0] not in MARK_STARTS)
"""Chinese text that cannot open with an enumeration mark."""
TAIL = st.text(max_size=20)
NUMBERS = st.integers(min_value=1, max_value=99)


def _marks(n: int) -> list[str]:
    """Every way a writer (or the material itself) numbers the ``n``-th point."""
    hanzi = chinese_number(n)
    marks = [point_ordinal(n), group_number(n), f"第{hanzi}，", f"({n})", f"（{n}）"]
    marks += [f"{n}.", f"{n}、", f"{n}）", f"{n})", f"{hanzi}）"]
    if n <= 20:
        marks += [chr(0x2460 + n - 1), chr(0x2474 + n - 1)]  # ① ⑴
    return marks


@given(NUMBERS, PLAIN | st.just(""))
def test_every_mark_the_material_or_a_writer_uses_is_recognised(n: int, rest: str) -> None:
    for mark in [*_marks(n), part_number(n)]:
        assert starts_with_enumeration(mark + rest), mark + rest


@given(BLANKS, TAIL)
def test_blanks_before_the_text_do_not_matter(blanks: str, text: str) -> None:
    assert starts_with_enumeration(blanks + text) == starts_with_enumeration(text)


@given(PLAIN, TAIL)
def test_text_that_opens_with_a_word_is_not_enumerated(word: str, rest: str) -> None:
    assert not starts_with_enumeration(word + rest)


@given(
    st.one_of(
        st.integers(1000, 2100).map(lambda y: f"{y}年"),
        st.tuples(NUMBERS, st.integers(0, 9)).map(lambda t: f"{t[0]}.{t[1]}倍"),
        st.tuples(NUMBERS, NUMBERS).map(lambda t: f"{t[0]}、{t[1]}月份"),
        st.tuples(NUMBERS, NUMBERS).map(
            lambda t: f"{chinese_number(t[0])}、{chinese_number(t[1])}季度"
        ),
    ),
    TAIL,
)
def test_a_number_that_opens_a_plain_sentence_is_not_a_mark(number: str, rest: str) -> None:
    assert not starts_with_enumeration(number + rest)


def test_connectives_that_number_a_sequence_count() -> None:
    for text in ("首先是学习不够", "其次，服务意识淡薄", "其一，学习不够", "第一，加强学习"):
        assert starts_with_enumeration(text), text
    for text in ("第一时间回应群众诉求", "其他方面", "一些同志反映", "十分重视", "最后一公里"):
        assert not starts_with_enumeration(text), text


# ----------------------------------------------------------------- join_paragraphs


@given(st.lists(WORDS, min_size=1, max_size=6))
def test_joined_paragraphs_are_one_line_closed_by_chinese_marks(paras: list[str]) -> None:
    joined = join_paragraphs(paras)
    assert "\n" not in joined and " " not in joined
    assert re.split("[。；]", joined) == paras


@given(st.lists(st.tuples(st.booleans(), WORDS), min_size=2, max_size=6))
def test_a_numbered_paragraph_follows_a_semicolon(items: list[tuple[bool, str]]) -> None:
    paras = [f"{k}.{w}" if numbered else w for k, (numbered, w) in enumerate(items, start=1)]
    joined = join_paragraphs(paras)
    for para, following in itertools.pairwise(paras):
        mark = "；" if starts_with_enumeration(following) else "。"
        assert f"{para}{mark}{following}" in joined


@given(WORDS, st.sampled_from("。！？；："))
def test_a_paragraph_that_ends_a_sentence_keeps_its_mark(text: str, mark: str) -> None:
    assert join_paragraphs([text + mark, "下一段"]) == f"{text}{mark}下一段"


def test_joining_examples() -> None:
    assert join_paragraphs([]) == ""
    assert join_paragraphs(["立即整改"]) == "立即整改"
    assert join_paragraphs(["立即整改", "补充的第二段"]) == "立即整改。补充的第二段"
    assert join_paragraphs(["建立台账，", "2.每周清理"]) == "建立台账；2.每周清理"
    assert as_one_paragraph("1.建立来信台账，每周清理。\n  2.每季度下基层 ") == (
        "1.建立来信台账，每周清理。2.每季度下基层"
    )


# ----------------------------------------------------------------- the rule in the material

PROBLEM_TEXTS = st.one_of(
    PLAIN,
    st.tuples(NUMBERS, PLAIN).map(lambda t: f"{t[0]}.{t[1]}"),
    st.tuples(NUMBERS, PLAIN).map(lambda t: f"{point_ordinal(t[0])}{t[1]}"),
    st.tuples(PLAIN, NUMBERS, PLAIN).map(lambda t: f"{t[0]}\n{point_ordinal(t[1])}{t[2]}"),
)


@functools.cache
def _zuofeng() -> Checklist:
    return load_checklist(
        Path(__file__).resolve().parent.parent / "checklists" / "zuofeng-2008.yaml"
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(PROBLEM_TEXTS, min_size=1, max_size=4))
def test_a_list_is_numbered_by_the_material_or_by_the_writer_never_both_and_one_point_not(
    texts: list[str],
) -> None:
    checklist = _zuofeng()
    items = [i.id for i in checklist.sections[1].items]  # 工作作风: four items
    answers = {
        item: {"rating": "some", "manifestation": text, "measure": "整改"}
        for item, text in zip(items, texts, strict=False)
    }
    base = load_response(FIXTURES / "report_leader.json")
    view = build_report(replace(base, answers=answers), checklist, today=date(2009, 1, 15))
    points = view.parts[0].groups[1].points
    own = any(starts_with_enumeration(line) for text in texts for line in text.split("\n"))
    numbered = not own and len(points) > 1  # a lone point has no 一是 either
    ordinals = [point_ordinal(n) for n in range(1, len(points) + 1)]
    expected = ordinals if numbered else [""] * len(points)
    assert [p.ordinal for p in points] == expected
