"""The one store both drivers save through: drafts, and submissions under the file's lock."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path

from selfcheck.engine import Engine
from selfcheck.response import RectifyEntry, load_response, locked, replace, save_response
from selfcheck.rules import Status
from selfcheck.run.identity import Identity
from selfcheck.run.store import ResponseStore
from selfcheck.testing import NOW, TODAY, builtin_checklist

ZUOFENG = builtin_checklist("zuofeng-2008")
PERSON = Identity(name="张三", unit="局办公室", position="科员", role="staff")


def entry(note: str) -> RectifyEntry:
    return RectifyEntry(
        item="thinking-1", status=Status.IN_PROGRESS, date=date(2009, 1, 20), note=note,
        recorded_at=NOW,
    )  # fmt: skip


def submission(rating: str = "1") -> Engine:
    engine = Engine(ZUOFENG, "staff", today=TODAY, started_at=NOW)
    while engine.current is not None:
        assert engine.answer(rating).ok
    return engine


def test_a_resubmission_keeps_the_rectification_log_found_on_disk(tmp_path: Path) -> None:
    store = ResponseStore(tmp_path, ZUOFENG, PERSON)
    first = submission().submit(PERSON.respondent(), now=NOW)
    store.submit(first)
    # rectify appended an entry after this run read the file
    on_disk = load_response(store.final_path)
    save_response(replace(on_disk, rectification=[entry("已起草制度")]), store.final_path)

    again = submission("2").submit(PERSON.respondent(), now=NOW, rectification=())
    written = store.submit(again)
    assert [e.note for e in written.rectification] == ["已起草制度"]
    stored = load_response(store.final_path)
    assert stored.answers["thinking-1"] == {"rating": "basic"}
    assert [e.note for e in stored.rectification] == ["已起草制度"]


def test_a_submission_waits_for_another_writer_and_loses_nothing(tmp_path: Path) -> None:
    store = ResponseStore(tmp_path, ZUOFENG, PERSON)
    store.submit(submission().submit(PERSON.respondent(), now=NOW))
    resubmission = submission("2").submit(PERSON.respondent(), now=NOW)
    done = threading.Event()

    def submit() -> None:
        store.submit(resubmission)
        done.set()

    with locked(store.final_path):  # another writer (rectify) holds the file
        worker = threading.Thread(target=submit)
        worker.start()
        time.sleep(0.3)
        assert not done.is_set(), "the submission waits for the lock"
        current = load_response(store.final_path)
        save_response(replace(current, rectification=[entry("台账已建立")]), store.final_path)
    worker.join(10)
    assert done.is_set()
    stored = load_response(store.final_path)
    assert stored.answers["thinking-1"] == {"rating": "basic"}
    assert [e.note for e in stored.rectification] == ["台账已建立"]


def test_drafts_are_written_as_the_engine_gives_them(tmp_path: Path) -> None:
    store = ResponseStore(tmp_path, ZUOFENG, PERSON)
    engine = Engine(ZUOFENG, "staff", today=TODAY, started_at=NOW)
    engine.answer("3")
    engine.answer("拖拉")
    store.save_draft(engine.draft(PERSON.respondent(), now=NOW))
    draft = store.load_draft()
    assert draft is not None and draft.status == "draft"
    assert draft.cursor == "thinking-1"
    assert draft.answers == {"thinking-1": {"rating": "some", "manifestation": "拖拉"}}
