"""Two writers of one response file at once: no progress entry is ever lost.

``selfcheck rectify`` records through :func:`selfcheck.response.update_response`:
the file is re-read under its writer lock, the ``--set`` values are checked
against that fresh content, and the entries are appended to it. A second
writer waits for the first instead of overwriting it (or failing).

Today is fixed to 2009-01-15 by conftest (inherited by the child processes).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from test_rectify import DEFAULT_NAME, submitted_response, write_response
from typer.testing import CliRunner

from selfcheck.checklist.loader import load_checklist
from selfcheck.cli import app
from selfcheck.errors import ResponseError
from selfcheck.rectify import store
from selfcheck.rectify.progress import append_entries
from selfcheck.response import (
    RectifyEntry,
    Response,
    load_response,
    lock_path,
    locked,
    replace,
    save_response,
    update_response,
)
from selfcheck.rules import Status

CHECKLIST = Path(__file__).resolve().parent.parent / "checklists" / "zuofeng-2008.yaml"
TRIES = 50
SEEDED = {"item": "work-2", "status": "整改中", "date": "2009-01-10", "note": "先前的记录",
          "recorded_at": "2009-01-10T18:00:00+08:00"}


@pytest.fixture(scope="module")
def submitted(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a submitted response with measures for thinking-1, work-2 and work-4."""
    folder = tmp_path_factory.mktemp("template")
    return write_response(folder, submitted_response(load_checklist(CHECKLIST))).read_bytes()


def stored(path: Path) -> list[dict[str, Any]]:
    """The rectification log as stored in the file."""
    return json.loads(path.read_text(encoding="utf-8"))["rectification"]  # type: ignore[no-any-return]


