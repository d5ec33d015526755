"""Done when: the committee returns a material with named reasons, the cadre resubmits, the
committee passes it; measures are self-reported and one is rejected at verification (对账销号);
the summary and the roll-up show review counts, draft counts, 已销号 vs 自报完成 and the new
ledger columns.

Three cadres in two units. Every expected figure is worked out by hand in the comments.
The checklist is the built-in one: its question set asks 问题来源 and 整改类型.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from selfcheck.checklist.loader import load_checklist
from selfcheck.cli import app
from selfcheck.engine import Engine
from selfcheck.response import load_response
from selfcheck.run.session import RunOptions, run_session
from selfcheck.testing import ScriptedPrompter

ROOT = Path(__file__).resolve().parent.parent
CHECKLIST_ID = "zuofeng-2008"
BUILTIN = ROOT / "checklists" / f"{CHECKLIST_ID}.yaml"

# cadre -> unit, role, {item: (measure, deadline, source, type)}
CADRES: dict[str, tuple[str, str, dict[str, tuple[str, str, str, str]]]] = {
    "张三": (
        "办公室",
        "staff",
        {
            "thinking-1": ("每月提出一条改进建议", "2009-02-10", "masses", "immediate"),
            "work-2": ("建立公文办理台账，每周清理积压", "2009-03-31", "self", "deadline"),
        },
    ),
    "李四": (
        "办公室",
        "staff",
        {"work-1": ("文明用语，一次性告知", "2009-02-28", "superior", "lasting")},
    ),
    "王五": (
        "财务科",
        "leader",
        {"leadership-2": ("每季度开展谈心谈话", "2009-03-15", "organization", "deadline")},
    ),
}


def answers_for(cadre: str) -> dict[str, Any]:
    unit, role, problems = CADRES[cadre]
    items = ["thinking-1", "thinking-2", "thinking-3", "work-1", "work-2", "work-3", "work-4"]
    if role == "leader":
        items += [f"leadership-{i}" for i in range(1, 7)]
    items += ["study-1", "study-2"]
    answers: dict[str, Any] = {}
    for item in items:
        if item in problems:
            measure, deadline, source, kind = problems[item]
            answers[item] = {
                "rating": "some",
                "manifestation": f"{cadre}在{item}方面：工作标准不高，群众有反映，去年有两次拖延",
                "cause": "宗旨意识不够强",
                "measure": measure,
                "deadline": deadline,
                "source": source,
                "rectify_type": kind,
            }
        else:
            answers[item] = {"rating": "good"}
    return {
        "checklist": CHECKLIST_ID,
        "respondent": {"name": cadre, "unit": unit, "position": "科员", "role": role},
        "answers": answers,
    }


def cli(args: list[str], code: int = 0) -> Any:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == code, result.output
    return result


def path_of(folder: Path, cadre: str) -> Path:
    return folder / f"{CADRES[cadre][0]}-{cadre}-{CHECKLIST_ID}.json"


def refused(args: list[str], file: Path, words: str) -> None:
    """The command exits 1 with a Chinese message containing ``words``; ``file`` is untouched."""
    before = file.read_bytes()
    result = cli(args, 1)
    assert words in result.output, result.output
    assert "内部错误" not in result.output and "Traceback" not in result.output
    assert file.read_bytes() == before


@pytest.fixture
def campaign(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SELFCHECK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("SELFCHECK_TODAY", "2009-01-10")
    folder = tmp_path / "机关党委"
    for cadre in CADRES:
        prefill = tmp_path / f"{cadre}.yaml"
        prefill.write_text(yaml.safe_dump(answers_for(cadre), allow_unicode=True), "utf-8")
        cli(["run", "--answers", str(prefill), "--no-input", "--format", "none",
             "--out", str(folder)])
    return folder


def test_the_story(
    campaign: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = campaign
    zhang, li, wang = (path_of(folder, c) for c in CADRES)
    dirs: list[str] = []

    # 1. 2009-01-12: the committee returns 张三's material with two reasons, passes 李四's.
    monkeypatch.setenv("SELFCHECK_TODAY", "2009-01-12")
    refused(["review", str(wang), "--return", "--reason", "写得太短", "--reviewer", "赵委员"],
            wang, "未知的退回理由")
    draft = folder / "草稿.json"
    data = json.loads(wang.read_text(encoding="utf-8"))
    data["status"] = "draft"
    draft.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    refused(["review", str(draft), "--pass", "--reviewer", "赵委员"], draft, "草稿")
    draft.unlink()
    answers_before = json.loads(zhang.read_text(encoding="utf-8"))["answers"]
    cli(["review", str(zhang), "--return", "--reason", "问题不具体", "--reason",
         "measure-unclear", "--note", "具体表现要写清事例", "--reviewer", "赵委员"])
    cli(["review", str(li), "--pass", "--reviewer", "赵委员"])
    stored = json.loads(zhang.read_text(encoding="utf-8"))
    assert stored["answers"] == answers_before  # a review never changes the answers
    assert [(r["decision"], r["draft"], r["reasons"]) for r in stored["reviews"]] == [
        ("return", 1, ["问题不具体", "措施不明确"])
    ]
    listing = cli(["review", str(folder), "--list", *dirs]).output
    assert "已退回 1" in listing and "已通过 1" in listing and "待审核 1" in listing

    # 2. 2009-01-14: 张三 runs selfcheck again, sees the reasons and the note; the walk
    # reopens on his two items (thinking-1, work-2); he rewrites work-2's 具体表现.
    monkeypatch.setenv("SELFCHECK_TODAY", "2009-01-14")
    new_text = "办理公文拖拉：去年第四季度有五件公文超过规定时限三天以上才办结"
    adapted = load_checklist(BUILTIN)
    engine = Engine.from_response(adapted, load_response(zhang), today=date(2009, 1, 14))
    asked = [len(engine.item_steps(engine.index_of(i) or 0)) for i in ("thinking-1", "work-2")]
    script = [
        *[""] * asked[0],  # thinking-1: Enter keeps every answer
        "", new_text, "", *[""] * (asked[1] - 2),  # work-2: 具体表现 retyped (empty line ends it)
        "", "",  # review: submit, confirm
    ]
    prompter = ScriptedPrompter(script)
    options = RunOptions(out=folder, formats="md", name="张三", unit="办公室", position="科员",
                         role="staff")
    assert run_session(options, prompter) == 0
    screen = prompter.console.export_text()
    assert "已退回" in screen and "问题不具体；措施不明确" in screen
    assert "具体表现要写清事例" in screen and "第 2 稿" in screen
    stored = json.loads(zhang.read_text(encoding="utf-8"))
    assert stored["draft_number"] == 2
    assert stored["answers"]["work-2"]["manifestation"] == new_text
    assert len(stored["reviews"]) == 1  # the history is kept
    (report,) = folder.glob("办公室-张三-*.md")
    assert new_text in report.read_text(encoding="utf-8")  # the report was regenerated

    # 3. 2009-01-15: the committee passes the second draft.
    monkeypatch.setenv("SELFCHECK_TODAY", "2009-01-15")
    cli(["review", str(zhang), "--pass", "--reviewer", "赵委员"])

    # 4. 2009-02-20: measures self-reported, one with evidence.
    monkeypatch.setenv("SELFCHECK_TODAY", "2009-02-20")
    proof = tmp_path / "公文台账.pdf"
    proof.write_bytes(b"%PDF-1.4 ledger of documents\n")
    refused(["rectify", str(zhang), *dirs, "--set", "work-2=已完成:台账已建立",
             "--evidence", str(tmp_path / "没有这个文件.pdf")], zhang, "不存在")
    cli(["rectify", str(zhang), *dirs, "--set", "work-2=已完成:台账已建立",
         "--evidence", str(proof)])
    cli(["rectify", str(zhang), *dirs, "--set", "thinking-1=已完成:已提出两条建议"])
    cli(["rectify", str(li), *dirs, "--set", "work-1=长期坚持:已形成制度"])
    cli(["rectify", str(wang), *dirs, "--set", "leadership-2=已完成:已谈心十人次"])
    stored = json.loads(zhang.read_text(encoding="utf-8"))
    (evidence,) = stored["rectification"][0]["evidence"]
    assert evidence["name"] == "公文台账.pdf" and evidence["size"] == proof.stat().st_size
    assert (folder / evidence["stored"]).read_bytes() == proof.read_bytes()
    assert b"ledger of documents" not in zhang.read_bytes()  # never inlined

    # 5. 2009-02-25: verification. work-2 accepted; thinking-1 rejected (back to 整改中).
    monkeypatch.setenv("SELFCHECK_TODAY", "2009-02-25")
    refused(["rectify", str(li), *dirs, "--verify", "work-2", "--accept", "--reviewer", "赵委员"],
            li, "没有整改措施")
    refused(["rectify", str(zhang), *dirs, "--verify", "work-2", "--accept"], zhang, "核验人")
    cli(["rectify", str(zhang), *dirs, "--verify", "work-2", "--accept", "--reviewer", "赵委员",
         "--note", "台账属实"])
    cli(["rectify", str(zhang), *dirs, "--verify", "thinking-1", "--reject", "--reviewer",
         "赵委员", "--note", "未见群众评议记录"])
    seen = cli(["rectify", str(zhang), *dirs, "--no-input"]).output
    assert "未见群众评议记录" in seen and "已销号" in seen

    # 6. 2009-03-01: the committee fills 责任领导 and corrects a 问题来源; then the summary,
    # every figure by hand.
    monkeypatch.setenv("SELFCHECK_TODAY", "2009-03-01")
    refused(["review", str(wang), "--ledger", "leadership-2", "--source", "网上看",
             "--reviewer", "赵委员"], wang, "不在可选范围内")
    cli(["review", str(zhang), "--ledger", "work-2", "--leader", "李局长", "--reviewer", "赵委员"])
    cli(["review", str(wang), "--ledger", "leadership-2", "--source", "上级点",
         "--reviewer", "赵委员"])
    checklist: list[str] = []
    summary = tmp_path / "summary.json"
    cli(["summary", str(folder), *checklist, "--format", "json", "-o", str(summary)])
    figures = json.loads(summary.read_text(encoding="utf-8"))["figures"]
    reviews = {r["unit"]: r for r in figures["reviews"]}
    # 办公室: 张三 passed (draft 2), 李四 passed (draft 1): 2 materials, 3 drafts, mean 1.5.
    # 财务科: 王五 not reviewed: 1 material, 1 draft. Total: 3 materials, 4 drafts.
    assert reviews["办公室"]["by_status"] == {"待审核": 0, "已通过": 2, "已退回": 0}
    assert reviews["办公室"]["mean_drafts"] == pytest.approx(3 / 2)
    assert reviews["财务科"]["by_status"] == {"待审核": 1, "已通过": 0, "已退回": 0}
    assert reviews["合计"]["drafts"] == 4 and reviews["合计"]["materials"] == 3
    rectify = {r["unit"]: r for r in figures["rectify"]}
    # 4 measures: 张三 work-2 已完成 verified (已销号), 张三 thinking-1 rejected → 整改中,
    # 李四 work-1 长期坚持, 王五 leadership-2 已完成 on his word (自报完成).
    total = rectify["合计"]
    assert total["measures"] == 4
    assert total["verified"] == 1 and total["self_reported"] == 1
    assert total["verified_rate"] == pytest.approx(1 / 4)
    assert total["done_rate"] == pytest.approx(2 / 4)  # 已完成 2 / 4 (长期坚持 not counted)
    # 已销号 and 自报完成 split 已完成: their shares add up to the rate
    assert total["verified_rate"] + total["self_reported_rate"] == pytest.approx(total["done_rate"])
    assert (rectify["办公室"]["verified"], rectify["办公室"]["self_reported"]) == (1, 0)
    assert (rectify["财务科"]["verified"], rectify["财务科"]["self_reported"]) == (0, 1)

    md = tmp_path / "summary.md"
    cli(["summary", str(folder), *checklist, "--format", "md", "-o", str(md)])
    text = md.read_text(encoding="utf-8")
    for column in ("问题来源", "整改类型", "责任领导", "佐证材料", "销号情况"):
        assert column in text
    (row,) = [line for line in text.splitlines() if "建立公文办理台账" in line]
    for cell in ("自己找", "限期整改", "李局长", "公文台账.pdf", "已销号（赵委员，2009-02-25）"):
        assert cell in row, row
    (row,) = [line for line in text.splitlines() if "每季度开展谈心谈话" in line]
    assert "上级点" in row and "组织查" not in row  # the committee's entry wins over the answer
    assert "自报完成（待核验）" in row

    # 7. rollup of the two units' summaries agrees with the summary of both.
    parts = []
    for unit in ("办公室", "财务科"):
        part = tmp_path / f"{unit}.json"
        cli(["summary", str(folder), *checklist, "--unit", unit, "--format", "json",
             "-o", str(part)])
        parts.append(str(part))
    rolled = tmp_path / "rolled.json"
    cli(["rollup", *parts, "--format", "json", "-o", str(rolled)])
    merged = json.loads(rolled.read_text(encoding="utf-8"))["figures"]
    assert merged["reviews"] == figures["reviews"]
    assert merged["rectify"] == figures["rectify"]

    # 8. An evidence file changed after it was recorded: rectify, review --list and summary say so.
    stored_file = folder / evidence["stored"]
    stored_file.write_bytes(b"something else")
    assert "改动过" in cli(["rectify", str(zhang), *dirs, "--no-input"]).output
    assert "改动过" in cli(["review", str(folder), "--list", *dirs]).output
    cli(["summary", str(folder), *checklist, "--format", "md", "-o", str(md)])
    report_md = md.read_text(encoding="utf-8")
    assert "改动过" in report_md
    # under its own heading, not among the texts made safe
    before, evidence_part = report_md.split("佐证材料核对：", 1)
    assert "改动过" in evidence_part.split("\n\n", 2)[1]
    text_part = before.split("文字安全处理提示：", 1)[1] if "文字安全处理提示：" in before else ""
    assert "改动过" not in text_part
    shutil.rmtree(stored_file.parent)
    assert "已不存在" in cli(["rectify", str(zhang), *dirs, "--no-input"]).output
