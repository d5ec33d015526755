"""The one view model of the personal report (个人对照检查材料).

Every format (Markdown, HTML, Word) and every custom template is laid out
from :class:`ReportView`. Grouping by section, role filtering, Chinese
numbering, dates and the sober sentence for a section without problems all
live here; templates only lay the result out.

Nothing here knows a section or item id: what an answer means comes from
``Question.meaning`` and ``Option.problem``, what a section is called from
``Section.title`` and ``Section.rubric``.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from selfcheck import rules
from selfcheck.answers import display_answer, parse_date, visible_questions
from selfcheck.checklist.model import Campaign, Checklist, Item, Section
from selfcheck.errors import ResponseError
from selfcheck.report.numerals import (
    format_date,
    group_number,
    part_number,
    point_ordinal,
    starts_with_enumeration,
)
from selfcheck.report.text import (
    as_one_paragraph,
    cjk_punctuation,
    join_paragraphs,
    open_end,
    paragraphs,
    report_text,
    sentence,
)
from selfcheck.response import Answer, RectifyEntry, Response

TITLE_SUFFIX = "个人对照检查材料"
CLOSING = "以上是我的自查剖析，不妥之处，恳请领导和同志们批评指正。"
_TITLE_LINE_CHARS = 20  # 二号 (22 pt) characters that fit the 156 mm type area


# ----------------------------------------------------------------- semantic view


@dataclass(frozen=True)
class RectifyStep:
    """One recorded step of progress on a measure."""

    status: str
    date: date
    date_text: str
    note: str


@dataclass(frozen=True)
class RectifyView:
    """Progress on one measure: its latest status and the steps before it."""

    status: str
    date: date | None
    date_text: str
    note: str
    overdue: bool
    history: list[RectifyStep]
    """Every step, oldest first (the last one is the current status)."""


@dataclass(frozen=True)
class ProblemView:
    """One item where the respondent found a problem, with everything said about it."""

    item_id: str
    item_title: str
    item_text: str
    standard: str
    rating: str
    problem: list[str]
    cause: list[str]
    opinion: list[str]
    measure: list[str]
    deadline: date | None
    deadline_text: str
    rectification: RectifyView | None
    cause_category: str = ""
    """原因类别 chosen for this problem (its option label), empty when not asked."""
    cause_rank: int = 0
    """The category's place in the checklist's list of options (groups sort by it)."""
    verdict: str = ""
    """本方面问题概括 the respondent gave with this problem."""


@dataclass(frozen=True)
class SectionView:
    """One section that applies to the respondent, with the problems found in it."""

    id: str
    title: str
    rubric: str
    heading: str
    """``思想作风方面`` (the title with ``方面`` unless it already ends so)."""
    problems: list[ProblemView]
    item_count: int
    unanswered: int
    verdict: str = ""
    """The respondent's own 本方面问题概括 (every distinct one given in the section)."""


@dataclass(frozen=True)
class RespondentView:
    """Who wrote the report."""

    name: str
    unit: str
    position: str
    role: str
    role_label: str


@dataclass(frozen=True)
class CampaignView:
    """The campaign the report belongs to (empty strings where the checklist says nothing)."""

    name: str
    issuer: str
    basis: str
    basis_title: str
    plan_title: str
    phase: str
    period: str
    motto: str
    leading_body: str = ""
    """本单位党组织 the opening names: the respondent's answer, else the checklist's."""


# ----------------------------------------------------------------- layout view


@dataclass(frozen=True)
class Point:
    """A numbered point: ``一是`` and its paragraphs (the ordinal opens the first one)."""

    ordinal: str
    """``一是``; empty when the writer numbered the list (see :func:`_numbered`)."""
    paragraphs: list[str]


@dataclass(frozen=True)
class Group:
    """A second-level block: ``（一）思想作风方面`` with its points and notes."""

    number: str
    title: str
    heading: str
    points: list[Point]
    notes: list[str]
    """Sentences after the points (e.g. the sober sentence when nothing was found)."""


