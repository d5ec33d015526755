"""Posted form fields → answers given to the walk engine.

Form bodies are parsed here, not by a framework: strictly as UTF-8 (invalid
bytes are refused, never replaced), with a cap on the number of fields. Field
names are ``a.QUESTION`` for the item on the page; a choice must be one of the
question's option values exactly (the engine would also accept a label or a
number, which a radio button never sends).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from selfcheck.engine import TYPED_TYPES, answer_as_typed
from selfcheck.serve.security import MAX_FORM_CHARS

if TYPE_CHECKING:
    from collections.abc import Iterable

    from selfcheck.checklist.model import Question
    from selfcheck.engine import Engine
    from selfcheck.response import Answer

MAX_FIELDS = 200
PREFIX = "a."
BAD_CHOICE = "所选内容不在选项中，未保存。请重新选择。"
KEPT_MESSAGE = "这一题必须回答，原来的答案未被清除。"


class BadForm(ValueError):
    """A body that is not a well-formed UTF-8 form; the message is Chinese."""


def parse_form(body: bytes) -> dict[str, list[str]]:
    """``application/x-www-form-urlencoded`` bytes → field name → values."""
    try:
        text = body.decode("ascii")
        pairs = parse_qsl(
            text,
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_FIELDS,
        )
    except UnicodeDecodeError:
        raise BadForm("提交的内容不是有效的 UTF-8 文字，未保存。请刷新页面后重新填写。") from None
    except ValueError:
        raise BadForm("提交的字段太多，未保存。") from None
    fields: dict[str, list[str]] = {}
    for name, value in pairs:
        fields.setdefault(name, []).append(value)
    return fields


def first(fields: dict[str, list[str]], name: str) -> str:
    """The first value of ``name`` ('' when absent)."""
    values = fields.get(name)
    return values[0] if values else ""


SHORT_TYPED_MAX = 40
"""maxlength of a date or number field (``2009年12月31日`` is 11 characters)."""
FORM_OVERHEAD_CHARS = 1000
"""Room kept in a post for what is not typed: CSRF token, versions, choices, buttons."""


def typed_limits(questions: Iterable[Question]) -> dict[str, int]:
    """The ``maxlength`` of each typed field of one page (every question of an item,
    shown or not): the checklist's ``max_length``, 40 for a date or number, and for
    the other texts an equal share of what one post carries (:data:`MAX_FORM_CHARS`),
    so a page filled to the brim is never refused as too large (413)."""
    typed = [q for q in questions if q.type in TYPED_TYPES]
    limits: dict[str, int] = {}
    for q in typed:
        if q.max_length:
            limits[q.id] = q.max_length
        elif q.type in ("date", "number"):
            limits[q.id] = SHORT_TYPED_MAX
    open_ended = [q for q in typed if q.id not in limits]
    if open_ended:
        room = MAX_FORM_CHARS - FORM_OVERHEAD_CHARS - sum(limits.values())
        share = max(100, room // len(open_ended) // 100 * 100)
        limits.update(dict.fromkeys((q.id for q in open_ended), share))
    return limits


def form_value(question: Question, value: Answer) -> Any:
    """A stored answer as its field on the page holds it: the option value of a
    choice, 是/否, the list of ticked values, or the text as typed ('' when none)."""
    if question.type in ("single_choice", "multiple_choice"):
        return value
    if question.type == "yes_no":
        return None if value is None else ("是" if value else "否")
    return answer_as_typed(question, value) or ""


VERSION_PREFIX = "h."
"""``h.QUESTION``: the version of the answer a page was made with (see :func:`field_version`)."""


def field_version(question: Question, values: list[str]) -> str:
    """A short digest of what a field posts: its page sends the version of the saved
    answer it was made with, so a save can tell the fields this page changed from
    those changed elsewhere since (another tab, the terminal)."""
    texts = [_lines(v) for v in values]
    if question.type == "multiple_choice":
        texts = sorted(set(texts))
    data = "\x1f".join(texts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=8).hexdigest()


def saved_values(question: Question, value: Answer) -> list[str]:
    """What the field of a saved answer posts when left as it is."""
    shown = form_value(question, value)
    if question.type == "multiple_choice":
        return [str(v) for v in shown or []]
    if question.type in ("single_choice", "yes_no"):
        return [] if shown is None else [str(shown)]
    return [str(shown)]


def posted_values(question: Question, fields: dict[str, list[str]]) -> list[str]:
    """What the field of ``question`` posted (a choice left empty posts nothing)."""
    name = PREFIX + question.id
    if question.type in ("single_choice", "yes_no", "multiple_choice"):
        return [v for v in fields.get(name, []) if v != ""]
    return [first(fields, name)]


@dataclass
class Applied:
    """What became of one page's answers."""

    problems: dict[str, str] = field(default_factory=dict)
    """Question id → why its answer was not kept (the field keeps what was typed)."""
    typed: dict[str, Answer] = field(default_factory=dict)
    """Question id → what was posted, to show again beside a problem."""
    changed: list[str] = field(default_factory=list)
    """Question ids whose stored value changed."""
    new_questions: list[str] = field(default_factory=list)
    """Questions the item asks now that were not on the page (a ``when`` became true)."""
    visible: list[str] = field(default_factory=list)
    """Every question the item asks after these answers, in order."""
    kept: list[str] = field(default_factory=list)
    """Required questions posted blank: their earlier answer stays."""
    held: list[str] = field(default_factory=list)
    """Questions whose refused text the draft keeps as unfinished (shown again)."""
    conflicts: list[str] = field(default_factory=list)
    """Questions changed on this page and, since the page was made, elsewhere too:
    not saved (a text is held as unfinished, shown beside the saved one)."""
    versions: dict[str, str] = field(default_factory=dict)
    """Question id → :func:`field_version` of its saved answer after the save."""

    @property
    def only_held(self) -> bool:
        """Whether every problem is one a reload of the page shows again by itself
        (the refused text is held in the draft, or the earlier answer was kept)."""
        return all(q in self.held or q in self.kept for q in self.problems)


