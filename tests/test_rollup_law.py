"""The roll-up law: rollup(summary(A), summary(B)) == summary(A ∪ B) for disjoint A and B.

Files are drawn from a small pool of people so that the same person often
appears on both sides, with drafts, older and newer submissions, identical
timestamps, problems, deadlines on both sides of today and rectification
progress. Equality is of the whole summary JSON, lists compared as multisets.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_summary_helpers import make_response, stamp, write, write_roster

from selfcheck.checklist.registry import resolve_checklist
from selfcheck.console import make_console
from selfcheck.response import ReviewEntry, VerifyEntry
from selfcheck.summary.api import rollup_command, summary_command

PEOPLE = [
    ("甲单位", "张一", "staff"),
    ("甲单位", "李二", "leader"),
    ("乙单位", "王三", "staff"),
    ("乙单位", "赵四", "staff"),
]
ITEMS = ["thinking-1", "work-2", "study-1", "leadership-3"]
RATINGS = ["good", "basic", "some", "serious"]
STATUSES = ["整改中", "已完成", "长期坚持", "未开始"]

file_strategy = st.fixed_dictionaries(
    {
        "person": st.integers(0, len(PEOPLE) - 1),
        "draft": st.booleans(),
        "day": st.integers(1, 4),
        "ratings": st.dictionaries(st.sampled_from(ITEMS), st.sampled_from(RATINGS), max_size=3),
        "deadline": st.sampled_from(["2009-01-01", "2009-01-14", "2009-01-15", "2009-03-01"]),
        "progress": st.lists(
            st.tuples(st.sampled_from(ITEMS), st.sampled_from(STATUSES), st.integers(1, 9)),
            max_size=3,
        ),
        "side": st.booleans(),
        # the committee's records: which draft, reviews (decision, of draft, hour), verifications
        "drafts": st.integers(1, 3),
        "reviews": st.lists(
            st.tuples(st.sampled_from(["pass", "return"]), st.integers(1, 3), st.integers(1, 9)),
            max_size=2,
        ),
        "verify": st.lists(
            st.tuples(st.sampled_from(ITEMS), st.booleans(), st.integers(1, 9)), max_size=2
        ),
    }
)


def _write_files(root: Path, checklist: Any, files: list[dict[str, Any]]) -> tuple[Path, Path]:
    a, b = root / "A", root / "B"
    a.mkdir()
    b.mkdir()
    for n, spec in enumerate(files):
        unit, name, role = PEOPLE[spec["person"]]
        applicable = {i.id for _, i in checklist.items_for(role)}
        ratings = {k: v for k, v in spec["ratings"].items() if k in applicable}
        problems = {
            k: {"problem": f"问题{n}", "measure": f"措施{n}", "deadline": spec["deadline"]}
            for k, v in ratings.items()
            if v in ("some", "serious")
        }
        progress = [
            (item, status, f"2009-01-0{day}", f"2009-01-0{day} 1{n % 10}:00")
            for item, status, day in spec["progress"]
            if item in applicable
        ]
        response = make_response(
            checklist,
            name=name,
            unit=unit,
            role=role,
            ratings=ratings,
            problems=problems,
            submitted=None if spec["draft"] else f"2008-12-2{spec['day']} 10:00",
            progress=progress,
        )
        response = msgspec.structs.replace(
            response,
            draft_number=spec["drafts"],
            reviews=[
                ReviewEntry(
                    decision=d, draft=k, reviewer="审核人", recorded_at=stamp(f"2009-01-0{h} 09:00")
                )
                for d, k, h in spec["reviews"]
            ],
            verifications=[
                VerifyEntry(
                    item=i,
                    decision="accept" if ok else "reject",
                    reviewer="核验人",
                    recorded_at=stamp(f"2009-01-0{h} 12:00"),
                )
                for i, ok, h in spec["verify"]
            ],
        )
        write(a if spec["side"] else b, f"{n}-{unit}-{name}.json", response)
    return a, b


def _normal(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    for key in ("records", "skipped", "drafts", "roster", "conditions"):
        if isinstance(data.get(key), list):
            data[key] = sorted(
                data[key], key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False)
            )
    return data


def _summary(
    paths: list[Path], out: Path, roster: Path | None, anonymize: bool, **options: Any
) -> None:
    """``summary PATHS -o OUT`` as JSON; ``options`` override the other arguments."""
    arguments: dict[str, Any] = {
        "roster": roster,
        "checklist_ref": None,
        "unit": None,
        "role": None,
        "anonymize": anonymize,
        "fmt": "json",
        "output": out,
        "dirs": [],
        "console": make_console(),
    }
    summary_command(paths, **{**arguments, **options})


def _check_law(files: list[dict[str, Any]], *, with_roster: bool, anonymize: bool) -> None:
    checklist = resolve_checklist(None)
    root = Path(tempfile.mkdtemp())
    try:
        a, b = _write_files(root, checklist, files)
        roster = None
        if with_roster:
            labels = {"staff": "一般干部", "leader": "领导干部"}
            rows = [[n, u, "科员", labels[r]] for u, n, r in PEOPLE[:3]] + [
                ["孙五", "乙单位", "科员", "一般干部"]
            ]
            roster = write_roster(root / "名单.csv", rows)
        _summary([a], root / "a.json", roster, anonymize)
        _summary([b], root / "b.json", roster, anonymize)
        _summary([a, b], root / "ab.json", roster, anonymize)
        rollup_command(
            [root / "a.json", root / "b.json"],
            fmt="json",
            output=root / "rolled.json",
            console=make_console(),
        )
        assert _normal(root / "rolled.json") == _normal(root / "ab.json")
    finally:
        shutil.rmtree(root)


LAW = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@LAW
@given(st.lists(file_strategy, max_size=8))
def test_rollup_of_two_summaries_equals_summary_of_all_files(files: list[dict[str, Any]]) -> None:
    _check_law(files, with_roster=False, anonymize=False)


@settings(max_examples=12, deadline=None)
@given(st.lists(file_strategy, min_size=1, max_size=8))
def test_law_holds_with_a_roster(files: list[dict[str, Any]]) -> None:
    _check_law(files, with_roster=True, anonymize=False)


@settings(max_examples=8, deadline=None)
@given(st.lists(file_strategy, min_size=1, max_size=6))
def test_law_holds_when_anonymised(files: list[dict[str, Any]]) -> None:
    _check_law(files, with_roster=True, anonymize=True)


def test_rollup_refuses_summaries_of_different_checklists(
    tmp_path: Path, zuofeng: Any, liuxing_path: Path
) -> None:
    from selfcheck.errors import SummaryError

    folder = tmp_path / "r"
    write(folder, "a.json", make_response(zuofeng, name="张一", unit="甲单位", role="staff"))
    _summary([folder], tmp_path / "a.json", None, False)
    _summary([folder], tmp_path / "b.json", None, False, checklist_ref=str(liuxing_path))
    with pytest.raises(SummaryError, match="检查表不同"):
        rollup_command(
            [tmp_path / "a.json", tmp_path / "b.json"],
            fmt="json",
            output=None,
            console=make_console(),
        )


@settings(max_examples=8, deadline=None)
@given(st.lists(file_strategy, min_size=1, max_size=6))
def test_the_report_of_a_rollup_is_the_report_of_all_files(files: list[dict[str, Any]]) -> None:
    """The 整改落实情况报告 a 局 writes from its units' summaries (``rollup --format
    report``, with its own 主送 and 落款) is the one ``summary`` writes over every file."""
    from selfcheck.summary.close_options import CloseOptions

    checklist = resolve_checklist(None)
    root = Path(tempfile.mkdtemp())
    close = CloseOptions(addressee="市委", signer="市局机关党委")
    try:
        a, b = _write_files(root, checklist, files)
        _summary([a], root / "a.json", None, False)
        _summary([b], root / "b.json", None, False)
        _summary([a, b], root / "all.md", None, False, fmt="report", close=close)
        rollup_command(
            [root / "a.json", root / "b.json"],
            fmt="report",
            output=root / "rolled.md",
            console=make_console(),
            close=close,
        )
        rolled = (root / "rolled.md").read_text(encoding="utf-8")
        assert rolled == (root / "all.md").read_text(encoding="utf-8")
        assert "\n市委：\n" in rolled and "市局机关党委<br>" in rolled
    finally:
        shutil.rmtree(root)


def test_a_rollup_of_unit_summaries_names_the_units_in_one_condition(
    tmp_path: Path, zuofeng: Any
) -> None:
    """Two summaries made with --unit, rolled up, cover both units: the header says
    单位：甲单位、乙单位, not 单位：甲单位 · 单位：乙单位 (as if both filters applied)."""
    from selfcheck.summary.aggregate import Filters

    folder = tmp_path / "r"
    for unit, name in (("甲单位", "张一"), ("乙单位", "王三")):
        write(folder, f"{name}.json", make_response(zuofeng, name=name, unit=unit, role="staff"))
    for unit, out in (("乙单位", "b.json"), ("甲单位", "a.json")):
        _summary([folder], tmp_path / out, None, False, unit=unit)
    rollup_command(
        [tmp_path / "a.json", tmp_path / "b.json"],
        fmt="json",
        output=tmp_path / "all.json",
        console=make_console(),
    )
    rolled = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert rolled["conditions"] == ["单位：甲单位、乙单位"]
    assert Filters.merged([["单位：甲", "类别：领导干部"], ["单位：乙", "类别：领导干部"]]) == [
        "单位：甲、乙",
        "类别：领导干部",
    ]
    # a summary of everyone in the roll-up: no 单位 condition holds for the whole
    assert Filters.merged([["单位：甲", "类别：领导干部"], ["类别：领导干部"]]) == [
        "类别：领导干部"
    ]
