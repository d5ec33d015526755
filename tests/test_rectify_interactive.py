"""Interactive ``selfcheck rectify``: scripted through the project's one prompting seam.

Each measure asks, in order: 整改状态 (number or wording, Enter keeps the
current one), 进展说明 (optional), 日期 (Enter = today), for 已完成 the evidence
files (optional, Enter ends), then a confirmation; nothing is asked between the
confirmation and the save.
Status unchanged and no note means the measure is skipped without a record.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_rectify import submitted_response, write_response
from typer.testing import CliRunner

from selfcheck.cli import app
from selfcheck.console import make_console
from selfcheck.errors import Interrupted, RectifyError
from selfcheck.rectify.command import rectify_command
from selfcheck.rectify.progress import parse_status
from selfcheck.rules import Status
from selfcheck.testing import EOF, INTERRUPT, ScriptedPrompter, ScriptEntry

# The three measures of the standard response, in checklist order.
THINKING, WORK2, WORK4 = "thinking-1", "work-2", "work-4"


@pytest.fixture
def response_file(tmp_path: Path, zuofeng: Any) -> Path:
    """A submitted response with measures for thinking-1, work-2 and work-4."""
    return write_response(tmp_path, submitted_response(zuofeng))


def walk(path: Path, script: list[ScriptEntry], *, on: str | None = None) -> ScriptedPrompter:
    """Run the interactive walk on ``path`` with scripted lines; return the prompter."""
    console = make_console(record=True, width=100)
    prompter = ScriptedPrompter(script, console)
    code = rectify_command(path, no_input=False, sets=[], on=on, console=console, prompter=prompter)
    assert code == 0
    assert prompter.remaining == [], "the walk asked fewer questions than scripted"
    return prompter


def log(path: Path) -> list[tuple[str, str, str, str]]:
    """(item, status, date, note) of every stored entry."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(e["item"], e["status"], e["date"], e["note"]) for e in data["rectification"]]


SKIP = ["", ""]  # keep the status, no note


def test_walk_records_each_confirmed_measure(response_file: Path) -> None:
    prompter = walk(
        response_file,
        [
            "2", "已起草个人改进计划", "", "是",  # thinking-1 → 整改中, today
            "已完成", "台账已建立", "2009/1/12",  # work-2 → 已完成 on 12 Jan
            "",  # no evidence file
            "",  # Enter = yes
            *SKIP,  # work-4 unchanged
        ],
    )
    assert log(response_file) == [
        (THINKING, "整改中", "2009-01-15", "已起草个人改进计划"),
        (WORK2, "已完成", "2009-01-12", "台账已建立"),
    ]
    screen = prompter.console.export_text()
    assert "这一项不作记录" in screen
    assert "已记录 2 条整改进展" in screen


def test_the_current_status_is_the_default(response_file: Path) -> None:
    walk(response_file, ["2", "", "", "是", *SKIP, *SKIP])
    # second session: Enter keeps 整改中; a new note makes a new record with the same status
    prompter = walk(response_file, ["", "拟出三条建议", "", "是", *SKIP, *SKIP])
    assert log(response_file) == [
        (THINKING, "整改中", "2009-01-15", ""),
        (THINKING, "整改中", "2009-01-15", "拟出三条建议"),
    ]
    assert "当前答案：整改中" in prompter.console.export_text()


def test_nothing_changed_leaves_the_file_untouched(response_file: Path) -> None:
    before = response_file.read_bytes()
    prompter = walk(response_file, [*SKIP, *SKIP, *SKIP])
    assert response_file.read_bytes() == before
    assert "没有记录新的整改进展，答卷文件没有改动。" in prompter.console.export_text()


def test_declining_the_confirmation_asks_again(response_file: Path) -> None:
    walk(response_file, ["3", "误选", "", "", "否", "2", "正在推进", "", "是", *SKIP, *SKIP])
    assert log(response_file) == [(THINKING, "整改中", "2009-01-15", "正在推进")]


