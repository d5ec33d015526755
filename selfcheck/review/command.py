"""``selfcheck review``: the committee passes or returns a material, or lists a folder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text

from selfcheck import rules
from selfcheck.errors import ReviewError, not_recorded, refused
from selfcheck.review.reasons import load_reasons
from selfcheck.review.record import (
    WHAT as RECORD_WHAT,
)
from selfcheck.review.record import (
    ReviewRequest,
    record_review,
    require_submitted,
    status_of,
)
from selfcheck.review.returned import draft_label

if TYPE_CHECKING:
    from rich.console import Console

    from selfcheck.prompter import Prompter


def review_command(
    target: Path,
    *,
    console: Console,
    passed: bool = False,
    returned: bool = False,
    reasons: Sequence[str] = (),
    items: Sequence[str] = (),
    note: str | None = None,
    reviewer: str | None = None,
    list_all: bool = False,
    reasons_file: Path | None = None,
    dirs: Sequence[Path] = (),
    prompter: Prompter | None = None,
    ledger: str | None = None,
    source: str | None = None,
    kind: str | None = None,
    leader: str | None = None,
    similarity: bool = True,
) -> int:
    """``selfcheck review``: record a pass or a return (scripted or asked), or list a folder.

    Returns the exit code; every refusal raises :class:`ReviewError` before
    anything is written.
    """
    if list_all:
        from selfcheck.review.listing import build_listing, show_listing

        if passed or returned or reasons or note or items:
            raise ReviewError("--list 只列出清单，不能同时给出审核结论。")
        show_listing(console, build_listing([target], dirs, similarity))
        return 0
    if ledger is not None or source or kind or leader:
        return _ledger(target, ledger, source, kind, leader, reviewer, console, passed or returned)
    if target.is_dir():
        raise ReviewError(f"{target} 是文件夹：审核一份材料请指定答卷文件，列出清单请加 --list。")
    reason_list = load_reasons(reasons_file)
    if passed and returned:
        raise ReviewError(refused("--pass 和 --return 只能选一个", RECORD_WHAT))
    if passed or returned:
        decision = rules.REVIEW_PASS if passed else rules.REVIEW_RETURN
        request = ReviewRequest(decision, tuple(reasons), tuple(items), note or "", reviewer or "")
        saved = record_review(target, request, reason_list)
    else:
        if reasons or items:
            raise ReviewError(refused("--reason 和 --item 要与 --return 一起使用", RECORD_WHAT))
        from selfcheck.response import parse_response, read_file_bytes
        from selfcheck.review.interactive import ask_review
        from selfcheck.review.listing import Checklists, known_warnings

        raw = read_file_bytes(target)
        current = parse_response(raw, str(target))
        require_submitted(current, target)
        warnings = known_warnings(target, raw, current, Checklists(dirs))
        if prompter is None:
            from selfcheck.prompter import TerminalPrompter

            prompter = TerminalPrompter(console)
        with prompter.saving_nothing(not_recorded(RECORD_WHAT)):  # nothing is kept until 是
            result = ask_review(
                target,
                current,
                reason_list,
                prompter=prompter,
                reviewer=reviewer,
                warnings=warnings,
            )
        if result is None:
            return 0
        saved = result
    entry = saved.reviews[-1]
    status = status_of(saved)
    line = Text(f"已记录：{draft_label(entry.draft)}{status.label}", style="green")
    if entry.reasons:
        line.append("（" + "；".join(entry.reasons) + "）")
    line.append(f"，审核人 {entry.reviewer}，保存到 {target}")
    console.print(line, soft_wrap=True)
    return 0


def _ledger(
    target: Path,
    item: str | None,
    source: str | None,
    kind: str | None,
    leader: str | None,
    reviewer: str | None,
    console: Console,
    with_decision: bool,
) -> int:
    from selfcheck.review.ledger import ledger_values, record_ledger

    if item is None:
        raise ReviewError(
            refused("--source、--kind、--leader 要与 --ledger 检查项 一起使用", RECORD_WHAT)
        )
    if with_decision:
        raise ReviewError(refused("填写台账栏目与审核结论请分两次进行", RECORD_WHAT))
    saved = record_ledger(target, item, source=source, kind=kind, leader=leader, by=reviewer)
    values = ledger_values(item, saved.ledger)
    shown = "，".join(
        f"{label} {values[key]}"
        for key, label in (("source", "问题来源"), ("kind", "整改类型"), ("leader", "责任领导"))
        if key in values
    )
    console.print(Text(f"已记录检查项 {item} 的台账栏目：{shown}，保存到 {target}", style="green"))
    return 0
