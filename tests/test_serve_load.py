"""300 simulated cadres save at once on loopback; SIGKILL; restart; nothing acknowledged lost.

Bounded: ``SELFCHECK_LOAD_SECONDS`` (default 10 s here; ``bench/bench_serve.py``
runs 60 s) of saves, each cadre pausing about a second between saves as the
page script does while typing, then a second burst cut by SIGKILL.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import threading
from datetime import date, datetime
from pathlib import Path

import pytest
from serve_kit import free_port, read_links, start_server, write_roster

from selfcheck.response import load_response, response_filename

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from serve_load import ITEMS, Cadre, answer_for, run_load

pytestmark = [pytest.mark.slow]

CADRES = 300
ITEM_IDS = [
    "thinking-1",
    "thinking-2",
    "thinking-3",
    "work-1",
    "work-2",
    "work-3",
    "work-4",
    "leadership-1",
    "leadership-2",
    "leadership-3",
    "leadership-4",
    "leadership-5",
    "leadership-6",
    "study-1",
    "study-2",
]
SEQ = re.compile(r"^第(\d+)次保存")


def roster_text() -> str:
    rows = ["姓名,单位,职务,类别"]
    rows += [f"干部{n:03d},第{n % 7}科,科长,领导干部" for n in range(CADRES)]
    return "\n".join(rows) + "\n"


def on_disk_matches(folder: Path, cadre: Cadre, unit: str) -> list[str]:
    """Every save acknowledged to ``cadre`` is in his draft (an unanswered one may be too)."""
    path = folder / response_filename(unit, cadre.name, "zuofeng-2008", draft=True)
    if not cadre.acked:
        return []
    answers = load_response(path).answers  # also proves the file is not torn
    wrong = []
    for item, seq in cadre.acked.items():
        given = answers.get(ITEM_IDS[item - 1], {})
        expected = answer_for(item, seq)
        if item % 2:
            found = SEQ.match(str(given.get("manifestation", "")))
            if found is None or int(found.group(1)) < seq:
                wrong.append(f"{cadre.name} item {item}: acked #{seq}, disk {given}")
        elif given.get("rating") != expected["a.rating"] and item != cadre.inflight:
            wrong.append(f"{cadre.name} item {item}: acked #{seq}, disk {given}")
    return wrong


def test_300_cadres_save_concurrently_then_sigkill_loses_nothing(tmp_path: Path) -> None:
    assert len(ITEM_IDS) == ITEMS
    seconds = float(os.environ.get("SELFCHECK_LOAD_SECONDS", "10"))
    roster = write_roster(tmp_path, roster_text())
    folder = tmp_path / "答卷"
    links_file = tmp_path / "链接.csv"
    port = free_port()
    server = start_server(folder, roster, links_file, port, tmp_path / "server.log")
    links = read_links(links_file)
    units = {f"干部{n:03d}": f"第{n % 7}科" for n in range(CADRES)}
    try:
        cadres = asyncio.run(run_load(links, "127.0.0.1", port, seconds, pause=1.0))
        errors = [e for c in cadres for e in c.errors]
        assert errors == []
        # Everyone kept saving while the others did: a concurrent load, not a throughput
        # figure (bench/bench_serve.py measures that; a busy machine answers slower).
        assert min(len(c.latencies) for c in cadres) >= min(3, seconds / 3)
        lost = [w for c in cadres for w in on_disk_matches(folder, c, units[c.name])]
        assert lost == []

        # A second burst, cut by SIGKILL in the middle.
        killer = threading.Timer(1.5, server.kill)
        burst = asyncio.run(
            run_load(
                links,
                "127.0.0.1",
                port,
                4.0,
                pause=0.05,
                seed=9,
                on_start=killer.start,
                first_seq=100_000,
            )
        )
        killer.join()
    finally:
        server.stop()
    assert sum(len(c.acked) for c in burst) > 0
    restarted = start_server(folder, roster, links_file, port, tmp_path / "server2.log")
    try:
        assert read_links(links_file) == links  # the same links work after a restart
        for before, after in zip(cadres, burst, strict=True):
            merged = Cadre(before.name, before.link)
            merged.acked = {**before.acked, **after.acked}
            merged.inflight = after.inflight  # sent when the server died: may have landed
            lost = on_disk_matches(folder, merged, units[before.name])
            assert lost == []
        check = asyncio.run(
            run_load(dict(list(links.items())[:5]), "127.0.0.1", port, 0.5, pause=0.1)
        )
        assert all(not c.errors for c in check)
    finally:
        restarted.stop()


def test_the_check_finds_an_acknowledged_save_missing_from_disk(tmp_path: Path) -> None:
    """The load test's verdict can fail: a draft older than the last acknowledged save."""
    from selfcheck.checklist.registry import resolve_checklist
    from selfcheck.engine import Engine
    from selfcheck.response import Respondent, save_response

    checklist = resolve_checklist(None)
    engine = Engine(checklist, "leader", today=date(2009, 1, 15))
    fields = answer_for(1, 3)
    engine.answer(fields["a.rating"], item="thinking-1", question="rating")
    engine.answer(fields["a.manifestation"], item="thinking-1", question="manifestation")
    who = Respondent(name="干部000", unit="第0科", role="leader")
    now = datetime(2009, 1, 15, 9, 0).astimezone()
    save_response(
        engine.draft(who, now=now),
        tmp_path / response_filename("第0科", "干部000", "zuofeng-2008", draft=True),
    )
    cadre = Cadre("干部000", "")
    cadre.acked = {1: 3}
    assert on_disk_matches(tmp_path, cadre, "第0科") == []
    cadre.acked = {1: 4}  # acknowledged a later save that is not on disk
    assert on_disk_matches(tmp_path, cadre, "第0科") != []
