"""How each column of a summary table is laid out, by its header: width, wrapping, kind.

One table of column layouts serves xlsx (column widths in Excel character
units), html (``<col>`` percentages) and md (alignment). Renderers look a
column up by its header text, so a column another part of the program adds
to :data:`~selfcheck.summary.view.LEDGER_COLUMNS` gets a sensible default
layout (wrapped text) without touching the renderers.

Widths are fitted to the printable width of A4 landscape by :func:`fit_widths`:
fixed columns keep their width, flexible ones share what is left by weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "number", "date", "status"]


@dataclass(frozen=True)
class ColumnLayout:
    """The layout of one column.

    ``width`` is in Excel character units (one unit ≈ 5.25 pt); with
    ``weight`` > 0 the column is flexible and ``width`` is its minimum.
    """

    width: float
    weight: float = 0.0
    kind: Kind = "text"
    wrap: bool = True

    @property
    def numeric(self) -> bool:
        """Right-aligned (numbers and dates), header included."""
        return self.kind in ("number", "date")


DEFAULT_COLUMN = ColumnLayout(10.0, weight=0.5)
"""A column nobody described: wrapped text that may grow a little."""

COLUMN_LAYOUTS: dict[str, ColumnLayout] = {
    "序号": ColumnLayout(5.0, kind="number", wrap=False),
    "问题类别": ColumnLayout(10.0),
    "检查项": ColumnLayout(16.0),
    "问题描述（具体表现）": ColumnLayout(18.0, weight=3.0),
    "具体表现": ColumnLayout(18.0, weight=3.0),
    "原因剖析": ColumnLayout(16.0, weight=2.0),
    "问题来源": ColumnLayout(8.0, weight=0.8),
    "整改措施": ColumnLayout(18.0, weight=3.0),
    "整改类型": ColumnLayout(7.5),
    "责任人": ColumnLayout(7.5),
    "责任领导": ColumnLayout(7.5),
    "姓名": ColumnLayout(8.5),
    "单位": ColumnLayout(9.5),
    "职务": ColumnLayout(10.0),
    "类别": ColumnLayout(9.0),
    "整改时限": ColumnLayout(11.0, kind="date", wrap=False),
    "完成情况": ColumnLayout(8.0, kind="status"),
    "佐证材料": ColumnLayout(8.0, weight=0.8),
    "销号情况": ColumnLayout(8.0, weight=0.8),
    "备注": ColumnLayout(8.0, weight=1.0),
    "情况": ColumnLayout(12.0, weight=1.0),
    "文件": ColumnLayout(20.0, weight=1.0),
    "原因": ColumnLayout(20.0, weight=1.0),
    "人员": ColumnLayout(14.0),
    "说明": ColumnLayout(20.0, weight=1.0),
}


def layout_of(header: str) -> ColumnLayout:
    """The layout of the column headed ``header`` (a default for unknown headers)."""
    return COLUMN_LAYOUTS.get(header, DEFAULT_COLUMN)


def fit_widths(layouts: Sequence[ColumnLayout], total: float) -> list[float]:
    """Column widths that add up to ``total`` (or less, when nothing may grow).

    Fixed columns keep their width; flexible columns get their minimum plus a
    share of what is left by weight. When even the minimums exceed ``total``,
    every column shrinks in proportion (the caller then prints smaller).
    """
    base = [c.width for c in layouts]
    spare = total - sum(base)
    weights = sum(c.weight for c in layouts)
    if spare < 0:
        return [round(w * total / sum(base), 2) for w in base]
    if weights == 0:
        return base
    return [round(c.width + spare * c.weight / weights, 2) for c in layouts]


def percentages(widths: Sequence[float]) -> list[float]:
    """Widths as percentages of their sum (for HTML ``<col>``)."""
    whole = sum(widths) or 1.0
    return [round(100 * w / whole, 1) for w in widths]
