"""Personal report rendering (个人对照检查材料). Placeholder until the report issue lands."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from selfcheck.errors import UsageError

if TYPE_CHECKING:
    from selfcheck.checklist.model import Checklist
    from selfcheck.response import Response


def render_reports(
    response: Response,
    checklist: Checklist,
    formats: Sequence[str],
    out_dir: Path,
    *,
    hanzi_date: bool = False,
) -> list[Path]:
    """Render the report in each of ``formats`` into ``out_dir``; return the written paths."""
    raise UsageError("报告功能尚未完成")


def report_command(response_path: Path, **options: Any) -> None:
    """``selfcheck report``."""
    raise UsageError("报告功能尚未完成")
