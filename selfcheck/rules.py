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
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Protocol, TypeVar

from selfcheck.textsafe import clean_text, one_line, visible

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

RATE_STATUSES: frozenset[Status] = frozenset({Status.DONE})
"""What 整改完成率 counts: measures whose latest status is 已完成, over all measures.

The one definition, in the summary's 整改情况统计 as in the committee's
整改落实情况报告, as published reports count it (697 problems, 688 已完成,
4 基本完成, 5 长期坚持: 688 ÷ 697 = 98.71%). 长期坚持 closes a measure (it is
never overdue) but keeps its own column: it is not counted as completed."""

_COUNTED = [s.label for s in Status if s in RATE_STATUSES]
_APART = [s.label for s in Status if s.closed and s not in RATE_STATUSES]
RATE_FORMULA = (
    f"（{'＋'.join(_COUNTED)}）" if len(_COUNTED) > 1 else _COUNTED[0]
) + "÷整改措施总数"
"""``已完成÷整改措施总数``: the formula, for a chart's title."""
RATE_DEFINITION = f"整改完成率＝{RATE_FORMULA}" + (
    f"（{'、'.join(_APART)}单列，不计入）" if _APART else ""
)
"""The definition as every output states it."""


def in_completion_rate(status: str) -> bool:
    """True when a measure whose latest status is ``status`` (a stored label) counts
    toward 整改完成率 (:data:`RATE_STATUSES`)."""
    return status in _RATE_LABELS


_RATE_LABELS = frozenset(s.value for s in RATE_STATUSES)


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
    if isinstance(entries, list | tuple) and len(entries) < 2:
        return list(entries)  # the common log: one entry, nothing to sort
    return sorted(entries, key=_recorded_at)  # a stable sort: log order breaks ties


def _recorded_at(entry: EntryLike) -> float:
    return entry.recorded_at.timestamp()


def history_by_item(entries: Iterable[E]) -> dict[str, list[E]]:
    """Each item's entries in recorded order."""
    out: dict[str, list[E]] = {}
    for entry in in_recorded_order(entries):
        out.setdefault(entry.item, []).append(entry)
    return out


def latest_by_item(entries: Iterable[E]) -> dict[str, E]:
    """The latest entry per item: by ``recorded_at``, later in the log on a tie."""
    if isinstance(entries, list | tuple) and len(entries) == 1:
        return {entries[0].item: entries[0]}  # the common log: one entry
    return {item: log[-1] for item, log in history_by_item(entries).items()}


class ProgressLike(EntryLike, Protocol):
    """A progress entry with the status it records."""

    @property
    def status(self) -> Status: ...


def current_status(history: Sequence[ProgressLike]) -> Status:
    """A measure's status: what its latest entry says (``history`` as
    :func:`history_by_item` gives it), 未开始 when nothing was recorded."""
    return history[-1].status if history else Status.NOT_STARTED


# ---------------------------------------------------------------- checklist


CONTENT_DIFFERS = "content"
"""The skip code of a response answered under the same checklist id and version but
other content (the file was edited without a new ``version``)."""


def checklist_mismatch(
    answered: tuple[str, str, str], current: tuple[str, str, str]
) -> tuple[str, str] | None:
    """Why a response answered under checklist ``answered`` (id, version, sha256) is not
    counted under ``current``: ``(skip code, reason)``, None when it is. A response
    belongs to one checklist only, the very one it was answered with: the summary
    counts it only when all three agree, and ``checklist diff`` says so of an edit."""
    answered_id, answered_version, answered_sha = answered
    checklist_id, version, sha = current
    if answered_id != checklist_id:
        return "checklist", f"是另一份检查表“{answered_id}”的答卷（本次汇总：{checklist_id}）"
    if answered_version != version:
        return "version", f"检查表版本不同：答卷为 {answered_version}，本次汇总为 {version}"
    if answered_sha != sha:
        return (
            CONTENT_DIFFERS,
            f"检查表内容不同（版本号同为 {version}，内容校验值不一致）：答卷所依据的检查表被修改过",
        )
    return None


