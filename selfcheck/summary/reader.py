"""The bulk reader: response files in, typed records (or drafts, or skips) out.

:class:`BulkReader` is compiled once per checklist version from the one
response schema (:class:`selfcheck.response.Response`): the generic
``answers`` mapping is replaced by a struct per item whose fields are the
item's questions, typed by the checklist (an option value is a ``Literal``,
a date a strict ISO day, unknown items and questions are errors). msgspec
then validates a whole file in one C call; what is left in Python is the
role, completeness and the reduction to a :class:`~.records.Record`, all
decided by :mod:`selfcheck.rules`.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, Literal, Union

import msgspec

from selfcheck import rules
from selfcheck.errors import no_such_option
from selfcheck.response import (
    NOT_ALLOWED,
    UNKNOWN_FIELD,
    Response,
    problem_from,
    syntax_first,
)
from selfcheck.summary.compiled import Hit, Key, compile_role
from selfcheck.summary.ledger_extra import record_extras, row_extras
from selfcheck.summary.plan import ChecklistPlan, PlanItem, PlanQuestion
from selfcheck.summary.records import SUMMARY_FORMAT, Draft, ProblemRow, Record, Skip
from selfcheck.textsafe import clean_text, has_control_chars, one_line, visible

EXCEL_CELL_LIMIT = 32767


def _attr(n: int, prefix: str) -> str:
    """The struct field name of the n-th item or question (the JSON key is a rename).

    Always generated, never the id itself: a kept id could collide with a
    generated one (``class`` → ``q1`` beside a question named ``q1``), and
    only these names reach the generated source of :mod:`.compiled`."""
    return f"{prefix}{n}"


def _value_type(question: PlanQuestion) -> Any:
    kind = question.type
    if kind == "single_choice":
        return Literal[tuple(o.value for o in question.options)] | None  # type: ignore[misc]
    if kind == "multiple_choice":
        return list[Literal[tuple(o.value for o in question.options)]] | None  # type: ignore[misc]
    if kind in ("short_text", "long_text"):
        return str | None
    if kind == "date":
        return date | None
    if kind == "yes_no":
        return bool | None
    return Union[int, float, None]  # noqa: UP007 - a runtime type object


class _CompiledItem:
    """One item's struct type and what the reduction needs of it."""

    def __init__(self, item: PlanItem, n: int) -> None:
        self.item = item
        self.id = item.id
        self.attr = _attr(n, "i")
        fields = []
        rename: dict[str, str] = {}
        self.qattrs: dict[str, str] = {}
        for k, q in enumerate(item.questions):
            name = _attr(k, "q")
            if name != q.id:
                rename[name] = q.id
            self.qattrs[q.id] = name
            fields.append((name, _value_type(q), None))
        self.struct: type[msgspec.Struct] = msgspec.defstruct(
            f"Item_{n}",
            fields,
            forbid_unknown_fields=True,
            frozen=True,
            rename=rename or None,
            gc=False,  # holds only str, list, date and numbers: no cycles possible
        )
        self.index = {q.id: k for k, q in enumerate(item.questions)}
        attrs = self.qattrs
        # One C call per item fetches every choice answer (the hot loop of the pass).
        self.choice_ids = tuple(
            q.id for q in item.questions if q.type in ("single_choice", "multiple_choice")
        )
        self.multiple = frozenset(q.id for q in item.questions if q.type == "multiple_choice")
        # The one rule (rules.ProblemTest), addressed by struct field instead of id.
        test = rules.ProblemTest(item)
        self.rating_attr = attrs[test.rating_id] if test.rating_id is not None else None
        self.problem_values = test.problem_values
        # ProblemTest counts text answers only: a question of another type never states one.
        text_types = ("short_text", "long_text")
        self.text_attrs = tuple(
            attrs[qid] for qid in test.text_ids if item.by_id[qid].type in text_types
        )
        self.texts = tuple(
            (meaning, qid, attrs[qid])
            for meaning, qid in item.meanings.items()
            if meaning in rules.TEXT_MEANINGS
        )
        deadline = item.meanings.get(rules.DEADLINE)
        is_day = deadline is not None and item.by_id[deadline].type == "date"
        self.deadline_attr = attrs[deadline] if deadline is not None and is_day else None


