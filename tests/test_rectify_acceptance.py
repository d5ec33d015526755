"""Done when: cadres update their measures over several sessions, and the committee's
summary shows the completion rate and the overdue list.

Three cadres in two units submit through ``selfcheck run --answers --no-input``
on 2009-01-10, record progress with ``selfcheck rectify`` on three later days,
and the committee runs ``selfcheck summary`` on 2009-03-01. Every expected
figure below is worked out by hand from the story, in the comments.
"""

from __future__ import annotations

import json
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


@pytest.fixture
def campaign(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The collection folder after submission and every rectify session."""
    folder = tmp_path / "机关党委"
    monkeypatch.setenv("SELFCHECK_TODAY", SUBMITTED)
    for cadre in CADRES:
        prefill = tmp_path / f"{cadre}.yaml"
        prefill.write_text(yaml.safe_dump(answers_for(cadre), allow_unicode=True), encoding="utf-8")
        invoke(["run", "--answers", str(prefill), "--no-input", "--format", "none",
                "--out", str(folder)])
    for day, cadre, sets in SESSIONS:
        monkeypatch.setenv("SELFCHECK_TODAY", day)
        args = ["rectify", str(response_path(folder, cadre)), "--no-input"]
        for value in sets:
            args += ["--set", value]
        invoke(args)
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