@dataclass(frozen=True)
class Part:
    """A first-level block: ``一、存在的主要问题``."""

    kind: str
    """problems, causes, measures or rectification."""
    number: str
    title: str
    heading: str
    paragraphs: list[str]
    """Paragraphs before the groups (e.g. the rectification summary)."""
    groups: list[Group]


def make_part(kind: str, n: int, title: str, paragraphs: list[str], groups: list[Group]) -> Part:
    """Part ``n`` (``一、title``), its lists numbered only where they hold more than one
    entry: a lone （一） calls for a （二） and a lone 一是 for an 二是, so a part with one
    group shows its title without a number, and a group with one point no 一是."""
    if len(groups) == 1 and groups[0].number:
        groups = [dataclasses.replace(groups[0], number="", heading=groups[0].title)]
    groups = [_one_point_unnumbered(g) for g in groups]
    number = part_number(n)
    return Part(kind, number, title, f"{number}{title}", paragraphs, groups)


def _one_point_unnumbered(group: Group) -> Group:
    if len(group.points) != 1 or group.points[0].ordinal != point_ordinal(1):
        return group
    return dataclasses.replace(group, points=[dataclasses.replace(group.points[0], ordinal="")])


@dataclass(frozen=True)
class Signature:
    """The signature block: name over date."""

    name: str
    date: date
    date_text: str


@dataclass(frozen=True)
class RectifySummary:
    """Counts of measures by current status."""

    as_of: date
    as_of_text: str
    total: int
    counts: dict[str, int]
    overdue: int


@dataclass(frozen=True)
class ReportView:
    """Everything a report template receives (see docs/templates.md)."""

    title: str
    title_lines: list[str]
    byline: str
    respondent: RespondentView
    campaign: CampaignView
    checklist_id: str
    checklist_title: str
    checklist_version: str
    rubrics: list[str]
    opening: str
    sections: list[SectionView]
    parts: list[Part]
    closing: str
    signature: Signature
    draft: bool
    problem_count: int
    rectification: RectifySummary | None = None
    warnings: list[str] = field(default_factory=list)
    addressee: str = ""
    """主送 (``局党组：``), for a report addressed to an organ; empty in a personal report."""
    opinion_count: int | None = None
    """征求意见建议条数 from the identity questions, when asked."""


# ----------------------------------------------------------------- building


def build_report(
    response: Response,
    checklist: Checklist,
    *,
    today: date,
    hanzi_date: bool = False,
) -> ReportView:
    """Build the view of ``response`` answered against ``checklist``.

    ``today`` dates a report of a draft and the rectification progress;
    ``hanzi_date`` writes the signature date in Chinese numerals.
    """
    role = response.respondent.role
    role_def = checklist.role(role)
    if role_def is None:
        known = rules.role_choices((r.id, r.label) for r in checklist.roles)
        raise ResponseError(
            f"答卷中的角色“{role}”不在检查表 {checklist.id} 中（可选：{known}），"
            "无法生成对照检查材料"
        )
    steps = rules.history_by_item(response.rectification)
    sections = [
        _section_view(section, response.answers, role, steps, today)
        for section in checklist.sections_for(role)
    ]
    respondent = RespondentView(
        name=report_text(response.respondent.name),
        unit=report_text(response.respondent.unit),
        position=report_text(response.respondent.position),
        role=role,
        role_label=report_text(role_def.label),
    )
    about = _identity_facts(checklist, response)
    campaign = _campaign_view(checklist.campaign, about.get("leading_body"))
    opinion_count = about.get("opinion_count")
    rubrics = [s.rubric for s in sections if s.rubric]
    signed = _signature_date(response, today)
    rectification = _rectify_summary(sections, today) if response.rectification else None
    title = f"关于开展{campaign.name}的{TITLE_SUFFIX}"
    parts = _with_previous_part(_parts(sections, rectification), response)
    return ReportView(
        title=title,
        title_lines=title_lines(title),
        byline="　".join(p for p in (respondent.unit, respondent.position, respondent.name) if p),
        respondent=respondent,
        campaign=campaign,
        checklist_id=checklist.id,
        checklist_title=report_text(checklist.title),
        checklist_version=checklist.version,
        rubrics=rubrics,
        opening=_opening(campaign, sections, opinion_count),
        sections=sections,
        parts=parts,
        closing=CLOSING,
        signature=Signature(
            name=respondent.name, date=signed, date_text=format_date(signed, hanzi=hanzi_date)
        ),
        draft=response.status != "submitted",
        problem_count=sum(len(s.problems) for s in sections),
        rectification=rectification,
        warnings=_unknown_items(response, checklist) + _no_problem_warning(sections),
        opinion_count=opinion_count,
    )


