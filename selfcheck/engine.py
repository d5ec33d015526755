"""The questionnaire as a state machine: no terminal, no files, no clock.

An :class:`Engine` holds one person's answers to one checklist for one role
and a cursor. It says which question comes next (:class:`Step`), takes a raw
answer (text as typed, or a prefilled value) and returns the normalised value
or its problems (:class:`Outcome`), goes back or jumps to an item, computes
the review (:class:`Review`: what is missing, the quality warnings) and
produces the :class:`~selfcheck.response.Response`: a draft for autosave, or
the submitted one.

Every channel drives this one engine: the terminal walk
(:mod:`selfcheck.run.walk`), the answers file (``--answers --no-input``,
:mod:`selfcheck.run.noninteractive`) and, later, the browser form. The
browser's server is stateless: each request rebuilds the engine from the
draft file (:meth:`Engine.from_response`), which is cheap and deterministic.

Answers to questions hidden by a ``when`` that no longer holds (the person
changed the rating) stay in the engine and in the draft, so switching the
rating back brings them back; they never reach the submitted response.

Values are normalised by :func:`selfcheck.answers.normalize`, the one
normaliser, and which questions apply comes from
:func:`selfcheck.answers.visible_questions`; which answer marks a problem
comes from :mod:`selfcheck.rules`.
Today's date is passed in: a deadline must not lie before it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

from selfcheck import rules
from selfcheck.answers import (
    InvalidAnswer,
    date_hint,
    display_answer,
    is_empty,
    is_visible,
    normalize,
    visible_answers,
    visible_questions,
)
from selfcheck.response import Answer, ChecklistRef, RectifyEntry, Respondent, Response

if TYPE_CHECKING:
    from collections.abc import Iterable

    from selfcheck.checklist.model import Checklist, Item, Question, Section

Answers = dict[str, dict[str, Answer]]
"""Answers by item id, then question id."""

__all__ = [
    "AnswerIssue",
    "Answers",
    "Engine",
    "Incomplete",
    "Outcome",
    "QualityWarning",
    "Review",
    "Step",
    "answer_as_typed",
    "check_answers",
    "copies_wording",
    "ignored_answers",
    "quality_warnings",
    "question_help",
    "question_hint",
]

# ---------------------------------------------------------------- problems


@dataclass(frozen=True)
class AnswerIssue:
    """A problem with one answer (or one item) of an answers set."""

    item: str
    question: str | None
    message: str

    def format(self) -> str:
        """``item.question: message``."""
        where = f"{self.item}.{self.question}" if self.question else self.item
        return f"{where}: {self.message}"


class Incomplete(Exception):
    """Submitting while required questions are unanswered; ``issues`` lists them."""

    def __init__(self, issues: Sequence[AnswerIssue]) -> None:
        super().__init__(f"还有 {len(issues)} 处没有完成")
        self.issues: tuple[AnswerIssue, ...] = tuple(issues)


REQUIRED_MESSAGE = "这一题必须回答。"
BLANK_MESSAGE = "内容不能为空。"
TYPED_TYPES = frozenset({"short_text", "long_text", "date", "number"})
"""Questions answered by typing: the ones whose unfinished text :meth:`Engine.hold` keeps."""


def _missing(question: Question) -> str:
    return f"必填（{question.prompt}），尚未回答"


def _all_empty(value: object) -> bool:
    if isinstance(value, Mapping):
        return all(is_empty(v) for v in value.values())
    return is_empty(value)


# ------------------------------------------------------------ review warnings

MIN_PROBLEM_CHARS = 15
"""A 具体表现 shorter than this (letters and digits only) is too vague to act on."""
COPY_RATIO = 0.6
"""Share of a 具体表现 made of runs copied from the item's wording that counts as copying."""
COPY_MIN_RUN = 4