def role_choices(roles: Iterable[tuple[str, str]]) -> str:
    """``领导干部（leader）、一般干部（staff）``: the roles a message offers, as (id, label)."""
    return "、".join(f"{label}（{role}）" for role, label in roles)


def role_label(role: str, roles: Iterable[tuple[str, str]]) -> str:
    """``一般干部`` for ``staff`` among ``roles`` as (id, label): what a message calls a
    role. An unknown id comes back unchanged."""
    return next((label for known, label in roles if known == role), role)


def find_role(text: str, roles: Iterable[tuple[str, str]]) -> str | None:
    """The role id that ``text`` names, by id or label (``leader`` or ``领导干部``), among
    ``roles`` as (id, label); None when none does. Blanks and control characters in
    ``text`` do not matter (it may come from a roster cell, a flag or a file)."""
    word = one_line(text)
    for role, label in roles:
        if word in (role, label):
            return role
    return None


class OptionLike(Protocol):
    """An option of a choice question."""

    @property
    def value(self) -> str: ...

    @property
    def label(self) -> str: ...

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
SOURCE = "source"
RECTIFY_TYPE = "rectify_type"
LEADER = "leader"
LEDGER_MEANINGS: tuple[str, ...] = (SOURCE, RECTIFY_TYPE, LEADER)
"""Answers that fill the 整改台账's 问题来源, 整改类型 and 责任领导 columns."""
PROBLEM_SOURCES: tuple[str, ...] = ("自己找", "群众提", "上级点", "同级帮", "组织查")
"""问题来源 as published ledgers name it (what the committee may enter)."""
DEFAULT_SOURCE = PROBLEM_SOURCES[0]
"""The 问题来源 of a problem nobody gave a source for: the cadre found it himself (自己找)."""
RECTIFY_KINDS: tuple[str, ...] = ("立行立改", "限期整改", "长期坚持")
"""整改类型 (the last is also a status word: a measure to keep up for good)."""
LASTING_KIND = RECTIFY_KINDS[2]
"""长期坚持: a measure of this 整改类型 is kept up for good and needs no 整改时限."""


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
        """The rating answer chose an option that marks a problem (an answer of the wrong
        type, such as a list in a hand-edited file, marks none)."""
        if self.rating_id is None:
            return False
        value = answers.get(self.rating_id)
        return isinstance(value, str) and value in self.problem_values

    def states(self, answers: Mapping[str, object]) -> bool:
        """See :func:`states_problem`."""
        if self.marks(answers):
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

    That is: the rating marks a problem, or the cadre wrote a (non-blank)
    problem or measure anyway (a measure is a commitment to be tracked, whatever
    the rating said, deadline or not). This is the ONE definition of "needs
    rectification" every stage uses.
    """
    return ProblemTest(item).states(answers)


needs_rectification = states_problem
"""Alias that reads better in the 整改 stages."""


def question_for(questions: Sequence[Q], meaning: str) -> Q | None:
    """The first of an item's ``questions`` with ``meaning``."""
    return next((q for q in questions if q.meaning == meaning), None)


def is_lasting(item: ItemLike, answers: Mapping[str, object]) -> bool:
    """True when the cadre gave the item's measure the 整改类型 长期坚持 (no deadline due)."""
    question = question_for(item.questions, RECTIFY_TYPE)
    if question is None or not question.options:
        return False
    chosen = answers.get(question.id)
    return any(o.value == chosen and o.label == LASTING_KIND for o in question.options)


def deadline_of(item: ItemLike, answers: Mapping[str, object]) -> date | None:
    """The item's deadline: the first answered ``deadline`` question holding an ISO day."""
    for question in item.questions:
        if question.meaning != DEADLINE:
            continue
        day = parse_iso_day(answers.get(question.id))
        if day is not None:
            return day
    return None


# ------------------------------------------------------------------ review


class ReviewStatus(str, enum.Enum):
    """Where a submitted material stands with the committee (机关党委)."""

    PENDING = "待审核"
    PASSED = "已通过"
    RETURNED = "已退回"

    @property
    def label(self) -> str:
        """The Chinese label shown to people."""
        return self.value


