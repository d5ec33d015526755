"""Every figure a summary shows, derived from integer counts.

Shares and means are computed here from the counters of
:mod:`selfcheck.summary.aggregate` (never by averaging averages), so a merged
summary shows exactly what one big summary would.

Definitions (also in docs/summary.md):
- 已提交: counted submissions (newest per person); 应参加: people on the roster;
  未提交: roster people without a counted submission (仅有草稿 among them when
  they saved a draft); 名单外: counted submissions of people not on the roster;
  完成率 = 已提交（名单内）/ 应参加.
- per item: 作答人数 = answers to its rating question; share of each option;
  平均分 = Σ count × score / Σ count over scored options; 查摆问题 = people whose
  rating marks a problem; 问题率 = 查摆问题 / 作答人数.
- 占比 of a section = its problems / all problems.
- 整改完成率 = 已完成 / 整改措施总数 (rules.RATE_STATUSES: 长期坚持 has its own
  column), 已完成 split into 已销号 (verified by the committee) and 自报完成 (the
  cadre's word), each also / 整改措施总数, so the two shares add up to the rate;
- review: 待审核 / 已通过 / 已退回 per unit (the current draft's latest review);
  平均稿数 = Σ drafts / materials; 逾期未完成 = deadline before
  today and neither 已完成 nor 长期坚持.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from selfcheck import rules
from selfcheck.summary.ordering import natural_key
from selfcheck.summary.plan import ChecklistPlan, PlanItem, PlanSection
from selfcheck.summary.roster import RosterEntry

Counts = Mapping[tuple[str, ...], int]
TOTAL = "合计"


def share(part: int, whole: int) -> float | None:
    """``part / whole`` or None when there is nothing to divide by."""
    return part / whole if whole else None


@dataclass
class OptionFigure:
    """One option of an item's rating: how many chose it."""

    value: str
    label: str
    count: int
    share: float | None
    problem: bool


@dataclass
class ItemFigure:
    """Figures for one item."""

    id: str
    section: str
    label: str
    answered: int
    options: list[OptionFigure]
    mean: float | None
    flagged: int
    flagged_share: float | None


@dataclass
class SectionFigure:
    """Figures for one section (rubric)."""

    id: str
    title: str
    heading: str
    answered: int
    flagged: int
    flagged_share: float | None
    problem_share: float | None
    mean: float | None
    items: list[ItemFigure]


@dataclass
class Participation:
    """Who took part, for one unit or in total."""

    unit: str
    roster: int | None
    submitted: int
    on_roster: int | None
    draft_only: int
    missing: int | None
    outside: int | None
    rate: float | None


@dataclass
class UnitFigure:
    """One unit compared with the others."""

    unit: str
    respondents: int
    problems: int
    per_person: float | None
    flagged_share: float | None
    mean: float | None
    by_section: list[int]


@dataclass
class RectifyFigure:
    """Rectification progress for one unit or in total."""

    unit: str
    measures: int
    by_status: dict[str, int]
    overdue: int
    done_rate: float | None
    verified: int = 0
    """已完成 and checked by the committee (已销号)."""
    self_reported: int = 0
    """已完成 on the cadre's word only (自报完成)."""
    verified_rate: float | None = None
    self_reported_rate: float | None = None


@dataclass
class ReviewFigure:
    """The committee's review of the materials of one unit or in total.

    平均稿数 = Σ drafts / submitted materials.
    """

    unit: str
    materials: int
    by_status: dict[str, int]
    drafts: int
    mean_drafts: float | None


def _review(unit: str, counts: Counts) -> ReviewFigure:
    by_status = {s.value: counts.get(("review", s.value), 0) for s in rules.REVIEW_STATUSES}
    materials = sum(by_status.values())
    drafts = counts.get(("drafts",), 0)
    return ReviewFigure(unit, materials, by_status, drafts, share(drafts, materials))


@dataclass
class RecheckFigure:
    """回头看 for one unit or in total: measures re-checked, 巩固, 反弹, 反弹率."""

    unit: str
    checked: int
    by_result: dict[str, int]
    rebound_rate: float | None


@dataclass
class CompletionFigure:
    """The 整改落实情况 columns (:func:`selfcheck.rules.completion_of`) for one unit or in total.

    整改完成率 = 已完成 / 查摆问题 (the measures), the same rule as :class:`RectifyFigure`.
    """

    unit: str
    found: int
    by_completion: dict[str, int]
    done_rate: float | None


