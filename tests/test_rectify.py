"""``selfcheck rectify``: listing measures, recording progress, keeping history.

Today is fixed to 2009-01-15 by conftest; tests that move time set
SELFCHECK_TODAY themselves.
"""

from __future__ import annotations

import functools
import json
import stat
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from selfcheck.checklist.loader import load_checklist
from selfcheck.checklist.model import Checklist
from selfcheck.cli import app
from selfcheck.engine import check_answers
from selfcheck.errors import RectifyError
from selfcheck.rectify.progress import (
    StatusUpdate,
    check_update,
    list_measures,
    parse_set,
    parse_status,
    updates_from_sets,
)
from selfcheck.response import (
    ChecklistRef,
    Respondent,
    Response,
    load_response,
    replace,
    save_response,
)
from selfcheck.rules import STATUS_LABELS, Status, is_overdue, needs_rectification

SUBMITTED_ON = date(2009, 1, 10)
CHECKLISTS = Path(__file__).resolve().parent.parent / "checklists"

# A staff member who found problems in three items; thinking-1's deadline is the earliest.
PROBLEM_ANSWERS: dict[str, dict[str, Any]] = {
    "thinking-1": {
        "rating": "serious",
        "manifestation": "满足于按部就班，缺少主动谋划",
        "cause": "学习不够",
        "measure": "每月提出一条改进工作的建议",
        "deadline": "2009-02-10",
    },
    "work-2": {
        "rating": "some",
        "manifestation": "公文办理拖拉，有积压",
        "cause": "责任心不强",
        "measure": "建立公文办理台账，每周清理",
        "deadline": "2009-03-31",
    },
    "work-4": {
        "rating": "some",
        "manifestation": "工作计划性不强",
        "measure": "每周一列出本周工作计划",
    },
}


def staff_answers(problems: dict[str, dict[str, Any]] | None = None) -> dict[str, dict[str, Any]]:
    """Answers to every staff item: 做得好 except the given problem items."""
    problems = PROBLEM_ANSWERS if problems is None else problems
    items = ["thinking-1", "thinking-2", "thinking-3", "work-1", "work-2", "work-3", "work-4",
             "study-1", "study-2"]
    return {item: problems.get(item, {"rating": "good"}) for item in items}


def submitted_response(
    checklist: Checklist,
    raw_answers: dict[str, dict[str, Any]] | None = None,
    *,
    name: str = "张三",
    unit: str = "办公室",
    role: str = "staff",
    status: str = "submitted",
) -> Response:
    """A response as ``selfcheck run`` would write it, submitted on SUBMITTED_ON."""
    answers, issues = check_answers(
        checklist, role, staff_answers() if raw_answers is None else raw_answers, today=SUBMITTED_ON
    )
    assert issues == []
    stamp = datetime(2009, 1, 10, 9, 30).astimezone()
    return Response(
        checklist=ChecklistRef(id=checklist.id, version=checklist.version, sha256=checklist.sha256),
        respondent=Respondent(name=name, unit=unit, position="科员", role=role),
        status=status,  # type: ignore[arg-type]
        started_at=stamp,
        updated_at=stamp,
        submitted_at=stamp if status == "submitted" else None,
        answers=answers,
    )


DEFAULT_NAME = "办公室-张三-zuofeng-2008.json"


def write_response(folder: Path, response: Response, name: str = DEFAULT_NAME) -> Path:
    """Save ``response`` in ``folder`` the way run does."""
    path = folder / name
    save_response(response, path)
    return path


@pytest.fixture
def response_file(tmp_path: Path, zuofeng: Checklist) -> Path:
    """A submitted response with three measures."""
    return write_response(tmp_path, submitted_response(zuofeng))


def rectify(*args: str, input: str | None = None) -> Any:
    """Invoke ``selfcheck rectify`` through the real CLI."""
    return CliRunner().invoke(app, ["rectify", *args], input=input)


def log(path: Path) -> list[dict[str, Any]]:
    """The rectification log as stored in the file."""
    return json.loads(path.read_text(encoding="utf-8"))["rectification"]  # type: ignore[no-any-return]


