"""The parts of a rendered summary, in order, shared by md, html and xlsx."""

from __future__ import annotations

from selfcheck.summary.view import LedgerRow, SummaryView

HEADINGS = (
    "一、参与情况",
    "二、查摆问题分类统计",
    "三、检查项评价情况（按查摆问题人数排序）",
    "四、各单位对比",
    "五、查摆问题清单（按类别）",
    "六、整改台账",
    "七、整改情况统计",
    "八、未提交名单",
    "九、未计入的文件",
)


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
