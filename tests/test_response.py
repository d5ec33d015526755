"""The response file: shape, round trip, names safe for a shared folder, clear errors."""

from __future__ import annotations

import errno
import json
import stat
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfcheck.checklist.model import Checklist
from selfcheck.errors import ResponseError, SelfcheckError, os_error_reason
from selfcheck.response import (
    ChecklistRef,
    Respondent,
    Response,
    load_response,
    locked,
    parse_response,
    response_filename,
    save_response,
)

SHA = "0" * 64


def make(answers: dict) -> Response:  # type: ignore[type-arg]
    return Response(
        checklist=ChecklistRef(id="zuofeng-2008", version="2008.1", sha256=SHA),
        respondent=Respondent(name="张三", unit="局办公室", position="科员", role="staff"),
        status="draft",
        started_at=datetime(2009, 1, 15, 9, 0, tzinfo=timezone.utc),
        answers=answers,
        cursor="work-1",
    )


def test_the_required_keys_are_written(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    save_response(make({"work-1": {"rating": "good"}}), path)
    data = json.loads(path.read_text(encoding="utf-8"))
    required = ("schema_version", "checklist", "respondent", "status", "started_at", "submitted_at")
    for key in (*required, "answers"):
        assert key in data
    assert set(data["checklist"]) >= {"id", "version", "sha256"}
    assert set(data["respondent"]) >= {"name", "unit", "position", "role"}
    assert "张三" in path.read_text(encoding="utf-8"), "Chinese stays readable"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


_answer = st.one_of(
    st.text(max_size=30),
    st.booleans(),
    st.integers(-1000, 1000),
    st.lists(st.text(max_size=5), max_size=3),
)


_ids = st.from_regex(r"[a-z]+", fullmatch=True)


@given(st.dictionaries(_ids, st.dictionaries(_ids, _answer, max_size=4), max_size=5))
@settings(max_examples=40, deadline=None)
def test_answers_round_trip(answers: dict) -> None:  # type: ignore[type-arg]
    response = make(answers)
    assert parse_response(response.to_json(), "r.json").answers == answers


def test_file_names_are_safe_and_distinct() -> None:
    name = response_filename("局办公室", "张三", "zuofeng-2008")
    assert name == "局办公室-张三-zuofeng-2008.json"
    assert response_filename("局办公室", "张三", "zuofeng-2008", draft=True).endswith(".draft.json")
    risky = response_filename('办公室/二科:"甲"', "CON", "x")
    assert "/" not in risky and ":" not in risky and '"' not in risky
    assert not risky.startswith("CON")
    assert response_filename("A科", "张三", "x") != response_filename("B科", "张三", "x")


def test_loading_explains_what_is_wrong(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1, "status": "done"}', encoding="utf-8")
    with pytest.raises(ResponseError) as caught:
        load_response(bad)
    rendered = caught.value.render()
    assert str(bad) in rendered
    assert "checklist" in rendered and "缺少必填字段" in rendered
    assert "status" in rendered
    with pytest.raises(ResponseError, match="找不到"):
        load_response(tmp_path / "missing.json")
    torn = tmp_path / "torn.json"
    torn.write_text('{"schema_version": 1, "chec', encoding="utf-8")
    with pytest.raises(ResponseError) as caught:
        load_response(torn)
    assert "不是有效的 JSON" in caught.value.render()


@pytest.mark.parametrize(
    ("number", "where"),
    [("1" + "0" * 5000, (2, 3, "schema_version")), ("1e999", (4, 16, "answers.work-1.score"))],
)
def test_a_number_out_of_range_is_located_by_its_field(
    tmp_path: Path, number: str, where: tuple[int, int, str]
) -> None:
    """msgspec gives such a number no path (``$[...]``); the message still names the
    line, column and field, in Chinese (it once read ``1:1: ]: 取值无效（Integer …）``)."""
    version, score = (number, "1") if where[2] == "schema_version" else ("1", number)
    answers = '{\n    "work-1": {"score": ' + score + "}}"
    text = '{\n  "schema_version": ' + version + ',\n  "answers": ' + answers + "}"
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ResponseError) as caught:
        load_response(bad)
    line, col, field = where
    assert f"{bad}:{line}:{col}: {field}: 数字超出范围" in caught.value.render()
    assert "out of range" not in caught.value.render()