# ------------------------------------------------------------------ listing


def test_measures_are_the_items_whose_rating_marks_a_problem(zuofeng: Checklist) -> None:
    response = submitted_response(zuofeng)
    measures = list_measures(zuofeng, response, today=date(2009, 1, 15))
    assert [m.item_id for m in measures] == ["thinking-1", "work-2", "work-4"]
    work2 = measures[1]
    assert work2.problem == PROBLEM_ANSWERS["work-2"]["manifestation"]
    assert work2.measure == PROBLEM_ANSWERS["work-2"]["measure"]
    assert work2.deadline == date(2009, 3, 31)
    assert work2.section_title == "工作作风"
    assert work2.status == "未开始"
    assert measures[2].deadline is None


def test_no_problems_means_no_measures(zuofeng: Checklist) -> None:
    response = submitted_response(zuofeng, staff_answers({}))
    assert list_measures(zuofeng, response, today=date(2009, 1, 15)) == []


def test_measures_follow_the_one_rule_of_needs_rectification(zuofeng: Checklist) -> None:
    # A hand-edited (or older) file: texts written although the rating is 做得好.
    answers = staff_answers({})
    answers["work-1"] = {"rating": "good", "manifestation": "接待群众态度生硬"}
    answers["work-3"] = {"rating": "good", "measure": "每月向群众征求一次意见"}
    answers["study-1"] = {"rating": "good", "cause": "只写了原因"}
    response = replace(submitted_response(zuofeng, staff_answers({})), answers=answers)
    measures = list_measures(zuofeng, response, today=date(2009, 1, 15))
    assert [m.item_id for m in measures] == ["work-1", "work-3"]
    assert measures[0].problem == "接待群众态度生硬" and measures[0].measure == ""
    for _, item in zuofeng.items_for("staff"):
        listed = item.id in {m.item_id for m in measures}
        assert listed is needs_rectification(item, answers.get(item.id, {})), item.id


def test_only_a_strict_iso_deadline_counts(zuofeng: Checklist) -> None:
    answers = staff_answers()
    answers["work-2"] = {**answers["work-2"], "deadline": "2009/1/1"}
    response = replace(submitted_response(zuofeng), answers=answers)
    work2 = next(
        m for m in list_measures(zuofeng, response, today=date(2009, 1, 15))
        if m.item_id == "work-2"
    )
    assert work2.deadline is None and not work2.overdue


@pytest.mark.parametrize(
    ("deadline", "status", "today", "expected"),
    [
        (date(2009, 2, 10), "未开始", date(2009, 2, 10), False),  # due today: not yet overdue
        (date(2009, 2, 10), "未开始", date(2009, 2, 11), True),
        (date(2009, 2, 10), "整改中", date(2009, 2, 11), True),
        (date(2009, 2, 10), "已完成", date(2009, 2, 11), False),
        (date(2009, 2, 10), "长期坚持", date(2009, 2, 11), False),
        (None, "未开始", date(2099, 1, 1), False),
    ],
)
def test_overdue_rule(deadline: date | None, status: str, today: date, expected: bool) -> None:
    assert is_overdue(deadline, status, today) is expected