def _checklist_text(value: str | None) -> str:
    return cjk_punctuation(" ".join(report_text(value).split()))


def _identity_facts(checklist: Checklist, response: Response) -> dict[str, Any]:
    """What the identity questions said, by meaning: ``opinion_count`` (int), ``leading_body``."""
    facts: dict[str, Any] = {}
    for question in checklist.identity_questions:
        value = response.identity_answers.get(question.id)
        if value is None or question.meaning is None or question.meaning in facts:
            continue
        if question.meaning == "opinion_count" and isinstance(value, (int, float)):
            if not isinstance(value, bool) and value >= 0:
                facts["opinion_count"] = int(value)
        elif question.meaning == "leading_body":
            text = _checklist_text(display_answer(question, value))
            if text:
                facts["leading_body"] = text
    return facts


def _campaign_view(campaign: Campaign, leading_body: str | None = None) -> CampaignView:
    return CampaignView(
        leading_body=leading_body
        or _checklist_text(campaign.leading_body)
        or _checklist_text(campaign.issuer),
        name=_checklist_text(campaign.name),
        issuer=_checklist_text(campaign.issuer),
        basis=_document_number(_checklist_text(campaign.basis)),
        basis_title=_book_title(_checklist_text(campaign.basis_title)),
        plan_title=_book_title(_checklist_text(campaign.plan_title)),
        phase=_checklist_text(campaign.phase),
        period=_checklist_text(campaign.period),
        motto=_checklist_text(campaign.motto),
    )


_YEAR_BRACKETS = re.compile(r"[\[［【(（]\s*(\d{4})\s*[\]］】)）]")


def _document_number(text: str) -> str:
    """A 发文字号 with its year in 〔〕 as GB/T 9704 writes it: 茂办发〔2008〕20号."""
    return _YEAR_BRACKETS.sub(r"〔\1〕", text)


def _book_title(text: str) -> str:
    """A document title in 《》 (added when the checklist left them out)."""
    if not text or text.startswith("《"):
        return text
    return f"《{text}》"


_TITLE_WORDS = frozenset(
    {
        "关于",
        "开展",
        "进一步",
        "加强",
        "深入",
        "扎实",
        "机关作风建设",
        "作风建设",
        "机关",
        "作风",
        "建设",
        "活动",
        "主题活动",
        "个人",
        "对照检查",
        "材料",
        "学习",
        "教育",
        "主题",
        "专题",
        "民主生活会",
        "组织生活会",
        "实施方案",
        "集中整顿",
        "集中",
        "整顿",
        "整治",
        "纪律",
        "作风纪律",
        "效能",
        "建设年",
        "党的",
        "群众路线",
        "实践",
    }
)
"""Words a title line may break between (a break needs a known word on both sides)."""
_TITLE_LONGEST = max(len(w) for w in _TITLE_WORDS)
_TITLE_BREAK_AFTER = "、，；”》"
"""A line may always end after these marks."""
_TITLE_NO_START = "的之、，；：）》”"
_TITLE_MIN_LINE = 4


