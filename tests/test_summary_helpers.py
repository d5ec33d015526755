"""Helpers for the summary tests: write response files and rosters (no tests here)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from selfcheck import rules
from selfcheck.response import ChecklistRef, RectifyEntry, Respondent, Response, save_response
from selfcheck.rules import Status

TZ = timezone(timedelta(hours=8))


def stamp(text: str) -> datetime:
    """``2008-12-20 10:00`` → an aware datetime (UTC+8)."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def make_response(
    checklist: Any,
    *,
    name: str,
    unit: str,
    role: str,
    ratings: dict[str, str] | None = None,
    default: str = "good",
    problems: dict[str, dict[str, str]] | None = None,
    submitted: str | None = "2008-12-20 10:00",
    progress: list[tuple[str, str, str, str]] | None = None,
    position: str = "",
) -> Response:
    """A response to ``checklist``: every item rated ``default`` unless ``ratings`` says otherwise.

    ``problems[item]`` holds the follow-up answers (problem, cause, opinion,
    measure, deadline) by meaning; ``progress`` is (item, status, date, recorded)
    rectification entries. ``submitted=None`` makes a draft.
    """
    ratings = ratings or {}
    problems = problems or {}
    answers: dict[str, dict[str, Any]] = {}
    for _section, item in checklist.items_for(role):
        rating = rules.rating_question(item.questions)
        given: dict[str, Any] = {rating.id: ratings.get(item.id, default)}
        for meaning, value in problems.get(item.id, {}).items():
            question = rules.question_for(item.questions, meaning)
            given[question.id] = value
        answers[item.id] = given
    entries = [
        RectifyEntry(
            item=i,
            status=Status(s),
            date=date.fromisoformat(d),
            note=f"{s}说明",
            recorded_at=stamp(r),
        )
        for i, s, d, r in progress or []
    ]
    when = stamp(submitted) if submitted else stamp("2008-12-01 09:00")
    return Response(
        checklist=ChecklistRef(id=checklist.id, version=checklist.version, sha256=checklist.sha256),
        respondent=Respondent(name=name, unit=unit, position=position, role=role),
        status="submitted" if submitted else "draft",
        started_at=when - timedelta(hours=1),
        updated_at=when,
        submitted_at=when if submitted else None,
        answers=answers,
        rectification=entries,
    )


def write(folder: Path, filename: str, response: Response) -> Path:
    """Save ``response`` as ``folder/filename``."""
    path = folder / filename
    folder.mkdir(parents=True, exist_ok=True)
    save_response(response, path)
    return path


def write_roster(path: Path, rows: list[list[str]], *, encoding: str = "utf-8-sig") -> Path:
    """A roster CSV with the header 姓名,单位,职务,类别."""
    lines = ["姓名,单位,职务,类别", *[",".join(r) for r in rows]]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def build_bureau(tmp_path: Path, checklist: Any) -> tuple[Path, Path]:
    """The hand-computed bureau of test_summary_figures: (responses folder, roster file)."""
    folder = tmp_path / "收集"
    write(
        folder / "办公室",
        "办公室-张三.json",
        make_response(
            checklist,
            name="张三",
            unit="办公室",
            role="staff",
            ratings={"work-2": "some"},
            problems={
                "work-2": {"problem": "办件拖拉", "measure": "建立台账", "deadline": "2009-01-10"}
            },
            submitted="2008-12-20 10:00",
        ),
    )
    write(
        folder / "办公室",
        "办公室-李四.json",
        make_response(
            checklist,
            name="李四",
            unit="办公室",
            role="leader",
            default="basic",
            ratings={"thinking-1": "serious", "leadership-2": "some"},
            problems={
                "thinking-1": {
                    "problem": "满足现状",
                    "opinion": "群众说脾气急",
                    "measure": "学习",
                    "deadline": "2009-03-31",
                },
                "leadership-2": {
                    "problem": "听取意见少",
                    "measure": "座谈",
                    "deadline": "2009-01-05",
                },
            },
            submitted="2008-12-21 10:00",
            progress=[
                ("thinking-1", "整改中", "2009-01-02", "2009-01-02 17:00"),
                ("leadership-2", "已完成", "2009-01-04", "2009-01-04 17:00"),
                ("thinking-1", "长期坚持", "2009-01-10", "2009-01-10 17:00"),
            ],
        ),
    )
    write(
        folder / "规划科" / "旧",
        "规划科-王五.json",
        make_response(
            checklist,
            name="王五",
            unit="规划科",
            role="staff",
            ratings={"study-1": "some"},
            problems={
                "study-1": {"problem": "学习少", "measure": "多学", "deadline": "2009-02-01"}
            },
            submitted="2008-12-10 10:00",
        ),
    )
    write(
        folder / "规划科",
        "规划科-王五.json",
        make_response(
            checklist, name="王五", unit="规划科", role="staff", submitted="2008-12-22 10:00"
        ),
    )
    write(
        folder / "规划科",
        "规划科-赵六.draft.json",
        make_response(checklist, name="赵六", unit="规划科", role="staff", submitted=None),
    )
    (folder / "规划科" / "损坏.json").write_bytes(b'{"schema_version": 1, "checklist": ')
    other = make_response(checklist, name="钱八", unit="规划科", role="staff")
    other.checklist.id = "liuxing-jiguan"
    write(folder / "规划科", "规划科-钱八-liuxing.json", other)
    roster = write_roster(
        tmp_path / "名单.csv",
        [
            ["张三", "办公室", "科员", "一般干部"],
            ["李四", "办公室", "主任", "领导干部"],
            ["孙七", "办公室", "科员", "一般干部"],
            ["王五", "规划科", "科员", "staff"],
            ["赵六", "规划科", "科员", "一般干部"],
        ],
    )
    return folder, roster
