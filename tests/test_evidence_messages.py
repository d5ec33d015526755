"""What the committee reads about a 佐证材料 file comes from a response file: it is shown
on one line, with no hidden characters, and every failure is said in Chinese."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from selfcheck.rectify.evidence import describe, evidence_problem
from selfcheck.response import EvidenceFile

HOSTILE = "会议\x1b[2J记录\n第二页\u202efdp.exe"
SHOWN = "会议记录 第二页fdp.exe"  # escape sequence and override gone, the line break a space


def _evidence(stored: str, content: bytes = b"abc", name: str = HOSTILE) -> EvidenceFile:
    digest = hashlib.sha256(content).hexdigest()
    return EvidenceFile(name=name, stored=stored, size=len(content), sha256=digest)


def _problem(tmp_path: Path, evidence: EvidenceFile, item: str = "work-1") -> str:
    problem = evidence_problem(tmp_path, item, evidence)
    assert problem is not None
    assert problem.isprintable(), repr(problem)
    return problem


def test_an_unreadable_evidence_file_is_explained_in_chinese(tmp_path: Path) -> None:
    (tmp_path / "a.evidence" / "x.pdf").mkdir(parents=True)  # a folder where a file should be
    problem = _problem(tmp_path, _evidence("a.evidence/x.pdf"))
    reason = "这是一个文件夹，不是文件"
    assert problem == f"检查项 work-1 的佐证材料 {SHOWN} 无法读取：{reason}（a.evidence/x.pdf）"
    assert "Is a directory" not in problem


@pytest.mark.parametrize(
    ("stored", "content", "says"),
    [
        ("a.evidence/gone.pdf", None, "已不存在"),
        ("a.evidence/x.pdf", b"changed", "在登记后被改动过"),
        ("../elsewhere.pdf", None, "登记的存放位置无效"),
    ],
)
def test_every_evidence_problem_shows_the_name_on_one_clean_line(
    tmp_path: Path, stored: str, content: bytes | None, says: str
) -> None:
    if content is not None:
        (tmp_path / "a.evidence").mkdir()
        (tmp_path / stored).write_bytes(content)
    problem = _problem(tmp_path, _evidence(stored), item="work-1\x1b]0;标题\x07")
    assert problem.startswith(f"检查项 work-1 的佐证材料 {SHOWN}")
    assert says in problem


def test_a_stored_path_with_controls_is_shown_clean(tmp_path: Path) -> None:
    problem = _problem(tmp_path, _evidence("a.evidence/\u202e坏\x07.pdf", name="记录.pdf"))
    assert problem == "检查项 work-1 的佐证材料 记录.pdf 已不存在（a.evidence/坏.pdf）"


def test_an_unchanged_evidence_file_has_no_problem(tmp_path: Path) -> None:
    (tmp_path / "a.evidence").mkdir()
    (tmp_path / "a.evidence" / "x.pdf").write_bytes(b"abc")
    assert evidence_problem(tmp_path, "work-1", _evidence("a.evidence/x.pdf")) is None


def test_the_ledger_cell_names_each_file_on_one_line() -> None:
    files = [_evidence("a.evidence/x.pdf"), _evidence("a.evidence/y.pdf", name="台账.xlsx")]
    cell = describe(files)
    assert cell == f"{SHOWN}（3 B）、台账.xlsx（3 B）"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_in_place_of_a_stored_evidence_file_is_reported_not_waited_on(
    tmp_path: Path,
) -> None:
    from test_hostile_folder import bounded

    (tmp_path / "a.evidence").mkdir()
    pipe = tmp_path / "a.evidence" / "x.pdf"
    os.mkfifo(pipe)
    problem = bounded(lambda: _problem(tmp_path, _evidence("a.evidence/x.pdf")), fifo=pipe)
    assert problem.endswith("无法读取：不是普通文件（如管道、设备），未读取（a.evidence/x.pdf）")


def test_a_link_in_place_of_a_stored_evidence_file_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "a.evidence").mkdir()
    (tmp_path / "elsewhere.pdf").write_bytes(b"abc")  # the right content, but not ours
    (tmp_path / "a.evidence" / "x.pdf").symlink_to(tmp_path / "elsewhere.pdf")
    problem = _problem(tmp_path, _evidence("a.evidence/x.pdf"))
    assert "符号链接" in problem and problem.startswith("检查项 work-1 的佐证材料")
