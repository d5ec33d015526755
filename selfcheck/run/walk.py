"""The walk in the terminal: the engine's questions through the prompter.

The :class:`~selfcheck.engine.Engine` decides what comes next, normalises
every answer and keeps answers hidden by a ``when`` aside; this driver only
shows item headers, asks each question through the
:class:`~selfcheck.prompter.Prompter` and turns ``<`` into a step back.
``on_answer()`` runs after every stored answer (the autosave).

Text typed into a long answer and not finished (Ctrl-C, Ctrl-D, ``q`` or
``<`` typed on a line of its own) is handed to the engine as unfinished
(:meth:`~selfcheck.engine.Engine.hold`): the draft keeps it and the next
time the question is asked it is back in the editing area; only text held by an
interruption or ``q`` (an earlier run) is announced as left unfinished.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text

from selfcheck.prompter import GoBack, Navigation, TypingStopped

if TYPE_CHECKING:
    from selfcheck.checklist.model import Item, Section
    from selfcheck.engine import Engine, Step
    from selfcheck.prompter import Prompter
    from selfcheck.response import Answer


class Walk:
    """Asks the engine's questions, item after item, until the review."""

    def __init__(
        self, prompter: Prompter, engine: Engine, *, on_answer: Callable[[], None]
    ) -> None:
        self.prompter = prompter
        self.engine = engine
        self.on_answer = on_answer
        self._shown_section: str | None = None
        self._stepped_away: set[tuple[str, str]] = set()
        """(item, question) whose unfinished text ``<`` left in this walk: nothing was
        interrupted there, so coming back says nothing of an interruption."""

    @property
    def items(self) -> list[tuple[Section, Item]]:
        """The role's items, in order."""
        return self.engine.items

    def run(self, start: int = 0, question: str | None = None) -> None:
        """Ask every question from item ``start`` (at ``question``, else its first) to the
        end; ``<`` steps back across items."""
        self.engine.jump(start, question)
        self._ask_while(None)

    def ask_item(self, index: int) -> None:
        """Ask one item again (from the review); ``<`` at its first question returns.

        The cursor is at the review afterwards.
        """
        self.engine.jump(index)
        self._ask_while(index)
        self.engine.to_review()

    def _ask_while(self, only: int | None) -> None:
        """Ask until the review (or, with ``only``, until leaving that item)."""
        engine = self.engine
        header: int | None = None
        while True:
            step = engine.current
            if step is None or (only is not None and step.index != only):
                return
            if header != step.index:
                self.show_item(step.index)
                header = step.index
            if not step.first:
                self.prompter.console.print()
            try:
                value = self.ask_question(step)
            except GoBack:
                if only is not None and step.first:
                    return
                if not engine.back():
                    self.prompter.say("已经是第一项了。", "yellow")
                    header = None
                continue
            outcome = engine.answer(value)
            if not outcome.ok:  # pragma: no cover - the prompter parsed it already
                self.prompter.say(outcome.problems[0], "yellow")
                continue
            after = engine.current
            if only is not None and (after is None or after.index != only):
                engine.to_review()
            self.on_answer()

    def ask_question(self, step: Step) -> Answer:
        """One question through the prompter, checked by the engine."""
        engine = self.engine

        def parse(text: str) -> Answer:
            outcome = engine.check(text, item=step.item.id, question=step.question.id)
            if not outcome.ok:
                raise ValueError(outcome.problems[0])
            if outcome.value is None:
                raise ValueError("内容不能为空。")
            return outcome.value

        default = step.default_text
        where = (step.item.id, step.question.id)
        if step.unfinished is not None:
            default = step.unfinished
            if where not in self._stepped_away:  # held by Ctrl-C or q in an earlier run
                self.prompter.say(
                    "上次中断时这一题还没写完，写到一半的内容已放回，可接着写。", "green"
                )
        self._stepped_away.discard(where)
        try:
            return self.prompter.ask(
                step.question.prompt,
                parse,
                default=default,
                options=step.options,
                required=step.required,
                multiline=step.multiline,
                help=step.help,
                hint=step.hint,
                nav=True,
            )
        except TypingStopped as stopped:
            self._hold(step, stopped.text)
            raise
        except Navigation as moved:
            if moved.partial is not None:
                self._hold(step, moved.partial)
                if isinstance(moved, GoBack):
                    self._stepped_away.add(where)
            raise

    def _hold(self, step: Step, text: str) -> None:
        """Keep what was typed as the question's unfinished answer (see the module docstring)."""
        if step.question.type in ("long_text", "short_text"):
            self.engine.hold(text, item=step.item.id, question=step.question.id)

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