def start(path: Path, spec: str) -> subprocess.Popen[str]:
    """``selfcheck rectify PATH --no-input --set SPEC`` as a real process."""
    return subprocess.Popen(
        [sys.executable, "-m", "selfcheck", "rectify", str(path), "--no-input", "--set", spec],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


Write = tuple[str, str, str]
"""(item, status, note) of one ``--set``."""

# The two writers, and whether the file already holds an earlier work-2 entry.
PAIRS: list[tuple[Write, Write, bool]] = [
    (("work-2", "整改中", "甲录入"), ("work-4", "整改中", "乙录入"), False),  # different items
    (("work-2", "整改中", "甲录入"), ("work-2", "已完成", "乙录入"), False),  # same item, same day
    (("work-2", "整改中", "甲录入"), ("work-2", "已完成", "乙录入"), True),  # later than the last
]


def test_two_concurrent_processes_both_record(tmp_path: Path, submitted: bytes) -> None:
    for attempt in range(TRIES):
        first, second, seeded = PAIRS[attempt % len(PAIRS)]
        folder = tmp_path / f"try-{attempt}"
        folder.mkdir()
        path = folder / DEFAULT_NAME
        if seeded:
            data = json.loads(submitted)
            data["rectification"] = [SEEDED]
            path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        else:
            path.write_bytes(submitted)
        procs = [start(path, f"{item}={status}:{note}") for item, status, note in (first, second)]
        results = [(p.wait(timeout=60), *p.communicate()) for p in procs]
        for code, out, err in results:
            assert code == 0, f"try {attempt}: exit {code}\n{out}\n{err}"
        entries = stored(path)
        written = [(e["item"], e["status"], e["note"]) for e in entries]
        assert len(entries) == 2 + seeded, f"try {attempt}: {written}"
        assert sorted(written[seeded:]) == sorted([first, second]), f"try {attempt}: {written}"
        if seeded:
            assert {k: entries[0][k] for k in SEEDED} == SEEDED  # later fields: defaults
        load_response(path)  # still a valid response file


# ------------------------------------------------------------- update_response


def _entry(item: str, note: str) -> RectifyEntry:
    return RectifyEntry(
        item=item,
        status=Status.IN_PROGRESS,
        date=date(2009, 1, 15),
        note=note,
        recorded_at=datetime(2009, 1, 15, 9, 0).astimezone(),
    )


def _appending(item: str, note: str) -> Callable[[Response], Response]:
    return lambda response: append_entries(response, [_entry(item, note)])


@pytest.fixture
def response_file(tmp_path: Path, submitted: bytes) -> Path:
    path = tmp_path / DEFAULT_NAME
    path.write_bytes(submitted)
    return path


def test_raising_in_the_change_leaves_the_file_untouched(response_file: Path) -> None:
    before = response_file.read_bytes()

    def change(response: Response) -> Response:
        replace(response, rectification=[_entry("work-2", "不应写入")])
        raise ResponseError("校验失败")

    with pytest.raises(ResponseError, match="校验失败"):
        update_response(response_file, change)
    assert response_file.read_bytes() == before
    # nothing half-written beside it; the lock is released (a next writer gets in at once)
    assert sorted(p.name for p in response_file.parent.iterdir()) == sorted(
        [response_file.name, lock_path(response_file).name]
    )
    update_response(response_file, _appending("work-2", "之后"))
    assert [e["note"] for e in stored(response_file)] == ["之后"]


def test_a_held_lock_makes_the_second_writer_wait(response_file: Path) -> None:
    holding = threading.Event()
    release = threading.Event()
    finished: dict[str, float] = {}
    errors: list[BaseException] = []

    def first_writer() -> None:
        try:
            with locked(response_file):
                holding.set()
                release.wait(10)
                current = load_response(response_file)
                save_response(_appending("work-2", "先")(current), response_file)
                finished["first"] = time.monotonic()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def second_writer() -> None:
        try:
            update_response(response_file, _appending("work-4", "后"))
            finished["second"] = time.monotonic()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    first = threading.Thread(target=first_writer)
    first.start()
    assert holding.wait(10)
    second = threading.Thread(target=second_writer)
    second.start()
    second.join(0.5)
    assert second.is_alive(), "the second writer did not wait for the lock"
    assert stored(response_file) == []
    release.set()
    first.join(10)
    second.join(10)
    assert not errors, errors
    assert finished["first"] <= finished["second"]
    # the second writer appended to what the first one saved
    assert [(e["item"], e["note"]) for e in stored(response_file)] == [
        ("work-2", "先"),
        ("work-4", "后"),
    ]


def test_a_lock_held_too_long_is_a_chinese_error(response_file: Path) -> None:
    holding = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with locked(response_file):
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert holding.wait(10)
        with (
            pytest.raises(ResponseError, match="正被另一个程序修改") as caught,
            locked(response_file, timeout=0.2),
        ):
            pass  # pragma: no cover
        assert "没有做任何修改" in caught.value.message
    finally:
        release.set()
        thread.join(10)


# ------------------------------------------- --set checked against the fresh file


def _meddle_after_first_read(
    monkeypatch: pytest.MonkeyPatch, path: Path, meddle: Callable[[dict[str, Any]], None]
) -> None:
    """Let "another program" change ``path`` after rectify read it, before it takes the lock."""
    original = store.checklist_for

    def checklist_for(*args: Any, **kwargs: Any) -> Any:
        checklist = original(*args, **kwargs)
        data = json.loads(path.read_text(encoding="utf-8"))
        meddle(data)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return checklist

    monkeypatch.setattr(store, "checklist_for", checklist_for)


def rectify(*args: str) -> Any:
    return CliRunner().invoke(app, ["rectify", *args])


def test_set_is_checked_against_the_entry_recorded_meanwhile(
    response_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def record_done(data: dict[str, Any]) -> None:
        data["rectification"].append({**SEEDED, "status": "已完成", "date": "2009-01-14"})

    _meddle_after_first_read(monkeypatch, response_file, record_done)
    result = rectify(str(response_file), "--no-input", "--set", "work-2=整改中", "--date",
                     "2009-01-12")
    assert result.exit_code == 1
    assert "早于该项上次记录的日期 2009-01-14" in result.output
    assert "答卷文件没有改动" in result.output
    assert [e["date"] for e in stored(response_file)] == ["2009-01-14"]  # theirs, not lost


def test_set_appends_to_the_file_as_changed_meanwhile(
    response_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def other_writer(data: dict[str, Any]) -> None:
        data["rectification"].append({**SEEDED, "item": "work-4", "note": "另一处录入"})
        data["respondent"]["position"] = "副科长"

    _meddle_after_first_read(monkeypatch, response_file, other_writer)
    result = rectify(str(response_file), "--no-input", "--set", "work-2=已完成:本次")
    assert result.exit_code == 0, result.output
    data = json.loads(response_file.read_text(encoding="utf-8"))
    assert data["respondent"]["position"] == "副科长"
    assert [(e["item"], e["note"]) for e in data["rectification"]] == [
        ("work-4", "另一处录入"),
        ("work-2", "本次"),
    ]
    assert "已记录 1 条整改进展" in result.output


@pytest.mark.parametrize(
    ("meddle", "named"),
    [
        (lambda data: data.update(status="draft", submitted_at=None), "草稿"),
        (lambda data: data["checklist"].update(sha256="0" * 64), "内容不同"),
    ],
)
def test_a_file_made_unrecordable_meanwhile_is_left_alone(
    response_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    meddle: Callable[[dict[str, Any]], None],
    named: str,
) -> None:
    _meddle_after_first_read(monkeypatch, response_file, meddle)
    result = rectify(str(response_file), "--no-input", "--set", "work-2=已完成")
    assert result.exit_code == 1
    assert named in result.output
    assert "Traceback" not in result.output
    assert stored(response_file) == []