def _title_segments(title: str) -> list[tuple[str, bool]]:
    """The title cut into known words (longest first) and single characters: (text, known)."""
    segments: list[tuple[str, bool]] = []
    rest = title
    while rest:
        for size in range(min(_TITLE_LONGEST, len(rest)), 1, -1):
            if rest[:size] in _TITLE_WORDS:
                segments.append((rest[:size], True))
                break
        else:
            segments.append((rest[0], False))
        rest = rest[len(segments[-1][0]) :]
    return segments


def title_lines(title: str, limit: int = _TITLE_LINE_CHARS) -> list[str]:
    """The title in lines laid out as GB/T 9704 asks (梯形): the upper line shorter.

    A title that fits stays on one line. Otherwise it breaks where a line may
    end (between two known words such as 加强 | 机关作风建设, or after 、 and ”),
    never before 的 or a closing mark, at the place where the upper line is
    shorter than the lower one and as long as possible. With no such place it
    takes the most even break, the lower line the longer.
    """
    if len(title) <= limit:
        return [title]
    segments = _title_segments(title)
    breaks = []
    position = 0
    for (word, known), (following, next_known) in itertools.pairwise(segments):
        position += len(word)
        if following[0] in _TITLE_NO_START or position < _TITLE_MIN_LINE:
            continue
        if (known and next_known) or word[-1] in _TITLE_BREAK_AFTER:
            breaks.append(position)
    fits = [b for b in breaks if b < len(title) - b <= limit]
    if fits:
        cut = max(fits)
    elif breaks:
        cut = min(breaks, key=lambda b: (abs(len(title) - 2 * b), b))
    else:
        cut = len(title) // 2
    return [title[:cut], title[cut:]]


def _signature_date(response: Response, today: date) -> date:
    """The date the report speaks for.

    The submission date for a submitted response (regenerating the report
    later gives the same document); today once rectification progress is
    reported, or for a draft.
    """
    if response.rectification or response.submitted_at is None:
        return today
    return response.submitted_at.date()


def _opening(
    campaign: CampaignView, sections: list[SectionView], opinion_count: int | None = None
) -> str:
    """根据…要求，按照…的部署，本人对照“三查三看”…，认真进行了自查。现将自查情况报告如下：

    The plan is named with its issuer; the unit's leading body (from the
    respondent's answer or the checklist) is named where it is another body.
    The number of opinions gathered is said when the respondent gave it.
    """
    documents = []
    if campaign.basis_title:
        basis = f"（{campaign.basis}）" if campaign.basis else ""
        documents.append(f"{campaign.basis_title}{basis}")
    if campaign.plan_title:
        documents.append(f"{campaign.issuer or campaign.leading_body}{campaign.plan_title}")
    clauses = []
    if documents:
        clauses.append(f"根据{'和'.join(documents)}的要求")
    elif campaign.basis:
        clauses.append(f"根据{campaign.basis}的要求")
    named = campaign.issuer if campaign.plan_title else ""
    if campaign.leading_body and campaign.leading_body != named:
        clauses.append(f"按照{campaign.leading_body}的统一部署")
    if campaign.motto:
        clauses.append(f"按照“{open_end(campaign.motto)}”的原则")
    rubrics = [s.rubric for s in sections if s.rubric]
    if rubrics:
        standard = "".join(f"“{r}”" for r in rubrics)
    else:
        standard = "".join(f"“{s.title}”" for s in sections) + "方面的要求"
    if opinion_count:
        gathered = f"广泛征求意见建议{opinion_count}条，结合本人思想、工作实际"
    else:
        gathered = "结合征求到的意见建议和本人思想、工作实际"
    clauses.append(f"本人对照{standard}，{gathered}，认真进行了自查")
    return "，".join(clauses) + "。现将自查情况报告如下："


