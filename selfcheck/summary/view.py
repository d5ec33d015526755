"""Everything a rendered summary shows, in display order: figures, ledger, lists.

Built from a finished :class:`~selfcheck.summary.aggregate.Aggregator` by
reading its records once. Renderers (table, md, html, xlsx, csv) only format
what is here; they compute nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from selfcheck import folder, rules
from selfcheck.summary.aggregate import Aggregator
from selfcheck.summary.figures import Figures, RecheckFigure, compute
from selfcheck.summary.ledger_extra import ledger_cells
from selfcheck.summary.plan import ChecklistPlan
from selfcheck.summary.records import ProblemRow, Record, Skip
from selfcheck.summary.roster import RosterEntry, person_key

LEDGER_COLUMNS = (
    # design.md §4: 序号 | 问题类别 | 问题描述 | 问题来源 | 整改措施 | 责任人 | 整改时限 |
    # 完成情况 | 备注; 单位 follows 责任人 (a bureau ledger spans units); the item is part
    # of 问题类别.
    "序号",
    "问题类别",
    "问题描述（具体表现）",
    "问题来源",
    "整改措施",
    "整改类型",
    "责任人",
    "单位",
    "责任领导",
    "整改时限",
    "完成情况",
    "佐证材料",
    "销号情况",
    "备注",
)
_STATUS_COLUMN = LEDGER_COLUMNS.index("完成情况")
OVERDUE_MARK = "（逾期）"
"""What follows the status of an overdue measure in 完成情况 (docs/rectify.md)."""
SKIP_TITLES = {
    **folder.SKIP_TITLES,
    "not_json": "不是 JSON",
    "schema": "格式不对",
    "checklist": "其他检查表",
    "version": "检查表版本不同",
    rules.CONTENT_DIFFERS: "检查表内容不同",
    "answers": "答案与检查表不符",
    "incomplete": "答卷不完整",
    "draft": "草稿",
    "superseded": "同一人的较早提交",
}
"""The Chinese category of every skip code (a code from elsewhere, e.g. a summary
JSON made by another version, is shown as 其他)."""


@dataclass
class LedgerRow:
    """One row of the 整改台账 (one flagged item of one person)."""

    number: int
    section: str
    item_id: str
    item: str
    problem: str
    cause: str
    source: str
    measure: str
    person: str
    unit: str
    deadline: date | None
    status: str
    status_date: date | None
    note: str
    overdue: bool
    overdue_days: int
    kind: str = ""
    """整改类型."""
    leader: str = ""
    """责任领导."""
    evidence: str = ""
    """佐证材料: names and sizes of the recorded files."""
    closing: str = ""
    """销号情况: 已销号（by whom, when）or 自报完成."""

    @property
    def remark(self) -> str:
        """备注: overdue days, latest progress note and its date."""
        parts = []
        if self.overdue:
            parts.append(f"已逾期 {self.overdue_days} 天")
        if self.note:
            when = f"（{self.status_date.isoformat()}）" if self.status_date else ""
            parts.append(f"{self.note}{when}")
        elif self.status_date:
            parts.append(f"进展日期 {self.status_date.isoformat()}")
        return "；".join(parts)

    @property
    def category(self) -> str:
        """问题类别: the section, with the item in brackets."""
        return f"{self.section}（{self.item}）" if self.item else self.section

    @property
    def status_text(self) -> str:
        """完成情况 as text: the status, followed by :data:`OVERDUE_MARK` when overdue."""
        return self.status + (OVERDUE_MARK if self.overdue else "")

    def sheet_cells(self) -> list[Any]:
        """:meth:`cells` with 完成情况 as :attr:`status_text`: the row as a sheet or a text
        table shows it (csv, xlsx, md; html marks 逾期 with a tag beside the status)."""
        values = self.cells()
        values[_STATUS_COLUMN] = self.status_text
        return values

    def cells(self) -> list[Any]:
        """Values in :data:`LEDGER_COLUMNS` order (dates as dates, 完成情况 the bare status)."""
        return [
            self.number,
            self.category,
            self.problem,
            self.source,
            self.measure,
            self.kind,
            self.person,
            self.unit,
            self.leader,
            self.deadline,
            self.status,
            self.evidence,
            self.closing,
            self.remark,
        ]


@dataclass
class PersonRow:
    """A person in one of the lists (未提交, 名单外)."""

    unit: str
    name: str
    position: str
    role: str
    note: str = ""


@dataclass
class WarningRow:
    """Something stored safely but worth knowing (control characters, overlong text)."""

    file: str
    person: str
    message: str

    @property
    def about_evidence(self) -> bool:
        """A missing or changed 佐证材料 file, not a text made safe."""
        from selfcheck.summary.ledger_extra import EVIDENCE_WARNING

        return self.message.startswith(EVIDENCE_WARNING)


TEXT_WARNINGS = "文字安全处理提示"
EVIDENCE_WARNINGS = "佐证材料核对"


@dataclass
class SummaryView:
    """What every output format shows."""

    plan: ChecklistPlan
    today: date
    conditions: list[str]
    anonymized: bool
    figures: Figures
    ledger: list[LedgerRow]
    missing: list[PersonRow]
    outside: list[PersonRow]
    skipped: list[Skip]
    warnings: list[WarningRow]
    excluded: int
    ignored_files: int
    has_roster: bool
    sources: list[str] = field(default_factory=list)
    similarity: Any = None
    """The 雷同检查 result (:class:`selfcheck.similarity.detect.Result`), None when off."""

    @property
    def warning_groups(self) -> list[tuple[str, list[WarningRow]]]:
        """The warnings under their headings (texts made safe; 佐证材料 to check), non-empty."""
        evidence = [w for w in self.warnings if w.about_evidence]
        texts = [w for w in self.warnings if not w.about_evidence]
        groups = [(TEXT_WARNINGS, texts), (EVIDENCE_WARNINGS, evidence)]
        return [(title, rows) for title, rows in groups if rows]

    @property
    def rechecks(self) -> list[RecheckFigure]:
        """The 回头看 table's rows: each unit with a re-check, then 合计; none at all (the
        table is left out) when nothing was re-checked."""
        figures = self.figures.rechecks
        if not figures or not figures[-1].checked:
            return []
        *units, total = figures
        return [*(u for u in units if u.checked), total]

    @property
    def overdue(self) -> list[LedgerRow]:
        """Measures past their deadline and not done."""
        return [r for r in self.ledger if r.overdue]

    def skipped_by_code(self) -> list[tuple[str, int]]:
        """(category title, count) of the skipped files."""
        counts: dict[str, int] = {}
        for skip in self.skipped:
            title = SKIP_TITLES.get(skip.code, "其他")
            counts[title] = counts.get(title, 0) + 1
        return sorted(counts.items(), key=lambda kv: -kv[1])


def _same_name(name: str, elsewhere: dict[str, set[str]]) -> str:
    """``；名单外有同名的答卷（局办公室），单位是否写法不同？`` for a roster person who has
    not handed in while someone of the same name has, under a unit not on the roster."""
    units = elsewhere.get(name)
    if not units:
        return ""
    return f"；名单外有同名的答卷（{'、'.join(sorted(units))}），单位是否写法不同？"


def draft_people(agg: Aggregator) -> dict[str, str]:
    """Person key → unit, for everyone with a draft."""
    return {person_key(d.unit, d.name): d.unit for d in agg.iter_drafts()}


def figures_of(agg: Aggregator, roster: list[RosterEntry] | None) -> Figures:
    """The figures of a finished aggregation."""
    return compute(agg.plan, agg.counts, roster, agg.is_submitted, draft_people(agg))


def build_view(
    agg: Aggregator, roster: list[RosterEntry] | None, conditions: list[str]
) -> SummaryView:
    """Read the records once and lay out everything for display."""
    plan = agg.plan
    today = agg.today
    figures = figures_of(agg, roster)
    rows: list[LedgerRow] = []
    warnings: list[WarningRow] = []
    roster_keys = {e.key for e in roster or []}
    outside: list[PersonRow] = []
    for record in agg.iter_typed_records():
        who = record.name
        for message in record.warnings:
            warnings.append(WarningRow(record.file, f"{record.unit} {who}", message))
        if roster is not None and person_key(record.unit, who) not in roster_keys:
            outside.append(
                PersonRow(
                    record.unit,
                    who,
                    record.position,
                    plan.role_label(record.role),
                    record.file,
                )
            )
        for problem in record.problems:
            rows.append(_ledger_row(plan, record, problem, today))
    order = {unit: n for n, unit in enumerate(figures.unit_order)}
    rows.sort(
        key=lambda r: (
            not r.overdue,
            (r.deadline or date.max) if r.overdue else date.min,
            plan.item_order[r.item_id],
            order.get(r.unit, len(order)),
            r.person,
        )
    )
    for number, row in enumerate(rows, start=1):
        row.number = number
    drafts = {person_key(d.unit, d.name): d for d in agg.iter_drafts()}
    elsewhere: dict[str, set[str]] = {}  # name → units of 名单外 submissions
    for person in outside:
        elsewhere.setdefault(person.name, set()).add(person.unit)
    missing = [
        PersonRow(
            e.unit,
            e.name,
            e.position,
            plan.role_label(e.role) if e.role else "",
            ("有草稿，未提交" if e.key in drafts else "未见答卷") + _same_name(e.name, elsewhere),
        )
        for e in roster or []
        if not agg.is_submitted(e.key)
    ]
    if roster is None:
        missing = [
            PersonRow(d.unit, d.name, d.position, plan.role_label(d.role), "有草稿，未提交")
            for key, d in sorted(drafts.items())
            if not agg.is_submitted(key)
        ]
    return SummaryView(
        plan=plan,
        today=today,
        conditions=conditions,
        anonymized=agg.anonymizer is not None,
        figures=figures,
        ledger=rows,
        missing=missing,
        outside=outside,
        skipped=sorted(agg.iter_skips(), key=lambda s: (s.file, s.code)),
        warnings=warnings,
        excluded=agg.excluded,
        ignored_files=agg.ignored_files,
        has_roster=roster is not None,
    )


def _ledger_row(plan: ChecklistPlan, record: Record, problem: ProblemRow, today: date) -> LedgerRow:
    item = plan.items[problem.item]
    section = plan.section_of[item.id]
    deadline = problem.deadline
    overdue = problem.overdue(today)
    opinion = problem.opinion
    source = problem.source or rules.DEFAULT_SOURCE
    if opinion:
        source += f"；群众意见：{opinion}"
    return LedgerRow(
        number=0,
        section=section.title,
        item_id=item.id,
        item=item.label,
        problem=problem.problem,
        cause=problem.cause,
        source=source,
        measure=problem.measure,
        person=record.name,
        unit=record.unit,
        deadline=deadline,
        status=problem.status.value,
        status_date=problem.status_date,
        note=problem.status_note,
        overdue=overdue,
        overdue_days=(today - deadline).days if overdue and deadline else 0,
        **ledger_cells(problem),
    )
