"""Golden files: the report of a fixed, realistic response in every format.

A leader's submitted response with problems in every section (so 领导作风
appears), and the same response after some rectification progress. The
.docx is compared through its text and key style properties read back with
python-docx. Regenerate after an intended change with::

    UPDATE_GOLDEN=1 pytest tests/test_report_golden.py

and review the diff of tests/golden/report/ before committing.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Length

from selfcheck.checklist.model import Checklist
from selfcheck.report.api import build_view, render_bytes
from selfcheck.response import load_response

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden" / "report"
CASES = ["leader", "rectified", "nothing"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _mm(length: Length | None) -> str:
    return "-" if length is None else f"{length.mm:.1f}"


def _pt(length: Length | None) -> str:
    return "-" if length is None else f"{length.pt:g}"


def docx_dump(data: bytes) -> str:
    """The text and the style facts of a .docx that matter on paper, one per line."""
    document = Document(io.BytesIO(data))
    lines = []
    section = document.sections[0]
    lines.append(
        f"page {_mm(section.page_width)}x{_mm(section.page_height)}mm "
        f"margins top {_mm(section.top_margin)} bottom {_mm(section.bottom_margin)} "
        f"left {_mm(section.left_margin)} right {_mm(section.right_margin)}"
    )
    lines.append(f"odd/even footers {document.settings.odd_and_even_pages_header_footer}")
    for label, footer in (("odd", section.footer), ("even", section.even_page_footer)):
        for paragraph in footer.paragraphs:
            fields = [i.text.strip() for i in paragraph._p.iter(f"{W}instrText")]
            lines.append(
                f"footer {label} {paragraph.alignment} [{paragraph.style.name}] "
                f"{paragraph.text!r} fields={fields}"
            )
    used = ["Footer"]
    for paragraph in document.paragraphs:
        if paragraph.style.name not in used:
            used.append(paragraph.style.name)
    for name in used:
        style = document.styles[name]
        fonts = style.element.rPr.find(f"{W}rFonts") if style.element.rPr is not None else None
        east_asia = fonts.get(f"{W}eastAsia") if fonts is not None else None
        latin = fonts.get(f"{W}ascii") if fonts is not None else None
        pf = style.paragraph_format
        ind = style.element.pPr.find(f"{W}ind") if style.element.pPr is not None else None
        chars = ind.get(f"{W}firstLineChars") if ind is not None else None
        lines.append(
            f"style [{name}] eastAsia={east_asia} latin={latin} size={_pt(style.font.size)} "
            f"bold={style.font.bold} line={_pt(pf.line_spacing)} {pf.line_spacing_rule} "
            f"firstLineChars={chars} align={pf.alignment}"
        )
    for paragraph in document.paragraphs:
        fmt = paragraph.paragraph_format
        indent = f" right={_pt(fmt.right_indent)}" if fmt.right_indent is not None else ""
        lines.append(f"[{paragraph.style.name}]{indent} {paragraph.text}")
    return "\n".join(lines) + "\n"


def with_opinion_question(checklist: Checklist) -> Checklist:
    """The built-in checklist plus the optional identity question 征求意见建议（条）."""
    from selfcheck.checklist.model import Question

    asked = Question(
        id="opinions", type="number", prompt="征求意见建议（条）", meaning="opinion_count", min=0
    )
    return checklist.model_copy(update={"identity_questions": [asked]})


def rendered(case: str, fmt: str, checklist: Checklist) -> str:
    response = load_response(FIXTURES / f"report_{case}.json")
    data = render_bytes(build_view(response, with_opinion_question(checklist)), fmt)
    return docx_dump(data) if fmt == "docx" else data.decode("utf-8")


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
@pytest.mark.parametrize("case", CASES)
def test_report_matches_golden(case: str, fmt: str, zuofeng: Checklist) -> None:
    actual = rendered(case, fmt, zuofeng)
    golden = GOLDEN / f"{case}.{fmt}{'.txt' if fmt == 'docx' else ''}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden}: run with UPDATE_GOLDEN=1 and review it"
    assert actual == golden.read_text(encoding="utf-8")


def test_golden_fixture_is_realistic(zuofeng: Checklist) -> None:
    """The fixture exercises what the golden files are meant to show."""
    view = build_view(load_response(FIXTURES / "report_leader.json"), zuofeng)
    assert all(section.problems for section in view.sections)
    assert [s.title for s in view.sections] == [s.title for s in zuofeng.sections]
    rectified = build_view(load_response(FIXTURES / "report_rectified.json"), zuofeng)
    assert rectified.rectification is not None and rectified.rectification.overdue
    # Causes and measures are grouped by the respondent's own 原因类别, not by section again.
    causes = next(p for p in view.parts if p.kind == "causes")
    titles = [g.title for g in causes.groups]
    assert titles == ["理想信念方面", "宗旨意识方面", "党性修养方面", "能力作风方面"]
    assert {g.title for g in causes.groups}.isdisjoint(s.heading for s in view.sections)
    nothing = build_view(load_response(FIXTURES / "report_nothing.json"), zuofeng)
    assert nothing.problem_count == 0 and [p.kind for p in nothing.parts] == ["problems"]
    assert len(nothing.parts[0].paragraphs) == 1 and not nothing.parts[0].groups
    assert any("没有查摆出任何问题" in w for w in nothing.warnings)
