"""雷同检查: find the pairs of texts that share passages, and show the evidence.

Steps (design.md §9): normalise (:mod:`.normalise`) → shingle into character
5-grams, dropping every shingle of the checklist's own wording and of the stock
phrases (:mod:`.phrases`) → one-permutation MinHash signatures and LSH
candidate pairs (:mod:`.sketch`; never all pairs) → exact shared-shingle counts
on the candidates → bands (:class:`~.model.Thresholds`) → the longest shared
passages of each reported pair.

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
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

import numpy as np

from selfcheck import rules
from selfcheck.similarity import sketch
from selfcheck.similarity.model import (
    WHOLE,
    LeanRecord,
    Pair,
    Party,
    SignatureKey,
    Thresholds,
)
from selfcheck.similarity.normalise import normalise, normalise_many
from selfcheck.summary.plan import ChecklistPlan
from selfcheck.summary.records import Record

COMPARED_MEANINGS = (rules.PROBLEM, rules.CAUSE, rules.MEASURE)
MIN_PASSAGE = 8
"""Characters (after normalisation) of the shortest passage worth showing."""
MAX_PASSAGES = 5


@dataclass
class Material:
    """One party's texts: (field, original text) in material order."""

    party: Party
    texts: list[tuple[str, str]]


@dataclass
class Template:
    """A known template text (范文)."""

    party: Party
    text: str


def fields_of(plan: ChecklistPlan) -> dict[tuple[str, str], str]:
    """(item, meaning) → field id ``item.question`` for every compared answer."""
    out: dict[tuple[str, str], str] = {}
    for item in plan.items.values():
        for meaning in COMPARED_MEANINGS:
            qid = item.meanings.get(meaning)
            if qid is not None:
                out[(item.id, meaning)] = f"{item.id}.{qid}"
    return out


def material_of(
    record: Record | LeanRecord, fields: dict[tuple[str, str], str], kind: str
) -> Material:
    """The compared texts of one record (its problem rows' problem, cause and measure)."""
    texts = []
    for row in record.problems:
        for meaning, text in (
            (rules.PROBLEM, row.problem),
            (rules.CAUSE, row.cause),
            (rules.MEASURE, row.measure),
        ):
            fid = fields.get((row.item, meaning))
            if fid is not None and text.strip():
                texts.append((fid, text))
    party = Party(record.name, record.unit, record.file, kind)  # type: ignore[arg-type]
    return Material(party, texts)


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
    signature_rows: Any = None
    """This time's signatures (a numpy array), for the summary JSON; keys below."""
    signature_keys_of: Any = None
    """Makes the (file, field) of each signature row when the JSON is written."""

    def signature_keys(self) -> list[SignatureKey]:
        """Whose text each row of :attr:`signature_rows` is."""
        return [] if self.signature_keys_of is None else list(self.signature_keys_of())

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


class _Table:
    """All texts in one flat table: text i belongs to party ``owner[i]`` and field ``fields[i]``."""

    def __init__(self) -> None:
        self.parties: list[Party] = []
        self.owner: list[int] = []
        self.fields: list[str] = []
        self.originals: list[str] = []
        self.normal: list[str] = []
        self.first: list[int] = [0]

    def add(self, material: Material) -> None:
        n = len(self.parties)
        self.parties.append(material.party)
        for fid, text in material.texts:
            self.owner.append(n)
            self.fields.append(fid)
            self.originals.append(text)
        self.first.append(len(self.owner))


