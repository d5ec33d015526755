"""Where one person's draft and submitted response for one checklist live.

The one store both drivers of the walk engine save through.
``单位-姓名-CHECKLIST.draft.json`` is rewritten atomically (mode 0600) after
every answer; submitting writes ``单位-姓名-CHECKLIST.json`` and removes the
draft. A draft that no longer validates is set aside, never overwritten.
Replacing a submitted response holds the file's writer lock
(:func:`selfcheck.response.locked`) and keeps the rectification log found on
disk at that moment, so ``run`` and ``rectify`` on the same file never lose
an update.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck import clock
from selfcheck.atomicio import make_folder
from selfcheck.errors import ResponseError, UsageError, os_error_reason
from selfcheck.response import (
    Response,
    load_response,
    locked,
    replace,
    response_filename,
    save_response,
)

if TYPE_CHECKING:
    from selfcheck.checklist.model import Checklist
    from selfcheck.run.identity import Identity


def ensure_writable(folder: Path) -> None:
    """Refuse early, before anything is typed, when ``folder`` cannot take files."""
    try:
        make_folder(folder)
    except OSError as exc:
        raise UsageError(f"无法使用保存文件夹 {folder}：{os_error_reason(exc)}") from None
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

    def save_draft(self, draft: Response) -> None:
        """Write the draft atomically (0600)."""
        save_response(draft, self.draft_path)

    def submit(self, response: Response, *, keep_draft: bool = False) -> Response:
        """Write the submitted response under the file's lock, keeping the
        rectification log already on disk; drop the draft unless ``keep_draft``.

        Returns what was written.
        """
        with locked(self.final_path):
            current = self.load_submitted()
            if current is not None:
                response = replace(response, rectification=list(current.rectification))
            from selfcheck.review.returned import carry_history

            response = carry_history(current, response)  # next draft, review history kept
            save_response(response, self.final_path)
        if not keep_draft:
            self.remove_draft()
        return response

    def remove_draft(self) -> None:
        """Delete the draft (after it has been superseded)."""
        with contextlib.suppress(FileNotFoundError):
            self.draft_path.unlink()