@pytest.mark.parametrize("text", ["[[[\n", '{"answers": [1,\n 2', "[1, 2,"])
def test_broken_json_is_reported_as_broken_even_when_its_first_value_has_the_wrong_type(
    tmp_path: Path, text: str
) -> None:
    """A typed decoder meets "an array, not an object" before the syntax error; every reader
    of a response or summary file reports the truncated JSON, which is the real fault."""
    from typer.testing import CliRunner

    from selfcheck.cli import app

    broken = tmp_path / "坏.json"
    broken.write_text(text, encoding="utf-8")
    runner = CliRunner()
    for argv in (["report", str(broken)], ["rectify", str(broken)], ["rollup", str(broken)]):
        result = runner.invoke(app, argv)
        assert result.exit_code == 1, argv
        assert "不是有效的 JSON" in result.stderr, (argv, result.stderr)
        assert "类型不对" not in result.stderr, (argv, result.stderr)
    result = runner.invoke(app, ["summary", str(tmp_path), "--format", "json", "--no-similarity"])
    assert result.exit_code == 0
    (skip,) = json.loads(result.stdout)["skipped"]
    assert skip["code"] == "not_json" and "不是有效的 JSON 文件" in skip["reason"]


@pytest.mark.parametrize("folder", ["afile", "afile/sub"])
def test_a_file_where_the_folder_should_be_is_named_not_already_existing(
    tmp_path: Path, folder: str
) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    target = tmp_path / folder / "a.json"
    not_a_folder = os_error_reason(NotADirectoryError(errno.ENOTDIR, "not a directory"))
    with pytest.raises(ResponseError, match=not_a_folder), locked(target):
        pass
    with pytest.raises(SelfcheckError, match=not_a_folder):
        save_response(make({}), target)


@pytest.mark.parametrize("rating", [[], ["some"]])
def test_a_list_where_the_rating_should_be_is_reported_not_a_crash(
    tmp_path: Path, rating: list[object], zuofeng: Checklist
) -> None:
    """A hand-edited answers file with a list for a rating: the schema takes it (an answer
    may be a list), and every stage that asks "does this mark a problem?" once died on it
    with 内部错误 (unhashable type: 'list'). Now it marks no problem and the mismatch is
    named like any other answer that does not fit the checklist."""
    from typer.testing import CliRunner

    from selfcheck.cli import app

    data = json.loads(
        (Path(__file__).parent / "fixtures" / "report_leader.json").read_text("utf-8")
    )
    data["checklist"]["sha256"] = zuofeng.sha256
    data["answers"]["thinking-2"]["rating"] = rating
    folder = tmp_path / "答卷"
    folder.mkdir()
    path = folder / "王建国.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    runner = CliRunner()
    for argv in (
        ["report", str(path), "-f", "md", "-o", str(tmp_path / "材料.md")],
        ["rectify", str(path), "--no-input"],
        ["review", str(folder), "--list", "--no-similarity"],
        [
            "summary",
            str(folder),
            "--no-similarity",
            "--format",
            "csv",
            "-o",
            str(tmp_path / "台账.csv"),
        ],
    ):
        result = runner.invoke(app, argv)
        assert result.exit_code == 0, (argv, result.output)
        assert "内部错误" not in result.output and result.exception is None, argv
    result = runner.invoke(app, ["report", str(path), "-f", "md", "-o", str(tmp_path / "again.md")])
    assert "answers.thinking-2.rating：类型不对" in result.output


@pytest.mark.parametrize(
    ("answers", "field", "got"),
    [
        ('{"work-1": {"rating": "good"}, "work-2": {"rating": {"x": 1}}}', "work-2.rating", "对象"),
        ('{"work-1": {"rating": "good"}, "work-2": [1]}', "work-2", "列表"),
        ('{"work-1": {"rating": "good", "note": [1]}}', "work-1.note[0]", "整数"),
    ],
)
def test_a_wrong_type_inside_the_answers_names_the_item_and_question(
    tmp_path: Path, answers: str, field: str, got: str
) -> None:
    """msgspec names an answer's place ``$.answers[...][...]`` without the keys; the message
    once read ``answers.].]``. The keys are found in the text: the field and its line."""
    text = '{\n  "schema_version": 1,\n  "answers":\n' + answers + "\n}"
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ResponseError) as caught:
        load_response(bad)
    rendered = caught.value.render()
    first = caught.value.problems[0]
    assert first.path == f"answers.{field}", rendered
    assert first.line == 4 and f"实际是{got}" in first.message, rendered
    assert "]." not in rendered
