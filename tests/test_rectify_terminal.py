"""``selfcheck rectify`` in a real pseudo-terminal, typed in Chinese, stopped with Ctrl-C."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest
from test_rectify import submitted_response, write_response

pytestmark = pytest.mark.e2e


def test_typing_chinese_and_ctrl_c(tmp_path: Path, zuofeng: Any) -> None:
    path = write_response(tmp_path, submitted_response(zuofeng))
    env = {**os.environ, "SELFCHECK_TODAY": "2009-02-20", "LANG": "C.UTF-8", "TERM": "xterm"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "selfcheck", "rectify", str(path)],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 120),
    )
    try:
        child.expect("逾期未完成 1")  # thinking-1 was due 2009-02-10
        child.expect("整改状态")
        child.sendline("整改中")
        child.expect("进展说明")
        child.sendline("已提出两条改进建议：待科务会讨论")
        child.expect("日期")
        child.sendline("2009年2月18日")
        child.expect("保存这条整改进展")
        child.sendline("是")
        child.expect("已保存")
        child.expect("整改状态")  # work-2
        child.sendcontrol("c")
        child.expect("已确认的 1 条整改进展都已保存")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 130
    entries = json.loads(path.read_text(encoding="utf-8"))["rectification"]
    assert [(e["item"], e["status"], e["date"], e["note"]) for e in entries] == [
        ("thinking-1", "整改中", "2009-02-18", "已提出两条改进建议：待科务会讨论")
    ]
    assert path.stat().st_mode & 0o777 == 0o600
