"""What 雷同检查 compares of each party, and where it is read from (no numpy here: the
summary's start-up imports this module)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from selfcheck import rules
from selfcheck.similarity.model import LeanRecord, Party
from selfcheck.summary.records import Record

COMPARED_MEANINGS = (rules.PROBLEM, rules.CAUSE, rules.MEASURE)


@dataclass
class Material:
    """One party's texts: (field, original text) in material order."""

    party: Party
    texts: list[tuple[str, str]]


class MaterialSource:
    """Materials that can be read again: all of them once, then the few a report shows."""

    def __iter__(self) -> Iterator[Material]:
        raise NotImplementedError

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
        return {k: self.materials[k] for k in wanted}


def as_source(materials: Iterable[Material]) -> MaterialSource:
    """``materials`` as a source that can be read again (a list, unless it is one)."""
    return materials if isinstance(materials, MaterialSource) else Listed(materials)


def material_of(
    record: Record | LeanRecord, fields: dict[tuple[str, str], str], kind: str
) -> Material:
    """The compared texts of one record (its problem rows' problem, cause and measure)."""
    texts = []
    get = fields.get
    for row in record.problems:
        item = row.item
        texts_of_row = (row.problem, row.cause, row.measure)
        for meaning, text in zip(COMPARED_MEANINGS, texts_of_row, strict=True):
            if text and not text.isspace():
                fid = get((item, meaning))
                if fid is not None:
                    texts.append((fid, text))
    party = Party(record.name, record.unit, record.file, kind)  # type: ignore[arg-type]
    return Material(party, texts)