def find_pairs(
    plan: ChecklistPlan,
    materials: Iterable[Material],
    *,
    earlier: Iterable[Material] = (),
    templates: Iterable[Template] = (),
    stock_phrases: Iterable[str] = (),
    thresholds: Thresholds | None = None,
    carried: dict[tuple[str, str], np.ndarray] | None = None,
) -> Result:
    """Compare the materials (see the module docstring); ``carried`` maps (file, field)
    to a signature made earlier (a unit summary's), used instead of computing it."""
    limits = thresholds or Thresholds()
    clock = _Laps()
    table = _Table()
    for m in materials:
        table.add(m)
    current = len(table.parties)
    for m in earlier:
        table.add(m)
    n_texts = len(table.owner)
    table.normal = normalise_many(table.originals)
    clock.lap("tables")
    excluded = sketch.shingle_hashes(
        [normalise(t) for t in [*checklist_wording(plan), *stock_phrases]]
    )
    clock.lap("normalise+exclusions")
    shingled = sketch.shingle_texts(table.normal, excluded)
    sets: dict[int, set[int]] = {}

    def text_set(i: int) -> set[int]:
        found = sets.get(i)
        if found is None:
            found = sets[i] = shingled.as_set(i)
        return found

    sizes = shingled.sizes()
    active = sizes >= limits.min_shared_field
    raw = sketch.raw_signatures(shingled)
    groups = np.array(table.first, dtype=np.int64)
    # A whole material is all of a person's answers, short ones included.
    whole_raw = sketch.union_signatures(raw, groups)
    raw[~active] = sketch.EMPTY
    n_parties = len(table.parties)
    whole_lo = shingled.bounds[groups[:-1]]
    whole_hi = shingled.bounds[groups[1:]]
    whole_size = whole_hi - whole_lo
    whole_active = whole_size >= limits.min_shared_whole
    # One signature matrix: the texts, then each party's whole material.
    field_codes: dict[str, int] = {}
    space = np.array(
        [field_codes.setdefault(f, len(field_codes) + 1) for f in table.fields] + [0] * n_parties,
        dtype=np.int64,
    )
    clock.lap("shingles+minhash")
    dense = np.concatenate([raw, whole_raw])
    del raw, whole_raw  # a 100,000-person folder's signatures are hundreds of MB
    sketch.densify(dense, out=dense)
    if carried:
        dense &= np.uint32(0xFFFF)  # what a unit summary carries: the low 16 bits
        for i in range(n_texts):
            got = carried.get((table.parties[table.owner[i]].file, table.fields[i]))
            if got is not None:
                dense[i] = got
        for p, party in enumerate(table.parties):
            got = carried.get((party.file, WHOLE))
            if got is not None:
                dense[n_texts + p] = got
    usable = np.concatenate([active, whole_active])
    index = np.flatnonzero(usable)
    all_sizes = np.concatenate([np.where(active, sizes, 0), whole_size])[index]
    lowest_band = np.where(space[index] == 0, limits.whole[0], limits.field[0])
    clock.lap("densify")
    seg_lo = np.concatenate([shingled.bounds[:-1], whole_lo])[index]
    seg_hi = np.concatenate([shingled.bounds[1:], whole_hi])[index]
    minimum_shared = np.where(space[index] == 0, limits.min_shared_whole, limits.min_shared_field)
    usable_dense = dense[index]
    candidates = _likely(
        sketch.candidate_pairs(usable_dense, space[index]), usable_dense, all_sizes, lowest_band
    )
    del usable_dense
    candidates = _shared_enough(
        candidates, shingled.hashes, seg_lo, seg_hi, lowest_band, minimum_shared
    )
    clock.lap("lsh")
    pairs: list[Pair] = []

    def whole_set(p: int) -> set[int]:
        return set(shingled.hashes[whole_lo[p] : whole_hi[p]].tolist())

    def whole_seq(p: int) -> tuple[list[int], list[int]]:
        lo, hi = whole_lo[p], whole_hi[p]
        return shingled.hashes[lo:hi].tolist(), shingled.positions[lo:hi].tolist()

    whole_sets: dict[int, set[int]] = {}

    def lowest(fid: str) -> float:
        return (limits.whole if fid == WHOLE else limits.field)[0]

    for x, y in candidates:
        i, j = int(index[x]), int(index[y])
        is_whole = i >= n_texts
        pa = i - n_texts if is_whole else table.owner[i]
        pb = j - n_texts if is_whole else table.owner[j]
        if pa == pb or (pa >= current and pb >= current):
            continue
        if pa >= current:  # this time's party first
            pa, pb, i, j = pb, pa, j, i
        if is_whole:
            sa = whole_sets.get(pa) or whole_sets.setdefault(pa, whole_set(pa))
            sb = whole_sets.get(pb) or whole_sets.setdefault(pb, whole_set(pb))
            fid = WHOLE
            minimum = limits.min_shared_whole
        else:
            sa, sb = text_set(i), text_set(j)
            fid = table.fields[i]
            minimum = limits.min_shared_field
        shared = len(sa & sb)
        # The score cannot exceed the share of shingles in common: skip the hopeless.
        if shared < minimum or shared < lowest(fid) * min(len(sa), len(sb)):
            continue
        if is_whole:
            qa, qb = whole_seq(pa), whole_seq(pb)
        else:
            qa, qb = shingled.sequence(i), shingled.sequence(j)
        score_a, runs = _coverage(qa, sb, limits)
        score_b, _ = _coverage(qb, sa, limits)
        score = max(score_a, score_b)
        band = limits.band(fid, score)
        if band is None:
            continue
        if is_whole:
            ta, tb = _whole_text(table, pa), _whole_text(table, pb)
        else:
            ta, tb = table.originals[i], table.originals[j]
        pairs.append(
            Pair(
                table.parties[pa],
                table.parties[pb],
                fid,
                score,
                band,
                shared / len(sa | sb),
                shared,
                _passages(shingled, runs),
                ta,
                tb,
            )
        )
    clock.lap("exact+passages")
    template_list = list(templates)
    if template_list:
        pairs += _template_pairs(table, current, template_list, shingled, active, excluded, limits)
    pairs.sort(key=lambda p: (-p.score, p.field != WHOLE, p.a.unit, p.a.name, p.b.unit, p.b.name))
    mine = np.concatenate(
        [active & (np.array(table.owner, dtype=np.int64) < current), whole_active]
    )
    if n_parties:
        mine[n_texts + current :] = False

    def keys() -> list[SignatureKey]:
        return [
            SignatureKey(table.parties[table.owner[i]].file, table.fields[i])
            for i in np.flatnonzero(mine[:n_texts]).tolist()
        ] + [
            SignatureKey(table.parties[p].file, WHOLE)
            for p in np.flatnonzero(mine[n_texts:]).tolist()
        ]

    compared = int(np.count_nonzero(whole_active[:current])) if n_parties else 0
    clock.lap("templates+sort")
    return Result(
        pairs=pairs,
        compared=compared,
        no_text=current - compared,
        earlier=n_parties - current,
        templates=len(template_list),
        thresholds=limits,
        signature_keys_of=keys,
        signature_rows=dense.astype(np.uint16)[mine],  # the low 16 bits: what is carried
        candidates=len(candidates),
        timings=clock.laps,
    )


