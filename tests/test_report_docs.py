"""docs/templates.md is true: its example templates render, and it documents every variable."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from selfcheck.checklist.model import Checklist
from selfcheck.report import model
from selfcheck.report.api import build_view
from selfcheck.report.templating import render_user_template
from selfcheck.response import load_response

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "templates.md"
FIXTURES = Path(__file__).parent / "fixtures"
_EXAMPLE = re.compile(r"<!-- template: (?P<name>\S+) -->\n```jinja\n(?P<source>.*?)```", re.S)


def examples() -> dict[str, str]:
    return {m["name"]: m["source"] for m in _EXAMPLE.finditer(DOC.read_text(encoding="utf-8"))}


def test_the_doc_has_worked_examples() -> None:
    assert set(examples()) == {"问题清单.md.j2", "承诺版.html.j2"}


@pytest.mark.parametrize("name", sorted(examples()))
def test_example_templates_render(name: str, tmp_path: Path, zuofeng: Checklist) -> None:
    path = tmp_path / name
    path.write_text(examples()[name], encoding="utf-8")
    view = build_view(load_response(FIXTURES / "report_rectified.json"), zuofeng)
    output = render_user_template(path, view)
    assert view.respondent.name in output
    if name.endswith(".md.j2"):
        rows = [line for line in output.splitlines() if re.match(r"\| \d+ \|", line)]
        assert len(rows) == view.problem_count
    else:
        assert "本人承诺" in output and "@page" in output
        assert output.index("本人承诺") < output.index(view.closing)


@pytest.mark.parametrize(
    "cls",
    [
        model.ReportView, model.SectionView, model.ProblemView, model.RectifyView,
        model.RectifyStep, model.RespondentView, model.CampaignView, model.Part,
        model.Group, model.Point, model.Signature, model.RectifySummary,
    ],
    ids=lambda c: c.__name__,
)  # fmt: skip
def test_every_variable_is_documented(cls: type) -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [f.name for f in dataclasses.fields(cls) if f"`{f.name}`" not in text]
    assert not missing, f"docs/templates.md does not mention {missing}"
