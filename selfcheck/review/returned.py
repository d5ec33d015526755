"""What ``selfcheck run`` does with a material the committee sent back.

Two hooks, each a few lines at its call site:

- :func:`carry_history` (called by the run store while it writes a
  submission under the file's lock): a resubmission is the next draft
  (第 2 稿…) and keeps the review and verification history already on disk.
- :func:`show_return` and :func:`concerned_indices` (called by the terminal
  session when it finds the earlier submission): the reasons and the note
  are shown, and the walk is reopened on the items concerned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from selfcheck import clock, rules
from selfcheck.response import Response, replace
from selfcheck.review.record import concerned_items, latest_return

if TYPE_CHECKING:
    from selfcheck.engine import Engine
    from selfcheck.prompter import Prompter
    from selfcheck.response import ReviewEntry


def carry_history(on_disk: Response | None, response: Response) -> Response:
    """``response`` as the next draft of ``on_disk``, keeping the committee's records.

    The first submission is draft 1. Every later submission of the same file
    counts one more draft, and the reviews, verifications and ledger entries so far
    are kept (append-only: a resubmission never drops them).
    """
    if on_disk is None or on_disk.status != "submitted":
        return response
    return replace(
        response,
        draft_number=on_disk.draft_number + 1,
        reviews=list(on_disk.reviews),
        verifications=list(on_disk.verifications),
        ledger=list(on_disk.ledger),
    )


def draft_label(number: int) -> str:
    """``第 2 稿``."""
    return f"第 {number} 稿"


def return_lines(submitted: Response) -> list[tuple[str, str]]:
    """What a cadre is told of a return of ``submitted``, as (text, style); empty if none."""
    entry = latest_return(submitted)
    if entry is None:
        return []
    when = clock.minute(entry.recorded_at)
    lines = [
        (
            f"机关党委已退回您的对照检查材料（{draft_label(entry.draft)}），请修改后重新提交："
            f"{entry.reviewer} 于 {when} 退回。",
            "bold yellow",
        ),
        ("退回理由：" + "；".join(entry.reasons), "yellow"),
    ]
    if entry.note:
        lines.append(("审核意见：" + entry.note, "yellow"))
    lines.append((f"重新提交后为{draft_label(submitted.draft_number + 1)}。", "dim"))
    return lines


def show_return(prompter: Prompter, submitted: Response) -> ReviewEntry | None:
    """If ``submitted`` was sent back, say so with its reasons and note; the return entry."""
    for text, style in return_lines(submitted):
        prompter.say(text, style)
    return latest_return(submitted)


def concerned_indices(engine: Engine, entry: ReviewEntry, submitted: Response) -> list[int]:
    """The walk positions of the items a return concerns (the engine's item order).

    Items the reviewer named; when none were named, every item where the
    material states a problem (:func:`selfcheck.rules.states_problem`), or
    every item when it states none.
    """
    stated = [
        item.id
        for _, item in engine.items
        if rules.states_problem(item, submitted.answers.get(item.id) or {})
    ]
    wanted = concerned_items(entry, stated)
    indices = [i for i in (engine.index_of(item_id) for item_id in wanted) if i is not None]
    return sorted(indices) if indices else list(range(len(engine.items)))


def return_notice(submitted: Response) -> dict[str, object] | None:
    """What a page shows of a return of ``submitted`` (None when it was not sent back)."""
    entry = latest_return(submitted)
    if entry is None:
        return None
    return {
        "draft": draft_label(entry.draft),
        "next": draft_label(submitted.draft_number + 1),
        "reasons": list(entry.reasons),
        "note": entry.note,
        "reviewer": entry.reviewer,
        "when": clock.minute(entry.recorded_at),
        "items": list(entry.items),
    }
