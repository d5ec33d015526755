"""The domain's vocabulary: one home for every rule the stages share.

Every stage (run, report, rectify, summary, review) asks these functions;
none of them re-derives "is this a problem", "does this need rectification",
"is this closed" or "is this overdue" in its own words.

The functions take checklist items structurally (:class:`ItemLike`), so the
pydantic checklist model and the summary's lean plan answer the same way.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Protocol, TypeVar

# ------------------------------------------------------------------ statuses


class Status(str, enum.Enum):
    """Where one rectification measure stands (stored as the Chinese label)."""

    NOT_STARTED = "未开始"
    IN_PROGRESS = "整改中"
    DONE = "已完成"
    ONGOING = "长期坚持"

    @property
    def label(self) -> str:
        """The Chinese label, as stored in files and shown to people."""
        return self.value

    @property
    def ascii_id(self) -> str:
        """The ASCII id scripts may use (``done``)."""
        return _ASCII_IDS[self]

    @property
    def closed(self) -> bool:
        """已完成 and 长期坚持 close a measure: it can no longer be overdue."""
        return self in CLOSED_STATUSES


_ASCII_IDS = {
    Status.NOT_STARTED: "not-started",
    Status.IN_PROGRESS: "in-progress",
    Status.DONE: "done",
    Status.ONGOING: "ongoing",
}

STATUSES: tuple[Status, ...] = tuple(Status)
"""Every status, in the order a ledger lists them."""

STATUS_LABELS: tuple[str, ...] = tuple(s.value for s in Status)
"""The stored labels, in ledger order."""

CLOSED_STATUSES: frozenset[Status] = frozenset({Status.DONE, Status.ONGOING})

_SYNONYMS: dict[str, Status] = {
    "尚未开始": Status.NOT_STARTED,
    "todo": Status.NOT_STARTED,
    "正在整改": Status.IN_PROGRESS,
    "doing": Status.IN_PROGRESS,
    "完成": Status.DONE,
    "已整改": Status.DONE,
}


def status_of(text: str) -> Status | None:
    """The status named by a label, a listed synonym or an ASCII id; None if unknown."""
    key = text.strip()
    for status in Status:
        if key == status.value or key.lower() == status.ascii_id:
            return status
    return _SYNONYMS.get(key) or _SYNONYMS.get(key.lower())


def is_closed(status: str) -> bool:
    """True when ``status`` (a stored label) closes its measure."""
    return status in _CLOSED_LABELS


_CLOSED_LABELS = frozenset(s.value for s in CLOSED_STATUSES)


def is_overdue(deadline: date | str | None, status: str, today: date) -> bool:
    """Overdue: the deadline has passed and the measure is not closed.

    ``deadline`` may be a date or a strict ISO day text (anything else has no
    deadline and is never overdue).
    """
    if deadline is None or is_closed(status):
        return False
    if isinstance(deadline, str):
        parsed = parse_iso_day(deadline)
        if parsed is None:
            return False
        deadline = parsed
    return deadline < today


# -------------------------------------------------------------------- days

_ISO_DAY = re.compile(r"\d{4}-\d\d-\d\d")


def parse_iso_day(text: object) -> date | None:
    """The date of a strict ISO day text (``2009-03-31``); None for anything else.

    ``date.fromisoformat`` alone also takes ``20090331`` and week dates; stored
    days are always written ``YYYY-MM-DD``.
    """
    if type(text) is not str or not _ISO_DAY.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def is_iso_day(text: object) -> bool:
    """True for a strict ISO day text that names a real date."""
    return parse_iso_day(text) is not None


# ------------------------------------------------------------ log entries


class EntryLike(Protocol):
    """A progress entry: which item, and when it was recorded."""

    @property
    def item(self) -> str: ...

    @property
    def recorded_at(self) -> datetime: ...


E = TypeVar("E", bound=EntryLike)


def in_recorded_order(entries: Iterable[E]) -> list[E]:
    """The log sorted by ``recorded_at``, log order breaking ties."""
    indexed = list(enumerate(entries))
    indexed.sort(key=lambda pair: (pair[1].recorded_at.timestamp(), pair[0]))
    return [entry for _, entry in indexed]


def history_by_item(entries: Iterable[E]) -> dict[str, list[E]]:
    """Each item's entries in recorded order."""
    out: dict[str, list[E]] = {}
    for entry in in_recorded_order(entries):
        out.setdefault(entry.item, []).append(entry)
    return out


