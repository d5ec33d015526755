"""The summary as one self-contained HTML page: inline CSS and SVG, no JavaScript.

Rendered from ``templates/summary/summary.html.j2`` through the one Jinja
factory with autoescape on, so every free-text answer is escaped; charts come
from :mod:`selfcheck.summary.charts`, which escapes its labels itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from selfcheck import __version__, rules
from selfcheck.jinja import make_environment
from selfcheck.paths import builtin_templates_dir
from selfcheck.summary.charts import Bar, Segment, bar_chart, option_colors, stacked_chart
from selfcheck.summary.columns import ColumnLayout, fit_widths, layout_of, percentages
from selfcheck.summary.ledger_extra import REVIEW_COLUMNS, REVIEW_NOTE, review_cells
from selfcheck.summary.sections import (
    HEADINGS,
    PARTICIPATION_COLUMNS,
    RECHECK_COLUMNS,
    RECHECK_NOTE,
    RECHECK_TITLE,
    RECTIFY_COLUMNS,
    RECTIFY_NOTE,
    SECTION_COLUMNS,
    UNIT_COLUMNS,
    heading_after_all,
    heading_facts,
    problem_groups,
)
from selfcheck.summary.textfmt import chinese_date, day, mean, opt_int, pct, ratio
from selfcheck.summary.view import LEDGER_COLUMNS, SummaryView

TEMPLATE = "summary.html.j2"
PRINT_WIDTH_UNITS = (297 - 24) / 25.4 * 72 / 5.25
"""The printed width of A4 landscape (12 mm margins) in the column layouts' units."""


@dataclass(frozen=True)
class HtmlColumn:
    """A ledger column as the page lays it out: header, share of the width, kind."""

    header: str
    percent: float
    kind: str
    numeric: bool


def ledger_layout(columns: Sequence[str] = LEDGER_COLUMNS) -> list[HtmlColumn]:
    """The ledger's columns, sized from the one layout table (:mod:`.columns`)."""
    layouts: list[ColumnLayout] = [layout_of(c) for c in columns]
    widths = percentages(fit_widths(layouts, PRINT_WIDTH_UNITS))
    return [
        HtmlColumn(name, pct_, c.kind, c.numeric)
        for name, c, pct_ in zip(columns, layouts, widths, strict=True)
    ]


def status_tag(status: str) -> str:
    """The ledger's status badge: ``done`` (closed), ``doing`` (整改中) or ``todo``."""
    if rules.is_closed(status):
        return "done"
    return "doing" if status == rules.Status.IN_PROGRESS.value else "todo"


def charts(view: SummaryView) -> dict[str, Any]:
    """Every chart of the page, as SVG markup."""
    f = view.figures
    out: dict[str, Any] = {
        "sections": bar_chart(
            "查摆问题按类别",
            [
                Bar(s.heading, s.flagged, f"{s.flagged} 条（{pct(s.problem_share)}）")
                for s in f.sections
            ],
        ),
        "items": [],
        "units": [],
    }
    for section in f.sections:
        rows = []
        for item in section.items:
            colors = option_colors([o.problem for o in item.options])
            rows.append(
                (
                    item.label,
                    [
                        Segment(o.share or 0.0, c, o.label, o.count)
                        for o, c in zip(item.options, colors, strict=True)
                    ],
                )
            )
        if any(item.answered for item in section.items):
            out["items"].append(stacked_chart(f"{section.heading}：各检查项自我评价分布", rows))
    units = [p for p in f.participation[:-1]]
    if view.has_roster:
        out["units"].append(
            bar_chart(
                "各单位提交完成率",
                [
                    Bar(p.unit, p.rate or 0.0, f"{pct(p.rate)}（{p.on_roster}/{p.roster}）")
                    for p in units
                ],
                maximum=1.0,
            )
        )
    out["units"].append(
        bar_chart(
            "各单位人均查摆问题（条）",
            [
                Bar(u.unit, u.per_person or 0.0, f"{ratio(u.per_person)}（{u.problems} 条）")
                for u in f.units
            ],
            color="#f0b25a",
        )
    )
    out["units"].append(
        bar_chart(
            f"各单位整改完成率（{rules.RATE_FORMULA}）",
            [
                Bar(r.unit, r.done_rate or 0.0, f"{pct(r.done_rate)}（{r.measures} 条措施）")
                for r in f.rectify[:-1]
            ],
            maximum=1.0,
            color="#16a085",
        )
    )
    return out


def render_html(view: SummaryView) -> str:
    """The whole page."""
    env = make_environment(
        "builtin", search_path=[builtin_templates_dir() / "summary"], autoescape=True
    )
    env.filters.update(
        pct=pct, mean=mean, ratio=ratio, opt_int=opt_int, day=day, status_tag=status_tag
    )
    template = env.get_template(TEMPLATE)
    similarity = Markup("")
    if view.similarity is not None:
        from selfcheck.similarity.render import TITLE, html_section

        similarity = html_section(view.similarity, view.plan, heading_after_all(TITLE))
    sections = {s.id: s.title for s in view.plan.sections}
    layout = ledger_layout()
    return template.render(
        view=view,
        f=view.figures,
        plan=view.plan,
        headings=HEADINGS,
        groups=problem_groups(view),
        ledger_columns=LEDGER_COLUMNS,
        ledger_layout=layout,
        ledger_rows=[(r, list(zip(r.cells(), layout, strict=True))) for r in view.ledger],
        section_titles=sections,
        charts=charts(view),
        today=chinese_date(view.today),
        generator=f"selfcheck {__version__}",
        nbsp=Markup("&nbsp;"),
        participation_columns=PARTICIPATION_COLUMNS,
        section_columns=SECTION_COLUMNS,
        unit_columns=UNIT_COLUMNS,
        rectify_columns=RECTIFY_COLUMNS,
        rectify_note=RECTIFY_NOTE,
        recheck_title=RECHECK_TITLE,
        recheck_columns=RECHECK_COLUMNS,
        recheck_note=RECHECK_NOTE,
        review_columns=REVIEW_COLUMNS,
        review_cells=review_cells,
        review_note=REVIEW_NOTE,
        similarity=similarity,
        facts=heading_facts(view),
    )
