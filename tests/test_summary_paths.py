"""The lean path and the exact path agree; odd files fall back to the exact path;
command-line mistakes are exit 1 with a Chinese message."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_summary_helpers import make_response
from typer.testing import CliRunner

from selfcheck.cli import app
from selfcheck.summary.aggregate import contribution
from selfcheck.summary.demo import write_demo
from selfcheck.summary.fastpath import FastRecord, Reducer
from selfcheck.summary.ingest import (
    Draft,
    Skip,
    check_against,
    exact_check,
    make_draft,
    make_record,
)
from selfcheck.summary.plan import ChecklistPlan, plan_from_checklist

TODAY = date(2009, 1, 15)


def _exact(plan: ChecklistPlan, data: Any, file: str) -> Any:
    parsed = exact_check(data, file)
    if not isinstance(parsed, dict):
        return parsed
    problem = check_against(plan, parsed, file)
    if problem is not None:
        return problem
    if parsed["status"] == "draft":
        return make_draft(parsed, file)
    return make_record(plan, parsed, file)


def test_fast_and_exact_paths_agree_on_every_demo_file(tmp_path: Path, zuofeng: Any) -> None:
    write_demo(tmp_path, zuofeng, people=150, seed=3)
    plan = plan_from_checklist(zuofeng)
    reducer = Reducer(plan, TODAY)
    files = sorted(tmp_path.rglob("*.json"))
    assert len(files) > 100
    for path in files:
        data = json.loads(path.read_bytes())
        fast = reducer.reduce(data, str(path))
        exact = _exact(plan, data, str(path))
        assert fast is not None, path
        if isinstance(fast, Draft):
            assert fast == exact
        else:
            assert isinstance(fast, FastRecord)
            assert json.loads(fast.line) == exact
            assert sorted(fast.keys) == sorted(contribution(exact, plan, TODAY))


def test_plan_survives_its_json_form(zuofeng: Any) -> None:
    plan = plan_from_checklist(zuofeng)
    again = ChecklistPlan.from_json(json.loads(json.dumps(plan.to_json())), "x")
    assert again == plan
    assert again.required == plan.required


odd_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.lists(st.text(max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
FIELDS = [
    ("schema_version",),
    ("status",),
    ("started_at",),
    ("submitted_at",),
    ("updated_at",),
    ("cursor",),
    ("checklist", "sha256"),
    ("respondent", "name"),
    ("respondent", "unit"),
    ("respondent", "role"),
    ("respondent", "position"),
    ("answers", "work-1", "rating"),
    ("answers", "work-1"),
    ("answers",),
    ("rectification",),
]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(FIELDS), odd_values)
def test_lean_path_never_accepts_what_the_model_rejects(
    field: tuple[str, ...], value: object
) -> None:
    from selfcheck.checklist.registry import resolve_checklist

    checklist = resolve_checklist(None)
    plan = plan_from_checklist(checklist)
    response = make_response(
        checklist,
        name="张三",
        unit="办公室",
        role="staff",
        ratings={"work-1": "some"},
        problems={"work-1": {"problem": "拖拉", "measure": "改", "deadline": "2009-02-01"}},
    )
    data = json.loads(response.to_json())
    target = data
    for key in field[:-1]:
        target = target[key]
    target[field[-1]] = value
    fast = Reducer(plan, TODAY).reduce(data, "f.json")
    exact = _exact(plan, data, "f.json")
    if fast is None:
        return  # the exact path decides
    if isinstance(fast, Draft):
        assert fast == exact
    else:
        assert json.loads(fast.line) == exact


def test_an_unknown_question_left_blank_is_not_counted() -> None:
    """The model and the checklist check refuse it, so the lean path must not count it."""
    from selfcheck.checklist.registry import resolve_checklist

    checklist = resolve_checklist(None)
    plan = plan_from_checklist(checklist)
    response = make_response(
        checklist,
        name="张三",
        unit="办公室",
        role="staff",
        ratings={"work-1": "some"},
        problems={"work-1": {"problem": "拖拉", "measure": "改", "deadline": "2009-02-01"}},
    )
    data = json.loads(response.to_json())
    data["answers"]["work-1"]["no-such-question"] = None
    assert isinstance(_exact(plan, data, "f.json"), Skip)
    assert Reducer(plan, TODAY).reduce(data, "f.json") is None


def _invoke(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_unknown_format_and_xlsx_without_output(tmp_path: Path) -> None:
    result = _invoke("summary", str(tmp_path), "--format", "pdf")
    assert result.exit_code == 1 and "未知格式“pdf”" in result.stderr
    result = _invoke("summary", str(tmp_path), "--format", "xlsx")
    assert result.exit_code == 1 and "-o" in result.stderr


def test_missing_path_and_unknown_role(tmp_path: Path) -> None:
    result = _invoke("summary", str(tmp_path / "没有"))
    assert result.exit_code == 1 and "找不到文件或文件夹" in result.stderr
    result = _invoke("summary", str(tmp_path), "--role", "局长")
    assert result.exit_code == 1 and "未知类别“局长”" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "不是有效的 JSON"),
        (b'{"format": "selfcheck-summary", "summary_schema": 99}', "不受支持"),
        (b'{"respondent": {}}', "答卷请用 selfcheck summary"),
    ],
)
def test_rollup_rejects_bad_input_with_exit_1(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = _invoke("rollup", str(path))
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_rollup_names_the_bad_field(tmp_path: Path, zuofeng: Any) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.json").write_text(
        make_response(zuofeng, name="张三", unit="办公室", role="staff").to_json(), encoding="utf-8"
    )
    out = tmp_path / "s.json"
    assert _invoke("summary", str(folder), "--format", "json", "-o", str(out)).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    data["records"][0]["answers"]["work-1"]["rating"] = "excellent"
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = _invoke("rollup", str(out))
    assert result.exit_code == 1
    assert "records[0].answers.work-1.rating" in result.stderr and "excellent" in result.stderr


def test_hint_when_every_file_belongs_to_another_checklist(
    tmp_path: Path, liuxing_path: Path
) -> None:
    from selfcheck.checklist.loader import load_checklist

    liuxing = load_checklist(liuxing_path)
    response = make_response(liuxing, name="张三", unit="办公室", role="staff", default="a")
    response.answers["learning-1"].update(channels=["books"], sessions=3, notes=True)
    response.answers["efficiency-1"]["overdue"] = False
    response.answers["integrity-1"].update(pledge=True, signed_on="2008-12-01")
    (tmp_path / "a.json").write_text(response.to_json(), encoding="utf-8")
    result = _invoke("summary", str(tmp_path))
    assert result.exit_code == 0
    assert "--checklist" in result.stderr
    result = _invoke("summary", str(tmp_path), "--checklist", "liuxing-jiguan", "--format", "json")
    assert json.loads(result.stdout)["figures"]["respondents"] == 1


def test_two_processes_give_the_same_summary_as_one(
    tmp_path: Path, zuofeng: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import selfcheck.summary.parallel as parallel

    write_demo(tmp_path / "d", zuofeng, people=120, seed=11)
    folder = tmp_path / "d" / "答卷"
    # The same people again, older and newer, so duplicates fall on both halves.
    for n, (name, when) in enumerate(
        [("甲", "2008-12-01 08:00"), ("甲", "2008-12-30 08:00"), ("乙", "2008-12-05 08:00")]
    ):
        response = make_response(
            zuofeng, name=name, unit="局机关办公室", role="staff", submitted=when
        )
        (folder / f"00{n}-{name}.json").write_text(response.to_json(), encoding="utf-8")
        (folder / "规划建设科" / f"zz{n}-{name}.json").write_text(
            make_response(
                zuofeng,
                name=name,
                unit="局机关办公室",
                role="staff",
                submitted=f"2008-12-1{n} 08:00",
                ratings={"work-1": "some"},
                problems={
                    "work-1": {"problem": "问题", "measure": "措施", "deadline": "2009-02-01"}
                },
            ).to_json(),
            encoding="utf-8",
        )
    monkeypatch.setattr(parallel, "MIN_FILES", 10)
    from selfcheck.summary.aggregate import Aggregator

    absorbed: list[int] = []
    original = Aggregator.absorb

    def absorb(self: Aggregator, state: dict[str, Any]) -> None:
        absorbed.append(len(state["index"]))
        original(self, state)

    monkeypatch.setattr(Aggregator, "absorb", absorb)
    outputs = []
    for workers in ("1", "2"):
        monkeypatch.setenv("SELFCHECK_WORKERS", workers)
        result = _invoke("summary", str(folder), "--format", "json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        for key in ("records", "skipped", "drafts"):
            data[key] = sorted(json.dumps(v, sort_keys=True, ensure_ascii=False) for v in data[key])
        outputs.append(data)
    assert outputs[0] == outputs[1]
    assert len(absorbed) == 1 and absorbed[0] > 20  # the second process really did half the work
    assert sum('"code": "superseded"' in s for s in outputs[0]["skipped"]) >= 4
