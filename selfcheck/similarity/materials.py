"""What 雷同检查 compares of each party, and where it is read from (no numpy here: the
summary's start-up imports this module)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from selfcheck import rules
from selfcheck.similarity.model import LeanRecord, Party
from selfcheck.summary.records import Record

if TYPE_CHECKING:
    from selfcheck.summary.plan import ChecklistPlan

COMPARED_MEANINGS = (rules.PROBLEM, rules.CAUSE, rules.MEASURE)
Texts = list[tuple[str, str]]
"""A party's compared texts: (field id, original text) in material order."""


class ComparedFields(dict[tuple[str, str], str]):
    """(item, meaning) → field id ``item.question`` of every compared answer; and, for
    the one pass over every record, the same by item: the field ids of its problem,
    cause and measure (None where the item has no such answer)."""

    def __init__(self, fields: dict[tuple[str, str], str]) -> None:
        super().__init__(fields)
        by_item: dict[str, list[str | None]] = {}
        for (item, meaning), fid in fields.items():
            by_item.setdefault(item, [None] * len(COMPARED_MEANINGS))[
                COMPARED_MEANINGS.index(meaning)
            ] = fid
        self.by_item = {item: tuple(fids) for item, fids in by_item.items()}


def fields_of(plan: ChecklistPlan) -> ComparedFields:
    """The compared answers of ``plan`` (see :class:`ComparedFields`)."""
    out: dict[tuple[str, str], str] = {}
    for item in plan.items.values():
        for meaning in COMPARED_MEANINGS:
            qid = item.meanings.get(meaning)
            if qid is not None:
                out[(item.id, meaning)] = f"{item.id}.{qid}"
    return ComparedFields(out)


class ProblemTexts(Protocol):
    """A problem row's texts (a summary record's row, or its lean decoding)."""

    @property
    def item(self) -> str: ...
    @property
    def problem(self) -> str: ...
    @property
    def cause(self) -> str: ...
    @property
    def measure(self) -> str: ...


def compared_texts(rows: Iterable[ProblemTexts], fields: ComparedFields) -> Texts:
    """The compared texts of a record's problem rows (blank ones left out)."""
    texts: Texts = []
    get = fields.by_item.get
    for row in rows:
        fids = get(row.item)
        if fids is None:
            continue
        for fid, text in zip(fids, (row.problem, row.cause, row.measure), strict=True):
            if fid is not None and text and not text.isspace():
                texts.append((fid, text))
    return texts


@dataclass
class Material:
    """One party's texts: (field, original text) in material order."""

    party: Party
    texts: Texts


class MaterialSource:
    """Materials that can be read again: all of them once, then the few a report shows."""

    def __iter__(self) -> Iterator[Material]:
        raise NotImplementedError

    def texts(self) -> Iterator[Texts]:
        """Each material's texts, in the order of iteration: what the one pass over all
        of them reads (a source may skip making the parties)."""
        for material in self:
            yield material.texts

    def pick(self, wanted: Collection[int]) -> dict[int, Material]:
        """The materials numbered ``wanted`` (in the order of iteration)."""
        return {k: m for k, m in enumerate(self) if k in wanted}


class Listed(MaterialSource):
    """Materials held in a list."""

    def __init__(self, materials: Iterable[Material]) -> None:
        self.materials = list(materials)

    def __iter__(self) -> Iterator[Material]:
        return iter(self.materials)

    def pick(self, wanted: Collection[int]) -> dict[int, Material]:
        """The materials numbered in ``wanted``, by number."""
        return {k: self.materials[k] for k in wanted}


def as_source(materials: Iterable[Material]) -> MaterialSource:
    """``materials`` as a source that can be read again (a list, unless it is one)."""
    return materials if isinstance(materials, MaterialSource) else Listed(materials)


def material_of(record: Record | LeanRecord, fields: ComparedFields, kind: str) -> Material:
    """The compared texts of one record (its problem rows' problem, cause and measure)."""
    party = Party(record.name, record.unit, record.file, kind)  # type: ignore[arg-type]
    return Material(party, compared_texts(record.problems, fields))