REVIEW_STATUSES: tuple[ReviewStatus, ...] = tuple(ReviewStatus)
"""Every review status, in the order a summary lists them."""


def submission_rank(submitted_at: datetime, file: str) -> tuple[float, str]:
    """How one person's submissions are ordered: the newest wins, and on a tie the file
    name decides, so every run (summary, review list) picks the same one."""
    return (submitted_at.timestamp(), file)


REVIEWER_MAX_LENGTH = 50
"""The longest reviewer's name a committee record (审核, 核验) takes."""


def reviews_own_file(reviewer: str, respondent: str) -> bool:
    """True when a committee record's reviewer is the cadre whose file it is: a
    material is reviewed, and a measure closed (销号), by someone else. Names are
    compared as the summary matches people (:func:`clean_name`), so ``邱 刚毅`` is
    ``邱刚毅``; a namesake on the committee adds his unit to his name."""
    return clean_name(reviewer) == clean_name(respondent)


_NAME_DOTS = frozenset("\u00b7\u2022\u30fb\uff65\u2027\u2219\u22c5\u0387\u2e31\uff0e.")
"""What input methods and fonts give for a name's 间隔号 (阿依古丽·买买提)."""
_NAME_DOT = "\u00b7"
"""The 间隔号 as names are registered (GB 2312's MIDDLE DOT)."""


def clean_name(text: str) -> str:
    """A person's name as every stage matches and shows it: control characters,
    invisible format characters (:func:`~selfcheck.textsafe.visible`) and all spaces
    removed, full- and half-width forms alike (NFKC), and a dot between two Chinese
    characters (any of :data:`_NAME_DOTS`) written as ``·``."""
    name = "".join(unicodedata.normalize("NFKC", visible(clean_text(text))).split())
    if _NAME_DOTS.isdisjoint(name):
        return name
    chars = list(name)
    for n in range(1, len(chars) - 1):
        if chars[n] in _NAME_DOTS and _is_han_side(chars[n - 1]) and _is_han_side(chars[n + 1]):
            chars[n] = _NAME_DOT
    return "".join(chars)


def _is_han_side(ch: str) -> bool:
    return ch.isalpha() and not ch.isascii()


SELF_REVIEW_HINT = "如审核人与干部同名，请在姓名后注明所在部门，如“张三（机关党委）”"
REVIEW_PASS = "pass"
REVIEW_RETURN = "return"


class ReviewLike(Protocol):
    """A review entry: its decision, the draft it judged, when it was recorded."""

    @property
    def decision(self) -> str: ...

    @property
    def draft(self) -> int: ...

    @property
    def recorded_at(self) -> datetime: ...


R = TypeVar("R", bound=ReviewLike)


def latest_review(reviews: Iterable[R]) -> R | None:
    """The most recent review: by ``recorded_at``, later in the log on a tie."""
    indexed = list(enumerate(reviews))
    if not indexed:
        return None
    indexed.sort(key=lambda pair: (pair[1].recorded_at.timestamp(), pair[0]))
    return indexed[-1][1]


def review_status(draft: int, reviews: Iterable[ReviewLike]) -> ReviewStatus:
    """The status of draft number ``draft``: the latest review of that draft decides.

    A resubmitted material (a new draft) is 待审核 again until it is reviewed.
    """
    latest = latest_review(r for r in reviews if r.draft == draft)
    if latest is None:
        return ReviewStatus.PENDING
    return ReviewStatus.PASSED if latest.decision == REVIEW_PASS else ReviewStatus.RETURNED


# -------------------------------------------------- verified closing (销号)


class Closing(str, enum.Enum):
    """Whether a measure reported 已完成 has been checked against its evidence."""

    VERIFIED = "已销号"
    SELF_REPORTED = "自报完成"

    @property
    def label(self) -> str:
        """The Chinese label shown to people."""
        return self.value


CLOSINGS: tuple[Closing, ...] = tuple(Closing)

