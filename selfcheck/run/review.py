"""The review before submit, in the terminal: the answers table.

What is missing and the quality warnings are the engine's
(:meth:`selfcheck.engine.Engine.review`); this module only draws them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from selfcheck.answers import display_answer
from selfcheck.response import Answer
from selfcheck.rules import PROBLEM, marks_problem, question_for, rating_question

if TYPE_CHECKING:
    from selfcheck.checklist.model import Checklist

BRIEF_CHARS = 24


def brief(text: str, limit: int = BRIEF_CHARS) -> str:
    """The first line of ``text``, cut to ``limit`` characters."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def review_help(count: int) -> str:
    """What ``?`` says on the review page: what it accepts and what each does."""
    return (
        f"这是提交前的核对页，列出全部 {count} 项的答案。"
        f"输入序号（1～{count}）重新填写该项，填完回到这一页；"
        "直接回车提交：先确认一次，提交后生成答卷文件和对照检查材料；"
        "还有必答题没有完成时不能提交，会先转到第一处没有完成的题；"
        f"< 重新填写最后一项（第 {count} 项）。"
    )


def review_table(
    checklist: Checklist, role: str, answers: Mapping[str, Mapping[str, Answer]]
) -> Table:
    """序号 | 章节 | 检查项 | 自评 | 查摆的问题（摘要）."""
    table = Table(title="核对答案", show_lines=False, expand=False)
    table.add_column("序号", justify="right", no_wrap=True)
    table.add_column("章节", no_wrap=True)
    table.add_column("检查项")
    table.add_column("自评", no_wrap=True)
    table.add_column("查摆的问题（摘要）")
    for number, (section, item) in enumerate(checklist.items_for(role), start=1):
        given = answers.get(item.id, {})
        rating = rating_question(item.questions)
        value = given.get(rating.id) if rating is not None else None
        if rating is None:
            rating_cell = Text("—", style="dim")
        elif value is None:
            rating_cell = Text("（未答）", style="red")
        else:
            style = "yellow" if marks_problem(item, given) else "green"
            rating_cell = Text(display_answer(rating, value), style=style)
        problem_q = question_for(item.questions, PROBLEM)
        problem = given.get(problem_q.id) if problem_q is not None else None
        problem_cell = Text(brief(problem) if isinstance(problem, str) else "")
        table.add_row(
            Text(str(number)),
            Text(section.title),
            Text(brief(item.label, 18)),
            rating_cell,
            problem_cell,
        )
    return table