def test_overdue_moves_with_today(response_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = rectify(str(response_file), "--no-input")
    assert result.exit_code == 0, result.output
    assert "逾期" not in result.output.replace("逾期未完成 0", "")

    monkeypatch.setenv("SELFCHECK_TODAY", "2009-02-11")
    result = rectify(str(response_file), "--no-input")
    assert result.exit_code == 0, result.output
    assert "逾期未完成 1" in result.output
    assert "未开始 逾期" in result.output

    monkeypatch.setenv("SELFCHECK_TODAY", "2009-04-01")
    result = rectify(str(response_file), "--no-input")
    assert "逾期未完成 2" in result.output


def test_listing_shows_problem_measure_deadline_and_status(response_file: Path) -> None:
    result = rectify(str(response_file), "--no-input")
    assert result.exit_code == 0, result.output
    for answers in PROBLEM_ANSWERS.values():
        assert answers["manifestation"] in result.output
        assert answers["measure"] in result.output
    assert "2009-03-31" in result.output
    assert "共 3 项整改措施" in result.output
    assert "未开始 3" in result.output


def test_later_paragraphs_hang_under_the_first_in_listing_and_walk(
    tmp_path: Path, zuofeng: Checklist
) -> None:
    problems = dict(PROBLEM_ANSWERS)
    problems["work-2"] = {
        **PROBLEM_ANSWERS["work-2"],
        "manifestation": "公文办理拖拉\n有积压\t三件超期\n\n　　会议通知下发不及时",
        "measure": "建立公文办理台账\n每周清理",
    }
    path = write_response(tmp_path, submitted_response(zuofeng, staff_answers(problems)))
    expected = [
        "   具体表现：公文办理拖拉",
        "             有积压 三件超期",  # a tab is one blank, not eight
        "             会议通知下发不及时",  # the blank line is no gap between measures
        "   整改措施：建立公文办理台账",
        "             每周清理",
        "   整改时限：2009-03-31",
    ]
    listed = rectify(str(path), "--no-input")
    assert listed.exit_code == 0, listed.output
    walked = rectify(str(path), input="\n\nq\n")  # thinking-1 unchanged, then q at work-2
    for output in (listed.output, walked.output):
        lines = output.splitlines()
        start = lines.index(expected[0])
        assert lines[start : start + len(expected)] == expected, output


def test_listing_does_not_modify_the_file(response_file: Path) -> None:
    before = response_file.read_bytes()
    assert rectify(str(response_file), "--no-input").exit_code == 0
    assert response_file.read_bytes() == before


# ------------------------------------------------------------------ recording


def test_set_records_an_entry_with_date_note_and_timestamp(response_file: Path) -> None:
    result = rectify(str(response_file), "--no-input", "--set", "work-2=整改中:已建立公文台账")
    assert result.exit_code == 0, result.output
    assert log(response_file) == [
        {
            "item": "work-2",
            "status": "整改中",
            "date": "2009-01-15",
            "note": "已建立公文台账",
            "recorded_at": json.loads(response_file.read_text())["rectification"][0]["recorded_at"],
            "evidence": [],
            "deadline": None,
        }
    ]
    recorded = load_response(response_file).rectification[0].recorded_at
    assert recorded.date() == date(2009, 1, 15)
    assert recorded.tzinfo is not None
    assert "已记录 1 条整改进展" in result.output
    assert "整改中（2009-01-15：已建立公文台账）" in result.output


def test_set_with_a_date_before_the_self_inspection_records_it_and_says_so(
    response_file: Path,
) -> None:
    # --no-input cannot ask; a paper material typed in later has older real progress
    sets = ["--set", "work-2=整改中", "--set", "work-4=整改中"]
    result = rectify(str(response_file), "--no-input", *sets, "--date", "2008-01-12")

    assert result.exit_code == 0, result.output
    assert [e["date"] for e in log(response_file)] == ["2008-01-12", "2008-01-12"]
    for item in ("work-2", "work-4"):
        assert (
            f"注意：{item} 的日期 2008-01-12 早于开始对照检查的日期 2009-01-10，"
            "请核对年份；已按这个日期记录。"
        ) in result.output.replace("\n", "")
    on_time = rectify(str(response_file), "--no-input", "--set", "work-2=已完成")
    assert on_time.exit_code == 0 and "早于开始对照检查" not in on_time.output


def test_several_sets_and_an_explicit_date(response_file: Path) -> None:
    result = rectify(
        str(response_file),
        "--no-input",
        "--set", "work-2=已完成:台账已建立，积压清零",
        "--set", "work-4=长期坚持",
        "--date", "2009年1月12日",
    )
    assert result.exit_code == 0, result.output
    entries = log(response_file)
    assert [(e["item"], e["status"], e["date"], e["note"]) for e in entries] == [
        ("work-2", "已完成", "2009-01-12", "台账已建立，积压清零"),
        ("work-4", "长期坚持", "2009-01-12", ""),
    ]


def test_history_over_several_sessions(
    response_file: Path, zuofeng_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions = [
        ("2009-01-15", "work-2=整改中:制定台账模板"),
        ("2009-02-02", "work-2=整改中:台账试运行"),
        ("2009-03-20", "work-2=已完成:积压公文全部办结"),
        ("2009-03-20", "thinking-1=整改中:已提出两条建议"),
    ]
    for today, spec in sessions:
        monkeypatch.setenv("SELFCHECK_TODAY", today)
        result = rectify(str(response_file), "--no-input", "--set", spec)
        assert result.exit_code == 0, result.output

    entries = log(response_file)
    assert [(e["date"], e["item"], e["status"]) for e in entries] == [
        ("2009-01-15", "work-2", "整改中"),
        ("2009-02-02", "work-2", "整改中"),
        ("2009-03-20", "work-2", "已完成"),
        ("2009-03-20", "thinking-1", "整改中"),
    ]
    assert [e["recorded_at"][:10] for e in entries] == [s[0] for s in sessions]

    checklist = load_checklist(zuofeng_path)
    listed = list_measures(checklist, load_response(response_file), today=date(2009, 3, 20))
    measures = {m.item_id: m for m in listed}
    assert measures["work-2"].status == "已完成"
    assert len(measures["work-2"].history) == 3
    assert measures["thinking-1"].status == "整改中"
    assert measures["thinking-1"].overdue  # deadline 2009-02-10 passed, not done
    assert measures["work-4"].status == "未开始"
    assert not measures["work-4"].overdue  # no deadline

    result = rectify(str(response_file), "--no-input", "--history")
    assert "制定台账模板" in result.output
    assert "台账试运行" in result.output
    assert "积压公文全部办结" in result.output


def test_latest_status_is_the_last_recorded_even_in_a_hand_edited_log(
    response_file: Path, zuofeng: Checklist
) -> None:
    data = json.loads(response_file.read_text(encoding="utf-8"))
    data["rectification"] = [
        {"item": "work-2", "status": "已完成", "date": "2009-01-14", "note": "后记",
         "recorded_at": "2009-01-14T10:00:00+08:00"},
        {"item": "work-2", "status": "整改中", "date": "2009-01-12", "note": "先记",
         "recorded_at": "2009-01-12T10:00:00+08:00"},
    ]
    response_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    measures = list_measures(zuofeng, load_response(response_file), today=date(2009, 1, 15))
    work2 = next(m for m in measures if m.item_id == "work-2")
    assert work2.status == "已完成"
    assert [e.note for e in work2.history] == ["先记", "后记"]


def test_saved_file_is_private(response_file: Path) -> None:
    response_file.chmod(0o644)
    assert rectify(str(response_file), "--no-input", "--set", "work-2=done").exit_code == 0
    assert stat.S_IMODE(response_file.stat().st_mode) == 0o600


def test_rectification_keeps_answers_submission_and_checklist_hash(
    response_file: Path, zuofeng_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = load_response(response_file)
    for today, spec in [("2009-01-20", "work-2=doing:开始"), ("2009-02-20", "work-2=完成:办结")]:
        monkeypatch.setenv("SELFCHECK_TODAY", today)
        assert rectify(str(response_file), "--no-input", "--set", spec).exit_code == 0
    after = load_response(response_file)

    assert after.answers == before.answers
    assert after.submitted_at == before.submitted_at
    assert after.started_at == before.started_at
    assert after.checklist == before.checklist
    assert after.respondent == before.respondent
    assert after.status == "submitted"

    checklist = load_checklist(zuofeng_path)
    assert after.checklist.sha256 == checklist.sha256
    assert after.submitted_at is not None
    _, issues = check_answers(checklist, after.respondent.role, after.answers,
                              today=after.submitted_at.date())
    assert issues == []


# ------------------------------------------------------------- bad requests


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--set", "work-9=已完成"], "检查表中没有检查项“work-9”"),
        (["--set", "work-1=已完成"], "“work-1”（工作态度是否端正）没有查摆出问题"),
        (["--set", "leadership-1=已完成"], "不适用于本人的角色"),  # leader item, staff respondent
        (["--set", "work-2=finished"], "finished"),  # unknown status
        (["--set", "work-2=进行"], "进行"),
        (["--set", "work-2"], "work-2"),  # no '='
        (["--set", "=已完成"], "=已完成"),
        (["--set", "work-2="], "（空）"),
        (["--set", "work-2=已完成", "--set", "work-2=整改中"], "work-2"),  # twice
        (["--set", "work-2=已完成", "--date", "2009-02-30"], "2009-02-30"),  # no such day
        (["--set", "work-2=已完成", "--date", "昨天"], "昨天"),
        (["--set", "work-2=已完成", "--date", "2009-01-16"], "2009-01-16"),  # future
        (["--set", "work-2=已完成:" + "很" * 501], "最多 500 个字"),
    ],
)
def test_bad_set_is_rejected_and_the_file_is_untouched(
    response_file: Path, args: list[str], named: str
) -> None:
    before = response_file.read_bytes()
    result = rectify(str(response_file), "--no-input", *args)
    assert result.exit_code == 1
    assert named in result.output
    assert "答卷文件没有改动" in result.output
    assert "Traceback" not in result.output
    assert response_file.read_bytes() == before


def test_one_bad_set_among_good_ones_records_nothing(response_file: Path) -> None:
    before = response_file.read_bytes()
    result = rectify(str(response_file), "--no-input",
                     "--set", "work-2=已完成", "--set", "work-9=已完成", "--set", "work-4=bogus")
    assert result.exit_code == 1
    assert "work-9" in result.output and "bogus" in result.output  # every bad value is named
    assert response_file.read_bytes() == before


def test_date_before_the_last_entry_is_rejected(
    response_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SELFCHECK_TODAY", "2009-02-01")
    assert rectify(str(response_file), "--no-input", "--set", "work-2=整改中").exit_code == 0
    before = response_file.read_bytes()
    result = rectify(
        str(response_file), "--no-input", "--set", "work-2=已完成", "--date", "2009-01-20"
    )
    assert result.exit_code == 1
    assert "早于该项上次记录的日期 2009-02-01" in result.output
    assert response_file.read_bytes() == before


def test_draft_cannot_be_rectified(tmp_path: Path, zuofeng: Checklist) -> None:
    path = write_response(tmp_path, submitted_response(zuofeng, status="draft"), "x.draft.json")
    before = path.read_bytes()
    result = rectify(str(path), "--no-input", "--set", "work-2=已完成")
    assert result.exit_code == 1
    assert "草稿" in result.output and "selfcheck run" in result.output
    assert path.read_bytes() == before


def test_missing_and_broken_files(tmp_path: Path) -> None:
    result = rectify(str(tmp_path / "nope.json"), "--no-input")
    assert result.exit_code == 1 and "找不到答卷文件" in result.output
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = rectify(str(broken), "--no-input")
    assert result.exit_code == 1 and "答卷文件无效" in result.output
    assert "Traceback" not in result.output


def test_checklist_changed_since_answering_is_refused(
    tmp_path: Path, zuofeng: Checklist, zuofeng_path: Path
) -> None:
    changed = tmp_path / "zuofeng-2008.yaml"
    source = zuofeng_path.read_text(encoding="utf-8")
    assert "办事拖拉" in source
    changed.write_text(source.replace("办事拖拉", "办事拖沓"), encoding="utf-8")
    path = write_response(tmp_path, submitted_response(zuofeng))
    before = path.read_bytes()
    result = rectify(str(path), "--no-input", "--set", "work-2=已完成", "--checklist", str(changed))
    assert result.exit_code == 1
    assert "内容不同" in result.output
    assert path.read_bytes() == before
    # the original file given explicitly is fine
    result = rectify(
        str(path), "--no-input", "--set", "work-2=已完成", "--checklist", str(zuofeng_path)
    )
    assert result.exit_code == 0, result.output


def test_hostile_note_is_stored_clean_and_printed_literally(response_file: Path) -> None:
    note = "[red]假[/red] \x1b[31m转义\x1b[0m :smile:"
    result = rectify(str(response_file), "--no-input", "--set", f"work-2=整改中:{note}")
    assert result.exit_code == 0, result.output
    assert log(response_file)[0]["note"] == "[red]假[/red] 转义 :smile:"
    assert "[red]假[/red]" in result.output
    assert "\x1b" not in result.output


# ---------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("未开始", "未开始"), ("尚未开始", "未开始"), ("todo", "未开始"),
        ("not-started", "未开始"), ("整改中", "整改中"), ("正在整改", "整改中"),
        ("doing", "整改中"), ("IN-PROGRESS", "整改中"), ("已完成", "已完成"),
        ("完成", "已完成"), ("已整改", "已完成"), ("Done", "已完成"),
        ("长期坚持", "长期坚持"), ("ongoing", "长期坚持"), (" 已完成 ", "已完成"),
    ],
)
def test_status_synonyms(text: str, status: str) -> None:
    assert parse_status(text) == status