def latest_by_item(entries: Iterable[E]) -> dict[str, E]:
    """The latest entry per item: by ``recorded_at``, later in the log on a tie."""
    return {item: log[-1] for item, log in history_by_item(entries).items()}


# ---------------------------------------------------------------- checklist


class OptionLike(Protocol):
    """An option of a choice question."""

    @property
    def value(self) -> str: ...

    @property
    def problem(self) -> bool: ...


class QuestionLike(Protocol):
    """A question: its id, type, meaning and options."""

    @property
    def id(self) -> str: ...

    @property
    def type(self) -> str: ...

    @property
    def meaning(self) -> str | None: ...

    @property
    def options(self) -> Sequence[OptionLike] | None: ...


class ItemLike(Protocol):
    """A checklist item: its questions in order."""

    @property
    def questions(self) -> Sequence[QuestionLike]: ...


Q = TypeVar("Q", bound=QuestionLike)

RATING = "rating"
PROBLEM = "problem"
CAUSE = "cause"
OPINION = "opinion"
MEASURE = "measure"
DEADLINE = "deadline"
TEXT_MEANINGS: tuple[str, ...] = (PROBLEM, CAUSE, OPINION, MEASURE)
"""Free-text meanings, in the order a material presents them."""


def rating_question(questions: Sequence[Q]) -> Q | None:
    """The item's rating: the first single choice meaning ``rating``, else the first
    single choice with no meaning. Only its answer can mark a problem."""
    fallback: Q | None = None
    for question in questions:
        if question.type != "single_choice" or not question.options:
            continue
        if question.meaning == RATING:
            return question
        if question.meaning is None and fallback is None:
            fallback = question
    return fallback


class ProblemTest:
    """The compiled form of :func:`marks_problem` and :func:`states_problem` for one item.

    Built once per item; calling it on an item's answers (any ``get``-able
    mapping) is a few look-ups, so bulk readers use it on every file.
    """

    __slots__ = ("problem_values", "rating_id", "text_ids")

    def __init__(self, item: ItemLike) -> None:
        rating = rating_question(item.questions)
        self.rating_id: str | None = rating.id if rating is not None else None
        self.problem_values: frozenset[object] = (
            frozenset(o.value for o in (rating.options or ()) if o.problem)
            if rating is not None
            else frozenset()
        )
        self.text_ids: tuple[str, ...] = tuple(
            q.id for q in item.questions if q.meaning in (PROBLEM, MEASURE)
        )

    def marks(self, answers: Mapping[str, object]) -> bool:
        """The rating answer chose an option that marks a problem."""
        return self.rating_id is not None and answers.get(self.rating_id) in self.problem_values

    def states(self, answers: Mapping[str, object]) -> bool:
        """See :func:`states_problem`."""
        if self.rating_id is not None and answers.get(self.rating_id) in self.problem_values:
            return True
        for qid in self.text_ids:
            value = answers.get(qid)
            if isinstance(value, str) and value.strip():
                return True
        return False


def marks_problem(item: ItemLike, answers: Mapping[str, object]) -> bool:
    """True when the item's rating answer chose an option that marks a problem."""
    return ProblemTest(item).marks(answers)


def states_problem(item: ItemLike, answers: Mapping[str, object]) -> bool:
    """True when the item goes into 存在的主要问题 (and so into the ledger).

    That is: the rating marks a problem, or the cadre wrote a problem or a
    measure anyway (a measure with a deadline is a commitment to be tracked,
    whatever the rating said). This is the ONE definition of "needs
    rectification" every stage uses.
    """
    return ProblemTest(item).states(answers)


needs_rectification = states_problem
"""Alias that reads better in the 整改 stages."""


def question_for(item: ItemLike, meaning: str) -> QuestionLike | None:
    """The first question of ``item`` with ``meaning``."""
    return next((q for q in item.questions if q.meaning == meaning), None)


def deadline_of(item: ItemLike, answers: Mapping[str, object]) -> date | None:
    """The item's deadline: the first answered ``deadline`` question holding an ISO day."""
    for question in item.questions:
        if question.meaning != DEADLINE:
            continue
        day = parse_iso_day(answers.get(question.id))
        if day is not None:
            return day
    return None
