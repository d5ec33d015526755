"""What a Chinese Windows PC does differently: ~ not expanded, files held open, PowerShell.

- PowerShell and cmd.exe pass ``~`` to the program unexpanded: ``--out`` and
  ``SELFCHECK_OUT`` expand it themselves.
- Excel or WPS holding a file open makes ``os.replace`` fail (WinError 32/5,
  PermissionError): the message names the file and asks to close it, and the
  file already on disk is left exactly as it was.
- OS error texts are Chinese, whatever the system language.
- README's quick start works in PowerShell, cmd and on Debian/Ubuntu.
"""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfcheck import atomicio
from selfcheck.atomicio import write_bytes_atomic, write_text_atomic
from selfcheck.cli import app
from selfcheck.errors import FileInUseError, os_error_reason
from selfcheck.run.options import RunOptions, output_folder

REPO = Path(__file__).resolve().parent.parent


# ------------------------------------------------------------------------ ~


def test_tilde_in_out_is_the_home_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    assert output_folder(RunOptions(out=Path("~/对照检查"))) == tmp_path / "对照检查"


def test_tilde_in_selfcheck_out_is_the_home_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    monkeypatch.setenv("SELFCHECK_OUT", "~/答卷")
    assert output_folder(RunOptions()) == tmp_path / "答卷"
    monkeypatch.setenv("SELFCHECK_OUT", "")
    assert output_folder(RunOptions()) == Path(".")


