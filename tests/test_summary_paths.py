"""The bulk reader is the one schema compiled: it agrees with the single-file reader,
never counts what that reader refuses; command-line mistakes are exit 1 in Chinese."""

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

from selfcheck import rules
from selfcheck.cli import app
from selfcheck.errors import ResponseError
from selfcheck.response import parse_response
from selfcheck.summary.aggregate import contribution
from selfcheck.summary.demo import write_demo
from selfcheck.summary.plan import convert_plan, plan_from_checklist
from selfcheck.summary.reader import BulkReader
from selfcheck.summary.records import Draft, Record, Skip

TODAY = date(2009, 1, 15)


def test_the_bulk_reader_agrees_with_the_single_file_reader_on_every_demo_file(
    tmp_path: Path, zuofeng: Any
) -> None:
    """One schema: every file the bulk reader counts, the one reader reads the same way,
    and its ledger rows are exactly the items rules.needs_rectification names."""
    write_demo(tmp_path, zuofeng, people=150, seed=3)
    plan = plan_from_checklist(zuofeng)
    reader = BulkReader(plan)
    files = sorted(tmp_path.rglob("*.json"))
    assert len(files) > 100
    records = 0
    for path in files:
        raw = path.read_bytes()
        bulk = reader.read(raw, str(path))
        single = parse_response(raw, str(path))
        assert not isinstance(bulk, Skip), (path, bulk)
        if isinstance(bulk, Draft):
            assert single.status == "draft"
            continue
        assert isinstance(bulk, Record)
        records += 1
        expected = [
            item.id
            for _, item in zuofeng.items_for(single.respondent.role)
            if rules.needs_rectification(item, single.answers.get(item.id) or {})
        ]
        assert [row.item for row in bulk.problems] == expected
        latest = rules.latest_by_item(single.rectification)
        for row in bulk.problems:
            status = latest[row.item].status if row.item in latest else rules.Status.NOT_STARTED
            assert row.status == status
        keys = contribution(bulk, plan, TODAY)
        assert keys.count(("resp", single.respondent.role)) == 1
    assert records > 50


