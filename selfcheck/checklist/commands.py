"""Library functions behind ``selfcheck checklist ...``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck.checklist.loader import validate_checklist_file
from selfcheck.checklist.registry import list_checklists

if TYPE_CHECKING:
    from rich.console import Console


def list_command(dirs: list[Path], console: Console) -> None:
    """Print every checklist found: id, version, title, item count, source path."""
    from rich.table import Table

    table = Table(title="可用的检查表", show_lines=False)
    for column in ("标识", "版本", "标题", "检查项", "文件"):
        table.add_column(column)
    for info in list_checklists(dirs):
        if info.error:
            table.add_row(info.id, "-", f"（无法读取：{info.error}）", "-", str(info.path), style="red")
        else:
            table.add_row(info.id, info.version, info.title, str(info.item_count), str(info.path))
    console.print(table)


def validate_command(paths: list[Path], console: Console) -> int:
    """Validate files; print every problem as FILE:LINE:COL: path: message. Returns the exit code."""
    failed = False
    for path in paths:
        report = validate_checklist_file(path)
        for warning in report.warnings:
            console.print(warning.format(), style="yellow", soft_wrap=True)
        if report.ok:
            assert report.checklist is not None
            c = report.checklist
            console.print(f"✓ {path}：{c.id} {c.version}，{len(c.sections)} 个章节，{c.item_count} 个检查项", style="green", soft_wrap=True)
        else:
            failed = True
            for problem in report.problems:
                console.print(problem.format(), soft_wrap=True)
    return 1 if failed else 0
