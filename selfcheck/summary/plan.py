"""What a summary needs to know about a checklist, as plain data.

A :class:`ChecklistPlan` is built once from the validated pydantic
:class:`~selfcheck.checklist.model.Checklist` and can be written to and read
from JSON: the summary JSON embeds it (so ``rollup`` renders without the
checklist file), and :mod:`selfcheck.summary.plancache` keeps it between runs so
``summary`` does not pay for pydantic, Jinja and YAML on every start.

Nothing here names a section or item of a particular checklist: items are
found through ``Question.meaning`` and ``Option.problem``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from selfcheck.errors import SummaryError

if TYPE_CHECKING:
    from selfcheck.checklist.model import Checklist

PLAN_FORMAT = 1
CHOICE_TYPES = ("single_choice", "multiple_choice")
TEXT_MEANINGS = ("problem", "cause", "opinion", "measure", "deadline")


@dataclass(frozen=True)
class PlanOption:
    """One option of a choice question."""

    value: str
    label: str
    score: float | None
    problem: bool


@dataclass(frozen=True)
class PlanQuestion:
    """One question: its type, what it means, and its options."""

    id: str
    type: str
    prompt: str
    meaning: str | None
    required: bool
    conditional: bool
    options: tuple[PlanOption, ...] = ()

    def option(self, value: object) -> PlanOption | None:
        """The option stored as ``value``, if any."""
        for option in self.options:
            if option.value == value:
                return option
        return None


@dataclass(frozen=True)
class PlanItem:
    """One item with its questions, plus the lookups aggregation uses."""

    id: str
    label: str
    text: str
    section: str
    questions: tuple[PlanQuestion, ...]
    by_id: dict[str, PlanQuestion] = field(init=False, repr=False, compare=False)
    flagging: tuple[PlanQuestion, ...] = field(init=False, repr=False, compare=False)
    rating: PlanQuestion | None = field(init=False, repr=False, compare=False)
    meanings: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {q.id: q for q in self.questions})
        # The same rule as selfcheck.answers.marks_problem: a single choice that
        # means a rating (or means nothing in particular) flags a problem.
        flagging = tuple(
            q for q in self.questions if q.type == "single_choice" and q.meaning in (None, "rating")
        )
        object.__setattr__(self, "flagging", flagging)
        rating = next((q for q in self.questions if q.meaning == "rating" and q.options), None)
        if rating is None:
            rating = next(
                (q for q in flagging if any(o.score is not None for o in q.options)), None
            )
        object.__setattr__(self, "rating", rating)
        meanings: dict[str, str] = {}
        for q in self.questions:
            if q.meaning in TEXT_MEANINGS and q.meaning not in meanings:
                meanings[q.meaning] = q.id
        object.__setattr__(self, "meanings", meanings)


@dataclass(frozen=True)
class PlanSection:
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


@dataclass(frozen=True)
class ChecklistPlan:
    """The parts of a checklist that a summary uses."""

    id: str
    version: str
    sha256: str
    title: str
    campaign: str
    roles: tuple[tuple[str, str], ...]
    sections: tuple[PlanSection, ...]
    items: dict[str, PlanItem] = field(init=False, repr=False, compare=False)
    section_of: dict[str, PlanSection] = field(init=False, repr=False, compare=False)
    role_items: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)
    item_order: dict[str, int] = field(init=False, repr=False, compare=False)
    required: dict[str, tuple[tuple[str, str], ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", {i.id: i for s in self.sections for i in s.items})
        object.__setattr__(self, "item_order", {item_id: n for n, item_id in enumerate(self.items)})
        object.__setattr__(self, "section_of", {i.id: s for s in self.sections for i in s.items})
        role_items = {
            role: frozenset(i.id for s in self.sections if role in s.roles for i in s.items)
            for role, _ in self.roles
        }
        object.__setattr__(self, "role_items", role_items)
        # Questions every submitted response of a role must answer (no `when`).
        required = {
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
        object.__setattr__(self, "required", required)

    def role_label(self, role: str) -> str:
        """``领导干部`` for ``leader``; unknown ids come back unchanged."""
        return dict(self.roles).get(role, role)

    def find_role(self, text: str) -> str | None:
        """The role id for an id or a label (``leader`` or ``领导干部``)."""
        text = text.strip()
        for role, label in self.roles:
            if text in (role, label):
                return role
        return None

    # ------------------------------------------------------------------ JSON

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data (embedded in summary files and the plan cache)."""
        return {
            "plan_format": PLAN_FORMAT,
            "id": self.id,
            "version": self.version,
            "sha256": self.sha256,
            "title": self.title,
            "campaign": self.campaign,
            "roles": [{"id": r, "label": label} for r, label in self.roles],
            "sections": [
                {
                    "id": s.id,
                    "title": s.title,
                    "rubric": s.rubric,
                    "roles": list(s.roles),
                    "items": [
                        {
                            "id": i.id,
                            "label": i.label,
                            "text": i.text,
                            "questions": [_question_json(q) for q in i.questions],
                        }
                        for i in s.items
                    ],
                }
                for s in self.sections
            ],
        }

    @classmethod
    def from_json(cls, data: object, where: str) -> ChecklistPlan:
        """Rebuild a plan from :meth:`to_json` output; raise SummaryError if malformed."""
        try:
            return _plan_from(data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise SummaryError(
                f"{where}：检查表信息（checklist）不完整或格式不对（{exc}）"
            ) from None


def _question_json(q: PlanQuestion) -> dict[str, Any]:
    return {
        "id": q.id,
        "type": q.type,
        "prompt": q.prompt,
        "meaning": q.meaning,
        "required": q.required,
        "conditional": q.conditional,
        "options": [
            {"value": o.value, "label": o.label, "score": o.score, "problem": o.problem}
            for o in q.options
        ],
    }


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"应为文本：{value!r}")
    return value


def _opt_str(value: object) -> str | None:
    return None if value is None else _str(value)


def _plan_from(data: object) -> ChecklistPlan:
    if not isinstance(data, dict) or data.get("plan_format") != PLAN_FORMAT:
        raise ValueError("plan_format 不符")
    sections = []
    for s in data["sections"]:
        items = []
        for i in s["items"]:
            questions = []
            for q in i["questions"]:
                options = tuple(
                    PlanOption(
                        _str(o["value"]),
                        _str(o["label"]),
                        None if o["score"] is None else float(o["score"]),
                        bool(o["problem"]),
                    )
                    for o in q["options"]
                )
                questions.append(
                    PlanQuestion(
                        _str(q["id"]),
                        _str(q["type"]),
                        _str(q["prompt"]),
                        _opt_str(q["meaning"]),
                        bool(q["required"]),
                        bool(q["conditional"]),
                        options,
                    )
                )
            items.append(
                PlanItem(
                    _str(i["id"]),
                    _str(i["label"]),
                    _str(i["text"]),
                    _str(s["id"]),
                    tuple(questions),
                )
            )
        sections.append(
            PlanSection(
                _str(s["id"]),
                _str(s["title"]),
                _opt_str(s["rubric"]),
                tuple(_str(r) for r in s["roles"]),
                tuple(items),
            )
        )
    return ChecklistPlan(
        _str(data["id"]),
        _str(data["version"]),
        _str(data["sha256"]),
        _str(data["title"]),
        _str(data["campaign"]),
        tuple((_str(r["id"]), _str(r["label"])) for r in data["roles"]),
        tuple(sections),
    )


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
        checklist.id,
        checklist.version,
        checklist.sha256,
        checklist.title,
        checklist.campaign.name,
        tuple((r.id, r.label) for r in checklist.roles),
        tuple(sections),
    )
