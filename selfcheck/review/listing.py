"""``selfcheck review DIR --list``: every submission, its status and what is already known.

For each submitted response under the folder: unit, name, review status
(待审核 / 已通过 / 已退回), which draft it is, and the warnings the tool
knows without a person reading it: the walk engine's quality warnings
(:func:`selfcheck.engine.quality_warnings`), a material that states no
problem at all, evidence files missing or changed since they were recorded,
and 雷同 bands from :mod:`selfcheck.similarity.review`
(:func:`similarity_warnings`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from selfcheck import rules
from selfcheck.errors import SelfcheckError
from selfcheck.response import Response, parse_response
from selfcheck.review.record import status_of
from selfcheck.review.returned import draft_label
from selfcheck.textsafe import one_line

if TYPE_CHECKING:
    from rich.console import Console

    from selfcheck.checklist.model import Checklist
    from selfcheck.summary.reader import BulkReader

STATUS_STYLES = {
    rules.ReviewStatus.PENDING: "yellow",
    rules.ReviewStatus.PASSED: "green",
    rules.ReviewStatus.RETURNED: "red",
}
NO_PROBLEM = "全部检查项都没有查摆出问题"


@dataclass
class Submission:
    """One submitted material as the review list shows it."""

    file: str
    unit: str
    name: str
    status: rules.ReviewStatus
    draft: int
    reviews: int
    warnings: list[str] = field(default_factory=list)


@dataclass
class Listing:
    """The review list of a folder."""

    submissions: list[Submission]
    drafts: int
    unreadable: list[str]
    superseded: int = 0
    """Earlier submissions of someone listed with a newer one (the summary counts only
    the newest, :func:`selfcheck.rules.submission_rank`), not listed."""

    def count(self, status: rules.ReviewStatus) -> int:
        """How many submissions have ``status``."""
        return sum(1 for s in self.submissions if s.status is status)


def similarity_warnings(paths: Sequence[Path]) -> Mapping[str, list[str]]:
    """雷同 warnings per file path (:func:`selfcheck.similarity.review.review_warnings`)."""
    from selfcheck.similarity.review import review_warnings

    return review_warnings(paths)


class Checklists:
    """Checklists by content hash, loaded once each (None: not found or different), and
    the summary's reader of each (compiled once)."""

    def __init__(self, dirs: Sequence[Path]) -> None:
        self.dirs = list(dirs)
        self._cache: dict[str, Checklist | None] = {}
        self._readers: dict[str, BulkReader] = {}

    def reader_for(self, checklist: Checklist) -> BulkReader:
        """The :class:`~selfcheck.summary.reader.BulkReader` the summary reads it with."""
        reader = self._readers.get(checklist.sha256)
        if reader is None:
            from selfcheck.summary.plan import plan_from_checklist
            from selfcheck.summary.reader import BulkReader

            reader = self._readers[checklist.sha256] = BulkReader(plan_from_checklist(checklist))
        return reader

    def for_response(self, response: Response) -> Checklist | None:
        """The checklist ``response`` was made with (by id, same content hash), or None
        when it is not found or has changed since; looked up once per content hash."""
        ref = response.checklist
        if ref.sha256 not in self._cache:
            from selfcheck.checklist.loader import load_checklist
            from selfcheck.checklist.registry import find_checklist_path

            try:
                found: Checklist | None = load_checklist(find_checklist_path(ref.id, self.dirs))
            except SelfcheckError:
                found = None
            if found is not None and found.sha256 != ref.sha256:
                found = None
            self._cache[ref.sha256] = found
        return self._cache[ref.sha256]


def known_warnings(path: Path, raw: bytes, response: Response, checklists: Checklists) -> list[str]:
    """Whether the summary will count it, quality warnings, 没有查摆出问题 and evidence
    problems of one submission (``raw``: its bytes, as the summary will read them)."""
    from selfcheck.rectify.evidence import evidence_problems

    out: list[str] = []
    checklist = checklists.for_response(response)
    if checklist is None:
        out.append("找不到填写时使用的检查表（或内容不同），未检查材料质量")
    else:
        from selfcheck.engine import quality_warnings
        from selfcheck.summary.reader import summary_warning

        uncounted = summary_warning(raw, str(path), checklists.reader_for(checklist))
        if uncounted is not None:
            out.append(uncounted)
        role = response.respondent.role
        for warning in quality_warnings(checklist, role, response.answers):
            out.append(NO_PROBLEM if warning.finds_nothing else warning.format())
    out.extend(evidence_problems(path, response.rectification))
    return out


