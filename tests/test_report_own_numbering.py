"""A cadre's own numbering and paragraphs on paper, in every format.

Cadres write 一是…, 1.…, 一、… themselves. The material must not print a second
ordinal in front (一是一是…, 一是1.…), must not let its own 二是 follow the
cadre's 二是, and must not run two paragraphs together with a Latin space
(``每周清理。 2.每季度``), in Markdown (as rendered), HTML and Word alike.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from markdown_it import MarkdownIt

from selfcheck.checklist.model import Checklist
from selfcheck.report.api import render_bytes
from selfcheck.report.model import ReportView, build_report
from selfcheck.response import (
    CarriedProblem,
    PreviousRound,
    RectifyEntry,
    Response,
    load_response,
    replace,
)
from selfcheck.rules import CarryState, Status

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2009, 1, 15)
FORMATS = ["md", "html", "docx"]

ANSWERS: dict[str, dict[str, Any]] = {
    "thinking-1": {  # 具体表现 numbered 一是二是三是 in paragraphs; measure numbered 一、二、
        "rating": "some",
        "manifestation": "一是满足于完成领导交办的任务，对照先进地区的做法主动研究不够。\n"
        "二是学习新知识的主动性不强。\n"
        "三是工作标准不高，有时以“差不多”代替“高标准”。",
        "cause": "理论学习不够系统",
        "cause_category": "ideals",
        "measure": "一、加强理论学习，每月至少精读一本业务书籍。\n"
        "二、主动对标先进地区，每季度提出一条改进建议",
        "deadline": "2009-06-30",
    },
    "thinking-2": {  # plain text in the same section; a two-paragraph measure
        "rating": "some",
        "manifestation": "对新情况新问题缺少深入思考",
        "cause": "宗旨意识不强",
        "cause_category": "purpose",
        "measure": "立即整改\n在编辑器里补充的第二段：建立群众来信台账，每周清理一次",
        "deadline": "2099-12-31",
    },
    "work-1": {  # one paragraph numbered 一是; a measure numbered 1. 2.
        "rating": "some",
        "manifestation": "一是办理群众来信拖拉，个别来信超过答复时限",
        "cause": "服务意识淡薄",
        "cause_category": "purpose",
        "measure": "1.建立来信台账，每周清理。\n2.每季度下基层不少于一次",
        "deadline": "2009-03-31",
    },
    "work-2": {
        "rating": "some",
        "manifestation": "窗口服务有时态度生硬",
        "cause": "对群众感情不深",
        "cause_category": "purpose",
        "measure": "推行首问负责制和限时办结制",
        "deadline": "2009-02-28",
    },
    "study-1": {  # nobody numbered anything here: 一是、二是 as always
        "rating": "some",
        "manifestation": "学习不够系统",
        "cause": "放松了学习",
        "cause_category": "ability",
        "measure": "制定个人学习计划",
        "deadline": "2009-12-31",
    },
    "study-2": {
        "rating": "some",
        "manifestation": "学用结合不够",
        "cause": "学用脱节",
        "cause_category": "ability",
        "measure": "每季度撰写一篇调研报告",
        "deadline": "2009-12-31",
    },
}


def _entry(item: str, status: str, note: str, day: int) -> RectifyEntry:
    return RectifyEntry(
        item=item,
        status=Status(status),
        date=date(2009, 1, day),
        note=note,
        recorded_at=datetime(2009, 1, day, 9, tzinfo=timezone.utc),
    )


@pytest.fixture
def response() -> Response:
    """A staff member's response with the texts a tester printed, and progress on them."""
    base = load_response(FIXTURES / "report_leader.json")
    return replace(
        base,
        answers=ANSWERS,
        respondent=replace(base.respondent, role="staff"),
        rectification=[
            _entry("work-1", "整改中", "台账已建立", 10),
            # A note with a line break (a hand-edited file): one line on paper, no space.
            _entry("thinking-1", "已完成", "已读完一本书\n心得已交支部", 12),
        ],
    )


def _view(response: Response, checklist: Checklist) -> ReportView:
    return build_report(response, checklist, today=TODAY)


