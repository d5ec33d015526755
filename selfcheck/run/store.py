"""Where one person's draft and submitted response for one checklist live.

``单位-姓名-CHECKLIST.draft.json`` is rewritten atomically (mode 0600) after
every answer; submitting writes ``单位-姓名-CHECKLIST.json`` and removes the
draft. A draft that no longer validates is set aside, never overwritten.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck import clock
from selfcheck.errors import ResponseError, UsageError
from selfcheck.response import (
    Answer,
    ChecklistRef,
    Respondent,
    Response,
    load_response,
    response_filename,
    save_response,
)

if TYPE_CHECKING:
    from selfcheck.checklist.model import Checklist
    from selfcheck.run.identity import Identity


def prune(answers: Mapping[str, Mapping[str, Answer]]) -> dict[str, dict[str, Answer]]:
    """A copy without unanswered questions or empty items."""
    out: dict[str, dict[str, Answer]] = {}
    for item_id, given in answers.items():
        kept: dict[str, Answer] = {
            q: v for q, v in given.items() if v is not None and v != [] and v != ""
        }
        if kept:
            out[item_id] = kept
    return out


def ensure_writable(folder: Path) -> None:
    """Refuse early, before anything is typed, when ``folder`` cannot take files."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"无法使用保存文件夹 {folder}：{exc.strerror or exc}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"保存文件夹 {folder} 没有写入权限：请用 --out 指定其他文件夹")


class ResponseStore:
    """The draft and response files of one respondent for one checklist in ``folder``."""

    def __init__(self, folder: Path, checklist: Checklist, identity: Identity) -> None:
        self.folder = folder
        self.checklist = checklist
        self.identity = identity
        unit, name = identity.unit, identity.name
        self.draft_path = folder / response_filename(unit, name, checklist.id, draft=True)
        self.final_path = folder / response_filename(unit, name, checklist.id)
        self.set_aside: Path | None = None

    def _respondent(self) -> Respondent:
        i = self.identity
        return Respondent(name=i.name, unit=i.unit, position=i.position, role=i.role)

    def _ref(self) -> ChecklistRef:
        c = self.checklist
        return ChecklistRef(id=c.id, version=c.version, sha256=c.sha256)

    def sweep_temp_files(self) -> None:
        """Remove temp files a killed process left next to this person's files."""
        for target in (self.draft_path, self.final_path):
            for leftover in self.folder.glob(f".{target.name}.*.tmp"):
                with contextlib.suppress(OSError):
                    leftover.unlink()

    def load_draft(self) -> Response | None:
        """The draft, if there is a valid one; an invalid one is renamed aside."""
        if not self.draft_path.exists():
            return None
        try:
            return load_response(self.draft_path)
        except ResponseError:
            stamp = clock.now().strftime("%Y%m%d-%H%M%S")
            aside = self.draft_path.with_name(f"{self.draft_path.name}.{stamp}.broken")
            with contextlib.suppress(OSError):
                self.draft_path.rename(aside)
                self.set_aside = aside
            return None

    def load_submitted(self) -> Response | None:
        """The submitted response, if there is one that validates."""
        if not self.final_path.exists():
            return None
        try:
            return load_response(self.final_path)
        except ResponseError:
            return None

    def save_draft(
        self,
        answers: Mapping[str, Mapping[str, Answer]],
        *,
        started_at: datetime,
        cursor: str | None,
    ) -> Response:
        """Write the draft atomically (0600) and return it."""
        response = Response(
            checklist=self._ref(),
            respondent=self._respondent(),
            status="draft",
            started_at=started_at,
            updated_at=clock.now(),
            answers=prune(answers),
            cursor=cursor,
        )
        save_response(response, self.draft_path)
        return response

    def submit(
        self,
        answers: Mapping[str, Mapping[str, Answer]],
        *,
        started_at: datetime,
        previous: Response | None = None,
        keep_draft: bool = False,
    ) -> Response:
        """Write the submitted response, keep any rectification history, drop the draft."""
        now = clock.now()
        response = Response(
            checklist=self._ref(),
            respondent=self._respondent(),
            status="submitted",
            started_at=started_at,
            updated_at=now,
            submitted_at=now,
            answers=prune(answers),
            cursor=None,
            rectification=list(previous.rectification) if previous is not None else [],
        )
        save_response(response, self.final_path)
        if not keep_draft:
            self.remove_draft()
        return response

    def remove_draft(self) -> None:
        """Delete the draft (after it has been superseded)."""
        with contextlib.suppress(FileNotFoundError):
            self.draft_path.unlink()
