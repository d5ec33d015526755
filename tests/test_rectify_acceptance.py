"""Done when: cadres update their measures over several sessions, and the committee's
summary shows the completion rate and the overdue list.

Three cadres in two units submit through ``selfcheck run --answers --no-input``
on 2009-01-10, record progress with ``selfcheck rectify`` on three later days,
and the committee runs ``selfcheck summary`` on 2009-03-01. Every expected
figure below is worked out by hand from the story, in the comments.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from selfcheck.cli import app

SUBMITTED = "2009-01-10"
AS_OF = "2009-03-01"

# Each cadre's problems: item -> (measure, deadline or None). Every other item is 做得好.
CADRES: dict[str, dict[str, Any]] = {
    "张三": {
        "unit": "办公室",
        "role": "staff",
        "problems": {
            "thinking-1": ("每月向科室提出一条改进工作的书面建议", "2009-02-10"),
            "work-2": ("建立公文办理台账，每周五清理积压公文", "2009-03-31"),
            "work-4": ("每周一列出本周工作计划并对照检查落实", None),
        },
    },
    "李四": {
        "unit": "办公室",
        "role": "staff",
        "problems": {
            "work-1": ("接待来访群众一律使用文明用语，一次性告知办事要求", "2009-01-31"),
            "study-1": ("每周学习业务知识不少于四小时并做读书笔记", "2009-02-28"),
        },
    },
    "王五": {
        "unit": "财务科",
        "role": "leader",
        "problems": {
            "thinking-2": ("带头落实以人为本的理念，每月到服务窗口现场办公一次", "2009-02-15"),
            "leadership-2": ("每季度开展一次谈心谈话，听取干部意见", "2009-03-15"),
        },
    },
}

# (day, cadre, --set values) in the order the sessions happen.
SESSIONS: list[tuple[str, str, list[str]]] = [
    ("2009-01-20", "张三", ["work-2=整改中:已设计台账样式"]),
    ("2009-01-20", "李四", ["work-1=整改中:已在窗口张贴文明用语"]),
    ("2009-02-05", "张三", ["thinking-1=整改中:已提出第一条建议"]),
    ("2009-02-05", "李四", ["work-1=已完成:群众满意度测评九成以上满意"]),
    ("2009-02-05", "王五", ["thinking-2=长期坚持:现场办公已形成制度"]),
    ("2009-03-01", "张三", ["work-2=已完成:积压公文全部办结", "work-4=长期坚持:周计划已成习惯"]),
]

# Where each measure stands on 2009-03-01 (latest status; overdue = deadline passed, not closed):
#   张三 thinking-1 整改中 (due 02-10)      → overdue
#   张三 work-2     已完成
#   张三 work-4     长期坚持 (no deadline)
#   李四 work-1     已完成
#   李四 study-1    未开始 (due 02-28)      → overdue
#   王五 thinking-2 长期坚持
#   王五 leadership-2 未开始 (due 03-15)    → not yet overdue
EXPECTED_OVERDUE = {("张三", "thinking-1"), ("李四", "study-1")}
# 办公室: 5 measures, 已完成 2, 整改中 1, 长期坚持 1, 未开始 1, overdue 2, rate (2+1)/5
# 财务科: 2 measures, 长期坚持 1, 未开始 1, overdue 0, rate 1/2
# overall: 7 measures, 已完成 2, 整改中 1, 长期坚持 2, 未开始 2, overdue 2, rate 4/7


def answers_for(cadre: str) -> dict[str, Any]:
    """A prefill answers file for ``cadre`` (the template's shape)."""
    info = CADRES[cadre]
    items = ["thinking-1", "thinking-2", "thinking-3", "work-1", "work-2", "work-3", "work-4"]
    if info["role"] == "leader":
        items += [f"leadership-{i}" for i in range(1, 7)]
    items += ["study-1", "study-2"]
    answers: dict[str, Any] = {}
    for item in items:
        if item in info["problems"]:
            measure, deadline = info["problems"][item]
            answers[item] = {
                "rating": "some",
                "manifestation": f"{cadre}在{item}方面存在的具体问题：工作中标准不高，群众有反映",
                "cause": "宗旨意识和进取精神不够强",
                "measure": measure,
                **({"deadline": deadline} if deadline else {}),
            }
        else:
            answers[item] = {"rating": "good"}
    return {
        "checklist": "zuofeng-2008",
        "respondent": {
            "name": cadre, "unit": info["unit"], "position": "科员", "role": info["role"]
        },
        "answers": answers,
    }


def invoke(args: list[str]) -> Any:
    """Run the real CLI; fail with its output if it does not exit 0."""
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def built_campaign(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The collection folder after submission and every rectify session (built once)."""
    root = tmp_path_factory.mktemp("campaign")
    folder = root / "机关党委"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SELFCHECK_CONFIG_DIR", str(root / "config"))
        patch.setenv("SELFCHECK_TODAY", SUBMITTED)
        for cadre in CADRES:
            prefill = root / f"{cadre}.yaml"
            text = yaml.safe_dump(answers_for(cadre), allow_unicode=True)
            prefill.write_text(text, encoding="utf-8")
            invoke(["run", "--answers", str(prefill), "--no-input", "--format", "none",
                    "--out", str(folder)])
        for day, cadre, sets in SESSIONS:
            patch.setenv("SELFCHECK_TODAY", day)
            args = ["rectify", str(response_path(folder, cadre)), "--no-input"]
            for value in sets:
                args += ["--set", value]
            invoke(args)
    return folder


@pytest.fixture
def campaign(built_campaign: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the campaign folder, seen on 2009-03-01."""
    folder = tmp_path / built_campaign.name
    shutil.copytree(built_campaign, folder)
    monkeypatch.setenv("SELFCHECK_TODAY", AS_OF)
    return folder


def response_path(folder: Path, cadre: str) -> Path:
    """Where ``selfcheck run`` saved ``cadre``'s response."""
    return folder / f"{CADRES[cadre]['unit']}-{cadre}-zuofeng-2008.json"


def test_each_cadre_sees_his_progress_and_overdue_measures(campaign: Path) -> None:
    result = invoke(["rectify", str(response_path(campaign, "张三")), "--no-input", "--history"])
    assert "共 3 项整改措施" in result.output
    assert "逾期未完成 1" in result.output
    assert "整改中 逾期" in result.output  # thinking-1
    for note in ("已设计台账样式", "积压公文全部办结", "周计划已成习惯", "已提出第一条建议"):
        assert note in result.output
    stored = json.loads(response_path(campaign, "张三").read_text(encoding="utf-8"))
    assert [(e["date"], e["item"], e["status"]) for e in stored["rectification"]] == [
        ("2009-01-20", "work-2", "整改中"),
        ("2009-02-05", "thinking-1", "整改中"),
        ("2009-03-01", "work-2", "已完成"),
        ("2009-03-01", "work-4", "长期坚持"),
    ]
    assert stored["submitted_at"].startswith(SUBMITTED)


def test_the_personal_report_gains_a_rectification_section(campaign: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    invoke(["report", str(response_path(campaign, "张三")), "--format", "md", "-o", str(out)])
    (text,) = [p.read_text(encoding="utf-8") for p in out.glob("*.md")]
    assert "整改情况" in text
    assert "积压公文全部办结" in text
    assert "已提出第一条建议" in text


def test_rerunning_run_keeps_the_history_and_records_a_new_submission(
    campaign: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = response_path(campaign, "李四")
    before = json.loads(path.read_text(encoding="utf-8"))
    monkeypatch.setenv("SELFCHECK_TODAY", "2009-02-20")
    changed = answers_for("李四")
    changed["answers"]["study-1"]["measure"] = "每周学习业务知识不少于六小时"
    # run refuses a deadline already past, so the re-submission moves work-1's on
    changed["answers"]["work-1"]["deadline"] = "2009-03-31"
    prefill = tmp_path / "李四-改.yaml"
    prefill.write_text(yaml.safe_dump(changed, allow_unicode=True), encoding="utf-8")
    invoke(["run", "--answers", str(prefill), "--no-input", "--format", "none",
            "--out", str(campaign)])
    after = json.loads(path.read_text(encoding="utf-8"))
    assert after["rectification"] == before["rectification"]
    assert after["answers"]["study-1"]["measure"] == "每周学习业务知识不少于六小时"
    assert after["submitted_at"].startswith("2009-02-20")


# ------------------------------------------------------------------ the committee


def summary_json(paths: list[Path], out: Path, *extra: str) -> dict[str, Any]:
    """``selfcheck summary PATHS --format json -o OUT``, parsed."""
    invoke(["summary", *map(str, paths), "--format", "json", "-o", str(out), *extra])
    return json.loads(out.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def rectify_figures(summary: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """figures.rectify by unit (合计 for the whole), rates rounded for comparison."""
    return {
        f["unit"]: {
            "measures": f["measures"],
            **f["by_status"],
            "overdue": f["overdue"],
            "rate": round(f["done_rate"], 4),
        }
        for f in summary["figures"]["rectify"]
    }


# By hand, from the table at the top: 整改完成率 = 已完成 / 措施数 (长期坚持 is its
# own column, as in the 整改落实情况报告).
EXPECTED_FIGURES = {
    "办公室": {"measures": 5, "未开始": 1, "整改中": 1, "已完成": 2, "长期坚持": 1,
            "overdue": 2, "rate": round(2 / 5, 4)},
    "财务科": {"measures": 2, "未开始": 1, "整改中": 0, "已完成": 0, "长期坚持": 1,
            "overdue": 0, "rate": round(0 / 2, 4)},
    "合计": {"measures": 7, "未开始": 2, "整改中": 1, "已完成": 2, "长期坚持": 2,
           "overdue": 2, "rate": round(2 / 7, 4)},
}


def test_summary_shows_the_completion_rate_per_unit_and_overall(
    campaign: Path, tmp_path: Path
) -> None:
    summary = summary_json([campaign], tmp_path / "汇总.json")
    assert summary["today"] == AS_OF
    assert rectify_figures(summary) == EXPECTED_FIGURES


def test_summary_ledger_carries_the_latest_status_of_every_measure(
    campaign: Path, tmp_path: Path
) -> None:
    summary = summary_json([campaign], tmp_path / "汇总.json")
    ledger = {
        (record["name"], problem["item"]): (problem["status"], problem["status_note"])
        for record in summary["records"]
        for problem in record["problems"]
    }
    assert ledger == {
        ("张三", "thinking-1"): ("整改中", "已提出第一条建议"),
        ("张三", "work-2"): ("已完成", "积压公文全部办结"),
        ("张三", "work-4"): ("长期坚持", "周计划已成习惯"),
        ("李四", "work-1"): ("已完成", "群众满意度测评九成以上满意"),
        ("李四", "study-1"): ("未开始", ""),
        ("王五", "thinking-2"): ("长期坚持", "现场办公已形成制度"),
        ("王五", "leadership-2"): ("未开始", ""),
    }


def test_summary_lists_the_overdue_measures(campaign: Path) -> None:
    output = invoke(["summary", str(campaign)]).output
    assert "逾期未完成的整改措施（2 条）" in output
    overdue_part = output.split("逾期未完成的整改措施", 1)[1]
    for cadre, item in EXPECTED_OVERDUE:
        measure = CADRES[cadre]["problems"][item][0]
        assert cadre in overdue_part
        assert measure[:8] in overdue_part  # long measures are cut in the terminal table
    assert "王五" not in overdue_part  # 财务科 has nothing overdue


def test_overdue_follows_the_committees_today(
    campaign: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On 2009-03-16 王五's leadership-2 (due 03-15, 未开始) joins the overdue list.
    monkeypatch.setenv("SELFCHECK_TODAY", "2009-03-16")
    figures = rectify_figures(summary_json([campaign], tmp_path / "later.json"))
    assert figures["财务科"]["overdue"] == 1
    assert figures["合计"]["overdue"] == 3
    assert figures["合计"]["rate"] == EXPECTED_FIGURES["合计"]["rate"]  # no status changed


def test_unit_summaries_roll_up_to_the_same_figures(campaign: Path, tmp_path: Path) -> None:
    per_unit = []
    for unit in ("办公室", "财务科"):
        out = tmp_path / f"{unit}.json"
        summary_json([campaign], out, "--unit", unit)
        per_unit.append(out)
    rolled = tmp_path / "局.json"
    invoke(["rollup", *map(str, per_unit), "--format", "json", "-o", str(rolled)])
    assert rectify_figures(json.loads(rolled.read_text(encoding="utf-8"))) == EXPECTED_FIGURES


def md_table(markdown: str, heading: str) -> list[dict[str, str]]:
    """The first pipe table after the ``##`` heading that contains ``heading``, as dicts."""
    lines = markdown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("#") and heading in line)
    rows = []
    for line in lines[start + 1:]:
        if line.startswith("#"):
            break
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif rows:
            break
    header, _rule, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


# Latest status of every measure on 2009-03-01, from the table at the top.
EXPECTED_STATUS = {
    ("张三", "每月向科室提出一条改进工作的书面建议"): "整改中",
    ("张三", "建立公文办理台账，每周五清理积压公文"): "已完成",
    ("张三", "每周一列出本周工作计划并对照检查落实"): "长期坚持",
    ("李四", "接待来访群众一律使用文明用语，一次性告知办事要求"): "已完成",
    ("李四", "每周学习业务知识不少于四小时并做读书笔记"): "未开始",
    ("王五", "带头落实以人为本的理念，每月到服务窗口现场办公一次"): "长期坚持",
    ("王五", "每季度开展一次谈心谈话，听取干部意见"): "未开始",
}


def test_markdown_summary_ledger_and_rates(campaign: Path) -> None:
    markdown = invoke(["summary", str(campaign), "--format", "md"]).output

    ledger = md_table(markdown, "整改台账")
    overdue_measures = {(c, CADRES[c]["problems"][item][0]) for c, item in EXPECTED_OVERDUE}
    assert len(ledger) == len(EXPECTED_STATUS)
    # overdue measures first, then the others
    first = {(row["责任人"], row["整改措施"]) for row in ledger[: len(overdue_measures)]}
    assert first == overdue_measures
    for row in ledger:
        key = (row["责任人"], row["整改措施"])
        expected = EXPECTED_STATUS[key] + ("（逾期）" if key in overdue_measures else "")
        assert row["完成情况"] == expected, key

    rates = {row["单位"]: row for row in md_table(markdown, "整改情况统计")}
    for unit, figures in EXPECTED_FIGURES.items():
        assert rates[unit]["措施"] == str(figures["measures"])
        assert rates[unit]["逾期未完成"] == str(figures["overdue"])
        assert rates[unit]["整改完成率"] == f"{figures['rate'] * 100:.1f}%"
