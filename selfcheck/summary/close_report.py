"""The committee's 整改落实情况报告 (``summary DIR --format report``).

Laid out from a finished :class:`~selfcheck.summary.view.SummaryView`: every
figure is one the summary code computed (participation, problems by section
with 占比, the 整改落实 columns of :func:`selfcheck.rules.completion_of` per
unit and in total, overdue measures, 回头看). The result is a
:class:`~selfcheck.report.model.ReportView` (parts, groups, points), so the
personal report's machinery renders it: the Word writer with its GB/T 9704
page setup and fonts, and Jinja templates (``close_report.html.j2`` extends
``report.html.j2``; a user's ``--template`` renders sandboxed). Templates get
the figures too, as ``close`` (:class:`CloseFigures`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from selfcheck import rules
from selfcheck.errors import UsageError
from selfcheck.report.model import (
    CampaignView,
    Group,
    Point,
    ReportView,
    RespondentView,
    Signature,
    make_part,
)
from selfcheck.report.numerals import format_date, group_number, point_ordinal
from selfcheck.report.text import as_one_paragraph, open_end, report_text
from selfcheck.summary.close_options import CloseOptions
from selfcheck.summary.figures import (
    TOTAL,
    CompletionFigure,
    Figures,
    Participation,
    RecheckFigure,
    RectifyFigure,
    SectionFigure,
)
from selfcheck.summary.textfmt import pct
from selfcheck.summary.view import LedgerRow, SummaryView
from selfcheck.summary.year_over_year import Comparison

FORMATS = ("docx", "html", "md")
TEMPLATES = {"html": "close_report.html.j2", "md": "close_report.md.j2"}
DEFAULT_ADDRESSEE = "局党组"
DEFAULT_SIGNER = "局机关党委"
NEXT_STEPS_PLACEHOLDER = (
    "（此处由机关党委填写下一步工作打算：如何巩固整改成果、建立长效机制、"
    "对未完成和反弹的问题如何跟踪督办。）"
)
CLOSING = "特此报告。"


@dataclass(frozen=True)
class CloseFigures:
    """The figures the report states (for custom templates); all from the summary."""

    as_of: date
    respondents: int
    participation: Participation
    problems: int
    sections: list[SectionFigure]
    completion: list[CompletionFigure]
    """Per unit, then 合计 last."""
    rectify: list[RectifyFigure]
    rechecks: list[RecheckFigure]
    overdue: list[LedgerRow]
    verified: int | None = None
    """已完成 measures closed by the committee (对账销号), when that data exists."""
    units: list[str] = field(default_factory=list)
    comparison: Comparison | None = None
    """This round against the last (``--compare-with``), else None."""


@dataclass(frozen=True)
class CloseReport:
    """The layout (a :class:`ReportView`) and the figures behind it."""

    layout: ReportView
    figures: CloseFigures


def percent(value: float | None) -> str:
    """``98.71%`` (two decimals, as such reports print rates); ``—`` when undefined."""
    return pct(value, 2)


def _total(rows: list[Any]) -> Any:
    return next(r for r in rows if r.unit == TOTAL)


def _per_unit(rows: list[Any]) -> list[Any]:
    return [r for r in rows if r.unit != TOTAL]


def _title_lines(title: str) -> list[str]:
    if len(title) <= 20:
        return [title]
    cut = title.rfind("整改落实情况")
    return [title[:cut], title[cut:]] if cut > 0 else [title]


def build_close_report(
    view: SummaryView,
    *,
    addressee: str = DEFAULT_ADDRESSEE,
    signer: str = DEFAULT_SIGNER,
    hanzi_date: bool = False,
    comparison: Comparison | None = None,
) -> CloseReport:
    """The 整改落实情况报告 of ``view`` (dated the summary's today); ``comparison`` (with
    ``--compare-with``) adds a part comparing this round with the last."""
    figures = view.figures
    today = view.today
    campaign = report_text(view.plan.campaign) or report_text(view.plan.title)
    addressee = report_text(addressee) or DEFAULT_ADDRESSEE
    signer = report_text(signer) or DEFAULT_SIGNER
    close = CloseFigures(
        as_of=today,
        respondents=figures.respondents,
        participation=_total(figures.participation),
        problems=figures.problems,
        sections=figures.sections,
        completion=figures.completion,
        rectify=figures.rectify,
        rechecks=figures.rechecks,
        overdue=view.overdue,
        verified=_verified(figures),
        units=list(figures.unit_order),
        comparison=comparison,
    )
    as_of = format_date(today)
    blocks: list[tuple[str, str, list[str], list[Group]]] = [
        ("participation", "基本情况", _participation(view, close), []),
        ("problems", "查摆问题情况", _problems(close), []),
        ("completion", "整改落实情况", *_completion(close, as_of)),
        ("overdue", "逾期未完成的问题", *_overdue(close)),
        ("recheck", "回头看情况", *_recheck(close)),
    ]
    if comparison is not None:
        blocks.append(("comparison", "与上一轮比较", *_comparison(comparison)))
    blocks.append(("next", "下一步工作", [NEXT_STEPS_PLACEHOLDER], []))
    parts = []
    for n, (kind, title, paragraphs, groups) in enumerate(blocks, start=1):
        parts.append(make_part(kind, n, title, paragraphs, groups))
    title = f"关于{campaign}整改落实情况的报告"
    opening = (
        f"按照{campaign}的部署要求，各单位干部对照检查、查摆问题，对查摆出的问题逐项制定"
        f"整改措施、明确整改时限，建立整改台账，逐项跟踪落实。现将截至{as_of}的"
        "整改落实情况报告如下："
    )
    layout = ReportView(
        title=title,
        title_lines=_title_lines(title),
        byline="",
        respondent=RespondentView(name=signer, unit=signer, position="", role="", role_label=""),
        campaign=CampaignView(campaign, signer, "", "", "", "", "", ""),
        checklist_id=view.plan.id,
        checklist_title=report_text(view.plan.title),
        checklist_version=view.plan.version,
        rubrics=[s.heading for s in figures.sections],
        opening=opening,
        sections=[],
        parts=parts,
        closing=CLOSING,
        signature=Signature(
            name=signer, date=today, date_text=format_date(today, hanzi=hanzi_date)
        ),
        draft=False,
        problem_count=figures.problems,
        addressee=f"{addressee}：",
    )
    return CloseReport(layout, close)


def _verified(figures: Figures) -> int | None:
    """已销号 among 已完成 (the committee's 对账销号), or None when nothing is 已完成."""
    total = _total(figures.rectify)
    done = total.verified + total.self_reported
    return total.verified if done else None


def _participation(view: SummaryView, close: CloseFigures) -> list[str]:
    total = close.participation
    roles = "，".join(
        f"{label}{view.figures.by_role.get(role, 0)}人"
        for role, label in view.plan.roles
        if view.figures.by_role.get(role, 0)
    )
    roles_text = f"（其中{roles}）" if roles else ""
    if total.roster is not None:
        text = (
            f"本次活动应参加{total.roster}人，已提交个人对照检查材料{total.on_roster}人{roles_text}，"
            f"参与率{percent(total.rate)}"
        )
        if total.missing:
            text += f"；尚有{total.missing}人未提交"
        if total.outside:
            text += f"；另有名单外提交{total.outside}人"
        return [text + "。"]
    if not close.respondents:
        return ["尚未收到个人对照检查材料。"]
    units = sum(1 for u in view.figures.units if u.respondents)
    return [f"本次活动共有{units}个单位{close.respondents}人提交个人对照检查材料{roles_text}。"]


def _problems(close: CloseFigures) -> list[str]:
    if not close.problems:
        return ["经对照检查，未查摆出需要整改的问题。"]
    shares = "；".join(
        f"{_aspect(s.title)}{s.flagged}条，占{percent(s.problem_share)}"
        for s in close.sections
        if s.flagged
    )
    return [f"共查摆问题{close.problems}条。其中，{shares}。"]


def _aspect(title: str) -> str:
    title = report_text(title)
    return title if title.endswith("方面") else f"{title}方面"


def _completion_sentence(row: CompletionFigure) -> str:
    counts = row.by_completion
    return (
        "，".join(f"{c.label}{counts[c.value]}条" for c in rules.COMPLETIONS)
        + f"，整改完成率{percent(row.done_rate)}"
    )


def _completion_total(close: CloseFigures, as_of: str) -> list[str]:
    total = _total(close.completion)
    if not total.found:
        return ["本次活动没有需要整改的问题。"]
    text = f"截至{as_of}，{total.found}条问题中，{_completion_sentence(total)}。"
    if close.verified is not None:
        done = total.by_completion[rules.Completion.COMPLETED.value]
        text += (
            f"{rules.Completion.COMPLETED.label}的{done}条中，经机关党委对账销号{close.verified}条，"
            f"干部自报完成、尚未核验{done - close.verified}条。"
        )
    definition = (
        f"（{rules.Completion.BASICALLY.label}指正在整改且未超过整改时限；"
        f"{rules.Completion.NOT_DONE.label}指尚未开始或已超过整改时限；"
        f"整改完成率为{'和'.join(c.label for c in rules.COMPLETIONS if c.in_rate)}"
        "条数占问题总数的比例。）"
    )
    return [text, definition]


def _only_list(points: list[Point]) -> list[Group]:
    """A part's only list, 一是、二是… with no （一） heading: a （一） calls for a （二）."""
    return [Group("", "", "", points, [])]


def _completion(close: CloseFigures, as_of: str) -> tuple[list[str], list[Group]]:
    paragraphs = _completion_total(close, as_of)
    units = _completion_units(close)
    if not units:
        return paragraphs, []
    return [*paragraphs, "各单位整改情况如下："], _only_list(units)


def _completion_units(close: CloseFigures) -> list[Point]:
    units = [u for u in _per_unit(close.completion) if u.found]
    if len(units) < 2:
        return []
    return [
        Point(
            point_ordinal(n),
            [f"{report_text(u.unit)}：查摆问题{u.found}条，{_completion_sentence(u)}。"],
        )
        for n, u in enumerate(units, start=1)
    ]


def _overdue(close: CloseFigures) -> tuple[list[str], list[Group]]:
    rows = close.overdue
    if not rows:
        return ["截至目前，没有超过整改时限仍未完成的问题。"], []
    intro = [f"超过整改时限仍未完成的问题共{len(rows)}条："]
    points = []
    for n, row in enumerate(rows, start=1):
        limit = f"整改时限{format_date(row.deadline)}" if row.deadline else "整改时限未填写"
        what = open_end(as_one_paragraph(row.problem)) or report_text(row.item)
        points.append(
            Point(
                point_ordinal(n),
                [
                    f"{report_text(row.unit)}{report_text(row.person)}，{_aspect(row.section)}：{what}"
                    f"（{limit}，当前{row.status}，已逾期{row.overdue_days}天）。"
                ],
            )
        )
    return intro, _only_list(points)


def _recheck_sentence(row: RecheckFigure) -> str:
    counts = row.by_result
    return (
        "，".join(f"{r.label}{counts[r.value]}项" for r in rules.RECHECK_RESULTS)
        + f"，反弹率{percent(row.rebound_rate)}"
    )


def _recheck(close: CloseFigures) -> tuple[list[str], list[Group]]:
    total = _total(close.rechecks)
    if not total.checked:
        return ["尚未开展回头看（没有回头看记录）。"], []
    closed = "和".join(s.label for s in rules.STATUSES if s.closed)
    intro = [
        f"机关党委对已报{closed}的整改措施开展回头看，共复查{total.checked}项，"
        f"{_recheck_sentence(total)}。反弹的问题已重新列入整改，明确新的整改时限。"
    ]
    units = [u for u in _per_unit(close.rechecks) if u.checked]
    if len(units) < 2:
        return intro, []
    points = [
        Point(
            point_ordinal(n),
            [f"{report_text(u.unit)}：复查{u.checked}项，{_recheck_sentence(u)}。"],
        )
        for n, u in enumerate(units, start=1)
    ]
    return [*intro, "各单位回头看情况如下："], _only_list(points)


def _rate(flagged: int, answered: int, rate: float | None) -> str:
    return f"{flagged}人（{answered}人作答，问题率{percent(rate)}）"


def _comparison(c: Comparison) -> tuple[list[str], list[Group]]:
    intro = [
        f"本轮{c.respondents_now}人提交，查摆问题{c.problems_now}条；"
        f"上一轮{c.respondents_before}人提交，查摆问题{c.problems_before}条。"
    ]
    if c.skipped:
        reasons = "；".join(
            f"{report_text(s['file'])}：{report_text(s['reason'])}" for s in c.skipped[:5]
        )
        more = f"等{len(c.skipped)}份" if len(c.skipped) > 5 else f"{len(c.skipped)}份"
        intro.append(f"上一轮的文件中有{more}未计入（{reasons}）。")
    groups: list[Group] = []
    rose = c.rose
    points = [
        Point(
            point_ordinal(n),
            [
                f"{_aspect(i.section)}“{report_text(i.label)}”：本轮"
                f"{_rate(i.flagged_now, i.answered_now, i.rate_now)}，上一轮"
                f"{_rate(i.flagged_before, i.answered_before, i.rate_before)}。"
            ],
        )
        for n, i in enumerate(rose, start=1)
    ]
    notes = [] if rose else ["没有问题率上升的检查项。"]
    number = group_number(1)
    groups.append(Group(number, "问题率上升的检查项", f"{number}问题率上升的检查项", points, notes))
    recurring = [
        Point(
            point_ordinal(n),
            [
                f"{report_text(r.unit)}{report_text(r.person)}，“{report_text(r.label)}”："
                f"本轮“{open_end(as_one_paragraph(r.now))}”，"
                f"上一轮“{open_end(as_one_paragraph(r.before))}”。"
            ],
        )
        for n, r in enumerate(c.recurring, start=1)
    ]
    notes = [] if recurring else ["没有同一人同一问题再次出现的情况。"]
    number = group_number(2)
    groups.append(Group(number, "同一问题再次出现", f"{number}同一问题再次出现", recurring, notes))
    return intro, groups


# ----------------------------------------------------------------- rendering


def render_close_report(report: CloseReport, fmt: str, template: Path | None = None) -> bytes:
    """The report as ``fmt`` bytes (docx, html or md), or through the user's template."""
    extra = {"close": report.figures, "percent": percent}
    if template is not None:
        from selfcheck.report.templating import render_user_template, template_format

        if template_format(template) == "docx":
            from selfcheck.report.docx_writer import render_docx

            return render_docx(report.layout, reference=template)
        return render_user_template(template, report.layout, extra=extra).encode("utf-8")
    if fmt == "docx":
        from selfcheck.report.docx_writer import render_docx

        return render_docx(report.layout)
    from selfcheck.report.templating import render_builtin

    return render_builtin(fmt, report.layout, name=TEMPLATES[fmt], extra=extra).encode("utf-8")


def close_report_bytes(
    view: SummaryView,
    options: CloseOptions,
    output: Path | None,
    comparison: Comparison | None = None,
) -> bytes:
    """``summary --format report``: the report in the format ``-o`` (or ``--template``) names.

    ``-o X.docx`` / ``.html`` / ``.md``; without ``-o`` Markdown goes to standard output.
    """
    template = options.template
    if template is not None:
        from selfcheck.report.templating import require_template

        require_template(template)
    fmt = _format_for(output, template)
    report = build_close_report(
        view,
        addressee=options.addressee or DEFAULT_ADDRESSEE,
        signer=options.signer or DEFAULT_SIGNER,
        comparison=comparison,
    )
    return render_close_report(report, fmt, template)


def _format_for(output: Path | None, template: Path | None) -> str:
    if template is not None:
        from selfcheck.report.templating import template_format

        return template_format(template)
    if output is None:
        return "md"
    suffix = output.suffix.lower().lstrip(".")
    fmt = {"htm": "html", "markdown": "md"}.get(suffix, suffix)
    if fmt not in FORMATS:
        raise UsageError(
            f"无法从文件名 {output.name} 判断整改落实情况报告的格式：请用 .docx、.html 或 .md，"
            "如 -o 整改落实情况报告.docx"
        )
    return fmt