MIN_ESTIMATE = 0.08
SLACK = 0.8
"""Candidates whose signatures agree in fewer bins than this share are not compared."""


def _likely(
    candidates: np.ndarray, sig: np.ndarray, sizes: np.ndarray, lowest: np.ndarray
) -> list[tuple[int, int]]:
    """The candidates that can plausibly reach their lowest band (vectorised).

    The signatures estimate the Jaccard similarity J; with the two sizes that
    gives the shared shingles J(|A|+|B|)/(1+J), hence the share of the smaller
    text in common, which bounds the score from above. Candidates whose estimate
    is below :data:`SLACK` times the lowest band are not compared exactly.
    """
    if not len(candidates):
        return []
    pairs = candidates
    keep = np.zeros(len(pairs), dtype=bool)
    step = 1 << 15
    for lo in range(0, len(pairs), step):
        chunk = pairs[lo : lo + step]
        a, b = chunk[:, 0], chunk[:, 1]
        j = (sig[a] == sig[b]).mean(axis=1)
        na, nb = sizes[a].astype(np.float64), sizes[b].astype(np.float64)
        common = j * (na + nb) / (1 + j)
        share = common / np.maximum(np.minimum(na, nb), 1)
        keep[lo : lo + step] = (j >= MIN_ESTIMATE) & (share >= SLACK * lowest[a])
    return [(int(x), int(y)) for x, y in pairs[keep].tolist()]


