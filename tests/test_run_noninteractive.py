"""``selfcheck run --answers FILE [--no-input]``: prefill, checking, and equal results."""

from __future__ import annotations

import errno
import functools
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from selfcheck.answers import is_visible, normalize
from selfcheck.checklist.model import Checklist
from selfcheck.cli import app
from selfcheck.errors import os_error_reason
from selfcheck.response import load_response
from selfcheck.run.options import OUT_ENV
from selfcheck.run.session import RunOptions, run_session
from selfcheck.testing import ScriptedPrompter
from selfcheck.yamlsafe import parse_yaml

TODAY = date(2009, 1, 15)  # conftest fixes SELFCHECK_TODAY to this day
PERSON = {"name": "张三", "unit": "局办公室", "position": "科员", "role": "staff"}


def write_answers(folder: Path, answers: dict[str, Any], **top: Any) -> Path:
    """An answers file in the shape ``selfcheck checklist template`` writes."""
    data = {"checklist": "zuofeng-2008", "respondent": dict(PERSON), "answers": answers, **top}
    path = folder / "answers.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def run_cli(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(app, ["run", *args], input=input)


def all_good(checklist: Checklist, role: str = "staff") -> dict[str, Any]:
    return {item.id: {"rating": "good"} for _, item in checklist.items_for(role)}


def typed_lines(checklist: Checklist, role: str, answers: dict[str, dict[str, Any]]) -> list[str]:
    """What a person types in the walk to give ``answers`` (Enter for what is absent)."""
    lines: list[str] = []
    for _, item in checklist.items_for(role):
        given = answers.get(item.id, {})
        so_far: dict[str, Any] = {}
        for question in item.questions:
            if not is_visible(item, question, so_far, role):
                continue
            raw = given.get(question.id)
            if raw is None:
                lines.append("")
                continue
            if question.type == "long_text":
                lines += [*str(raw).split("\n"), ""]
            elif question.type == "multiple_choice":
                lines.append(" ".join(raw))
            else:
                lines.append(str(raw))
            so_far[question.id] = normalize(question, raw, today=TODAY)
    return lines


def interactive_answers(folder: Path, checklist: Checklist, role: str, raw: dict[str, Any]) -> Any:
    """Stored answers after typing ``raw`` into the interactive walk and submitting."""
    prompter = ScriptedPrompter([*typed_lines(checklist, role, raw), "", ""])
    person = {**PERSON, "role": role}
    options = RunOptions(checklist=checklist.id, out=folder, formats="none", **person)
    assert run_session(options, prompter) == 0
    assert prompter.remaining == []
    (response_file,) = folder.glob("*.json")
    return load_response(response_file).answers


def file_answers(folder: Path, checklist: Checklist, role: str, raw: dict[str, Any]) -> Any:
    """Stored answers after ``--answers FILE --no-input`` with ``raw``."""
    folder.mkdir(exist_ok=True)
    source = write_answers(folder, raw, checklist=checklist.id, respondent={**PERSON, "role": role})
    out = folder / "out"
    result = run_cli("--answers", str(source), "--no-input", "--format", "none", "--out", str(out))
    assert result.exit_code == 0, result.output
    (response_file,) = out.glob("*.json")
    return load_response(response_file).answers


# ----------------------------------------------------------------- success


def test_no_input_submits_a_checked_answers_file(tmp_path: Path, zuofeng) -> None:  # type: ignore[no-untyped-def]
    answers = all_good(zuofeng)
    answers["work-2"] = {
        "rating": "存在一些问题",  # the label works as well as the value
        "manifestation": "办理群众来信拖拉，有三件超过时限\n对基层的请示答复不及时",
        "measure": "建立来信台账，每周清理",
        "deadline": date(2009, 3, 31),  # an unquoted YAML date
    }
    answers["work-3"] = {
        "rating": "3",
        "manifestation": "简单粗暴，对来访群众不够耐心细致",
        "measure": "改进态度",
        "deadline": "2009年6月30日",
    }
    source = write_answers(tmp_path, answers)
    out = tmp_path / "out"
    result = run_cli("--answers", str(source), "--no-input", "--format", "none", "--out", str(out))
    assert result.exit_code == 0, result.output
    response = load_response(out / "局办公室-张三-zuofeng-2008.json")
    assert response.status == "submitted"
    assert response.answers["work-2"] == {
        "rating": "some",
        "manifestation": "办理群众来信拖拉，有三件超过时限\n对基层的请示答复不及时",
        "measure": "建立来信台账，每周清理",
        "deadline": "2009-03-31",
    }
    assert response.answers["work-3"]["deadline"] == "2009-06-30"
    assert response.answers["work-3"]["rating"] == "some"
    assert "已提交" in result.stdout