_NOT_WORDS = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class QualityWarning:
    """A reason to look again before submitting (never a block)."""

    number: int | None
    item_id: str | None
    message: str
    finds_nothing: bool = False
    """The whole material found no problem (the committee's list names this in its own
    words, :data:`selfcheck.review.listing.NO_PROBLEM`)."""

    def format(self) -> str:
        """``第 4 项：message`` or the bare message for whole-section warnings."""
        return f"第 {self.number} 项：{self.message}" if self.number else self.message


def letters(text: str) -> str:
    """Text without punctuation and blanks (for length and copy checks)."""
    return _NOT_WORDS.sub("", text)


def copies_wording(answer: str, sources: Sequence[str]) -> bool:
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
    """The committee's 问题准、原因清、措施明 as warnings, in checklist order.

    A 具体表现 too short or copied from the checklist wording, a 整改措施
    without a 整改时限, a whole section where nothing was found. Which answer
    is which comes from ``Question.meaning`` and ``Option.problem``.
    """
    warnings: list[QualityWarning] = []
    number = 0
    rated_all = found_all = 0
    for section in checklist.sections_for(role):
        rated = 0
        found = 0
        for item in section.items:
            number += 1
            given = answers.get(item.id, {})
            rating = rules.rating_question(item.questions)
            if rating is not None and not is_empty(given.get(rating.id)):
                rated += 1
            if not rules.states_problem(item, given):
                continue
            found += 1
            warnings.extend(_item_warnings(number, item, given))
        if rated and not found and rated == len(section.items):
            warnings.append(QualityWarning(None, None, _section_message(section, rated)))
        rated_all += rated
        found_all += found
    if rated_all and not found_all:
        # One clear warning for the whole material instead of one per section.
        message = NO_PROBLEM_WARNING.format(count=rated_all)
        return [QualityWarning(None, None, message, finds_nothing=True)]
    return warnings


NO_PROBLEM_WARNING = (
    "整份材料没有查摆出任何问题（{count} 项都评为没有问题）。对照检查要求实事求是、"
    "见人见事见思想，没有查摆问题的材料通常会被退回重写：请逐项再对照一遍，"
    "确实没有问题的，材料中将如实写明。"
)
"""The review's warning for a material that finds no problem at all."""


def _section_message(section: Section, count: int) -> str:
    name = f"“{section.title}”" + (f"（对照“{section.rubric}”）" if section.rubric else "")
    return (
        f"{name}的 {count} 项都没有查摆出问题。对照检查贵在实事求是、敢于自我批评，"
        "请再想一想是否确实没有差距。"
    )


def _item_warnings(number: int, item: Item, given: Mapping[str, Answer]) -> list[QualityWarning]:
    out: list[QualityWarning] = []
    problem_q = rules.question_for(item.questions, rules.PROBLEM)
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
    measure_q = rules.question_for(item.questions, rules.MEASURE)
    deadline_q = rules.question_for(item.questions, rules.DEADLINE)
    if (
        measure_q is not None
        and deadline_q is not None
        and not is_empty(given.get(measure_q.id))
        and is_empty(given.get(deadline_q.id))
        and not rules.is_lasting(item, given)
    ):
        out.append(
            QualityWarning(
                number,
                item.id,
                f"有{measure_q.prompt}但没有{deadline_q.prompt}。措施要可检验，请写明什么时候完成。",
            )
        )
    return out


# ---------------------------------------------------------- question texts

_HINTS = {
    "single_choice": "输入编号或选项文字",
    "multiple_choice": "可多选：输入编号，用空格或逗号分开",
    "yes_no": "是 / 否",
}
_YES_NO_OPTIONS = ("是", "否")
_YES_NO_NUMBERS = {"1": True, "１": True, "2": False, "２": False}


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def answer_as_typed(question: Question, value: Answer) -> str | None:
    """A stored answer as the person would type it (the default offered)."""
    if value is None:
        return None
    if question.type == "number":
        return str(value)
    return display_answer(question, value)


