"""The response file on disk, as rectify reads and changes it.

Recording goes through :func:`selfcheck.response.update_response`: the file
is re-read under its writer lock and every update is checked again against
that fresh content (another ``selfcheck rectify`` may have recorded an entry
meanwhile, or ``selfcheck run`` re-submitted), then appended and saved. A
second writer waits for the first, so no entry is ever lost; a check that
fails raises inside the lock and leaves the file untouched.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck.errors import ChecklistError, RectifyError, refused
from selfcheck.rectify.progress import (
    WHAT as PROGRESS_WHAT,
)
from selfcheck.rectify.progress import (
    Measure,
    StatusUpdate,
    append_entries,
    check_update,
    entry_for,
    list_measures,
    updates_from_sets,
)
from selfcheck.response import Response, load_response, update_response

if TYPE_CHECKING:
    from selfcheck.checklist.model import Checklist
    from selfcheck.rectify.evidence import Source

Plan = Callable[[Response, Sequence[Measure]], Sequence[StatusUpdate]]
"""Given the response read under the lock and its measures: the checked updates."""


@dataclass(frozen=True)
class Recorded:
    """What one save wrote: the response as saved and the updates appended."""

    response: Response
    updates: tuple[StatusUpdate, ...]


def _require_submitted(response: Response, path: Path) -> None:
    if response.status != "submitted":
        raise RectifyError(
            f"{path} 是尚未提交的草稿：请先用 selfcheck run 完成并提交对照检查，再记录整改进展。"
        )


def load_submitted(path: Path) -> Response:
    """The submitted response at ``path``; a draft is refused."""
    response = load_response(path)
    _require_submitted(response, path)
    return response


def checklist_for(response: Response, ref: str | None, dirs: Sequence[Path]) -> Checklist:
    """The checklist ``response`` was answered under; its content hash must match."""
    from selfcheck.checklist.loader import load_checklist
    from selfcheck.checklist.registry import find_checklist_path

    path = find_checklist_path(ref or response.checklist.id, list(dirs))
    checklist = load_checklist(path)
    expected = response.checklist
    if checklist.sha256 != expected.sha256:
        raise ChecklistError(
            f"答卷是按检查表 {expected.id}（版本 {expected.version}）填写的，"
            f"但找到的检查表 {path}（{checklist.id}，版本 {checklist.version}）内容不同。"
            "请用 --checklist 指定填写时使用的检查表文件。"
        )
    return checklist


def _require_same_checklist(response: Response, checklist: Checklist, path: Path) -> None:
    ref = response.checklist
    if ref.sha256 != checklist.sha256:
        raise ChecklistError(
            f"答卷文件 {path} 在此期间被重新提交，改为按检查表 {ref.id}（版本 {ref.version}）"
            "填写，与本次加载的检查表内容不同：本次进展没有保存，请重新运行 selfcheck rectify。"
        )


def record(path: Path, checklist: Checklist, plan: Plan, *, today: date) -> Recorded:
    """Under the file's lock: re-read, let ``plan`` check its updates, append them, save.

    Whatever ``plan`` (or a check here) raises leaves the file as it was.
    """
    appended: list[StatusUpdate] = []

    def change(current: Response) -> Response:
        _require_submitted(current, path)
        _require_same_checklist(current, checklist, path)
        updates = list(plan(current, list_measures(checklist, current, today=today)))
        appended[:] = updates
        if not updates:
            return current
        return append_entries(current, [entry_for(u) for u in updates])

    saved = update_response(path, change)
    return Recorded(saved, tuple(appended))


def record_sets(
    path: Path,
    checklist: Checklist,
    sets: Sequence[str],
    *,
    on: str | None,
    today: date,
    evidence: Sequence[Path] = (),
) -> Recorded:
    """Record every ``--set`` (all or none), checked against the file as it is now.

    ``evidence`` files (only with a single ``--set``) are checked first, then
    copied beside the response once the update has passed its checks
    (:mod:`selfcheck.rectify.evidence`).
    """
    from selfcheck.rectify import evidence as proofs

    if evidence and len(sets) != 1:
        raise RectifyError(
            refused(
                "--evidence 只能与一个 --set 一起使用（佐证材料属于哪一项要明确）", PROGRESS_WHAT
            )
        )
    sources = proofs.check_sources(list(evidence))

    def plan(current: Response, measures: Sequence[Measure]) -> list[StatusUpdate]:
        updates = updates_from_sets(
            measures, sets, on=on, today=today, checklist=checklist, role=current.respondent.role
        )
        if sources:
            stored = tuple(proofs.store_sources(path, sources))
            updates = [dataclasses.replace(u, evidence=stored) for u in updates]
        return updates

    return record(path, checklist, plan, today=today)


def record_update(
    path: Path,
    checklist: Checklist,
    update: StatusUpdate,
    *,
    today: date,
    sources: Sequence[Source] = (),
) -> Recorded:
    """Record one confirmed update of the walk, checked against the file as it is now.

    ``sources`` (checked evidence files) are copied beside the response once the
    update has passed its checks, as with ``--set --evidence``.
    """
    from selfcheck.rectify import evidence as proofs

    def plan(current: Response, measures: Sequence[Measure]) -> list[StatusUpdate]:
        check_update(
            measures, update, today=today, checklist=checklist, role=current.respondent.role
        )
        if not sources:
            return [update]
        return [dataclasses.replace(update, evidence=tuple(proofs.store_sources(path, sources)))]

    return record(path, checklist, plan, today=today)