def apply_item(
    engine: Engine, index: int, fields: dict[str, list[str]], *, stale: bool = False
) -> Applied:
    """Give the engine the answers posted for item ``index``.

    Only questions listed in the page's ``shown`` field are read (a field
    missing from the page is not a blank answer). Questions are taken in the
    item's order, so a rating is stored before the follow-ups it reveals.
    A blank required answer clears nothing; it is reported only when it would
    erase an answer given before.

    Merged field by field: a field whose posted value is still the version
    the page was made with (``h.QUESTION``) was not changed on this page and
    is left as saved, whatever was saved since; a field changed here is saved
    unless it was changed elsewhere too since the page was made (then it is a
    conflict: its text is held). A form without versions counts every field as
    changed, and as changed elsewhere too when the draft is ``stale`` (it is not
    the version the page was made from).
    """
    applied = Applied()
    _, item = engine.items[index]
    shown = set(first(fields, "shown").split())
    asked = {s.question.id: s for s in engine.item_steps(index)}
    for question in item.questions:
        if question.id not in shown:
            continue
        step = asked.get(question.id)
        if step is None:
            continue  # hidden by the answers just given: its value stays as it was
        name = PREFIX + question.id
        posted = posted_values(question, fields)
        original = fields.get(VERSION_PREFIX + question.id)
        mine = field_version(question, posted)
        saved = field_version(question, saved_values(question, step.value))
        if original is not None and mine == first(fields, VERSION_PREFIX + question.id):
            if mine == saved:
                engine.release(item=item.id, question=question.id)  # back to the saved answer
            continue  # not changed on this page: what is saved stays, even if newer
        elsewhere = saved != first(fields, VERSION_PREFIX + question.id) if original else stale
        if elsewhere and not _agrees(question, posted, step.value):
            applied.conflicts.append(question.id)
            if question.type in TYPED_TYPES:
                text = _lines(first(fields, name))
                engine.hold(text, item=item.id, question=question.id)
                applied.typed[question.id] = text
                applied.held.append(question.id)
            continue
        raw: object
        values = [v for v in fields.get(name, []) if v != ""]
        if question.type == "multiple_choice":
            raw = values
            allowed = {o.value for o in question.options or ()}
            bad = [v for v in values if v not in allowed]
        elif question.type in ("single_choice", "yes_no"):
            raw = values[0] if values else ""
            allowed = (
                {"是", "否"}
                if question.type == "yes_no"
                else {o.value for o in question.options or ()}
            )
            bad = [str(raw)] if (raw and raw not in allowed) or len(values) > 1 else []
        else:
            raw = first(fields, name)
            bad = []
        if bad:
            applied.problems[question.id] = BAD_CHOICE
            continue
        if _is_blank(raw) and question.required:
            engine.release(item=item.id, question=question.id)  # the box was emptied
            if step.value is not None:
                applied.problems[question.id] = KEPT_MESSAGE
                applied.typed[question.id] = ""
                applied.kept.append(question.id)
            continue
        before = step.value
        if _same(question, raw, before):
            engine.release(item=item.id, question=question.id)  # back to the saved answer
            continue  # unchanged (most fields of an autosave): nothing to check or store
        outcome = engine.answer(raw, item=item.id, question=question.id)
        if not outcome.ok:
            applied.problems[question.id] = "；".join(outcome.problems)
            applied.typed[question.id] = raw if isinstance(raw, str) else list(values)
            if isinstance(raw, str) and question.type in TYPED_TYPES:
                # kept in the draft as unfinished text: a reload shows it again
                engine.hold(_lines(raw), item=item.id, question=question.id)
                applied.held.append(question.id)
            continue
        if outcome.value != before:
            applied.changed.append(question.id)
            # a changed answer may show or hide later questions: ask the engine again
            asked = {s.question.id: s for s in engine.item_steps(index)}
    after = list(asked)
    applied.visible = after
    # the new versions of the fields that now hold what is saved (the others keep the
    # page's: a field left as it was while it changed elsewhere stays "not changed here")
    applied.versions = {
        step.question.id: field_version(step.question, saved_values(step.question, step.value))
        for step, _ in engine.item_questions(index)
        if step.question.id in shown
        and _agrees(step.question, posted_values(step.question, fields), step.value)
    }
    applied.new_questions = [q for q in after if q not in shown]
    return applied


def _agrees(question: Question, posted: list[str], stored: Answer) -> bool:
    """Whether a field's posted values are the stored answer (both may be empty)."""
    if stored is None:
        return all(not v.strip() for v in posted)
    raw: object = posted if question.type == "multiple_choice" else (posted[0] if posted else "")
    return _same(question, raw, stored)


def _same(question: Question, raw: object, stored: Answer) -> bool:
    """Whether ``raw`` as posted is the stored answer unchanged."""
    if stored is None:
        return False
    if question.type == "multiple_choice":
        return isinstance(raw, list) and isinstance(stored, list) and set(raw) == set(stored)
    if question.type == "yes_no":
        return raw == ("是" if stored else "否")
    if question.type == "single_choice":
        return raw == stored
    if not isinstance(raw, str):
        return False
    if question.type == "long_text":
        return raw.replace("\r\n", "\n").strip() == stored
    return raw.strip() == answer_as_typed(question, stored)


def _lines(text: str) -> str:
    """Text as a browser posts it (CR LF) with the line ends the draft keeps (LF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_blank(raw: object) -> bool:
    if isinstance(raw, list):
        return not raw
    return not str(raw).strip()