def _recheck(unit: str, counts: Counts) -> RecheckFigure:
    by_result = {r.value: counts.get(("recheck", r.value), 0) for r in rules.RECHECK_RESULTS}
    checked = sum(by_result.values())
    rebound = sum(by_result[r.value] for r in rules.RECHECK_RESULTS if r.reopens)
    return RecheckFigure(unit, checked, by_result, share(rebound, checked))


def _completion(unit: str, counts: Counts) -> CompletionFigure:
    by_completion = {c.value: counts.get(("close", c.value), 0) for c in rules.COMPLETIONS}
    found = sum(by_completion.values())
    done = sum(by_completion[c.value] for c in rules.COMPLETIONS if c.in_rate)
    return CompletionFigure(unit, found, by_completion, share(done, found))


@dataclass
class Figures:
    """All the figures of one summary."""

    respondents: int
    by_role: dict[str, int]
    problems: int
    participation: list[Participation]
    sections: list[SectionFigure]
    ranked: list[ItemFigure]
    units: list[UnitFigure]
    rectify: list[RectifyFigure]
    unit_order: list[str] = field(default_factory=list)
    rechecks: list[RecheckFigure] = field(default_factory=list)
    completion: list[CompletionFigure] = field(default_factory=list)
    reviews: list[ReviewFigure] = field(default_factory=list)


def add_counts(many: Iterable[Counts]) -> Counts:
    """Sum counters."""
    total: dict[tuple[str, ...], int] = {}
    for counts in many:
        for key, value in counts.items():
            total[key] = total.get(key, 0) + value
    return total


def _item_figure(item: PlanItem, counts: Counts) -> ItemFigure:
    rating = item.rating
    options: list[OptionFigure] = []
    answered = 0
    scored = 0
    points = 0.0
    if rating is not None:
        per_option = [
            (o, counts.get(("opt", item.id, rating.id, o.value), 0)) for o in rating.options
        ]
        answered = sum(n for _, n in per_option)
        for option, n in per_option:
            options.append(
                OptionFigure(option.value, option.label, n, share(n, answered), option.problem)
            )
            if option.score is not None:
                scored += n
                points += n * option.score
    flagged = counts.get(("flag", item.id), 0)
    return ItemFigure(
        item.id,
        item.section,
        item.label,
        answered,
        options,
        points / scored if scored else None,
        flagged,
        share(flagged, answered),
    )


def _section_points(section: PlanSection, counts: Counts) -> tuple[int, float]:
    scored = 0
    points = 0.0
    for item in section.items:
        if item.rating is None:
            continue
        for option in item.rating.options:
            if option.score is not None:
                n = counts.get(("opt", item.id, item.rating.id, option.value), 0)
                scored += n
                points += n * option.score
    return scored, points


def _mean(plan: ChecklistPlan, counts: Counts) -> float | None:
    scored = 0
    points = 0.0
    for section in plan.sections:
        s, p = _section_points(section, counts)
        scored += s
        points += p
    return points / scored if scored else None


def _respondents(counts: Counts) -> int:
    return sum(v for k, v in counts.items() if k[0] == "resp")


def _problems(counts: Counts) -> int:
    return sum(v for k, v in counts.items() if k[0] == "flag")


def _rectify(unit: str, counts: Counts) -> RectifyFigure:
    by_status = {status: counts.get(("rect", status), 0) for status in rules.STATUS_LABELS}
    measures = sum(by_status.values())
    done = sum(n for status, n in by_status.items() if rules.in_completion_rate(status))
    verified = counts.get(("closing", rules.Closing.VERIFIED.value), 0)
    self_reported = counts.get(("closing", rules.Closing.SELF_REPORTED.value), 0)
    return RectifyFigure(
        unit,
        measures,
        by_status,
        counts.get(("overdue",), 0),
        share(done, measures),
        verified=verified,
        self_reported=self_reported,
        verified_rate=share(verified, measures),
        self_reported_rate=share(self_reported, measures),
    )


def unit_order(roster: list[RosterEntry] | None, units: Iterable[str]) -> list[str]:
    """Units in roster order, then the others by name, numbers in counting order
    (第二党支部 before 第十党支部: :func:`~selfcheck.summary.ordering.natural_key`)."""
    order: list[str] = []
    seen: set[str] = set()
    for entry in roster or []:
        if entry.unit not in seen:
            seen.add(entry.unit)
            order.append(entry.unit)
    order.extend(sorted(set(units) - seen, key=natural_key))
    return order