def _section_view(
    section: Section,
    answers: Mapping[str, Mapping[str, Answer]],
    role: str,
    steps: Mapping[str, list[RectifyEntry]],
    today: date,
) -> SectionView:
    problems = []
    unanswered = 0
    for item in section.items:
        given = answers.get(item.id) or {}
        if not given:
            unanswered += 1
            continue
        view = _problem_view(item, given, role, steps.get(item.id, []), today)
        if view is not None:
            problems.append(view)
    title = _checklist_text(section.title)
    return SectionView(
        id=section.id,
        title=title,
        rubric=_checklist_text(section.rubric),
        heading=title if title.endswith("方面") else f"{title}方面",
        problems=problems,
        item_count=len(section.items),
        unanswered=unanswered,
        verdict="，".join(dict.fromkeys(open_end(p.verdict) for p in problems if p.verdict)),
    )


def _texts(item: Item, answers: Mapping[str, Answer], role: str, meaning: str) -> list[str]:
    """The paragraphs of every visible answer whose question has ``meaning``."""
    result: list[str] = []
    for question in visible_questions(item, answers, role):
        if question.meaning == meaning:
            result += paragraphs(display_answer(question, answers.get(question.id)))
    return result


def _deadline(item: Item, answers: Mapping[str, Answer], role: str) -> tuple[date | None, str]:
    for question in visible_questions(item, answers, role):
        value = answers.get(question.id)
        if question.meaning != rules.DEADLINE or value is None:
            continue
        try:
            when = parse_date(value) if question.type == "date" else None
        except ValueError:
            when = None
        if when is not None:
            return when, format_date(when)
        return None, as_one_paragraph(display_answer(question, value))
    return None, ""


def _problem_view(
    item: Item,
    answers: Mapping[str, Answer],
    role: str,
    steps: list[RectifyEntry],
    today: date,
) -> ProblemView | None:
    if not rules.needs_rectification(item, answers):
        return None
    problem = _texts(item, answers, role, rules.PROBLEM)
    rated = rules.rating_question(item.questions)
    rating = ""
    if rated is not None and rated.id in answers:
        rating = report_text(display_answer(rated, answers[rated.id]))
    deadline, deadline_text = _deadline(item, answers, role)
    reset = rules.current_deadline(None, steps)
    if reset is not None:  # reopened by 回头看 with a new deadline: the one it is held to
        deadline, deadline_text = reset, format_date(reset)
    held_to = rules.current_deadline(rules.deadline_of(item, answers), steps)
    measure = _texts(item, answers, role, rules.MEASURE)
    category, rank = _cause_category(item, answers, role)
    return ProblemView(
        item_id=item.id,
        item_title=_checklist_text(item.title),
        item_text=_checklist_text(item.text),
        standard=_checklist_text(item.standard),
        rating=rating,
        problem=problem,
        cause=_texts(item, answers, role, rules.CAUSE),
        opinion=_texts(item, answers, role, rules.OPINION),
        measure=measure,
        deadline=deadline,
        deadline_text=deadline_text,
        rectification=_rectify_view(steps, held_to, today),
        cause_category=category,
        cause_rank=rank,
        verdict=join_paragraphs(_texts(item, answers, role, "verdict")),
    )


def _cause_category(item: Item, answers: Mapping[str, Answer], role: str) -> tuple[str, int]:
    """The chosen 原因类别 (label) and its place among the options; ("", 0) when not given."""
    for question in visible_questions(item, answers, role):
        if question.meaning != "cause_category":
            continue
        value = answers.get(question.id)
        options = question.options or []
        for rank, option in enumerate(options):
            if option.value == value:
                return _checklist_text(option.label), rank
        text = _checklist_text(display_answer(question, value)) if value is not None else ""
        return text, len(options)
    return "", 0


# ----------------------------------------------------------------- rectification


