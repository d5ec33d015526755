"""The installed ``selfcheck run`` in a real pseudo-terminal: Chinese, backspace, Ctrl-C, resume.

pexpect drives the whole walk; tmux shows what the person actually sees
after editing a Chinese line. Under CI (``CI`` set) a missing tool fails the
test instead of skipping it.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from selfcheck.response import load_response

pytestmark = pytest.mark.e2e

STAFF_ITEMS = 9


def _require(what: str, found: object) -> None:
    if not found:
        if os.environ.get("CI"):
            pytest.fail(f"{what} is required under CI but was not found")
        pytest.skip(f"{what} not available")


def installed_selfcheck() -> str:
    """The console script of the installed package (next to this Python first)."""
    beside = Path(sys.executable).parent / ("selfcheck.exe" if os.name == "nt" else "selfcheck")
    found = str(beside) if beside.exists() else shutil.which("selfcheck")
    _require("the installed selfcheck console script", found)
    assert found is not None
    return found


def terminal_env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SELFCHECK_", "LC_"))}
    env.update(
        SELFCHECK_CONFIG_DIR=str(folder / "config"),
        SELFCHECK_TODAY="2009-01-15",
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
        TERM="xterm-256color",
        EDITOR="false",
    )
    return env


@pytest.fixture
def pexpect_module():  # type: ignore[no-untyped-def]
    try:
        import pexpect
    except ImportError:  # pragma: no cover
        _require("pexpect", None)
    return pexpect


def spawn(pexpect, folder: Path):  # type: ignore[no-untyped-def]
    return pexpect.spawn(
        installed_selfcheck(),
        ["run", "--format", "none"],
        cwd=str(folder),
        env=terminal_env(folder),
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 120),
    )


READY = "\x1b[?2004h"
"""Bracketed paste switched on: the prompt (prompt_toolkit) is reading the keyboard."""
FINISH = "\x1b\r"
"""Esc then Enter: finishes a long answer in the editing area."""


def answer(child, text: str, end: str = "\r") -> None:  # type: ignore[no-untyped-def]
    child.expect_exact(READY)
    child.send(text + end)


def test_type_chinese_backspace_interrupt_resume_submit(tmp_path: Path, pexpect_module) -> None:  # type: ignore[no-untyped-def]
    pexpect = pexpect_module
    child = spawn(pexpect, tmp_path)
    child.expect_exact("姓名")
    answer(child, "张三")
    child.expect_exact("单位")
    answer(child, "局办公室")
    child.expect_exact("职务")
    answer(child, "科员")
    child.expect_exact("您的身份")
    answer(child, "一般干部")

    child.expect_exact(f"第 1/{STAFF_ITEMS} 项")
    answer(child, "3")
    child.expect_exact("具体表现")
    child.expect_exact(READY)
    child.send("在办理群众来信时拖拉拉")  # one 拉 too many ...
    child.send("\x7f")  # ... Backspace removes exactly that wide character
    child.send(FINISH)  # Esc then Enter ends the multi-line answer
    child.expect_exact("原因剖析")
    answer(child, "")
    child.expect_exact("群众意见")
    answer(child, "")
    child.expect_exact("整改措施")
    answer(child, "建立来信台账，每周清理", FINISH)
    child.expect_exact("整改时限")
    answer(child, "2008年12月31日")
    child.expect_exact("已经过去")
    answer(child, "2009年3月31日")
    child.expect_exact("问题来源")
    answer(child, "2")  # 群众提
    child.expect_exact("整改类型")
    answer(child, "")  # optional: skipped

    child.expect_exact(f"第 2/{STAFF_ITEMS} 项")
    child.expect_exact(READY)
    child.sendintr()  # Ctrl-C
    child.expect_exact("继续填写请运行")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130

    draft_path = tmp_path / "局办公室-张三-zuofeng-2008.draft.json"
    draft = load_response(draft_path)
    assert draft.answers["thinking-1"]["manifestation"] == "在办理群众来信时拖拉"
    assert draft.answers["thinking-1"]["deadline"] == "2009-03-31"
    assert draft.answers["thinking-1"]["source"] == "masses"
    assert "rectify_type" not in draft.answers["thinking-1"], "a skipped question is not stored"
    assert draft.cursor == "thinking-2"

    child = spawn(pexpect, tmp_path)
    child.expect_exact("是您本人吗")
    answer(child, "")
    child.expect_exact("从上次停下的地方继续吗")
    answer(child, "")
    for number in range(2, STAFF_ITEMS + 1):
        child.expect_exact(f"第 {number}/{STAFF_ITEMS} 项")
        answer(child, "1")
    child.expect_exact("核对答案")
    child.expect_exact("直接回车提交")
    answer(child, "")
    child.expect_exact("确认提交吗")
    answer(child, "")
    child.expect_exact("已提交")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    response = load_response(tmp_path / "局办公室-张三-zuofeng-2008.json")
    assert response.status == "submitted"
    assert response.answers["thinking-1"]["manifestation"] == "在办理群众来信时拖拉"
    assert len(response.answers) == STAFF_ITEMS
    assert not draft_path.exists()


class Tmux:
    """One detached tmux session on a private socket."""

    def __init__(self, binary: str, socket: Path) -> None:
        self.binary = binary
        self.socket = str(socket)
        self.name = f"sc{uuid.uuid4().hex[:8]}"

    def __call__(self, *args: str) -> str:
        command = [self.binary, "-S", self.socket, *args]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout

    def type(self, text: str) -> None:
        self("send-keys", "-t", self.name, "-l", text)

    def key(self, key: str) -> None:
        self("send-keys", "-t", self.name, key)

    def screen(self) -> str:
        return self("capture-pane", "-t", self.name, "-p")

    def wait_for(self, text: str, timeout: float = 20) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; screen:\n{self.screen()}")

    def wait_for_prompt(self, timeout: float = 20) -> None:
        """Until the last line on the screen is the empty prompt ``>`` (ready for keys)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            rows = [row for row in self.screen().splitlines() if row.strip()]
            if rows and rows[-1].rstrip() == ">":
                return
            time.sleep(0.1)
        raise AssertionError(f"no prompt; screen:\n{self.screen()}")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    binary = shutil.which("tmux")
    _require("tmux", binary)
    assert binary is not None
    session = Tmux(binary, tmp_path / "tmux.sock")
    yield session
    subprocess.run([binary, "-S", session.socket, "kill-server"], capture_output=True, check=False)