class _Blocks(HTMLParser):
    """Headings and paragraphs of HTML as (tag, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[tuple[str, str]] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("p", "h1", "h2", "h3"):
            self._open = tag
            self.blocks.append((tag, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            tag, text = self.blocks[-1]
            self.blocks[-1] = (tag, text + data)


def _html_blocks(html: str) -> list[tuple[str, str]]:
    parser = _Blocks()
    parser.feed(html)
    return [("h" if tag.startswith("h") else "p", text) for tag, text in parser.blocks]


def blocks(view: ReportView, fmt: str) -> list[tuple[str, str]]:
    """The material as printed: ("h", heading) and ("p", paragraph), in order.

    Markdown is read as a Markdown viewer shows it (rendered), so an escape
    such as ``1\\.`` counts as the ``1.`` a reader sees.
    """
    data = render_bytes(view, fmt)
    if fmt == "docx":
        document = Document(io.BytesIO(data))
        return [
            ("h" if p.style.name.startswith(("Heading", "Title")) else "p", p.text)
            for p in document.paragraphs
            if p.text
        ]
    text = data.decode("utf-8")
    return _html_blocks(MarkdownIt().render(text) if fmt == "md" else text)


def body(view: ReportView, fmt: str) -> list[list[str]]:
    """The paragraphs under each heading of the parts (一、…, （一）…)."""
    runs: list[list[str]] = []
    for kind, text in blocks(view, fmt):
        if kind == "h":
            runs.append([])
        elif runs:
            runs[-1].append(text)
    return runs


_ORDINAL = re.compile(r"^[一二三四五六七八九十]+是")
_SECOND_MARK = re.compile(r"^[一二三四五六七八九十]+是(?:[一二三四五六七八九十]+[是、]|[0-9（(①])")
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”"
_LATIN_SPACE = re.compile(rf"[{_CJK}][ \t]+|[ \t]+[{_CJK}]")


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_ordinal_in_front_of_the_cadres_own(
    zuofeng: Checklist, response: Response, fmt: str
) -> None:
    paragraphs = [p for run in body(_view(response, zuofeng), fmt) for p in run]
    doubled = [p for p in paragraphs if _SECOND_MARK.match(p)]
    assert doubled == [], doubled
    for written in (
        "一是满足于完成领导交办的任务，对照先进地区的做法主动研究不够。",
        "一是办理群众来信拖拉，个别来信超过答复时限。",
        "一、加强理论学习，每月至少精读一本业务书籍。",
        "1.建立来信台账，每周清理。",
    ):
        assert written in paragraphs, (written, paragraphs)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_ordinal_never_repeats_under_one_heading(
    zuofeng: Checklist, response: Response, fmt: str
) -> None:
    for run in body(_view(response, zuofeng), fmt):
        ordinals = [m.group(0) for p in run if (m := _ORDINAL.match(p))]
        assert len(ordinals) == len(set(ordinals)), run


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_list_nobody_numbered_is_numbered_as_before(
    zuofeng: Checklist, response: Response, fmt: str
) -> None:
    runs = body(_view(response, zuofeng), fmt)
    study = next(run for run in runs if run and run[0].endswith("学习不够系统。"))
    assert study == ["一是学习不够系统。", "二是学用结合不够。"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_paragraphs_are_never_joined_with_a_latin_space(
    zuofeng: Checklist, response: Response, fmt: str
) -> None:
    paragraphs = [p for run in body(_view(response, zuofeng), fmt) for p in run]
    spaced = [p for p in paragraphs if _LATIN_SPACE.search(p)]
    assert spaced == [], spaced


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_measure_keeps_its_paragraphs_in_the_rectification_part(
    zuofeng: Checklist, response: Response, fmt: str
) -> None:
    printed = [text for _, text in blocks(_view(response, zuofeng), fmt)]
    rectified = printed[printed.index("四、整改情况") :]
    first = rectified.index("1.建立来信台账，每周清理。")
    assert rectified[first + 1] == (
        "2.每季度下基层不少于一次（整改时限：2009年3月31日前）。"
        "整改进展：整改中（2009年1月10日）。台账已建立。"
    )
    second = rectified.index("立即整改")
    assert rectified[second + 1].startswith("在编辑器里补充的第二段：建立群众来信台账")
    assert "已完成（2009年1月12日）。已读完一本书。心得已交支部。" in "".join(rectified)


def test_the_previous_round_runs_paragraphs_together_with_chinese_punctuation(
    zuofeng: Checklist, response: Response
) -> None:
    carried = CarriedProblem(
        previous_item="work-1",
        item="work-1",
        section="工作作风",
        label="工作态度是否端正",
        problem="办理来信拖拉\n个别来信超期",
        measure="1.建立台账\n2.每周清理",
        state=CarryState.RECTIFIED,
    )
    previous = PreviousRound(file="上一轮.json", checklist=response.checklist, problems=[carried])
    view = _view(replace(response, previous=previous), zuofeng)
    point = view.parts[0].groups[0].points[0]
    assert point.paragraphs[0].startswith(
        "工作作风方面：办理来信拖拉。个别来信超期。整改措施：1.建立台账；2.每周清理。"
    )