def _rectify_view(steps: list[RectifyEntry], deadline: date | None, today: date) -> RectifyView:
    """One measure's progress; ``steps`` are its entries oldest first (the last one is the
    current status: :func:`selfcheck.rules.current_status`)."""
    latest = steps[-1] if steps else None
    status = rules.current_status(steps).value
    overdue = rules.is_overdue(deadline, status, today)
    history = [
        RectifyStep(
            status=rules.Status(e.status).value,
            date=e.date,
            date_text=format_date(e.date),
            note=sentence(as_one_paragraph(e.note)),
        )
        for e in steps
    ]
    return RectifyView(
        status=status,
        date=latest.date if latest else None,
        date_text=format_date(latest.date) if latest else "",
        note=history[-1].note if history else "",
        overdue=overdue,
        history=history,
    )


def _rectify_summary(sections: list[SectionView], today: date) -> RectifySummary:
    views = [p.rectification for s in sections for p in s.problems if p.rectification]
    counts = {status: sum(1 for v in views if v.status == status) for status in rules.STATUS_LABELS}
    return RectifySummary(
        as_of=today,
        as_of_text=format_date(today),
        total=len(views),
        counts=counts,
        overdue=sum(1 for v in views if v.overdue),
    )


# ----------------------------------------------------------------- layout


def _parts(sections: list[SectionView], rectification: RectifySummary | None) -> list[Part]:
    """一、存在的主要问题  二、问题产生的原因剖析  三、整改措施和努力方向  (四、整改情况)."""
    any_problem = any(s.problems for s in sections)
    if any_problem or any(s.unanswered for s in sections):
        found: tuple[str, str, list[str], list[Group]] = (
            "problems",
            "存在的主要问题",
            [],
            _problem_groups(sections),
        )
    else:
        found = ("problems", "存在的主要问题", [_nothing_found(sections)], [])
    candidates: list[tuple[str, str, list[str], list[Group]]] = [found]
    if any_problem:
        by_category = _by_cause_category(sections)
        if by_category:
            causes = _category_groups(by_category, _cause_point)
            measures = _category_groups(by_category, _measure_point)
            candidates.append(("causes", "问题产生的原因剖析", [], causes))
            candidates.append(("measures", "整改措施和努力方向", [], measures))
        else:
            causes = _groups(sections, _cause_point)
            candidates.append(("causes", "问题产生的原因剖析", [], causes))
            candidates.append(("measures", "整改措施和努力方向", *_listed_measures(sections)))
    if rectification is not None and rectification.total:
        candidates.append(
            (
                "rectification",
                "整改情况",
                [_rectify_summary_sentence(rectification)],
                _groups(sections, _rectify_point),
            )
        )
    parts: list[Part] = []
    for kind, title, intro, groups in candidates:
        if not groups and not intro:
            continue
        parts.append(make_part(kind, len(parts) + 1, title, intro, groups))
    return parts


def _with_previous_part(parts: list[Part], response: Response) -> list[Part]:
    """一、上一轮查摆问题整改情况 first (``run --previous``), the other parts renumbered."""
    from selfcheck.report.previous_part import TITLE, previous_content

    content = previous_content(response.previous)
    if content is None:
        return parts
    groups = []
    for n, (title, points) in enumerate(content.groups, start=1):
        number = group_number(n)
        groups.append(Group(number, title, f"{number}{title}", _numbered(points), []))
    out = [make_part("previous", 1, TITLE, [content.intro], groups)]
    for n, part in enumerate(parts, start=2):
        number = part_number(n)
        out.append(dataclasses.replace(part, number=number, heading=f"{number}{part.title}"))
    return out


def _problem_groups(sections: list[SectionView]) -> list[Group]:
    groups = []
    for index, section in enumerate(sections, start=1):
        points = _numbered([_problem_paragraphs(p) for p in section.problems])
        notes = []
        if section.unanswered:
            notes.append(f"本方面尚有{section.unanswered}项未完成自查。")
        elif not points:
            notes.append(_sober_sentence(section))
        number = group_number(index)
        if section.verdict:  # the respondent's own verdict heads the section
            heading = f"{number}{section.heading}：{section.verdict}"
        else:
            rubric = f"（对照“{section.rubric}”）" if section.rubric else ""
            heading = f"{number}{section.heading}{rubric}"
        groups.append(Group(number, section.heading, heading, points, notes))
    return groups