def _shared_enough(
    candidates: list[tuple[int, int]],
    hashes: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    lowest: np.ndarray,
    minimum: np.ndarray,
) -> list[tuple[int, int]]:
    """The candidates whose exact count of distinct shared shingles can reach their
    lowest band, counted for many pairs at once (vectorised, in chunks)."""
    if not candidates:
        return []
    pairs = np.array(candidates, dtype=np.int64)
    keep = np.zeros(len(pairs), dtype=bool)
    step = 4096  # the pair's number fits in the low 12 bits of a key
    shift = np.uint64(12)
    for start in range(0, len(pairs), step):
        chunk = pairs[start : start + step]
        sides = []
        for column in (0, 1):
            entry = chunk[:, column]
            lengths = hi[entry] - lo[entry]
            owner = np.repeat(np.arange(len(chunk), dtype=np.uint64), lengths)
            offsets = np.arange(int(lengths.sum()), dtype=np.int64)
            firsts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
            where = np.repeat(lo[entry] - firsts, lengths) + offsets
            # Key: the shingle's hash (its top 52 bits) and the pair's number.
            keys = np.sort((hashes[where] << shift) | owner)
            distinct = np.ones(len(keys), dtype=bool)
            distinct[1:] = keys[1:] != keys[:-1]
            sides.append(keys[distinct])
        ka, kb = sides
        found = np.searchsorted(ka, kb)
        found[found == len(ka)] = 0
        common = kb[ka[found] == kb] if len(ka) else kb[:0]
        mask = np.uint64((1 << 12) - 1)
        shared = np.bincount((common & mask).astype(np.int64), minlength=len(chunk))
        size_a = np.bincount((ka & mask).astype(np.int64), minlength=len(chunk))
        size_b = np.bincount((kb & mask).astype(np.int64), minlength=len(chunk))
        smaller = np.minimum(size_a, size_b)
        a = chunk[:, 0]
        keep[start : start + step] = (shared >= minimum[a]) & (shared >= lowest[a] * smaller)
    return [(int(x), int(y)) for x, y in pairs[keep].tolist()]


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


def _whole_text(table: _Table, p: int) -> str:
    return "\n".join(table.originals[table.first[p] : table.first[p + 1]])


def _template_pairs(
    table: _Table,
    current: int,
    templates: list[Template],
    shingled: sketch.Shingled,
    active: np.ndarray,
    excluded: np.ndarray,
    limits: Thresholds,
) -> list[Pair]:
    """Exact containment of every answer and whole material of this time in each template."""
    normal = [normalise(t.text) for t in templates]
    tsh = sketch.shingle_texts(normal, excluded)
    tsets = [tsh.as_set(k) for k in range(len(templates))]
    every = np.unique(tsh.hashes)
    out: list[Pair] = []
    if not len(every):
        return out
    hit = np.isin(shingled.hashes, every)
    owner = np.repeat(np.arange(len(shingled), dtype=np.int64), shingled.sizes())
    hits = np.bincount(owner[hit], minlength=len(shingled))
    for p in range(current):
        lo, hi = table.first[p], table.first[p + 1]
        if lo == hi:
            continue
        texts = [i for i in range(lo, hi) if active[i]]
        whole: set[int] = set()
        whole_hashes: list[int] = []
        whole_positions: list[int] = []
        for i in texts:
            s = shingled.as_set(i)
            seq = shingled.sequence(i)
            whole |= s
            whole_hashes += seq[0]
            whole_positions += seq[1]
            if hits[i] >= limits.min_shared_field:
                out += _against_templates(
                    table,
                    p,
                    table.fields[i],
                    s,
                    seq,
                    table.originals[i],
                    shingled,
                    templates,
                    tsets,
                    limits,
                    limits.min_shared_field,
                )
        if len(whole) >= limits.min_shared_whole and sum(int(hits[i]) for i in texts) >= (
            limits.min_shared_whole
        ):
            out += _against_templates(
                table,
                p,
                WHOLE,
                whole,
                (whole_hashes, whole_positions),
                _whole_text(table, p),
                shingled,
                templates,
                tsets,
                limits,
                limits.min_shared_whole,
            )
    return out


def _against_templates(
    table: _Table,
    p: int,
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
                table.parties[p],
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