def test_the_fill_in_template_is_accepted_once_filled(tmp_path: Path) -> None:
    template = CliRunner().invoke(app, ["checklist", "template", "zuofeng-2008"])
    assert template.exit_code == 0, template.output
    data = parse_yaml(template.stdout, "template.yaml").data
    data["respondent"].update(PERSON)
    for item_id, questions in data["answers"].items():
        if not item_id.startswith("leadership"):  # a staff member leaves the leaders' items blank
            questions["rating"] = "basic"
    source = tmp_path / "filled.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run_cli(
        "--answers", str(source), "--no-input", "--format", "none", "--out", str(tmp_path)
    )
    assert result.exit_code == 0, result.output


def test_a_previous_response_file_serves_as_answers(tmp_path: Path, zuofeng) -> None:  # type: ignore[no-untyped-def]
    answers = all_good(zuofeng)
    answers["study-1"] = {
        "rating": "some",
        "manifestation": "学习不主动，一年只读两本业务书",
        "measure": "每月读一本书",
        "deadline": "2009-12-31",
    }
    first = run_cli(
        "--answers",
        str(write_answers(tmp_path, answers)),
        "--no-input",
        "--format",
        "none",
        "--out",
        str(tmp_path / "2008"),
    )
    assert first.exit_code == 0, first.output
    previous = tmp_path / "2008" / "局办公室-张三-zuofeng-2008.json"
    again = run_cli(
        "--answers",
        str(previous),
        "--no-input",
        "--format",
        "none",
        "--out",
        str(tmp_path / "2009"),
    )
    assert again.exit_code == 0, again.output
    copied = load_response(tmp_path / "2009" / previous.name)
    assert copied.answers == load_response(previous).answers


def test_flags_override_the_respondent_in_the_file(tmp_path: Path, zuofeng) -> None:  # type: ignore[no-untyped-def]
    source = write_answers(tmp_path, all_good(zuofeng))
    result = run_cli(
        "--answers",
        str(source),
        "--no-input",
        "--format",
        "none",
        "--out",
        str(tmp_path),
        "--name",
        "李四",
        "--role",
        "一般干部",
    )
    assert result.exit_code == 0, result.output
    response = load_response(tmp_path / "局办公室-李四-zuofeng-2008.json")
    assert (response.respondent.name, response.respondent.role) == ("李四", "staff")


def test_quality_warnings_are_printed_but_do_not_block(tmp_path: Path, zuofeng) -> None:  # type: ignore[no-untyped-def]
    answers = all_good(zuofeng)
    answers["work-1"] = {"rating": "some", "manifestation": "态度不好", "measure": "改正"}
    answers["thinking-1"] = {"rating": "good", "manifestation": "写了但评为做得好"}
    result = run_cli(
        "--answers",
        str(write_answers(tmp_path, answers)),
        "--no-input",
        "--format",
        "none",
        "--out",
        str(tmp_path),
    )
    assert result.exit_code == 0, result.output
    assert "过于笼统" in result.stdout
    assert "没有整改时限" in result.stdout
    assert "都没有查摆出问题" in result.stdout
    assert "thinking-1.manifestation" in result.stdout  # written but not applicable: said, not kept


def test_reports_are_written_and_their_paths_printed(tmp_path: Path, zuofeng) -> None:  # type: ignore[no-untyped-def]
    source = write_answers(tmp_path, all_good(zuofeng))
    result = run_cli(
        "--answers", str(source), "--no-input", "--format", "md", "--out", str(tmp_path)
    )
    assert result.exit_code == 0, result.output
    reports = sorted(tmp_path.glob("*.md"))
    assert len(reports) == 1
    assert str(reports[0]) in result.stdout.replace("\n", "")
    assert "张三" in reports[0].read_text(encoding="utf-8")


# ----------------------------------------------------------------- failure