def _nothing_found(sections: list[SectionView]) -> str:
    """The one sober paragraph of a material that found no problem at all."""
    rubrics = [s.rubric for s in sections if s.rubric]
    if rubrics:
        against = "对照" + "".join(f"“{r}”" for r in rubrics)
    else:
        against = "对照" + "、".join(s.heading for s in sections)
    count = sum(s.item_count for s in sections)
    return (
        f"经{against}共{count}项内容逐项自查，本人未查摆出明显问题。"
        "今后将继续对照要求查找差距，自觉接受组织和群众监督。"
    )


def _no_problem_warning(sections: list[SectionView]) -> list[str]:
    if any(s.problems or s.unanswered for s in sections):
        return []
    return [
        "这份材料没有查摆出任何问题，“存在的主要问题”只写明未查摆出明显问题；提交前请再对照检查。"
    ]


def _by_cause_category(sections: list[SectionView]) -> list[tuple[str, list[ProblemView]]]:
    """Problems grouped by 原因类别 in the checklist's order; [] when no problem has one.

    Problems without a category go under 其他 (after the named categories).
    """
    problems = [p for s in sections for p in s.problems]
    if not any(p.cause_category for p in problems):
        return []
    groups: dict[tuple[int, str], list[ProblemView]] = {}
    for problem in problems:
        if problem.cause_category:
            key = (problem.cause_rank, problem.cause_category)
        else:
            key = (10_000, "其他")
        groups.setdefault(key, []).append(problem)
    merged: dict[str, list[ProblemView]] = {}
    for (_, label), members in sorted(groups.items()):
        merged.setdefault(label, []).extend(members)
    return list(merged.items())


def _category_groups(
    by_category: list[tuple[str, list[ProblemView]]],
    point_of: Callable[[ProblemView], list[str]],
) -> list[Group]:
    """（一）理想信念方面 一是…二是… for each category that has something to say."""
    groups: list[Group] = []
    for label, problems in by_category:
        points = _points(problems, point_of)
        if points:
            number = group_number(len(groups) + 1)
            title = label if label.endswith("方面") else f"{label}方面"
            groups.append(Group(number, title, f"{number}{title}", points, []))
    return groups


def _listed_measures(sections: list[SectionView]) -> tuple[list[str], list[Group]]:
    """Without categories: the measures as one list 一是、二是…, each with its deadline."""
    points = _points([p for s in sections for p in s.problems], _measure_point)
    if not points:
        return [], []
    return [], [Group("", "", "", points, [])]


def _points(
    problems: list[ProblemView], point_of: Callable[[ProblemView], list[str]]
) -> list[Point]:
    """The numbered points ``point_of`` says for ``problems``; the same text is stated once."""
    contents: list[list[str]] = []
    for problem in problems:
        paras = point_of(problem)
        if paras and paras not in contents:  # the same cause for two problems: once
            contents.append(paras)
    return _numbered(contents)


def _numbered(contents: list[list[str]]) -> list[Point]:
    """The points of one list, numbered 一是、二是… in order.

    A writer who numbered any paragraph (一是…, 1.…, 一、…, see
    :func:`~selfcheck.report.numerals.starts_with_enumeration`) has numbered the
    list already: a second ordinal would read 一是一是… or 一是1.…, and the
    program's 二是 would follow the writer's 二是. Such a list keeps the writer's
    paragraphs as they are and gets no ordinals of the program at all.
    """
    own = any(starts_with_enumeration(text) for paras in contents for text in paras)
    return [
        Point("" if own else point_ordinal(n), paras) for n, paras in enumerate(contents, start=1)
    ]