def build_listing(
    paths: Sequence[Path], dirs: Sequence[Path] = (), similarity: bool = True
) -> Listing:
    """Read every response under ``paths``; drafts are counted, not listed.

    ``similarity`` False (``--no-similarity``): no 雷同检查."""
    from selfcheck.folder import FolderReadError, discover, read_limited
    from selfcheck.summary.reader import clean_unit
    from selfcheck.summary.roster import person_key

    found, _, _ = discover(list(paths))
    checklists = Checklists(dirs)
    unreadable: list[str] = []
    drafts = 0
    newest: dict[str, tuple[tuple[float, str], int, Path, Submission]] = {}
    superseded = 0
    for order, (real, display) in enumerate(found):
        try:
            raw = read_limited(real)
            response = parse_response(raw, display)
        except (FolderReadError, SelfcheckError):
            unreadable.append(display)
            continue
        if response.status != "submitted" or response.submitted_at is None:
            drafts += 1
            continue
        key = person_key(
            clean_unit(response.respondent.unit), rules.clean_name(response.respondent.name)
        )
        rank = rules.submission_rank(response.submitted_at, display)
        earlier = newest.get(key)
        if earlier is not None:
            superseded += 1
            if rank <= earlier[0]:
                continue
        path = Path(real)
        submission = Submission(
            file=display,
            unit=one_line(response.respondent.unit),
            name=one_line(response.respondent.name),
            status=status_of(response),
            draft=response.draft_number,
            reviews=len(response.reviews),
            warnings=known_warnings(path, raw, response, checklists),
        )
        newest[key] = (rank, order, path, submission)
    kept = sorted(newest.values(), key=lambda entry: entry[1])  # in folder order
    bands = similarity_warnings([path for _, _, path, _ in kept]) if similarity else {}
    for _, _, path, submission in kept:
        submission.warnings.extend(bands.get(str(path), []))
    return Listing([s for _, _, _, s in kept], drafts, unreadable, superseded)


def show_listing(console: Console, listing: Listing) -> None:
    """The table (one row a material), the counts per status, then every warning in full."""
    table = Table(title="对照检查材料审核清单")
    for name in ("序号", "单位", "姓名", "状态", "稿次", "审核次数", "提醒"):
        table.add_column(name, justify="right" if name in ("序号", "审核次数") else "left")
    for n, s in enumerate(listing.submissions, start=1):
        table.add_row(
            Text(str(n)),
            Text(s.unit),
            Text(s.name),
            Text(s.status.label, style=STATUS_STYLES[s.status]),
            Text(draft_label(s.draft)),
            Text(str(s.reviews)),
            Text(f"{len(s.warnings)} 条", style="yellow") if s.warnings else Text("—", style="dim"),
        )
    console.print(table)
    counts = "，".join(f"{st.label} {listing.count(st)}" for st in rules.REVIEW_STATUSES)
    console.print(Text(f"共 {len(listing.submissions)} 份已提交的材料：{counts}。"), soft_wrap=True)
    if listing.drafts:
        console.print(Text(f"另有 {listing.drafts} 份草稿尚未提交，未列出。", style="dim"))
    if listing.superseded:
        console.print(
            Text(
                f"另有 {listing.superseded} 份是同一人较早的提交，以最新一份为准，未列出"
                "（与汇总的计数相同）。",
                style="dim",
            )
        )
    for file in listing.unreadable:
        console.print(Text(f"无法读取（不是有效的答卷）：{file}", style="red"), soft_wrap=True)
    for n, s in enumerate(listing.submissions, start=1):
        console.print()
        console.print(Text(f"{n}. {s.unit} {s.name}：{s.file}", style="bold"), soft_wrap=True)
        for warning in s.warnings:
            console.print(Text(f"   · {warning}", style="yellow"), soft_wrap=True)
        if not s.warnings:
            console.print(Text("   没有已知的提醒。", style="dim"))
