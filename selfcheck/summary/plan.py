"""What a summary needs to know about a checklist, as plain data.

A :class:`ChecklistPlan` is built once from the validated pydantic
:class:`~selfcheck.checklist.model.Checklist`. Its msgspec structs are also its
JSON schema: the summary JSON embeds the plan (so ``rollup`` renders without
the checklist file), :mod:`selfcheck.summary.plancache` keeps it between runs,
and both are read back by :func:`decode_plan` / :func:`convert_plan`, which
reject any field out of shape. Derived look-ups are computed on first use.

Nothing here names a section or item of a particular checklist: items are
found through ``Question.meaning`` and ``Option.problem`` and the rules of
:mod:`selfcheck.rules`.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Literal

import msgspec

from selfcheck import rules

if TYPE_CHECKING:
    from selfcheck.checklist.model import Checklist

PLAN_FORMAT: Literal[2] = 2
CHOICE_TYPES = ("single_choice", "multiple_choice")
QuestionType = Literal[
    "single_choice", "multiple_choice", "short_text", "long_text", "date", "yes_no", "number"
]


class PlanOption(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One option of a choice question."""

    value: str
    label: str
    score: float | None
    problem: bool


class PlanQuestion(msgspec.Struct, frozen=True, dict=True, forbid_unknown_fields=True):
    """One question: its type, what it means, and its options."""

    id: str
    type: QuestionType
    prompt: str
    meaning: str | None
    required: bool
    conditional: bool
    options: tuple[PlanOption, ...] = ()

    @cached_property
    def _by_value(self) -> dict[str, PlanOption]:
        return {o.value: o for o in self.options}

    def option(self, value: object) -> PlanOption | None:
        """The option stored as ``value``, if any."""
        return self._by_value.get(value) if isinstance(value, str) else None


class PlanItem(msgspec.Struct, frozen=True, dict=True, forbid_unknown_fields=True):
    """One item with its questions, plus the look-ups aggregation uses."""

    id: str
    label: str
    text: str
    section: str
    questions: tuple[PlanQuestion, ...]

    @cached_property
    def by_id(self) -> dict[str, PlanQuestion]:
        """Questions by id."""
        return {q.id: q for q in self.questions}

    @cached_property
    def rating(self) -> PlanQuestion | None:
        """The rating question (:func:`selfcheck.rules.rating_question`)."""
        return rules.rating_question(self.questions)

    @cached_property
    def meanings(self) -> dict[str, str]:
        """Meaning → id of the first question with it (free text and deadline)."""
        out: dict[str, str] = {}
        for q in self.questions:
            wanted = (*rules.TEXT_MEANINGS, rules.DEADLINE, *rules.LEDGER_MEANINGS)
            if q.meaning in wanted and q.meaning not in out:
                out[q.meaning] = q.id
        return out

    @cached_property
    def ledger_questions(self) -> tuple[tuple[str, PlanQuestion], ...]:
        """``(meaning, question)`` of the questions that fill ledger columns
        (:data:`selfcheck.rules.LEDGER_MEANINGS`), in that order."""
        meanings = self.meanings
        return tuple((m, self.by_id[meanings[m]]) for m in rules.LEDGER_MEANINGS if m in meanings)


class PlanSection(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One section (rubric) and its items."""

    id: str
    title: str
    rubric: str | None
    roles: tuple[str, ...]
    items: tuple[PlanItem, ...]

    @property
    def heading(self) -> str:
        """``思想作风（三查三看）`` or just the title."""
        return f"{self.title}（{self.rubric}）" if self.rubric else self.title


class ChecklistPlan(msgspec.Struct, frozen=True, dict=True, forbid_unknown_fields=True):
    """The parts of a checklist that a summary uses."""

    plan_format: Literal[2]
    id: str
    version: str
    sha256: str
    title: str
    campaign: str
    roles: tuple[tuple[str, str], ...]
    sections: tuple[PlanSection, ...]

    @cached_property
    def items(self) -> dict[str, PlanItem]:
        """Every item by id, in checklist order."""
        return {i.id: i for s in self.sections for i in s.items}

    @cached_property
    def item_order(self) -> dict[str, int]:
        """Item id → position in the checklist."""
        return {item_id: n for n, item_id in enumerate(self.items)}

    @cached_property
    def section_of(self) -> dict[str, PlanSection]:
        """Item id → its section."""
        return {i.id: s for s in self.sections for i in s.items}

    @cached_property
    def role_items(self) -> dict[str, frozenset[str]]:
        """Role id → the items that apply to it."""
        return {
            role: frozenset(i.id for s in self.sections if role in s.roles for i in s.items)
            for role, _ in self.roles
        }

    @cached_property
    def required(self) -> dict[str, tuple[tuple[str, str], ...]]:
        """Questions every submitted response of a role must answer (no ``when``)."""
        return {
            role: tuple(
                (i.id, q.id)
                for s in self.sections
                if role in s.roles
                for i in s.items
                for q in i.questions
                if q.required and not q.conditional
            )
            for role, _ in self.roles
        }

    def role_label(self, role: str) -> str:
        """``领导干部`` for ``leader``; unknown ids come back unchanged."""
        return rules.role_label(role, self.roles)

    def find_role(self, text: str) -> str | None:
        """The role id for an id or a label (``leader`` or ``领导干部``)."""
        return rules.find_role(text, self.roles)

    def to_json(self) -> object:
        """Plain JSON data (embedded in summary files and the plan cache)."""
        return msgspec.to_builtins(self)


def convert_plan(data: object) -> ChecklistPlan:
    """The plan in ``data`` (parsed JSON); raises ``msgspec.ValidationError`` if malformed."""
    return msgspec.convert(data, ChecklistPlan)


def plan_from_checklist(checklist: Checklist) -> ChecklistPlan:
    """Build the plan from a validated, resolved checklist."""
    sections = []
    for section in checklist.sections:
        items = []
        for item in section.items:
            questions = tuple(
                PlanQuestion(
                    q.id,
                    q.type,
                    q.prompt,
                    q.meaning,
                    q.required,
                    q.when is not None,
                    tuple(
                        PlanOption(o.value, o.label, o.score, o.problem) for o in q.options or []
                    ),
                )
                for q in item.questions
            )
            items.append(PlanItem(item.id, item.label, item.text, section.id, questions))
        sections.append(
            PlanSection(
                section.id, section.title, section.rubric, tuple(section.roles), tuple(items)
            )
        )
    return ChecklistPlan(
        PLAN_FORMAT,
        checklist.id,
        checklist.version,
        checklist.sha256,
        checklist.title,
        checklist.campaign.name,
        tuple((r.id, r.label) for r in checklist.roles),
        tuple(sections),
    )