def _sober_sentence(section: SectionView) -> str:
    if section.rubric:
        return f"经对照“{section.rubric}”逐项检查，本人在{section.title}方面未查摆出明显问题。"
    return f"经逐项检查，本人在{section.heading}未查摆出明显问题。"


_OPINION_LEAD = "征求意见中，"
"""What introduces the 群众意见 after the 具体表现 of a problem."""
_NAMES_ITS_SOURCE = re.compile(r"[在经]?(?:本次|这次|此次)?征求(?:到的)?意见")
"""An opinion that says itself where it came from (征求意见中…, 在征求意见中…,
经征求意见…): the lead-in would double it."""


def _problem_paragraphs(problem: ProblemView) -> list[str]:
    paras = list(problem.problem) or [problem.rating or "存在问题"]
    paras = [*paras[:-1], sentence(paras[-1])]
    if problem.opinion:
        opinion = [*problem.opinion[:-1], sentence(problem.opinion[-1])]
        lead = "" if _NAMES_ITS_SOURCE.match(opinion[0]) else _OPINION_LEAD
        paras[-1] += f"{lead}{opinion[0]}"
        paras += opinion[1:]
    return paras


def _cause_point(problem: ProblemView) -> list[str]:
    if not problem.cause:
        return []
    return [*problem.cause[:-1], sentence(problem.cause[-1])]


def _measure_point(problem: ProblemView) -> list[str]:
    if not problem.measure:
        return []
    paras = list(problem.measure)
    if problem.deadline_text:
        limit = problem.deadline_text + ("前" if problem.deadline else "")
        paras[-1] = f"{open_end(paras[-1])}（整改时限：{limit}）。"
    else:
        paras[-1] = sentence(paras[-1])
    return paras


def _rectify_point(problem: ProblemView) -> list[str]:
    """The measure in its own paragraphs, the last one closed with its deadline and progress."""
    view = problem.rectification
    if view is None:
        return []
    *before, measure = problem.measure or problem.problem or [""]
    limit = ""
    if problem.deadline_text:
        limit = f"（整改时限：{problem.deadline_text}{'前' if problem.deadline else ''}）"
    progress = f"{view.status}（{view.date_text}）" if view.date_text else "尚未记录"
    overdue = "，已逾期" if view.overdue else ""
    stated = f"整改进展：{progress}{overdue}。{view.note}"
    lead = f"{open_end(measure)}{limit}"
    paras = [*before, f"{lead}。{stated}" if lead else stated]
    earlier = view.history[:-1]
    if earlier:
        steps = "；".join(
            f"{s.date_text}{s.status}" + (f"，{open_end(s.note)}" if s.note else "")
            for s in earlier
        )
        paras.append(f"此前进展：{steps}。")
    return paras


def _groups(
    sections: list[SectionView], point_of: Callable[[ProblemView], list[str]]
) -> list[Group]:
    groups: list[Group] = []
    for section in sections:
        points = _points(section.problems, point_of)
        if points:
            number = group_number(len(groups) + 1)
            groups.append(Group(number, section.heading, f"{number}{section.heading}", points, []))
    return groups


def _rectify_summary_sentence(summary: RectifySummary) -> str:
    counts = "，".join(
        f"{s}{summary.counts[s]}项" for s in rules.STATUS_LABELS if summary.counts[s]
    )
    overdue = f"；其中逾期未完成{summary.overdue}项" if summary.overdue else ""
    return f"截至{summary.as_of_text}，本人{summary.total}项整改措施中，{counts}{overdue}。"


def _unknown_items(response: Response, checklist: Checklist) -> list[str]:
    """Answered items the report cannot place (not in the checklist, or not for this role)."""
    applicable = {item.id for _, item in checklist.items_for(response.respondent.role)}
    unknown = [item for item in response.answers if item not in applicable]
    if not unknown:
        return []
    listing = "、".join(unknown)
    where = "不在当前检查表中（或不适用于该角色）"
    return [f"答卷中有{len(unknown)}个检查项{where}，已略过：{listing}"]
