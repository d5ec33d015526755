"""The summary JSON: written record by record, read back (checked) by ``rollup``.

Layout (``summary_schema`` 2; the schema itself is
:class:`selfcheck.summary.records.SummaryFile`)::

    {"format": "selfcheck-summary", "summary_schema": 2, "generator": ...,
     "checklist": {plan: id, version, sha256, sections, items, options...},
     "today": "2009-01-15", "conditions": [...], "anonymized": false,
     "excluded": 0, "ignored_files": 0,
     "roster": null | [{"unit", "name", "position", "role"}],
     "figures": {...derived, for readers; rollup recomputes them...},
     "skipped": [{"file", "code", "reason", ...}],
     "drafts": [{"unit", "name", "position", "role", "updated_at", "file"}],
     "records": [{"unit", "name", "position", "role", "file", "submitted_at",
                  "answers": {item: {question: value}},
                  "problems": [{"item", "problem", "cause", "opinion", "measure",
                                "deadline", "status", "status_date", "status_note"}],
                  "warnings": [...]}, ...]}

Records are the mergeable part: counts are made from them, and the newest
submission per person wins again when summaries are merged.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

import msgspec

from selfcheck import __version__
from selfcheck.errors import Loc, SummaryError, format_loc, no_such_option
from selfcheck.jsonlocate import locate
from selfcheck.response import problem_from
from selfcheck.summary.aggregate import Aggregator
from selfcheck.summary.figures import Figures
from selfcheck.summary.plan import ChecklistPlan
from selfcheck.summary.records import (
    RECORD_DECODER,
    SUMMARY_FORMAT,
    SUMMARY_SCHEMA,
    Draft,
    Record,
    Skip,
    SummaryFile,
)
from selfcheck.summary.roster import RosterEntry
from selfcheck.textsafe import first_unsafe_char

if TYPE_CHECKING:
    from selfcheck.similarity.detect import Result as SimilarityResult
    from selfcheck.similarity.model import SimilarityData


def write_summary_json(
    out: IO[bytes],
    agg: Aggregator,
    roster: list[RosterEntry] | None,
    figures: Figures,
    conditions: list[str],
    *,
    similarity: SimilarityResult | None = None,
) -> None:
    """Stream the summary to ``out``: the header, then each list one entry per line.

    With ``similarity`` (雷同检查), the header has ``similar_pairs`` and the file
    ends with ``similarity``: the signatures ``rollup`` compares across units.
    """
    header = {
        "format": SUMMARY_FORMAT,
        "summary_schema": SUMMARY_SCHEMA,
        "generator": f"selfcheck {__version__}",
        "checklist": agg.plan.to_json(),
        "today": agg.today.isoformat(),
        "conditions": conditions,
        "anonymized": agg.anonymizer is not None,
        "excluded": agg.excluded,
        "ignored_files": agg.ignored_files,
        "roster": None if roster is None else [e.to_json() for e in roster],
        "figures": dataclasses.asdict(figures),
    }
    out.write(msgspec.json.format(msgspec.json.encode(header), indent=1)[:-2])
    for name, lines in (
        ("skipped", agg.skip_lines()),
        ("drafts", (line for _, line in agg.drafts.lines())),
        ("records", agg.record_lines()),
    ):
        out.write(f',\n "{name}": ['.encode())
        _write_list(out, (line[:-1] for line in lines))  # each stored line ends with a newline
    if similarity is not None:
        from selfcheck.similarity.api import carried_data, pairs_json

        out.write(b',\n "similar_pairs": [')
        _write_list(out, (msgspec.json.encode(p) for p in pairs_json(similarity)))
        out.write(b',\n "similarity": ' + msgspec.json.encode(carried_data(similarity)))
    out.write(b"\n}\n")


def _write_list(out: IO[bytes], entries: Iterable[bytes]) -> None:
    """Write the encoded ``entries`` one per line and close the list opened before: a few
    hundred at a time, so that a long list is never held whole."""
    rest = iter(entries)
    lead = b"\n  "  # before the first entry; a comma too before every later chunk
    while chunk := list(itertools.islice(rest, 512)):
        out.write(lead + b",\n  ".join(chunk))
        lead = b",\n  "
    out.write(b"\n ]")


# ------------------------------------------------------------------ reading


@dataclasses.dataclass
class LoadedSummary:
    """One summary JSON, checked (its records as they are read: :class:`CheckedRecords`)."""

    file: str
    plan: ChecklistPlan
    conditions: list[str]
    anonymized: bool
    excluded: int
    ignored_files: int
    roster: list[RosterEntry] | None
    skipped: list[Skip]
    drafts: list[Draft]
    records: CheckedRecords
    similarity: SimilarityData | None = None


class CheckedRecords:
    """A summary's records, decoded and checked one at a time as they are iterated.

    A unit of 100,000 people writes a summary of about 180 MB; decoded whole, its
    records took 2.7 times that again. Here each record stays as its JSON text
    (a slice of the file) until it is read, and is then decoded against the one
    :class:`~.records.Record` schema and checked against the summary's checklist.
    A record out of shape raises :class:`SummaryError` with the same located
    message as a whole-file decode (it is made by one, on that rare path)."""

    def __init__(self, plan: ChecklistPlan, texts: list[msgspec.Raw], raw: bytes, file: str):
        self._plan = plan
        self._texts = texts
        self._raw = raw
        self._file = file

    def __iter__(self) -> Iterator[Record]:
        for n, text in enumerate(self._texts):
            try:
                record = RECORD_DECODER.decode(text)
            except (msgspec.MsgspecError, RecursionError):
                raise SummaryError(self._located(n)) from None
            problem = _record_problem(self._plan, record)
            if problem is not None:
                where, message = problem
                raise SummaryError(_at(self._file, self._raw, ("records", n, *where), message))
            yield record

    def release(self) -> None:
        """Let the file's text go (after the records were read)."""
        self._texts = []
        self._raw = b""

    @property
    def holds_text(self) -> bool:
        """Whether the file's text is still held (until :meth:`release`)."""
        return bool(self._raw)

    def _located(self, n: int) -> str:
        exc = _strict_error(self._raw)
        if exc is None:  # not reached: one schema
            return f"{self._file}：records[{n}]：不是有效的汇总记录"
        return _why_not(exc, self._raw, self._file)


