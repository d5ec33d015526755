"""The summary as Markdown, for pasting into a report.

Every user string goes through :func:`cell`: Markdown punctuation and angle
brackets are backslash-escaped (so no user text becomes a link, emphasis or raw
HTML) and line breaks become spaces so a table row stays one row.
"""

from __future__ import annotations

import re
from datetime import date

from selfcheck.summary.ledger_extra import (
    REVIEW_COLUMNS,
    REVIEW_NOTE,
    review_cells,
)
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
    closing_cells,
    heading_after_all,
    heading_facts,
    problem_groups,
)
from selfcheck.summary.textfmt import day, mean, opt_int, pct, ratio
from selfcheck.summary.view import LEDGER_COLUMNS, LedgerRow, SummaryView

_ACTIVE = re.compile(r"([\\`*_{}\[\]<>#|!~])")


def cell(text: object) -> str:
    """A value made safe for a Markdown table cell or list item."""
    value = "" if text is None else str(text)
    value = " ".join(value.split())
    return _ACTIVE.sub(r"\\\1", value)


_NUMBER = re.compile(r"^(—|-?\d+(\.\d+)?%?(（-?\d+(\.\d+)?%）)?)$")


def _numeric(rows: list[list[str]], column: int) -> bool:
    """A column of numbers (12, 3.5%, 0.80, 4（12.5%）, — for none), right-aligned."""
    values = [r[column] for r in rows if column < len(r) and r[column] != ""]
    return bool(values) and all(_NUMBER.match(v) for v in values)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A GFM table; number columns are right-aligned (``---:``), header included."""
    rule = ["---:" if _numeric(rows, n) else "---" for n in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(rule) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def ledger_cells(row: LedgerRow) -> list[str]:
    """One ledger row as Markdown cells, in :data:`LEDGER_COLUMNS` order."""
    out = []
    for value in row.sheet_cells():
        if isinstance(value, date):
            out.append(day(value))
        elif isinstance(value, int):
            out.append(str(value))
        else:
            out.append(cell(value))
    return out


def render_markdown(view: SummaryView) -> str:
    """The whole summary as one Markdown document."""
    plan = view.plan
    f = view.figures
    out: list[str] = [f"# {cell(plan.title)}汇总", ""]
    facts = [cell(fact) for fact in heading_facts(view)]
    out += ["；".join(facts), ""]
    out += [
        f"共收到有效答卷 {f.respondents} 份，查摆问题 {f.problems} 条，"
        f"制定整改措施 {f.rectify[-1].measures} 条，逾期未完成 {f.rectify[-1].overdue} 条。",
        "",
    ]

    out += [f"## {HEADINGS[0]}", ""]
    out += _table(
        list(PARTICIPATION_COLUMNS),
        [
            [
                cell(p.unit),
                opt_int(p.roster),
                str(p.submitted),
                str(p.draft_only),
                opt_int(p.missing),
                opt_int(p.outside),
                pct(p.rate),
            ]
            for p in f.participation
        ],
    )

    out += [f"## {HEADINGS[1]}", ""]
    rows = [
        [
            cell(s.heading),
            str(s.flagged),
            pct(s.problem_share),
            str(s.answered),
            pct(s.flagged_share),
            mean(s.mean),
        ]
        for s in f.sections
    ]
    rows.append(["合计", str(f.problems), pct(1.0 if f.problems else None), "", "", ""])
    out += _table(list(SECTION_COLUMNS), rows)

    out += [f"## {HEADINGS[2]}", ""]
    sections = {s.id: s.title for s in plan.sections}
    out += _table(
        ["名次", "检查项", "类别", "作答", "评价分布", "平均分", "问题", "问题率"],
        [
            [
                str(n),
                cell(i.label),
                cell(sections[i.section]),
                str(i.answered),
                "；".join(f"{cell(o.label)} {o.count}（{pct(o.share)}）" for o in i.options),
                mean(i.mean),
                str(i.flagged),
                pct(i.flagged_share),
            ]
            for n, i in enumerate(f.ranked, start=1)
        ],
    )

    out += [f"## {HEADINGS[3]}", ""]
    out += _table(
        [*UNIT_COLUMNS, *[cell(s.title) for s in plan.sections]],
        [
            [
                cell(u.unit),
                str(u.respondents),
                str(u.problems),
                ratio(u.per_person),
                pct(u.flagged_share),
                mean(u.mean),
                *[str(n) for n in u.by_section],
            ]
            for u in f.units
        ],
    )

    out += [f"## {HEADINGS[4]}", ""]
    for heading, rows_ in problem_groups(view):
        out += [f"### {cell(heading)}（{len(rows_)} 条）", ""]
        for n, row in enumerate(rows_, start=1):
            out.append(
                f"{n}. 【{cell(row.unit)} {cell(row.person)}】{cell(row.item)}：{cell(row.problem)}"
            )
        out.append("")

    out += [f"## {HEADINGS[5]}", ""]
    if view.overdue:
        out += [f"逾期未完成 {len(view.overdue)} 条，列在最前。", ""]
    out += _table(list(LEDGER_COLUMNS), [ledger_cells(r) for r in view.ledger])

    out += [f"## {HEADINGS[6]}", ""]
    out += _table(
        list(RECTIFY_COLUMNS),
        [
            [
                cell(r.unit),
                str(r.measures),
                *[str(n) for n in r.by_status.values()],
                str(r.overdue),
                pct(r.done_rate),
                *closing_cells(r),
            ]
            for r in f.rectify
        ],
    )
    out += [RECTIFY_NOTE + "括号内为占整改措施总数的比例。", ""]
    if view.rechecks:
        out += [f"### {RECHECK_TITLE}", ""]
        out += _table(
            list(RECHECK_COLUMNS),
            [
                [cell(c.unit), str(c.checked), *map(str, c.by_result.values()), pct(c.rebound_rate)]
                for c in view.rechecks
            ],
        )
        out += [RECHECK_NOTE, ""]
    out += ["### 材料审核", ""]
    out += _table(
        list(REVIEW_COLUMNS),
        [[cell(c) for c in review_cells(r)] for r in f.reviews],
    )
    out += [REVIEW_NOTE, ""]

    out += [f"## {HEADINGS[7]}", ""]
    if view.missing:
        out += _table(
            ["单位", "姓名", "职务", "类别", "情况"],
            [
                [cell(p.unit), cell(p.name), cell(p.position), cell(p.role), cell(p.note)]
                for p in view.missing
            ],
        )
    else:
        out += ["无。" if view.has_roster else "未提供名单（--roster），无法统计未提交人员。", ""]
    if view.outside:
        out += ["不在名单中的提交人（请核对姓名和单位）：", ""]
        out += _table(
            ["单位", "姓名", "文件"],
            [[cell(p.unit), cell(p.name), cell(p.note)] for p in view.outside],
        )

    out += [f"## {HEADINGS[8]}", ""]
    if view.skipped:
        out += ["，".join(f"{title} {n} 个" for title, n in view.skipped_by_code()) + "。", ""]
        out += _table(["文件", "原因"], [[cell(s.file), cell(s.reason)] for s in view.skipped])
    else:
        out += ["无。", ""]
    if view.ignored_files:
        out += [f"文件夹中另有 {view.ignored_files} 个非 .json 文件（报告、名单等）未读取。", ""]
    if view.excluded:
        out += [f"按筛选条件排除 {view.excluded} 份。", ""]
    for title, warned in view.warning_groups:
        out += [f"{title}：", ""]
        out += _table(
            ["文件", "人员", "说明"],
            [[cell(w.file), cell(w.person), cell(w.message)] for w in warned],
        )
    if view.similarity is not None:
        from selfcheck.similarity.render import TITLE, markdown_section

        heading = heading_after_all(TITLE)
        out += ["", *markdown_section(view.similarity, plan, cell, heading)]
    return "\n".join(out).rstrip() + "\n"