def test_every_problem_is_listed_with_item_and_line_and_nothing_is_written(
    tmp_path: Path, zuofeng
) -> None:  # type: ignore[no-untyped-def]
    answers = all_good(zuofeng)
    answers["thinking-1"] = {"rating": "excellent"}  # no such option
    answers["thinking-2"] = {"rating": "some", "measure": "改正"}  # 具体表现 missing
    answers["work-1"] = {
        "rating": "some",
        "manifestation": "拖拉",
        "measure": "改",
        "deadline": "明年",
    }
    answers["work-2"] = {
        "rating": "some",
        "manifestation": "拖拉",
        "measure": "改",
        "deadline": "2008-12-31",
    }  # in the past
    answers["work-3"] = {"ratting": "good"}  # misspelt question
    answers["work-9"] = {"rating": "good"}  # no such item
    answers["leadership-1"] = {"rating": "good"}  # not for staff
    del answers["study-2"]  # missing
    source = write_answers(tmp_path, answers)
    out = tmp_path / "out"
    result = run_cli("--answers", str(source), "--no-input", "--format", "none", "--out", str(out))
    assert result.exit_code == 1
    err = result.stderr
    assert "未写入任何文件" in err
    expected = {
        "thinking-1.rating": "没有这个选项“excellent”",
        "thinking-2.manifestation": "必填",
        "work-1.deadline": "无法识别的日期“明年”",
        "work-2.deadline": "已经过去",
        "work-3.ratting": "没有这个问题",
        "work-3.rating": "必填",
        "work-9": "检查表中没有这个检查项",
        "leadership-1": "不适用于角色“一般干部”",  # the role's label, not its id staff
        "study-2.rating": "必填",
    }
    lines = err.splitlines()
    text = source.read_text(encoding="utf-8").splitlines()
    for where, message in expected.items():
        hits = [line for line in lines if f": {where}: " in line and message in line]
        assert hits, f"{where} not reported:\n{err}"
        # FILE:LINE:COL: the line is inside that item's block (or at "answers:" if it is absent)
        line_no = int(hits[0].split(f"{source}:")[1].split(":")[0])
        item = where.split(".")[0]
        owner = next(
            line.strip().rstrip(":")
            for line in reversed(text[:line_no])
            if (line.startswith("  ") and not line.startswith("   ")) or not line.startswith(" ")
        )
        assert owner == (item if item in answers else "answers"), (where, line_no)
    assert not out.exists()


def test_wrong_role_and_missing_identity_are_reported(tmp_path: Path, zuofeng) -> None:  # type: ignore[no-untyped-def]
    source = write_answers(tmp_path, all_good(zuofeng), respondent={"name": "", "role": "boss"})
    result = run_cli(
        "--answers", str(source), "--no-input", "--format", "none", "--out", str(tmp_path)
    )
    assert result.exit_code == 1
    assert "缺少姓名" in result.stderr
    assert "缺少单位" in result.stderr
    assert "身份“boss”不在检查表中" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yaml"]


def test_a_wrong_flag_is_named_by_its_option_not_blamed_on_the_answers_file(
    tmp_path: Path,
    zuofeng,  # type: ignore[no-untyped-def]
) -> None:
    from selfcheck.run.identity import MAX_FIELD

    source = write_answers(tmp_path, all_good(zuofeng), respondent=PERSON)
    base = ("--answers", str(source), "--no-input", "--format", "none", "--out", str(tmp_path))
    result = run_cli(*base, "--role", "boss")
    assert result.exit_code == 1
    assert result.stderr.startswith("--role boss：身份不在检查表中，可选：")
    assert "answers.yaml" not in result.stderr
    result = run_cli(*base, "--name", "张" * (MAX_FIELD + 1))
    assert result.exit_code == 1
    assert f"--name：太长了：最多 {MAX_FIELD} 个字，现在 {MAX_FIELD + 1} 个字" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yaml"]


def test_an_over_long_identity_field_says_how_long_it_is(tmp_path: Path, zuofeng) -> None:  # type: ignore[no-untyped-def]
    """The same limit, and the same wording, as the terminal walk's identity questions."""
    from selfcheck.run.identity import MAX_FIELD

    unit = "规" * (MAX_FIELD + 3)
    source = write_answers(tmp_path, all_good(zuofeng), respondent={**PERSON, "unit": unit})
    result = run_cli(
        "--answers", str(source), "--no-input", "--format", "none", "--out", str(tmp_path)
    )
    assert result.exit_code == 1
    told = f"respondent.unit: 太长了：最多 {MAX_FIELD} 个字，现在 {MAX_FIELD + 3} 个字"
    assert told in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yaml"]


