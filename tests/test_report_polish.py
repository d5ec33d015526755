"""The details a committee notices: the title's shape, the file's properties, the
signature in a Markdown viewer, number columns, and a material that finds nothing."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from markdown_it import MarkdownIt

from selfcheck.checklist.model import Checklist
from selfcheck.engine import quality_warnings
from selfcheck.report.api import build_view, render_bytes
from selfcheck.report.model import title_lines
from selfcheck.response import load_response

FIXTURES = Path(__file__).parent / "fixtures"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# ----------------------------------------------------------------- title


@pytest.mark.parametrize(
    "title",
    [
        "关于开展加强机关作风建设活动的个人对照检查材料",
        "关于开展深入学习实践科学发展观活动的个人对照检查材料",
        "关于开展“转作风、优环境、促发展”主题活动的个人对照检查材料",
        "关于开展机关作风集中整顿活动的个人对照检查材料",
    ],
)
def test_a_long_title_is_a_trapezoid_broken_between_words(title: str) -> None:
    lines = title_lines(title)
    assert "".join(lines) == title
    assert len(lines) == 2
    upper, lower = lines
    assert len(upper) < len(lower) <= 20, lines  # 梯形: the upper line shorter
    assert not lower.startswith(("的", "，", "）")), lines
    for word in ("机关作风建设", "对照检查", "个人"):
        if word in title:
            assert word in upper or word in lower, f"{word} split: {lines}"


def test_a_short_title_stays_on_one_line() -> None:
    assert title_lines("关于开展作风建设的个人对照检查材料") == [
        "关于开展作风建设的个人对照检查材料"
    ]


# ----------------------------------------------------------------- docx


def _docx(checklist: Checklist) -> bytes:
    view = build_view(load_response(FIXTURES / "report_leader.json"), checklist)
    return render_bytes(view, "docx")


def test_docx_properties_are_its_own(zuofeng: Checklist) -> None:
    data = _docx(zuofeng)
    document = Document(io.BytesIO(data))
    props = document.core_properties
    assert props.title == "关于开展加强机关作风建设活动的个人对照检查材料"
    assert props.author == "王建国" and props.language == "zh-CN"
    assert props.created is not None and props.created == props.modified
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        app = archive.read("docProps/app.xml").decode("utf-8")
        settings = archive.read("word/settings.xml").decode("utf-8")
        types = archive.read("[Content_Types].xml").decode("utf-8")
    assert "Microsoft" not in app and "<Application>selfcheck</Application>" in app
    assert not any("thumbnail" in n for n in names) and "thumbnail" not in types
    assert "savePreviewPicture" not in settings
    assert 'w:eastAsia="zh-CN"' in settings and "ja-JP" not in settings


def test_docx_keeps_punctuation_inside_the_type_area(zuofeng: Checklist) -> None:
    document = Document(io.BytesIO(_docx(zuofeng)))
    for name in ("Normal", "Heading 1", "Heading 2"):
        ppr = document.styles[name].element.pPr
        assert ppr.find(f"{W}overflowPunct").get(f"{W}val") == "0", name
        assert ppr.find(f"{W}kinsoku").get(f"{W}val") == "1", name
    settings = document.settings.element
    before = settings.find(f"{W}noLineBreaksBefore")
    after = settings.find(f"{W}noLineBreaksAfter")
    assert before.get(f"{W}lang") == "zh-CN"
    assert all(m in before.get(f"{W}val") for m in "，。、）》”")
    assert all(m in after.get(f"{W}val") for m in "（《“")


# ----------------------------------------------------------------- Markdown


def test_markdown_signature_stays_right_aligned_in_commonmark(zuofeng: Checklist) -> None:
    view = build_view(load_response(FIXTURES / "report_leader.json"), zuofeng)
    text = render_bytes(view, "md").decode("utf-8")
    for renderer in (MarkdownIt("commonmark"), MarkdownIt("commonmark").enable("table")):
        html = renderer.render(text)
        signature = re.search(r'<div align="right">(.*?)</div>', html, re.S)
        assert signature is not None
        assert signature.group(1).split("<br>") == ["王建国", "\n2008年12月1日"]
        assert "<p>王建国</p>" not in html


def test_summary_markdown_right_aligns_number_columns(tmp_path: Path) -> None:
    from test_summary_helpers import build_bureau
    from typer.testing import CliRunner

    from selfcheck.checklist.registry import resolve_checklist
    from selfcheck.cli import app

    folder, roster = build_bureau(tmp_path, resolve_checklist(None))
    result = CliRunner().invoke(
        app,
        ["summary", str(folder), "--roster", str(roster), "--format", "md"],
        env={"SELFCHECK_TODAY": "2009-01-15"},
    )
    assert result.exit_code == 0, result.output
    html = MarkdownIt("commonmark").enable("table").render(result.stdout)
    header = re.search(r"<thead>\s*<tr>(.*?)</tr>", html, re.S).group(1)  # 一、参与情况
    cells = re.findall(r"<th(?: style=\"text-align:(\w+)\")?>([^<]*)</th>", header)
    assert cells[0] == ("", "单位")
    assert all(align == "right" for align, _ in cells[1:]), cells
    ledger = result.stdout.split("## 六、整改台账")[1]
    rule = next(line for line in ledger.splitlines() if line.startswith("|---"))
    assert rule.split("|")[1] == "---:"  # 序号
    assert rule.split("|")[2] == "---"  # 问题类别


# ----------------------------------------------------------------- nothing found


def test_a_material_that_finds_nothing_is_warned_and_said_once(zuofeng: Checklist) -> None:
    response = load_response(FIXTURES / "report_nothing.json")
    warnings = quality_warnings(zuofeng, response.respondent.role, response.answers)
    assert len(warnings) == 1 and "整份材料没有查摆出任何问题" in warnings[0].message
    view = build_view(response, zuofeng)
    text = render_bytes(view, "md").decode("utf-8")
    assert text.count("未查摆出明显问题") == 1
    assert "原因剖析" not in text and "整改措施" not in text


# ----------------------------------------------------------------- 群众意见


@pytest.mark.parametrize(
    "opinion",
    [
        "征求意见中，有群众反映窗口办事要跑多次。",
        "征求意见中有同志指出会议多、落实少。",
        "在征求意见中，服务对象反映审批时限偏长。",
        "经征求意见，干部职工希望多组织业务培训。",
    ],
)
def test_an_opinion_that_names_its_source_is_not_introduced_twice(
    zuofeng: Checklist, opinion: str
) -> None:
    """The material introduces 群众意见 with 征求意见中，…; a cadre who wrote that
    himself (the usual way to put it) must not read 征求意见中，征求意见中，… on paper."""
    response = load_response(FIXTURES / "report_leader.json")
    response.answers["thinking-1"]["opinion"] = opinion
    view = build_view(response, zuofeng)
    document = Document(io.BytesIO(render_bytes(view, "docx")))
    texts = {fmt: render_bytes(view, fmt).decode("utf-8") for fmt in ("md", "html")}
    texts["docx"] = "\n".join(p.text for p in document.paragraphs)
    for fmt, text in texts.items():
        assert opinion in text, fmt
        for doubled in ("征求意见中，征求意见", "征求意见中，在征求意见", "征求意见中，经征求意见"):
            assert doubled not in text, (fmt, doubled)
        assert "征求意见中，服务对象反映办事要跑多次" in text, fmt  # others keep the lead-in
