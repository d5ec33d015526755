"""This round against the last: problems per item, rates that rose, problems that recur.

Used by the committee's 整改落实情况报告 with ``--compare-with LASTDIR``. The
earlier folder is read by the 雷同 helper's loader
(:func:`selfcheck.similarity.sources.earlier_records`: same folder reader,
same bulk reader, newest per person) and its records are counted by a fresh
:class:`~selfcheck.summary.aggregate.Aggregator`, so both rounds' figures come
from the same code (:func:`~selfcheck.summary.view.figures_of`). In anonymised
mode the earlier names get this summary's codes, so people match and only
codes are shown.

A problem recurs when the same person (unit and name) has a problem on the
same item in both rounds and the two 具体表现 texts are alike: the Dice
coefficient of their character bigrams, after
:func:`selfcheck.similarity.normalise.normalise`, is at least
:data:`RECUR_SIMILARITY`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from selfcheck.similarity.normalise import normalise
from selfcheck.summary.aggregate import Aggregator
from selfcheck.summary.figures import ItemFigure, share
from selfcheck.summary.records import Record
from selfcheck.summary.roster import person_key

RECUR_SIMILARITY = 0.5


@dataclass(frozen=True)
class ItemTrend:
    """One item's problems this round and last."""

    item_id: str
    label: str
    section: str
    flagged_now: int
    answered_now: int
    rate_now: float | None
    flagged_before: int
    answered_before: int
    rate_before: float | None

    @property
    def rose(self) -> bool:
        """The problem rate is higher than last round's (both rounds answered)."""
        return (
            self.rate_now is not None
            and self.rate_before is not None
            and self.rate_now > self.rate_before
        )


@dataclass(frozen=True)
class Recurrence:
    """One person whose problem on one item recurs."""

    unit: str
    person: str
    item_id: str
    label: str
    now: str
    before: str
    similarity: float


@dataclass(frozen=True)
class Comparison:
    """Both rounds side by side."""

    respondents_now: int
    respondents_before: int
    problems_now: int
    problems_before: int
    items: list[ItemTrend]
    recurring: list[Recurrence]
    skipped: list[dict[str, str]] = field(default_factory=list)
    """Files of the earlier folder that were not counted, with reasons (damaged ones too)."""

    @property
    def rose(self) -> list[ItemTrend]:
        """Items whose problem rate rose, most risen first."""
        risen = [i for i in self.items if i.rose]
        return sorted(risen, key=lambda i: -((i.rate_now or 0.0) - (i.rate_before or 0.0)))


def bigram_dice(a: str, b: str) -> float:
    """Dice coefficient of the character bigrams of two normalised texts (0 … 1)."""
    x, y = normalise(a), normalise(b)
    if len(x) < 2 or len(y) < 2:
        return 1.0 if x and x == y else 0.0
    grams_x = [x[n : n + 2] for n in range(len(x) - 1)]
    grams_y = [y[n : n + 2] for n in range(len(y) - 1)]
    pool: dict[str, int] = {}
    for gram in grams_y:
        pool[gram] = pool.get(gram, 0) + 1
    common = 0
    for gram in grams_x:
        if pool.get(gram, 0):
            pool[gram] -= 1
            common += 1
    return 2 * common / (len(grams_x) + len(grams_y))


def compare_with(agg: Aggregator, paths: list[Path]) -> Comparison:
    """This summary (``agg``, finished) against the responses in ``paths``."""
    from selfcheck.similarity.sources import earlier_records

    earlier = earlier_records(paths, agg.plan, agg.unit_names)
    before = Aggregator(agg.plan, agg.today, agg.filters, unit_names=agg.unit_names)
    before.anonymizer = agg.anonymizer
    before.hide_file = agg.hide_file
    try:
        for record in earlier.records:
            if agg.filters.admits(record.unit, record.role):
                before.add_record(record)
        return compare(agg, before, earlier.skipped)
    finally:
        before.close()


def compare(now: Aggregator, before: Aggregator, skipped: list[dict[str, str]]) -> Comparison:
    """The comparison of two finished aggregations of the same checklist."""
    from selfcheck.summary.view import figures_of

    f_now = figures_of(now, None)
    f_before = figures_of(before, None)
    by_id: dict[str, ItemFigure] = {i.id: i for s in f_before.sections for i in s.items}
    items = []
    for section in f_now.sections:
        for item in section.items:
            old = by_id.get(item.id)
            answered_before = old.answered if old else 0
            flagged_before = old.flagged if old else 0
            items.append(
                ItemTrend(
                    item.id,
                    item.label,
                    section.title,
                    item.flagged,
                    item.answered,
                    share(item.flagged, item.answered),
                    flagged_before,
                    answered_before,
                    share(flagged_before, answered_before),
                )
            )
    return Comparison(
        respondents_now=f_now.respondents,
        respondents_before=f_before.respondents,
        problems_now=f_now.problems,
        problems_before=f_before.problems,
        items=items,
        recurring=recurrences(now.iter_typed_records(), before.iter_typed_records(), now),
        skipped=skipped,
    )


def recurrences(
    now: Iterable[Record], before: Iterable[Record], agg: Aggregator
) -> list[Recurrence]:
    """Same person, same item, alike 具体表现: in checklist and unit order."""
    earlier: dict[tuple[str, str], str] = {}
    for record in before:
        key = person_key(record.unit, record.name)
        for row in record.problems:
            earlier[(key, row.item)] = row.problem
    found = []
    for record in now:
        key = person_key(record.unit, record.name)
        for row in record.problems:
            old = earlier.get((key, row.item))
            if old is None:
                continue
            alike = bigram_dice(row.problem, old)
            if alike >= RECUR_SIMILARITY:
                found.append(
                    Recurrence(
                        record.unit,
                        record.name,
                        row.item,
                        agg.plan.items[row.item].label,
                        row.problem,
                        old,
                        alike,
                    )
                )
    order = agg.plan.item_order
    found.sort(key=lambda r: (order[r.item_id], r.unit, r.person))
    return found
