"""docs/checklist-format.md stays true: every field documented, every example valid."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from selfcheck.checklist.conditions import referenced_names
from selfcheck.checklist.loader import validate_checklist_text
from selfcheck.checklist.model import (
    Campaign,
    ChecklistSource,
    ItemSource,
    Option,
    Question,
    QuestionSetRef,
    Role,
    SectionSource,
)
from selfcheck.yamlsafe import parse_yaml

DOC = (Path(__file__).resolve().parent.parent / "docs" / "checklist-format.md").read_text(
    encoding="utf-8"
)
YAML_BLOCKS = re.findall(r"```yaml\n(.*?)```", DOC, flags=re.S)


@pytest.mark.parametrize(
    "model",
    [ChecklistSource, Campaign, Role, Option, Question, QuestionSetRef, SectionSource, ItemSource],
)
def test_every_field_is_documented(model: type) -> None:
    for name in model.model_fields:  # type: ignore[attr-defined]
        assert f"`{name}`" in DOC, f"{model.__name__}.{name} is not documented"


def test_every_question_type_and_meaning_is_documented() -> None:
    for kind in Question.model_fields["type"].annotation.__args__:  # type: ignore[union-attr]
        assert f"| `{kind}` |" in DOC
    for meaning in ("rating", "problem", "cause", "opinion", "measure", "deadline"):
        assert f"| `{meaning}` |" in DOC


def test_every_yaml_example_is_valid_yaml() -> None:
    assert len(YAML_BLOCKS) >= 8
    for block in YAML_BLOCKS:
        parse_yaml(_dedent_fragment(block), "doc-example.yaml")


def test_the_complete_example_validates() -> None:
    complete = [b for b in YAML_BLOCKS if b.startswith("# yaml-language-server")]
    assert complete
    report = validate_checklist_text(complete[0], "doc-example.yaml")
    assert report.ok, [p.format() for p in report.problems]


def test_condition_examples_compile() -> None:
    section = DOC[DOC.index("## 6. 条件") : DOC.index("## 7.")]
    examples = re.findall(r"^\| `([^`]+)` \|", section, flags=re.M)
    assert len(examples) >= 10
    for expression in examples:
        referenced_names(expression.replace("\\|", "|"))


def _dedent_fragment(block: str) -> str:
    """Examples cut from inside a list start indented: make them a document of their own."""
    lines = block.splitlines()
    indent = min((len(line) - len(line.lstrip(" ")) for line in lines if line.strip()), default=0)
    return "\n".join(line[indent:] for line in lines) + "\n"
