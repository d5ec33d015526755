"""selfcheck review and verified 销号: what is recorded, what is refused, what the cadre sees."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from test_summary_helpers import make_response, write
from typer.testing import CliRunner

from selfcheck import rules
from selfcheck.checklist.registry import resolve_checklist
from selfcheck.cli import app
from selfcheck.response import RectifyEntry, load_response
from selfcheck.review.listing import NO_PROBLEM
from selfcheck.review.reasons import load_reasons
from selfcheck.review.record import ReviewRequest, record_review
from selfcheck.testing import ScriptedPrompter

TZ = timezone(timedelta(hours=8))


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def checklist() -> Any:
    return resolve_checklist(None)


@pytest.fixture
def material(tmp_path: Path, checklist: Any) -> Path:
    """张三's submitted response with a problem and a measure on work-2."""
    response = make_response(
        checklist,
        name="张三",
        unit="办公室",
        role="staff",
        ratings={"work-2": "some"},
        problems={
            "work-2": {
                "problem": "办理公文拖拉，去年有五件超过时限",
                "measure": "建立台账，每周清理",
                "deadline": "2009-03-31",
            }
        },
    )
    return write(tmp_path / "收集", "办公室-张三.json", response)


def refused(path: Path, *args: str, words: str, says_unrecorded: bool = True) -> str:
    """Run a refused command: exit 1, ``words`` shown, the file untouched and, for a
    refused record, one sentence saying what was not recorded."""
    before = path.read_bytes()
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert words in result.output
    assert "内部错误" not in result.output
    assert path.read_bytes() == before, "a refused request leaves the file byte-identical"
    flat = "".join(result.output.split())
    assert flat.count("未记录，答卷文件没有改动") == says_unrecorded, "once, what was not recorded"
    assert "。。" not in flat
    return str(result.output)


# ------------------------------------------------------------------ refusals


def test_an_unknown_reason_is_refused_and_the_choices_are_listed(material: Path) -> None:
    out = refused(material, "review", str(material), "--return", "--reason", "太短",
                  "--reviewer", "赵委员", words="未知的退回理由")
    assert "问题不具体" in out and "雷同" in out


def test_a_typed_escape_sequence_never_reaches_the_terminal(material: Path) -> None:
    out = refused(material, "review", str(material), "--ledger", "\x1b[31mwork-9\x07",
                  "--source", "自己找", "--reviewer", "赵委员", words="答卷中没有检查项 work-9")
    assert "\x1b" not in out and "\x07" not in out


def test_a_draft_cannot_be_reviewed(tmp_path: Path, checklist: Any) -> None:
    draft = write(tmp_path, "草稿.json", make_response(
        checklist, name="李四", unit="办公室", role="staff", submitted=None))
    refused(draft, "review", str(draft), "--pass", "--reviewer", "赵委员", words="草稿")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--return", "--reviewer", "赵委员"], "写明理由"),
        (["--pass"], "审核人"),
        (["--pass", "--reason", "雷同", "--reviewer", "赵委员"], "不能同时"),
        (["--pass", "--return", "--reviewer", "赵委员"], "只能选一个"),
        (["--return", "--reason", "雷同", "--item", "no-such", "--reviewer", "赵"], "没有检查项"),
    ],
)
def test_incomplete_or_contradictory_reviews_are_refused(
    material: Path, args: list[str], words: str
) -> None:
    refused(material, "review", str(material), *args, words=words)


# ------------------------------------------------------------------ records


def test_reviews_are_appended_and_never_change_the_answers(material: Path) -> None:
    before = json.loads(material.read_text(encoding="utf-8"))
    assert run("review", str(material), "--return", "--reason", "cause-shallow", "--reason",
               "雷同", "--note", "原因要写主观的", "--reviewer", "赵委员").exit_code == 0
    assert run("review", str(material), "--pass", "--reviewer", "钱委员").exit_code == 0
    after = json.loads(material.read_text(encoding="utf-8"))
    assert after["answers"] == before["answers"]
    assert after["checklist"] == before["checklist"]  # the hash still validates
    assert [(r["decision"], r["reasons"], r["reviewer"]) for r in after["reviews"]] == [
        ("return", ["原因不深刻", "雷同"], "赵委员"),
        ("pass", [], "钱委员"),
    ]
    response = load_response(material)
    assert rules.review_status(response.draft_number, response.reviews) is rules.ReviewStatus.PASSED


