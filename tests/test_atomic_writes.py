"""The one write protocol (temp file beside the target, fsync, rename) never replaces what is
not a plain file: a pipe, a device or a folder is refused before anything is written, and a
symbolic link is replaced, never written through (a link planted in a shared folder cannot
steer a write to another file)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfcheck.atomicio import write_bytes_atomic
from selfcheck.cli import app
from selfcheck.errors import SelfcheckError

NOT_A_FILE = "不是普通文件（如管道、设备），不能用作输出文件"


@pytest.fixture
def no_rename(monkeypatch: pytest.MonkeyPatch) -> None:
    """Should a regression reach the rename, it fails here instead of replacing a real
    device (the tests may run as root)."""

    real_replace = os.replace
    device = os.path.realpath(os.devnull)

    def guarded(source: str, target: str) -> None:
        if os.path.realpath(target) == device:
            raise AssertionError(f"os.replace onto {device} reached")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", guarded)


def _no_temp_left(folder: Path) -> None:
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_is_not_replaced_by_a_plain_file(tmp_path: Path) -> None:
    pipe = tmp_path / "汇总.csv"
    os.mkfifo(pipe)
    with pytest.raises(SelfcheckError, match=f"无法写入文件 .*汇总.csv：{NOT_A_FILE}"):
        write_bytes_atomic(pipe, b"data")
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    _no_temp_left(tmp_path)


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
@pytest.mark.usefixtures("no_rename")
def test_a_device_is_not_replaced_by_a_plain_file() -> None:
    with pytest.raises(SelfcheckError, match=NOT_A_FILE):
        write_bytes_atomic(Path(os.devnull), b"data")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_a_folder_is_named_as_a_folder(tmp_path: Path) -> None:
    with pytest.raises(SelfcheckError, match="这是一个文件夹，不是文件"):
        write_bytes_atomic(tmp_path, b"data")


def test_a_link_is_replaced_and_the_file_it_pointed_to_left_alone(tmp_path: Path) -> None:
    elsewhere = tmp_path / "别处" / ".bashrc"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(b"mine")
    link = tmp_path / "张三.json"
    link.symlink_to(elsewhere)
    write_bytes_atomic(link, b"new")
    assert not link.is_symlink() and link.read_bytes() == b"new"
    assert elsewhere.read_bytes() == b"mine"
    _no_temp_left(tmp_path)


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_a_link_to_an_open_file_of_a_process_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "输出.csv"
    target.write_bytes(b"old")
    with target.open("rb") as handle:
        link = tmp_path / "stdout"  # like /dev/stdout -> /proc/self/fd/1
        link.symlink_to(f"/proc/self/fd/{handle.fileno()}")
        with pytest.raises(SelfcheckError, match=NOT_A_FILE):
            write_bytes_atomic(link, b"new")
    assert link.is_symlink() and target.read_bytes() == b"old"


def test_a_dangling_link_is_replaced_by_the_file(tmp_path: Path) -> None:
    link = tmp_path / "汇总.csv"
    link.symlink_to(tmp_path / "nowhere" / "x.csv")
    write_bytes_atomic(link, b"new")
    assert not link.is_symlink() and link.read_bytes() == b"new"


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
@pytest.mark.usefixtures("no_rename")
def test_summary_to_a_device_exits_1_in_chinese(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["summary", str(tmp_path), "--format", "csv", "-o", os.devnull]
    )
    assert result.exit_code == 1
    assert f"无法写入文件 {os.devnull}：{NOT_A_FILE}" in result.stderr
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
