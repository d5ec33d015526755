"""The summary's typed records: what a summary keeps of each file, and its JSON file.

These msgspec structs are the schema of the summary JSON (``summary --format
json``, read back by ``rollup``): :func:`.jsonio.read_summary_json` rejects a non-ISO date,
an unknown status or any field out of shape with a message naming the file and
the field, never a silently different figure.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

import msgspec

from selfcheck import rules
from selfcheck.similarity.model import SimilarityData
from selfcheck.summary.plan import ChecklistPlan
from selfcheck.textsafe import display_name, one_line

SUMMARY_FORMAT = "selfcheck-summary"
SUMMARY_SCHEMA = 2

Count = Annotated[int, msgspec.Meta(ge=0)]
ChoiceAnswer = str | list[str]


class Skip(msgspec.Struct, frozen=True, omit_defaults=True):
    """A file that is not counted, and why (superseded ones name the person)."""

    file: str
    code: str
    reason: str
    unit: str | None = None
    name: str | None = None
    submitted_at: datetime | None = None

    def __post_init__(self) -> None:
        # A reason quotes the file (its role, checklist id or version, a key), and a
        # summary JSON read back by rollup is someone else's file: every skip, made or
        # decoded, is shown without control characters or bidirectional overrides.
        for field in ("file", "reason", "unit", "name"):
            value = getattr(self, field)
            if value is not None and not value.isprintable():
                msgspec.structs.force_setattr(self, field, one_line(display_name(value)))

    def to_json(self) -> dict[str, Any]:
        """JSON form."""
        data: dict[str, Any] = msgspec.to_builtins(self)
        return data


class Draft(msgspec.Struct, frozen=True):
    """A draft file: its owner counts as 仅有草稿 unless they also submitted."""

    unit: str
    name: str
    position: str
    role: str
    updated_at: datetime
    file: str

    def to_json(self) -> dict[str, Any]:
        """JSON form."""
        data: dict[str, Any] = msgspec.to_builtins(self)
        return data


class EvidenceRow(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A recorded evidence file (佐证材料) of a measure, as the response names it."""

    name: str
    stored: str
    size: Count
    sha256: str


