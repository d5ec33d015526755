"""Whole interactive walks of ``selfcheck run``, driven through the scripted prompter."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from selfcheck.errors import Interrupted, SelfcheckError, UsageError
from selfcheck.response import load_response
from selfcheck.run.identity import load_profile
from selfcheck.run.review import review_help
from selfcheck.run.session import UNTOUCHED, RunOptions, run_session
from selfcheck.testing import EOF, INTERRUPT, ScriptedPrompter, ScriptEntry

IDENTITY = ["张三", "局办公室", "科员", "一般干部"]
"""First run: name, unit, position, role (staff answers 9 items)."""
AGAIN = ["", ""]
"""Later runs: confirm the remembered identity, then continue the draft."""
SUBMIT = ["", ""]
"""At the review: Enter (submit), then Enter (confirm)."""

PROBLEM = [
    "3",  # 存在一些问题
    "在办理群众来信时拖拉，去年有三件超过规定时限才答复",
    "",
    "对群众利益看得不重，工作有惰性",
    "",
    "",  # 原因类别: skipped (so 本方面问题概括 is not asked)
    "",  # 群众意见: skipped
    "建立来信台账，每周清理一次，逐件销号",
    "",
    "2009/3/31",
    "",  # 问题来源: skipped
    "",  # 整改类型: skipped
]
"""A rating that marks a problem, with every follow-up (multi-line ends on an empty line)."""


def problem(
    manifestation: str, measure: str, deadline: str = "", *, rating: str = "3", cause: str = ""
) -> list[str]:
    """Lines answering a rating that marks a problem, then its follow-ups.

    群众意见, 问题来源 and 整改类型 are skipped.
    """
    cause_lines = [cause, "", ""] if cause else [""]  # a cause is followed by 原因类别 (skipped)
    return [rating, manifestation, "", *cause_lines, "", measure, "", deadline, "", ""]


def walk(
    tmp_path: Path, script: list[ScriptEntry], **options: object
) -> tuple[int, ScriptedPrompter]:
    """Run the interactive session with ``script``; every scripted line must be used."""
    prompter = ScriptedPrompter(script)
    opts = RunOptions(out=tmp_path, formats="none", **options)  # type: ignore[arg-type]
    code = run_session(opts, prompter)
    assert prompter.remaining == [], "the walk asked fewer questions than scripted"
    return code, prompter


def screen(prompter: ScriptedPrompter) -> str:
    """Everything printed so far."""
    return prompter.console.export_text(clear=False)


def final_file(tmp_path: Path) -> Path:
    return tmp_path / "局办公室-张三-zuofeng-2008.json"


def draft_file(tmp_path: Path) -> Path:
    return tmp_path / "局办公室-张三-zuofeng-2008.draft.json"


def test_a_walk_from_identity_to_submit_stores_normalised_answers(tmp_path: Path) -> None:
    # 问题来源 by number, 整改类型 by label: both stored as the option's value
    first = [*PROBLEM[:-2], "1", "长期坚持"]
    script = IDENTITY + first + ["1", "基本做到", "good"] + ["2"] * 5 + SUBMIT
    code, prompter = walk(tmp_path, script)

    assert code == 0
    response = load_response(final_file(tmp_path))
    assert response.status == "submitted"
    assert response.submitted_at is not None
    assert response.respondent.name == "张三"
    assert response.respondent.role == "staff"
    assert response.answers["thinking-1"] == {
        "rating": "some",
        "manifestation": "在办理群众来信时拖拉，去年有三件超过规定时限才答复",
        "cause": "对群众利益看得不重，工作有惰性",
        "measure": "建立来信台账，每周清理一次，逐件销号",
        "deadline": "2009-03-31",
        "source": "self",
        "rectify_type": "lasting",
    }
    assert response.answers["thinking-2"] == {"rating": "good"}
    assert response.answers["thinking-3"] == {"rating": "basic"}
    assert response.answers["work-1"] == {"rating": "good"}
    assert len(response.answers) == 9
    assert not draft_file(tmp_path).exists(), "the draft is removed once submitted"
    assert stat.S_IMODE(final_file(tmp_path).stat().st_mode) == 0o600
    assert "第 1/9 项" in screen(prompter)
    assert "第 9/9 项" in screen(prompter)
    assert "已提交" in screen(prompter)


def test_header_shows_campaign_item_wording_and_section_rubric(tmp_path: Path, zuofeng) -> None:  # type: ignore[no-untyped-def]
    prompter = ScriptedPrompter([*IDENTITY, "1", INTERRUPT])
    with pytest.raises(Interrupted):
        run_session(RunOptions(out=tmp_path, formats="none"), prompter)
    text = screen(prompter)
    assert zuofeng.campaign.name in text
    assert zuofeng.campaign.basis in text
    first_section = zuofeng.sections[0]
    assert f"{first_section.title}（{first_section.rubric}）" in text
    assert first_section.items[0].text in text
    assert first_section.items[0].standard in text
    for option in zuofeng.sections[0].items[0].questions[0].options:
        assert option.label in text


def test_follow_up_questions_are_asked_only_when_the_rating_marks_a_problem(tmp_path: Path) -> None:
    script = IDENTITY + ["1"] + PROBLEM + ["2"] * 7 + SUBMIT
    _, prompter = walk(tmp_path, script)
    asked = prompter.labels
    assert asked.count("具体表现") == 1
    assert asked.count("整改措施") == 1
    # the problem was found on the second item, right after its rating
    ratings = [i for i, label in enumerate(asked) if label.startswith("对照这一条")]
    assert asked[ratings[1] + 1] == "具体表现"
    assert asked[ratings[0] + 1].startswith("对照这一条")


def test_going_back_reasks_the_previous_question_with_its_answer_as_default(tmp_path: Path) -> None:
    script = (
        IDENTITY
        + [
            "<",  # at the very first question: nowhere to go
            "2",  # item 1: 基本做到
            "<",  # item 2: back to item 1
            "",  # keep 基本做到
            "3",  # item 2: a problem
            "<",  # at 具体表现: back to the rating of the same item
            "1",  # change it to 做得好: no follow-ups any more
        ]
        + ["2"] * 7
        + SUBMIT
    )
    code, prompter = walk(tmp_path, script)
    assert code == 0
    text = screen(prompter)
    assert "已经是第一项了" in text
    assert "当前答案：基本做到" in text
    answers = load_response(final_file(tmp_path)).answers
    assert answers["thinking-1"] == {"rating": "basic"}
    assert answers["thinking-2"] == {"rating": "good"}


def test_switching_the_rating_away_and_back_offers_the_follow_ups_again(tmp_path: Path) -> None:
    script = (
        IDENTITY
        + PROBLEM
        + [
            "<",  # item 2 rating: back into item 1, at its last question (整改类型)
            "<",  # 问题来源
            "<",  # 整改时限
            "<",  # 整改措施
            "<",  # 群众意见
            "<",  # 原因类别
            "<",  # 原因剖析
            "<",  # 具体表现
            "<",  # the rating
            "1",  # 做得好: follow-ups hidden
            "<",  # item 2: back again
            "3",  # 存在一些问题 once more: the earlier texts come back as defaults
            *[""] * 8,  # Enter keeps each of them (or skips the optional ones left empty)
        ]
        + ["2"] * 8
        + SUBMIT
    )
    walk(tmp_path, script)
    answers = load_response(final_file(tmp_path)).answers
    assert (
        answers["thinking-1"]["manifestation"]
        == "在办理群众来信时拖拉，去年有三件超过规定时限才答复"
    )
    assert answers["thinking-1"]["deadline"] == "2009-03-31"
    assert "opinion" not in answers["thinking-1"]


def test_optional_questions_can_be_skipped_and_cleared(tmp_path: Path) -> None:
    prefill = tmp_path / "prefill.yaml"
    prefill.write_text(
        "answers:\n"
        "  thinking-1:\n"
        "    rating: some\n"
        "    manifestation: 在会上照本宣科，调研少，对新情况研究不够\n"
        "    cause: 学习不够\n"
        "    measure: 每月下基层两次\n",
        encoding="utf-8",
    )
    script = (
        IDENTITY
        + [
            "",  # keep rating
            "",  # keep manifestation
            "-",  # clear the prefilled cause
            "",  # skip opinion
            "",  # keep measure
            "",  # skip deadline
            "",  # skip 问题来源
            "",  # skip 整改类型
        ]
        + ["2"] * 8
        + SUBMIT
    )
    walk(tmp_path, script, answers=prefill)
    answers = load_response(final_file(tmp_path)).answers
    assert answers["thinking-1"] == {
        "rating": "some",
        "manifestation": "在会上照本宣科，调研少，对新情况研究不够",
        "measure": "每月下基层两次",
    }


def test_bad_input_is_asked_again_with_a_reason(tmp_path: Path) -> None:
    script = (
        [
            "張三".encode("gbk"),  # GBK bytes from a misconfigured terminal
            "张三",
            "局办公室",
            "",
            "3",  # role: no third role
            "2",
            "9",  # no option 9
            "存在一些问题",
            "",  # 具体表现 is required
            "我在办理来信时拖拉，有三件超过时限才答复群众",
            "",
            "",
            "",
            "措施：每周清理一次来信",
            "",
            "明天",  # not a date
            "2008-12-31",  # in the past (today is 2009-01-15)
            "2009年13月1日",  # no such day
            "2009年3月31日",
            "",  # 问题来源: skipped
            "",  # 整改类型: skipped
        ]
        + ["2"] * 8
        + SUBMIT
    )
    _, prompter = walk(tmp_path, script)
    text = screen(prompter)
    assert "无法识别的字符" in text
    assert "请输入 1 到 2 之间的编号" in text
    assert "没有这个选项“9”" in text
    assert "这一题必须回答" in text
    assert "无法识别的日期“明天”" in text
    assert "已经过去" in text
    assert "日期不存在" in text
    answers = load_response(final_file(tmp_path)).answers
    assert answers["thinking-1"]["deadline"] == "2009-03-31"
    assert load_response(final_file(tmp_path)).respondent.position == ""


@pytest.mark.parametrize("stop", [INTERRUPT, EOF], ids=["ctrl-c", "ctrl-d"])
def test_ctrl_c_and_ctrl_d_keep_the_draft_and_say_how_to_resume(
    tmp_path: Path, stop: ScriptEntry
) -> None:
    prompter = ScriptedPrompter([*IDENTITY, "1", *PROBLEM[:4], stop])
    with pytest.raises(Interrupted) as caught:
        run_session(RunOptions(out=tmp_path, formats="none"), prompter)
    assert caught.value.exit_code == 130
    assert "selfcheck run" in caught.value.message
    assert str(draft_file(tmp_path)) in caught.value.message
    draft = load_response(draft_file(tmp_path))
    assert draft.status == "draft"
    assert draft.cursor == "thinking-2"
    assert draft.answers == {
        "thinking-1": {"rating": "good"},
        "thinking-2": {
            "rating": "some",
            "manifestation": "在办理群众来信时拖拉，去年有三件超过规定时限才答复",
        },
    }
    assert stat.S_IMODE(draft_file(tmp_path).stat().st_mode) == 0o600
    assert not final_file(tmp_path).exists()


def test_interrupt_before_any_answer_saves_nothing(tmp_path: Path) -> None:
    prompter = ScriptedPrompter(["张三", INTERRUPT])
    with pytest.raises(Interrupted) as caught:
        run_session(RunOptions(out=tmp_path, formats="none"), prompter)
    assert "尚未保存任何答案" in caught.value.message
    assert list(tmp_path.iterdir()) == []


def test_resume_continues_where_the_person_stopped(tmp_path: Path) -> None:
    first = ScriptedPrompter([*IDENTITY, "1", "2", INTERRUPT])
    with pytest.raises(Interrupted):
        run_session(RunOptions(out=tmp_path, formats="none"), first)
    started = load_response(draft_file(tmp_path)).started_at

    script = AGAIN + PROBLEM + ["2"] * 6 + SUBMIT
    code, second = walk(tmp_path, script)
    assert code == 0
    text = screen(second)
    assert "发现未提交的草稿：已完成 2/9 项" in text
    assert "第 1/9 项" not in text, "resumes at the third item, not from the start"
    assert "第 3/9 项" in text
    response = load_response(final_file(tmp_path))
    assert response.answers["thinking-1"] == {"rating": "good"}
    assert response.answers["thinking-2"] == {"rating": "basic"}
    assert response.answers["thinking-3"]["rating"] == "some"
    assert response.started_at == started


def test_declining_the_draft_twice_keeps_it_and_resumes(tmp_path: Path) -> None:
    with pytest.raises(Interrupted):
        run_session(
            RunOptions(out=tmp_path, formats="none"), ScriptedPrompter([*IDENTITY, "1", INTERRUPT])
        )
    # no, don't continue → "clear it?" no → continue after all
    script = ["", "否", "否"] + ["2"] * 8 + SUBMIT
    walk(tmp_path, script)
    assert load_response(final_file(tmp_path)).answers["thinking-1"] == {"rating": "good"}


def test_restart_option_starts_from_the_first_item_without_the_draft(tmp_path: Path) -> None:
    with pytest.raises(Interrupted):
        run_session(
            RunOptions(out=tmp_path, formats="none"), ScriptedPrompter([*IDENTITY, "1", INTERRUPT])
        )
    script = [""] + ["2"] * 9 + SUBMIT
    _, prompter = walk(tmp_path, script, resume=False)
    assert "当前答案：" not in screen(prompter)
    assert load_response(final_file(tmp_path)).answers["thinking-1"] == {"rating": "basic"}


def test_q_saves_the_draft_and_exits_normally(tmp_path: Path) -> None:
    code, prompter = walk(tmp_path, [*IDENTITY, "1", "q"])
    assert code == 0
    assert "已保存草稿" in screen(prompter)
    draft = load_response(draft_file(tmp_path))
    assert draft.answers == {"thinking-1": {"rating": "good"}}
    assert draft.cursor == "thinking-2"


def test_review_lists_answers_warns_and_lets_any_item_be_changed(tmp_path: Path) -> None:
    copied = "是否办事拖拉、相互扯皮"  # the checklist's own wording for work-2
    script = [
        *IDENTITY,
        *["1", "1", "1"],  # 思想作风: nothing found
        "2",  # work-1
        *problem(copied, "加强学习"),  # work-2: copied wording, no deadline
        *problem("态度生硬", "改进态度", "2009-06-30"),  # work-3: too short
        "2",  # work-4
        *["1", "1"],  # 学风: nothing found
        "1",  # review: change item 1 ...
        *problem("学习不主动，一年只读了两本业务书，新政策掌握不及时", "每月读一本书", "2009-12-31",
                 rating="4"),
        *SUBMIT,
    ]
    code, prompter = walk(tmp_path, script)
    assert code == 0
    text = screen(prompter)
    assert "核对答案" in text
    assert "照抄原文" in text
    assert "只有 4 个字" in text
    assert "没有整改时限" in text
    assert "“学风”（对照“两个注重”）的 2 项都没有查摆出问题" in text
    answers = load_response(final_file(tmp_path)).answers
    assert answers["thinking-1"]["rating"] == "serious"
    assert answers["work-2"]["manifestation"] == copied


def test_markup_and_escape_sequences_are_shown_literally_and_stored_clean(tmp_path: Path) -> None:
    hostile = "[red]警告[/] \x1b[31m红字\x1b[0m [bold]开会时经常迟到，影响了工作[/bold]"
    script = IDENTITY + ["3", hostile, "", "", "", "[/]按时到会", "", "", "", ""] + ["1"] * 8
    script += SUBMIT
    _, prompter = walk(tmp_path, script)
    stored = load_response(final_file(tmp_path)).answers["thinking-1"]
    assert stored["manifestation"] == "[red]警告[/] 红字 [bold]开会时经常迟到，影响了工作[/bold]"
    assert stored["measure"] == "[/]按时到会"
    assert "\x1b" not in final_file(tmp_path).read_text(encoding="utf-8")
    assert "[red]警告[/]" in screen(prompter)


def test_the_identity_is_remembered_and_confirmed_next_time(tmp_path: Path) -> None:
    walk(tmp_path, [*IDENTITY, "q"])
    profile = load_profile()
    assert profile is not None
    assert (profile.name, profile.unit, profile.position, profile.role) == (
        "张三",
        "局办公室",
        "科员",
        "staff",
    )
    from selfcheck.run.identity import profile_path

    assert stat.S_IMODE(profile_path().stat().st_mode) == 0o600

    other = tmp_path / "other"
    # "not me": the fields are asked again with the old values as defaults
    _, prompter = walk(other, ["否", "李四", "", "", "领导干部", "q"])
    assert "上次填写的身份：张三 · 局办公室 · 科员 · 一般干部" in screen(prompter)
    assert "当前答案：局办公室" in screen(prompter)
    profile = load_profile()
    assert profile is not None
    assert (profile.name, profile.unit, profile.role) == ("李四", "局办公室", "leader")


def test_a_leader_answers_the_leadership_section_too(tmp_path: Path, zuofeng) -> None:  # type: ignore[no-untyped-def]
    total = len(zuofeng.items_for("leader"))
    script = ["王五", "局办公室", "局长", "1"] + ["1"] * total + SUBMIT
    walk(tmp_path, script)
    response = load_response(tmp_path / "局办公室-王五-zuofeng-2008.json")
    assert len(response.answers) == total == zuofeng.item_count
    assert response.respondent.role == "leader"


def test_identity_flags_are_not_asked(tmp_path: Path) -> None:
    _, prompter = walk(tmp_path, ["q"], name="赵六", unit="财务科", role="staff")
    assert "姓名" not in prompter.labels
    assert not (tmp_path / "财务科-赵六-zuofeng-2008.draft.json").exists(), "nothing answered yet"
    profile = load_profile()
    assert profile is not None
    assert (profile.name, profile.unit, profile.role) == ("赵六", "财务科", "staff")


def test_the_editor_key_fills_a_long_answer(tmp_path: Path) -> None:
    seen: list[str] = []

    def editor(initial: str) -> str:
        seen.append(initial)
        return "第一段：开会多，调研少。\n\n第二段：下基层的时间每月不足两天。\n"

    script = IDENTITY + ["3", "e", "", "", "措施", "", "", "", ""] + ["1"] * 8 + SUBMIT
    prompter = ScriptedPrompter(script, editor=editor)
    run_session(RunOptions(out=tmp_path, formats="none"), prompter)
    assert seen == [""]
    stored = load_response(final_file(tmp_path)).answers["thinking-1"]["manifestation"]
    assert stored == "第一段：开会多，调研少。\n\n第二段：下基层的时间每月不足两天。"


def test_without_an_editor_the_person_is_told_to_type_instead(tmp_path: Path) -> None:
    typed = "开会多，调研少，下基层的时间每月不足两天"
    script = [*IDENTITY, "3", "e", typed, "", "", "", "措施", "", "", "", ""]
    script += ["1"] * 8 + SUBMIT
    _, prompter = walk(tmp_path, script)
    assert "找不到文本编辑器" in screen(prompter)


def test_a_submitted_response_can_be_changed_and_resubmitted(tmp_path: Path) -> None:
    walk(tmp_path, IDENTITY + ["1"] * 9 + SUBMIT)
    first = load_response(final_file(tmp_path))
    data = json.loads(final_file(tmp_path).read_text(encoding="utf-8"))
    data["rectification"] = [
        {
            "item": "thinking-1",
            "status": "整改中",
            "date": "2009-01-10",
            "note": "",
            "recorded_at": "2009-01-10T09:00:00+08:00",
        }
    ]
    final_file(tmp_path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    code, prompter = walk(tmp_path, ["", ""])  # identity yes; change it? default no
    assert code == 0
    assert "提交过这份对照检查" in screen(prompter)

    code, prompter = walk(tmp_path, ["", "是", "2", "2", *SUBMIT])  # change item 2 to 基本做到
    again = load_response(final_file(tmp_path))
    assert again.answers["thinking-2"] == {"rating": "basic"}
    assert again.answers["thinking-1"] == first.answers["thinking-1"]
    assert len(again.rectification) == 1, "the rectification history survives a resubmission"


@pytest.mark.parametrize("stop", ["q", INTERRUPT], ids=["q", "ctrl-c"])
def test_leaving_a_resubmission_before_any_change_says_the_response_is_unchanged(
    tmp_path: Path, stop: ScriptEntry
) -> None:
    walk(tmp_path, IDENTITY + ["1"] * 9 + SUBMIT)
    before = final_file(tmp_path).read_bytes()
    script: list[ScriptEntry] = ["", "是", stop]  # identity yes; change it? yes; then stop
    if stop == "q":
        _, prompter = walk(tmp_path, script)
        said = screen(prompter)
    else:
        with pytest.raises(Interrupted) as caught:
            walk(tmp_path, script)
        said = caught.value.message
    assert f"尚未保存任何答案；{UNTOUCHED}。" in said
    assert final_file(tmp_path).read_bytes() == before
    assert not draft_file(tmp_path).exists()


def test_help_on_the_review_page_says_what_the_page_takes(tmp_path: Path) -> None:
    _, prompter = walk(tmp_path, [*IDENTITY, *["1"] * 9, "?", *SUBMIT])
    text = screen(prompter).replace("\n", "")  # help lines wrap
    assert review_help(9) in text
    assert "输入序号（1～9）重新填写该项" in text and "直接回车提交" in text
    assert "这一题没有补充说明" not in text
    assert load_response(final_file(tmp_path)).status == "submitted", "? changed nothing"


def test_help_key_shows_the_question_help(tmp_path: Path, zuofeng) -> None:  # type: ignore[no-untyped-def]
    _, prompter = walk(tmp_path, [*IDENTITY, "?", "q"])
    rating = zuofeng.sections[0].items[0].questions[0]
    assert rating.help in screen(prompter)


def test_a_prefilled_complete_answers_file_goes_straight_to_review(tmp_path: Path, zuofeng) -> None:  # type: ignore[no-untyped-def]
    lines = ["answers:"]
    for _, item in zuofeng.items_for("staff"):
        lines.append(f"  {item.id}: {{rating: basic}}")
    prefill = tmp_path / "a.yaml"
    prefill.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, prompter = walk(tmp_path, [*IDENTITY, "", *SUBMIT], answers=prefill)
    assert "预填的答案已经完整" in screen(prompter)
    assert "第 1/9 项" not in screen(prompter)
    assert all(
        v == {"rating": "basic"} for v in load_response(final_file(tmp_path)).answers.values()
    )


def test_an_unusable_output_folder_is_refused_before_any_question(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x", encoding="utf-8")
    prompter = ScriptedPrompter([])
    with pytest.raises(UsageError, match="无法使用保存文件夹"):
        run_session(RunOptions(out=not_a_folder / "sub", formats="none"), prompter)
    assert prompter.labels == []


def test_a_failing_autosave_warns_and_the_walk_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selfcheck.run.store import ResponseStore

    real_save = ResponseStore.save_draft
    failures = iter([True, True, False])

    def flaky(self: ResponseStore, *args: object, **kwargs: object) -> object:
        if next(failures, False):
            raise SelfcheckError("磁盘已满")
        return real_save(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ResponseStore, "save_draft", flaky)
    code, prompter = walk(tmp_path, [*IDENTITY, "1", "1", "1", "q"])
    assert code == 0
    text = screen(prompter)
    assert text.count("草稿保存失败：磁盘已满") == 1, "said once, not at every answer"
    assert "草稿已重新保存成功" in text
    assert load_response(draft_file(tmp_path)).answers == {
        "thinking-1": {"rating": "good"},
        "thinking-2": {"rating": "good"},
        "thinking-3": {"rating": "good"},
    }


def test_prefilled_follow_ups_wait_until_the_rating_shows_a_problem(tmp_path: Path) -> None:
    prefill = tmp_path / "prefill.yaml"
    prefill.write_text(
        "answers:\n"
        "  thinking-1:\n"
        "    rating: good\n"
        "    manifestation: 调研少，去年只下基层四次\n",
        encoding="utf-8",
    )
    script = [*IDENTITY, "3", "", "", "", "每月下基层两天", "", "", "", ""] + ["1"] * 8 + SUBMIT
    _, prompter = walk(tmp_path, script, answers=prefill)
    assert "当前答案：调研少，去年只下基层四次" in screen(prompter)
    stored = load_response(final_file(tmp_path)).answers["thinking-1"]
    assert stored["manifestation"] == "调研少，去年只下基层四次"


def test_a_deadline_that_has_passed_since_submission_can_be_kept_when_editing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = IDENTITY + PROBLEM + ["1"] * 8 + SUBMIT
    walk(tmp_path, script)
    assert load_response(final_file(tmp_path)).answers["thinking-1"]["deadline"] == "2009-03-31"

    monkeypatch.setenv("SELFCHECK_TODAY", "2009-04-10")
    # Confirm identity, edit the submission, open item 1 at the review, keep every
    # answer with Enter (the deadline included), then submit.
    # rating, 具体表现, 原因剖析, 原因类别, 群众意见, 整改措施, 整改时限, 问题来源, 整改类型
    keep_item = [""] * 9
    code, prompter = walk(tmp_path, ["", "y", "1", *keep_item, *SUBMIT])

    assert code == 0
    resubmitted = load_response(final_file(tmp_path))
    assert resubmitted.answers["thinking-1"]["deadline"] == "2009-03-31"
    assert "已经过去" not in screen(prompter)


def test_a_newly_typed_deadline_in_the_past_is_still_refused_when_editing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    walk(tmp_path, IDENTITY + PROBLEM + ["1"] * 8 + SUBMIT)
    monkeypatch.setenv("SELFCHECK_TODAY", "2009-04-10")
    keep_until_deadline = [""] * 6  # rating, 具体表现, 原因剖析, 原因类别, 群众意见, 整改措施
    keep_rest = ["", ""]  # 问题来源, 整改类型 (skipped)
    code, prompter = walk(
        tmp_path,
        ["", "y", "1", *keep_until_deadline, "2009-04-01", "2009-05-31", *keep_rest, *SUBMIT],
    )
    assert code == 0
    assert "已经过去" in screen(prompter)
    assert load_response(final_file(tmp_path)).answers["thinking-1"]["deadline"] == "2009-05-31"


def test_texts_hidden_by_a_changed_rating_survive_in_the_draft_and_come_back(
    tmp_path: Path,
) -> None:
    back_to_rating = ["<"] * 9  # from item 2's rating back through item 1's 8 follow-ups
    code, _ = walk(tmp_path, [*IDENTITY, *PROBLEM, *back_to_rating, "1", "q"])
    assert code == 0
    draft = load_response(draft_file(tmp_path))
    assert draft.answers["thinking-1"]["rating"] == "good"
    assert draft.answers["thinking-1"]["manifestation"] == PROBLEM[1], "kept in the draft"

    # resume, step back into item 1, mark a problem again: every text is offered again
    script = [*AGAIN, "<", "3", *[""] * 8, *["2"] * 8, *SUBMIT]
    _, prompter = walk(tmp_path, script)
    assert f"当前答案：{PROBLEM[1]}" in screen(prompter)
    answers = load_response(final_file(tmp_path)).answers
    assert answers["thinking-1"] == {
        "rating": "some",
        "manifestation": PROBLEM[1],
        "cause": PROBLEM[3],
        "measure": PROBLEM[7],
        "deadline": "2009-03-31",
    }


def test_a_submitted_answer_hidden_by_a_changed_rating_is_not_submitted(tmp_path: Path) -> None:
    script = [*IDENTITY, *PROBLEM, *["1"] * 8, "1", "1", *SUBMIT]  # review: item 1 → 做得好
    walk(tmp_path, script)
    assert load_response(final_file(tmp_path)).answers["thinking-1"] == {"rating": "good"}