def test_plan_survives_its_json_form(zuofeng: Any) -> None:
    plan = plan_from_checklist(zuofeng)
    again = convert_plan(json.loads(json.dumps(plan.to_json())))
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
    ("answers", "work-1", "deadline"),
    ("answers", "work-1"),
    ("answers",),
    ("rectification",),
]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(FIELDS), odd_values)
def test_the_bulk_reader_never_counts_what_the_one_schema_rejects(
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
    raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
    bulk = BulkReader(plan).read(raw, "f.json")
    try:
        parse_response(raw, "f.json")
    except ResponseError:
        assert isinstance(bulk, Skip)


def test_an_unknown_question_left_blank_is_not_counted() -> None:
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
    skip = BulkReader(plan).read(json.dumps(data).encode(), "f.json")
    assert isinstance(skip, Skip) and skip.code == "answers"
    assert "no-such-question" in skip.reason


def test_a_deadline_written_without_dashes_is_refused() -> None:
    """jsonio used to accept 20270511 (date.fromisoformat does); stored days are strict."""
    from selfcheck.checklist.registry import resolve_checklist

    checklist = resolve_checklist(None)
    response = make_response(
        checklist,
        name="张三",
        unit="办公室",
        role="staff",
        ratings={"work-1": "some"},
        problems={"work-1": {"problem": "拖拉", "measure": "改", "deadline": "2009-02-01"}},
    )
    data = json.loads(response.to_json())
    data["answers"]["work-1"]["deadline"] = "20090201"
    skip = BulkReader(plan_from_checklist(checklist)).read(json.dumps(data).encode(), "f.json")
    assert isinstance(skip, Skip)
    assert "answers.work-1.deadline" in skip.reason


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


def test_rollup_names_the_bad_field_and_its_line(tmp_path: Path, zuofeng: Any) -> None:
    """A record that does not fit the checklist is named as every other field is
    (dotted path), at the line of that record, not of the first one with the same key."""
    folder = tmp_path / "in"
    folder.mkdir()
    for n, name in enumerate(["张三", "李四"]):
        response = make_response(zuofeng, name=name, unit="办公室", role="staff")
        (folder / f"{n}.json").write_text(response.to_json(), encoding="utf-8")
    out = tmp_path / "s.json"
    assert _invoke("summary", str(folder), "--format", "json", "-o", str(out)).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    data["records"][1]["answers"]["work-1"]["rating"] = "excellent"
    text = json.dumps(data, ensure_ascii=False, indent=1)
    out.write_text(text, encoding="utf-8")
    line = _line_of(text, '"excellent"')
    result = _invoke("rollup", str(out))
    assert result.exit_code == 1
    where = f"第 {line} 行，records[1].answers.work-1.rating"
    assert f"{where}：没有这个选项“excellent”" in result.stderr


def test_rollup_says_a_negative_count_in_chinese(tmp_path: Path, zuofeng: Any) -> None:
    out = _edited_summary(tmp_path, zuofeng, lambda data: data.update(excluded=-5))
    result = _invoke("rollup", str(out))
    assert result.exit_code == 1
    assert "excluded：应为不小于 0 的整数" in result.stderr
    assert "Expected" not in result.stderr


def _edited_summary(tmp_path: Path, zuofeng: Any, edit: Any) -> Path:
    """The summary JSON of one person's response, changed by ``edit(data)``."""
    folder = tmp_path / "in"
    folder.mkdir()
    response = make_response(zuofeng, name="张三", unit="办公室", role="staff")
    (folder / "0.json").write_text(response.to_json(), encoding="utf-8")
    out = tmp_path / "s.json"
    assert _invoke("summary", str(folder), "--format", "json", "-o", str(out)).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    edit(data)
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return out


def _line_of(text: str, needle: str) -> int:
    assert text.count(needle) == 1
    return text[: text.index(needle)].count("\n") + 1


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


def test_rollup_reads_and_merges_one_summary_at_a_time(
    tmp_path: Path, zuofeng: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A provincial rollup of many units never holds every unit's text at once: when a
    summary is read, the ones before it are merged and their text let go."""
    from selfcheck.summary import jsonio

    paths = []
    for n, unit in enumerate(["甲单位", "乙单位", "丙单位"]):
        folder = tmp_path / unit
        folder.mkdir()
        response = make_response(zuofeng, name=f"张{n}", unit=unit, role="staff")
        (folder / "a.json").write_text(response.to_json(), encoding="utf-8")
        paths.append(tmp_path / f"{n}.json")
        made = _invoke("summary", str(folder), "--format", "json", "-o", str(paths[-1]))
        assert made.exit_code == 0
    read = jsonio.read_summary_json
    loaded: list[Any] = []
    held_when_read: list[int] = []

    def spy(raw: bytes, file: str) -> Any:
        held_when_read.append(sum(s.records.holds_text for s in loaded))
        loaded.append(read(raw, file))
        return loaded[-1]

    monkeypatch.setattr(jsonio, "read_summary_json", spy)
    result = _invoke("rollup", *map(str, paths), "--format", "json")
    assert result.exit_code == 0, result.output
    assert held_when_read == [0, 0, 0]
    assert json.loads(result.stdout)["figures"]["respondents"] == 3


def test_rollup_locates_a_record_or_pair_out_of_shape(tmp_path: Path, zuofeng: Any) -> None:
    """Records are decoded one at a time as rollup reads them (a large unit's summary is
    never held whole as objects); a bad one still gets the whole schema's located message,
    and nothing is written."""
    folder = tmp_path / "in"
    folder.mkdir()
    for n, name in enumerate(["张三", "李四"]):
        response = make_response(
            zuofeng,
            name=name,
            unit="办公室",
            role="staff",
            ratings={"work-1": "some"},
            problems={"work-1": {"problem": "拖拉", "measure": "改", "deadline": "2009-02-01"}},
        )
        (folder / f"{n}.json").write_text(response.to_json(), encoding="utf-8")
    out = tmp_path / "s.json"
    assert _invoke("summary", str(folder), "--format", "json", "-o", str(out)).exit_code == 0
    good = json.loads(out.read_text(encoding="utf-8"))

    data = json.loads(json.dumps(good))
    data["records"][1]["problems"][0]["deadline"] = "20090201"
    bad = tmp_path / "bad-record.json"
    text = json.dumps(data, ensure_ascii=False, indent=1)
    bad.write_text(text, encoding="utf-8")
    merged = tmp_path / "合并.json"
    result = _invoke("rollup", str(bad), "--format", "json", "-o", str(merged))
    assert result.exit_code == 1
    line = _line_of(text, '"deadline": "20090201"')
    assert f"第 {line} 行，records[1].problems[0].deadline：应为日期" in result.stderr
    assert not merged.exists()

    data = json.loads(json.dumps(good))
    data["similar_pairs"] = [1]
    bad = tmp_path / "bad-pair.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = _invoke("rollup", str(bad))
    assert result.exit_code == 1 and "similar_pairs[0]" in result.stderr

    result = _invoke("rollup", str(out), str(out), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["figures"]["respondents"] == 2


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            lambda c: c["sections"][0]["items"][1].update(section="其他"),
            "checklist.sections[0].items[1].section",
            "应为所在章节的标识“thinking”",
        ),
        (
            lambda c: c["sections"][1]["items"].append(c["sections"][0]["items"][0]),
            "checklist.sections[1].items[4].id",
            "检查项“thinking-1”重复",
        ),
        (
            lambda c: c["sections"][0]["roles"].append("boss"),
            "checklist.sections[0].roles[2]",
            "未知角色“boss”",
        ),
        (
            lambda c: c["sections"][1].update(title="工作\x1b[31m作风"),
            "checklist.sections[1].title",
            "文字中有控制字符 U+001B",
        ),
    ],
)
def test_rollup_refuses_a_checklist_that_does_not_hold_together(
    tmp_path: Path, zuofeng: Any, change: Any, field: str, message: str
) -> None:
    """The summary embeds its checklist; a damaged or hand-edited one once gave 内部错误
    (KeyError) for an item in an unknown section, and carried escape codes into md/html."""
    out = _edited_summary(tmp_path, zuofeng, lambda data: change(data["checklist"]))
    for fmt in ("table", "md", "html"):
        result = _invoke("rollup", str(out), "--format", fmt, "-o", str(tmp_path / f"r.{fmt}"))
        assert result.exit_code == 1, (fmt, result.output)
        assert f"{field}：{message}" in result.stderr, result.stderr
        assert "内部错误" not in result.output
        assert not (tmp_path / f"r.{fmt}").exists()
