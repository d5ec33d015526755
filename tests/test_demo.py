"""`selfcheck demo`: a deterministic, realistic synthetic bureau built with the real models."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import datetime
from pathlib import Path

from typer.testing import CliRunner

from selfcheck.cli import app
from selfcheck.response import load_response


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_same_seed_same_bureau_other_seed_other_bureau(tmp_path: Path) -> None:
    runner = CliRunner()
    for name, seed in (("a", "5"), ("b", "5"), ("c", "6")):
        result = runner.invoke(
            app, ["demo", str(tmp_path / name), "--people", "40", "--seed", seed]
        )
        assert result.exit_code == 0, result.output
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_demo_has_roster_drafts_missing_problems_and_progress(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["demo", str(tmp_path / "d"), "--people", "200", "--seed", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "selfcheck summary" in result.stdout
    roster_text = (tmp_path / "d" / "名单.csv").read_bytes()
    assert roster_text.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(roster_text.decode("utf-8-sig"))))
    assert rows[0] == ["姓名", "单位", "职务", "类别"]
    assert len(rows) == 201
    assert {r[3] for r in rows[1:]} == {"领导干部", "一般干部"}
    assert len({r[1] for r in rows[1:]}) >= 6
    responses = [load_response(p) for p in sorted((tmp_path / "d").rglob("*.json"))]
    drafts = [r for r in responses if r.status == "draft"]
    submitted = [r for r in responses if r.status == "submitted"]
    people = {(r.respondent.unit, r.respondent.name) for r in responses}
    assert drafts and submitted
    assert len(people) < 200  # some people sent nothing
    problems = [
        answers
        for r in submitted
        for answers in r.answers.values()
        if answers.get("rating") in ("some", "serious")
    ]
    assert len(problems) > 20
    texts = {a["manifestation"] for a in problems}
    assert len(texts) > len(problems) // 3  # varied text, not one sentence repeated
    deadlines = {a["deadline"] for a in problems}
    assert (
        min(deadlines) < "2009-01-15" < max(deadlines)
    )  # some past, some future (today fixed by conftest)
    assert any(r.rectification for r in submitted)


def test_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(app, ["demo", str(tmp_path), "--people", "5"])
    assert result.exit_code == 1
    assert "不是空的" in result.stderr
    assert (tmp_path / "x.txt").read_text(encoding="utf-8") == "keep me"


def test_progress_recorded_now_on_a_demo_response_is_its_latest(tmp_path: Path) -> None:
    """Trying the demo with a fixed today: no demo entry is stamped after now, so what one
    records with rectify becomes the current status (it seemed ignored before)."""
    from selfcheck import clock, rules

    runner = CliRunner()
    assert runner.invoke(app, ["demo", str(tmp_path / "d"), "--people", "60"]).exit_code == 0
    now = clock.now()
    files = [p for p in (tmp_path / "d").rglob("*.json") if not p.name.endswith(".draft.json")]
    responses = [(p, load_response(p)) for p in files]
    assert all(e.recorded_at <= now for _, r in responses for e in r.rectification)
    path, response = next((p, r) for p, r in responses if r.rectification)
    item = response.rectification[-1].item
    result = runner.invoke(app, ["rectify", str(path), "--no-input", "--set", f"{item}=长期坚持"])
    assert result.exit_code == 0, result.output
    latest = rules.latest_by_item(load_response(path).rectification)[item]
    assert latest.status is rules.Status.ONGOING


def test_each_measures_log_is_in_recording_order(tmp_path: Path) -> None:
    """As rectify appends them: the last entry of an item is its latest (two entries on
    one day once came out stamped backwards, so a file said 整改中 last and counted 未开始)."""
    result = CliRunner().invoke(app, ["demo", str(tmp_path / "d"), "--people", "200"])
    assert result.exit_code == 0, result.output
    logs = 0
    for path in (tmp_path / "d").rglob("*.json"):
        if path.name.endswith(".draft.json"):
            continue
        by_item: dict[str, list[datetime]] = {}
        for entry in load_response(path).rectification:
            by_item.setdefault(entry.item, []).append(entry.recorded_at)
        for stamps in by_item.values():
            logs += len(stamps) > 1
            assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps), path
    assert logs > 20  # enough multi-entry logs to have met the same-day case
