"""The mergeable aggregate: counts per unit plus one record per person, newest wins.

Files are read one at a time and reduced to a *record* (see
:func:`selfcheck.summary.ingest.make_record`). Records go to a temporary spool
file, not to memory; what stays in memory is small and does not grow with the
text people wrote:

- ``counts[unit][key]``: integer counters (respondents per role, answers per
  option, flagged items, measures per rectification status, overdue measures),
  made from each record by :func:`contribution`;
- an index from a hash of each person's key (unit and name) to the spool
  offset of their current record.

When a newer submission by the same person arrives, the older record's
contribution is subtracted and the record is marked dead, so the counts always
equal the sum of the winners' contributions. ``rollup`` feeds the records of
several summaries through the same :meth:`Aggregator.add_record`: that is why
rollup(summary(A), summary(B)) equals summary(A ∪ B).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from array import array
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from selfcheck.summary.fastpath import ENCODER, Reducer
from selfcheck.summary.ingest import (
    Draft,
    Record,
    Skip,
    check_against,
    exact_check,
    is_overdue,
    make_draft,
    make_record,
    read_json,
    timestamp,
)
from selfcheck.summary.plan import ChecklistPlan
from selfcheck.summary.roster import RosterEntry, person_key

Counts = Counter[tuple[str, ...]]
_SPOOL_BUFFER = 1 << 18


class Spool:
    """Append-only JSON lines in an anonymous temporary file."""

    def __init__(self) -> None:
        # A large buffer: records are appended one small line at a time.
        self._file: IO[bytes] = tempfile.TemporaryFile(buffering=_SPOOL_BUFFER)  # noqa: SIM115
        self._size = 0
        self.count = 0

    def append(self, value: object) -> int:
        """Store ``value``; return its offset."""
        line = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
        return self.append_line(line)

    def append_line(self, line: bytes) -> int:
        """Store one already encoded JSON line (ending in a newline); return its offset."""
        offset = self._size
        self._file.write(line)
        self._size += len(line)
        self.count += 1
        return offset

    def read(self, offset: int) -> Any:
        """The value stored at ``offset``."""
        self._file.flush()
        self._file.seek(offset)
        line = self._file.readline()
        self._file.seek(0, 2)
        return json.loads(line)

    def lines(self) -> Iterator[tuple[int, bytes]]:
        """Every stored line with its offset, in the order stored."""
        self._file.flush()
        self._file.seek(0)
        offset = 0
        for line in self._file:
            yield offset, line
            offset += len(line)
        self._file.seek(0, 2)

    def save_as(self, path: Path) -> None:
        """Copy everything stored to ``path``."""
        self._file.flush()
        self._file.seek(0)
        with open(path, "wb") as out:
            shutil.copyfileobj(self._file, out, 1 << 20)
        self._file.seek(0, 2)

    def append_file(self, path: Path, count: int) -> int:
        """Append the lines of ``path`` (``count`` of them); return the offset they start at."""
        shift = self._size
        with open(path, "rb") as source:
            shutil.copyfileobj(source, self._file, 1 << 20)
        self._size = self._file.tell()
        self.count += count
        return shift

    def close(self) -> None:
        """Delete the temporary file."""
        self._file.close()


def contribution(record: Record, plan: ChecklistPlan, today: date) -> list[tuple[str, ...]]:
    """The counter keys one record adds 1 to (subtracted again if it is superseded)."""
    keys: list[tuple[str, ...]] = [("resp", record["role"])]
    for item_id, given in record["answers"].items():
        item = plan.items[item_id]
        for qid, value in given.items():
            if item.by_id[qid].type == "single_choice":
                keys.append(("opt", item_id, qid, value))
            else:
                keys.append(("ans", item_id, qid))
                keys.extend(("opt", item_id, qid, v) for v in value)
    for row in record["problems"]:
        keys.append(("flag", row["item"]))
        keys.append(("rect", row["status"]))
        if is_overdue(row, today):
            keys.append(("overdue",))
    return keys


@dataclass
class Filters:
    """``--unit`` and ``--role``: who is counted."""

    unit: str | None = None
    role: str | None = None

    def describe(self, plan: ChecklistPlan) -> list[str]:
        """Human-readable conditions, e.g. ``单位：规划建设科``."""
        out = []
        if self.unit:
            out.append(f"单位：{self.unit}")
        if self.role:
            out.append(f"类别：{plan.role_label(self.role)}")
        return out

    def admits(self, unit: str, role: str | None) -> bool:
        """Whether a person of ``unit`` and ``role`` is counted."""
        return (self.unit is None or unit == self.unit) and (self.role is None or role == self.role)


@dataclass
class Aggregator:
    """Streaming state of one summary (see the module docstring)."""

    plan: ChecklistPlan
    today: date
    filters: Filters = field(default_factory=Filters)
    anonymizer: Callable[[str, str], str] | None = None
    hide_file: Callable[[str], str] | None = None
    counts: dict[str, Counts] = field(default_factory=dict)
    excluded: int = 0
    ignored_files: int = 0
    conditions: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.records = Spool()
        self.drafts = Spool()
        self.skips = Spool()
        self._index: dict[int, int] = {}
        self._overflow: dict[str, int] = {}
        self._dead: set[int] = set()
        self._reducer = Reducer(self.plan, self.today)

    # -------------------------------------------------------------- input

    def add_file(self, path: str, display: str) -> None:
        """Read one response file and count it, or record why not."""
        data = read_json(path, display)
        if isinstance(data, Skip):
            self.add_skip(data.to_json())
            return
        reduced = self._reducer.reduce(data, display) if type(data) is dict else None
        if reduced is None:
            self._add_exactly(data, display)
        elif isinstance(reduced, Draft):
            self._add_draft_file(reduced, display)
        elif self.filters.admits(reduced.unit, reduced.role):
            if self.anonymizer is not None:
                self.add_record(json.loads(reduced.line))
            else:
                self._admit(
                    reduced.unit,
                    reduced.name,
                    reduced.submitted_at,
                    reduced.file,
                    reduced.line,
                    reduced.keys,
                )
        else:
            self.excluded += 1

    def _add_exactly(self, data: Any, display: str) -> None:
        """The exact path: the Response model, the checklist check, the generic reduction."""
        parsed = exact_check(data, display)
        if isinstance(parsed, Skip):
            self.add_skip(parsed.to_json())
            return
        problem = check_against(self.plan, parsed, display)
        if problem is not None:
            self.add_skip(problem.to_json())
            return
        if parsed["status"] == "draft":
            self._add_draft_file(make_draft(parsed, display), display)
            return
        record = make_record(self.plan, parsed, display)
        if self.filters.admits(record["unit"], record["role"]):
            self.add_record(record)
        else:
            self.excluded += 1

    def _add_draft_file(self, draft: Draft, display: str) -> None:
        if not self.filters.admits(draft.unit, draft.role):
            self.excluded += 1
            return
        self.add_skip({"file": display, "code": "draft", "reason": "草稿，尚未提交"})
        self.add_draft(self._anonymous_draft(draft).to_json())

    def add_skip(self, skip: dict[str, Any]) -> None:
        """Note a file that is not counted (file names hidden when anonymising)."""
        if self.hide_file is not None and skip.get("code") != "superseded":
            skip = {**skip, "file": self.hide_file(skip["file"])}
        self.skips.append(skip)

    def add_draft(self, draft: dict[str, Any]) -> None:
        """Note a draft (its owner is 仅有草稿 unless a submission turns up)."""
        self.drafts.append(draft)

    def add_record(self, record: Record) -> None:
        """Count one submitted response (a record dict); the newest submission per person wins."""
        record = self._anonymous_record(record)
        line = ENCODER.encode(record).encode("utf-8") + b"\n"
        keys = contribution(record, self.plan, self.today)
        self._admit(
            record["unit"], record["name"], record["submitted_at"], record["file"], line, keys
        )

    def _admit(
        self,
        unit: str,
        name: str,
        submitted_at: str,
        file: str,
        line: bytes,
        keys: list[tuple[str, ...]],
    ) -> None:
        key = person_key(unit, name)
        hashed = hash(key)
        if hashed not in self._index and not self._overflow:  # the common case: someone new
            self._index[hashed] = self.records.append_line(line)
            self._count(unit, keys, +1)
            return
        current = self._lookup(key)
        if current is not None:
            old = self.records.read(current)
            if (timestamp(submitted_at), file) <= _rank(old):
                self._note_superseded(json.loads(line))
                return
            self._dead.add(current)
            self._count(unit, contribution(old, self.plan, self.today), -1)
            self._note_superseded(old)
        offset = self.records.append_line(line)
        self._store(key, offset)
        self._count(unit, keys, +1)

    def _anonymous_record(self, record: Record) -> Record:
        if self.anonymizer is None or self.hide_file is keep_file:
            return record
        assert self.hide_file is not None
        return {
            **record,
            "name": self.anonymizer(record["unit"], record["name"]),
            "position": "",
            "file": self.hide_file(record["file"]),
        }

    def _anonymous_draft(self, draft: Draft) -> Draft:
        if self.anonymizer is None:
            return draft
        assert self.hide_file is not None
        return Draft(
            draft.unit,
            self.anonymizer(draft.unit, draft.name),
            "",
            draft.role,
            draft.updated_at,
            self.hide_file(draft.file),
        )

    def _note_superseded(self, record: Record) -> None:
        self.skips.append(
            {
                "file": record["file"],
                "code": "superseded",
                "reason": "",
                "unit": record["unit"],
                "name": record["name"],
                "submitted_at": record["submitted_at"],
            }
        )

    def _count(self, unit: str, keys: list[tuple[str, ...]], sign: int) -> None:
        counts = self.counts.get(unit)
        if counts is None:
            counts = self.counts[unit] = Counter()
        if sign > 0:
            counts.update(keys)
        else:
            counts.subtract(keys)

    def _lookup(self, key: str) -> int | None:
        if self._overflow:
            found = self._overflow.get(key)
            if found is not None:
                return found
        offset = self._index.get(hash(key))
        if offset is None:
            return None
        old = self.records.read(offset)
        return offset if person_key(old["unit"], old["name"]) == key else None

    def _store(self, key: str, offset: int) -> None:
        hashed = hash(key)
        existing = self._index.get(hashed)
        if existing is not None and existing not in self._dead:
            old = self.records.read(existing)
            if person_key(old["unit"], old["name"]) != key:
                self._overflow[key] = offset  # two people, one hash: keep both exact
                return
        if key in self._overflow:
            self._overflow[key] = offset
            return
        self._index[hashed] = offset

    # ------------------------------------------------------- two processes

    def fresh(self) -> Aggregator:
        """An empty aggregator with the same checklist, date, filters and anonymiser."""
        return Aggregator(self.plan, self.today, self.filters, self.anonymizer, self.hide_file)

    def export(self, folder: Path) -> dict[str, Any]:
        """Everything :meth:`absorb` needs, spools copied into ``folder``."""
        spools = {}
        for name, spool in (
            ("records", self.records),
            ("drafts", self.drafts),
            ("skips", self.skips),
        ):
            path = folder / f"{name}.jsonl"
            spool.save_as(path)
            spools[name] = (str(path), spool.count)
        index = folder / "index.bin"
        with open(index, "wb") as out:
            pairs = array("q")
            for hashed, offset in self._index.items():
                pairs.append(hashed)
                pairs.append(offset)
                if len(pairs) >= 1 << 16:
                    pairs.tofile(out)
                    del pairs[:]
            pairs.tofile(out)
        return {
            "spools": spools,
            "counts": {unit: dict(c) for unit, c in self.counts.items()},
            "index": str(index),
            "overflow": self._overflow,
            "dead": self._dead,
            "excluded": self.excluded,
        }

    def absorb(self, state: dict[str, Any]) -> None:
        """Merge the state of an aggregator that read other files (see :mod:`.parallel`)."""
        spools = state["spools"]
        shifts = {}
        for name, spool in (
            ("records", self.records),
            ("drafts", self.drafts),
            ("skips", self.skips),
        ):
            path, count = spools[name]
            shifts[name] = spool.append_file(Path(path), count)
        shift = shifts["records"]
        self._dead.update(offset + shift for offset in state["dead"])
        for unit, counts in state["counts"].items():
            mine = self.counts.get(unit)
            if mine is None:
                mine = self.counts[unit] = Counter()
            mine.update(counts)
        self.excluded += state["excluded"]
        for hashed, offset in _index_pairs(Path(state["index"])):
            offset += shift
            current = self._index.get(hashed)
            if current is None:
                self._index[hashed] = offset
            else:
                self._settle(self.records.read(offset), offset)
        for offset in state["overflow"].values():
            self._settle(self.records.read(offset + shift), offset + shift)

    def _settle(self, record: Record, offset: int) -> None:
        """A record already counted elsewhere meets this aggregator's: the newer one stays."""
        key = person_key(record["unit"], record["name"])
        current = self._lookup(key)
        if current is None:
            self._store(key, offset)
            return
        old = self.records.read(current)
        loser, loser_offset = (record, offset) if _rank(record) <= _rank(old) else (old, current)
        self._dead.add(loser_offset)
        self._count(loser["unit"], contribution(loser, self.plan, self.today), -1)
        self._note_superseded(loser)
        if loser_offset == current:
            self._store(key, offset)

    # ------------------------------------------------------------- output

    def is_submitted(self, key: str) -> bool:
        """Whether this person has a counted submission."""
        return self._lookup(key) is not None

    def winner_file(self, key: str) -> str | None:
        """The file of the counted submission of this person."""
        offset = self._lookup(key)
        return None if offset is None else str(self.records.read(offset)["file"])

    def record_lines(self) -> Iterator[bytes]:
        """The counted records as JSON lines."""
        dead = self._dead
        for offset, line in self.records.lines():
            if offset not in dead:
                yield line

    def iter_records(self) -> Iterator[Record]:
        """The counted records."""
        for line in self.record_lines():
            yield json.loads(line)

    def iter_drafts(self) -> Iterator[dict[str, Any]]:
        """Every draft entry."""
        for _, line in self.drafts.lines():
            yield json.loads(line)

    def skip_lines(self) -> Iterator[bytes]:
        """The skips as JSON lines; superseded ones get their reason (naming the winner) here."""
        for _, line in self.skips.lines():
            if (
                b'"code":"superseded"' in line
                and (skip := json.loads(line))["code"] == "superseded"
            ):
                winner = self.winner_file(person_key(skip["unit"], skip["name"]))
                skip["reason"] = superseded_reason(skip, winner)
                line = ENCODER.encode(skip).encode("utf-8") + b"\n"
            yield line

    def iter_skips(self) -> Iterator[dict[str, Any]]:
        """Every file not counted, with its reason (superseded ones name the winner)."""
        for _, line in self.skips.lines():
            skip = json.loads(line)
            if skip["code"] == "superseded":
                winner = self.winner_file(person_key(skip["unit"], skip["name"]))
                skip["reason"] = superseded_reason(skip, winner)
            yield skip

    def close(self) -> None:
        """Remove the temporary spools."""
        for spool in (self.records, self.drafts, self.skips):
            spool.close()