class BulkReader:
    """Validate and reduce response files of one checklist version."""

    def __init__(self, plan: ChecklistPlan, unit_names: Callable[[str], str] | None = None) -> None:
        """``unit_names`` gives a unit as the roster spells it (:class:`.roster.UnitNames`)."""
        self.plan = plan
        self._unit_names = unit_names
        self._items = [_CompiledItem(item, n) for n, item in enumerate(plan.items.values())]
        answers_rename = {c.attr: c.id for c in self._items if c.attr != c.id}
        answers_type = msgspec.defstruct(
            "PlannedAnswers",
            [(c.attr, c.struct | None, None) for c in self._items],  # type: ignore[operator]
            forbid_unknown_fields=True,
            frozen=True,
            rename=answers_rename or None,
            gc=False,
        )
        typed = msgspec.defstruct(
            "PlannedResponse",
            [("answers", answers_type, msgspec.field(default_factory=answers_type))],
            bases=(Response,),
            kw_only=True,
        )
        self._decode: Callable[[bytes], Any] = msgspec.json.Decoder(typed).decode
        self._generic: Callable[[bytes], Response] = msgspec.json.Decoder(Response).decode
        self._ref = (plan.id, plan.version, plan.sha256)
        by_id = {c.id: c for c in self._items}
        self._role_items = {
            role: [by_id[i] for i in plan.items if i in allowed]
            for role, allowed in plan.role_items.items()
        }
        self._foreign = {
            role: [c for c in self._items if c.id not in allowed]
            for role, allowed in plan.role_items.items()
        }
        # Cleaned units and positions: a folder holds few distinct ones.
        self._units: dict[str, str] = {}
        self._positions: dict[str, str] = {}
        self._compiled = {
            role: compile_role(
                role,
                self._role_items[role],
                self._foreign[role],
                [(by_id[i], q) for i, q in plan.required.get(role, ())],
            )
            for role in plan.role_items
        }

    # ------------------------------------------------------------ one file

    def read(self, raw: bytes, file: str) -> Record | Draft | Skip:
        """The record, draft or skip of one file's bytes."""
        return self.read_counted(raw, file)[0]

    def read_counted(self, raw: bytes, file: str) -> tuple[Record | Draft | Skip, list[Key]]:
        """:meth:`read`, and for a record its :func:`~selfcheck.summary.records.answer_keys`
        (computed on the way, so the aggregator need not walk the answers again)."""
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            data = self._decode(raw)
        except (msgspec.MsgspecError, RecursionError) as exc:
            return self._explain(exc, raw, file), []
        ref = data.checklist
        if (ref.id, ref.version, ref.sha256) != self._ref:
            return self._other_checklist(ref, file), []
        who = data.respondent
        role = who.role
        functions = self._compiled.get(role)
        if functions is None:
            return Skip(file, "answers", f"角色“{role}”不在检查表中"), []
        answers = data.answers
        foreign = functions.foreign(answers)
        if foreign is not None:
            return Skip(file, "answers", f"answers.{foreign}：不适用于该角色"), []
        if data.status == "draft":
            draft = Draft(
                self._unit(who.unit),
                rules.clean_name(who.name),
                clean_text(who.position).strip(),
                role,
                data.updated_at or data.started_at,
                file,
            )
            return draft, []
        if data.submitted_at is None:
            return Skip(file, "schema", "状态为已提交，但没有提交时间（submitted_at）"), []
        missing = functions.missing(answers)
        if missing is not None:
            item_id, qid = missing
            return Skip(file, "incomplete", f"答卷不完整：answers.{item_id}.{qid} 未作答"), []
        kept, keys, hits = functions.reduce(answers)
        return self._record(data, kept, hits, file), keys

    def _record(
        self, data: Any, kept: dict[str, dict[str, Any]], hits: list[Hit], file: str
    ) -> Record:
        who = data.respondent
        warnings: list[str] = []
        problems: list[ProblemRow] = []
        if hits:
            log = data.rectification
            history = rules.history_by_item(log) if log else _NONE
            rechecked = rules.latest_by_item(data.rechecks) if data.rechecks else _NONE
            for compiled, given in hits:
                item_id = compiled.id
                texts = {
                    meaning: safe_text(getattr(given, name), warnings, "answers", item_id, qid)
                    for meaning, qid, name in compiled.texts
                }
                attr = compiled.deadline_attr
                deadline = getattr(given, attr) if attr is not None else None
                steps = history.get(item_id)
                progress = None
                status = _NOT_STARTED
                status_date = None
                note = ""
                if steps is not None:
                    progress = steps[-1]
                    # reopened by 回头看 with a new deadline: that one holds now
                    deadline = rules.current_deadline(deadline, steps)
                    status = rules.current_status(steps)
                    status_date = progress.date
                    note = safe_text(progress.note, warnings, "rectification", item_id, "note")
                checked = rechecked.get(item_id)
                extras = row_extras(compiled.item, _answer_of(given, compiled), data, progress)
                problems.append(
                    ProblemRow(
                        item_id,
                        texts.get("problem", ""),
                        texts.get("cause", ""),
                        texts.get("opinion", ""),
                        texts.get("measure", ""),
                        deadline,
                        status,
                        status_date,
                        note,
                        checked.result if checked is not None else None,
                        **extras,
                    )
                )
        raw_name = who.name
        name = rules.clean_name(raw_name)
        if name != "".join(raw_name.split()):
            warnings.append("respondent.name：含控制字符，已删除")
        unit = self._unit(who.unit)
        position = self._positions.get(who.position)
        if position is None:
            position = self._positions[who.position] = clean_text(who.position).strip()
        return Record(
            unit,
            name,
            position,
            who.role,
            file,
            data.submitted_at,
            kept,
            problems,
            warnings,
            **record_extras(data),
            carried=self._carried(data.previous),
        )

    @staticmethod
    def _carried(previous: Any) -> list[str]:
        if previous is None:
            return []
        from selfcheck.carry import carried_items

        return carried_items(previous)

    def _unit(self, raw: str) -> str:
        """A respondent's unit, cleaned and spelt as the roster does (cached: a folder
        holds few distinct units)."""
        unit = self._units.get(raw)
        if unit is None:
            unit = clean_unit(raw)
            if self._unit_names is not None:
                unit = self._unit_names(unit)
            self._units[raw] = unit
        return unit

    # -------------------------------------------------------------- skips

    def _other_checklist(self, ref: Any, file: str) -> Skip:
        mismatch = rules.checklist_mismatch((ref.id, ref.version, ref.sha256), self._ref)
        assert mismatch is not None
        code, reason = mismatch
        return Skip(file, code, reason)

    def _explain(self, exc: Exception, raw: bytes, file: str) -> Skip:
        """Why a file failed the typed decode, in the most useful terms."""
        if b'"format"' in raw and SUMMARY_FORMAT.encode() in raw[:4096]:
            return Skip(file, "schema", "这是汇总文件，不是答卷：请用 selfcheck rollup 合并汇总")
        assert isinstance(exc, msgspec.MsgspecError | RecursionError)
        exc = syntax_first(exc, raw)
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return Skip(file, "not_json", "不是 UTF-8 编码的 JSON 文件")
        problem = problem_from(exc, raw, file)
        if isinstance(exc, msgspec.ValidationError):
            try:
                generic = self._generic(raw)
            except (msgspec.MsgspecError, RecursionError):
                generic = None
            if generic is not None:
                ref = generic.checklist
                if (ref.id, ref.version, ref.sha256) != self._ref:
                    return self._other_checklist(ref, file)
                return Skip(file, "answers", f"{problem.path}：{_answers_message(problem)}")
            return Skip(file, "schema", f"不是有效的答卷文件：{_where(problem)}")
        detail = problem.message.removeprefix("不是有效的 JSON：")
        return Skip(file, "not_json", f"不是有效的 JSON 文件{_line(problem)}：{detail}")