def question_hint(question: Question, today: date | None = None) -> str | None:
    """The short input hint shown with a question (a date's example after ``today``)."""
    if question.type == "date":
        return date_hint(today) if today is not None else "日期"
    if question.type == "number":
        parts = ["数字"]
        if question.min is not None and question.max is not None:
            parts.append(f"{_format_number(question.min)}～{_format_number(question.max)}")
        elif question.min is not None:
            parts.append(f"不小于 {_format_number(question.min)}")
        elif question.max is not None:
            parts.append(f"不大于 {_format_number(question.max)}")
        if question.unit:
            parts.append(f"单位：{question.unit}")
        return "，".join(parts)
    if question.type in ("short_text", "long_text") and question.max_length:
        return f"最多 {question.max_length} 字"
    return _HINTS.get(question.type)


def question_help(item: Item, question: Question) -> str | None:
    """The help of a question: its own, its options', the item's."""
    parts: list[str] = []
    if question.help:
        parts.append(question.help)
    for option in question.options or []:
        if option.help:
            parts.append(f"{option.label}：{option.help}")
    if item.help:
        parts.append(item.help)
    return "\n".join(parts) or None


def _words(text: str) -> str:
    """``text`` without digits, spaces and punctuation: what two hints share apart from
    their examples."""
    return "".join(ch for ch in text if ch.isalpha())


# ------------------------------------------------------------- value objects


@dataclass(frozen=True)
class Step:
    """One question to ask: where it stands and what to offer."""

    index: int
    """The item's place among the role's items (0-based)."""
    total: int
    """How many items the role answers."""
    section: Section
    item: Item
    question: Question
    value: Answer
    """The current answer, or an answer hidden earlier, offered as the default."""
    first: bool
    """Whether this is the first question the item asks."""
    unfinished: str | None = None
    """Text typed into this answer when an earlier walk was interrupted (not an answer yet)."""
    today: date | None = None
    """The day it is asked on: the date hint's example is later (:func:`date_hint`)."""

    @property
    def number(self) -> int:
        """The item's number, from 1."""
        return self.index + 1

    @property
    def position(self) -> str:
        """``第 3/15 项``."""
        return f"第 {self.number}/{self.total} 项"

    @property
    def required(self) -> bool:
        """Whether the question must be answered."""
        return self.question.required

    @property
    def options(self) -> tuple[str, ...]:
        """The numbered choices shown (option labels; 是/否 for yes/no)."""
        if self.question.type == "yes_no":
            return _YES_NO_OPTIONS
        return tuple(o.label for o in self.question.options or ())

    @property
    def multiline(self) -> bool:
        """Whether the answer may span lines."""
        return self.question.type == "long_text"

    @property
    def default_text(self) -> str | None:
        """:attr:`value` as the person would type it."""
        return answer_as_typed(self.question, self.value)

    @property
    def hint(self) -> str | None:
        """The short input hint."""
        return question_hint(self.question, self.today)

    @property
    def help(self) -> str | None:
        """The longer help (question, options, item)."""
        return question_help(self.item, self.question)

    @property
    def help_beside_hint(self) -> str | None:
        """The question's own help for a page that prints it under :attr:`hint`: None when
        it says no more than the hint, numbers aside (a checklist's ``日期，如 2009-03-31、……``
        beside the program's example after today)."""
        own = self.help if self.question.help or self.question.options else None
        hint = self.hint
        if own is not None and hint is not None and _words(own) == _words(hint):
            return None
        return own


