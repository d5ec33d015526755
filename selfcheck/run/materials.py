"""The 个人对照检查材料 written after a submission, by either driver."""

from __future__ import annotations

from typing import TYPE_CHECKING

from selfcheck.errors import SelfcheckError

if TYPE_CHECKING:
    from pathlib import Path

    from selfcheck.checklist.model import Checklist
    from selfcheck.response import Response


def write_reports(
    response: Response, checklist: Checklist, formats: list[str], folder: Path, response_path: Path
) -> list[Path]:
    """Render the personal report; a failure says the response itself is safe."""
    if not formats:
        return []
    from selfcheck.report.api import render_reports

    try:
        return render_reports(response, checklist, formats, folder, hanzi_date=False)
    except SelfcheckError as exc:
        raise SelfcheckError(
            f"答卷已保存到 {response_path}，但生成对照检查材料失败：{exc.message}\n"
            f"可稍后运行 selfcheck report {response_path} 重新生成。",
            exc.problems,
        ) from None
