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
