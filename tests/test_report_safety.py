"""Answers are hostile: the report prints them literally and safely in every format.

- HTML escapes every answer: no script, no event handler, no javascript: link survives;
- text that looks like template code (``{{ 7*7 }}``) prints as typed in md, html and docx;
- control characters never yield a .docx that Word refuses (invalid XML);
- a user's ``--template`` renders in Jinja's sandbox with StrictUndefined, and its
  errors name the template, the line and what is missing, in Chinese.
"""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfcheck.checklist.model import Checklist
from selfcheck.errors import TemplateError
from selfcheck.report.api import build_view, render_bytes
from selfcheck.report.templating import render_user_template
from selfcheck.response import Response, load_response, replace

FIXTURES = Path(__file__).parent / "fixtures"

SCRIPT = "<script>alert('x')</script>脚本"
IMG = '<img src=x onerror="alert(1)">图片'
MD_LINK = "[点我](javascript:alert(1))"
HTML_LINK = '<a href="javascript:alert(1)">链接</a>'
TEMPLATE_CODE = "{{ 7*7 }}{% if true %}真{% endif %}"
CONTROL = "红\x00\x07\x1b[31m字\x1b[0m\x0b\x0c\ufffe\uffff\ud800完"


@pytest.fixture
def hostile(zuofeng: Checklist) -> Response:
    """The leader fixture with hostile text in every kind of answer and in the name."""
    response = load_response(FIXTURES / "report_leader.json")
    answers = {k: dict(v) for k, v in response.answers.items()}
    first = zuofeng.sections[0].items[0].id
    answers[first].update(
        manifestation=f"{SCRIPT}\n{IMG}",
        cause=f"{MD_LINK} {HTML_LINK}",
        opinion=TEMPLATE_CODE,
        measure=f"{TEMPLATE_CODE} {CONTROL}",
    )
    respondent = replace(response.respondent, **{"name": "<b>张三</b>{{ 7*7 }}"})
    return replace(response, **{"answers": answers, "respondent": respondent})