@pytest.mark.parametrize("text", ["", "完", "进行", "1", "closed", "已完成了"])
def test_ambiguous_or_unknown_statuses_are_refused(text: str) -> None:
    with pytest.raises(RectifyError):
        parse_status(text)


@pytest.mark.parametrize(
    ("spec", "parts"),
    [
        ("work-2=已完成", ("work-2", "已完成", "")),
        ("work-2=已完成:台账", ("work-2", "已完成", "台账")),
        ("work-2 = 已完成：台账：第二册", ("work-2", "已完成", "台账：第二册")),
        ("work-2=done:a:b", ("work-2", "done", "a:b")),
        # typed with the input method in full-width mode, like the full-width ：
        ("work-2＝已完成：台账", ("work-2", "已完成", "台账")),
    ],
)
def test_parse_set(spec: str, parts: tuple[str, str, str]) -> None:
    assert parse_set(spec) == parts


def test_updates_from_sets_collects_every_error(zuofeng: Checklist) -> None:
    today = date(2009, 1, 15)
    measures = list_measures(zuofeng, submitted_response(zuofeng), today=today)
    with pytest.raises(RectifyError) as caught:
        updates_from_sets(measures, ["x=done", "work-2=zz", "work-4"], on="2009/1/3", today=today)
    message = caught.value.message
    assert "x" in message and "zz" in message and "work-4" in message
    ok = updates_from_sets(measures, ["work-2=done:ok"], on="2009/1/3", today=today)
    assert ok == [StatusUpdate("work-2", Status.DONE, date(2009, 1, 3), "ok")]