VERIFY_ACCEPT = "accept"
VERIFY_REJECT = "reject"


class VerifyLike(Protocol):
    """A verification entry: which item, accepted or not, when recorded."""

    @property
    def item(self) -> str: ...

    @property
    def decision(self) -> str: ...

    @property
    def reviewer(self) -> str: ...

    @property
    def recorded_at(self) -> datetime: ...


V = TypeVar("V", bound=VerifyLike)


def counted_verifications(verifications: Iterable[V], respondent: str) -> list[V]:
    """The verifications that can close ``respondent``'s measures: all but any the
    cadre recorded himself (:func:`reviews_own_file`; only a file edited by hand, or
    written before selfcheck refused such a record, holds one)."""
    return [v for v in verifications if not reviews_own_file(v.reviewer, respondent)]


def closing_of(latest: EntryLike | None, status: str, verifications: Iterable[V]) -> Closing | None:
    """已销号 / 自报完成 for a measure whose latest progress is ``latest`` (status ``status``).

    Only 已完成 is closed by verification (对账销号): it is 已销号 when the
    item's latest verification accepted it and was recorded no earlier than
    that latest progress entry; otherwise 自报完成 (the cadre's own word).
    Any other status gives None. A rejection is followed by a 整改中 entry,
    so a rejected measure is no longer 已完成 at all.
    """
    if latest is None or status != Status.DONE.value:
        return None
    found = latest_verification(latest.item, verifications)
    if (
        found is not None
        and found.decision == VERIFY_ACCEPT
        and found.recorded_at.timestamp() >= latest.recorded_at.timestamp()
    ):
        return Closing.VERIFIED
    return Closing.SELF_REPORTED


def latest_verification(item: str, verifications: Iterable[V]) -> V | None:
    """The most recent verification of ``item`` (log order breaks ties)."""
    found: V | None = None
    best = float("-inf")
    for entry in verifications:
        if entry.item != item:
            continue
        stamp = entry.recorded_at.timestamp()
        if stamp >= best:
            best = stamp
            found = entry
    return found


def can_verify(status: str) -> bool:
    """Only a measure reported 已完成 can be verified (accepted or rejected)."""
    return status == Status.DONE.value


REJECTED_STATUS = Status.IN_PROGRESS
"""Where a measure goes when its 已完成 is rejected at verification."""


# ------------------------------------------------------- 回头看 (re-check)


class RecheckResult(str, enum.Enum):
    """What the committee's 回头看 found for a measure reported closed."""

    CONSOLIDATED = "巩固"
    REBOUND = "反弹"

    @property
    def label(self) -> str:
        """The Chinese label, as stored in files and shown to people."""
        return self.value

    @property
    def reopens(self) -> bool:
        """反弹 reopens the measure (it goes back to :data:`REOPENED_STATUS`, new deadline)."""
        return self is RecheckResult.REBOUND


RECHECK_RESULTS: tuple[RecheckResult, ...] = tuple(RecheckResult)
"""Every re-check result, in the order a summary lists them."""

_RECHECK_SYNONYMS = {
    "consolidated": RecheckResult.CONSOLIDATED,
    "ok": RecheckResult.CONSOLIDATED,
    "巩固良好": RecheckResult.CONSOLIDATED,
    "rebound": RecheckResult.REBOUND,
    "rebounded": RecheckResult.REBOUND,
}

REOPENED_STATUS = Status.IN_PROGRESS
"""Where a measure goes when a re-check finds it 反弹."""


def recheck_result_of(text: str) -> RecheckResult | None:
    """The re-check result named by ``text`` (label or listed synonym); None if unknown."""
    key = text.strip()
    for result in RecheckResult:
        if key == result.value:
            return result
    return _RECHECK_SYNONYMS.get(key.lower())


def can_recheck(status: str) -> bool:
    """Only a closed measure (已完成, 长期坚持) is re-checked: 回头看 tests what was done."""
    return is_closed(status)