@dataclass(frozen=True)
class Outcome:
    """What became of one answer: its normalised ``value``, or why it was refused."""

    value: Answer
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the answer was accepted."""
        return not self.problems


@dataclass(frozen=True)
class Review:
    """Before submitting: what is missing (blocks) and the warnings (do not)."""

    missing: tuple[AnswerIssue, ...]
    warnings: tuple[QualityWarning, ...]
    first_incomplete: int | None
    """Index of the first item with a missing answer."""

    @property
    def complete(self) -> bool:
        """True when the answers can be submitted."""
        return not self.missing


# ----------------------------------------------------------------- the engine


class Engine:
    """One person's walk through one checklist for one role.

    State: every value given (answers to questions hidden by ``when``
    included) and a cursor (item index, question id). Methods never print,
    read files or look at the clock: ``today`` and ``now`` are passed in.
    """

    def __init__(
        self,
        checklist: Checklist,
        role: str,
        *,
        today: date,
        started_at: datetime | None = None,
    ) -> None:
        if checklist.role(role) is None:
            raise ValueError(f"role {role!r} is not in checklist {checklist.id!r}")
        self.checklist = checklist
        self.role = role
        self.today = today
        self.started_at = started_at
        self.items: list[tuple[Section, Item]] = checklist.items_for(role)
        self._position = {item.id: index for index, (_, item) in enumerate(self.items)}
        self._values: Answers = {}
        self._index = 0
        self._question: str | None = None
        self._unfinished: dict[str, dict[str, str]] = {}
        self.identity_answers: dict[str, Answer] = {}
        """Answers to the checklist's ``identity_questions`` (asked before the walk)."""
        self.issues: list[AnswerIssue] = []
        """What :meth:`from_response` could not take over from the file."""

    @classmethod
    def from_response(cls, checklist: Checklist, response: Response, *, today: date) -> Engine:
        """The engine a draft (or submitted) response leaves off at.

        Answers that no longer fit (the checklist changed) are left out and
        listed in :attr:`issues`; the cursor is the response's ``cursor`` item
        (the review when it has none).
        """
        role = response.respondent.role
        engine = cls(checklist, role, today=today, started_at=response.started_at)
        engine.issues = engine.load(response.answers)
        engine.identity_answers = dict(response.identity_answers)
        engine.load_unfinished(response.unfinished)
        held = engine.unfinished_step()
        index = engine.index_of(response.cursor)
        if held is not None:
            engine.jump(held.index, held.question.id)
        elif index is None:
            engine.to_review()
        else:
            engine.jump(index)
        return engine

    # ------------------------------------------------------------ answers

    @property
    def total(self) -> int:
        """How many items the role answers."""
        return len(self.items)

    @property
    def stored_today(self) -> date:
        """The day loaded answers are checked against.

        A deadline accepted when the self-check began stays acceptable when a
        draft is resumed or a submission edited later; newly typed deadlines
        are still checked against :attr:`today`.
        """
        if self.started_at is None:
            return self.today
        return min(self.today, self.started_at.date())

    @property
    def answers(self) -> Answers:
        """The answers that apply (what a submission stores), in checklist order."""
        out: Answers = {}
        for _, item in self.items:
            kept = self._visible(item)
            if kept:
                out[item.id] = kept
        return out

    @property
    def values(self) -> Answers:
        """Every value kept, hidden ones included (what a draft stores)."""
        out: Answers = {}
        for _, item in self.items:
            given = self._values.get(item.id)
            if given:
                out[item.id] = {q.id: given[q.id] for q in item.questions if q.id in given}
        return out

    @property
    def hidden(self) -> Answers:
        """Values kept for questions their ``when`` currently hides."""
        out: Answers = {}
        for _, item in self.items:
            given = self._values.get(item.id, {})
            kept = self._visible(item)
            rest = {q: v for q, v in given.items() if q not in kept}
            if rest:
                out[item.id] = rest
        return out

    def load(self, raw: object, *, complete: bool = False) -> list[AnswerIssue]:
        """Take over an answers mapping (prefill, draft, answers file); list its problems.

        ``raw`` is ``{item id: {question id: value}}`` with values as typed or
        stored. Each given value replaces the one held (a blank clears it);
        values that do not fit are listed and not kept. Problems are reported
        for questions that apply; values of hidden questions are kept quietly.
        With ``complete``, every required question that applies and has no
        answer is listed too.
        """
        issues: list[AnswerIssue] = []
        if not isinstance(raw, Mapping):
            message = "answers 应是“检查项标识: {问题标识: 答案}”的映射"
            return [AnswerIssue("answers", None, message)]
        for item_id in raw:
            if str(item_id) in self._position:
                continue
            found = self.checklist.item(str(item_id))
            if found and _all_empty(raw[item_id]):
                continue  # a fill-in template lists every item; blank ones are harmless
            role = self.checklist.role_label(self.role)
            reason = f"不适用于角色“{role}”" if found else "检查表中没有这个检查项"
            issues.append(AnswerIssue(str(item_id), None, reason))
        for _, item in self.items:
            given = raw.get(item.id) or {}
            if not isinstance(given, Mapping):
                issues.append(AnswerIssue(item.id, None, "应是“问题标识: 答案”的映射"))
                continue
            issues.extend(self._load_item(item, given, complete=complete))
        return issues

    def _load_item(
        self, item: Item, given: Mapping[Any, Any], *, complete: bool
    ) -> list[AnswerIssue]:
        issues: list[AnswerIssue] = []
        known_ids = {q.id for q in item.questions}
        for qid in given:
            if qid not in known_ids:
                known = "、".join(sorted(known_ids))
                issues.append(AnswerIssue(item.id, str(qid), f"没有这个问题；本项的问题：{known}"))
        values = dict(self._values.get(item.id, {}))
        refused: dict[str, str] = {}
        for question in item.questions:
            if question.id not in given:
                continue
            try:
                value = normalize(question, given[question.id], today=self.stored_today)
            except InvalidAnswer as exc:
                refused[question.id] = str(exc)
                values.pop(question.id, None)
                continue
            if value is None:
                values.pop(question.id, None)
            else:
                values[question.id] = value
        self._set_values(item, values)
        kept: dict[str, Answer] = {}
        for question in item.questions:
            if not is_visible(item, question, kept, self.role):
                continue
            if question.id in refused:
                issues.append(AnswerIssue(item.id, question.id, refused[question.id]))
            elif question.id in values:
                kept[question.id] = values[question.id]
            elif complete and question.required:
                issues.append(AnswerIssue(item.id, question.id, _missing(question)))
        return issues

    def ignored(self, raw: Mapping[str, Any]) -> list[AnswerIssue]:
        """Non-blank values of ``raw`` for questions that do not apply now.

        Worth a warning: someone wrote a 具体表现 but rated the item as fine.
        """
        out: list[AnswerIssue] = []
        for _, item in self.items:
            given = raw.get(item.id)
            if not isinstance(given, Mapping):
                continue
            kept = self._visible(item)
            for question in item.questions:
                if is_empty(given.get(question.id)) or question.id in kept:
                    continue
                if not is_visible(item, question, kept, self.role):
                    message = f"“{question.prompt}”在本项的答案下不适用，已忽略"
                    out.append(AnswerIssue(item.id, question.id, message))
        return out

    def _set_values(self, item: Item, values: dict[str, Answer]) -> None:
        if values:
            self._values[item.id] = values
        else:
            self._values.pop(item.id, None)

    def _visible(self, item: Item) -> dict[str, Answer]:
        return visible_answers(item, self._values.get(item.id, {}), self.role)

    def _asked(self, item: Item) -> list[Question]:
        return visible_questions(item, self._visible(item), self.role)

    # --------------------------------------------------------- navigation

    def index_of(self, item_id: str | None) -> int | None:
        """The place of ``item_id`` among the role's items (None if it is not one)."""
        return self._position.get(item_id) if item_id is not None else None

    def step(self, index: int, question_id: str | None = None) -> Step | None:
        """The step at item ``index`` and ``question_id`` (the item's first question
        when None); a question that does not apply now resolves to the next one that
        does, across items. None means the review comes next."""
        while 0 <= index < len(self.items):
            section, item = self.items[index]
            asked = self._asked(item)
            order = [q.id for q in item.questions]
            start = order.index(question_id) if question_id in order else 0
            for number, question in enumerate(asked):
                if order.index(question.id) >= start:
                    value = self._values.get(item.id, {}).get(question.id)
                    held = self._unfinished.get(item.id, {}).get(question.id)
                    return Step(
                        index,
                        len(self.items),
                        section,
                        item,
                        question,
                        value,
                        number == 0,
                        held,
                        self.today,
                    )
            index += 1
            question_id = None
        return None

    def item_steps(self, index: int) -> list[Step]:
        """Every question item ``index`` asks now, in order (one page of a form)."""
        return [step for step, asked in self.item_questions(index) if asked]

    def item_questions(self, index: int) -> list[tuple[Step, bool]]:
        """Every question of item ``index``, asked now or not, with whether it is asked.

        For a page that holds the whole item and shows or hides the follow-ups
        as the answers change; a question not asked keeps its hidden value.
        """
        section, item = self.items[index]
        given = self._values.get(item.id, {})
        held = self._unfinished.get(item.id, {})
        asked = [q.id for q in self._asked(item)]
        return [
            (
                Step(
                    index,
                    len(self.items),
                    section,
                    item,
                    q,
                    given.get(q.id),
                    bool(asked) and q.id == asked[0],
                    held.get(q.id),
                    self.today,
                ),
                q.id in asked,
            )
            for q in item.questions
        ]

    @property
    def current(self) -> Step | None:
        """The question the cursor is at; None at the review."""
        step = self.step(self._index, self._question)
        if step is None:
            self._index, self._question = len(self.items), None
        else:
            self._index, self._question = step.index, step.question.id
        return step

    @property
    def at_review(self) -> bool:
        """True when every item has been walked (the cursor is at the review)."""
        return self.current is None

    @property
    def current_item_id(self) -> str | None:
        """The item the cursor is at (the draft's ``cursor``); None at the review."""
        step = self.current
        return step.item.id if step is not None else None

    def jump(self, item: int | str, question: str | None = None) -> Step | None:
        """Move the cursor to an item (by index or id), at ``question`` or its first."""
        index = item if isinstance(item, int) else self.index_of(item)
        if index is None or not 0 <= index <= len(self.items):
            raise IndexError(f"no item {item!r} for role {self.role!r}")
        self._index, self._question = index, question
        return self.current

    def to_review(self) -> None:
        """Move the cursor past the last item."""
        self._index, self._question = len(self.items), None

    def back(self) -> bool:
        """Move to the previous question, into the previous item's last question
        when at an item's first; False (and no move) at the very first question."""
        step = self.current
        index = len(self.items) if step is None else step.index
        if step is not None:
            asked = self._asked(step.item)
            at = next(n for n, q in enumerate(asked) if q.id == step.question.id)
            if at > 0:
                self._question = asked[at - 1].id
                return True
        for earlier in range(index - 1, -1, -1):
            asked = self._asked(self.items[earlier][1])
            if asked:
                self._index, self._question = earlier, asked[-1].id
                return True
        return False

    # ----------------------------------------------------------- answering

    def _target(self, item: str | None, question: str | None) -> Step:
        if item is None:
            step = self.current
            if step is None:
                raise LookupError("the walk is at the review: no question to answer")
            return step
        index = self.index_of(item)
        if index is None:
            raise LookupError(f"no item {item!r} for role {self.role!r}")
        found = next((s for s in self.item_steps(index) if s.question.id == question), None)
        if found is None:
            raise LookupError(f"question {item}.{question} is not asked now")
        return found

    def check(
        self, raw: object, *, item: str | None = None, question: str | None = None
    ) -> Outcome:
        """Normalise ``raw`` for the current question (or ``item``/``question``) without
        storing it. An answer kept unchanged (a deadline that has passed since it was
        given) stays acceptable; a number picks one of :attr:`Step.options`."""
        step = self._target(item, question)
        q = step.question
        if q.type == "yes_no" and isinstance(raw, str) and raw.strip() in _YES_NO_NUMBERS:
            return Outcome(_YES_NO_NUMBERS[raw.strip()])
        try:
            value = normalize(q, raw, today=self.today)
        except InvalidAnswer as exc:
            try:
                value = normalize(q, raw, today=date.min)
            except InvalidAnswer:
                return Outcome(None, (str(exc),))
            if step.value is None or value != step.value:
                return Outcome(None, (str(exc),))
        if value is None and q.required:
            return Outcome(None, (REQUIRED_MESSAGE if is_empty(raw) else BLANK_MESSAGE,))
        return Outcome(value)

    def answer(
        self, raw: object, *, item: str | None = None, question: str | None = None
    ) -> Outcome:
        """Check and store an answer (a blank clears an optional one), then move the
        cursor to the next question that applies. A refused answer changes nothing."""
        step = self._target(item, question)
        outcome = self.check(raw, item=step.item.id, question=step.question.id)
        if not outcome.ok:
            return outcome
        values = dict(self._values.get(step.item.id, {}))
        if outcome.value is None:
            values.pop(step.question.id, None)
        else:
            values[step.question.id] = outcome.value
        self._set_values(step.item, values)
        self.release(item=step.item.id, question=step.question.id)
        order = [q.id for q in step.item.questions]
        after = order.index(step.question.id) + 1
        following = order[after] if after < len(order) else None
        if following is None:
            self._index, self._question = step.index + 1, None
        else:
            self._index, self._question = step.index, following
        return outcome

    # --------------------------------------------------- unfinished text

    @property
    def unfinished(self) -> dict[str, dict[str, str]]:
        """Text typed but not finished, by item id then question id (a copy, for the draft)."""
        return {item: dict(held) for item, held in self._unfinished.items()}

    def hold(self, text: str, *, item: str | None = None, question: str | None = None) -> None:
        """Keep ``text`` as the unfinished answer of the current question (or ``item``/
        ``question``); blank text, or the stored answer itself, drops what was held.
        Nothing is checked or counted: it is not an answer until :meth:`answer`.
        Only typed answers (:data:`TYPED_TYPES`) are held."""
        step = self._target(item, question)
        if step.question.type not in TYPED_TYPES:
            return
        if not text.strip() or text == step.default_text:
            self.release(item=step.item.id, question=step.question.id)
            return
        self._unfinished.setdefault(step.item.id, {})[step.question.id] = text

    def release(self, *, item: str, question: str) -> None:
        """Forget the unfinished text of ``item``/``question`` (if any)."""
        held = self._unfinished.get(item)
        if held is not None:
            held.pop(question, None)
            if not held:
                del self._unfinished[item]

    def load_unfinished(self, raw: Mapping[str, Mapping[str, str]]) -> None:
        """Take over a draft's unfinished texts (those of unknown questions are dropped)."""
        for item_id, held in raw.items():
            index = self.index_of(item_id)
            if index is None or not isinstance(held, Mapping):
                continue
            _, item = self.items[index]
            known = {q.id for q in item.questions if q.type in TYPED_TYPES}
            for qid, text in held.items():
                if qid in known and isinstance(text, str) and text.strip():
                    self._unfinished.setdefault(item_id, {})[qid] = text

    def unfinished_steps(self) -> list[Step]:
        """Every question that applies and holds unfinished text (typed, not yet an
        answer: refused when saved, or left unfinished in the terminal)."""
        steps = []
        for item_id, held in self._unfinished.items():
            index = self.index_of(item_id)
            if index is not None:
                steps += [s for s in self.item_steps(index) if s.question.id in held]
        return steps

    def unfinished_step(self) -> Step | None:
        """The first question that applies and holds unfinished text, if any."""
        return next(iter(self.unfinished_steps()), None)

    def item_complete(self, index: int) -> bool:
        """Whether item ``index`` has every required question that applies answered
        (and nothing left unfinished)."""
        _, item = self.items[index]
        kept = self._visible(item)
        held = self._unfinished.get(item.id, {})
        return bool(kept) and all(
            (not q.required or q.id in kept) and q.id not in held
            for q in visible_questions(item, kept, self.role)
        )

    def completed(self) -> int:
        """How many items are complete (:meth:`item_complete`)."""
        return sum(1 for index in range(len(self.items)) if self.item_complete(index))

    # ------------------------------------------------------ review, submit

    def missing(self) -> list[AnswerIssue]:
        """Every required question that applies and has no answer, in order."""
        issues: list[AnswerIssue] = []
        for _, item in self.items:
            kept = self._visible(item)
            for question in visible_questions(item, kept, self.role):
                if question.required and question.id not in kept:
                    issues.append(AnswerIssue(item.id, question.id, _missing(question)))
        return issues

    def first_incomplete(self) -> int | None:
        """Index of the first item with a required question unanswered."""
        missing = self.missing()
        return self.index_of(missing[0].item) if missing else None

    def review(self) -> Review:
        """What is missing and what deserves a second look."""
        missing = self.missing()
        warnings = quality_warnings(self.checklist, self.role, self.answers)
        first = self.index_of(missing[0].item) if missing else None
        return Review(tuple(missing), tuple(warnings), first)

    def _ref(self) -> ChecklistRef:
        c = self.checklist
        return ChecklistRef(id=c.id, version=c.version, sha256=c.sha256)

    def draft(self, respondent: Respondent, *, now: datetime) -> Response:
        """The draft to autosave: every value (hidden ones too) and the cursor."""
        self._check_respondent(respondent)
        return Response(
            checklist=self._ref(),
            respondent=respondent,
            status="draft",
            started_at=self.started_at or now,
            updated_at=now,
            answers=self.values,
            identity_answers=dict(self.identity_answers),
            cursor=self.current_item_id,
            unfinished=self.unfinished,
        )

    def submit(
        self,
        respondent: Respondent,
        *,
        now: datetime,
        rectification: Iterable[RectifyEntry] = (),
    ) -> Response:
        """The submitted response: only answers that apply. Raises :class:`Incomplete`."""
        self._check_respondent(respondent)
        missing = self.missing()
        if missing:
            raise Incomplete(missing)
        return Response(
            checklist=self._ref(),
            respondent=respondent,
            status="submitted",
            started_at=self.started_at or now,
            updated_at=now,
            submitted_at=now,
            answers=self.answers,
            identity_answers=dict(self.identity_answers),
            cursor=None,
            rectification=list(rectification),
        )

    def _check_respondent(self, respondent: Respondent) -> None:
        if respondent.role != self.role:
            raise ValueError(f"respondent role {respondent.role!r} is not {self.role!r}")


# ------------------------------------------------------- whole answer sets


def check_answers(
    checklist: Checklist,
    role: str,
    raw_answers: Mapping[str, Any],
    *,
    today: date,
    require_complete: bool = True,
) -> tuple[Answers, list[AnswerIssue]]:
    """Normalise a whole answers mapping and list every problem.

    Answers to questions hidden by their ``when`` are dropped. With
    ``require_complete`` every visible required question must be answered.
    """
    if checklist.role(role) is None:
        known = rules.role_choices((r.id, r.label) for r in checklist.roles)
        return {}, [AnswerIssue("respondent", "role", f"角色“{role}”不在检查表中，可选：{known}")]
    engine = Engine(checklist, role, today=today)
    issues = engine.load(raw_answers, complete=require_complete)
    return engine.answers, issues


def ignored_answers(
    checklist: Checklist, role: str, raw_answers: Mapping[str, Any], *, today: date
) -> list[AnswerIssue]:
    """Non-blank answers that :func:`check_answers` drops because their ``when`` is false."""
    if checklist.role(role) is None or not isinstance(raw_answers, Mapping):
        return []
    engine = Engine(checklist, role, today=today)
    engine.load(raw_answers)
    return engine.ignored(raw_answers)
