"""The mergeable aggregate: counts per unit plus one record per person, newest wins.

Files are read one at a time and reduced to a typed
:class:`~selfcheck.summary.records.Record` by the
:class:`~selfcheck.summary.reader.BulkReader`. Records go to a temporary spool
file, not to memory; what stays in memory is small and does not grow with the
text people wrote:

- ``counts[unit][key]``: integer counters (respondents per role, answers per
  option, flagged items, measures per rectification status, overdue measures),
  made from each record by :func:`~selfcheck.summary.records.contribution`;
- an index from a hash of each person's key (unit and name) to the spool
  offset of their current record.

When a newer submission by the same person arrives, the older record's
contribution is subtracted and the record is marked dead, so the counts always
equal the sum of the winners' contributions. ``rollup`` feeds the records of
several summaries through the same :meth:`Aggregator.add_record`: that is why
rollup(summary(A), summary(B)) equals summary(A ∪ B).
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import IO

import msgspec

from selfcheck.folder import FolderReadError, read_limited
from selfcheck.summary.ledger_extra import check_evidence
from selfcheck.summary.plan import ChecklistPlan
from selfcheck.summary.reader import BulkReader
from selfcheck.summary.records import (
    ENCODER,
    RECORD_DECODER,
    Draft,
    Record,
    Skip,
    contribution,
    standing_keys,
)
from selfcheck.summary.roster import RosterEntry, person_key

Counts = Counter[tuple[str, ...]]
SKIP_DECODER = msgspec.json.Decoder(Skip)
DRAFT_DECODER = msgspec.json.Decoder(Draft)
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
        return self.append_line(ENCODER.encode(value) + b"\n")

    def append_line(self, line: bytes) -> int:
        """Store one already encoded JSON line (ending in a newline); return its offset."""
        offset = self._size
        self._file.write(line)
        self._size += len(line)
        self.count += 1
        return offset

    def read_line(self, offset: int) -> bytes:
        """The line stored at ``offset``."""
        self._file.flush()
        self._file.seek(offset)
        line = self._file.readline()
        self._file.seek(0, 2)
        return line

    def lines(self) -> Iterator[tuple[int, bytes]]:
        """Every stored line with its offset, in the order stored."""
        self._file.flush()
        self._file.seek(0)
        offset = 0
        for line in self._file:
            yield offset, line
            offset += len(line)
        self._file.seek(0, 2)

    def close(self) -> None:
        """Delete the temporary file."""
        self._file.close()


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

    @staticmethod
    def merged(described: Iterable[list[str]]) -> list[str]:
        """The conditions of summaries rolled up together, each kind once with all its
        values: ``单位：规划建设科、财务科`` (not two 单位 conditions, as if both applied).
        A kind some summary lacks is dropped: that summary counted everyone."""
        values: dict[str, list[str]] = {}
        parts = 0
        present: dict[str, int] = {}
        for conditions in described:
            parts += 1
            for label in {c.partition("：")[0] for c in conditions}:
                present[label] = present.get(label, 0) + 1
            for condition in conditions:
                label, sep, value = condition.partition("：")
                kept = values.setdefault(label, [])
                if sep and value not in kept:
                    kept.append(value)
        return [
            f"{label}：{'、'.join(v)}" if v else label
            for label, v in values.items()
            if present[label] == parts
        ]

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
    unit_names: Callable[[str], str] | None = None
    """A unit as the roster spells it (:class:`~.roster.UnitNames`), for the reader."""

    def __post_init__(self) -> None:
        self.records = Spool()
        self.drafts = Spool()
        self.skips = Spool()
        self._index: dict[int, int] = {}
        self._overflow: dict[str, int] = {}
        self._dead: set[int] = set()
        self._reader = BulkReader(self.plan, self.unit_names)

    # -------------------------------------------------------------- input

    def add_file(self, path: str, display: str) -> None:
        """Read one response file and count it, or record why not."""
        try:
            raw = read_limited(path)
        except FolderReadError as exc:
            self.add_skip(Skip(display, exc.code, exc.reason))
            return
        except OSError as exc:  # vanished between listing and reading
            self.add_skip(Skip(display, "unreadable", f"无法读取（{type(exc).__name__}）"))
            return
        result, keys = self._reader.read_counted(raw, display)
        if isinstance(result, Skip):
            self.add_skip(result)
        elif isinstance(result, Draft):
            self._add_draft_file(result, display)
        elif self.filters.admits(result.unit, result.role):
            self.add_record(check_evidence(result, path), keys)
        else:
            self.excluded += 1

    def _add_draft_file(self, draft: Draft, display: str) -> None:
        if not self.filters.admits(draft.unit, draft.role):
            self.excluded += 1
            return
        self.add_skip(Skip(display, "draft", "草稿，尚未提交"))
        self.add_draft(self._anonymous_draft(draft))

    def add_skip(self, skip: Skip) -> None:
        """Note a file that is not counted (file names hidden when anonymising)."""
        if self.hide_file is not None and skip.code != "superseded":
            skip = msgspec.structs.replace(skip, file=self.hide_file(skip.file))
        self.skips.append(skip)

    def add_draft(self, draft: Draft) -> None:
        """Note a draft (its owner is 仅有草稿 unless a submission turns up)."""
        self.drafts.append(draft)

    def add_record(self, record: Record, answer_keys: list[tuple[str, ...]] | None = None) -> None:
        """Count one submitted response; the newest submission per person wins.

        ``answer_keys``: the record's :func:`~selfcheck.summary.records.answer_keys`
        when the reader already computed them."""
        record = self._anonymous_record(record)
        key = person_key(record.unit, record.name)
        hashed = hash(key)
        line = ENCODER.encode(record) + b"\n"
        if answer_keys is None:
            keys = contribution(record, self.plan, self.today)
        else:
            keys = [*answer_keys, *standing_keys(record, self.today)]
        if hashed not in self._index and not self._overflow:  # the common case: someone new
            self._index[hashed] = self.records.append_line(line)
            self._count(record.unit, keys, +1)
            return
        current = self._lookup(key)
        if current is not None:
            old = self._read(current)
            if record.rank() <= old.rank():
                self._note_superseded(record)
                return
            self._dead.add(current)
            self._count(old.unit, contribution(old, self.plan, self.today), -1)
            self._note_superseded(old)
        offset = self.records.append_line(line)
        self._store(key, offset)
        self._count(record.unit, keys, +1)

    def _read(self, offset: int) -> Record:
        return RECORD_DECODER.decode(self.records.read_line(offset))

    def _anonymous_record(self, record: Record) -> Record:
        if self.anonymizer is None or self.hide_file is keep_file:
            return record
        assert self.hide_file is not None
        return msgspec.structs.replace(
            record,
            name=self.anonymizer(record.unit, record.name),
            position="",
            file=self.hide_file(record.file),
        )

    def _anonymous_draft(self, draft: Draft) -> Draft:
        if self.anonymizer is None:
            return draft
        assert self.hide_file is not None
        return msgspec.structs.replace(
            draft,
            name=self.anonymizer(draft.unit, draft.name),
            position="",
            file=self.hide_file(draft.file),
        )

    def _note_superseded(self, record: Record) -> None:
        self.skips.append(
            Skip(
                record.file,
                "superseded",
                "",
                unit=record.unit,
                name=record.name,
                submitted_at=record.submitted_at,
            )
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
        old = self._read(offset)
        return offset if person_key(old.unit, old.name) == key else None

    def _store(self, key: str, offset: int) -> None:
        hashed = hash(key)
        existing = self._index.get(hashed)
        if existing is not None and existing not in self._dead:
            old = self._read(existing)
            if person_key(old.unit, old.name) != key:
                self._overflow[key] = offset  # two people, one hash: keep both exact
                return
        if key in self._overflow:
            self._overflow[key] = offset
            return
        self._index[hashed] = offset

    # ------------------------------------------------------------- output

    def is_submitted(self, key: str) -> bool:
        """Whether this person has a counted submission."""
        return self._lookup(key) is not None

    def winner_file(self, key: str) -> str | None:
        """The file of the counted submission of this person."""
        offset = self._lookup(key)
        return None if offset is None else self._read(offset).file

    def record_lines(self) -> Iterator[bytes]:
        """The counted records as JSON lines."""
        dead = self._dead
        for offset, line in self.records.lines():
            if offset not in dead:
                yield line

    def iter_typed_records(self) -> Iterator[Record]:
        """The counted records, typed."""
        for line in self.record_lines():
            yield RECORD_DECODER.decode(line)

    def iter_drafts(self) -> Iterator[Draft]:
        """Every draft entry, typed."""
        for _, line in self.drafts.lines():
            yield DRAFT_DECODER.decode(line)

    def skip_lines(self) -> Iterator[bytes]:
        """The skips as JSON lines; superseded ones get their reason (naming the winner) here."""
        for _, line in self.skips.lines():
            if b'"code":"superseded"' in line:
                skip = SKIP_DECODER.decode(line)
                winner = self.winner_file(person_key(skip.unit or "", skip.name or ""))
                skip = msgspec.structs.replace(skip, reason=superseded_reason(skip, winner))
                line = ENCODER.encode(skip) + b"\n"
            yield line

    def iter_skips(self) -> Iterator[Skip]:
        """Every file not counted, with its reason (superseded ones name the winner), typed."""
        for line in self.skip_lines():
            yield SKIP_DECODER.decode(line)

    def close(self) -> None:
        """Remove the temporary spools."""
        for spool in (self.records, self.drafts, self.skips):
            spool.close()


def keep_file(file: str) -> str:
    """For merged summaries that are already anonymous: file names stay as they are."""
    return file


def superseded_reason(skip: Skip, winner: str | None) -> str:
    """Why an older (or identical) submission of the same person is not counted."""
    who = f"{skip.unit} {skip.name}"
    if winner is None:
        return f"{who} 的较早提交"
    return f"{who} 的较早提交或重复文件，以 {winner} 为准"


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
