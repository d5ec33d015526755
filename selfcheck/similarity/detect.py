"""雷同检查: find the pairs of texts that share passages, and show the evidence.

Steps (design.md §9): normalise (:mod:`.normalise`) → shingle into character
5-grams, dropping every shingle of the checklist's own wording and of the stock
phrases (:mod:`.phrases`) → one-permutation MinHash signatures and LSH
candidate pairs (:mod:`.sketch`; never all pairs) → exact shared-shingle counts
on the candidates → bands (:class:`~.model.Thresholds`) → the longest shared
passages of each reported pair. The first steps run block by block over the
materials (:mod:`.table`); the exact ones in chunks of candidates, each shingling
its rows' texts again; only the reported parties' original texts are read again.

What is compared: each free-text answer whose meaning is problem, cause or
measure, with the same question of the same item of other people (``field`` =
``item.question``), and each person's material as a whole (``field`` =
``whole``: the union of all their answers). Responses given with
``--compare-with`` are compared with this time's (not with each other), the
same person's own earlier material included; template texts (``--templates``)
are compared with every answer and every whole material by exact containment.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import numpy as np
import numpy.typing as npt

from selfcheck.similarity import allocator, sketch
from selfcheck.similarity.materials import Material, MaterialSource, as_source
from selfcheck.similarity.model import (
    WHOLE,
    Pair,
    Party,
    Thresholds,
)
from selfcheck.similarity.normalise import normalise
from selfcheck.similarity.table import Sketches, sketch_all
from selfcheck.summary.plan import ChecklistPlan

MIN_PASSAGE = 8
"""Characters (after normalisation) of the shortest passage worth showing."""
MAX_PASSAGES = 5


@dataclass
class Template:
    """A known template text (范文)."""

    party: Party
    text: str


def checklist_wording(plan: ChecklistPlan) -> list[str]:
    """Every text of the checklist a cadre might copy: titles, items, prompts, options."""
    out = [plan.title, plan.campaign]
    for section in plan.sections:
        out.append(section.title)
        if section.rubric:
            out.append(section.rubric)
        for item in section.items:
            out += [item.label, item.text]
            for q in item.questions:
                out.append(q.prompt)
                out += [o.label for o in q.options]
    return [t for t in out if t]


@dataclass
class Result:
    """Everything the 雷同检查 part of a summary shows."""

    pairs: list[Pair]
    compared: int
    """Materials of this time that took part (had comparable free text)."""
    no_text: int
    """Materials of this time without comparable free text (they take no part)."""
    earlier: int = 0
    templates: int = 0
    skipped_templates: list[dict[str, str]] = field(default_factory=list)
    skipped_earlier: list[dict[str, str]] = field(default_factory=list)
    thresholds: Thresholds = field(default_factory=Thresholds)
    candidates: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent in each step (the benchmark prints them)."""

    def flagged_people(self) -> set[tuple[str, str, str]]:
        """(unit, name, file) of every party of this time in some pair."""
        out = set()
        for p in self.pairs:
            for party in (p.a, p.b):
                if party.kind == "response":
                    out.add((party.unit, party.name, party.file))
        return out


