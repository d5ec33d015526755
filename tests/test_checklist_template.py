"""`selfcheck checklist template`: a fill-in answers file that `run --answers` reads."""

from __future__ import annotations

import os
import re
import stat
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from selfcheck.checklist.loader import load_checklist
from selfcheck.checklist.model import Checklist
from selfcheck.checklist.template import answers_template
from selfcheck.cli import app
from selfcheck.engine import check_answers
from selfcheck.yamlsafe import parse_yaml

TODAY = date(2009, 1, 15)


def template(*args: str) -> str:
    result = CliRunner().invoke(app, ["checklist", "template", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_template_loads_back_with_the_documented_shape(zuofeng: Checklist) -> None:
    data = parse_yaml(template("zuofeng-2008"), "template.yaml").data
    assert set(data) == {"checklist", "respondent", "answers"}
    assert data["checklist"] == zuofeng.id
    assert data["respondent"] == {"name": None, "unit": None, "position": None, "role": None}
    assert list(data["answers"]) == [
        item.id for section in zuofeng.sections for item in section.items
    ]
    for section in zuofeng.sections:
        for item in section.items:
            assert list(data["answers"][item.id]) == [q.id for q in item.questions]


def test_comments_carry_wording_options_and_required_marks(zuofeng: Checklist) -> None:
    text = template("zuofeng-2008")
    for _, item in zuofeng.items_for("leader"):
        assert f"# {item.text}" in text
        if item.standard:
            assert f"# {item.standard}" in text
    rating = zuofeng.sections[0].items[0].questions[0]
    assert rating.options is not None
    assert all(f"{o.value} {o.label}" in text for o in rating.options)
    required = [q for q in zuofeng.sections[0].items[0].questions if q.required]
    for question in required:
        assert f"# 【必填】{question.prompt}" in text
    optional = [q for q in zuofeng.sections[0].items[0].questions if not q.required]
    for question in optional:
        assert f"# {question.prompt}——" in text


def fill(text: str, values: dict[str, str]) -> str:
    """Answer every question with ``values[question_id]`` the way a person edits the file."""
    for question_id, value in values.items():
        text = re.sub(
            rf"^(\s+){question_id}:( \[\])?$", rf"\g<1>{question_id}: {value}", text, flags=re.M
        )
    return text


def test_a_filled_in_template_is_accepted_by_the_answers_checker(zuofeng: Checklist) -> None:
    filled = fill(
        template("zuofeng-2008", "--role", "leader"),
        {
            "rating": "some",
            "manifestation": "|\n      会议多、下基层少。\n      去年只下了两次基层。",
            "cause": "宗旨意识淡薄：# 不是注释",
            "measure": '"每月至少下基层一次: 写进工作计划"',
            "deadline": "2009-03-31",
        },
    )
    filled = filled.replace("  name:        #", "  name: 张三  #").replace(
        "  unit:        #", "  unit: 局办公室  #"
    )
    data = parse_yaml(filled, "filled.yaml").data
    assert data["respondent"]["role"] == "leader"
    stored, issues = check_answers(zuofeng, "leader", data["answers"], today=TODAY)
    assert issues == []
    assert len(stored) == zuofeng.item_count
    first = stored[zuofeng.sections[0].items[0].id]
    assert first["manifestation"] == "会议多、下基层少。\n去年只下了两次基层。"
    assert first["measure"] == "每月至少下基层一次: 写进工作计划"
    assert first["deadline"] == "2009-03-31"


@pytest.mark.parametrize("role", ["staff", "一般干部"])
def test_role_is_named_by_id_or_label_and_the_count_is_that_roles(
    zuofeng: Checklist, tmp_path: Path, role: str
) -> None:
    """As ``run --role`` and ``summary --role`` take it; the message counts what was written."""
    out = tmp_path / "答案.yaml"
    said = template("zuofeng-2008", "--role", role, "-o", str(out))
    data = parse_yaml(out.read_text(encoding="utf-8"), "t.yaml").data
    assert data["respondent"]["role"] == "staff"
    assert f"{len(data['answers'])} 个检查项" in said
    assert len(data["answers"]) == len(zuofeng.items_for("staff")) < zuofeng.item_count


def test_role_option_keeps_only_that_roles_sections(zuofeng: Checklist) -> None:
    data = parse_yaml(template("zuofeng-2008", "--role", "staff"), "t.yaml").data
    assert data["respondent"]["role"] == "staff"
    assert list(data["answers"]) == [item.id for _, item in zuofeng.items_for("staff")]
    assert len(data["answers"]) < zuofeng.item_count


def test_without_a_role_leader_only_sections_are_marked(zuofeng: Checklist) -> None:
    text = template("zuofeng-2008")
    leader_only = [s for s in zuofeng.sections if s.roles == ["leader"]]
    assert leader_only
    assert text.count("本章节仅领导干部填写") == len(leader_only)


def test_blank_leader_items_do_not_bother_a_staff_member(zuofeng: Checklist) -> None:
    filled = fill(template("zuofeng-2008"), {"rating": "good"})
    data = parse_yaml(filled, "t.yaml").data
    staff_items = {item.id for _, item in zuofeng.items_for("staff")}
    answers = {k: (v if k in staff_items else dict.fromkeys(v)) for k, v in data["answers"].items()}
    _, issues = check_answers(zuofeng, "staff", answers, today=TODAY)
    assert issues == []


def test_other_question_types_get_their_hints(liuxing_path: Path) -> None:
    checklist = load_checklist(liuxing_path)
    text = answers_template(checklist)
    data = parse_yaml(text, "t.yaml").data
    multiple = next(
        q
        for _, i in checklist.items_for("staff")
        for q in i.questions
        if q.type == "multiple_choice"
    )
    item_id = next(i.id for _, i in checklist.items_for("staff") if multiple in i.questions)
    assert data["answers"][item_id][multiple.id] == []
    assert "填 是 或 否" in text
    assert "日期格式：2009-03-31" in text
    assert "数字（次，0～200）" in text


def test_unknown_role_is_refused() -> None:
    result = CliRunner().invoke(app, ["checklist", "template", "zuofeng-2008", "--role", "boss"])
    assert result.exit_code == 1
    assert "没有角色“boss”" in result.output and "领导干部（leader）" in result.output


def test_output_file_is_private_and_never_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "答案.yaml"
    first = CliRunner().invoke(app, ["checklist", "template", "zuofeng-2008", "-o", str(target)])
    assert first.exit_code == 0, first.output
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    target.write_text("my answers", encoding="utf-8")
    again = CliRunner().invoke(app, ["checklist", "template", "zuofeng-2008", "-o", str(target)])
    assert again.exit_code == 1
    assert "文件已存在" in again.output and "--force" in again.output
    assert target.read_text(encoding="utf-8") == "my answers"
    forced = CliRunner().invoke(
        app, ["checklist", "template", "zuofeng-2008", "-o", str(target), "--force"]
    )
    assert forced.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# 答案文件")


def test_a_checklist_given_by_path_is_named_in_the_header(liuxing_path: Path) -> None:
    text = template(str(liuxing_path))
    assert f"--checklist {liuxing_path}" in text


@pytest.mark.parametrize("special", ["yes", "No", "null", "on"])
def test_ids_that_yaml_would_misread_are_quoted(special: str, tmp_path: Path) -> None:
    source = (
        Path(__file__).resolve().parent.parent / "checklists" / "liuxing-jiguan.yaml"
    ).read_text(encoding="utf-8")
    path = tmp_path / "odd.yaml"
    path.write_text(source.replace("id: idea", f"id: '{special}'"), encoding="utf-8")
    checklist = load_checklist(path)
    # Any YAML reader (not only ours, which keeps keys as written) reads the key as text.
    data = yaml.safe_load(answers_template(checklist))
    innovation = next(
        i for _, i in checklist.items_for("staff") if any(q.id == special for q in i.questions)
    )
    assert special in data["answers"][innovation.id]