def _index_pairs(path: Path) -> Iterator[tuple[int, int]]:
    """(hash, offset) pairs written by :meth:`Aggregator.export`, read in blocks."""
    with open(path, "rb") as source:
        while True:
            block = array("q")
            with contextlib.suppress(EOFError):  # the last block is shorter
                block.fromfile(source, 1 << 16)
            if not block:
                return
            for n in range(0, len(block), 2):
                yield block[n], block[n + 1]


def keep_file(file: str) -> str:
    """For merged summaries that are already anonymous: file names stay as they are."""
    return file


def superseded_reason(skip: dict[str, Any], winner: str | None) -> str:
    """Why an older (or identical) submission of the same person is not counted."""
    who = f"{skip['unit']} {skip['name']}"
    if winner is None:
        return f"{who} 的较早提交"
    return f"{who} 的较早提交或重复文件，以 {winner} 为准"


def _rank(record: Record) -> tuple[float, str]:
    """Newest submission wins; on a tie the file name decides, so every run agrees."""
    return (timestamp(record["submitted_at"]), record["file"])


def merge_rosters(rosters: list[list[RosterEntry]]) -> list[RosterEntry]:
    """The union of several rosters (first entry wins for a person listed twice)."""
    seen: set[str] = set()
    merged: list[RosterEntry] = []
    for roster in rosters:
        for entry in roster:
            if entry.key not in seen:
                seen.add(entry.key)
                merged.append(entry)
    return merged
