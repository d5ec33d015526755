"""The lean path from a parsed response to its record line and counter keys.

A :class:`Reducer` is compiled once from the checklist plan: for every role the
items it answers, for every choice question a table from option value to the
precomputed counter key and JSON fragment. :meth:`Reducer.reduce` then checks a
parsed response and builds its record in one pass, with dictionary look-ups and
string joins instead of generic validation and ``json.dumps``.

It only ever says yes to what the exact path (the ``Response`` model, then
:func:`~selfcheck.summary.ingest.check_against` and
:func:`~selfcheck.summary.ingest.make_record`) would accept and reduce the same
way; on anything unusual it returns None and the exact path decides. Tests
compare the two on every demo file.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from json.encoder import encode_basestring
from typing import Any, NamedTuple

from selfcheck.summary.ingest import (
    DIRTY_TEXT,
    DONE_STATUSES,
    EXCEL_CELL_LIMIT,
    NOT_STARTED,
    RECTIFY_STATUSES,
    Draft,
    clean_name,
    clean_unit,
    is_day,
    make_draft,
    safe_text,
    timestamp,
)
from selfcheck.summary.plan import CHOICE_TYPES, ChecklistPlan
from selfcheck.textsafe import clean_text

_SHA = re.compile(r"[0-9a-f]{64}")
_DATETIME = re.compile(
    r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)"
)
_SINGLE, _MULTI, _TEXT, _DATE, _YESNO, _NUMBER = range(6)
_RATING = -1  # in _Item.kinds: the item's rating question, already counted
_KINDS = {
    "single_choice": _SINGLE,
    "multiple_choice": _MULTI,
    "short_text": _TEXT,
    "long_text": _TEXT,
    "date": _DATE,
    "yes_no": _YESNO,
    "number": _NUMBER,
}
_NOT_STARTED_TAIL = (
    f',"status":{encode_basestring(NOT_STARTED)},"status_date":null,"status_note":""}}'
)
ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


@dataclass(frozen=True)
class _Option:
    key: tuple[str, ...]
    fragment: str
    flags: bool


@dataclass(frozen=True)
class _Question:
    kind: int
    choice: bool
    options: dict[str, _Option]
    answered_key: tuple[str, ...]
    json_id: str


@dataclass(frozen=True)
class _Item:
    id: str
    json_id: str
    questions: dict[str, _Question]
    meanings: tuple[tuple[str, str], ...]
    # The start of this item's problem row in JSON, and per meaning (key prefix,
    # question id, is the deadline): the row is written without a dict or encoder.
    row_head: str
    row_parts: tuple[tuple[str, str, bool], ...]
    order: int
    # The common shape: one single-choice question (the rating) is the item's only
    # choice. Then ``{rating: value}`` maps straight to (key, item fragment, flags).
    rating: str | None
    rated: dict[str, tuple[tuple[str, ...], str, bool]]
    rating_required: bool
    # Question id → kind, the rating question marked _RATING.
    kinds: dict[str, int]


class FastRecord(NamedTuple):
    """A reduced submission: its JSON line, counter keys and identity."""

    unit: str
    name: str
    role: str
    submitted_at: str
    file: str
    line: bytes
    keys: list[tuple[str, ...]]


def _DT(value: str) -> bool:
    """Fast datetime check; a non-string raises TypeError (the caller falls back)."""
    return _DATETIME.fullmatch(value) is not None and (value[8:10] < "29" or _is_datetime(value))


def _is_datetime(value: object) -> bool:
    """An aware ISO datetime that pydantic and ``datetime.fromisoformat`` read alike."""
    if type(value) is not str or not _DATETIME.fullmatch(value):
        return False
    if value[8:10] < "29":
        return True  # every month has 28 days: skip the full parse
    try:
        datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    except ValueError:
        return False
    return True


def _plain(text: str) -> bool:
    """True when cleaning would not change ``text`` (no controls, no odd spaces, NFC)."""
    return text.isprintable() and unicodedata.is_normalized("NFC", text)


class Reducer:
    """Compiled checks and record building for one checklist plan."""

    def __init__(self, plan: ChecklistPlan, today: date) -> None:
        self.plan = plan
        self.today = today.isoformat()
        self._items: dict[str, _Item] = {}
        for order, (item_id, item) in enumerate(plan.items.items()):
            questions = {}
            flagging = {q.id for q in item.flagging}
            for q in item.questions:
                kind = _KINDS[q.type]
                options = {
                    o.value: _Option(
                        ("opt", item_id, q.id, o.value),
                        f"{encode_basestring(q.id)}:{encode_basestring(o.value)}",
                        o.problem and q.id in flagging,
                    )
                    for o in q.options
                }
                questions[q.id] = _Question(
                    kind,
                    kind in (_SINGLE, _MULTI),
                    options,
                    ("ans", item_id, q.id),
                    encode_basestring(q.id),
                )
            choices = [q for q in item.questions if q.type in CHOICE_TYPES]
            only = choices[0] if len(choices) == 1 and choices[0].type == "single_choice" else None
            rated = {}
            if only is not None:
                for value, option in questions[only.id].options.items():
                    rated[value] = (
                        option.key,
                        f"{encode_basestring(item_id)}:{{{option.fragment}}}",
                        option.flags,
                    )
            self._items[item_id] = _Item(
                item_id,
                encode_basestring(item_id),
                questions,
                tuple(item.meanings.items()),
                f'{{"item":{encode_basestring(item_id)}',
                tuple(
                    (f",{encode_basestring(meaning)}:", qid, meaning == "deadline")
                    for meaning, qid in item.meanings.items()
                ),
                order,
                only.id if only is not None else None,
                rated,
                only is not None and only.required and not only.conditional,
                {
                    qid: _RATING if only is not None and qid == only.id else question.kind
                    for qid, question in questions.items()
                },
            )
        self._by_role = {
            role: {item_id: self._items[item_id] for item_id in plan.items if item_id in items}
            for role, items in plan.role_items.items()
        }
        self._role_keys = {role: ("resp", role) for role in plan.role_items}
        # Per role: item id → (item, rating id or None, rated table), unpacked in the hot loop.
        self._plans = {
            role: {item_id: (item, item.rating, item.rated) for item_id, item in items.items()}
            for role, items in self._by_role.items()
        }
        # Roles whose required questions are exactly their items' ratings: counting
        # answered ratings is then the whole completeness check.
        self._ratings_only = {
            role: len(pairs) == len(self._by_role[role])
            and all(self._items[i].rating == q and self._items[i].rating_required for i, q in pairs)
            for role, pairs in plan.required.items()
        }
        self._ref = (plan.id, plan.version, plan.sha256)

    def reduce(self, data: Any, file: str) -> FastRecord | Draft | None:
        """The record (or draft) of ``data``; None when the exact path must decide."""
        try:
            return self._reduce(data, file)
        except (KeyError, TypeError, AttributeError, ValueError):
            return None

    def _reduce(self, data: dict[str, Any], file: str) -> FastRecord | Draft | None:
        ref = data["checklist"]
        who = data["respondent"]
        status = data["status"]
        if not (
            type(data) is dict
            and data["schema_version"] == 1
            and type(data["schema_version"]) is int
            and type(ref) is dict
            and (ref["id"], ref["version"], ref["sha256"]) == self._ref
            and type(who) is dict
            and status in ("submitted", "draft")
            and _DT(data["started_at"])
            and (data["updated_at"] is None or _DT(data["updated_at"]))
            and (data["cursor"] is None or type(data["cursor"]) is str)
        ):
            return None
        unit, name, position, role = who["unit"], who["name"], who["position"], who["role"]
        if not (
            type(unit) is str
            and type(name) is str
            and type(position) is str
            and 0 < len(unit) <= 200
            and 0 < len(name) <= 200
            and 0 < len(role) <= 200
        ):
            return None
        if role not in self._plans:
            return None
        answers = data["answers"]
        rectification = data["rectification"]
        if type(answers) is not dict or type(rectification) is not list:
            return None
        submitted = status == "submitted"
        submitted_at = data["submitted_at"]
        if submitted:
            if not _DT(submitted_at):
                return None
        elif submitted_at is not None and not _DT(submitted_at):
            return None
        keys: list[tuple[str, ...]] = [self._role_keys[role]]
        fragments: list[str] = []
        flagged: list[tuple[_Item, dict[str, Any]]] = []
        add_key = keys.append
        add_fragment = fragments.append
        plans = self._plans[role]
        rated = 0
        for item_id, given in answers.items():
            item, rating, table = plans[item_id]
            if rating is not None:
                value = given[rating]
                if value is not None:
                    key, fragment, flags = table[value]
                    add_key(key)
                    add_fragment(fragment)
                    rated += 1
                    if len(given) == 1:
                        continue
                    if flags:
                        flagged.append((item, given))
                    if not self._other_answers_ok(item, given):
                        return None
                    continue
            if not self._generic_item(item, given, keys, fragments, flagged):
                return None
        for entry in rectification:
            if not (
                type(entry) is dict
                and len(entry) == 5
                and type(entry["item"]) is str
                and entry["status"] in RECTIFY_STATUSES
                and is_day(entry["date"])
                and type(entry["note"]) is str
                and _is_datetime(entry["recorded_at"])
            ):
                return None
        if not submitted:
            return make_draft(data, file)
        if not (self._ratings_only[role] and rated == len(self.plan.required[role])):
            for item_id, qid in self.plan.required[role]:
                if answers.get(item_id, {}).get(qid) is None:
                    return None
        warnings: list[str] = []
        people = f"{unit}|{name}|{position}"
        if not (
            _plain(people)
            and " " not in name
            and "  " not in unit
            and unit.strip() == unit
            and position.strip() == position
        ):
            cleaned = clean_name(name)
            if cleaned != "".join(name.split()):
                warnings.append("respondent.name：含控制字符，已删除")
            name = cleaned
            unit = clean_unit(unit)
            position = clean_text(position).strip()
        problems = self._problems(flagged, rectification, warnings, keys) if flagged else "[]"
        line = (
            f'{{"unit":{encode_basestring(unit)},"name":{encode_basestring(name)},'
            f'"position":{encode_basestring(position)},"role":{encode_basestring(role)},'
            f'"file":{encode_basestring(file)},"submitted_at":{encode_basestring(submitted_at)},'
            f'"answers":{{{",".join(fragments)}}},'
            f'"problems":{problems},'
            f'"warnings":{ENCODER.encode(warnings) if warnings else "[]"}}}\n'
        )
        return FastRecord(unit, name, role, submitted_at, file, line.encode("utf-8"), keys)

    @staticmethod
    def _other_answers_ok(item: _Item, given: dict[str, Any]) -> bool:
        """The non-choice answers of a rated item have the right types."""
        kinds = item.kinds
        for qid, value in given.items():
            kind = kinds[qid]  # an unknown question raises KeyError: the exact path decides
            if value is None or kind == _RATING:
                continue
            if kind == _TEXT:
                if type(value) is not str:
                    return False
            elif kind == _DATE:
                if not is_day(value):
                    return False
            elif kind == _YESNO:
                if type(value) is not bool:
                    return False
            elif kind == _NUMBER:
                if type(value) not in (int, float) or not math.isfinite(value):
                    return False
            else:
                return False  # another choice question: not the common shape
        return True

    @staticmethod
    def _generic_item(
        item: _Item,
        given: dict[str, Any],
        keys: list[tuple[str, ...]],
        fragments: list[str],
        flagged: list[tuple[_Item, dict[str, Any]]],
    ) -> bool:
        """Any item shape: check every answer, collect choice keys and fragments."""
        if type(given) is not dict:
            return False
        parts: list[str] = []
        flags = False
        for qid, value in given.items():
            q = item.questions[qid]
            kind = q.kind
            if value is None:
                continue
            if kind == _SINGLE:
                option = q.options[value]
                keys.append(option.key)
                parts.append(option.fragment)
                flags = flags or option.flags
            elif kind == _MULTI:
                if type(value) is not list:
                    return False
                keys.append(q.answered_key)
                for v in value:
                    keys.append(q.options[v].key)
                parts.append(f"{q.json_id}:{ENCODER.encode(value)}")
            elif kind == _TEXT:
                if type(value) is not str:
                    return False
            elif kind == _DATE:
                if not is_day(value):
                    return False
            elif kind == _YESNO:
                if type(value) is not bool:
                    return False
            elif type(value) not in (int, float) or not math.isfinite(value):
                return False
        if parts:
            fragments.append(f"{item.json_id}:{{{','.join(parts)}}}")
        if flags:
            flagged.append((item, given))
        return True

    def _problems(
        self,
        flagged: list[tuple[_Item, dict[str, Any]]],
        rectification: list[dict[str, Any]],
        warnings: list[str],
        keys: list[tuple[str, ...]],
    ) -> str:
        """The problem rows as a JSON array, written field by field.

        Same fields, order and values as ``ENCODER.encode`` of the rows that
        :func:`~selfcheck.summary.ingest.make_record` builds.
        """
        latest: dict[str, dict[str, Any]] = {}
        for entry in rectification:
            current = latest.get(entry["item"])
            # The latest entry per item by recorded_at, later in the log on a tie.
            if current is None or timestamp(entry["recorded_at"]) >= timestamp(
                current["recorded_at"]
            ):
                latest[entry["item"]] = entry
        if len(flagged) > 1:
            flagged.sort(key=lambda pair: pair[0].order)
        dirty = DIRTY_TEXT.search
        encode = encode_basestring
        today = self.today
        add_key = keys.append
        rows = []
        for item, given in flagged:
            parts = [item.row_head]
            deadline = None
            for key, qid, is_deadline in item.row_parts:
                value = given.get(qid)
                if is_deadline:
                    if type(value) is str:
                        deadline = value
                        parts.append(key + encode(value))
                    else:
                        parts.append(key + "null")
                elif (
                    type(value) is str
                    and len(value) <= EXCEL_CELL_LIMIT
                    and (value.isprintable() or not dirty(value))
                ):
                    parts.append(key + encode(value))
                else:
                    text = safe_text(value, f"answers.{item.id}.{qid}", warnings)
                    parts.append(key + encode(text))
            progress = latest.get(item.id)
            if progress is None:
                status = NOT_STARTED
                parts.append(_NOT_STARTED_TAIL)
            else:
                status = progress["status"]
                note = safe_text(progress["note"], f"rectification.{item.id}.note", warnings)
                parts.append(
                    f',"status":{encode(status)},"status_date":{encode(progress["date"])},'
                    f'"status_note":{encode(note)}}}'
                )
            add_key(("flag", item.id))
            add_key(("rect", status))
            if deadline and status not in DONE_STATUSES and deadline < today:
                add_key(("overdue",))
            rows.append("".join(parts))
        return f"[{','.join(rows)}]"
