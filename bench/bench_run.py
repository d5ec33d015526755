"""Benchmark: every prompt answers instantly; autosave never makes the user wait.

Measured side by side in one process, alternating, on a full draft (15 items,
every one with a problem and long texts):

- autosave: ``ResponseStore.save_draft`` (validate, JSON, temp file, fsync,
  rename, folder fsync) against the floor: the same bytes written with
  ``Path.write_bytes`` plus one fsync;
- one answer: what happens between Enter and the next question (parse
  through the shared normaliser, visibility of follow-ups, autosave,
  printing the next question);
- the review: quality checks and the answers table.

    python bench/bench_run.py [--runs 50] [--folder DIR]

"Instant" is taken as under 100 ms (the usual threshold for a response to
feel immediate). Use ``--folder`` to measure on the disk where drafts live.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from selfcheck import rules
from selfcheck.checklist.registry import resolve_checklist
from selfcheck.console import make_console
from selfcheck.engine import Engine
from selfcheck.run.identity import Identity
from selfcheck.run.review import review_table
from selfcheck.run.store import ResponseStore
from selfcheck.run.walk import Walk
from selfcheck.testing import ScriptedPrompter

INSTANT_MS = 100.0
TODAY = date(2009, 1, 15)
LONG = "在办理群众来信时拖拉，去年有三件超过规定时限才答复，影响了群众办事。" * 6


def _full_answers(checklist) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return {
        item.id: {
            "rating": "some",
            "manifestation": LONG,
            "cause": LONG,
            "opinion": LONG,
            "measure": LONG,
            "deadline": "2009-06-30",
        }
        for _, item in checklist.items_for("leader")
    }


def _median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args()
    if args.folder is not None:
        args.folder.mkdir(parents=True, exist_ok=True)
        measure(args.folder, args.runs)
        return
    with tempfile.TemporaryDirectory(prefix="selfcheck-bench-") as folder:
        measure(Path(folder), args.runs)


def measure(folder: Path, runs: int) -> None:
    """Time the floor, autosave, one answer and the review in ``folder``; print medians."""
    checklist = resolve_checklist(None)
    identity = Identity("张三", "局办公室", "副局长", "leader")
    respondent = identity.respondent()
    store = ResponseStore(folder, checklist, identity)
    engine = Engine(checklist, "leader", today=TODAY, started_at=_now())
    assert not engine.load(_full_answers(checklist))
    store.save_draft(engine.draft(respondent, now=_now()))
    payload = store.draft_path.read_bytes()
    floor_path = folder / "floor.json"

    def autosave() -> None:
        store.save_draft(engine.draft(respondent, now=_now()))

    def floor() -> None:
        floor_path.write_bytes(payload)
        with open(floor_path, "rb+") as handle:
            os.fsync(handle.fileno())

    # one answer: Enter on the 整改时限 of the last item, autosave, then the next header
    console = make_console(file=io.StringIO(), width=100)
    prompter = ScriptedPrompter([], console)
    walk = Walk(prompter, engine, on_answer=autosave)
    last = len(engine.items) - 1
    _, last_item = engine.items[last]
    deadline = rules.question_for(last_item.questions, rules.DEADLINE)
    assert deadline is not None

    def one_answer() -> None:
        prompter.script = ["2009年6月30日"]
        prompter.position = 0
        step = engine.jump(last, deadline.id)
        assert step is not None
        value = walk.ask_question(step)
        engine.answer(value, item=last_item.id, question=deadline.id)
        walk.on_answer()
        walk.show_item(0)

    def review() -> None:
        engine.review()
        console.print(review_table(checklist, "leader", engine.answers))

    results: dict[str, list[float]] = {"autosave": [], "floor": [], "answer": [], "review": []}
    for _ in range(5):  # alternate in rounds so machine drift hits all alike
        results["floor"].append(_median_ms(floor, runs))
        results["autosave"].append(_median_ms(autosave, runs))
        results["answer"].append(_median_ms(one_answer, runs))
        results["review"].append(_median_ms(review, max(5, runs // 5)))
    med = {k: statistics.median(v) for k, v in results.items()}

    print(f"draft size: {len(payload) / 1024:.1f} KiB, {len(engine.items)} items, folder {folder}")
    rows = [
        ("floor (write_bytes + fsync)", "floor", ""),
        ("autosave (atomic+locked)", "autosave", f"{med['autosave'] / med['floor']:.2f}x floor"),
        ("one answer -> next question", "answer", f"{med['answer'] / INSTANT_MS:.2f} of 100 ms"),
        ("review (checks + table)", "review", f"{med['review'] / INSTANT_MS:.2f} of 100 ms"),
    ]
    for label, key, note in rows:
        print(f"{label:<30} median {med[key]:8.2f} ms   {note}")


def _now():  # type: ignore[no-untyped-def]
    from selfcheck import clock

    return clock.now()


if __name__ == "__main__":
    main()