def test_run_writes_under_the_home_folder_given_as_tilde(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "家"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.chdir(tmp_path)
    demo = CliRunner().invoke(app, ["demo", "演示", "--people", "12"])
    assert demo.exit_code == 0, demo.output
    # A response is an answers file; take one whose deadlines are still ahead.
    previous = next(p for p in (tmp_path / "演示" / "答卷").rglob("*.json") if _still_valid(p))
    args = ["run", "--answers", str(previous), "--no-input", "--out", "~/对照检查"]
    result = CliRunner().invoke(app, [*args, "--format", "none"])
    assert result.exit_code == 0, result.output
    assert len(list((home / "对照检查").glob("*.json"))) == 1
    assert not (tmp_path / "~").exists(), "no folder literally named ~"


def _still_valid(response: Path) -> bool:
    data = json.loads(response.read_text(encoding="utf-8"))
    deadlines = [a.get("deadline") or "9999" for a in data["answers"].values()]
    return data["status"] == "submitted" and min(deadlines, default="9999") >= "2009-01-15"


# ------------------------------------------------------------ file held open


def _locked(*args: object, **kwargs: object) -> None:
    raise PermissionError(errno.EACCES, "拒绝访问。")


def test_a_file_held_open_gets_a_chinese_message_and_stays_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "汇总.xlsx"
    target.write_bytes(b"old content")
    monkeypatch.setattr(os, "replace", _locked)
    with pytest.raises(FileInUseError) as caught:
        write_bytes_atomic(target, b"new content")
    message = caught.value.render()
    assert str(target) in message
    assert "Excel" in message and "WPS" in message and "关闭" in message
    assert "原来的文件没有改动" in message
    assert target.read_bytes() == b"old content"
    assert [p.name for p in tmp_path.iterdir()] == ["汇总.xlsx"], "no temp file left behind"


def test_a_short_hold_is_waited_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Virus scanners hold a new file for a moment: the rename is tried again."""
    real_replace = os.replace
    attempts: list[int] = []

    def busy_twice(src: str, dst: Path) -> None:
        attempts.append(1)
        if len(attempts) <= 2:
            raise PermissionError(errno.EACCES, "拒绝访问。")
        real_replace(src, dst)

    monkeypatch.setattr(atomicio, "REPLACE_ATTEMPTS", 5)
    monkeypatch.setattr(atomicio.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(os, "replace", busy_twice)
    target = tmp_path / "台账.csv"
    write_text_atomic(target, "序号\n")
    assert target.read_text(encoding="utf-8") == "序号\n"
    assert len(attempts) == 3


def test_summary_to_an_open_workbook_exits_1_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = CliRunner().invoke(app, ["demo", str(tmp_path / "演示"), "--people", "4"])
    assert demo.exit_code == 0, demo.output
    workbook = tmp_path / "汇总.xlsx"
    workbook.write_bytes(b"the workbook Excel has open")
    monkeypatch.setattr(os, "replace", _locked)
    args = ["summary", str(tmp_path / "演示" / "答卷"), "--format", "xlsx", "-o", str(workbook)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert str(workbook) in result.stderr and "关闭" in result.stderr
    assert "内部错误" not in result.output and "Permission" not in result.output
    assert workbook.read_bytes() == b"the workbook Excel has open"


# ------------------------------------------------------------ OS error texts


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (IsADirectoryError(errno.EISDIR, "Is a directory"), "这是一个文件夹，不是文件"),
        (PermissionError(errno.EACCES, "Permission denied"), "Excel"),
        (FileNotFoundError(errno.ENOENT, "No such file or directory"), "不存在"),
        (OSError(errno.ENOSPC, "No space left on device"), "磁盘空间不足"),
    ],
)
def test_os_errors_read_in_chinese(error: OSError, expected: str) -> None:
    reason = os_error_reason(error)
    assert expected in reason
    assert not re.search(r"[A-Za-z]{4,}", reason.replace("Excel", ""))


def test_writing_onto_a_folder_says_so_in_chinese(tmp_path: Path) -> None:
    folder = tmp_path / "schema.json"
    folder.mkdir()
    result = CliRunner().invoke(app, ["checklist", "schema", "-o", str(folder)])
    assert result.exit_code == 1
    assert str(folder) in result.stderr and "文件夹" in result.stderr
    assert "Is a directory" not in result.stderr


def test_a_roster_that_is_a_folder_says_so_in_chinese(tmp_path: Path) -> None:
    (tmp_path / "名单").mkdir()
    result = CliRunner().invoke(app, ["summary", str(tmp_path), "--roster", str(tmp_path / "名单")])
    assert result.exit_code == 1
    assert "无法读取名单文件" in result.stderr and "这是一个文件夹，不是文件" in result.stderr
    assert "Is a directory" not in result.stderr


def test_a_broken_json_answers_file_is_explained_in_chinese(tmp_path: Path) -> None:
    broken = tmp_path / "答案.json"
    broken.write_text('{"answers": {"work-1" 1}}', encoding="utf-8")
    result = CliRunner().invoke(app, ["run", "--answers", str(broken), "--no-input"])
    assert result.exit_code == 1
    assert "答案.json:1:" in result.stderr and "缺少冒号" in result.stderr
    assert "Expecting" not in result.stderr


# ------------------------------------------------------------ README


def _quick_start() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return readme.split("## 快速开始", 1)[1].split("\n## ", 1)[0]


def _code_blocks(text: str) -> list[str]:
    return re.findall(r"```[a-z]*\n(.*?)```", text, re.DOTALL)


def test_readme_quick_start_works_in_powershell_and_cmd() -> None:
    """PowerShell 5.1 rejects ``&&`` and blocks ``activate``: one command a line, no activation."""
    windows = [b for b in _code_blocks(_quick_start()) if "py -m venv" in b]
    assert windows, "a Windows block"
    lines = [line for line in windows[0].splitlines() if line.strip()]
    assert lines[0].strip() == "py -m venv .venv"
    assert any(re.match(r"\.venv\\Scripts\\python -m pip install \.", line) for line in lines)
    assert any(line.startswith(".venv\\Scripts\\selfcheck run") for line in lines)
    for line in lines:
        assert "&&" not in line and "activate" not in line.lower()


def test_readme_quick_start_covers_debian_pipx_and_uv() -> None:
    quick = _quick_start()
    assert "externally-managed-environment" in quick
    assert "python3 -m venv" in quick
    assert "pipx install" in quick and "uv tool install" in quick


def test_readme_first_linux_line_is_what_ci_runs() -> None:
    """CI runs README's test command; the first Linux line stays runnable as printed."""
    first = _code_blocks(_quick_start())[0].splitlines()
    install = "python3 -m venv .venv && . .venv/bin/activate && pip install . && selfcheck run"
    assert first[0] == install
    test_line = first[1]
    for line in first[:2]:
        assert subprocess.run(["bash", "-n", "-c", line], check=False).returncode == 0
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test_line.split("&& ")[-1] in ci