def test_an_older_file_without_the_new_fields_still_reads(material: Path) -> None:
    data = json.loads(material.read_text(encoding="utf-8"))
    for key in ("draft_number", "reviews", "verifications"):
        data.pop(key, None)
    for entry in data["rectification"]:
        entry.pop("evidence", None)
    material.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    response = load_response(material)
    assert response.draft_number == 1 and response.reviews == []
    assert run("review", str(material), "--pass", "--reviewer", "赵委员").exit_code == 0
    assert run("rectify", str(material), "--no-input").exit_code == 0  # the checklist hash matches


def test_a_new_draft_is_pending_again_and_keeps_the_history(material: Path, checklist: Any) -> None:
    from selfcheck.review.returned import carry_history

    record_review(material, ReviewRequest("return", ("雷同",), (), "", "赵委员"), load_reasons())
    old = load_response(material)
    new = carry_history(old, make_response(checklist, name="张三", unit="办公室", role="staff"))
    assert new.draft_number == 2 and new.reviews == old.reviews
    assert rules.review_status(new.draft_number, new.reviews) is rules.ReviewStatus.PENDING


def test_a_unit_can_use_its_own_list_of_reasons(material: Path, tmp_path: Path) -> None:
    mine = tmp_path / "理由.yaml"
    mine.write_text("reasons:\n  - id: late\n    label: 逾期上交\n", encoding="utf-8")
    refused(material, "review", str(material), "--return", "--reason", "雷同", "--reasons",
            str(mine), "--reviewer", "赵委员", words="未知的退回理由")
    assert run("review", str(material), "--return", "--reason", "late", "--reasons", str(mine),
               "--reviewer", "赵委员").exit_code == 0
    assert load_response(material).reviews[-1].reasons == ["逾期上交"]
    broken = tmp_path / "坏.yaml"
    broken.write_text("reasons:\n  - id: late\n  - label: 逾期\n", encoding="utf-8")
    out = refused(material, "review", str(material), "--return", "--reason", "late",
                  "--reasons", str(broken), "--reviewer", "赵委员", words="退回理由清单",
                  says_unrecorded=False)  # a broken file of the committee's, not a record
    assert "坏.yaml:2" in out and "label" in out


def test_the_committee_can_review_interactively(material: Path) -> None:
    from selfcheck.review.command import review_command

    prompter = ScriptedPrompter(["2", "1", "7", "10", "请重写", "赵委员", ""])
    code = review_command(material, console=prompter.console, prompter=prompter)
    assert code == 0 and prompter.remaining == []
    entry = load_response(material).reviews[-1]
    assert (entry.decision, entry.reasons, entry.note, entry.reviewer) == (
        "return", ["问题不具体", "讲成绩多讲问题少"], "请重写", "赵委员"
    )
    # the reasons are chosen one at a time, and the prompt says so (not 可多选 with 1,3 refused)
    shown = prompter.console.export_text()
    assert "可多选" not in shown
    assert "退回理由（每次选一条，可以选几条）" in shown
    assert "退回理由（已选 1 条，还可再选一条，或选“（理由选好了）”）" in shown


def test_declining_or_interrupting_the_interactive_review_records_nothing(
    material: Path,
) -> None:
    from selfcheck.errors import Interrupted
    from selfcheck.review.command import review_command
    from selfcheck.testing import INTERRUPT

    before = material.read_bytes()
    prompter = ScriptedPrompter(["1", "", "赵委员", "n"])
    assert review_command(material, console=prompter.console, prompter=prompter) == 0
    assert "审核意见未记录，答卷文件没有改动。" in prompter.console.export_text()
    prompter = ScriptedPrompter(["3"])  # 暂不审核: left for later
    assert review_command(material, console=prompter.console, prompter=prompter) == 0
    assert "未作审核，答卷文件没有改动。" in prompter.console.export_text()
    prompter = ScriptedPrompter(["1", INTERRUPT])
    with pytest.raises(Interrupted, match="已中断，审核意见未记录，答卷文件没有改动。"):
        review_command(material, console=prompter.console, prompter=prompter)
    assert material.read_bytes() == before