def test_an_answers_file_for_another_checklist_is_refused(tmp_path: Path, zuofeng) -> None:  # type: ignore[no-untyped-def]
    source = write_answers(tmp_path, all_good(zuofeng), checklist="liuxing-jiguan")
    result = run_cli(
        "--answers",
        str(source),
        "--no-input",
        "--checklist",
        "zuofeng-2008",
        "--format",
        "none",
        "--out",
        str(tmp_path),
    )
    assert result.exit_code == 1
    assert "liuxing-jiguan" in result.stderr


def test_broken_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    source = tmp_path / "a.yaml"
    source.write_text(
        "checklist: zuofeng-2008\nanswers:\n  work-1: {rating: good\n", encoding="utf-8"
    )
    result = run_cli("--answers", str(source), "--no-input", "--format", "none")
    assert result.exit_code == 1
    assert f"{source}:" in result.stderr
    assert "Traceback" not in result.output


def test_no_input_needs_an_answers_file_and_bad_formats_stop_early() -> None:
    result = run_cli("--no-input", "--format", "none")
    assert result.exit_code == 1
    assert "--answers" in result.stderr
    result = run_cli("--format", "pdf", input="")
    assert result.exit_code == 1
    assert "pdf" in result.stderr


# ------------------------------------------------------------- equivalence


def test_answers_file_and_interactive_walk_store_the_same_answers(tmp_path: Path, zuofeng) -> None:  # type: ignore[no-untyped-def]
    raw: dict[str, Any] = all_good(zuofeng, "leader")
    raw["thinking-2"] = {
        "rating": "问题比较突出",
        "manifestation": "重物轻人，\n只看项目不看群众感受",
        "cause": "政绩观有偏差",
        "measure": "每季度听取群众意见\n[red]建立回访制度[/]",
        "deadline": "2009/6/30",
    }
    raw["leadership-3"] = {
        "rating": "some",
        "manifestation": "为群众办实事少，下基层时间每月不足两天",
        "opinion": "群众反映见不到领导",
        "measure": "每月下基层不少于四天",
    }
    raw["study-2"] = {"rating": "2"}
    walked = interactive_answers(tmp_path / "walk", zuofeng, "leader", raw)
    filed = file_answers(tmp_path / "file", zuofeng, "leader", raw)
    assert walked == filed
    assert walked["thinking-2"]["deadline"] == "2009-06-30"


def test_same_answers_for_every_question_type(tmp_path: Path, liuxing_path: Path) -> None:
    from selfcheck.checklist.loader import load_checklist

    liuxing = load_checklist(liuxing_path)
    raw: dict[str, Any] = {
        "learning-1": {
            "channels": ["1", "向群众学习"],
            "sessions": "12",
            "notes": "是",
            "level": "a",
        },
        "service-1": {"complaints": "3件", "level": "c", "shortfall": "窗口服务态度有时生硬"},
        "efficiency-1": {"overdue": "是", "overdue_count": "2", "level": "b"},
        "harmony-1": {"level": "较好"},
        "innovation-1": {"idea": "推行一次性告知制度", "level": "a"},
        "integrity-1": {"pledge": "是", "signed_on": "2008年12月1日", "level": "a"},
    }
    walked = interactive_answers(tmp_path / "walk", liuxing, "staff", raw)
    filed = file_answers(tmp_path / "file", liuxing, "staff", raw)
    assert walked == filed
    assert walked["learning-1"]["channels"] == ["books", "masses"]
    assert walked["efficiency-1"]["overdue_count"] == 2


_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
_TEXT_CHARS = st.one_of(_CJK, st.sampled_from(list("，。；、[]/ （）0123456789ab")))


@st.composite
def _text(draw: st.DrawFn, lines: int = 2) -> str:
    parts = []
    for _ in range(draw(st.integers(1, lines))):
        first = draw(_CJK)
        rest = draw(st.text(_TEXT_CHARS, min_size=0, max_size=20))
        parts.append((first + rest).strip())
    return "\n".join(parts)


_DATE_STYLES = [
    "{d.year}-{d.month:02d}-{d.day:02d}",
    "{d.year}/{d.month}/{d.day}",
    "{d.year}年{d.month}月{d.day}日",
]


@st.composite
def _item_answers(draw: st.DrawFn) -> dict[str, Any]:
    rating = draw(
        st.sampled_from(["good", "basic", "some", "serious", "1", "做得好", "问题比较突出"])
    )
    answers: dict[str, Any] = {"rating": rating}
    if rating in ("some", "serious", "问题比较突出"):
        answers["manifestation"] = draw(_text())
        answers["measure"] = draw(_text())
        if draw(st.booleans()):
            answers["cause"] = draw(_text(1))
        if draw(st.booleans()):
            when = draw(st.dates(min_value=TODAY, max_value=date(2010, 12, 31)))
            style = draw(st.sampled_from(_DATE_STYLES))
            answers["deadline"] = style.format(d=when)
    return answers