def compute(
    plan: ChecklistPlan,
    counts_by_unit: Mapping[str, Counts],
    roster: list[RosterEntry] | None,
    is_submitted: Callable[[str], bool],
    draft_people: dict[str, str],
) -> Figures:
    """All figures; ``draft_people`` maps each person with a draft to their unit."""
    total = add_counts(counts_by_unit.values())
    units = unit_order(roster, [*counts_by_unit, *draft_people.values()])
    problems = _problems(total)
    sections: list[SectionFigure] = []
    for section in plan.sections:
        items = [_item_figure(item, total) for item in section.items]
        answered = sum(i.answered for i in items)
        flagged = sum(i.flagged for i in items)
        scored, points = _section_points(section, total)
        sections.append(
            SectionFigure(
                section.id,
                section.title,
                section.heading,
                answered,
                flagged,
                share(flagged, answered),
                share(flagged, problems),
                points / scored if scored else None,
                items,
            )
        )
    ranked = sorted(
        (i for s in sections for i in s.items if i.answered),
        key=lambda i: (-i.flagged, -(i.flagged_share or 0.0), plan.item_order[i.id]),
    )
    unit_figures = []
    for unit in units:
        counts = counts_by_unit.get(unit, {})
        n = _respondents(counts)
        flagged = _problems(counts)
        answered = sum(_item_figure(item, counts).answered for item in plan.items.values())
        unit_figures.append(
            UnitFigure(
                unit,
                n,
                flagged,
                share(flagged, n),
                share(flagged, answered),
                _mean(plan, counts),
                [sum(counts.get(("flag", i.id), 0) for i in s.items) for s in plan.sections],
            )
        )
    rectify = [_rectify(unit, counts_by_unit.get(unit, {})) for unit in units]
    rectify.append(_rectify(TOTAL, total))
    by_role = {role: total.get(("resp", role), 0) for role, _ in plan.roles}
    return Figures(
        respondents=_respondents(total),
        by_role=by_role,
        problems=problems,
        participation=_participation(units, counts_by_unit, roster, is_submitted, draft_people),
        sections=sections,
        ranked=ranked,
        units=unit_figures,
        rectify=rectify,
        unit_order=units,
        rechecks=[
            *(_recheck(u, counts_by_unit.get(u, {})) for u in units),
            _recheck(TOTAL, total),
        ],
        completion=[
            *(_completion(u, counts_by_unit.get(u, {})) for u in units),
            _completion(TOTAL, total),
        ],
        reviews=[*(_review(u, counts_by_unit.get(u, {})) for u in units), _review(TOTAL, total)],
    )


def _participation(
    units: list[str],
    counts_by_unit: Mapping[str, Counts],
    roster: list[RosterEntry] | None,
    is_submitted: Callable[[str], bool],
    draft_people: dict[str, str],
) -> list[Participation]:
    expected: dict[str, int] = {}
    on_roster: dict[str, int] = {}
    for entry in roster or []:
        expected[entry.unit] = expected.get(entry.unit, 0) + 1
        if is_submitted(entry.key):
            on_roster[entry.unit] = on_roster.get(entry.unit, 0) + 1
    draft_only: dict[str, int] = {}
    for key, unit in draft_people.items():
        if not is_submitted(key):
            draft_only[unit] = draft_only.get(unit, 0) + 1
    rows = []
    for unit in [*units, TOTAL]:
        if unit == TOTAL:
            submitted = sum(_respondents(c) for c in counts_by_unit.values())
            size = sum(expected.values())
            matched = sum(on_roster.values())
            drafts = sum(draft_only.values())
        else:
            submitted = _respondents(counts_by_unit.get(unit, {}))
            size = expected.get(unit, 0)
            matched = on_roster.get(unit, 0)
            drafts = draft_only.get(unit, 0)
        if roster is None:
            rows.append(Participation(unit, None, submitted, None, drafts, None, None, None))
        else:
            rows.append(
                Participation(
                    unit,
                    size,
                    submitted,
                    matched,
                    drafts,
                    size - matched,
                    submitted - matched,
                    share(matched, size),
                )
            )
    return rows