def test_the_list_shows_status_draft_and_known_warnings(tmp_path: Path, material: Path,
                                                         checklist: Any) -> None:
    write(material.parent, "财务科-王五.json",
          make_response(checklist, name="王五", unit="财务科", role="staff"))
    write(material.parent, "财务科-孙六.json", make_response(
        checklist, name="孙六", unit="财务科", role="staff", submitted=None))
    run("review", str(material), "--return", "--reason", "雷同", "--reviewer", "赵委员")
    result = run("review", str(material.parent), "--list")
    assert result.exit_code == 0, result.output
    text = result.output
    assert "待审核 1" in text and "已退回 1" in text and "另有 1 份草稿" in text
    assert NO_PROBLEM[:6] in text  # 王五 found no problem at all
    assert "整份材料没有查摆出任何问题" not in text  # said once, in the committee's words


# ------------------------------------------------------------------ 销号


def test_only_a_verified_done_is_closed_by_verification() -> None:
    at = datetime(2009, 2, 1, 9, tzinfo=TZ)
    done = RectifyEntry(item="w", status=rules.Status.DONE, date=at.date(), recorded_at=at)

    class V:
        def __init__(self, decision: str, when: datetime) -> None:
            self.item, self.decision, self.recorded_at = "w", decision, when

    later = at + timedelta(days=1)
    assert rules.closing_of(done, "已完成", []) is rules.Closing.SELF_REPORTED
    assert rules.closing_of(done, "已完成", [V("accept", later)]) is rules.Closing.VERIFIED
    assert rules.closing_of(done, "已完成", [V("accept", at - timedelta(1))]) is (
        rules.Closing.SELF_REPORTED  # verified an earlier report, not this one
    )
    assert rules.closing_of(done, "整改中", [V("accept", later)]) is None


def test_verification_refusals_leave_the_file_untouched(material: Path) -> None:
    refused(material, "rectify", str(material), "--verify", "work-2", "--accept", "--reviewer",
            "赵委员", words="尚未报告")  # still 未开始
    assert run("rectify", str(material), "--set", "work-2=已完成:台账已建立").exit_code == 0
    refused(material, "rectify", str(material), "--verify", "thinking-1", "--accept",
            "--reviewer", "赵委员", words="没有整改措施")
    refused(material, "rectify", str(material), "--verify", "work-2", "--accept",
            words="核验人")
    refused(material, "rectify", str(material), "--verify", "work-2", "--reject",
            "--reviewer", "赵委员", words="写明理由")
    refused(material, "rectify", str(material), "--accept", words="--verify")


@pytest.mark.parametrize("himself", ["张三", " 张 三 ", "张　三"])
def test_nobody_reviews_or_closes_his_own_material(material: Path, himself: str) -> None:
    """Design §10: a measure is closed by the committee against its evidence, not by the
    cadre's word; nor does the cadre pass his own material. Blanks do not hide the name."""
    run("rectify", str(material), "--set", "work-2=已完成:台账已建立")
    out = refused(material, "rectify", str(material), "--verify", "work-2", "--accept",
                  "--reviewer", himself, words="销号须由干部本人以外的人核验")
    assert "就是这份答卷的干部本人" in out and "张三（机关党委）" in out
    refused(material, "review", str(material), "--pass", "--reviewer", himself,
            words="材料须由干部本人以外的人审核")
    refused(material, "review", str(material), "--return", "--reason", "雷同",
            "--reviewer", himself, words="材料须由干部本人以外的人审核")
    # a namesake on the committee says where he works
    namesake = run("rectify", str(material), "--verify", "work-2", "--accept",
                   "--reviewer", "张三（机关党委）")
    assert namesake.exit_code == 0, namesake.output
    assert load_response(material).verifications[-1].reviewer == "张三（机关党委）"


def test_a_verification_by_the_cadre_himself_closes_nothing(material: Path) -> None:
    """A file edited by hand (or written before the refusal) may hold one: every stage
    still counts the measure as 自报完成, by the same rule."""
    run("rectify", str(material), "--set", "work-2=已完成:台账已建立")
    data = json.loads(material.read_text(encoding="utf-8"))
    recorded = data["rectification"][-1]["recorded_at"]
    data["verifications"] = [
        {"item": "work-2", "decision": "accept", "reviewer": "张 三", "recorded_at": recorded}
    ]
    material.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    listed = run("rectify", str(material), "--no-input")
    assert listed.exit_code == 0, listed.output
    assert "自报完成" in listed.output and "已销号" not in listed.output
    summary = run("summary", str(material.parent), "--format", "csv", "--no-similarity")
    assert summary.exit_code == 0, summary.output
    assert "自报完成" in summary.output and "已销号" not in summary.output
    data["verifications"][0]["reviewer"] = "赵委员"
    material.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    summary = run("summary", str(material.parent), "--format", "csv", "--no-similarity")
    assert "已销号（赵委员" in summary.output


