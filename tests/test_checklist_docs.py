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


_EXAMPLE_CHECKLIST = """\
schema_version: 1
id: when-examples
version: "1"
title: 条件示例
campaign: {name: 加强机关作风建设活动}
roles:
  - {id: leader, label: 领导干部}
  - {id: staff, label: 一般干部}
sections:
  - id: s
    title: 示例
    items:
      - id: i
        text: 检查项
        questions:
          - id: rating
            type: single_choice
            meaning: rating
            required: true
            prompt: 自我评价
            options:
              - {value: good, label: 做得好, score: 3}
              - {value: serious, label: 问题比较突出, score: 0, problem: true}
          - {id: pledge, type: yes_no, prompt: 是否承诺}
          - {id: sessions, type: number, prompt: 次数}
          - id: channels
            type: multiple_choice
            prompt: 渠道
            options: [{value: books, label: 读书}, {value: web, label: 网络}]
"""


def test_every_condition_example_can_hold() -> None:
    """Each expression in the table, as the condition of a question after the ones it
    reads, passes validation with no warning that it never holds (:mod:`.trial`)."""
    section = DOC[DOC.index("## 6. 条件") : DOC.index("## 7.")]
    examples = [e.replace("\\|", "|") for e in re.findall(r"^\| `([^`]+)` \|", section, flags=re.M)]
    shown = "".join(
        f"          - id: q{n}\n            type: short_text\n            prompt: 题{n}\n"
        f"            when: {expression!r}\n"
        for n, expression in enumerate(examples)
    )
    report = validate_checklist_text(_EXAMPLE_CHECKLIST + shown, "when-examples.yaml")
    assert report.ok, [p.format() for p in report.problems]
    assert not report.warnings, [w.format() for w in report.warnings]


def _dedent_fragment(block: str) -> str:
    """Examples cut from inside a list start indented: make them a document of their own."""
    lines = block.splitlines()
    indent = min((len(line) - len(line.lstrip(" ")) for line in lines if line.strip()), default=0)
    return "\n".join(line[indent:] for line in lines) + "\n"
