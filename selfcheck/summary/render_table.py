"""The summary as rich tables in the terminal (the default format).

User text is passed as plain strings to a console with markup off (see
:mod:`selfcheck.console`) and was cleaned of control characters on the way in.
Long lists (the full ledger) are left to the file formats; the terminal shows
the figures, the overdue measures, who is missing and what was skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from selfcheck.rules import STATUS_LABELS
from selfcheck.summary.textfmt import chinese_date, day, mean, opt_int, pct, ratio
from selfcheck.summary.view import SummaryView

if TYPE_CHECKING:
    from rich.console import Console

TERMINAL_LIMIT = 30


def render_table(view: SummaryView, console: Console) -> None:
    """Print the summary."""
    plan = view.plan
    f = view.figures
    title = f"{plan.title} · 汇总"
    console.print(Text(title, style="bold"))
    facts = [f"检查表 {plan.id} {plan.version}", f"统计日期 {chinese_date(view.today)}"]
    facts += view.conditions
    if view.anonymized:
        facts.append("已匿名（姓名以编号代替）")
    console.print(Text("；".join(facts), style="dim"))
    console.print(
        Text(
            f"已提交 {f.respondents} 人，查摆问题 {f.problems} 条；"
            f"未计入的文件 {len(view.skipped)} 个"
            + (f"；按条件排除 {view.excluded} 份" if view.excluded else "")
        )
    )

    t = Table(title="一、参与情况", title_justify="left")
    for column in ("单位", "应参加", "已提交", "仅有草稿", "未提交", "名单外", "完成率"):
        t.add_column(column, justify="left" if column == "单位" else "right")
    for p in f.participation:
        t.add_row(
            p.unit,
            opt_int(p.roster),
            str(p.submitted),
            str(p.draft_only),
            opt_int(p.missing),
            opt_int(p.outside),
            pct(p.rate),
            style="bold" if p is f.participation[-1] else None,
        )
    console.print(t)

    t = Table(title="二、查摆问题分类统计", title_justify="left")
    for column in ("问题类别", "条数", "占比", "作答人次", "问题率", "平均分"):
        t.add_column(column, justify="left" if column == "问题类别" else "right")
    for s in f.sections:
        t.add_row(
            s.heading,
            str(s.flagged),
            pct(s.problem_share),
            str(s.answered),
            pct(s.flagged_share),
            mean(s.mean),
        )
    t.add_row("合计", str(f.problems), pct(1.0 if f.problems else None), "", "", "", style="bold")
    console.print(t)

    t = Table(
        title="三、检查项排名（按查摆问题人数；评价分布为占作答人数的比例）", title_justify="left"
    )
    t.add_column("名次", justify="right", no_wrap=True, min_width=2)
    t.add_column("检查项", overflow="fold", min_width=8)
    t.add_column("类别", no_wrap=True)
    t.add_column("作答", justify="right", no_wrap=True)
    scales = {tuple(o.label for o in item.options) for item in f.ranked}
    shared = next(iter(scales)) if len(scales) == 1 else None
    # One column per rating option needs a wide terminal; otherwise the spread is
    # stacked in one column so the figures on the right are never cut off.
    columns_fit = shared is not None and console.width >= 40 + 9 * (len(shared) + 7)
    if shared is not None and columns_fit:
        for label in shared:
            t.add_column(label, justify="right", no_wrap=True)
    else:
        t.add_column("评价分布", overflow="fold")
    t.add_column("平均分", justify="right", no_wrap=True)
    t.add_column("问题", justify="right", no_wrap=True)
    t.add_column("问题率", justify="right", no_wrap=True)
    sections = {s.id: s.title for s in plan.sections}
    for rank, item in enumerate(f.ranked, start=1):
        spread = [pct(o.share) for o in item.options]
        if not columns_fit:
            spread = ["\n".join(f"{o.label} {o.count}（{pct(o.share)}）" for o in item.options)]
        t.add_row(
            str(rank),
            item.label,
            sections[item.section],
            str(item.answered),
            *spread,
            mean(item.mean),
            str(item.flagged),
            pct(item.flagged_share),
        )
    console.print(t)

    t = Table(title="四、各单位对比", title_justify="left")
    t.add_column("单位")
    for column in ("人数", "问题", "人均", "问题率", "平均分"):
        t.add_column(column, justify="right")
    for plan_section in plan.sections:
        t.add_column(plan_section.title, justify="right")
    for u in f.units:
        t.add_row(
            u.unit,
            str(u.respondents),
            str(u.problems),
            ratio(u.per_person),
            pct(u.flagged_share),
            mean(u.mean),
            *[str(n) for n in u.by_section],
        )
    console.print(t)

    t = Table(title="五、整改情况", title_justify="left")
    t.add_column("单位")
    for column in ("措施", *STATUS_LABELS, "逾期未完成", "完成率"):
        t.add_column(column, justify="right")
    for r in f.rectify:
        t.add_row(
            r.unit,
            str(r.measures),
            *[str(n) for n in r.by_status.values()],
            Text(str(r.overdue), style="red" if r.overdue else ""),
            pct(r.done_rate),
            style="bold" if r is f.rectify[-1] else None,
        )
    console.print(t)

    overdue = view.overdue
    if overdue:
        t = Table(title=f"逾期未完成的整改措施（{len(overdue)} 条）", title_justify="left")
        for column in (
            "序号",
            "单位",
            "责任人",
            "检查项",
            "整改措施",
            "整改时限",
            "完成情况",
            "逾期",
        ):
            t.add_column(column)
        for row in overdue[:TERMINAL_LIMIT]:
            t.add_row(
                str(row.number),
                row.unit,
                row.person,
                row.item,
                row.measure,
                day(row.deadline),
                row.status,
                Text(f"{row.overdue_days} 天", style="red"),
            )
        console.print(t)
        _more(console, len(overdue))
    console.print(
        Text(
            f"完整的问题清单和整改台账（{len(view.ledger)} 条）："
            "--format xlsx -o 汇总.xlsx 或 --format html",
            style="dim",
        )
    )

    if view.missing:
        t = Table(title=f"六、未提交名单（{len(view.missing)} 人）", title_justify="left")
        for column in ("单位", "姓名", "职务", "类别", "情况"):
            t.add_column(column)
        for person in view.missing[:TERMINAL_LIMIT]:
            t.add_row(person.unit, person.name, person.position, person.role, person.note)
        console.print(t)
        _more(console, len(view.missing))
    if view.outside:
        t = Table(
            title=f"不在名单中的提交人（{len(view.outside)} 人，请核对姓名和单位）",
            title_justify="left",
        )
        for column in ("单位", "姓名", "文件"):
            t.add_column(column)
        for person in view.outside[:TERMINAL_LIMIT]:
            t.add_row(person.unit, person.name, person.note)
        console.print(t)
        _more(console, len(view.outside))

    if view.skipped:
        t = Table(title=f"七、未计入的文件（{len(view.skipped)} 个）", title_justify="left")
        t.add_column("文件")
        t.add_column("原因")
        for skip in view.skipped[:TERMINAL_LIMIT]:
            t.add_row(skip["file"], skip["reason"])
        console.print(t)
        _more(console, len(view.skipped))
        console.print(
            Text(
                "分类：" + "，".join(f"{title} {n}" for title, n in view.skipped_by_code()),
                style="dim",
            )
        )
    if view.ignored_files:
        console.print(
            Text(
                f"文件夹中另有 {view.ignored_files} 个非 .json 文件（报告、名单等）未读取。",
                style="dim",
            )
        )
    if view.warnings:
        t = Table(title=f"提示：{len(view.warnings)} 处文字已安全处理", title_justify="left")
        for column in ("文件", "人员", "说明"):
            t.add_column(column)
        for w in view.warnings[:TERMINAL_LIMIT]:
            t.add_row(w.file, w.person, w.message)
        console.print(t)
        _more(console, len(view.warnings))


def _more(console: Console, total: int) -> None:
    if total > TERMINAL_LIMIT:
        console.print(
            Text(
                f"……另有 {total - TERMINAL_LIMIT} 条，完整列表见 md、html 或 xlsx 格式。",
                style="dim",
            )
        )
