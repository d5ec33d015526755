"""Options of ``selfcheck run`` and the small decisions made from them.

Shared by both drivers: the terminal walk (:mod:`selfcheck.run.session`) and
the answers-file driver (:mod:`selfcheck.run.noninteractive`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck.run.identity import Identity

if TYPE_CHECKING:
    from selfcheck.checklist.model import Checklist
    from selfcheck.run.answers_file import AnswersFile

OUT_ENV = "SELFCHECK_OUT"


@dataclass
class RunOptions:
    """Everything ``selfcheck run`` was told on the command line."""

    checklist: str | None = None
    out: Path | None = None
    answers: Path | None = None
    no_input: bool = False
    resume: bool | None = None
    formats: str = "md,html,docx"
    dirs: list[Path] = field(default_factory=list)
    name: str | None = None
    unit: str | None = None
    position: str | None = None
    role: str | None = None
    previous: Path | None = None
    """``--previous``: the person's response of the previous round (carry-forward)."""


def flag_identity(options: RunOptions) -> Identity:
    """The identity fields given as ``--name``, ``--unit``, ``--position``, ``--role``."""
    return Identity(
        name=options.name or "",
        unit=options.unit or "",
        position=options.position or "",
        role=options.role or "",
    )


def checklist_for(options: RunOptions, prefill: AnswersFile | None) -> Checklist:
    """--checklist, else the one the answers file names, else the default."""
    from selfcheck.checklist.registry import resolve_checklist

    ref = options.checklist or (prefill.checklist_id if prefill is not None else None)
    return resolve_checklist(ref, options.dirs)


def parse_formats(text: str | None) -> list[str]:
    """``md,html,docx`` -> list; ``none`` or empty -> no reports; unknown -> UsageError."""
    if text is None or text.strip().lower() in ("", "none", "无", "不生成"):
        return []
    from selfcheck.report.api import parse_formats as report_formats

    return report_formats([text])


def output_folder(options: RunOptions) -> Path:
    """--out, else $SELFCHECK_OUT, else the current folder (``~`` is the home folder)."""
    from selfcheck.paths import user_path

    if options.out is not None:
        return user_path(options.out)
    configured = os.environ.get(OUT_ENV, "").strip()
    return user_path(configured) if configured else Path(".")


def resume_command(options: RunOptions) -> str:
    """The command that continues this person's draft."""
    parts = ["selfcheck", "run"]
    if options.checklist:
        parts += ["--checklist", _quote(options.checklist)]
    if options.out is not None:
        parts += ["--out", _quote(str(options.out))]
    for flag in ("name", "unit", "position", "role"):
        value = getattr(options, flag)
        if value:
            parts += [f"--{flag}", _quote(value)]
    return " ".join(parts)


def _quote(text: str) -> str:
    if text and all(c.isalnum() or c in "-_./:\\" for c in text):
        return text
    return '"' + text.replace('"', '\\"') + '"'