@functools.cache
def _builtin(name: str) -> Checklist:
    from selfcheck.checklist.loader import load_checklist

    return load_checklist(Path(__file__).parent.parent / "checklists" / f"{name}.yaml")


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_walk_and_file_agree_on_random_answers(tmp_path_factory: Any, data: st.DataObject) -> None:
    zuofeng = _builtin("zuofeng-2008")
    raw = {
        item.id: data.draw(_item_answers(), label=item.id) for _, item in zuofeng.items_for("staff")
    }
    folder = tmp_path_factory.mktemp("agree")
    walked = interactive_answers(folder / "walk", zuofeng, "staff", raw)
    filed = file_answers(folder / "file", zuofeng, "staff", raw)
    assert walked == filed


def test_interactive_run_reads_piped_lines_and_ctrl_d_exits_130(tmp_path: Path) -> None:
    typed = "\n".join(["张三", "局办公室", "科员", "2", "1", "2"]) + "\n"
    result = run_cli("--format", "none", "--out", str(tmp_path), input=typed)
    assert result.exit_code == 130
    assert "继续填写请运行" in result.stderr
    draft = load_response(tmp_path / "局办公室-张三-zuofeng-2008.draft.json")
    assert draft.answers == {"thinking-1": {"rating": "good"}, "thinking-2": {"rating": "basic"}}
    assert (
        json.loads((tmp_path / "局办公室-张三-zuofeng-2008.draft.json").read_text("utf-8"))[
            "status"
        ]
        == "draft"
    )


def test_a_returned_material_is_explained_when_resubmitted_from_a_file(
    tmp_path: Path, zuofeng
) -> None:  # type: ignore[no-untyped-def]
    answers = all_good(zuofeng)
    answers["work-2"] = {
        "rating": "some",
        "manifestation": "办理群众来信拖拉，有三件超过时限",
        "measure": "建立来信台账，每周清理",
        "deadline": "2009-03-31",
    }
    source = write_answers(
        tmp_path, answers, checklist=zuofeng.id, respondent={**PERSON, "role": "staff"}
    )
    out = tmp_path / "out"
    argv = ["--answers", str(source), "--no-input", "--format", "none", "--out", str(out)]
    assert run_cli(*argv).exit_code == 0
    (response_file,) = out.glob("*.json")
    returned = CliRunner().invoke(
        app,
        [
            "review",
            str(response_file),
            "--return",
            "--reason",
            "问题不具体",
            "--note",
            "请写明哪三件来信",
            "--reviewer",
            "赵委员",
        ],
    )
    assert returned.exit_code == 0, returned.output

    again = run_cli(*argv)

    assert again.exit_code == 0, again.output
    assert "退回理由：问题不具体" in again.output
    assert "审核意见：请写明哪三件来信" in again.output
    assert "重新提交后为第 2 稿" in again.output
    assert load_response(response_file).draft_number == 2


@pytest.mark.parametrize("no_input", [True, False], ids=["no-input", "interactive"])
@pytest.mark.parametrize("given_as", ["--out", "SELFCHECK_OUT"])
def test_an_output_folder_that_is_a_file_is_named_as_such(
    tmp_path: Path, zuofeng, given_as: str, no_input: bool
) -> None:  # type: ignore[no-untyped-def]
    afile = tmp_path / "afile"
    afile.write_text("不是文件夹", encoding="utf-8")
    source = write_answers(tmp_path, all_good(zuofeng))
    args = ["--answers", str(source), "--format", "none"]
    args += ["--no-input"] if no_input else []
    args += ["--out", str(afile)] if given_as == "--out" else []
    env = {OUT_ENV: str(afile)} if given_as == "SELFCHECK_OUT" else {}
    result = CliRunner().invoke(app, ["run", *args], input="", env=env)
    assert result.exit_code == 1, result.output
    not_a_folder = os_error_reason(NotADirectoryError(errno.ENOTDIR, "not a directory"))
    assert f"无法使用保存文件夹 {afile}：{not_a_folder}" in result.output
    assert "已经存在" not in result.output
    assert "无法锁定" not in result.output
    assert afile.read_text(encoding="utf-8") == "不是文件夹"
