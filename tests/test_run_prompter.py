"""The prompting seam on its own: what each kind of question accepts and refuses."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from selfcheck.prompter import (
    EditorUnavailable,
    GoBack,
    SaveAndQuit,
    TerminalPrompter,
    decode_edited,
    editor_command,
    parse_yes_no,
)
from selfcheck.testing import EOF, INTERRUPT, ScriptedPrompter, ScriptExhausted
from selfcheck.wrapping import wrap_parts, wrap_text


def screen(prompter: ScriptedPrompter) -> str:
    return prompter.console.export_text(clear=False)


def test_enter_keeps_the_default_and_bad_input_is_asked_again() -> None:
    prompter = ScriptedPrompter(["abc", "", "7"])

    def number(text: str) -> int:
        if not text.strip().isdigit():
            raise ValueError("请输入数字")
        return int(text)

    assert prompter.ask("几次", number, default="3") == 3  # "abc" refused, then Enter
    assert "请输入数字" in screen(prompter)
    assert prompter.ask("几次", number) == 7


def test_required_questions_cannot_be_skipped_optional_ones_can() -> None:
    prompter = ScriptedPrompter(["", "张三", "", "-"])
    assert prompter.ask_text("姓名") == "张三"
    assert "这一题必须回答" in screen(prompter)
    assert prompter.ask_text("职务", required=False) is None
    assert prompter.ask_text("职务", required=False, default="科员") is None  # "-" clears


@pytest.mark.parametrize(
    ("label", "title"),
    [
        ("原因剖析", "原因剖析（选填）"),
        ("本方面问题概括（可不填）", "本方面问题概括（可不填）"),
        ("审核意见（选填）", "审核意见（选填）"),
        ("附件（可选）", "附件（可选）"),
    ],
)
def test_an_optional_question_is_marked_once(label: str, title: str) -> None:
    prompter = ScriptedPrompter([""])
    assert prompter.ask_text(label, required=False) is None
    assert screen(prompter).splitlines()[0] == title


def test_the_builtin_summary_prompt_does_not_say_optional_twice(tmp_path: Path) -> None:
    from selfcheck.run.session import RunOptions, run_session

    identity = ["张三", "局办公室", "", "一般干部"]
    problem = ["3", "办理群众来信拖拉，去年有三件超过规定时限", "", "宗旨意识淡薄", "", "2"]
    prompter = ScriptedPrompter([*identity, *problem, "q"])
    assert run_session(RunOptions(out=tmp_path, formats="none"), prompter) == 0
    assert prompter.labels[-1] == "本方面问题概括（可不填）"
    assert "本方面问题概括（可不填）\n" in screen(prompter)
    assert "（可不填）（选填）" not in screen(prompter)


def test_help_back_and_quit_keys() -> None:
    prompter = ScriptedPrompter(["?", "？", "<", "q", "<"])
    with pytest.raises(GoBack):
        prompter.ask_text("具体表现", help="见人见事见思想", nav=True)
    assert screen(prompter).count("见人见事见思想") == 2  # ASCII and full-width question marks
    with pytest.raises(SaveAndQuit):
        prompter.ask_text("具体表现", nav=True)
    # without navigation "<" is just text
    assert prompter.ask_text("符号") == "<"


def test_full_width_navigation_keys_typed_with_a_chinese_input_method() -> None:
    prompter = ScriptedPrompter(["《", "ｑ"])
    with pytest.raises(GoBack):
        prompter.ask_text("问题", nav=True)
    with pytest.raises(SaveAndQuit):
        prompter.ask_text("问题", nav=True)


def test_multiline_text_ends_on_an_empty_line() -> None:
    prompter = ScriptedPrompter(["第一行", "  第二行缩进", "", "单独一行", ""])
    assert prompter.ask_text("具体表现", multiline=True) == "第一行\n  第二行缩进"
    assert prompter.ask_text("原因", multiline=True) == "单独一行"


def test_the_editor_key_opens_the_editor_with_the_current_text() -> None:
    calls: list[str] = []

    def editor(text: str) -> str:
        calls.append(text)
        return text + "\n补充一行\n"

    prompter = ScriptedPrompter(["e"], editor=editor)
    answer = prompter.ask_text("整改措施", multiline=True, default="建立台账")
    assert calls == ["建立台账"]
    assert answer == "建立台账\n补充一行"


def test_text_that_fails_after_editing_can_be_edited_again() -> None:
    results = iter(["太长" * 10, "短"])
    seen: list[str] = []

    def editor(text: str) -> str:
        seen.append(text)
        return next(results)

    prompter = ScriptedPrompter(["e", "e"], editor=editor)
    assert prompter.ask_text("措施", multiline=True, max_length=5) == "短"
    assert seen == ["", "太长" * 10], "the second edit starts from the refused text"


def test_undecodable_bytes_are_refused_and_asked_again() -> None:
    prompter = ScriptedPrompter(["张三".encode("gbk"), "张三"])
    assert prompter.ask_text("姓名") == "张三"
    assert "无法识别的字符" in screen(prompter)


def test_ctrl_c_and_ctrl_d_reach_the_caller() -> None:
    with pytest.raises(KeyboardInterrupt):
        ScriptedPrompter([INTERRUPT]).ask_text("姓名")
    with pytest.raises(EOFError):
        ScriptedPrompter([EOF]).ask_text("姓名")
    with pytest.raises(EOFError):  # Ctrl-D inside a multi-line answer
        ScriptedPrompter(["第一行", EOF]).ask_text("具体表现", multiline=True)


def test_running_out_of_script_is_a_test_error_not_eof() -> None:
    with pytest.raises(ScriptExhausted):
        ScriptedPrompter([]).ask_text("姓名")


def test_choose_accepts_number_or_wording_and_confirm_accepts_chinese_and_y_n() -> None:
    prompter = ScriptedPrompter(["3", "领导干部", "２", "", "是", "n", "", "嗯", "否"])
    roles = ["领导干部", "一般干部"]
    assert prompter.choose("身份", roles) == 0  # "3" refused first
    assert prompter.choose("身份", roles) == 1  # full-width digit
    assert prompter.choose("身份", roles, default=1) == 1
    assert prompter.confirm("继续吗") is True
    assert prompter.confirm("继续吗") is False
    assert prompter.confirm("确定吗", default=False) is False
    assert prompter.confirm("确定吗", default=None) is False  # "嗯" refused
    assert "请回答“是”或“否”" in screen(prompter)


def test_yes_no_words() -> None:
    assert parse_yes_no(" Y ") is True
    assert parse_yes_no("不") is False
    with pytest.raises(ValueError):
        parse_yes_no("也许")


def test_user_text_with_markup_is_printed_literally() -> None:
    prompter = ScriptedPrompter(["[red]红[/]", ""])
    prompter.ask_text("措施", default="[bold]旧[/bold]", required=False)
    prompter.say("[/] 和 [link=x]y[/link]")
    text = screen(prompter)
    assert "[bold]旧[/bold]" in text
    assert "[/] 和 [link=x]y[/link]" in text


def test_the_terminal_prompter_reads_lines_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    typed = "张三\n".encode() + "李四\n".encode("gbk") + "李四\n".encode()
    raw = io.TextIOWrapper(io.BytesIO(typed), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", raw)
    out = io.StringIO()
    prompter = TerminalPrompter(Console(file=out, width=80))
    assert prompter.ask_text("姓名") == "张三"
    assert prompter.ask_text("姓名") == "李四"  # the GBK line is refused, the UTF-8 one taken
    assert "无法识别的字符" in out.getvalue()


@pytest.mark.skipif(os.name != "posix", reason="uses a shell script as the editor")
def test_the_terminal_editor_edits_a_private_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "log.txt"
    script = tmp_path / "fake-editor.sh"
    script.write_text(
        "#!/bin/sh\n"
        f'stat -c %a "$1" > "{log}"\n'
        'printf "%s\\n" "$(cat "$1")" "第二行（编辑器）" > "$1"\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(script))
    monkeypatch.delenv("VISUAL", raising=False)
    prompter = TerminalPrompter(Console(file=io.StringIO()))
    assert prompter.edit_text("第一行") == "第一行\n第二行（编辑器）\n"
    assert log.read_text().strip() == "600"

    monkeypatch.setenv("EDITOR", "false")
    with pytest.raises(EditorUnavailable, match="异常退出"):
        prompter.edit_text("x")
    monkeypatch.setenv("EDITOR", str(tmp_path / "no-such-editor"))
    with pytest.raises(EditorUnavailable, match=r"无法启动编辑器.*：文件或文件夹不存在$"):
        prompter.edit_text("x")


def test_editor_choice_and_decoding() -> None:
    assert editor_command({"VISUAL": "code --wait", "EDITOR": "nano"}) == ["code", "--wait"]
    assert editor_command({"EDITOR": "nano -w"}) == ["nano", "-w"]
    assert decode_edited("整改".encode("gbk")) == "整改"  # Notepad's "ANSI"
    assert decode_edited("\ufeff整改".encode()) == "整改"


def test_chinese_wraps_between_characters_not_only_at_spaces() -> None:
    text = (
        "  · 第 5 项：具体表现与检查内容原文几乎一样。"
        "请结合自己的工作实际，写清在什么事情上有什么表现。"
    )
    lines = wrap_text(text, 40)
    assert len(lines) > 1
    assert lines[0].startswith("  · 第 5 项：具体表现")  # not broken after "第 5"
    assert all(line.startswith("    ") for line in lines[1:])  # hanging indent under the text
    assert not any(line.strip()[0] in "，。" for line in lines[1:])
    assert "".join(line.strip() for line in lines).replace(" ", "") == text.replace(" ", "")


def test_key_hints_break_between_hints_not_inside_one() -> None:
    hints = ["编辑区为空时按 Enter 跳过", "单独一行输入下列字符再按 Enter：e 用编辑器", "? 说明"]
    hints += ["< 上一步", "q 保存退出", "Ctrl-C 保存退出"]

    lines = wrap_parts(hints, 80, indent="  ")

    assert len(lines) == 2 and all(cell_len(line) <= 80 for line in lines)
    assert [part for line in lines for part in line.strip().split(" · ")] == hints
    wide = wrap_parts(["一" * 50], 40, indent="  ")  # only a hint wider than a line breaks inside
    assert wide == ["  " + "一" * 19, "  " + "一" * 19, "  " + "一" * 12]