def test_asked_for_a_name_the_cadre_himself_is_asked_again(material: Path) -> None:
    from selfcheck.rectify.command import rectify_command
    from selfcheck.review.command import review_command

    run("rectify", str(material), "--set", "work-2=已完成:台账已建立")
    prompter = ScriptedPrompter(["1", "", "张三", "赵委员"])
    assert rectify_command(material, no_input=False, sets=[], on=None, console=prompter.console,
                           prompter=prompter, verify="all") == 0
    assert prompter.remaining == [] and "干部本人以外" in prompter.console.export_text()
    assert load_response(material).verifications[-1].reviewer == "赵委员"
    prompter = ScriptedPrompter(["1", "", "张三", "赵委员", ""])
    assert review_command(material, console=prompter.console, prompter=prompter) == 0
    assert prompter.remaining == [] and "材料须由干部本人以外的人审核" in (
        prompter.console.export_text()
    )
    assert load_response(material).reviews[-1].reviewer == "赵委员"


def test_a_rejection_returns_the_measure_with_its_reason(material: Path) -> None:
    run("rectify", str(material), "--set", "work-2=已完成:台账已建立")
    result = run("rectify", str(material), "--verify", "work-2", "--reject", "--reviewer",
                 "赵委员", "--note", "台账不全")
    assert result.exit_code == 0, result.output
    response = load_response(material)
    assert [e.status.label for e in response.rectification] == ["已完成", "整改中"]
    shown = run("rectify", str(material), "--no-input").output
    assert "台账不全" in shown and "核验未通过" in shown
    # reported done again, it waits for a new verification
    run("rectify", str(material), "--set", "work-2=已完成:台账补齐")
    assert "自报完成" in run("rectify", str(material), "--no-input").output


def test_the_interactive_verification_walks_every_self_reported_measure(material: Path) -> None:
    from selfcheck.rectify.command import rectify_command

    run("rectify", str(material), "--set", "work-2=已完成:台账已建立")
    prompter = ScriptedPrompter(["1", "", "赵委员"])
    assert rectify_command(material, no_input=False, sets=[], on=None, console=prompter.console,
                           prompter=prompter, verify="all") == 0
    assert prompter.remaining == []
    assert "已销号" in run("rectify", str(material), "--no-input").output


def test_concurrent_review_and_rectify_lose_nothing(material: Path, checklist: Any) -> None:
    from selfcheck import clock
    from selfcheck.rectify import store

    reasons = load_reasons()
    errors: list[BaseException] = []

    def reviews() -> None:
        try:
            for _ in range(15):
                record_review(material, ReviewRequest("pass", (), (), "", "赵委员"), reasons)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def progress() -> None:
        try:
            for n in range(15):
                store.record_sets(material, checklist, [f"work-2=整改中:第{n}次"], on=None,
                                  today=clock.today())
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reviews), threading.Thread(target=progress)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    response = load_response(material)
    assert len(response.reviews) == 15 and len(response.rectification) == 15


def test_docs_list_exactly_the_shipped_reasons() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "review.md").read_text("utf-8")
    rows = {
        line.split("|")[1].strip().strip("`"): line.split("|")[2].strip()
        for line in doc.splitlines()
        if line.startswith("| `")
    }
    assert rows == {r.id: r.label for r in load_reasons().reasons}


def test_a_refused_ledger_entry_says_the_ledger_was_not_recorded(
    tmp_path: Path, material: Path
) -> None:
    """Ledger columns are their own record: a refusal names them, not a 审核意见."""
    before = material.read_bytes()
    result = run("review", str(material), "--ledger", "work-2", "--source", "自己找")
    assert result.exit_code == 1
    flat = "".join(result.output.split())
    assert flat.endswith("。台账栏目未记录，答卷文件没有改动") and "审核意见" not in flat
    assert material.read_bytes() == before
