"""Review before submit: the answers table and the quality checks.

The checks are the committee's 问题准、原因清、措施明 turned into warnings:
a 具体表现 too short or copied from the checklist wording, a 整改措施 without
a 整改时限, a whole section where nothing was found. They warn, never block.
Which answer is which comes from ``Question.meaning`` and ``Option.problem``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from selfcheck.answers import display_answer, is_empty, marks_problem
from selfcheck.response import Answer

if TYPE_CHECKING:
    from selfcheck.checklist.model import Checklist, Item, Question, Section

MIN_PROBLEM_CHARS = 15
"""A 具体表现 shorter than this (letters and digits only) is too vague to act on."""
COPY_RATIO = 0.6
"""Share of a 具体表现 made of runs copied from the item's wording that counts as copying."""
COPY_MIN_RUN = 4
BRIEF_CHARS = 24

_NOT_WORDS = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class QualityWarning:
    """A reason to look again before submitting (never a block)."""

    number: int | None
    item_id: str | None
    message: str

    def format(self) -> str:
        """``第 4 项：message`` or the bare message for whole-section warnings."""
        return f"第 {self.number} 项：{self.message}" if self.number else self.message


def rating_question(item: Item) -> Question | None:
    """The question that rates the item (meaning rating, else the first single choice)."""
    found = item.by_meaning("rating")
    if found is not None:
        return found
    return next((q for q in item.questions if q.type == "single_choice"), None)


def letters(text: str) -> str:
    """Text without punctuation and blanks (for length and copy checks)."""
    return _NOT_WORDS.sub("", text)


def copies_wording(answer: str, sources: list[str]) -> bool:
    """True when most of ``answer`` is runs of text taken from ``sources``."""
    mine = letters(answer)
    if not mine:
        return False
    for source in sources:
        theirs = letters(source)
        if not theirs:
            continue
        matcher = SequenceMatcher(None, mine, theirs, autojunk=False)
        copied = sum(b.size for b in matcher.get_matching_blocks() if b.size >= COPY_MIN_RUN)
        if copied / len(mine) >= COPY_RATIO:
            return True
    return False


def quality_warnings(
    checklist: Checklist, role: str, answers: Mapping[str, Mapping[str, Answer]]
) -> list[QualityWarning]:
    """Every quality warning for a set of answers, in checklist order."""
    warnings: list[QualityWarning] = []
    number = 0
    for section in checklist.sections_for(role):
        rated = 0
        found = 0
        for item in section.items:
            number += 1
            given = answers.get(item.id, {})
            rating = rating_question(item)
            if rating is not None and not is_empty(given.get(rating.id)):
                rated += 1
            if not marks_problem(item, given):
                continue
            found += 1
            warnings.extend(_item_warnings(number, item, given))
        if rated and not found and rated == len(section.items):
            warnings.append(QualityWarning(None, None, _section_message(section, rated)))
    return warnings


def _section_message(section: Section, count: int) -> str:
    name = f"“{section.title}”" + (f"（对照“{section.rubric}”）" if section.rubric else "")
    return (
        f"{name}的 {count} 项都没有查摆出问题。对照检查贵在实事求是、敢于自我批评，"
        "请再想一想是否确实没有差距。"
    )


def _item_warnings(number: int, item: Item, given: Mapping[str, Answer]) -> list[QualityWarning]:
    out: list[QualityWarning] = []
    problem_q = item.by_meaning("problem")
    if problem_q is not None:
        text = given.get(problem_q.id)
        if isinstance(text, str) and text.strip():
            wording = [t for t in (item.text, item.standard, item.title) if t]
            if copies_wording(text, wording):
                out.append(
                    QualityWarning(
                        number,
                        item.id,
                        f"{problem_q.prompt}与检查内容原文几乎一样。请结合自己的工作实际，"
                        "写清在什么事情上有什么表现，不要照抄原文。",
                    )
                )
            elif len(letters(text)) < MIN_PROBLEM_CHARS:
                out.append(
                    QualityWarning(
                        number,
                        item.id,
                        f"{problem_q.prompt}只有 {len(letters(text))} 个字，过于笼统。"
                        "请见人见事见思想：写清在什么工作、什么事情上，有什么表现。",
                    )
                )
    measure_q = item.by_meaning("measure")
    deadline_q = item.by_meaning("deadline")
    if (
        measure_q is not None
        and deadline_q is not None
        and not is_empty(given.get(measure_q.id))
        and is_empty(given.get(deadline_q.id))
    ):
        out.append(
            QualityWarning(
                number,
                item.id,
                f"有{measure_q.prompt}但没有{deadline_q.prompt}。措施要可检验，请写明什么时候完成。",
            )
        )
    return out


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
        rating = rating_question(item)
        value = given.get(rating.id) if rating is not None else None
        if rating is None:
            rating_cell = Text("—", style="dim")
        elif value is None:
            rating_cell = Text("（未答）", style="red")
        else:
            style = "yellow" if marks_problem(item, given) else "green"
            rating_cell = Text(display_answer(rating, value), style=style)
        problem_q = item.by_meaning("problem")
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
