"""Checking a review request and appending it to the response file, under its lock.

A review never changes the answers, the checklist reference or the draft
number: it appends one :class:`~selfcheck.response.ReviewEntry` stamped with
:func:`selfcheck.clock.now`. Every check runs again on the file as read under
the lock; whatever fails leaves the file byte-identical.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from selfcheck import clock, rules
from selfcheck.errors import ReviewError, refused, too_long
from selfcheck.response import Response, ReviewEntry, replace, update_response
from selfcheck.review.reasons import ReasonList
from selfcheck.textsafe import clean_text, one_line

NOTE_MAX_LENGTH = 1000
WHAT = "审核意见"
"""What a refused review leaves unrecorded (see :func:`selfcheck.errors.refused`)."""


@dataclass(frozen=True)
class ReviewRequest:
    """What the committee decided about one material, still as typed."""

    decision: str
    reasons: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    note: str = ""
    reviewer: str = ""


def clean_one_line(text: str, field: str, limit: int, what: str = WHAT) -> str:
    """Control characters removed, blanks collapsed; raise when longer than ``limit``
    (the message ends with :func:`~selfcheck.errors.refused` of ``what``, the refused record)."""
    value = one_line(text)
    if len(value) > limit:
        raise ReviewError(refused(too_long(limit, len(value), field), what))
    return value


def require_reviewer(text: str | None, what: str = WHAT) -> str:
    """The reviewer's name, which every committee record must carry."""
    name = clean_one_line(text or "", "审核人姓名", rules.REVIEWER_MAX_LENGTH, what)
    if not name:
        raise ReviewError(refused("请用 --reviewer 写明审核人姓名", what))
    return name


def self_review(respondent: str) -> str:
    """Why ``respondent`` may not review his own material."""
    return (
        f"审核人“{respondent}”就是这份材料的干部本人：材料须由干部本人以外的人审核"
        f"（{rules.SELF_REVIEW_HINT}）"
    )


def require_submitted(response: Response, path: Path, what: str = WHAT) -> None:
    """A draft gets no committee record: the cadre has not handed it in."""
    if response.status != "submitted":
        raise ReviewError(refused(f"{path} 是尚未提交的草稿：请等干部提交后再记录", what))


def entry_for(request: ReviewRequest, response: Response, reasons: ReasonList) -> ReviewEntry:
    """The checked entry for ``request`` on ``response``; raise :class:`ReviewError` if not."""
    reviewer = require_reviewer(request.reviewer)
    if rules.reviews_own_file(reviewer, response.respondent.name):
        raise ReviewError(refused(self_review(response.respondent.name), WHAT))
    note = clean_one_line(request.note, "审核意见", NOTE_MAX_LENGTH)
    if request.decision == rules.REVIEW_PASS:
        if request.reasons:
            raise ReviewError(refused("审核通过时不能同时给出退回理由", WHAT))
        labels: list[str] = []
    elif request.decision == rules.REVIEW_RETURN:
        if not request.reasons:
            raise ReviewError(
                refused(f"退回时请用 --reason 写明理由（可重复）。可选：{reasons.choices()}", WHAT)
            )
        try:
            labels = reasons.resolve(list(request.reasons))
        except ReviewError as exc:
            raise ReviewError(refused(exc.message, WHAT)) from None
    else:
        raise ReviewError(refused("请用 --pass（通过）或 --return（退回）给出审核结论", WHAT))
    unknown = [i for i in request.items if i not in response.answers]
    if unknown:
        known = "、".join(response.answers) or "（无）"
        raise ReviewError(
            refused(
                f"答卷中没有检查项 {'、'.join(clean_text(i) for i in unknown)}：可选 {known}", WHAT
            )
        )
    return ReviewEntry(
        decision="pass" if request.decision == rules.REVIEW_PASS else "return",
        draft=response.draft_number,
        reasons=labels,
        items=list(dict.fromkeys(request.items)),
        note=note,
        reviewer=reviewer,
        recorded_at=clock.now(),
    )


def record_review(path: Path, request: ReviewRequest, reasons: ReasonList) -> Response:
    """Append the review of ``request`` to the file at ``path`` (re-read under its lock)."""

    def change(current: Response) -> Response:
        require_submitted(current, path)
        entry = entry_for(request, current, reasons)
        return replace(current, reviews=[*current.reviews, entry])

    return update_response(path, change)


def status_of(response: Response) -> rules.ReviewStatus:
    """The review status of the response's current draft."""
    return rules.review_status(response.draft_number, response.reviews)


def latest_return(response: Response) -> ReviewEntry | None:
    """The return of the current draft, when that is its latest review."""
    if status_of(response) is not rules.ReviewStatus.RETURNED:
        return None
    return rules.latest_review(r for r in response.reviews if r.draft == response.draft_number)


def concerned_items(entry: ReviewEntry, stated: Sequence[str]) -> list[str]:
    """The items a return concerns: those named, else every item that states a problem."""
    return list(entry.items) if entry.items else list(stated)
