"""The 雷同检查 part of ``selfcheck summary`` and ``selfcheck rollup``.

The summary reads every response once (the bulk reader); the counted records
sit in the aggregator's spool, and this module takes their free texts from
there, never from the files again. ``rollup`` has the records of every unit
summary, texts included, so it compares them all again and finds pairs across
units; pairs with earlier responses or templates cannot be recomputed (their
texts stay with the unit) and are carried over (:class:`~.model.SimilarityData`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING, Any

import msgspec

from selfcheck.similarity.materials import (
    ComparedFields,
    Material,
    MaterialSource,
    Texts,
    compared_texts,
    fields_of,
    material_of,
)
from selfcheck.similarity.model import (
    LeanProblem,
    LeanRecord,
    Pair,
    Party,
    SimilarityData,
)

if TYPE_CHECKING:
    from selfcheck.similarity.detect import Result, Template
    from selfcheck.similarity.options import SimilarityOptions
    from selfcheck.summary.aggregate import Aggregator
    from selfcheck.summary.jsonio import LoadedSummary


def for_summary(agg: Aggregator, options: SimilarityOptions) -> Result:
    """Compare the counted records of ``agg`` (and the earlier folder and templates)."""
    from selfcheck.similarity.detect import find_pairs
    from selfcheck.similarity.phrases import load_stock_phrases
    from selfcheck.similarity.sources import earlier_records, read_templates

    plan = agg.plan
    fields = fields_of(plan)
    materials = _Spooled(agg, fields)
    earlier = []
    skipped_earlier: list[dict[str, str]] = []
    if options.compare_with:
        got = earlier_records(options.compare_with, plan, agg.unit_names)
        skipped_earlier = got.skipped
        carried = _carried_by_person(agg)
        for record in got.records:
            if agg.anonymizer is not None and agg.hide_file is not None:
                record = msgspec.structs.replace(
                    record,
                    name=agg.anonymizer(record.unit, record.name),
                    file=agg.hide_file(record.file),
                )
            own = carried.get((record.unit, record.name))
            if own:
                # What run --previous copied from this very response is no copying.
                kept = [row for row in record.problems if row.item not in own]
                record = msgspec.structs.replace(record, problems=kept)
            earlier.append(material_of(record, fields, "earlier"))
    templates: list[Template] = []
    skipped_templates: list[dict[str, str]] = []
    if options.templates is not None:
        templates, skipped_templates = read_templates(options.templates)
    result = find_pairs(
        plan,
        materials,
        earlier=earlier,
        templates=templates,
        stock_phrases=load_stock_phrases(options.stock_phrases),
        thresholds=options.thresholds,
    )
    result.skipped_templates = skipped_templates
    result.skipped_earlier = skipped_earlier
    return result


def for_rollup(agg: Aggregator, summaries: list[LoadedSummary]) -> Result | None:
    """Pairs across the merged units (None when no unit summary had 雷同检查)."""
    from selfcheck.similarity.detect import find_pairs
    from selfcheck.similarity.phrases import load_stock_phrases

    carried_data = [s.similarity for s in summaries if s.similarity is not None]
    if not carried_data:
        return None
    materials = _Spooled(agg, fields_of(agg.plan))
    result = find_pairs(
        agg.plan,
        materials,
        stock_phrases=load_stock_phrases(),
        thresholds=carried_data[0].thresholds,
    )
    decode = msgspec.json.Decoder(_Who).decode
    kept = {(w.unit, w.name, w.file) for w in map(decode, agg.record_lines())}
    for data in carried_data:
        for item in data.external:
            pair = _external_pair(item)
            if pair is not None and (pair.a.unit, pair.a.name, pair.a.file) in kept:
                result.pairs.append(pair)
        result.skipped_templates += data.skipped_templates
    result.pairs.sort(key=lambda p: (-p.score, p.field != "whole", p.a.unit, p.a.name))
    return result


class _Carried(msgspec.Struct):
    unit: str
    name: str
    carried: list[str] = msgspec.field(default_factory=list)


def _carried_by_person(agg: Aggregator) -> dict[tuple[str, str], set[str]]:
    """(unit, name) → the items whose problem ``run --previous`` carried over (上轮遗留):
    held against the same person's earlier response, that text is his own, not copied."""
    decode = msgspec.json.Decoder(_Carried).decode
    out: dict[tuple[str, str], set[str]] = {}
    for line in agg.record_lines():
        who = decode(line)
        if who.carried:
            out.setdefault((who.unit, who.name), set()).update(who.carried)
    return out


class _Rows(msgspec.Struct):
    """A spooled record's problem rows only: the one pass needs no party."""

    problems: list[LeanProblem] = msgspec.field(default_factory=list)


_ROWS_DECODER = msgspec.json.Decoder(_Rows)


class _Who(msgspec.Struct):
    unit: str
    name: str
    file: str


class _Spooled(MaterialSource):
    """The counted records' materials, read from the aggregator's spool (each time anew:
    no copy of every text is held)."""

    def __init__(self, agg: Aggregator, fields: ComparedFields) -> None:
        self.agg = agg
        self.fields = fields
        self.decode = msgspec.json.Decoder(LeanRecord).decode

    def __iter__(self) -> Iterator[Material]:
        for line in self.agg.record_lines():
            yield material_of(self.decode(line), self.fields, "response")

    def texts(self) -> Iterator[Texts]:
        decode, fields = _ROWS_DECODER.decode, self.fields
        for line in self.agg.record_lines():
            yield compared_texts(decode(line).problems, fields)

    def pick(self, wanted: Collection[int]) -> dict[int, Material]:
        if not wanted:
            return {}
        return {
            k: material_of(self.decode(line), self.fields, "response")
            for k, line in enumerate(self.agg.record_lines())
            if k in wanted
        }


def _external_pair(item: dict[str, Any]) -> Pair | None:
    try:
        return msgspec.convert(item, Pair)
    except msgspec.ValidationError:
        return None


def carried_data(result: Result) -> SimilarityData:
    """What the summary JSON carries for ``rollup``: the thresholds and the pairs with
    earlier responses and templates (without texts)."""
    from selfcheck.similarity import sketch

    external = [
        msgspec.to_builtins(msgspec.structs.replace(p, a_text="", b_text=""))
        for p in result.pairs
        if p.b.kind != "response" or p.a.kind != "response"
    ]
    return SimilarityData(
        params=dict(sketch.PARAMS),
        thresholds=result.thresholds,
        external=external,
        skipped_templates=result.skipped_templates,
    )


def pairs_json(result: Result | None) -> Iterator[dict[str, Any]]:
    """The entries of the summary JSON's ``similar_pairs`` list, one at a time."""
    if result is not None:
        for pair in result.pairs:
            yield pair.to_json()


__all__ = ["Party", "SimilarityOptions", "carried_data", "for_rollup", "for_summary", "pairs_json"]