def summary_warning(raw: bytes, file: str, reader: BulkReader) -> str | None:
    """``汇总时这份答卷不会计入：…`` when ``selfcheck summary`` would pass over this file
    (None: it counts it, or it is a draft). The one schema, asked by ``report`` and
    ``review`` so that a file the summary will not count is said before the summary is
    run. ``reader`` is the checklist's :class:`BulkReader` (made once: compiling it takes
    a few milliseconds)."""
    result = reader.read(raw, file)
    return f"汇总时这份答卷不会计入：{result.reason}" if isinstance(result, Skip) else None


_NONE: dict[str, Any] = {}
_NOT_STARTED = rules.Status.NOT_STARTED  # a class attribute of an enum is a slow look-up


def _answer_of(given: Any, compiled: _CompiledItem) -> Callable[[str], Any]:
    """The stored answer of a question of ``compiled``'s item, by question id."""
    attrs = compiled.qattrs
    return lambda qid: getattr(given, attrs[qid])


def _line(problem: Any) -> str:
    return f"（第 {problem.line} 行）" if problem.line else ""


def _where(problem: Any) -> str:
    return f"{problem.path}：{problem.message}" if problem.path else problem.message


def _answers_message(problem: Any) -> str:
    message: str = problem.message
    if message == UNKNOWN_FIELD:  # the path ends with the key: answers.ITEM[.QUESTION]
        depth = problem.path.count(".")
        return "检查表中没有这个问题" if depth >= 2 else "检查表中没有这个检查项"
    if message.startswith(NOT_ALLOWED):
        return no_such_option(message.removeprefix(NOT_ALLOWED).strip("“”"))
    return message


# ------------------------------------------------------------------ speed


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a folder is read in bulk.

    The bulk pass makes tens of thousands of short-lived structs and no
    reference cycles, so reference counting frees everything; the cyclic
    collector would only rescan the survivors (about half of the pass's time
    at 10,000 files, measured with bench/bench_summary.py).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# ------------------------------------------------------------------ text


def clean_unit(text: str) -> str:
    """A unit's name for matching: cleaned, invisible format characters removed
    (:func:`~selfcheck.textsafe.visible`), runs of spaces made one."""
    return one_line(visible(text))


def safe_text(value: object, warnings: list[str], *where: str) -> str:
    """Free text as a summary shows it: control characters removed, over-long noted.

    ``where`` names the field (``answers``, item, question); it is joined only
    when a warning is written, so the common printable text costs two checks."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable() and len(text) <= EXCEL_CELL_LIMIT:
        return text
    field = ".".join(where)
    cleaned = text
    if not text.isprintable() and has_control_chars(text):
        warnings.append(f"{field}：含控制字符，已删除")
        cleaned = clean_text(text)
    if len(cleaned) > EXCEL_CELL_LIMIT:
        warnings.append(
            f"{field}：长 {len(cleaned)} 字，超过 Excel 单元格上限 {EXCEL_CELL_LIMIT} 字，"
            "表格中截断显示"
        )
    return cleaned