class DeadlineEntryLike(EntryLike, Protocol):
    """A progress entry that may set a new deadline (a reopened measure's)."""

    @property
    def deadline(self) -> date | None: ...


def current_deadline(answered: date | None, history: Sequence[DeadlineEntryLike]) -> date | None:
    """The deadline a measure is held to now: the latest new deadline set in its
    progress log (``history`` in recorded order, e.g. when 反弹 reopened it), else
    the deadline the cadre answered."""
    for entry in reversed(history):
        if entry.deadline is not None:
            return entry.deadline
    return answered


# ------------------------------------------- 上一轮查摆问题 (carry-forward)


class CarryState(str, enum.Enum):
    """Where a problem of the previous round stands, in the cadre's words."""

    RECTIFIED = "已整改到位"
    PARTLY = "部分整改"
    REBOUND = "出现反弹"
    UNRESOLVED = "仍未整改"

    @property
    def label(self) -> str:
        """The Chinese label, as stored in files and shown to people."""
        return self.value

    @property
    def carries_over(self) -> bool:
        """出现反弹 and 仍未整改 make the problem one of this round (上轮遗留) too."""
        return self in (CarryState.REBOUND, CarryState.UNRESOLVED)


CARRY_STATES: tuple[CarryState, ...] = tuple(CarryState)

_CARRY_SYNONYMS = {
    "rectified": CarryState.RECTIFIED,
    "done": CarryState.RECTIFIED,
    "已整改": CarryState.RECTIFIED,
    "partly": CarryState.PARTLY,
    "partial": CarryState.PARTLY,
    "rebound": CarryState.REBOUND,
    "反弹": CarryState.REBOUND,
    "unresolved": CarryState.UNRESOLVED,
    "未整改": CarryState.UNRESOLVED,
}

CARRIED_MARK = "上轮遗留"
"""How a problem carried into this round is marked wherever it is shown."""


def carry_state_of(text: str) -> CarryState | None:
    """The carry state named by ``text`` (label or listed synonym); None if unknown."""
    key = text.strip()
    for state in CarryState:
        if key == state.value:
            return state
    return _CARRY_SYNONYMS.get(key) or _CARRY_SYNONYMS.get(key.lower())


# ------------------------------------------ 整改落实情况 (the committee's close)


class Completion(str, enum.Enum):
    """The four columns of the committee's 整改落实情况报告."""

    COMPLETED = "已完成"
    BASICALLY = "基本完成"
    CONTINUING = "长期坚持"
    NOT_DONE = "未完成"

    @property
    def label(self) -> str:
        """The Chinese label shown in the report."""
        return self.value

    @property
    def in_rate(self) -> bool:
        """Whether this column counts toward 整改完成率: it holds the measures of a
        :data:`RATE_STATUSES` status (the one rule, read through :data:`_COLUMN_OF`)."""
        return any(_COLUMN_OF.get(status) is self for status in RATE_STATUSES)


COMPLETIONS: tuple[Completion, ...] = tuple(Completion)


def completion_of(status: str, deadline: date | None, today: date) -> Completion:
    """The report column of a measure with latest ``status`` and ``deadline``, on ``today``.

    已完成 → 已完成; 长期坚持 → 长期坚持; 整改中 within its deadline (or with
    none) → 基本完成 (under way, not yet late); 整改中 past its deadline and
    未开始 at any time → 未完成. 整改完成率 counts 已完成 only (:data:`RATE_STATUSES`).
    """
    column = _COLUMN_BY_LABEL.get(status)
    if column is not None:
        return column
    if status == _IN_PROGRESS and (deadline is None or not deadline < today):  # is_overdue
        return Completion.BASICALLY
    return Completion.NOT_DONE


_COLUMN_OF: dict[Status, Completion] = {
    Status.DONE: Completion.COMPLETED,
    Status.ONGOING: Completion.CONTINUING,
}
"""The statuses whose column does not depend on the deadline."""
_COLUMN_BY_LABEL = {status.value: column for status, column in _COLUMN_OF.items()}
_IN_PROGRESS = Status.IN_PROGRESS.value
