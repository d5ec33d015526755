"""The walk: item after item, question after question, saving after each answer.

Every answer goes through :func:`selfcheck.answers.normalize`, the same
normaliser ``--no-input`` uses, so typed and prefilled answers store alike.
Follow-up questions are asked only while their ``when`` holds; answers to
questions that became hidden are kept aside for the session (so switching a
rating back brings them back as defaults) but are not stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text

from selfcheck.answers import (
    InvalidAnswer,
    display_answer,
    is_visible,
    normalize,
    visible_questions,
)
from selfcheck.checklist.describe import format_number
from selfcheck.response import Answer
from selfcheck.run.prompter import GoBack

if TYPE_CHECKING:
    from selfcheck.checklist.model import Checklist, Item, Question, Section
    from selfcheck.run.prompter import Prompter

Answers = dict[str, dict[str, Answer]]

_HINTS = {
    "single_choice": "输入编号或选项文字",
    "multiple_choice": "可多选：输入编号，用空格或逗号分开",
    "date": "日期，如 2009-03-31、2009/3/31 或 2009年3月31日",
    "yes_no": "是 / 否",
}


def answer_as_typed(question: Question, value: Answer) -> str | None:
    """A stored answer as the person would type it (the default offered)."""
    if value is None:
        return None
    if question.type == "number":
        return str(value)
    return display_answer(question, value)


def question_hint(question: Question) -> str | None:
    """The short input hint shown under a question."""
    if question.type == "number":
        parts = ["数字"]
        if question.min is not None and question.max is not None:
            parts.append(f"{format_number(question.min)}～{format_number(question.max)}")
        elif question.min is not None:
            parts.append(f"不小于 {format_number(question.min)}")
        elif question.max is not None:
            parts.append(f"不大于 {format_number(question.max)}")
        if question.unit:
            parts.append(f"单位：{question.unit}")
        return "，".join(parts)
    if question.type in ("short_text", "long_text") and question.max_length:
        return f"最多 {question.max_length} 字"
    return _HINTS.get(question.type)


def question_help(item: Item, question: Question) -> str | None:
    """What ``?`` shows: the question's help, its options' help, the item's help."""
    parts: list[str] = []
    if question.help:
        parts.append(question.help)
    for option in question.options or []:
        if option.help:
            parts.append(f"{option.label}：{option.help}")
    if item.help:
        parts.append(item.help)
    return "\n".join(parts) or None


class Walk:
    """Asks the items of a checklist for one role and keeps the answers.

    ``on_answer(item_id)`` runs after every stored answer (the autosave).
    ``position`` is the item being asked (for the resume cursor).
    """

    def __init__(
        self,
        prompter: Prompter,
        checklist: Checklist,
        role: str,
        answers: Answers,
        *,
        today: date,
        on_answer: Callable[[str], None],
    ) -> None:
        self.prompter = prompter
        self.checklist = checklist
        self.role = role
        self.answers = answers
        self.today = today
        self.on_answer = on_answer
        self.items: list[tuple[Section, Item]] = checklist.items_for(role)
        self.position: int = 0
        self.stash: Answers = {}
        self._shown_section: str | None = None

    @property
    def current_item_id(self) -> str | None:
        """The item being asked, or None when past the last one."""
        if 0 <= self.position < len(self.items):
            return self.items[self.position][1].id
        return None

    def index_of(self, item_id: str | None) -> int | None:
        """Position of ``item_id`` among this role's items."""
        for index, (_, item) in enumerate(self.items):
            if item.id == item_id:
                return index
        return None

    def run(self, start: int = 0) -> None:
        """Ask every item from ``start`` to the end; ``<`` steps back across items."""
        self.position = start
        from_end = False
        while self.position < len(self.items):
            try:
                self.ask_item(self.position, from_end=from_end)
            except GoBack:
                if self.position == 0:
                    self.prompter.say("已经是第一项了。", "yellow")
                    from_end = False
                else:
                    self.position -= 1
                    from_end = True
                continue
            from_end = False
            self.position += 1

    def ask_item(self, index: int, *, from_end: bool = False) -> None:
        """Ask one item's visible questions; ``GoBack`` escapes from its first one."""
        self.position = index
        item = self.items[index][1]
        self.show_item(index)
        current = self.answers.setdefault(item.id, {})
        step = len(visible_questions(item, current, self.role)) - 1 if from_end else 0
        step = max(step, 0)
        while True:
            questions = visible_questions(item, current, self.role)
            if step >= len(questions):
                break
            question = questions[step]
            if step:
                self.prompter.console.print()
            try:
                value = self.ask_question(item, question)
            except GoBack:
                if step == 0:
                    raise
                step -= 1
                continue
            self.store(item, question, value)
            step += 1
        if not current:
            self.answers.pop(item.id, None)

    def ask_question(self, item: Item, question: Question) -> Answer:
        """One question through the prompter, parsed by the shared normaliser."""
        existing = self.answers.get(item.id, {}).get(question.id)
        if existing is None:
            existing = self.stash.get(item.id, {}).get(question.id)
        options = [o.label for o in question.options or []]
        if question.type == "yes_no":
            options = ["是", "否"]

        def parse(text: str) -> Answer:
            if question.type == "yes_no" and text.strip() in ("1", "2", "１", "２"):
                return text.strip() in ("1", "１")
            try:
                value = normalize(question, text, today=self.today)
            except InvalidAnswer:
                # An answer kept unchanged from the draft or the earlier submission
                # (e.g. a deadline that has passed since) stays acceptable.
                value = normalize(question, text, today=date.min)
                if value != existing:
                    raise
            if value is None:
                raise ValueError("内容不能为空。")
            return value

        return self.prompter.ask(
            question.prompt,
            parse,
            default=answer_as_typed(question, existing),
            options=options,
            required=question.required,
            multiline=question.type == "long_text",
            help=question_help(item, question),
            hint=question_hint(question),
            nav=True,
        )

    def store(self, item: Item, question: Question, value: Answer) -> None:
        """Record one answer, set aside what it hid, and autosave."""
        current = self.answers.setdefault(item.id, {})
        if value is None:
            current.pop(question.id, None)
        else:
            current[question.id] = value
        stash = self.stash.setdefault(item.id, {})
        for other in item.questions:
            if other.id in current and not is_visible(item, other, current, self.role):
                stash[other.id] = current.pop(other.id)
        if not current:
            self.answers.pop(item.id, None)
        self.on_answer(item.id)

    def show_item(self, index: int) -> None:
        """The item's header: progress, section and rubric, its wording."""
        section, item = self.items[index]
        console = self.prompter.console
        console.print()
        heading = f"第 {index + 1}/{len(self.items)} 项 · {section.title}"
        if section.rubric:
            heading += f"（{section.rubric}）"
        console.rule(Text(heading, style="bold cyan"))
        if section.id != self._shown_section:
            self._shown_section = section.id
            if section.intro:
                self.prompter.say(section.intro, "dim")
        if item.title:
            self.prompter.say(item.title, "bold")
        self.prompter.say(item.text)
        if item.standard:
            self.prompter.say(item.standard)
        console.print()