class _Laps:
    """Seconds between calls of :meth:`lap`, by label."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, label: str) -> None:
        now = time.perf_counter()
        self.laps[label] = now - self._last
        self._last = now


def find_pairs(
    plan: ChecklistPlan,
    materials: Iterable[Material],
    *,
    earlier: Iterable[Material] = (),
    templates: Iterable[Template] = (),
    stock_phrases: Iterable[str] = (),
    thresholds: Thresholds | None = None,
) -> Result:
    """Compare the materials (see the module docstring).

    ``materials`` and ``earlier`` are read once in full (:func:`.table.sketch_all`)
    and then, for the texts a pair shows, only the reported parties again: a
    :class:`~.materials.MaterialSource` re-reads them from where they are kept, any
    other iterable is held as a list."""
    limits = thresholds or Thresholds()
    allocator.reuse_freed_pages()
    clock = _Laps()
    current_source, earlier_source = as_source(materials), as_source(earlier)
    excluded = sketch.shingle_hashes(
        [normalise(t) for t in [*checklist_wording(plan), *stock_phrases]]
    )
    template_list = list(templates)
    tsh = sketch.shingle_texts([normalise(t.text) for t in template_list], excluded)
    template_hashes = sketch.distinct(tsh.hashes)
    clock.lap("exclusions")
    sk = sketch_all(current_source, earlier_source, excluded, limits, template_hashes)
    current = sk.current
    clock.lap("sketches")
    sizes = sk.row_size
    lowest = lowest_band(sk.row_space, limits)
    candidates = sketch.candidate_pairs(sk.signatures, sk.row_space)
    candidates = _likely(candidates, sk.signatures, sizes, lowest)
    candidates = _oriented(candidates, sk.row_party, current)
    sk.signatures.close()  # not needed again
    clock.lap("lsh")
    # The exact step takes the candidates in chunks; each chunk shingles its rows' texts
    # again, so that only a chunk's shingles are ever held.
    found: list[_Found] = []
    cut = 0
    for lo, hi in _runs(sizes[candidates[:, 0]] + sizes[candidates[:, 1]], _CHUNK_SHINGLES):
        chunk = candidates[lo:hi]
        needed = sketch.distinct(chunk)
        shingled, rows = _shingled_rows(sk, needed, limits)
        local = _shared_enough(np.searchsorted(needed, chunk), shingled, rows)
        cut += len(local)
        exact = _compare(local, shingled, rows)
        reported = np.flatnonzero(exact.reported)
        entries = zip(
            needed[exact.pairs[reported]].tolist(),
            exact.score[reported].tolist(),
            exact.shared[reported].tolist(),
            exact.union[reported].tolist(),
            exact.runs_of(reported),
            strict=True,
        )
        for (x, y), score, shared, union, runs in entries:
            found.append(_Found(x, y, score, shared, union, _passages(shingled, runs)))
        del shingled, rows, exact
    clock.lap("shingles+exact")
    template_parties = _template_parties(sk, limits) if template_list else _NO_ROWS
    shown = {int(sk.row_party[r]) for f in found for r in (f.x, f.y)}
    shown.update(template_parties.tolist())
    picked = _pick(shown, current, current_source, earlier_source)
    pairs: list[Pair] = []
    for f in found:
        pa, pb = int(sk.row_party[f.x]), int(sk.row_party[f.y])
        is_whole = int(sk.row_space[f.x]) == 0
        i, j = int(sk.row_texts[f.x, 0]), int(sk.row_texts[f.y, 0])
        fid = WHOLE if is_whole else sk.field_of(i)
        band = limits.band(fid, f.score)
        if band is None:
            continue
        if is_whole:
            ta, tb = _whole_text(picked[pa]), _whole_text(picked[pb])
        else:
            ta, tb = _original(sk, picked, pa, i), _original(sk, picked, pb, j)
        pairs.append(
            Pair(
                picked[pa].party,
                picked[pb].party,
                fid,
                f.score,
                band,
                f.shared / f.union,
                f.shared,
                f.passages,
                ta,
                tb,
            )
        )
    clock.lap("pairs")
    if template_list:
        texts = _texts_of(sk.first[template_parties], sk.first[template_parties + 1])
        pairs += _template_pairs(
            sk, template_parties, texts, sk.shingle(texts), picked, template_list, tsh, limits
        )
    pairs.sort(key=lambda p: (-p.score, p.field != WHOLE, p.a.unit, p.a.name, p.b.unit, p.b.name))
    sk.codes.close()  # not needed again
    whole_rows = sk.row_party[sk.row_space == 0]
    compared = int(np.count_nonzero(whole_rows < current))
    clock.lap("templates+sort")
    return Result(
        pairs=pairs,
        compared=compared,
        no_text=current - compared,
        earlier=sk.parties - current,
        templates=len(template_list),
        thresholds=limits,
        candidates=cut,
        timings=clock.laps,
    )


_NO_ROWS = np.zeros(0, dtype=np.int64)
_CHUNK_SHINGLES = 1 << 19
"""Shingles (both sides, counted per pair) of the candidates taken in one exact chunk."""


@dataclass
class _Found:
    """A reported pair of rows, before its texts are fetched."""

    x: int
    y: int
    score: float
    shared: int
    union: int
    passages: list[str]


def _shingled_rows(sk: Sketches, needed: I64, limits: Thresholds) -> tuple[sketch.Shingled, _Rows]:
    """The rows ``needed`` (ascending) with their texts shingled again."""
    first_text, last_text = sk.row_texts[needed, 0], sk.row_texts[needed, 1]
    texts = sketch.distinct(_texts_of(first_text, last_text))
    shingled = sk.shingle(texts)
    rows = _Rows(
        space=sk.row_space[needed].astype(np.int64),
        party=sk.row_party[needed].astype(np.int64),
        lo=shingled.bounds[np.searchsorted(texts, first_text)],
        hi=shingled.bounds[np.searchsorted(texts, last_text - 1) + 1],
        limits=limits,
    )
    return shingled, rows


def _texts_of(first: sketch.Ints, last: sketch.Ints) -> I64:
    """Every text number in the ranges ``[first[k], last[k])``."""
    where, _ = sketch.segments(first, last - first)
    return where


def _oriented(pairs: I64, party: sketch.Ints, current: int) -> I64:
    """The pairs worth comparing, this time's party first: not two rows of one party, not
    two earlier parties."""
    pa, pb = party[pairs[:, 0]], party[pairs[:, 1]]
    pairs = pairs[(pa != pb) & ((pa < current) | (pb < current))]
    swap = party[pairs[:, 0]] >= current
    pairs[swap] = pairs[swap][:, ::-1]
    return pairs


def _pick(
    wanted: set[int], current: int, this_time: MaterialSource, earlier: MaterialSource
) -> dict[int, Material]:
    """The materials of the parties ``wanted`` (numbered as in the table), read again."""
    got = this_time.pick({p for p in wanted if p < current})
    got.update(
        (p + current, m)
        for p, m in earlier.pick({p - current for p in wanted if p >= current}).items()
    )
    return got


def _original(sk: Sketches, picked: dict[int, Material], party: int, text: int) -> str:
    """The original of text number ``text`` (party ``party``'s)."""
    return picked[party].texts[text - int(sk.first[party])][1]


MIN_ESTIMATE = 0.08
"""Candidates whose signatures agree in fewer bins than this share are not compared."""
SLACK = 0.9
"""Nor those whose estimated share in common is below this part of their lowest band.
Measured on the demo (bench/bench_similarity.py): 0.9 instead of 0.8 leaves a third
fewer candidates to compare exactly at 100,000 people and drops 2 of 1,671 pairs at
10,000 and 20 of 15,756 at 100,000, all in the lowest band (提醒) and none of the
planted copies."""

I64 = npt.NDArray[np.int64]
U32 = npt.NDArray[np.uint32]
F64 = npt.NDArray[np.float64]


def lowest_band(space: sketch.Ints, limits: Thresholds) -> F64:
    """The lowest band's threshold of each row (by its space: 0 is a whole material)."""
    lowest: F64 = np.where(space == 0, limits.whole[0], limits.field[0])
    return lowest


@dataclass
class _Rows:
    """The compared rows (texts and whole materials that took part), as columns."""

    space: I64
    """0 for a whole material, else the field's number: only rows of one space meet."""
    party: I64
    """Whose row it is (index into the table's parties)."""
    lo: I64
    hi: I64
    """The row's kept shingles are ``shingled.hashes[lo:hi]``."""
    limits: Thresholds

    def __post_init__(self) -> None:
        whole = self.space == 0
        limits = self.limits
        self.lowest: F64 = lowest_band(self.space, limits)
        self.minimum: I64 = np.where(whole, limits.min_shared_whole, limits.min_shared_field)


def _likely(candidates: I64, sig: sketch.Signatures, size: I64, lowest: F64) -> I64:
    """The candidates that can plausibly reach their lowest band (vectorised).

    The signatures estimate the Jaccard similarity J; with the two sizes that
    gives the shared shingles J(|A|+|B|)/(1+J), hence the share of the smaller
    text in common, which bounds the score from above. Candidates whose estimate
    is below :data:`SLACK` times the lowest band are not compared exactly.
    """
    j = sig.agreement(candidates)
    a = candidates[:, 0]
    keep = j >= MIN_ESTIMATE
    # In place, one array per candidate at a time: share = j(|A|+|B|)/(1+j) / min(|A|,|B|).
    share = size[a].astype(np.float64)
    other = size[candidates[:, 1]].astype(np.float64)
    smaller = np.minimum(share, other)
    np.maximum(smaller, 1, out=smaller)
    share += other
    del other
    share *= j
    j += 1
    share /= j
    share /= smaller
    del j, smaller
    keep &= share >= SLACK * lowest[a]
    kept: I64 = candidates[keep]
    return kept


@dataclass
class _Exact:
    """Exact comparison of candidate pairs (one entry per pair, in order)."""

    pairs: I64
    shared: I64
    """Distinct shingles the two rows have in common."""
    union: I64
    """Distinct shingles of the two rows together."""
    score: F64
    """The larger share of either row's shingles lying in long shared passages."""
    reported: npt.NDArray[np.bool_]
    """Enough shared shingles and a score of at least the lowest band."""
    run_pair: I64
    run_position: I64
    run_length: I64
    """The first row's long shared passages: pair, start in the joined texts, shingles."""

    def runs_of(self, ks: I64) -> list[list[tuple[int, int]]]:
        """The passages of the pairs ``ks``, each as a list of (position, shingles)."""
        lo = np.searchsorted(self.run_pair, ks).tolist()
        hi = np.searchsorted(self.run_pair, ks + 1).tolist()
        runs = list(zip(self.run_position.tolist(), self.run_length.tolist(), strict=True))
        return [runs[a:b] for a, b in zip(lo, hi, strict=True)]


_PAIR_BITS = 12
_PAIR_MASK = np.uint64((1 << _PAIR_BITS) - 1)
_BUDGET = 1 << 20
"""Shingles gathered per side in one chunk of pairs (temporaries stay small)."""


def _compare(pairs: I64, shingled: sketch.Shingled, rows: _Rows) -> _Exact:
    """Count shared shingles and long shared passages of many pairs at once.

    Pairs are taken in chunks of at most 4,096 (a pair's number fits the low
    :data:`_PAIR_BITS` bits of a key) and about :data:`_BUDGET` shingles. Each
    side's shingles become keys ``hash << 12 | pair``: sorted and made distinct,
    they give the shared count; looked up in order, they mark the shingles of
    one row found in the other, and a run of marked shingles at consecutive
    positions is a shared passage. A passage counts when it spans
    ``limits.min_passage`` characters; the score is the share of a row's
    shingles inside counted passages (the larger of the two rows')."""
    n = len(pairs)
    min_run = rows.limits.min_passage - sketch.SHINGLE + 1
    shared = np.zeros(n, dtype=np.int64)
    union = np.zeros(n, dtype=np.int64)
    score = np.zeros(n, dtype=np.float64)
    reported = np.zeros(n, dtype=bool)
    runs: list[tuple[I64, I64, I64]] = []
    lengths = rows.hi - rows.lo
    for start, stop in _chunks(pairs, lengths):
        chunk = pairs[start:stop]
        k = len(chunk)
        sides = [_Side(*_gather(chunk[:, c], shingled, rows)) for c in (0, 1)]
        hits = [sides[0].found_in(sides[1].distinct), sides[1].found_in(sides[0].distinct)]
        a = chunk[:, 0]
        first = sides[0]
        count = np.bincount(first.pair_of(first.ordered[first.first & hits[0][1]]), minlength=k)
        size = [np.bincount(side.pair_of(side.distinct), minlength=k) for side in sides]
        enough = (count >= rows.minimum[a]) & (count >= rows.lowest[a] * np.minimum(*size))
        best = np.zeros(k, dtype=np.float64)
        for c, side in enumerate(sides):
            covered, run = _passage_runs(side.positions, side.owner, hits[c][0], min_run, k)
            best = np.maximum(best, covered / np.maximum(lengths[chunk[:, c]], 1))
            if c == 0:
                runs.append((run[0] + start, run[1], run[2]))
        shared[start:stop] = count
        union[start:stop] = size[0] + size[1] - count
        score[start:stop] = best
        reported[start:stop] = enough & (best >= rows.lowest[a])
    empty = np.zeros(0, dtype=np.int64)
    run_pair, run_position, run_length = (
        (np.concatenate([r[c] for r in runs]) for c in range(3)) if runs else (empty,) * 3
    )
    return _Exact(pairs, shared, union, score, reported, run_pair, run_position, run_length)


def _chunks(pairs: I64, lengths: I64) -> Iterator[tuple[int, int]]:
    """``pairs[start:stop]`` runs of at most 4,096 pairs and about :data:`_BUDGET` shingles
    a side."""
    cost = lengths[pairs[:, 0]] + lengths[pairs[:, 1]]
    return _runs(cost, 2 * _BUDGET, most=1 << _PAIR_BITS)


def _shared_enough(pairs: I64, shingled: sketch.Shingled, rows: _Rows) -> I64:
    """The pairs sharing enough distinct shingles to reach their lowest band: the cheap
    first cut, before :func:`_compare` looks at passages.

    Each row taking part is sorted once (:func:`_row_sets`), however many pairs it is
    in. A chunk of pairs then lays out, for each side, the pair's number above each
    of its row's sorted hashes: two ascending arrays of distinct keys, whose merge
    (a stable sort of two sorted runs, linear) holds a key twice exactly where the
    two rows share a shingle."""
    if not len(pairs):
        return pairs
    needed = sketch.distinct(pairs)
    values, start = _row_sets(needed, shingled, rows)
    size = np.diff(start)
    rank = np.searchsorted(needed, pairs)
    count = np.zeros(len(pairs), dtype=np.int64)
    for lo, hi in _runs(size[rank[:, 0]] + size[rank[:, 1]], 2 * _BUDGET):
        sides = []
        for c in (0, 1):
            r = rank[lo:hi, c]
            where, owner = sketch.segments(start[r], size[r])
            keys = owner.astype(np.uint64) << np.uint64(32)
            keys |= values[where]
            sides.append(keys)
        merged = np.sort(np.concatenate(sides), kind="stable")
        twice = merged[1:][merged[1:] == merged[:-1]]
        count[lo:hi] = np.bincount((twice >> np.uint64(32)).astype(np.int64), minlength=hi - lo)
    smaller = np.minimum(size[rank[:, 0]], size[rank[:, 1]])
    a = pairs[:, 0]
    return pairs[(count >= rows.minimum[a]) & (count >= rows.lowest[a] * smaller)]


def _row_sets(needed: I64, shingled: sketch.Shingled, rows: _Rows) -> tuple[U32, I64]:
    """The distinct shingle hashes of each row in ``needed``, sorted: the ``k``-th row's are
    ``values[start[k]:start[k+1]]``. Sorted in runs of rows (a row's number above its
    hashes), so that the temporaries stay small."""
    lengths = rows.hi[needed] - rows.lo[needed]
    parts: list[U32] = []
    counts = np.zeros(len(needed), dtype=np.int64)
    for lo, hi in _runs(lengths, _BUDGET):
        where, owner = sketch.segments(rows.lo[needed[lo:hi]], lengths[lo:hi])
        keys = owner.astype(np.uint64) << np.uint64(32)
        keys |= shingled.hashes[where]
        keys.sort()
        distinct = keys[sketch.first_of_runs(keys)]
        counts[lo:hi] = np.bincount((distinct >> np.uint64(32)).astype(np.int64), minlength=hi - lo)
        parts.append((distinct & np.uint64(0xFFFFFFFF)).astype(np.uint32))
    start = np.zeros(len(needed) + 1, dtype=np.int64)
    np.cumsum(counts, out=start[1:])
    values: U32 = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint32)
    return values, start


