"""Long answers in the installed ``selfcheck run``, in a real pseudo-terminal (pexpect).

The multi-line editing area keeps a pasted text whole, lets the person move
with the arrow keys and edit Chinese anywhere, finishes only on Esc then
Enter, and keeps what was typed when Ctrl-C stops the walk. The identity
questions take ``q``, ``<`` and ``?`` as keys, never as values. A two-item
checklist (tests/fixtures/checklist_editing.yaml) keeps the walks short.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_pty_run import Tmux, installed_selfcheck, terminal_env

from selfcheck.response import load_response

pytestmark = pytest.mark.e2e

CHECKLIST = Path(__file__).parent / "fixtures" / "checklist_editing.yaml"
READY = "\x1b[?2004h"
"""prompt_toolkit turns bracketed paste on once it reads the keyboard: the prompt is ready."""
FINISH = "\x1b\r"
"""Esc then Enter: finishes a long answer."""
LEFT, UP, DOWN, HOME, END = "\x1b[D", "\x1b[A", "\x1b[B", "\x1b[H", "\x1b[F"
BACKSPACE = "\x7f"
DRAFT = "局办公室-张三-editing-test.draft.json"
PROFILE = Path("config") / "profile.json"

PARAGRAPHS = [
    "在办理群众来信时存在拖拉现象，去年有三件超过规定时限才答复。",
    "对群众反映的问题，有时只转不办，没有跟踪到底。",
    "下乡调研次数偏少，对基层情况掌握不够全面。",
]


@pytest.fixture
def screen(tmp_path: Path) -> Iterator[Tmux]:
    """A detached tmux session on a private socket (see tests/test_pty_run.py)."""
    binary = shutil.which("tmux")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("tmux is required under CI but was not found")
        pytest.skip("tmux not available")
    session = Tmux(binary, tmp_path / "tmux.sock")
    yield session
    subprocess.run([binary, "-S", session.socket, "kill-server"], capture_output=True, check=False)


@pytest.fixture
def pexpect():  # type: ignore[no-untyped-def]
    return pytest.importorskip("pexpect")


def spawn(pexpect, folder: Path, *identity: str):  # type: ignore[no-untyped-def]
    args = ["run", "--format", "none", "--checklist", str(CHECKLIST), *identity]
    child = pexpect.spawn(
        installed_selfcheck(),
        args,
        cwd=str(folder),
        env=terminal_env(folder),
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 120),
    )
    return child


KNOWN = ("--name", "张三", "--unit", "局办公室", "--role", "staff")
"""Identity flags: the walk starts at the first item."""


def type_in(child, text: str) -> None:  # type: ignore[no-untyped-def]
    """Wait until the prompt reads the keyboard, then send ``text``."""
    child.expect_exact(READY)
    child.send(text)


def send_all(child, text: str) -> None:  # type: ignore[no-untyped-def]
    """Write all of ``text`` (a single os.write to a pty may take only part of it)."""
    data = text.encode("utf-8")
    while data:
        data = data[os.write(child.child_fd, data[:4096]) :]


def ended(pexpect, child) -> int:  # type: ignore[no-untyped-def]
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else -child.signalstatus)


def test_a_pasted_three_paragraph_text_is_one_answer(tmp_path: Path, pexpect) -> None:  # type: ignore[no-untyped-def]
    child = spawn(pexpect, tmp_path, *KNOWN)
    child.expect_exact("第 1/2 项")
    type_in(child, "3\r")
    child.expect_exact("具体表现")
    child.expect_exact("Esc 再按 Enter")  # the finishing key is on the screen
    pasted = "\r\r".join(PARAGRAPHS)  # Word's paragraphs, a blank line between them
    type_in(child, "")
    send_all(child, f"\x1b[200~{pasted}\x1b[201~")
    child.send(FINISH)
    child.expect_exact("原因剖析")  # the next question asks its own question ...
    type_in(child, "思想上放松了要求" + FINISH)  # ... and takes its own answer
    child.expect_exact("群众意见")
    type_in(child, "\r")  # optional and empty: Enter skips it
    child.expect_exact("整改措施")
    type_in(child, "建立来信台账，每周清理一次" + FINISH)
    child.expect_exact("整改时限")
    type_in(child, "2009-03-31\r")
    child.expect_exact("第 2/2 项")
    type_in(child, "q\r")
    assert ended(pexpect, child) == 0

    answers = load_response(tmp_path / DRAFT).answers["thinking-1"]
    assert answers["manifestation"] == "\n\n".join(PARAGRAPHS)
    assert answers["cause"] == "思想上放松了要求"
    assert "opinion" not in answers
    assert answers["measure"] == "建立来信台账，每周清理一次"
    assert answers["deadline"] == "2009-03-31"


def test_enter_starts_a_new_paragraph_and_never_finishes(tmp_path: Path, pexpect) -> None:  # type: ignore[no-untyped-def]
    child = spawn(pexpect, tmp_path, *KNOWN)
    child.expect_exact("第 1/2 项")
    type_in(child, "3\r")
    child.expect_exact("具体表现")
    type_in(child, f"{PARAGRAPHS[0]}\r\r\r{PARAGRAPHS[1]}\r")
    child.sendintr()
    assert ended(pexpect, child) == 130
    draft = load_response(tmp_path / DRAFT)
    assert "manifestation" not in draft.answers["thinking-1"], "Enter did not finish the answer"
    held = draft.unfinished["thinking-1"]["manifestation"]
    assert held == f"{PARAGRAPHS[0]}\n\n\n{PARAGRAPHS[1]}\n"


def test_ctrl_c_in_mid_text_then_run_again_shows_the_text_in_place(
    tmp_path: Path,
    pexpect,  # type: ignore[no-untyped-def]
) -> None:
    child = spawn(pexpect, tmp_path, *KNOWN)
    child.expect_exact("第 1/2 项")
    type_in(child, "3\r")
    child.expect_exact("具体表现")
    type_in(child, f"{PARAGRAPHS[0]}\r对群众反映的问题")
    child.sendintr()  # Ctrl-C in the middle of the second paragraph
    child.expect_exact("写到一半的内容也已保存")
    assert ended(pexpect, child) == 130
    draft = load_response(tmp_path / DRAFT)
    assert draft.unfinished == {
        "thinking-1": {"manifestation": f"{PARAGRAPHS[0]}\n对群众反映的问题"}
    }
    assert draft.answers["thinking-1"] == {"rating": "some"}

    child = spawn(pexpect, tmp_path, *KNOWN)
    child.expect_exact("发现未提交的草稿：已完成 0/2 项，另有 1 项填了一部分")
    type_in(child, "\r")  # continue the draft
    child.expect_exact("写到一半的内容已放回")
    child.expect_exact("具体表现")
    child.expect_exact(READY)
    child.expect_exact("对群众反映的问题")  # the text is back in the editing area
    child.send("，没有跟踪到底。" + FINISH)  # the cursor is at its end: carry on typing
    child.expect_exact("原因剖析")
    type_in(child, "q\r")
    assert ended(pexpect, child) == 0
    draft = load_response(tmp_path / DRAFT)
    assert draft.answers["thinking-1"]["manifestation"] == (
        f"{PARAGRAPHS[0]}\n对群众反映的问题，没有跟踪到底。"
    )
    assert draft.unfinished == {}


def test_arrow_keys_and_backspace_edit_chinese_in_the_middle(tmp_path: Path, pexpect) -> None:  # type: ignore[no-untyped-def]
    child = spawn(pexpect, tmp_path, *KNOWN)
    child.expect_exact("第 1/2 项")
    type_in(child, "3\r")
    child.expect_exact("具体表现")
    type_in(child, "在办理来信时拖拉拉")
    child.send(LEFT * 6 + "群众")  # into the middle of the line: 在办理|来信时拖拉拉
    child.send(END + BACKSPACE)  # one wide character off the end
    child.send("\r第二段")
    child.send(UP + HOME + "一、")  # back up into the earlier line, at its start
    child.send(DOWN + END + "内容")  # and down again, to the end of the second
    child.send(FINISH)
    child.expect_exact("原因剖析")
    type_in(child, "q\r")
    assert ended(pexpect, child) == 0
    text = load_response(tmp_path / DRAFT).answers["thinking-1"]["manifestation"]
    assert text == "一、在办理群众来信时拖拉\n第二段内容"


def test_q_at_the_identity_questions_saves_nothing(tmp_path: Path, pexpect) -> None:  # type: ignore[no-untyped-def]
    child = spawn(pexpect, tmp_path)
    child.expect_exact("姓名")
    type_in(child, "张三\r")
    child.expect_exact("单位")
    type_in(child, "?\r")  # help, not a value
    child.expect_exact("答卷文件以“单位-姓名”命名")
    type_in(child, "<\r")  # back to 姓名, which still offers 张三
    child.expect_exact("姓名")
    child.expect_exact("张三")
    type_in(child, "\r")
    child.expect_exact("单位")
    type_in(child, "q\r")
    child.expect_exact("本次没有保存任何内容")
    assert ended(pexpect, child) == 0
    assert not (tmp_path / PROFILE).exists(), "no profile with a key saved as 单位"
    assert not list(tmp_path.glob("*.json")), "no draft, no response"

    # A remembered identity: q at the confirmation leaves the profile as it was.
    (tmp_path / PROFILE).parent.mkdir(exist_ok=True)
    profile = {"name": "张三", "unit": "局办公室", "position": "科员", "role": "staff"}
    (tmp_path / PROFILE).write_text(json.dumps(profile, ensure_ascii=False), encoding="utf-8")
    child = spawn(pexpect, tmp_path)
    child.expect_exact("是您本人吗")
    type_in(child, "q\r")
    child.expect_exact("本次没有保存任何内容")
    assert ended(pexpect, child) == 0
    assert json.loads((tmp_path / PROFILE).read_text(encoding="utf-8")) == profile
    assert not (tmp_path / DRAFT).exists()


def test_a_huge_paste_is_refused_with_the_limit_and_garbage_is_cleaned(
    tmp_path: Path,
    pexpect,  # type: ignore[no-untyped-def]
) -> None:
    child = spawn(pexpect, tmp_path, *KNOWN)
    child.expect_exact("第 1/2 项")
    type_in(child, "3\r")
    child.expect_exact("具体表现")
    type_in(child, "")
    send_all(child, "\x1b[200~" + "拖" * 100_000 + "\x1b[201~")
    child.expect_exact("本题最多 20000 个字，未粘贴", timeout=30)
    send_all(child, "\x1b[200~来信\x00\x07办理\x1b[31m拖拉\x1b[0m\x1b]0;title\x07。\x1b[201~")
    child.expect_exact("控制字符或无法识别的字节，已去掉")
    os.write(child.child_fd, b"\x1b[200~\xb2\xe2\xca\xd4\x1b[201~")  # GBK bytes: 测试
    child.expect_exact("编码可能不是 UTF-8），未粘贴")
    child.send(FINISH)
    child.expect_exact("原因剖析")
    type_in(child, "q\r")
    assert ended(pexpect, child) == 0
    assert (
        load_response(tmp_path / DRAFT).answers["thinking-1"]["manifestation"] == "来信办理拖拉。"
    )


def test_the_screen_shows_paragraphs_and_the_finishing_key(tmp_path: Path, screen: Tmux) -> None:
    tmux = screen
    env = terminal_env(tmp_path)
    env.pop("COLUMNS", None)  # the program measures the 60-column window itself
    settings = [f"{k}={shlex.quote(v)}" for k, v in env.items() if k.startswith(_SHOWN_ENV)]
    program = " ".join(
        shlex.quote(a) for a in [installed_selfcheck(), "run", "--format", "none",
                                 "--checklist", str(CHECKLIST), *KNOWN]
    )  # fmt: skip
    tmux("new-session", "-d", "-s", tmux.name, "-x", "60", "-y", "40", "-c", str(tmp_path),
         f"env {' '.join(settings)} {program}; sleep 30")  # fmt: skip
    tmux.wait_for("问题比较突出")
    tmux.wait_for_prompt()
    tmux.type("3")
    tmux.key("Enter")
    tmux.wait_for("Esc 再按 Enter 完成本题")
    long_line = PARAGRAPHS[0] * 2  # wider than the 60-column window: it wraps
    tmux.type(long_line)
    tmux.key("Enter")
    tmux.type(PARAGRAPHS[1])
    rows = tmux.wait_for(PARAGRAPHS[1]).splitlines()
    start = next(i for i, row in enumerate(rows) if row.startswith("> 在办理"))
    wrapped = rows[start + 1]
    assert wrapped.startswith("  ") and not wrapped.startswith("> "), "a wrap is not a paragraph"
    assert any(row.startswith("> " + PARAGRAPHS[1][:6]) for row in rows[start + 1 :]), (
        "each paragraph starts with the prompt"
    )
    tmux.key("Escape")
    tmux.key("Enter")
    tmux.wait_for("原因剖析")


_SHOWN_ENV = ("SELFCHECK_", "LANG", "LC_", "TERM", "EDITOR", "PYTHONPATH")
