"""`selfcheck checklist new` and `selfcheck checklist diff`: tools for checklist authors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfcheck.checklist.diff import ADDED, CHANGED, REMOVED, diff_checklists
from selfcheck.checklist.loader import load_checklist, validate_checklist_file
from selfcheck.checklist.schema import SCHEMA_FILENAME, schema_text
from selfcheck.cli import app

BUILTIN = Path(__file__).resolve().parent.parent / "checklists"
ZUOFENG = (BUILTIN / "zuofeng-2008.yaml").read_text(encoding="utf-8")


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


# --------------------------------------------------------------------------- new


def test_new_writes_a_documented_example_that_validates(tmp_path: Path) -> None:
    path = tmp_path / "unit-2009.yaml"
    code, output = invoke("checklist", "new", str(path))
    assert code == 0, output
    report = validate_checklist_file(path)
    assert report.ok, [p.format() for p in report.problems]
    assert report.checklist is not None and report.checklist.id == "unit-2009"
    assert not report.warnings
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema={SCHEMA_FILENAME}")
    assert text.count("#") > 40  # documented
    types = {q.type for _, i in report.checklist.items_for("leader") for q in i.questions}
    assert types == {
        "single_choice",
        "multiple_choice",
        "short_text",
        "long_text",
        "date",
        "yes_no",
        "number",
    }


def test_new_puts_the_schema_next_to_the_checklist_once(tmp_path: Path) -> None:
    invoke("checklist", "new", str(tmp_path / "a.yaml"))
    schema = tmp_path / SCHEMA_FILENAME
    assert schema.read_text(encoding="utf-8") == schema_text()
    schema.write_text("{}", encoding="utf-8")
    code, output = invoke("checklist", "new", str(tmp_path / "b.yaml"))
    assert code == 0
    assert schema.read_text(encoding="utf-8") == "{}"  # an existing file is left alone
    assert SCHEMA_FILENAME not in output


def test_new_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("my work", encoding="utf-8")
    code, output = invoke("checklist", "new", str(path))
    assert code == 1
    assert "文件已存在" in output
    assert path.read_text(encoding="utf-8") == "my work"


def test_new_adds_the_yaml_suffix_and_refuses_other_suffixes(tmp_path: Path) -> None:
    code, _ = invoke("checklist", "new", str(tmp_path / "plain"))
    assert code == 0 and (tmp_path / "plain.yaml").is_file()
    code, output = invoke("checklist", "new", str(tmp_path / "notes.txt"))
    assert code == 1 and ".yaml" in output
    assert not (tmp_path / "notes.txt").exists()


def test_new_with_a_chinese_file_name_gets_a_valid_id(tmp_path: Path) -> None:
    path = tmp_path / "我的检查表.yaml"
    assert invoke("checklist", "new", str(path))[0] == 0
    assert load_checklist(path).id == "my-checklist"


# -------------------------------------------------------------------------- diff


def variant(tmp_path: Path, *edits: tuple[str, str], name: str = "new.yaml") -> Path:
    text = ZUOFENG
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_identical_checklists_have_no_changes() -> None:
    old = load_checklist(BUILTIN / "zuofeng-2008.yaml")
    diff = diff_checklists(old, old)
    assert diff.identical and diff.changes == []
    code, output = invoke("checklist", "diff", "zuofeng-2008", str(BUILTIN / "zuofeng-2008.yaml"))
    assert code == 0 and "两版内容相同" in output


def test_comments_and_formatting_do_not_count_as_changes(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        ("# 修改后请运行", "# 改动注释\n# 修改后请运行"),
        ("roles: [leader]", "roles:\n      - leader"),
    )
    diff = diff_checklists(load_checklist(BUILTIN / "zuofeng-2008.yaml"), load_checklist(path))
    assert diff.identical


def test_items_added_removed_renamed_and_reworded(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        ("      - id: work-4\n", "      - id: work-5\n"),  # same wording, new id
        ("text: 是否简单粗暴、急功近利", "text: 是否简单粗暴、急功近利、弄虚作假"),
        ("      - id: leadership-6\n        text: 在干部群众中的口碑好\n", ""),
        (
            "      - id: study-1\n",
            "      - id: study-0\n        text: 新增的检查内容\n      - id: study-1\n",
        ),
    )
    diff = diff_checklists(load_checklist(BUILTIN / "zuofeng-2008.yaml"), load_checklist(path))
    by_where = {(c.kind, c.where): c for c in diff.changes}
    renamed = by_where[(CHANGED, "检查项 work-4")]
    assert "work-5" in renamed.detail and "找不到" in renamed.impact
    assert (ADDED, "检查项 work-5") not in by_where  # reported as a rename, not add + remove
    assert "弄虚作假" in by_where[(CHANGED, "检查项 work-3")].detail
    assert "不再显示和统计" in by_where[(REMOVED, "检查项 leadership-6")].impact
    assert "补填" in by_where[(ADDED, "检查项 study-0")].impact


def test_shared_question_changes_are_reported_once_with_their_items(tmp_path: Path) -> None:
    start = ZUOFENG.index("    - id: opinion\n")
    opinion = ZUOFENG[start : ZUOFENG.index("    - id: measure\n")]
    path = variant(
        tmp_path,
        (opinion, ""),
        ("      score: 1\n      problem: true", "      score: 1\n      problem: false"),
        (
            "      when: rating.problem\n      prompt: 原因剖析",
            "      required: true\n      when: rating.problem\n      prompt: 原因剖析",
        ),
    )
    old = load_checklist(BUILTIN / "zuofeng-2008.yaml")
    diff = diff_checklists(old, load_checklist(path))
    removed = [c for c in diff.changes if c.where == "问题 opinion"]
    assert len(removed) == 1 and removed[0].kind == REMOVED
    assert len(removed[0].items) == old.item_count
    flag = next(c for c in diff.changes if "不再算作存在问题" in c.detail)
    assert "问题统计" in flag.impact
    required = next(c for c in diff.changes if c.where == "问题 cause")
    assert required.detail == "改为必填" and "未完成" in required.impact
    code, output = invoke("checklist", "diff", "zuofeng-2008", str(path))
    assert code == 0
    assert f"等 {old.item_count} 项" in output
    assert output.count("- 问题 opinion") == 1
    assert "对已有答卷：" in output


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (("type: date", "type: short_text"), "题型 日期 → 短文本"),
        (("prompt: 具体表现", "prompt: 具体问题表现"), "提问改写"),
        (("when: rating.problem\n      prompt: 群众意见", "prompt: 群众意见"), "显示条件 rating"),
        (
            (
                "    - value: serious\n      label: 问题比较突出\n      score: 0\n",
                "    - value: x\n      label: y\n",
            ),
            "删除选项 serious",
        ),
        (("label: 做得好", "label: 很好"), "选项 good 文字 做得好 → 很好"),
        (("score: 3", "score: 5"), "选项 good 分值 3 → 5"),
        (("roles: [leader]", "roles: [leader, staff]"), "适用角色增加 staff"),
        (("title: 学风", "title: 学习作风"), "学风（两个注重） → 学习作风（两个注重）"),
        (
            ("  - id: staff\n    label: 一般干部\n", "  - id: staff\n    label: 普通干部\n"),
            "名称 一般干部 → 普通干部",
        ),
    ],
)
def test_each_kind_of_change_is_named(tmp_path: Path, edit: tuple[str, str], fragment: str) -> None:
    path = variant(tmp_path, edit)
    diff = diff_checklists(load_checklist(BUILTIN / "zuofeng-2008.yaml"), load_checklist(path))
    details = [c.detail for c in diff.changes]
    assert any(fragment in d for d in details), details
    assert all(c.impact for c in diff.changes)


def test_diff_of_a_broken_file_reports_its_problems(tmp_path: Path) -> None:
    path = variant(tmp_path, ("rubric: 三查三看", "rubrc: 三查三看"))
    code, output = invoke("checklist", "diff", "zuofeng-2008", str(path))
    assert code == 1
    assert "未知字段“rubrc”" in output


@pytest.mark.parametrize(
    ("edit", "bumped"),
    [
        (("text: 是否简单粗暴、急功近利", "text: 是否简单粗暴、急功近利的问题"), False),
        (('version: "2008.1"', 'version: "2008.9"'), True),
    ],
)
def test_diff_says_what_summary_does_with_old_responses(
    tmp_path: Path, edit: tuple[str, str], bumped: bool
) -> None:
    from test_summary_helpers import make_response

    old = load_checklist(BUILTIN / "zuofeng-2008.yaml")
    answers = tmp_path / "答卷"
    answers.mkdir()
    for n, name in enumerate(["张三", "李四"]):
        response = make_response(old, name=name, unit="办公室", role="staff")
        (answers / f"{n}.json").write_text(response.to_json(), encoding="utf-8")
    new = variant(tmp_path, edit)
    code, output = invoke("checklist", "diff", "zuofeng-2008", str(new))
    assert code == 0, output
    result = CliRunner().invoke(
        app, ["summary", str(answers), "--checklist", str(new), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["figures"]["respondents"] == 0
    (reason,) = {s["reason"] for s in summary["skipped"]}
    assert f"一份也不计入，原因列为“{reason}”" in output
    assert "不影响已有答案" not in output and "标记为旧版本" not in output
    assert ("版本号没有改" in output) is not bumped
    if not bumped:  # the same id and version: not "another checklist"
        assert "没有一份答卷属于" not in result.stderr
        assert "填写时的检查表内容与这次使用的不同" in result.stderr
