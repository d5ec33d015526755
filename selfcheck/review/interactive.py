"""``selfcheck review FILE`` without a decision: the committee decides through the prompter.

Every question goes through the project's one prompting seam
(:mod:`selfcheck.prompter`), so tests drive it with scripted answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck import rules
from selfcheck.errors import UNCHANGED, Interrupted, not_recorded
from selfcheck.review.reasons import ReasonList
from selfcheck.review.record import (
    NOTE_MAX_LENGTH,
    WHAT,
    ReviewRequest,
    record_review,
    self_review,
    status_of,
)
from selfcheck.review.returned import draft_label

if TYPE_CHECKING:
    from selfcheck.prompter import Prompter
    from selfcheck.response import Response

DECISIONS = ("通过", "退回重新修改", "暂不审核")
DONE_CHOOSING = "（理由选好了）"


def show_material(prompter: Prompter, response: Response, warnings: list[str]) -> None:
    """Who, which draft, where it stands, earlier reviews and the known warnings."""
    person = response.respondent.describe()
    prompter.say(
        f"审核对照检查材料：{person}（{draft_label(response.draft_number)}，"
        f"{status_of(response).label}）",
        "bold",
    )
    for entry in response.reviews:
        verdict = "通过" if entry.decision == rules.REVIEW_PASS else "退回"
        line = f"  {draft_label(entry.draft)}：{entry.reviewer} {verdict}"
        if entry.reasons:
            line += "：" + "；".join(entry.reasons)
        if entry.note:
            line += f"（{entry.note}）"
        prompter.say(line, "dim")
    if warnings:
        prompter.say(f"已知的提醒（{len(warnings)} 条）：", "yellow")
        for warning in warnings:
            prompter.say("  · " + warning, "yellow")


def ask_review(
    path: Path,
    response: Response,
    reasons: ReasonList,
    *,
    prompter: Prompter,
    reviewer: str | None,
    warnings: list[str],
) -> Response | None:
    """Ask for the decision and record it; None when the reviewer left it for later."""
    show_material(prompter, response, warnings)
    try:
        choice = prompter.choose("审核结论", list(DECISIONS), default=None)
        if choice == 2:
            prompter.say(f"未作审核，{UNCHANGED}。")
            return None
        chosen: list[str] = []
        if choice == 1:
            labels = [r.label for r in reasons.reasons]
            help_text = "；".join(
                f"{r.label}：{r.help}" if r.help else r.label for r in reasons.reasons
            )
            while True:
                options = [*labels, DONE_CHOOSING] if chosen else labels
                label = (
                    f"退回理由（已选 {len(chosen)} 条，还可再选一条，或选“{DONE_CHOOSING}”）"
                    if chosen
                    else "退回理由（每次选一条，可以选几条）"
                )
                picked = prompter.choose(label, options, help=help_text)
                if picked == len(labels):
                    break
                if labels[picked] not in chosen:
                    chosen.append(labels[picked])
                prompter.say("已选：" + "；".join(chosen), "dim")
        note = (
            prompter.ask_text("审核意见（可不填）", required=False, max_length=NOTE_MAX_LENGTH)
            or ""
        )
        longest = rules.REVIEWER_MAX_LENGTH
        name = reviewer or ""
        while not name or rules.reviews_own_file(name, response.respondent.name):
            if name:
                prompter.say(self_review(response.respondent.name), "yellow")
            name = prompter.ask_text("审核人姓名", max_length=longest) or ""
        verdict = "通过" if choice == 0 else "退回：" + "；".join(chosen)
        if not prompter.confirm(f"记录审核意见（{verdict}）？", default=True):
            prompter.say(f"{not_recorded(WHAT)}。")
            return None
    except (KeyboardInterrupt, EOFError):
        prompter.console.print()
        raise Interrupted(f"已中断，{not_recorded(WHAT)}。") from None
    decision = rules.REVIEW_PASS if choice == 0 else rules.REVIEW_RETURN
    request = ReviewRequest(decision, tuple(chosen), (), note, name)
    return record_review(path, request, reasons)