def test_check_update_refuses_future_dates(zuofeng: Checklist) -> None:
    today = date(2009, 1, 15)
    measures = list_measures(zuofeng, submitted_response(zuofeng), today=today)
    tomorrow = StatusUpdate("work-2", Status.DONE, date(2009, 1, 16))
    with pytest.raises(RectifyError, match="晚于今天"):
        check_update(measures, tomorrow, today=today)


# ---------------------------------------------------------------- properties

_ITEMS = ("thinking-1", "work-2", "work-4")
_SESSIONS = st.lists(
    st.lists(
        st.tuples(st.sampled_from(_ITEMS), st.sampled_from(STATUS_LABELS), st.text(max_size=30)),
        min_size=1,
        max_size=3,
        unique_by=lambda t: t[0],
    ),
    min_size=1,
    max_size=5,
)


@functools.cache
def _builtin_checklist() -> Checklist:
    return load_checklist(CHECKLISTS / "zuofeng-2008.yaml")


@settings(max_examples=25, deadline=None)
@given(sessions=_SESSIONS)
def test_any_sequence_of_sessions_keeps_answers_and_ends_at_the_last_status(
    sessions: list[list[tuple[str, str, str]]],
) -> None:
    import tempfile

    from selfcheck.rectify.progress import clean_note
    from selfcheck.rectify.store import record_sets

    checklist = _builtin_checklist()
    with tempfile.TemporaryDirectory() as folder:
        path = write_response(Path(folder), submitted_response(checklist))
        original = load_response(path)
        expected: dict[str, tuple[str, str]] = {}
        for day, session in enumerate(sessions, start=1):
            today = date(2009, 1, day)
            sets = [f"{item}={status}:{note}" for item, status, note in session]
            record_sets(path, checklist, sets, on=None, today=today)
            for item, status, note in session:
                expected[item] = (status, clean_note(note))
        after = load_response(path)
        assert after.answers == original.answers
        assert after.submitted_at == original.submitted_at
        assert len(after.rectification) == sum(len(s) for s in sessions)
        final = {m.item_id: m for m in list_measures(checklist, after, today=date(2009, 2, 1))}
        for item, (status, note) in expected.items():
            assert final[item].status == status
            assert final[item].latest is not None and final[item].latest.note == note


