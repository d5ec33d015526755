"""`selfcheck checklist show` (tree and --json) and `selfcheck checklist list`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfcheck.checklist.model import Checklist
from selfcheck.cli import app

BUILTIN = Path(__file__).resolve().parent.parent / "checklists"


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


# ------------------------------------------------------------------------- --json


def test_json_has_the_keys_other_tools_rely_on(zuofeng: Checklist) -> None:
    code, output = invoke("checklist", "show", "zuofeng-2008", "--json")
    assert code == 0
    data = json.loads(output)
    assert {"id", "version", "sha256", "title", "roles", "sections"} <= set(data)
    assert data["sha256"] == zuofeng.sha256
    section = data["sections"][0]
    assert {"id", "title", "rubric", "roles", "items"} <= set(section)
    item = section["items"][0]
    assert {"id", "text", "standard", "questions"} <= set(item)
    question = item["questions"][0]
    assert {"id", "type", "prompt", "required", "when", "options", "meaning"} <= set(question)
    assert {"value", "label", "score", "problem"} <= set(question["options"][0])


def test_json_is_the_resolved_checklist_with_question_sets_expanded(zuofeng: Checklist) -> None:
    data = json.loads(invoke("checklist", "show", "zuofeng-2008", "--json")[1])
    assert [s["id"] for s in data["sections"]] == [s.id for s in zuofeng.sections]
    for section, model in zip(data["sections"], zuofeng.sections, strict=True):
        assert section["roles"] == model.roles
        for item, model_item in zip(section["items"], model.items, strict=True):
            assert item["text"] == model_item.text
            assert [q["id"] for q in item["questions"]] == [q.id for q in model_item.questions]
    problem_values = [
        o["value"]
        for o in data["sections"][0]["items"][0]["questions"][0]["options"]
        if o["problem"]
    ]
    assert problem_values  # options come from the shared scale


def test_json_of_non_choice_questions_has_an_empty_option_list(liuxing_path: Path) -> None:
    data = json.loads(invoke("checklist", "show", str(liuxing_path), "--json")[1])
    questions = [q for s in data["sections"] for i in s["items"] for q in i["questions"]]
    assert {q["type"] for q in questions} >= {"number", "yes_no", "multiple_choice", "date"}
    assert all(
        q["options"] == []
        for q in questions
        if q["type"] not in ("single_choice", "multiple_choice")
    )


# --------------------------------------------------------------------------- tree


def test_tree_shows_sections_items_wording_and_questions(zuofeng: Checklist) -> None:
    code, output = invoke("checklist", "show", "zuofeng-2008")
    assert code == 0
    assert zuofeng.title in output
    for section in zuofeng.sections:
        assert section.title in output and (section.rubric or "") in output
        for item in section.items:
            assert item.id in output
    rating = zuofeng.sections[0].items[0].questions[0]
    assert rating.prompt in output and "单选·必填" in output
    # The shared questions are shown once, not once per item.
    assert output.count(f"{rating.id}  {rating.prompt}") == 1
    assert "仅领导干部填写" in output


def test_tree_prints_hostile_text_literally(tmp_path: Path) -> None:
    source = (BUILTIN / "liuxing-jiguan.yaml").read_text(encoding="utf-8")
    hostile = source.replace("title: 学习型机关", 'title: "[bold red]学习型机关[/] :smile:"')
    path = tmp_path / "hostile.yaml"
    path.write_text(hostile, encoding="utf-8")
    code, output = invoke("checklist", "show", str(path))
    assert code == 0, output
    assert "[bold red]学习型机关[/]" in output and ":smile:" in output
    # an escape code written as a YAML escape is refused at its line, never printed
    path.write_text(hostile.replace(":smile:", "\\e[31m:smile:"), encoding="utf-8")
    code, output = invoke("checklist", "show", str(path))
    assert code == 1 and "文字中有控制字符 U+001B" in output
    assert "\x1b" not in output


def test_show_unknown_checklist_lists_the_known_ones() -> None:
    code, output = invoke("checklist", "show", "nonexistent")
    assert code == 1
    assert "找不到检查表“nonexistent”" in output and "zuofeng-2008" in output


def test_show_broken_file_lists_its_problems(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        (BUILTIN / "zuofeng-2008.yaml").read_text(encoding="utf-8").replace("rubric:", "rubrc:")
    )
    code, output = invoke("checklist", "show", str(path))
    assert code == 1
    assert (
        f"检查表有错误：{path}" in output and f"{path}:" in output and "未知字段“rubrc”" in output
    )


# --------------------------------------------------------------------------- list


def test_list_shows_both_built_ins_in_full_even_in_a_narrow_terminal(zuofeng: Checklist) -> None:
    code, output = invoke("checklist", "list", env={"COLUMNS": "60"})
    assert code == 0
    assert "…" not in output
    # Folded cells continue on the next lines of the same column: join each column top to bottom.
    rows = [line.strip("│").split("│") for line in output.splitlines() if line.startswith("│")]
    columns = ["".join(cell.strip() for cell in column) for column in zip(*rows, strict=True)]
    assert "liuxing-jiguan" in columns[0] and "zuofeng-2008" in columns[0]
    assert zuofeng.title in columns[2]
    assert "zuofeng-2008.yaml" in columns[4]


def test_list_includes_extra_dirs_and_selfcheck_path(tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    env_dir = tmp_path / "env"
    for folder, new_id in ((extra, "from-dir"), (env_dir, "from-env")):
        folder.mkdir()
        text = (BUILTIN / "liuxing-jiguan.yaml").read_text(encoding="utf-8")
        (folder / f"{new_id}.yaml").write_text(text.replace("id: liuxing-jiguan", f"id: {new_id}"))
    code, output = invoke(
        "checklist",
        "list",
        "--dir",
        str(extra),
        env={"SELFCHECK_PATH": str(env_dir), "COLUMNS": "200"},
    )
    assert code == 0
    assert "from-dir" in output and "from-env" in output and "zuofeng-2008" in output


def test_list_marks_broken_files_instead_of_failing(tmp_path: Path) -> None:
    shutil.copy(BUILTIN / "zuofeng-2008.yaml", tmp_path / "good.yaml")
    (tmp_path / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    code, output = invoke("checklist", "list", "--dir", str(tmp_path), env={"COLUMNS": "200"})
    assert code == 0
    assert "无法读取" in output and "broken" in output


def test_list_with_a_missing_dir_says_so(tmp_path: Path) -> None:
    code, output = invoke("checklist", "list", "--dir", str(tmp_path / "nope"))
    assert code == 1
    assert "找不到检查表目录" in output


@pytest.mark.parametrize("ref", ["zuofeng-2008", "liuxing-jiguan"])
def test_show_by_id_and_by_path_agree(ref: str) -> None:
    by_id = json.loads(invoke("checklist", "show", ref, "--json")[1])
    by_path = json.loads(invoke("checklist", "show", str(BUILTIN / f"{ref}.yaml"), "--json")[1])
    assert by_id == by_path


def test_warnings_go_to_stderr_and_keep_json_clean(tmp_path: Path) -> None:
    path = tmp_path / "notepad.yaml"
    text = (BUILTIN / "liuxing-jiguan.yaml").read_text(encoding="utf-8")
    path.write_bytes(text.encode("gb18030"))
    result = CliRunner().invoke(app, ["checklist", "show", str(path), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "六型机关建设自我评价"
    assert "GBK/GB18030" in result.stderr


def test_a_folder_overrides_the_built_in_checklist_whatever_its_file_is_called(
    tmp_path: Path,
) -> None:
    """docs/checklist-format.md: folders are searched in order, the first one wins — a
    unit's own copy of liuxing-jiguan saved as 我单位.yaml is the one `show` and `template`
    use, as `list` says (once the built-in liuxing-jiguan.yaml won by its file name)."""
    text = (BUILTIN / "liuxing-jiguan.yaml").read_text(encoding="utf-8")
    assert "title: 六型机关建设自我评价" in text
    own = text.replace("title: 六型机关建设自我评价", "title: 本单位六型机关自评", 1)
    (tmp_path / "我单位.yaml").write_text(own, encoding="utf-8")
    code, listed = invoke("checklist", "list", "--dir", str(tmp_path), env={"COLUMNS": "200"})
    assert code == 0 and "本单位六型机关自评" in listed and "六型机关建设自我评价" not in listed
    code, shown = invoke("checklist", "show", "liuxing-jiguan", "--dir", str(tmp_path))
    assert code == 0 and "本单位六型机关自评" in shown
    code, filled = invoke("checklist", "template", "liuxing-jiguan", "--dir", str(tmp_path))
    assert code == 0 and "本单位六型机关自评" in filled