def md_unescape(text: str) -> str:
    """Markdown as a reader sees it: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", text)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


SAFE_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "section",
             "h1", "h2", "h3", "p", "br", "span", "div"}  # fmt: skip


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)


# ----------------------------------------------------------------- HTML


def test_html_escapes_scripts_handlers_and_links(hostile: Response, zuofeng: Checklist) -> None:
    html = render_bytes(build_view(hostile, zuofeng), "html").decode("utf-8")
    parser = _Tags()
    parser.feed(html)
    assert parser.tags <= SAFE_TAGS, parser.tags - SAFE_TAGS
    assert not any(a.startswith("on") for a in parser.attributes)
    assert not {"href", "src", "action", "formaction"} & parser.attributes
    text = "".join(parser.text)
    # The answers are all there, as text.
    for literal in (
        "<script>alert('x')</script>",
        "onerror=",
        "javascript:alert(1)",
        "<b>张三</b>",
    ):
        assert literal in text
    assert "&lt;script&gt;" in html


def test_template_code_in_answers_prints_literally(hostile: Response, zuofeng: Checklist) -> None:
    view = build_view(hostile, zuofeng)
    html = render_bytes(view, "html").decode("utf-8")
    md = md_unescape(render_bytes(view, "md").decode("utf-8"))
    docx = docx_text(render_bytes(view, "docx"))
    for output in (html, md, docx):
        assert "{{ 7*7 }}" in output
        assert "{% if true %}真{% endif %}" in output


# ----------------------------------------------------------------- Markdown


def test_markdown_neutralises_html_and_links(hostile: Response, zuofeng: Checklist) -> None:
    md = render_bytes(build_view(hostile, zuofeng), "md").decode("utf-8")
    # The signature is the one HTML block the template writes; its text is HTML-escaped.
    body, signature = md.split('<div align="right">')
    assert "<" not in signature.removesuffix("</div>\n").replace("<br>", "")
    assert re.search(r"(?<!\\)<", body) is None, "every < is escaped"
    assert re.search(r"(?<!\\)\]\(", md) is None, "no [text](url) link"
    assert SCRIPT in md_unescape(md)
    assert MD_LINK in md_unescape(md)


def test_markdown_keeps_plain_chinese_readable(zuofeng: Checklist) -> None:
    md = render_bytes(build_view(load_response(FIXTURES / "report_leader.json"), zuofeng), "md")
    text = md.decode("utf-8")
    assert "\\" not in text.replace("\\[", "").replace("\\]", ""), "no stray escapes"
    assert "茂办发〔2008〕20号" in text


# ----------------------------------------------------------------- DOCX


def _document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml")


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def test_control_characters_never_reach_the_docx(hostile: Response, zuofeng: Checklist) -> None:
    data = render_bytes(build_view(hostile, zuofeng), "docx")
    xml = _document_xml(data)
    ElementTree.fromstring(xml)  # a strict XML parser accepts it, as Word will
    assert _XML_INVALID.search(xml.decode("utf-8")) is None
    assert "红字完" in docx_text(data)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=60))
def test_any_answer_text_renders_in_every_format(
    text: str, hostile: Response, zuofeng: Checklist
) -> None:
    first = zuofeng.sections[0].items[0].id
    answers: dict[str, Any] = {k: dict(v) for k, v in hostile.answers.items()}
    answers[first].update(manifestation=text or "空", cause=text, measure=text or "空")
    response = replace(hostile, **{"answers": answers})
    view = build_view(response, zuofeng)
    ElementTree.fromstring(_document_xml(render_bytes(view, "docx")))
    parser = _Tags()
    parser.feed(render_bytes(view, "html").decode("utf-8"))
    assert parser.tags <= SAFE_TAGS
    render_bytes(view, "md").decode("utf-8")


# ----------------------------------------------------------------- user templates


def _user(tmp_path: Path, name: str, source: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(source, bytes):
        path.write_bytes(source)
    else:
        path.write_text(source, encoding="utf-8")
    return path


def _render_user(path: Path, zuofeng: Checklist) -> str:
    view = build_view(load_response(FIXTURES / "report_leader.json"), zuofeng)
    return render_user_template(path, view)


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ respondent.__init__.__globals__ }}",
        "{{ title.format.__self__ }}",
    ],
)
def test_user_template_is_sandboxed(source: str, tmp_path: Path, zuofeng: Checklist) -> None:
    path = _user(tmp_path, "evil.md.j2", f"第一行\n{source}\n")
    with pytest.raises(TemplateError) as caught:
        _render_user(path, zuofeng)
    error = caught.value.render()
    assert str(path) in error
    assert f"{path}:2:" in error
    assert "沙箱" in error or "不允许" in error or "没有属性" in error


def test_user_template_cannot_loop_forever(tmp_path: Path, zuofeng: Checklist) -> None:
    path = _user(tmp_path, "loop.md.j2", "{% for i in range(10**9) %}x{% endfor %}")
    with pytest.raises(TemplateError, match=r"loop\.md\.j2"):
        _render_user(path, zuofeng)


def test_missing_variable_names_template_line_and_variable(
    tmp_path: Path, zuofeng: Checklist
) -> None:
    path = _user(tmp_path, "mine.md.j2", "# {{ title }}\n\n{{ respondent.name }}\n{{ nosuch }}\n")
    with pytest.raises(TemplateError) as caught:
        _render_user(path, zuofeng)
    problem = caught.value.problems[0]
    assert (problem.file, problem.line) == (str(path), 4)
    assert "nosuch" in problem.message and "未定义" in problem.message


def test_missing_attribute_names_the_attribute(tmp_path: Path, zuofeng: Checklist) -> None:
    path = _user(tmp_path, "mine.md.j2", "{{ respondent.age }}")
    with pytest.raises(TemplateError) as caught:
        _render_user(path, zuofeng)
    assert caught.value.problems[0].line == 1
    assert "age" in caught.value.problems[0].message


def test_syntax_error_names_the_line(tmp_path: Path, zuofeng: Checklist) -> None:
    path = _user(tmp_path, "broken.html.j2", "<p>\n{% for x in parts %}\n{{ x.heading }\n")
    with pytest.raises(TemplateError) as caught:
        _render_user(path, zuofeng)
    assert "语法错误" in caught.value.render()
    assert caught.value.problems[0].file == str(path)
    assert caught.value.problems[0].line in (3, 4)


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("{{ title }\n", "花括号不成对"),
        ("{% for x in parts %}\n{{ x }}\n", "{% for %} 没有结束：缺少 {% endfor %}"),
        ("{% endif %}\n", "多了一个 {% endif %}（前面没有对应的 {% if %}）"),
        ("{% frobnicate %}\n", "未知的标签“frobnicate”"),
        ("{{ title name }}\n", "{{ … }} 中只能写一个表达式"),
        ("{{ }}\n", "这里缺少表达式"),
    ],
)
def test_a_syntax_error_is_explained_in_chinese(
    tmp_path: Path, zuofeng: Checklist, source: str, says: str
) -> None:
    path = _user(tmp_path, "broken.md.j2", source)
    with pytest.raises(TemplateError) as caught:
        _render_user(path, zuofeng)
    assert caught.value.problems[0].message.startswith(f"语法错误：{says}")


def test_template_not_in_utf8_is_refused_clearly(tmp_path: Path, zuofeng: Checklist) -> None:
    path = _user(tmp_path, "gbk.md.j2", "标题：{{ title }}".encode("gbk"))
    with pytest.raises(TemplateError, match="UTF-8"):
        _render_user(path, zuofeng)


def test_user_html_template_autoescapes(
    hostile: Response, tmp_path: Path, zuofeng: Checklist
) -> None:
    path = _user(
        tmp_path,
        "mine.html.j2",
        "<p>{{ respondent.name }}</p>{{ sections[0].problems[0].problem[0] }}",
    )
    html = render_user_template(path, build_view(hostile, zuofeng))
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert "<script>" not in html


def test_user_template_can_extend_the_shipped_one(tmp_path: Path, zuofeng: Checklist) -> None:
    path = _user(
        tmp_path,
        "mine.html.j2",
        '{% extends "report.html.j2" %}',
    )
    html = _render_user(path, zuofeng)
    assert "个人对照检查材料" in html and "@page" in html


# ----------------------------------------------------------------- text helpers


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=80))
def test_markdown_escape_loses_nothing(text: str) -> None:
    from selfcheck.report.text import md_escape

    escaped = md_escape(text)
    assert md_unescape(escaped) == text
    assert re.search(r"(?<!\\)<", escaped.replace("\\\\", "")) is None


def test_report_text_drops_what_xml_forbids() -> None:
    from selfcheck.report.text import report_text

    assert report_text(" 甲\x00乙\x1b[1m丙\x1b[0m\ufffe丁\ud800 ") == "甲乙丙丁"
    assert report_text(None) == ""


@pytest.mark.parametrize(
    ("raw", "tidy"),
    [
        ("从思想根源上查,从工作实际中找", "从思想根源上查，从工作实际中找"),
        ("问题: 三条", "问题：三条"),
        ("1,000 元", "1,000 元"),
        ("javascript:alert(1)", "javascript:alert(1)"),
    ],
)
def test_half_width_punctuation_next_to_chinese_becomes_full_width(raw: str, tidy: str) -> None:
    from selfcheck.report.text import cjk_punctuation

    assert cjk_punctuation(raw) == tidy