def _runs(cost: I64, budget: int, most: int | None = None) -> Iterator[tuple[int, int]]:
    """Consecutive ``[lo, hi)`` whose ``cost`` adds up to about ``budget`` (at least one,
    at most ``most``)."""
    total = np.cumsum(cost)
    lo = 0
    while lo < len(cost):
        before = int(total[lo - 1]) if lo else 0
        hi = max(lo + 1, int(np.searchsorted(total, before + budget, side="right")))
        if most is not None:
            hi = min(hi, lo + most)
        yield lo, hi
        lo = hi


class _Side:
    """One side's shingles of a chunk of pairs: keys in sequence order, and sorted."""

    def __init__(self, keys: npt.NDArray[np.uint64], positions: I64, owner: I64) -> None:
        self.positions = positions
        self.owner = owner
        # One argsort serves both: sorted keys give the distinct ones, and looking
        # sorted keys up is several times quicker than looking them up in sequence.
        self.order = np.argsort(keys)
        self.ordered = keys[self.order]
        self.first = sketch.first_of_runs(self.ordered)
        self.distinct = self.ordered[self.first]

    @staticmethod
    def pair_of(keys: npt.NDArray[np.uint64]) -> I64:
        """The pair number held in the low bits of each key."""
        pair: I64 = (keys & _PAIR_MASK).astype(np.int64)
        return pair

    def found_in(
        self, other: npt.NDArray[np.uint64]
    ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
        """Whether each shingle is among ``other`` (sorted keys): in sequence order, and
        in sorted order."""
        if not len(other):
            none = np.zeros(len(self.ordered), dtype=bool)
            return none, none
        found = np.searchsorted(other, self.ordered)
        found[found == len(other)] = 0
        in_sorted = other[found] == self.ordered
        in_sequence = np.empty_like(in_sorted)
        in_sequence[self.order] = in_sorted
        return in_sequence, in_sorted


def _gather(
    entry: I64, shingled: sketch.Shingled, rows: _Rows
) -> tuple[npt.NDArray[np.uint64], I64, I64]:
    """The shingles of the rows ``entry`` (one per pair), in order: keys, positions, pair."""
    where, owner = sketch.segments(rows.lo[entry], rows.hi[entry] - rows.lo[entry])
    keys = shingled.hashes[where].astype(np.uint64) << np.uint64(_PAIR_BITS)
    keys |= owner.astype(np.uint64)
    positions: I64 = shingled.positions[where].astype(np.int64)
    return keys, positions, owner


def _passage_runs(
    positions: I64, owner: I64, hit: npt.NDArray[np.bool_], min_run: int, pairs: int
) -> tuple[F64, tuple[I64, I64, I64]]:
    """Shingles of each pair's row inside shared passages of ``min_run`` or more, and
    those passages (pair, position, shingles); ``hit`` marks the shingles (in sequence
    order) that the other row has too."""
    follows = np.zeros(len(hit), dtype=bool)
    follows[1:] = hit[1:] & hit[:-1] & (positions[1:] == positions[:-1] + 1)
    follows[1:] &= owner[1:] == owner[:-1]
    begins = np.flatnonzero(hit & ~follows)
    # A run ends where the next one begins or a shingle is not shared.
    run_id = np.cumsum(hit & ~follows) - 1
    length = np.bincount(run_id[hit], minlength=len(begins))
    long = length >= min_run
    begins, length = begins[long], length[long]
    covered: F64 = np.bincount(owner[begins], weights=length, minlength=pairs).astype(np.float64)
    shingles: I64 = length.astype(np.int64)
    return covered, (owner[begins], positions[begins], shingles)


def _coverage(
    seq: tuple[list[int], list[int]], other: set[int], limits: Thresholds
) -> tuple[float, list[tuple[int, int]]]:
    """Share of a text's shingles inside passages of ``limits.min_passage`` characters or
    more that the other text also has, and those passages."""
    covered, runs = sketch.passage_coverage(
        seq[0], seq[1], other, limits.min_passage - sketch.SHINGLE + 1
    )
    return (covered / len(seq[0]) if seq[0] else 0.0), runs


def _passages(shingled: sketch.Shingled, runs: list[tuple[int, int]]) -> list[str]:
    """The longest shared passages (normalised text), longest first, each shown once."""
    seen: list[str] = []
    for position, run in sorted(runs, key=lambda r: (-r[1], r[0])):
        text = shingled.passage(position, run)
        if text not in seen:
            seen.append(text)
        if len(seen) >= MAX_PASSAGES:
            break
    return seen


def _whole_text(material: Material) -> str:
    return "\n".join(text for _, text in material.texts)


def _template_parties(sk: Sketches, limits: Thresholds) -> I64:
    """This time's parties with a text, or a whole material, that meets some template."""
    current = sk.current
    counts = np.diff(sk.first[: current + 1])
    owner = np.repeat(np.arange(current, dtype=np.int64), counts)
    n = int(sk.first[current])
    hits = np.where(sk.text_size[:n] >= limits.min_shared_field, sk.template_hits[:n], 0)
    most = np.zeros(current, dtype=np.int64)
    np.maximum.at(most, owner, hits)
    total = np.bincount(owner, weights=hits, minlength=current)
    found: I64 = np.flatnonzero(
        (most >= limits.min_shared_field) | (total >= limits.min_shared_whole)
    )
    return found


def _template_pairs(
    sk: Sketches,
    parties: I64,
    texts: I64,
    shingled: sketch.Shingled,
    picked: dict[int, Material],
    templates: list[Template],
    tsh: sketch.Shingled,
    limits: Thresholds,
) -> list[Pair]:
    """Exact containment of every answer and whole material of this time in each template
    (``parties`` are those with enough shingles in some template; ``texts`` the text
    numbers that ``shingled`` holds, ascending)."""
    tsets = [tsh.as_set(k) for k in range(len(templates))]
    out: list[Pair] = []
    for p in parties.tolist():
        lo, hi = int(sk.first[p]), int(sk.first[p + 1])
        material = picked[p]
        whole: set[int] = set()
        whole_hashes: list[int] = []
        whole_positions: list[int] = []
        total_hits = 0
        for i in range(lo, hi):
            if sk.text_size[i] < limits.min_shared_field:
                continue
            c = int(np.searchsorted(texts, i))
            s = shingled.as_set(c)
            seq = shingled.sequence(c)
            whole |= s
            whole_hashes += seq[0]
            whole_positions += seq[1]
            total_hits += int(sk.template_hits[i])
            if sk.template_hits[i] >= limits.min_shared_field:
                fid, text = material.texts[i - lo]
                out += _against_templates(
                    material.party,
                    fid,
                    s,
                    seq,
                    text,
                    shingled,
                    templates,
                    tsets,
                    limits,
                    limits.min_shared_field,
                )
        if len(whole) >= limits.min_shared_whole and total_hits >= limits.min_shared_whole:
            out += _against_templates(
                material.party,
                WHOLE,
                whole,
                (whole_hashes, whole_positions),
                _whole_text(material),
                shingled,
                templates,
                tsets,
                limits,
                limits.min_shared_whole,
            )
    return out


def _against_templates(
    party: Party,
    fid: str,
    s: set[int],
    seq: tuple[list[int], list[int]],
    text: str,
    shingled: sketch.Shingled,
    templates: list[Template],
    tsets: list[set[int]],
    limits: Thresholds,
    minimum: int,
) -> list[Pair]:
    out = []
    for template, tset in zip(templates, tsets, strict=True):
        shared = len(s & tset)
        if shared < minimum or not tset:
            continue
        score, runs = _coverage(seq, tset, limits)
        band = limits.band(fid, score)
        if band is None:
            continue
        out.append(
            Pair(
                party,
                template.party,
                fid,
                score,
                band,
                shared / len(s | tset),
                shared,
                _passages(shingled, runs),
                text,
                _excerpt(template.text, text),
            )
        )
    return out


def _excerpt(template: str, text: str, limit: int = 4000) -> str:
    """A template is long: show it whole only when short, else the stretch around the match."""
    if len(template) <= limit:
        return template
    matcher = SequenceMatcher(None, normalise(text), template, autojunk=False)
    m = matcher.find_longest_match(0, len(normalise(text)), 0, len(template))
    start = max(0, m.b - limit // 2)
    return ("…" if start else "") + template[start : start + limit] + "…"