_STRICT = msgspec.json.Decoder(SummaryFile[Record, dict[str, Any]])
_LAZY = msgspec.json.Decoder(SummaryFile[msgspec.Raw, msgspec.Raw])
_PAIR = msgspec.json.Decoder(dict[str, Any])


def _strict_error(raw: bytes) -> msgspec.MsgspecError | RecursionError | None:
    """The whole schema's complaint about ``raw`` (its path and place name the field)."""
    try:
        _STRICT.decode(raw)
    except (msgspec.MsgspecError, RecursionError) as exc:
        return exc
    return None


def read_summary_json(raw: bytes, file: str) -> LoadedSummary:
    """Parse and check a summary JSON; raise SummaryError naming the file and the field.

    Everything but the records is checked here; each record when it is read
    (:class:`CheckedRecords`), before anything is written."""
    try:
        data = _LAZY.decode(raw)
        for pair in data.similar_pairs:
            _PAIR.decode(pair)
    except (msgspec.MsgspecError, RecursionError) as exc:
        raise SummaryError(_why_not(_strict_error(raw) or exc, raw, file)) from None
    plan = data.checklist
    problem = _plan_problem(plan)
    if problem is not None:
        where, message = problem
        raise SummaryError(_at(file, raw, ("checklist", *where), message))
    roster = None
    if data.roster is not None:
        roster = [RosterEntry(r.unit, r.name, r.position, r.role) for r in data.roster]
    return LoadedSummary(
        file=file,
        plan=plan,
        conditions=data.conditions,
        anonymized=data.anonymized,
        excluded=data.excluded,
        ignored_files=data.ignored_files,
        roster=roster,
        skipped=list(data.skipped),
        drafts=list(data.drafts),
        records=CheckedRecords(plan, data.records, raw, file),
        similarity=data.similarity,
    )


def _why_not(exc: msgspec.MsgspecError | RecursionError, raw: bytes, file: str) -> str:
    try:
        head = msgspec.json.decode(raw)
    except (msgspec.MsgspecError, RecursionError):
        head = None
    if head is None or not isinstance(head, dict) or head.get("format") != SUMMARY_FORMAT:
        if isinstance(head, dict) and "respondent" in head:
            hint = "（这像是一份答卷：答卷请用 selfcheck summary 汇总）"
            return f"{file}：不是 selfcheck 汇总文件（summary --format json 生成）{hint}"
        if head is None:
            problem = problem_from(exc, raw, file)
            line = f"第 {problem.line} 行：" if problem.line else ""
            return f"{file}：{line}{problem.message}"
        return f"{file}：不是 selfcheck 汇总文件（summary --format json 生成）"
    if head.get("summary_schema") != SUMMARY_SCHEMA:
        return (
            f"{file}：汇总格式版本 {head.get('summary_schema')!r} 不受支持"
            f"（应为 {SUMMARY_SCHEMA}，请用当前版本的 selfcheck summary 重新生成）"
        )
    problem = problem_from(exc, raw, file)
    return _message(file, problem.line, problem.path, problem.message)