def test_bad_dates_are_asked_again(response_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    prompter = walk(
        response_file,
        ["2", "", "明天", "2009-01-16", "2009-02-30", "2009.1.10", "是", *SKIP, *SKIP],
    )
    assert log(response_file) == [(THINKING, "整改中", "2009-01-10", "")]
    screen = prompter.console.export_text()
    assert "无法识别的日期“明天”" in screen
    assert "晚于今天" in screen
    assert "日期不存在" in screen

    monkeypatch.setenv("SELFCHECK_TODAY", "2009-02-01")
    prompter = walk(response_file, ["3", "", "2009-01-05", "", "", "是", *SKIP, *SKIP])
    assert "早于该项上次记录的日期 2009-01-10" in prompter.console.export_text()
    assert log(response_file)[-1] == (THINKING, "已完成", "2009-02-01", "")


def test_date_option_is_the_default_date(response_file: Path) -> None:
    walk(response_file, ["2", "", "", "是", *SKIP, *SKIP], on="2009年1月13日")
    assert log(response_file) == [(THINKING, "整改中", "2009-01-13", "")]


def test_a_date_before_the_self_inspection_is_questioned(response_file: Path) -> None:
    # the material was begun on 2009-01-10: "2008-01-12" is last year typed by habit
    prompter = walk(
        response_file, ["2", "", "2008-01-12", "", "2009-01-12", "是", *SKIP, *SKIP]
    )  # Enter = no: asked again, with the slip offered as the current answer
    assert log(response_file) == [(THINKING, "整改中", "2009-01-12", "")]
    screen = prompter.console.export_text()
    assert "日期 2008-01-12 早于开始对照检查的日期 2009-01-10，请核对年份" in screen
    assert screen.count("这个日期无误吗？") == 1

    # a material written on paper first has older real progress: confirmed, it is kept
    walk(response_file, [*SKIP, *SKIP, "2", "纸质材料补录", "2009-01-05", "是", "是"])
    assert log(response_file)[-1] == (WORK4, "整改中", "2009-01-05", "纸质材料补录")


def test_unknown_status_is_asked_again(response_file: Path) -> None:
    prompter = walk(response_file, ["9", "差不多", "长期坚持", "", "", "是", *SKIP, *SKIP])
    assert log(response_file) == [(THINKING, "长期坚持", "2009-01-15", "")]
    assert "请输入 1 到 4 之间的编号" in prompter.console.export_text()


@pytest.mark.parametrize(
    "word",
    ["完成", "done", "已整改", "DONE", "todo", "尚未开始", "not-started", "doing", "正在整改",
     "in-progress", "ongoing", "长期坚持"],
)  # fmt: skip
def test_the_status_prompt_takes_every_word_set_takes(response_file: Path, word: str) -> None:
    """docs/rectify.md: the aliases of ``--set ITEM=STATUS`` work at the prompt too."""
    status = parse_status(word)  # what --set makes of the word
    evidence = [""] if status is Status.DONE else []  # 已完成 asks for evidence files
    prompter = walk(response_file, [word, "按别名录入", "", *evidence, "是", "q"])
    assert log(response_file) == [(THINKING, status.label, "2009-01-15", "按别名录入")]
    assert "请输入 1 到 4 之间的编号" not in prompter.console.export_text()


def test_a_word_set_refuses_is_refused_at_the_prompt_too(response_file: Path) -> None:
    with pytest.raises(RectifyError):
        parse_status("完成了")
    prompter = walk(response_file, ["完成了", "q"])
    assert "请输入 1 到 4 之间的编号" in prompter.console.export_text()
    assert log(response_file) == []


def test_back_goes_to_the_previous_step_and_measure(response_file: Path) -> None:
    walk(
        response_file,
        [
            "2", "<", "3", "", "", "", "是",  # back from the note to the status; no evidence
            "<",  # back from work-2's status to thinking-1
            "", "再补一条", "", "", "是",  # thinking-1 again: keeps 已完成, adds a note
            "4", "", "", "是",  # work-2
            *SKIP,
        ],
    )
    assert log(response_file) == [
        (THINKING, "已完成", "2009-01-15", ""),
        (THINKING, "已完成", "2009-01-15", "再补一条"),
        (WORK2, "长期坚持", "2009-01-15", ""),
    ]


def test_q_saves_and_stops(response_file: Path) -> None:
    prompter = walk(response_file, ["2", "", "", "是", "q"])
    assert log(response_file) == [(THINKING, "整改中", "2009-01-15", "")]
    assert "已记录 1 条整改进展" in prompter.console.export_text()


def test_ctrl_c_keeps_confirmed_entries_and_exits_130(response_file: Path) -> None:
    console = make_console(record=True, width=100)
    prompter = ScriptedPrompter(["2", "已起草", "", "是", "3", "台账", INTERRUPT], console)
    with pytest.raises(Interrupted) as caught:
        rectify_command(response_file, no_input=False, sets=[], on=None, console=console,
                        prompter=prompter)
    assert caught.value.exit_code == 130
    assert "1 条整改进展都已保存" in caught.value.message
    assert log(response_file) == [(THINKING, "整改中", "2009-01-15", "已起草")]


@pytest.mark.parametrize("stop", [INTERRUPT, EOF], ids=["ctrl-c", "ctrl-d"])
@pytest.mark.parametrize("verify", [None, "all"], ids=["progress", "verify"])
def test_stopping_before_any_record_says_nothing_was_recorded(
    response_file: Path, stop: ScriptEntry, verify: str | None
) -> None:
    what = "核验结果" if verify else "整改进展"
    if verify:
        done = CliRunner().invoke(app, ["rectify", str(response_file), "--set", f"{WORK2}=done"])
        assert done.exit_code == 0, done.output
    before = response_file.read_bytes()
    console = make_console(record=True, width=100)
    prompter = ScriptedPrompter([stop], console)
    with pytest.raises(Interrupted) as caught:
        rectify_command(response_file, no_input=False, sets=[], on=None, console=console,
                        prompter=prompter, verify=verify)
    assert caught.value.message == f"已中断，没有记录新的{what}，答卷文件没有改动。"
    assert response_file.read_bytes() == before


def test_input_ending_at_the_first_prompt_says_nothing_was_recorded(response_file: Path) -> None:
    before = response_file.read_bytes()
    result = CliRunner().invoke(app, ["rectify", str(response_file)], input="")
    assert result.exit_code == 130, result.output
    assert "已中断，没有记录新的整改进展，答卷文件没有改动。" in result.output
    assert "0 条" not in result.output
    assert response_file.read_bytes() == before


def test_cli_interactive_and_ctrl_d(response_file: Path) -> None:
    result = CliRunner().invoke(
        app, ["rectify", str(response_file)], input="2\n通过终端录入\n\n是\n3\n"
    )
    # input ends after work-2's status: Ctrl-D saves nothing more and exits 130
    assert result.exit_code == 130, result.output
    assert "已中断" in result.output
    assert log(response_file) == [(THINKING, "整改中", "2009-01-15", "通过终端录入")]


def test_hostile_note_is_cleaned(response_file: Path) -> None:
    walk(response_file, ["2", "[bold]注意[/bold]\x1b[2J清屏", "", "是", *SKIP, *SKIP])
    assert log(response_file) == [(THINKING, "整改中", "2009-01-15", "[bold]注意[/bold]清屏")]


def test_no_measures_asks_nothing(tmp_path: Path, zuofeng: Any) -> None:
    from test_rectify import staff_answers

    path = write_response(tmp_path, submitted_response(zuofeng, staff_answers({})))
    prompter = walk(path, [])
    assert prompter.labels == []
    assert "没有查摆出需要整改的问题" in prompter.console.export_text()


def test_draft_is_refused_before_any_question(tmp_path: Path, zuofeng: Any) -> None:
    path = write_response(tmp_path, submitted_response(zuofeng, status="draft"), "a.draft.json")
    result = CliRunner().invoke(app, ["rectify", str(path)], input="2\n")
    assert result.exit_code == 1
    assert "草稿" in result.output
    assert "整改状态" not in result.output


class Meddler(ScriptedPrompter):
    """A prompter that lets another program change the file just before line ``at`` is read."""

    def __init__(self, script: list[ScriptEntry], console: Any, path: Path, at: int,
                 meddle: Any) -> None:
        super().__init__(script, console)
        self.path, self.at, self.meddle = path, at, meddle

    def read_line(self, prompt: str) -> str:
        if self.position == self.at:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.meddle(data)
            self.path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return super().read_line(prompt)


def test_file_changed_meanwhile_keeps_both_changes(response_file: Path) -> None:
    console = make_console(record=True, width=100)

    def promote(data: dict[str, Any]) -> None:
        data["respondent"]["position"] = "副科长"

    # the other program writes just before the confirmation is read
    prompter = Meddler(["2", "", "", "是", "q"], console, response_file, 3, promote)
    assert rectify_command(response_file, no_input=False, sets=[], on=None, console=console,
                           prompter=prompter) == 0
    stored = json.loads(response_file.read_text(encoding="utf-8"))
    assert stored["respondent"]["position"] == "副科长"  # the other change is kept
    assert log(response_file) == [(THINKING, "整改中", "2009-01-15", "")]  # and so is ours


def _done_elsewhere(data: dict[str, Any]) -> None:
    """Another program records 已完成 for thinking-1 on 2009-01-14 meanwhile."""
    data["rectification"].append(
        {"item": THINKING, "status": "已完成", "date": "2009-01-14", "note": "另一处录入",
         "recorded_at": "2009-01-14T10:00:00+08:00"}
    )


def test_entry_recorded_meanwhile_is_checked_again_and_asked_again(
    response_file: Path,
) -> None:
    console = make_console(record=True, width=200)

    # thinking-1 整改中 on 2009-01-12 is fine when asked; meanwhile another program records
    # 已完成 on 2009-01-14, so 01-12 can no longer be saved: the walk says so and asks again.
    prompter = Meddler(
        ["2", "", "2009-01-12", "是", "", "", "q"], console, response_file, 3, _done_elsewhere
    )
    assert rectify_command(response_file, no_input=False, sets=[], on=None, console=console,
                           prompter=prompter) == 0
    screen = console.export_text()
    assert "这条进展没有保存" in screen
    assert "早于该项上次记录的日期 2009-01-14" in screen
    assert "当前答案：已完成" in screen  # asked again, showing the status as it is now
    assert log(response_file) == [(THINKING, "已完成", "2009-01-14", "另一处录入")]
    assert "没有记录新的整改进展" in screen


# ------------------------------------------------------------ evidence with the entry


def evidence_log(path: Path) -> list[list[str]]:
    """The evidence file names of every stored entry."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [[e["name"] for e in entry["evidence"]] for entry in data["rectification"]]


def test_evidence_is_asked_before_the_confirmation_and_saved_with_the_entry(
    response_file: Path, tmp_path: Path
) -> None:
    proof = tmp_path / "台账.pdf"
    proof.write_bytes(b"ledger")
    prompter = walk(
        response_file, ["3", "台账已建立", "", str(proof), "", "是", *SKIP, *SKIP]
    )
    assert log(response_file) == [(THINKING, "已完成", "2009-01-15", "台账已建立")]
    assert evidence_log(response_file) == [["台账.pdf"]]
    screen = prompter.console.export_text()
    # the confirmation names the evidence it is about to save
    assert screen.index("佐证材料：台账.pdf") < screen.index("保存这条整改进展")


def test_ctrl_c_right_after_confirming_keeps_that_entry(response_file: Path) -> None:
    """Every confirmed entry is saved: nothing is asked between 是 and the save."""
    console = make_console(record=True, width=100)
    prompter = ScriptedPrompter(["3", "台账已建立", "", "", "是", INTERRUPT], console)
    with pytest.raises(Interrupted) as caught:
        rectify_command(response_file, no_input=False, sets=[], on=None, console=console,
                        prompter=prompter)
    assert log(response_file) == [(THINKING, "已完成", "2009-01-15", "台账已建立")]
    assert "已确认的 1 条整改进展都已保存" in caught.value.message


def test_ctrl_c_at_the_evidence_question_records_nothing_and_copies_nothing(
    response_file: Path, tmp_path: Path
) -> None:
    proof = tmp_path / "台账.pdf"
    proof.write_bytes(b"ledger")
    before = response_file.read_bytes()
    console = make_console(record=True, width=100)
    prompter = ScriptedPrompter(["3", "台账已建立", "", str(proof), INTERRUPT], console)
    with pytest.raises(Interrupted) as caught:
        rectify_command(response_file, no_input=False, sets=[], on=None, console=console,
                        prompter=prompter)
    assert caught.value.message == "已中断，没有记录新的整改进展，答卷文件没有改动。"
    assert response_file.read_bytes() == before
    assert not list(tmp_path.glob("*-佐证材料"))


def test_the_same_evidence_file_is_registered_once(response_file: Path, tmp_path: Path) -> None:
    proof = tmp_path / "台账.pdf"
    proof.write_bytes(b"ledger")
    copy = tmp_path / "台账副本.pdf"
    copy.write_bytes(b"ledger")
    prompter = walk(
        response_file,
        ["3", "", "", str(proof), str(proof), str(copy), "", "是", *SKIP, *SKIP],
    )
    assert evidence_log(response_file) == [["台账.pdf"]]
    screen = prompter.console.export_text()
    assert screen.count("这个文件已经添加过（与 台账.pdf 内容相同）") == 2


# ------------------------------------------------------------- answers kept


def test_stepping_back_keeps_the_note_typed(response_file: Path) -> None:
    prompter = walk(response_file, ["2", "已起草改进计划", "<", "", "", "是", *SKIP, *SKIP])
    assert log(response_file) == [(THINKING, "整改中", "2009-01-15", "已起草改进计划")]
    assert "当前答案：已起草改进计划" in prompter.console.export_text()


def test_declining_the_confirmation_keeps_what_was_typed(response_file: Path) -> None:
    # 否, then Enter through every step: the answers given the first time are saved
    walk(response_file, ["3", "台账已建立", "2009-01-10", "", "否", "", "", "", "", "是",
                         *SKIP, *SKIP])
    assert log(response_file) == [(THINKING, "已完成", "2009-01-10", "台账已建立")]


def test_a_refused_save_keeps_the_note_typed(response_file: Path) -> None:
    console = make_console(record=True, width=200)

    # refused (01-12 is before the 01-14 recorded meanwhile): choose again, Enter keeps the
    # note, the old date is refused again and a later one given
    prompter = Meddler(
        ["2", "已开始回访", "2009-01-12", "是", "2", "", "", "2009-01-15", "是", "q"],
        console, response_file, 3, _done_elsewhere,
    )
    assert rectify_command(response_file, no_input=False, sets=[], on=None, console=console,
                           prompter=prompter) == 0
    assert log(response_file) == [
        (THINKING, "已完成", "2009-01-14", "另一处录入"),
        (THINKING, "整改中", "2009-01-15", "已开始回访"),
    ]


# ------------------------------------------------------------------ 80 columns


LONG_PROBLEM = (
    "在处理群众来信来访时，对科学发展观的理解停留在表面，没有真正用于指导工作。10月10日在"
    "老城区背街小巷硬化的入户调查中，我作为经办人协调3次仍未解决占道问题，错过了最佳处理时机。"
)


def test_a_measure_wraps_at_80_columns_under_its_field(tmp_path: Path, zuofeng: Any) -> None:
    """On a terminal each long field wraps within the width, hanging under its text."""
    from rich.cells import cell_len
    from rich.console import Console
    from test_rectify import PROBLEM_ANSWERS, staff_answers

    answers = {**PROBLEM_ANSWERS, "thinking-1": {**PROBLEM_ANSWERS["thinking-1"],
                                                  "manifestation": LONG_PROBLEM}}
    path = write_response(tmp_path, submitted_response(zuofeng, staff_answers(answers)))
    console = Console(force_terminal=True, color_system=None, width=80, record=True,
                      markup=False, highlight=False)
    prompter = ScriptedPrompter(["q"], console)
    assert rectify_command(path, no_input=False, sets=[], on=None, console=console,
                           prompter=prompter) == 0
    lines = console.export_text().splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    first = next(i for i, line in enumerate(lines) if line.startswith("   具体表现："))
    hang = " " * cell_len("   具体表现：")
    assert lines[first + 1].startswith(hang) and lines[first + 1][len(hang)] != " "
    shown = "".join(line.strip() for line in lines[first : first + 4])
    assert LONG_PROBLEM in shown  # nothing lost at the breaks
    assert any("[thinking-1]" in line for line in lines)  # the id is never split


def test_a_measure_listed_into_a_file_keeps_one_line_per_field(
    tmp_path: Path, zuofeng: Any
) -> None:
    from test_rectify import PROBLEM_ANSWERS, staff_answers

    answers = {**PROBLEM_ANSWERS, "thinking-1": {**PROBLEM_ANSWERS["thinking-1"],
                                                  "manifestation": LONG_PROBLEM}}
    path = write_response(tmp_path, submitted_response(zuofeng, staff_answers(answers)))
    result = CliRunner().invoke(app, ["rectify", str(path), "--no-input"])
    assert result.exit_code == 0, result.output
    assert f"   具体表现：{LONG_PROBLEM}\n" in result.output


# ---------------------------------------------------- 回头看: the deadline question


class LockProbe(ScriptedPrompter):
    """Before each line is read, check that another writer could take the file's lock."""

    def __init__(self, script: list[ScriptEntry], console: Any, path: Path) -> None:
        super().__init__(script, console)
        self.path = path
        self.free: list[bool] = []

    def read_line(self, prompt: str) -> str:
        from selfcheck.errors import SelfcheckError
        from selfcheck.response import locked

        try:
            with locked(self.path, timeout=0.2):
                self.free.append(True)
        except SelfcheckError:
            self.free.append(False)
        return super().read_line(prompt)


def closed_work2(response_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """work-2 reported 已完成 on 2009-01-15; 回头看 on 2009-04-01."""
    done = CliRunner().invoke(app, ["rectify", str(response_file), "--set", f"{WORK2}=已完成"])
    assert done.exit_code == 0, done.output
    monkeypatch.setenv("SELFCHECK_TODAY", "2009-04-01")


def test_the_file_is_not_locked_while_the_new_deadline_is_typed(
    response_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed_work2(response_file, monkeypatch)
    console = make_console(record=True, width=100)
    prompter = LockProbe(["2009-06-30"], console, response_file)
    code = rectify_command(response_file, no_input=False, sets=[], on=None, console=console,
                           prompter=prompter, recheck=WORK2, result="反弹", note="又有积压")
    assert code == 0
    assert prompter.free == [True], "another writer had to wait for a person typing"
    stored = json.loads(response_file.read_text(encoding="utf-8"))
    assert stored["rechecks"][-1]["deadline"] == "2009-06-30"
    assert stored["rectification"][-1]["deadline"] == "2009-06-30"


@pytest.mark.parametrize("stop", [INTERRUPT, EOF], ids=["ctrl-c", "ctrl-d"])
def test_stopping_at_the_new_deadline_says_nothing_was_recorded(
    response_file: Path, monkeypatch: pytest.MonkeyPatch, stop: ScriptEntry
) -> None:
    closed_work2(response_file, monkeypatch)
    before = response_file.read_bytes()
    console = make_console(record=True, width=100)
    prompter = ScriptedPrompter(["?", stop], console)
    with pytest.raises(Interrupted) as caught:
        rectify_command(response_file, no_input=False, sets=[], on=None, console=console,
                        prompter=prompter, recheck=WORK2, result="反弹")
    assert caught.value.exit_code == 130
    assert caught.value.message == "已中断，回头看结果未记录，答卷文件没有改动。"
    assert response_file.read_bytes() == before
    help_text = console.export_text()
    assert "Ctrl-C：退出，回头看结果未记录，答卷文件没有改动" in help_text
    assert "不会丢失" not in help_text


# ------------------------------------------- ? says truly what q and Ctrl-C keep


def test_help_in_the_walk_says_an_unconfirmed_entry_is_not_saved(response_file: Path) -> None:
    prompter = walk(response_file, ["2", "已起草", "?", "q"])
    screen = "".join(prompter.console.export_text().split("\n"))  # the help line wraps
    assert "q ：退出，正在填写的这一条尚未确认，不保存（已确认的记录都已保存）" in screen
    assert "已自动保存" not in screen and "不会丢失" not in screen
    assert "q 保存退出" not in screen
    assert log(response_file) == []  # and indeed: q before the confirmation kept nothing


def test_help_in_verify_and_review_says_nothing_is_kept_before_it_is_recorded(
    response_file: Path,
) -> None:
    from selfcheck.review.command import review_command

    done = CliRunner().invoke(app, ["rectify", str(response_file), "--set", f"{WORK2}=done"])
    assert done.exit_code == 0, done.output
    console = make_console(record=True, width=200)
    prompter = ScriptedPrompter(["?", INTERRUPT], console)
    with pytest.raises(Interrupted):
        rectify_command(response_file, no_input=False, sets=[], on=None, console=console,
                        prompter=prompter, verify="all")
    screen = console.export_text()
    assert "Ctrl-C：退出，正在核验的这一项不记录（已保存的核验结果不受影响）" in screen
    assert "不会丢失" not in screen

    console = make_console(record=True, width=200)
    prompter = ScriptedPrompter(["?", INTERRUPT], console)
    with pytest.raises(Interrupted):
        review_command(response_file, console=console, prompter=prompter)
    screen = console.export_text()
    assert "Ctrl-C：退出，审核意见未记录，答卷文件没有改动" in screen
    assert "不会丢失" not in screen
