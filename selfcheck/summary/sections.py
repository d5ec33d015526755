"""The parts of a rendered summary, in order, and the columns and notes of its tables:
shared by every format (terminal, md, html, xlsx)."""

from __future__ import annotations

from collections.abc import Sequence

from selfcheck import rules
from selfcheck.report.numerals import part_number
from selfcheck.summary.figures import RectifyFigure
from selfcheck.summary.ledger_extra import CLOSING_COLUMNS, CLOSING_NOTE
from selfcheck.summary.textfmt import chinese_date, pct
from selfcheck.summary.view import LedgerRow, SummaryView

TITLES = (
    "参与情况",
    "查摆问题分类统计",
    "检查项评价情况（按查摆问题人数排序）",
    "各单位对比",
    "查摆问题清单（按类别）",
    "整改台账",
    "整改情况统计",
    "未提交名单",
    "未计入的文件",
)
"""The parts of a full summary, in order (md and html show them all)."""


def numbered(titles: Sequence[str]) -> tuple[str, ...]:
    """``一、参与情况``…: the parts a format shows, numbered in the order it shows them."""
    return tuple(f"{part_number(n)}{title}" for n, title in enumerate(titles, start=1))


def titles_of(*indices: int) -> tuple[str, ...]:
    """The numbered headings of the parts at ``indices`` of :data:`TITLES` (a format that
    shows only some of them, such as the terminal and the xlsx summary sheet)."""
    return numbered([TITLES[i] for i in indices])


HEADINGS = numbered(TITLES)


def heading_after_all(title: str) -> str:
    """The numbered heading of a part shown after all of :data:`TITLES` (雷同检查 in md
    and html, which show every part): ``十、雷同检查``."""
    return numbered([*TITLES, title])[-1]


PARTICIPATION_COLUMNS = ("单位", "应参加", "已提交", "仅有草稿", "未提交", "名单外", "完成率")
"""The 参与情况 table (:class:`~.figures.Participation` per row)."""
SECTION_COLUMNS = ("问题类别", "条数", "占比", "作答人次", "问题率", "平均分")
"""The 查摆问题分类统计 table (:class:`~.figures.SectionFigure` per row)."""
UNIT_COLUMNS = ("单位", "人数", "问题", "人均", "问题率", "平均分")
"""The 各单位对比 table, before one column per section (:class:`~.figures.UnitFigure`)."""

RECTIFY_COLUMNS = (
    "单位",
    "措施",
    *rules.STATUS_LABELS,
    "逾期未完成",
    "整改完成率",
    *CLOSING_COLUMNS,
)
"""The 整改情况统计 table, in every format (:class:`~.figures.RectifyFigure` per row)."""
RECTIFY_NOTES = (
    f"{rules.RATE_DEFINITION}。",
    "逾期未完成＝整改时限早于统计日期且尚未完成或转入长期坚持。",
    CLOSING_NOTE,
)
"""What the 整改情况统计 table's figures mean (rules.RATE_DEFINITION, rules.is_overdue), a
sentence each (a spreadsheet gives each its own row)."""
RECTIFY_NOTE = "".join(RECTIFY_NOTES)

RECHECK_TITLE = "回头看"
"""The table under 整改情况统计 that counts the committee's 回头看 (shown when there is one)."""
RECHECK_COLUMNS = ("单位", "复查", *(r.label for r in rules.RECHECK_RESULTS), "反弹率")
"""The 回头看 table, in every format (:attr:`~.view.SummaryView.rechecks` for its rows)."""
RECHECK_NOTE = "反弹率 = 反弹 ÷ 复查（每项措施以最近一次回头看为准）。"
"""What the 回头看 table's 反弹率 means (:func:`selfcheck.summary.figures._recheck`)."""


def closing_cells(row: RectifyFigure) -> list[str]:
    """已销号 and 自报完成 of a 整改情况 row as text: the count and its share of the measures."""
    return [
        f"{row.verified}（{pct(row.verified_rate)}）",
        f"{row.self_reported}（{pct(row.self_reported_rate)}）",
    ]


def problem_groups(view: SummaryView) -> list[tuple[str, list[LedgerRow]]]:
    """The problems grouped by section (in checklist order), then by unit, person and item."""
    plan = view.plan
    units = {unit: n for n, unit in enumerate(view.figures.unit_order)}
    groups: list[tuple[str, list[LedgerRow]]] = []
    for section in plan.sections:
        item_ids = {i.id for i in section.items}
        rows = [r for r in view.ledger if r.item_id in item_ids]
        rows.sort(
            key=lambda r: (units.get(r.unit, len(units)), r.person, plan.item_order[r.item_id])
        )
        groups.append((section.heading, rows))
    return groups


def heading_facts(view: SummaryView, *, dated: bool = True) -> list[str]:
    """What every format says under a summary's title: the checklist and its version,
    the day it counts to (``dated``; the workbook has it in its title), the conditions
    and whether names are hidden."""
    plan = view.plan
    facts = [f"检查表：{plan.id}（{plan.version} 版）"]
    if dated:
        facts.append(f"统计日期：{chinese_date(view.today)}")
    facts += view.conditions
    if view.anonymized:
        facts.append("已匿名（姓名以编号代替）")
    return facts
