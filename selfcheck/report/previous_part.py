"""Part 一、上一轮查摆问题整改情况 of the personal report (a response with ``previous``).

Written from the cadre's statements (:class:`~selfcheck.response.PreviousRound`);
:mod:`selfcheck.report.model` lays it out first and renumbers the parts after it.
What a state means is asked of :mod:`selfcheck.rules`
(``CarryState.carries_over``, ``CARRIED_MARK``).
"""

from __future__ import annotations

from dataclasses import dataclass

from selfcheck import rules
from selfcheck.report.numerals import format_date
from selfcheck.report.text import as_one_paragraph, open_end, report_text, sentence
from selfcheck.response import CarriedProblem, PreviousRound

TITLE = "上一轮查摆问题整改情况"


@dataclass(frozen=True)
class PreviousContent:
    """The text of the part: an opening sentence, then (group title, points) by state."""

    intro: str
    groups: list[tuple[str, list[list[str]]]]


def previous_content(previous: PreviousRound | None) -> PreviousContent | None:
    """The part's text, or None when there is no previous round (or it had no problems)."""
    if previous is None or not previous.problems:
        return None
    problems = previous.problems
    counts = {s: sum(1 for p in problems if p.state is s) for s in rules.CARRY_STATES}
    stated = "，".join(f"{s.label}{n}项" for s, n in counts.items() if n) or "均未说明整改情况"
    when = f"（{format_date(previous.submitted_at.date())}提交）" if previous.submitted_at else ""
    intro = f"上一轮对照检查{when}中，本人共查摆问题{len(problems)}项。经对照整改，{stated}。"
    groups: list[tuple[str, list[list[str]]]] = []
    for state in rules.CARRY_STATES:
        mine = [_point(p) for p in problems if p.state is state]
        if mine:
            groups.append((f"{state.label}的问题", mine))
    unstated = [_point(p) for p in problems if p.state is None]
    if unstated:
        groups.append(("尚未说明整改情况的问题", unstated))
    return PreviousContent(intro, groups)


def _point(problem: CarriedProblem) -> list[str]:
    where = report_text(problem.section)
    aspect = where if where.endswith("方面") else f"{where}方面"
    text = open_end(as_one_paragraph(problem.problem)) or report_text(problem.label)
    paras = [f"{aspect}：{text}。"]
    measure = open_end(as_one_paragraph(problem.measure))
    if measure:
        limit = f"（整改时限：{format_date(problem.deadline)}）" if problem.deadline else ""
        paras[-1] += f"整改措施：{measure}{limit}。"
    paras[-1] += f"上一轮结束时整改状态：{problem.last_status.label}。"
    note = as_one_paragraph(problem.note)
    if note:
        paras[-1] += f"目前情况：{sentence(open_end(note))}"
    if problem.item is None:
        paras[-1] += "（该检查项在本轮检查表中已不再使用。）"
    elif problem.state is not None and problem.state.carries_over:
        if problem.removed:
            reason = open_end(as_one_paragraph(problem.removed))
            paras[-1] += f"经说明理由（{reason}），未列为本轮问题。"
        else:
            kept_to = problem.kept_deadline
            when = f"，本轮整改时限{format_date(kept_to)}" if kept_to is not None else ""
            paras[-1] += f"该问题已列入本轮查摆的问题（{rules.CARRIED_MARK}）{when}。"
    return paras