def test_the_screen_shows_edited_chinese_exactly(tmp_path: Path, tmux: Tmux) -> None:
    env = terminal_env(tmp_path)
    settings = [f"{k}={shlex.quote(v)}" for k, v in env.items() if k.startswith(_SHOWN_ENV)]
    program = shlex.quote(installed_selfcheck())
    command = " ".join(["env", *settings, program, "run", "--format", "none"])
    tmux("new-session", "-d", "-s", tmux.name, "-x", "100", "-y", "30", "-c", str(tmp_path),
         f"{command}; sleep 30")  # fmt: skip
    tmux.wait_for("姓名")
    tmux.wait_for_prompt()
    tmux.type("张三丰")
    tmux.key("BSpace")
    tmux.type("峰")
    screen = tmux.wait_for("> 张三峰")
    line = next(row for row in screen.splitlines() if row.startswith("> 张三"))
    assert line.rstrip() == "> 张三峰", "no leftover half character or stray cell after backspace"
    tmux.key("Enter")
    tmux.wait_for("单位")
    tmux.wait_for_prompt()
    tmux.type("[red]办公室[/]")
    tmux.key("Enter")
    tmux.wait_for("职务")
    tmux.wait_for_prompt()
    tmux.key("C-c")
    screen = tmux.wait_for("已中断")
    assert "> [red]办公室[/]" in screen, "markup typed by the person is shown as typed"


_SHOWN_ENV = ("SELFCHECK_", "LANG", "LC_", "TERM", "EDITOR")