def _at(file: str, raw: bytes, loc: Loc, message: str) -> str:
    """A located message about the field at ``loc`` of the summary ``raw``."""
    line, _ = locate(raw, loc)
    return _message(file, line, format_loc(loc), message)


def _message(file: str, line: int | None, path: str, message: str) -> str:
    where = f"第 {line} 行，" if line else ""
    return f"{file}：{where}{path or '（顶层）'}：{message}"


def _plan_problem(plan: ChecklistPlan) -> tuple[Loc, str] | None:
    """Whether the summary's embedded checklist holds together as ``summary`` writes it
    (a damaged or hand-edited file): ids unique, each item in the section that lists it,
    known roles, no control characters. If not, the path of the first field that is wrong,
    within the plan, and why."""
    roles: set[str] = set()
    for n, (role, _label) in enumerate(plan.roles):
        if role in roles:
            return ("roles", n, 0), f"角色“{role}”重复"
        roles.add(role)
    sections: set[str] = set()
    items: set[str] = set()
    for s_n, section in enumerate(plan.sections):
        at: Loc = ("sections", s_n)
        if section.id in sections:
            return (*at, "id"), f"章节“{section.id}”重复"
        sections.add(section.id)
        for r_n, role in enumerate(section.roles):
            if role not in roles:
                return (*at, "roles", r_n), f"未知角色“{role}”"
        for i_n, item in enumerate(section.items):
            where: Loc = (*at, "items", i_n)
            if item.id in items:
                return (*where, "id"), f"检查项“{item.id}”重复"
            items.add(item.id)
            if item.section != section.id:
                return (*where, "section"), f"应为所在章节的标识“{section.id}”"
            questions: set[str] = set()
            for q_n, question in enumerate(item.questions):
                if question.id in questions:
                    return (*where, "questions", q_n, "id"), f"问题“{question.id}”重复"
                questions.add(question.id)
                values: set[str] = set()
                for o_n, option in enumerate(question.options):
                    if option.value in values:
                        return (*where, "questions", q_n, "options", o_n, "value"), (
                            f"选项“{option.value}”重复"
                        )
                    values.add(option.value)
    return _unsafe_text(msgspec.to_builtins(plan), ())


def _unsafe_text(data: object, loc: Loc) -> tuple[Loc, str] | None:
    """The first text in ``data`` with a control character (a checklist refuses them)."""
    if isinstance(data, str):
        char = first_unsafe_char(data)
        return None if char is None else (loc, f"文字中有控制字符 {char}")
    entries: Iterable[tuple[str | int, object]] = ()
    if isinstance(data, dict):
        entries = data.items()
    elif isinstance(data, list | tuple):
        entries = enumerate(data)
    for key, value in entries:
        found = _unsafe_text(value, (*loc, key))
        if found is not None:
            return found
    return None


def _record_problem(plan: ChecklistPlan, record: Record) -> tuple[Loc, str] | None:
    """Whether a record fits its summary's checklist (roles, items, options): if not,
    the path of the first field that does not, within the record, and why."""
    allowed = plan.role_items.get(record.role)
    if allowed is None:
        return ("role",), f"未知角色“{record.role}”"
    for item_id, given in record.answers.items():
        if item_id not in allowed:
            return ("answers", item_id), "检查项不存在或不适用于该角色"
        item = plan.items[item_id]
        for qid, value in given.items():
            question = item.by_id.get(qid)
            if question is None:
                return ("answers", item_id, qid), "检查表中没有这个问题"
            values = [value] if isinstance(value, str) else value
            for v in values:
                if question.option(v) is None:
                    return ("answers", item_id, qid), no_such_option(v)
    for n, row in enumerate(record.problems):
        if row.item not in allowed:
            return ("problems", n, "item"), f"检查项“{row.item}”不存在或不适用于该角色"
    return None


__all__ = ["CheckedRecords", "LoadedSummary", "read_summary_json", "write_summary_json"]
