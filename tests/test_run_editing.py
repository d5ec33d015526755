"""What the cadre wrote is kept exactly: unfinished answers, identity keys, the resume count,
answers hidden by a changed rating, paragraphs in the report, the editor command.

Scripted through :class:`selfcheck.testing.ScriptedPrompter` (the line-by-line
reader); the real terminal's editing area is tested in tests/test_pty_editing.py.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from docx import Document

from selfcheck.engine import Engine
from selfcheck.errors import Interrupted
from selfcheck.prompter import GoBack, SaveAndQuit, editor_command, editor_note, split_editor
from selfcheck.report.api import build_view, render_bytes
from selfcheck.response import load_response
from selfcheck.run.session import BEFORE_ANSWERING, RunOptions, run_session
from selfcheck.testing import (
    EOF,
    INTERRUPT,
    NOW,
    TODAY,
    ScriptedPrompter,
    ScriptEntry,
    builtin_checklist,
    make_response,
    respondent,
    stopped,
)

CHECKLIST = Path(__file__).parent / "fixtures" / "checklist_editing.yaml"
IDENTITY = ["张三", "局办公室", "科员", "一般干部"]
DRAFT = "局办公室-张三-editing-test.draft.json"
FINAL = "局办公室-张三-editing-test.json"


def run(
    tmp_path: Path, script: list[ScriptEntry], **playing: object
) -> tuple[int | None, ScriptedPrompter]:
    """The interactive run on the two-item checklist; None when it was interrupted."""
    prompter = ScriptedPrompter(script, **playing)  # type: ignore[arg-type]
    options = RunOptions(out=tmp_path, formats="none", checklist=str(CHECKLIST))
    try:
        return run_session(options, prompter), prompter
    except Interrupted:
        return None, prompter


def screen(prompter: ScriptedPrompter) -> str:
    return prompter.console.export_text(clear=False)


def profile(config: Path) -> Path:
    return config / "profile.json"


@pytest.fixture
def config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("SELFCHECK_CONFIG_DIR", str(folder))
    return folder


# ------------------------------------------------------------- unfinished text


@pytest.mark.parametrize("stop", [INTERRUPT, EOF], ids=["ctrl-c", "ctrl-d"])
def test_lines_typed_before_ctrl_c_are_kept_and_offered_again(
    tmp_path: Path, config: Path, stop: ScriptEntry
) -> None:
    code, _ = run(tmp_path, [*IDENTITY, "3", "在办理群众来信时拖拉", "去年有三件超时", stop])
    assert code is None
    draft = load_response(tmp_path / DRAFT)
    typed = "在办理群众来信时拖拉\n去年有三件超时"
    assert draft.unfinished == {"thinking-1": {"manifestation": typed}}
    assert "manifestation" not in draft.answers["thinking-1"], "not an answer yet"

    # Next run: the count says the item is not complete, the walk resumes inside the
    # answer with the text offered, and Enter keeps it.
    code, second = run(tmp_path, ["", "", "", "q"])
    assert code == 0
    text = screen(second)
    assert "已完成 0/2 项，另有 1 项填了一部分" in text
    assert "写到一半的内容已放回" in text
    assert second.labels[2:4] == ["具体表现", "原因剖析"], "resumed at 具体表现, not the rating"
    draft = load_response(tmp_path / DRAFT)
    assert draft.answers["thinking-1"]["manifestation"] == typed
    assert draft.unfinished == {}


def test_the_engine_keeps_unfinished_text_apart_from_answers() -> None:
    checklist = builtin_checklist()
    engine = Engine(checklist, "staff", today=TODAY, started_at=NOW)
    engine.answer("3")
    step = engine.current
    assert step is not None and step.question.id == "manifestation"
    engine.hold("写到一半")
    assert engine.unfinished == {"thinking-1": {"manifestation": "写到一半"}}
    assert not engine.item_complete(0)
    assert engine.missing()[0].question == "manifestation", "unfinished is not answered"

    draft = engine.draft(respondent(), now=NOW)
    assert draft.unfinished == {"thinking-1": {"manifestation": "写到一半"}}
    again = Engine.from_response(checklist, draft, today=TODAY)
    step = again.current
    assert step is not None and (step.question.id, step.unfinished) == ("manifestation", "写到一半")

    again.answer("写完了：在办理群众来信时拖拉")
    assert again.unfinished == {}
    assert again.item_complete(0) is False, "整改措施 is still to come"


def test_blank_unfinished_text_or_the_stored_answer_itself_is_not_held() -> None:
    engine = Engine(builtin_checklist(), "staff", today=TODAY)
    engine.answer("3")
    engine.answer("原来的答案")
    engine.back()
    engine.hold("   ")
    engine.hold("原来的答案")
    assert engine.unfinished == {}


# ------------------------------------------------------------------ identity


def test_q_at_the_identity_questions_saves_nothing_and_says_so(
    tmp_path: Path, config: Path
) -> None:
    code, prompter = run(tmp_path, ["张三", "?", "q"])
    assert code == 0
    text = screen(prompter)
    assert "答卷文件以“单位-姓名”命名" in text, "? shows the help"
    assert "本次没有保存任何内容" in text
    assert "已保存草稿" not in text
    assert not profile(config).exists()
    assert not list(tmp_path.glob("*.json"))


def test_help_at_the_identity_questions_does_not_promise_a_save(
    tmp_path: Path, config: Path
) -> None:
    # ? at 姓名, at 身份, then (after the identity) at the first item
    script = ["?", "张三", "局办公室", "科员", "?", "一般干部", "?", "q"]
    code, prompter = run(tmp_path, script)
    assert code == 0
    text = screen(prompter).replace("\n", "")  # the help lines wrap at 120 columns
    before, _, walk = text.partition("操作说明")
    assert before.count(f"q ：退出，{BEFORE_ANSWERING}") == 2
    assert "已自动保存" not in before and "不会丢失" not in before
    assert "q 保存退出" not in before and "q 退出" in before
    assert "q ：退出，已答的题都已自动保存" in walk, "the items' help is as before"
    assert "q 保存退出" in walk


def test_back_at_the_identity_questions_goes_back_and_keys_are_never_values(
    tmp_path: Path, config: Path
) -> None:
    script = ["<", "张三", "<", "", "局办公室", "<", "", "科员", "<", "", "", "一般干部", "q"]
    code, prompter = run(tmp_path, script)
    assert code == 0
    assert "已经是第一个问题了" in screen(prompter)
    assert prompter.labels[:4] == ["姓名", "姓名", "单位（如 局办公室、某某科）", "姓名"]
    saved = json.loads(profile(config).read_text(encoding="utf-8"))
    assert saved == {"name": "张三", "unit": "局办公室", "position": "科员", "role": "staff"}


def test_q_at_the_identity_confirmation_leaves_the_profile_alone(
    tmp_path: Path, config: Path
) -> None:
    config.mkdir(parents=True)
    known = {"name": "张三", "unit": "局办公室", "position": "科员", "role": "staff"}
    profile(config).write_text(json.dumps(known, ensure_ascii=False), encoding="utf-8")
    code, prompter = run(tmp_path, ["<", "q"])
    assert code == 0
    assert "已经是第一个问题了" in screen(prompter)
    assert json.loads(profile(config).read_text(encoding="utf-8")) == known


def test_ctrl_c_at_the_identity_questions_says_nothing_was_saved(
    tmp_path: Path, config: Path
) -> None:
    prompter = ScriptedPrompter(["张三", INTERRUPT])
    options = RunOptions(out=tmp_path, formats="none", checklist=str(CHECKLIST))
    with pytest.raises(Interrupted) as caught:
        run_session(options, prompter)
    assert "尚未保存任何答案（身份信息也未保存）" in caught.value.message
    assert not profile(config).exists()


# ---------------------------------------------------------------- resume count


def test_the_resume_line_counts_complete_items_only(tmp_path: Path, config: Path) -> None:
    # Item 1 fully answered; item 2 rated as a problem and stopped before 具体表现.
    first = [*IDENTITY, "3", "在办理群众来信时拖拉", "", "", "", "建立台账", "", "", "3", "q"]
    code, _ = run(tmp_path, first)
    assert code == 0
    code, second = run(tmp_path, ["", "", "q"])
    text = screen(second)
    assert "发现未提交的草稿：已完成 1/2 项，另有 1 项填了一部分" in text


# ------------------------------------------------- rating changed back to fine


def test_details_hidden_by_a_fine_rating_stay_in_the_draft_but_nowhere_else(
    tmp_path: Path, config: Path
) -> None:
    # Rate 3, write the details, go back to the rating and change it to 做得好, quit.
    script = [*IDENTITY, "3", "在办理群众来信时拖拉", "", "<", "<", "1", "q"]
    code, _ = run(tmp_path, script)
    assert code == 0
    draft = load_response(tmp_path / DRAFT)
    assert draft.answers["thinking-1"] == {
        "rating": "good",
        "manifestation": "在办理群众来信时拖拉",
    }

    # The draft's report does not print them while the rating says no problem ...
    checklist = load_checklist_fixture()
    view = build_view(draft, checklist)
    assert "在办理群众来信时拖拉" not in render_bytes(view, "md").decode("utf-8")
    # ... and a submission does not carry them.
    code, _ = run(tmp_path, ["", "", "", "1", "", ""])
    assert code == 0
    assert load_response(tmp_path / FINAL).answers["thinking-1"] == {"rating": "good"}


def test_changing_the_rating_back_to_a_problem_restores_the_details(
    tmp_path: Path, config: Path
) -> None:
    run(tmp_path, [*IDENTITY, "3", "在办理群众来信时拖拉", "", "<", "<", "1", "q"])
    # Resume at item 1, change the rating back: 具体表现 is offered again, Enter keeps it.
    code, prompter = run(tmp_path, ["", "", "<", "3", "", "q"])
    assert code == 0
    assert "在办理群众来信时拖拉" in screen(prompter)
    draft = load_response(tmp_path / DRAFT)
    assert draft.answers["thinking-1"] == {
        "rating": "some",
        "manifestation": "在办理群众来信时拖拉",
    }


def load_checklist_fixture():  # type: ignore[no-untyped-def]
    from selfcheck.checklist.loader import load_checklist

    return load_checklist(CHECKLIST)


# -------------------------------------------------- paragraphs in the report


def test_paragraphs_reach_md_html_and_docx_exactly_as_made() -> None:
    checklist = builtin_checklist()
    text = "第一段：办理来信拖拉。\n\n第二段：只转不办。\n\n第三段：调研偏少。"
    answers = {
        "thinking-1": {"rating": "some", "manifestation": text, "measure": "建立台账"},
    }
    view = build_view(make_response(checklist, answers), checklist)
    md = render_bytes(view, "md").decode("utf-8")
    html = render_bytes(view, "html").decode("utf-8")
    docx = Document(io.BytesIO(render_bytes(view, "docx")))
    paras = [p.text for p in docx.paragraphs]
    for part in ("第一段", "第二段", "第三段"):
        assert sum(part in line for line in md.splitlines()) == 1
        assert sum(part in p for p in paras) == 1, "one docx paragraph each"
        assert html.count(part) == 1
    first = next(i for i, p in enumerate(paras) if "第一段" in p)
    assert "第二段" in paras[first + 1] and "第三段" in paras[first + 2], "no empty paragraphs"


# ---------------------------------------------------------------- the editor


def test_editor_values_with_quoted_paths() -> None:
    assert split_editor("'/opt/my editor/ed' -w", windows=False) == ["/opt/my editor/ed", "-w"]
    assert split_editor(
        '"C:\\Program Files\\Notepad++\\notepad++.exe" -multiInst', windows=True
    ) == [
        "C:\\Program Files\\Notepad++\\notepad++.exe",
        "-multiInst",
    ]
    assert split_editor("code --wait", windows=False) == ["code", "--wait"]


def test_an_unquoted_editor_path_with_spaces_that_exists_is_one_program(tmp_path: Path) -> None:
    program = tmp_path / "my editor"
    program.write_text("", encoding="utf-8")
    assert split_editor(str(program), windows=False) == [str(program)]


def test_without_editor_a_default_is_chosen_and_explained(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import selfcheck.prompter as prompter

    found = {"nano": "/usr/bin/nano", "vi": "/usr/bin/vi"}
    monkeypatch.setattr(prompter.shutil, "which", lambda name: found.get(name))
    monkeypatch.setattr(prompter, "DEFAULT_EDITORS", ("nano", "vi"))
    assert editor_command({}) == ["/usr/bin/nano"]
    assert "Ctrl-X" in (editor_note(["/usr/bin/nano"], {}) or "")
    del found["nano"]
    assert editor_command({}) == ["/usr/bin/vi"]
    note = editor_note(["/usr/bin/vi"], {}) or ""
    assert ":wq" in note and "Esc" in note
    assert "记事本" in (editor_note(["C:\\Windows\\notepad.exe"], {}) or "")
    assert editor_note(["/usr/bin/vi"], {"EDITOR": "vi"}) is None, "his own choice: no lecture"
    assert editor_command({"EDITOR": "'/opt/my editor/ed' -w"}) == split_editor(
        "'/opt/my editor/ed' -w"
    )


def test_navigation_keys_carry_the_text_being_written() -> None:
    assert GoBack().partial is None
    assert SaveAndQuit("写到一半").partial == "写到一半"


# ------------------------------------------------- the editing area's logic


def test_in_the_editing_area_keys_on_their_own_line_keep_the_rest_of_the_text(
    tmp_path: Path, config: Path
) -> None:
    script = [
        *IDENTITY,
        "3",
        "在办理群众来信时拖拉\n?",  # help: the text stays in the area
        "在办理群众来信时拖拉，去年有三件超时\n<",  # back to the rating, text held
        "",  # the rating: Enter keeps 存在一些问题
        "在办理群众来信时拖拉，去年有三件超时\n\n第二段",  # finished (Esc Enter)
        "q",
    ]
    code, prompter = run(tmp_path, script, in_place=True)
    assert code == 0
    assert prompter.areas[:3] == [
        "",
        "在办理群众来信时拖拉",
        "在办理群众来信时拖拉，去年有三件超时",
    ], "after ? and after going back the text is in the area again"
    assert "见人见事见思想" in screen(prompter), "? showed the help"
    draft = load_response(tmp_path / DRAFT)
    assert (
        draft.answers["thinking-1"]["manifestation"]
        == "在办理群众来信时拖拉，去年有三件超时\n\n第二段"
    )
    assert draft.unfinished == {}


def test_text_edited_then_left_with_back_returns_without_talk_of_an_interruption(
    tmp_path: Path, config: Path
) -> None:
    script = [
        *IDENTITY,
        "3",
        "原来写的具体表现",  # finished (Esc Enter)
        "<",  # at 原因剖析: back to 具体表现
        "原来写的具体表现，又补了一句\n<",  # edited, then back to the rating
        "",  # the rating: Enter keeps 存在一些问题
        "原来写的具体表现，又补了一句",  # the edit is back in the area: finished as it is
        "q",
    ]
    code, prompter = run(tmp_path, script, in_place=True)
    assert code == 0
    assert prompter.areas[2:4] == ["原来写的具体表现", "原来写的具体表现，又补了一句"], "edit kept"
    assert "上次中断时" not in screen(prompter), "nothing was interrupted"
    draft = load_response(tmp_path / DRAFT)
    assert draft.answers["thinking-1"]["manifestation"] == "原来写的具体表现，又补了一句"


def test_text_left_with_back_then_q_is_announced_as_unfinished_next_run(
    tmp_path: Path, config: Path
) -> None:
    script = [*IDENTITY, "3", "写到一半\n<", "q"]  # back to the rating, then quit there
    assert run(tmp_path, script, in_place=True)[0] == 0
    code, again = run(tmp_path, ["", "", "写到一半，写完了", "q"], in_place=True)
    assert code == 0
    assert "上次中断时这一题还没写完" in screen(again)
    assert again.areas[0] == "写到一半"


def test_ctrl_c_in_the_area_keeps_the_text_and_the_next_run_puts_it_back(
    tmp_path: Path, config: Path
) -> None:
    code, _ = run(tmp_path, [*IDENTITY, "3", stopped("写到一半\n第二行")], in_place=True)
    assert code is None
    assert load_response(tmp_path / DRAFT).unfinished == {
        "thinking-1": {"manifestation": "写到一半\n第二行"}
    }
    code, again = run(tmp_path, ["", "", stopped("写到一半\n第二行，接着写")], in_place=True)
    assert again.areas == ["写到一半\n第二行"], "resumed inside the answer, text in place"
    assert load_response(tmp_path / DRAFT).unfinished == {
        "thinking-1": {"manifestation": "写到一半\n第二行，接着写"}
    }


def test_q_in_the_area_saves_the_text_as_unfinished(tmp_path: Path, config: Path) -> None:
    code, prompter = run(tmp_path, [*IDENTITY, "3", "写到一半\nq"], in_place=True)
    assert code == 0
    assert "写到一半的内容也已保存" in screen(prompter)
    assert load_response(tmp_path / DRAFT).unfinished == {
        "thinking-1": {"manifestation": "写到一半"}
    }


def test_an_empty_area_on_a_required_question_is_asked_again(tmp_path: Path, config: Path) -> None:
    code, prompter = run(tmp_path, [*IDENTITY, "3", "", "  \n", "内容", "q"], in_place=True)
    assert code == 0
    assert screen(prompter).count("这一题必须回答") == 2
    assert prompter.labels[-1] == "原因剖析", "the third try was taken"


def test_the_editor_key_in_the_area_brings_the_edited_text_back_into_it(
    tmp_path: Path, config: Path
) -> None:
    script = [*IDENTITY, "3", "草稿\ne", "草稿（已在编辑器中改好）", "q"]
    code, prompter = run(
        tmp_path, script, in_place=True, editor=lambda text: text + "（已在编辑器中改好）"
    )
    assert code == 0
    assert prompter.areas[1] == "草稿（已在编辑器中改好）"
    answers = load_response(tmp_path / DRAFT).answers["thinking-1"]
    assert answers["manifestation"] == "草稿（已在编辑器中改好）"


def test_undecodable_bytes_typed_into_the_area_are_removed_and_the_text_shown_again(
    tmp_path: Path, config: Path
) -> None:
    script = [*IDENTITY, "3", "来信办理拖拉".encode() + b"\xb2\xe2", "来信办理拖拉，已核对", "q"]
    code, prompter = run(tmp_path, script, in_place=True)
    assert code == 0
    assert "无法识别的字符" in screen(prompter)
    assert prompter.areas[1] == "来信办理拖拉", "cleaned, back in the area to check"
    answers = load_response(tmp_path / DRAFT).answers["thinking-1"]
    assert answers["manifestation"] == "来信办理拖拉，已核对"


def test_q_before_any_answer_does_not_claim_a_draft_was_saved(
    tmp_path: Path, config: Path
) -> None:
    code, prompter = run(tmp_path, [*IDENTITY, "q"])
    assert code == 0
    text = screen(prompter)
    assert "已退出，尚未保存任何答案" in text
    assert "已保存草稿" not in text
    assert not (tmp_path / DRAFT).exists()