class ProblemRow(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One item that needs rectification (:func:`selfcheck.rules.needs_rectification`)."""

    item: str
    problem: str = ""
    cause: str = ""
    opinion: str = ""
    measure: str = ""
    deadline: date | None = None
    status: rules.Status = rules.Status.NOT_STARTED
    status_date: date | None = None
    status_note: str = ""
    recheck: rules.RecheckResult | None = None
    """The latest 回头看 result of this measure, if it was re-checked."""
    source: str = ""
    """问题来源 (the label of the answer with meaning ``source``)."""
    kind: str = ""
    """整改类型 (meaning ``rectify_type``)."""
    leader: str = ""
    """责任领导 (meaning ``leader``)."""
    evidence: list[EvidenceRow] = msgspec.field(default_factory=list)
    closing: rules.Closing | None = None
    """已销号 / 自报完成 (:func:`selfcheck.rules.closing_of`); None unless 已完成."""
    verified_by: str = ""
    verified_at: datetime | None = None

    def overdue(self, today: date) -> bool:
        """:func:`selfcheck.rules.is_overdue` for this row."""
        return rules.is_overdue(self.deadline, self.status, today)


class Record(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One counted submission reduced to what a summary keeps."""

    unit: str
    name: str
    position: str
    role: str
    file: str
    submitted_at: datetime
    answers: dict[str, dict[str, ChoiceAnswer]]
    problems: list[ProblemRow]
    warnings: list[str]
    review: rules.ReviewStatus = rules.ReviewStatus.PENDING
    """The committee's review of the current draft (:func:`selfcheck.rules.review_status`)."""
    drafts: Annotated[int, msgspec.Meta(ge=1)] = 1
    """How many drafts the material took (第 N 稿)."""
    carried: list[str] = msgspec.field(default_factory=list)
    """The items whose problem ``run --previous`` carried over from the person's previous
    round (上轮遗留, :func:`selfcheck.carry.kept`): 雷同检查 does not hold that text against
    his own earlier response."""

    def rank(self) -> tuple[float, str]:
        """Newest submission wins (:func:`~selfcheck.rules.submission_rank`)."""
        return rules.submission_rank(self.submitted_at, self.file)


class RosterRow(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A roster entry as the summary JSON stores it."""

    unit: str
    name: str
    position: str
    role: str | None


RecordT = TypeVar("RecordT")
PairT = TypeVar("PairT")


class SummaryFile(
    msgspec.Struct, Generic[RecordT, PairT], kw_only=True, forbid_unknown_fields=False
):
    """The summary JSON (``figures`` is derived output for readers; rollup recomputes it).

    Generic in how its two long lists are held: ``SummaryFile[Record, dict[str, Any]]``
    is the whole schema; ``SummaryFile[msgspec.Raw, msgspec.Raw]`` checks everything else
    and leaves each record and pair as its JSON text, for the reader to decode one at a
    time against the same :class:`Record` (see :mod:`.jsonio`)."""

    format: Literal["selfcheck-summary"]
    summary_schema: Literal[2]
    generator: str = ""
    checklist: ChecklistPlan
    today: date
    conditions: list[str] = msgspec.field(default_factory=list)
    anonymized: bool = False
    excluded: Count = 0
    ignored_files: Count = 0
    roster: list[RosterRow] | None = None
    figures: dict[str, Any] = msgspec.field(default_factory=dict)
    skipped: list[Skip] = msgspec.field(default_factory=list)
    drafts: list[Draft] = msgspec.field(default_factory=list)
    records: list[RecordT] = msgspec.field(default_factory=list)
    similar_pairs: list[PairT] = msgspec.field(default_factory=list)
    """雷同检查 pairs, derived output for readers (rollup recomputes them)."""
    similarity: SimilarityData | None = None
    """What rollup needs to find pairs across units: signatures, not texts."""


RECORD_DECODER = msgspec.json.Decoder(Record)
ENCODER = msgspec.json.Encoder()


def contribution(record: Record, plan: ChecklistPlan, today: date) -> list[tuple[str, ...]]:
    """The counter keys one record adds 1 to (subtracted again if it is superseded)."""
    return [*answer_keys(record), *standing_keys(record, today)]


def answer_keys(record: Record) -> list[tuple[str, ...]]:
    """The keys of the respondent's role and choice answers (the bulk reader compiles this,
    :mod:`selfcheck.summary.compiled`)."""
    keys: list[tuple[str, ...]] = [("resp", record.role)]
    for item_id, given in record.answers.items():
        for qid, value in given.items():
            if isinstance(value, str):
                keys.append(("opt", item_id, qid, value))
            else:
                keys.append(("ans", item_id, qid))
                keys.extend(("opt", item_id, qid, v) for v in value)
    return keys


def standing_keys(record: Record, today: date) -> list[tuple[str, ...]]:
    """The keys of the record's measures on ``today``, its review and its drafts."""
    keys: list[tuple[str, ...]] = []
    for row in record.problems:
        status = row.status
        keys.append(("flag", row.item))
        keys.append(_RECT[status])
        if row.overdue(today):
            keys.append(_OVERDUE)
        keys.append(_CLOSE[rules.completion_of(status, row.deadline, today)])
        if row.recheck is not None:
            keys.append(_RECHECK[row.recheck])
        if row.closing is not None:
            keys.append(_CLOSING[row.closing])
    keys.append(_REVIEW[record.review])
    keys += [_DRAFT] * record.drafts
    return keys


def _keys(kind: str, words: type[enum.Enum]) -> dict[Any, tuple[str, str]]:
    """Each status word's counter key, made once (an enum's ``.value`` is a slow look-up).
    One table per kind: 已完成 is both a rectification status and a completion."""
    return {w: (kind, w.value) for w in words}


_RECT = _keys("rect", rules.Status)
_CLOSE = _keys("close", rules.Completion)
_RECHECK = _keys("recheck", rules.RecheckResult)
_CLOSING = _keys("closing", rules.Closing)
_REVIEW = _keys("review", rules.ReviewStatus)
_OVERDUE = ("overdue",)
_DRAFT = ("drafts",)