def test_recorded_times_are_shown_in_local_time_everywhere(
    response_file: Path, zuofeng: Checklist, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A progress entry recorded on a +08:00 machine reads, in the history, as the same
    local minute every other view (review, serve, run) shows: clock.minute."""
    import time

    from selfcheck import clock
    from selfcheck.rectify.view import measure_block

    stored = json.loads(response_file.read_text(encoding="utf-8"))
    stored["rectification"] = [
        {
            "item": "work-2",
            "status": "整改中",
            "date": "2009-01-02",
            "note": "制定台账模板",
            "recorded_at": "2009-01-02T09:30:00+08:00",
        }
    ]
    response_file.write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        (measure,) = [
            m
            for m in list_measures(zuofeng, load_response(response_file), today=date(2009, 1, 15))
            if m.item_id == "work-2"
        ]
        shown = "".join(line.plain for line in measure_block(1, 1, measure, history=True))
        assert clock.minute(measure.history[0].recorded_at) == "2009-01-02 01:30"
        assert "记录于 2009-01-02 01:30" in shown
    finally:
        monkeypatch.undo()  # TZ as it was, then tell the C library
        time.tzset()


def test_every_refusal_ends_with_what_was_not_recorded(response_file: Path) -> None:
    """One sentence for what is wrong, then what was not recorded (errors.refused)."""
    before = response_file.read_bytes()
    result = rectify(str(response_file), "--no-input", "--recheck", "work-2")
    assert result.exit_code == 1
    flat = "".join(result.output.split())
    assert "回头看需要同时给出--recheck检查项和--result" in flat
    assert flat.endswith("。回头看结果未记录，答卷文件没有改动")
    result = rectify(str(response_file), "--no-input", "--accept")
    assert "".join(result.output.split()).endswith("。核验结果未记录，答卷文件没有改动")
    assert response_file.read_bytes() == before


def test_an_item_without_a_measure_is_refused_alike_by_set_verify_and_recheck(
    response_file: Path,
) -> None:
    """progress.measure_for: one answer to "which measure?", whatever is being recorded."""
    before = response_file.read_bytes()
    tries = [
        ("--set", "nope\x1b[31m=整改中", "整改进展"),
        ("--verify", "nope\x1b[31m", "核验结果"),
        ("--recheck", "nope\x1b[31m", "回头看结果"),
    ]
    for flag, value, what in tries:
        extra = ["--accept", "--reviewer", "赵委员"] if flag == "--verify" else []
        extra += ["--result", "巩固"] if flag == "--recheck" else []
        result = rectify(str(response_file), "--no-input", flag, value, *extra)
        assert result.exit_code == 1, result.output
        flat = "".join(result.output.split())
        assert "检查表中没有检查项“nope”" in flat or "检查项“nope”没有整改措施" in flat
        assert "有整改措施的检查项：" in flat and "\x1b" not in result.output
        ends = f"{what}未记录，答卷文件没有改动"
        # --set lists every refused --set under one heading; the others end with it.
        assert flat.startswith(ends + "：") if flag == "--set" else flat.endswith(ends), flat
    assert response_file.read_bytes() == before
