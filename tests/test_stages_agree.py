"""Every stage reads the one core: rectify, the report and the summary name the same
measures with the same status and overdue flag, and rollup reproduces the summary."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_summary_helpers import make_response

from selfcheck import rules
from selfcheck.checklist.registry import resolve_checklist
from selfcheck.rectify.progress import list_measures
from selfcheck.report.model import build_report
from selfcheck.summary.aggregate import Aggregator
from selfcheck.summary.api import rollup
from selfcheck.summary.jsonio import read_summary_json, write_summary_json
from selfcheck.summary.plan import plan_from_checklist
from selfcheck.summary.reader import BulkReader
from selfcheck.summary.records import Record
from selfcheck.summary.view import figures_of

TODAY = date(2009, 1, 15)
CHECKLIST = resolve_checklist(None)
ITEMS = [item.id for _, item in CHECKLIST.items_for("leader")]
RATINGS = ("good", "basic", "some", "serious")
STATUSES = ("未开始", "整改中", "已完成", "长期坚持")

item_state = st.fixed_dictionaries(
    {
        "rating": st.sampled_from(RATINGS),
        # A measure and a deadline even where the rating says 做得好: the measured bug.
        "measure": st.sampled_from(["", "建立台账，每周检查", "  "]),
        "problem": st.sampled_from(["", "办事拖拉"]),
        "deadline": st.sampled_from([None, "2008-12-31", "2009-06-30"]),
        "progress": st.lists(st.sampled_from(STATUSES), max_size=2),
        # A new deadline on the latest entry, as 回头看 sets when 反弹 reopens a measure.
        "reset": st.sampled_from([None, "2009-01-10", "2009-06-30"]),
    }
)


def _response(states: dict[str, dict[str, Any]]) -> Any:
    ratings = {item: s["rating"] for item, s in states.items()}
    problems: dict[str, dict[str, str]] = {}
    progress: list[tuple[str, str, str, str]] = []
    for item, s in states.items():
        texts = {k: s[k] for k in ("measure", "problem") if s[k]}
        if s["deadline"]:
            texts["deadline"] = s["deadline"]
        if texts:
            problems[item] = texts
        for n, status in enumerate(s["progress"]):
            progress.append((item, status, f"2009-01-0{n + 1}", f"2009-01-0{n + 1}T10:00:00"))
    response = make_response(
        CHECKLIST,
        name="张三",
        unit="办公室",
        role="leader",
        ratings=ratings,
        problems=problems,
        progress=progress,
    )
    entries = list(response.rectification)
    for item, s in states.items():
        mine = [n for n, e in enumerate(entries) if e.item == item]
        if s.get("reset") and mine:
            reset = date.fromisoformat(s["reset"])  # a new deadline from 回头看
            entries[mine[-1]] = msgspec.structs.replace(entries[mine[-1]], deadline=reset)
    return msgspec.structs.replace(response, rectification=entries)


def _report_measures(response: Any) -> dict[str, tuple[str, bool]]:
    view = build_report(response, CHECKLIST, today=TODAY)
    out = {}
    for section in view.sections:
        for problem in section.problems:
            assert problem.rectification is not None
            out[problem.item_id] = (problem.rectification.status, problem.rectification.overdue)
    return out


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dictionaries(st.sampled_from(ITEMS), item_state, max_size=6))
def test_rectify_report_and_summary_name_the_same_measures(
    tmp_path: Path, states: dict[str, dict[str, Any]]
) -> None:
    response = _response(states)
    rectify = {
        m.item_id: (m.status, m.overdue) for m in list_measures(CHECKLIST, response, today=TODAY)
    }
    report = _report_measures(response)
    plan = plan_from_checklist(CHECKLIST)
    record = BulkReader(plan).read(response.to_json().encode("utf-8"), "a.json")
    assert isinstance(record, Record)
    summary = {row.item: (row.status.value, row.overdue(TODAY)) for row in record.problems}
    assert rectify == report == summary

    agg = Aggregator(plan, TODAY)
    agg.add_record(record)
    # One 整改完成率: the summary's 整改情况统计 and the 整改落实情况报告 give the same figure.
    figures = figures_of(agg, None)
    rates = {r.unit: (r.measures, r.done_rate) for r in figures.rectify}
    assert rates == {c.unit: (c.found, c.done_rate) for c in figures.completion}
    done = sum(1 for status, _ in summary.values() if rules.in_completion_rate(status))
    assert rates["合计"] == (len(summary), done / len(summary) if summary else None)
    out = tmp_path / "s.json"
    with out.open("wb") as handle:
        write_summary_json(handle, agg, None, figures_of(agg, None), [])
    loaded = read_summary_json(out.read_bytes(), str(out))
    again = rollup([loaded])
    assert json.dumps(figures_of(again, None), default=str) == json.dumps(
        figures_of(agg, None), default=str
    )
    agg.close()
    again.close()


def test_a_measure_written_under_a_good_rating_is_tracked_everywhere() -> None:
    """The measured case: 做得好 with a measure and a past deadline, the measure without `when`."""
    response = _response(
        {
            "work-1": {
                "rating": "good",
                "measure": "建立台账",
                "problem": "",
                "deadline": "2008-12-31",
                "progress": [],
            }
        }
    )
    rectify = {
        m.item_id: (m.status, m.overdue) for m in list_measures(CHECKLIST, response, today=TODAY)
    }
    assert rectify == {"work-1": ("未开始", True)}
    assert _report_measures(response) == rectify
    record = BulkReader(plan_from_checklist(CHECKLIST)).read(response.to_json().encode(), "a.json")
    assert isinstance(record, Record)
    assert {r.item: (r.status.value, r.overdue(TODAY)) for r in record.problems} == rectify


# ------------------------------------- a hand-edited file: counted or not, said by all


def _edits() -> list[tuple[str, Any]]:
    def option(data: dict[str, Any]) -> None:
        data["answers"][ITEMS[0]]["rating"] = "excellent"

    def item(data: dict[str, Any]) -> None:
        data["answers"]["no-such-item"] = {"rating": "good"}

    def question(data: dict[str, Any]) -> None:
        data["answers"][ITEMS[0]]["no-such-question"] = "x"

    def unanswered(data: dict[str, Any]) -> None:
        del data["answers"][ITEMS[1]]["rating"]

    def untouched(data: dict[str, Any]) -> None:
        pass

    return [
        ("没有这个选项“excellent”", option),
        ("answers.no-such-item：检查表中没有这个检查项", item),
        (f"answers.{ITEMS[0]}.no-such-question：检查表中没有这个问题", question),
        ("未作答", unanswered),
        (None, untouched),
    ]


@settings(max_examples=1, deadline=None)
@given(st.just(None))
def test_report_review_and_summary_agree_whether_a_hand_edited_file_counts(_: None) -> None:
    """The summary's one schema decides; ``report`` and ``review --list`` say in advance, in
    the summary's own words, that a file will not be counted, and say nothing otherwise."""
    import tempfile

    from typer.testing import CliRunner

    from selfcheck.cli import app

    runner = CliRunner()
    for says, edit in _edits():
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "答卷"
            folder.mkdir()
            response = make_response(CHECKLIST, name="张三", unit="办公室", role="leader")
            data = json.loads(response.to_json())
            edit(data)
            path = folder / "张三.json"
            path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
            summary = runner.invoke(app, ["summary", str(folder), "--format", "json",
                                          "--no-similarity"])
            skipped = json.loads(summary.stdout)["skipped"]
            report = runner.invoke(app, ["report", str(path), "--format", "md",
                                         "-o", str(Path(tmp) / "材料")])
            listing = runner.invoke(app, ["review", str(folder), "--list", "--no-similarity"])
            assert report.exit_code == 0 and listing.exit_code == 0
            if says is None:
                assert skipped == []
                assert "不会计入" not in report.output and "不会计入" not in listing.output
                continue
            (skip,) = skipped
            assert says in skip["reason"] and "Object" not in skip["reason"]
            warning = f"汇总时这份答卷不会计入：{skip['reason']}"
            assert warning in report.output, report.output
            assert warning in " ".join(listing.output.split()), listing.output


@given(
    st.sampled_from([s.value for s in rules.STATUSES]),
    st.sampled_from([None, date(2009, 1, 14), TODAY, date(2009, 6, 30)]),
)
def test_the_report_column_counted_in_the_rate_is_the_rate_status(
    status: str, deadline: date | None
) -> None:
    """整改落实情况报告 counts a column toward 整改完成率 exactly when the summary counts
    its status: one rule (rules.RATE_STATUSES), two tables."""
    column = rules.completion_of(status, deadline, TODAY)
    assert column.in_rate == rules.in_completion_rate(status)
    # and 长期坚持 closes a measure without counting as completed
    if status == rules.Status.ONGOING.value:
        assert rules.is_closed(status) and not column.in_rate
