"""SIGKILL at any moment of a walk leaves a draft that loads (or none at all).

A forked child walks the checklist with scripted answers and kills itself
with SIGKILL at the k-th step of a file write: halfway through writing the
temporary file, before its fsync, before the rename, right after the rename.
The parent then loads whatever is on disk.
"""

from __future__ import annotations

import io
import json
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from selfcheck.response import load_response
from selfcheck.run import session
from selfcheck.run.session import RunOptions, run_session
from selfcheck.testing import ScriptedPrompter

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (POSIX)")

SCRIPT = [
    "张三", "局办公室", "科员", "一般干部",
    # a cause, 原因类别 skipped (so no 本方面问题概括), 群众意见 skipped
    "3", "在办理群众来信时拖拉，有三件超过时限", "", "学习不够", "", "", "",
    "建立台账，每周清理", "", "2009-03-31", "1", "",  # 问题来源 自己找, 整改类型 skipped
    "1", "2", "1", "4", "对来访群众态度生硬，解释不耐心", "", "", "", "改进态度", "", "",
    "", "",  # 问题来源, 整改类型 skipped
    "1", "2", "1", "1",
    "", "",
]  # fmt: skip
"""Identity, 9 items (two with problems), then submit."""


class _Steps:
    """Counts write steps; kills the process at step ``kill_at``."""

    def __init__(self, kill_at: int | None) -> None:
        self.kill_at = kill_at
        self.count = 0

    def tick(self) -> None:
        self.count += 1
        if self.count == self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)


class _HalfWriter:
    """A file wrapper that writes in two halves with a step in between."""

    def __init__(self, handle: Any, steps: _Steps) -> None:
        self._handle = handle
        self._steps = steps

    def write(self, data: bytes) -> int:
        half = len(data) // 2
        self._handle.write(data[:half])
        self._handle.flush()
        self._steps.tick()  # a torn temp file on disk right now
        return half + self._handle.write(data[half:])

    def __enter__(self) -> _HalfWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


def _instrument(steps: _Steps) -> None:
    """Wrap the primitives atomic writes use (in the child process only)."""
    real_fdopen: Callable[..., Any] = os.fdopen
    real_replace = os.replace

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        return _HalfWriter(real_fdopen(fd, *args, **kwargs), steps)

    def fsync(fd: int) -> None:
        # SIGKILL does not lose the page cache, so the disk flush itself only costs
        # time here; its place in the order of steps is what is tested.
        steps.tick()

    def replace(src: Any, dst: Any) -> None:
        steps.tick()
        real_replace(src, dst)
        steps.tick()

    os.fdopen = fdopen  # type: ignore[assignment]
    os.fsync = fsync
    os.replace = replace  # type: ignore[assignment]


def _child(folder: Path, kill_at: int | None, report: int, checklist: Any) -> None:
    os.environ["SELFCHECK_CONFIG_DIR"] = str(folder / "config")
    steps = _Steps(kill_at)
    _instrument(steps)
    session.checklist_for = lambda options, prefill: checklist  # type: ignore[assignment]
    prompter = ScriptedPrompter(SCRIPT, Console(file=io.StringIO(), width=100))
    code = run_session(RunOptions(out=folder, formats="none"), prompter)
    os.write(report, f"{code} {steps.count}".encode())


def _run(folder: Path, kill_at: int | None, checklist: Any) -> tuple[int, str]:
    """Fork a walk; return (wait status, what the child reported)."""
    read, write = os.pipe()
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read)
        try:
            _child(folder, kill_at, write, checklist)
        finally:
            os._exit(0)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    with os.fdopen(read, "rb") as pipe:
        said = pipe.read().decode()
    return status, said


def test_sigkill_at_write_steps_all_along_the_walk_leaves_loadable_files(
    tmp_path: Path, zuofeng: Any
) -> None:
    status, said = _run(tmp_path / "whole", None, zuofeng)
    assert os.WIFEXITED(status) and said.split()[0] == "0", said
    total = int(said.split()[1])
    saves = 1 + 20 + 1  # the profile, an autosave per answer, the response
    # five steps per write: half-written, fsync, rename, renamed, folder fsync
    assert total >= 5 * saves

    # Every step of the first three writes, then one step per write, rotating
    # through the five kinds: all kinds everywhere, at a fraction of the cost.
    points = [k for k in range(1, total + 1) if (k - 1) // 5 < 3 or (k - 1) % 5 == (k - 1) // 5 % 5]
    seen_answers: set[int] = set()
    for kill_at in points:
        folder = tmp_path / f"k{kill_at}"
        status, _ = _run(folder, kill_at, zuofeng)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, kill_at
        for path in folder.glob("*.json"):
            response = load_response(path)  # validates, or raises ResponseError
            assert response.respondent.name == "张三"
            seen_answers.add(sum(len(a) for a in response.answers.values()))
        profile = folder / "config" / "profile.json"
        if profile.exists():
            assert json.loads(profile.read_text(encoding="utf-8"))["name"] == "张三"
    assert len(seen_answers) >= 12, "kills landed all along the walk"
