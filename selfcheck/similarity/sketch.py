"""Character shingles, MinHash signatures and LSH candidate pairs, vectorised with numpy.

Every text is cut into overlapping character 5-grams (shingles). A shingle's
64-bit hash is computed for all texts at once: the code points of all texts,
joined by a separator, are one ``uint32`` array, and the 5-gram hash is a
polynomial over five shifted views of it, finished by a splitmix mixer, so
there is no Python loop over characters. The hash is the same in every
process and on every machine (unit summaries carry signatures that ``rollup``
compares).

Signatures are one-permutation MinHash (Li, Owen & Zhang 2012) with rotation
densification (Shrivastava 2017): the top bits of a shingle's hash choose one
of :data:`BINS` bins, the other bits are its value, and a text's signature is
the minimum value in each bin; an empty bin borrows from the next non-empty
bin to its right. Two texts' signatures agree in a bin with probability equal
to their Jaccard similarity, as with classic k-permutation MinHash, at the
cost of one hash per shingle instead of k. The union of several texts (a
person's whole material) has the bin-wise minimum of their raw signatures.

LSH: the signature is cut into bands of :data:`ROWS` values (each band's rows
spread over the signature); texts whose band agrees in any band are candidate
pairs. With 128 bins and 32 bands of 4, a pair at Jaccard 0.5 becomes a
candidate with probability 0.87, at 0.6 with 0.99, at 0.4 with 0.56; a pair at
0.2 with 0.05. A copy shares several answers and its whole material, so each
copied person has several chances. Only candidates are
compared exactly (:mod:`selfcheck.similarity.detect`).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from selfcheck.similarity.spill import Spill

SHINGLE = 5
"""Characters per shingle."""
BINS = 128
"""Values per signature (a power of two)."""
ROWS = 4
"""Signature values per LSH band."""
BANDS = BINS // ROWS
PARAMS = {"shingle": SHINGLE, "bins": BINS, "rows": ROWS, "hash": "poly5-splitmix64-top32-oph-v3"}
"""What the signatures are made with (recorded in the summary JSON)."""

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]
_T = TypeVar("_T", bound=np.generic)
Positions = npt.NDArray[np.int32] | npt.NDArray[np.int64]
U16 = npt.NDArray[np.uint16]
Ints = npt.NDArray[np.signedinteger[Any]]
"""Numbers of either width (the table keeps 32 bits, the steps work in 64)."""

_MUL = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_BIN_SHIFT = np.uint32(32 - (BINS.bit_length() - 1))
_VALUE_BITS = 24
_VALUE_MASK = np.uint32((1 << _VALUE_BITS) - 1)
EMPTY = np.uint32(0xFFFFFFFF)
_FULL_RUN = 8
_PENDING = 1 << 18
"""New candidate pairs (with repeats) held at least before all are made distinct."""
_SEP = "\x00"


@dataclass
class Shingled:
    """The kept shingle hashes of many texts: text ``i`` owns ``hashes[bounds[i]:bounds[i+1]]``."""

    hashes: U32
    """32 bits of each shingle's hash: its top 7 bits choose a signature bin, its low 24
    bits are the value (a 64-bit hash would double the memory and gain nothing: two
    different shingles agree in 32 bits once in four billion)."""
    bounds: I64
    positions: Positions
    """Where each kept shingle starts in the joined texts (consecutive within a passage)."""
    starts: I64
    """Where each text starts in the joined texts."""
    joined: str | U32 | U16
    """The texts joined by a separator (what ``positions`` point into): a string, or
    their code points (:func:`shingle_codes`)."""

    def passage(self, position: int, run: int) -> str:
        """The text of ``run`` consecutive shingles from ``position``."""
        return self.text[position : position + run + SHINGLE - 1]

    @functools.cached_property
    def text(self) -> str:
        """The joined texts as a string (decoded once, for the passages shown)."""
        if isinstance(self.joined, str):
            return self.joined
        return self.joined.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")

    def __len__(self) -> int:
        return len(self.bounds) - 1

    def sizes(self) -> I64:
        """How many (not necessarily distinct) shingles each text kept."""
        return np.diff(self.bounds)

    def sequence(self, i: int) -> tuple[list[int], list[int]]:
        """Text ``i``'s kept shingle hashes in order, and their positions."""
        lo, hi = self.bounds[i], self.bounds[i + 1]
        return self.hashes[lo:hi].tolist(), self.positions[lo:hi].tolist()

    def as_set(self, i: int) -> set[int]:
        """Text ``i``'s distinct shingle hashes."""
        return set(self.hashes[self.bounds[i] : self.bounds[i + 1]].tolist())


def _hash_codes(codes: U32, n: int) -> U32:
    """The hash of each of the ``n`` windows of :data:`SHINGLE` code points of ``codes``
    (the top half of a 64-bit polynomial hash finished by a splitmix mixer)."""
    wide = codes.astype(np.uint64)
    h: U64 = wide[:n].copy()
    for j in range(1, SHINGLE):
        h *= _MUL
        h += wide[j : n + j]
    h ^= h >> np.uint64(31)
    h *= _MIX1
    h ^= h >> np.uint64(29)
    h *= _MIX2
    top: U32 = (h >> np.uint64(32)).astype(np.uint32)
    return top


def distinct(values: npt.NDArray[_T]) -> npt.NDArray[_T]:
    """The distinct values of an array (flattened), sorted: ``np.unique`` without its cost.

    numpy 2's ``unique`` imports ``numpy.ma`` on first use (a sixth of numpy's import
    time) and sorts a copy through a slower general path; a sort and a mask do the
    same here."""
    ordered = np.sort(values, axis=None)
    out: npt.NDArray[_T] = ordered[first_of_runs(ordered)]
    return out


def member_of(values: npt.NDArray[_T], table: npt.NDArray[_T]) -> npt.NDArray[np.bool_]:
    """Whether each of ``values`` is in ``table`` (sorted, distinct): ``np.isin`` by binary
    search, which needs neither a sort of ``values`` nor ``numpy.ma``."""
    if not len(table):
        return np.zeros(len(values), dtype=bool)
    at = np.searchsorted(table, values)
    np.minimum(at, len(table) - 1, out=at)
    found: npt.NDArray[np.bool_] = table[at] == values
    return found


def shingle_hashes(texts: list[str]) -> U32:
    """The distinct shingle hashes of ``texts`` taken together (sorted)."""
    got = shingle_texts(texts, None)
    return distinct(got.hashes)


def shingle_texts(texts: list[str], excluded: U32 | None) -> Shingled:
    """Shingle every (normalised) text; drop shingles in ``excluded`` (sorted hashes).

    A character covered by an excluded shingle is stock wording: every shingle
    touching it goes too, so that two stock phrases side by side leave no shared
    shingles across their seam.

    Texts are hashed in runs of about :data:`_CHUNK` characters: a shingle's hash
    depends on its five characters only, and the temporaries of a small run are
    reused instead of newly mapped (which costs more than the arithmetic).
    """
    return shingle_joined(*join_texts(texts), excluded)


def join_texts(texts: list[str]) -> tuple[str, I64]:
    """The texts joined by a separator (and padding), and where each starts."""
    starts = starts_of(np.array([len(t) for t in texts], dtype=np.int64))
    return _SEP.join(texts) + _SEP * SHINGLE, starts


def starts_of(lengths: I64) -> I64:
    """Where texts of these lengths start when joined by one separator each (and, last,
    where the padding starts): the layout :func:`join_texts` makes."""
    starts = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths + 1, out=starts[1:])
    return starts


def shingle_joined(joined: str, starts: I64, excluded: U32 | None) -> Shingled:
    """:func:`shingle_texts` of texts already joined by :func:`join_texts` (so that a
    caller can let go of the list of texts first)."""

    def codes(first: int, last: int) -> U32:
        piece = joined[first:last].encode("utf-32-le", "surrogatepass")
        return np.frombuffer(piece, dtype=np.uint32)

    return _shingle(codes, joined, starts, excluded)


def shingle_codes(codes: U32 | U16, starts: I64, excluded: U32 | None) -> Shingled:
    """:func:`shingle_joined` of texts given as code points (separator 0, ``starts`` as
    :func:`join_texts` gives them, padded by :data:`SHINGLE` zeros)."""
    return _shingle(
        lambda first, last: codes[first:last].astype(np.uint32), codes, starts, excluded
    )


def _shingle(
    codes_of: Callable[[int, int], U32],
    joined: str | U32 | U16,
    starts: I64,
    excluded: U32 | None,
) -> Shingled:
    # At most one kept shingle per character: filled in place, so that a large folder's
    # shingles are never held twice (as runs and as their concatenation).
    total = int(starts[-1])
    all_hashes: U32 = np.empty(total, dtype=np.uint32)
    all_positions: Positions = np.empty(total, dtype=np.int32 if total < 2**31 else np.int64)
    count = 0
    lo = 0
    n = len(starts) - 1
    while lo < n:
        hi = int(np.searchsorted(starts, starts[lo] + _CHUNK, side="right"))
        hi = min(max(hi, lo + 1), n)
        first, last = int(starts[lo]), int(starts[hi])
        # The run's windows start at first .. last-1; the last ones reach into the next
        # text (or the padding) across a separator, and are dropped.
        h, kept = _kept_shingles(codes_of(first, last + SHINGLE - 1), last - first, excluded)
        all_hashes[count : count + len(h)] = h
        all_positions[count : count + len(h)] = kept + first
        count += len(h)
        lo = hi
    all_hashes = all_hashes[:count]
    all_positions = all_positions[:count]
    bounds = np.searchsorted(all_positions, starts).astype(np.int64)
    return Shingled(all_hashes, bounds, all_positions, starts, joined)


_CHUNK = 1 << 18


def _kept_shingles(codes: U32, n: int, excluded: U32 | None) -> tuple[U32, I64]:
    """The kept shingle hashes among the first ``n`` windows of ``codes`` (texts joined by
    NUL), and where each starts."""
    h = _hash_codes(codes, n)
    seps = np.zeros(len(codes) + 1, dtype=np.int32)
    np.cumsum(codes == 0, out=seps[1:])
    keep = seps[SHINGLE : SHINGLE + n] == seps[:n]  # no separator inside the window
    if excluded is not None and len(excluded) and n:
        # A 64K-bit filter first, the exact search only for the few that pass it.
        bitmap = np.zeros(1 << 16, dtype=bool)
        bitmap[excluded & np.uint32(0xFFFF)] = True
        maybe = np.flatnonzero(bitmap[h & np.uint32(0xFFFF)])
        found = np.searchsorted(excluded, h[maybe])
        found[found == len(excluded)] = 0
        hits = maybe[excluded[found] == h[maybe]]
        if len(hits):
            # Shingle p touches a covered character iff an excluded one starts in p-4 .. p+4.
            touched = np.zeros(n + 2 * SHINGLE, dtype=np.int32)
            touched[hits] += 1  # hits are distinct: plain indexing adds each once
            touched[hits + 2 * SHINGLE - 1] -= 1
            near = np.cumsum(touched)[SHINGLE - 1 : SHINGLE - 1 + n] > 0
            keep &= ~near
    positions = np.flatnonzero(keep).astype(np.int64)
    return h[positions], positions


def passage_coverage(
    hashes: list[int], positions: list[int], other: set[int], min_run: int
) -> tuple[int, list[tuple[int, int]]]:
    """Shingles of a text lying in a shared passage of ``min_run`` or more consecutive
    shingles (``other`` is the other text's shingle set), and those passages as
    (position, shingles)."""
    covered = 0
    runs: list[tuple[int, int]] = []
    run = 0
    first = last = -2
    for h, pos in zip(hashes, positions, strict=True):
        if h in other:
            if run and pos == last + 1:
                run += 1
            else:
                if run >= min_run:
                    covered += run
                    runs.append((first, run))
                run = 1
                first = pos
            last = pos
        else:
            if run >= min_run:
                covered += run
                runs.append((first, run))
            run = 0
    if run >= min_run:
        covered += run
        runs.append((first, run))
    return covered, runs


def signatures(shingled: Shingled, lo: I64, hi: I64) -> U16:
    """The densified signatures, folded to 16 bits, of the rows whose shingles are
    ``shingled.hashes[lo[k]:hi[k]]``: made block by block, so that only the 16-bit
    result is ever held for all rows (what the index compares). Two different values
    agree in 16 bits once in 65,536 bins, which moves the estimates by nothing that
    matters; the distance a borrowed value came from is mixed in."""
    out = np.empty((len(lo), BINS), dtype=np.uint16)
    block = np.empty((_BLOCK, BINS), dtype=np.uint32)
    for first in range(0, len(lo), _BLOCK):
        last = min(len(lo), first + _BLOCK)
        part = block[: last - first]
        _sign(shingled.hashes, lo[first:last], hi[first:last], part)
        _densify_block(part)
        out[first:last] = part ^ (part >> np.uint32(16))  # the low 16 bits are kept
    return out


def _sign(hashes: U32, lo: I64, hi: I64, out: U32) -> None:
    """Raw signatures of the segments ``hashes[lo[k]:hi[k]]`` into the rows of ``out``."""
    out.fill(EMPTY)
    index, row = segments(lo, hi - lo)
    if not len(index):
        return
    h = hashes[index]
    np.minimum.at(out.reshape(-1), row * BINS + (h >> _BIN_SHIFT), h & _VALUE_MASK)


def copy_segments(
    target: npt.NDArray[np.generic],
    at: Ints,
    source: npt.NDArray[np.generic],
    lo: Ints,
    lengths: Ints,
) -> None:
    """``target[at[k]:][:lengths[k]] = source[lo[k]:][:lengths[k]]`` for every ``k``: a
    gather of about :data:`_CHUNK` elements at a time, so that its index arrays stay small
    however many elements are copied."""
    ends = np.cumsum(lengths, dtype=np.int64)
    k, n = 0, len(lengths)
    while k < n:
        stop = int(np.searchsorted(ends, ends[k] - lengths[k] + _CHUNK, side="right"))
        stop = min(max(stop, k + 1), n)
        part = lengths[k:stop]
        target[spans(at[k:stop], part)] = source[spans(lo[k:stop], part)]
        k = stop


def spans(lo: Ints, lengths: Ints) -> I64:
    """The indexes of the segments ``[lo[k], lo[k] + lengths[k])`` one after another."""
    firsts = np.cumsum(lengths, dtype=np.int64) - lengths
    where: I64 = np.arange(int(lengths.sum()), dtype=np.int64)
    where += np.repeat(lo - firsts, lengths)
    return where


def segments(lo: Ints, lengths: Ints) -> tuple[I64, I64]:
    """Indexes of the segments ``[lo[k], lo[k] + lengths[k])`` one after another, and the
    segment ``k`` each belongs to."""
    owner = np.repeat(np.arange(len(lo), dtype=np.int64), lengths)
    return spans(lo, lengths), owner


def first_of_runs(ordered: npt.NDArray[np.generic]) -> npt.NDArray[np.bool_]:
    """In a sorted array, whether each value is the first of its run of equal values."""
    first = np.ones(len(ordered), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    return first


def densify(raw: U32, out: U32 | None = None) -> U32:
    """Fill each empty bin from the next non-empty bin to its right, circularly (rotation),
    marking how far it came from (see :func:`_densify_block`); in blocks of rows."""
    if out is None:
        out = raw.copy()
    elif out is not raw:
        out[...] = raw
    for lo in range(0, len(out), _BLOCK):
        _densify_block(out[lo : lo + _BLOCK])
    return out


_BLOCK = 1 << 9
"""Rows per block: small temporaries are reused, not newly mapped."""
_COLUMN = np.arange(BINS, dtype=np.int16)


def _densify_block(block: U32) -> None:
    """Densify ``block`` in place.

    A reversed running minimum along each row of the filled bins' numbers (an
    empty bin counts as its number plus 256, past every filled one) gives, for
    every bin, the next filled bin at or after it; a bin with none after it takes
    its row's first filled bin, one turn further. A filled bin is its own source
    at distance 0, so every bin is one gather; rows with no filled bin stay empty.
    Arithmetic and a flat gather only: masked copies and ``where`` over a
    broadcast row cost several times as much."""
    empty = block == EMPTY
    if not empty.any():
        return
    coded = (empty.view(np.uint8).astype(np.int16) << np.int16(8)) | _COLUMN
    after = np.minimum.accumulate(coded[:, ::-1], axis=1)[:, ::-1]
    source = np.minimum(after, after[:, :1] + np.int16(BINS))
    rows = len(block)
    flat = (source & np.int16(BINS - 1)).astype(np.intp)
    flat += _ROW_START[:rows]
    values = block.reshape(-1)[flat.reshape(-1)].reshape(rows, BINS)
    values |= (source - _COLUMN).astype(np.uint32) << np.uint32(_VALUE_BITS)
    values[after[:, 0] >= BINS] = EMPTY  # no filled bin at all
    block[...] = values


_ROW_START = (np.arange(_BLOCK, dtype=np.intp) * BINS)[:, None]


class Signatures:
    """The signatures of many rows, kept block by block as they are made: in memory up
    to :data:`SIGNATURES_IN_MEMORY` bytes, then in a temporary file (:class:`.spill.Spill`).

    A block is kept by columns, in band order (band 0's :data:`ROWS` bins, then band 1's,
    …), so that the bins of one band are one read per block. Each step reads back only
    the few columns it works on: no matrix of every row is ever held."""

    def __init__(self) -> None:
        self._spill = Spill(SIGNATURES_IN_MEMORY)
        self._rows = [0]

    @classmethod
    def of(cls, blocks: list[U16]) -> Signatures:
        """Signatures holding ``blocks``, one after another."""
        out = cls()
        for block in blocks:
            out.append(block)
        return out

    def append(self, block: U16) -> None:
        """Add the signatures of the next rows."""
        if not len(block):
            return
        self._rows.append(self._rows[-1] + len(block))
        self._spill.append(np.asarray(block, dtype=np.uint16)[:, _BAND_ORDER].T)

    def __len__(self) -> int:
        return self._rows[-1]

    def close(self) -> None:
        """Let go of the signatures (and delete the temporary file)."""
        self._spill.close()

    def columns(self, bins: list[int]) -> U16:
        """The ``bins`` of every row, one contiguous row per bin."""
        out = np.empty((len(bins), len(self)), dtype=np.uint16)
        places = [int(_PLACE[b]) for b in bins]
        # Bins next to each other in band order are one read.
        runs = [k for k in range(len(places)) if k == 0 or places[k] != places[k - 1] + 1]
        for number, (lo, hi) in enumerate(itertools.pairwise(self._rows)):
            rows = hi - lo
            for first, last in itertools.pairwise([*runs, len(places)]):
                start = places[first] * rows
                got = self._spill.read(number, start, start + (last - first) * rows)
                out[first:last, lo:hi] = got.reshape(last - first, rows)
        return out

    def agreement(self, pairs: I64) -> npt.NDArray[np.float64]:
        """For each pair of rows, the share of bins in which their signatures agree (the
        estimate of their Jaccard similarity); :data:`_BINS_AT_ONCE` columns at a time."""
        count = np.zeros(len(pairs), dtype=np.uint8)  # at most BINS (128)
        a, b = pairs[:, 0], pairs[:, 1]
        for first in range(0, BINS, _BINS_AT_ONCE):
            for column in self.columns(_BAND_ORDER[first : first + _BINS_AT_ONCE]):
                count += column[a] == column[b]
        share: npt.NDArray[np.float64] = count / BINS
        return share


_BAND_ORDER = [r for band in range(BANDS) for r in range(band, BINS, BANDS)]
"""The bins band by band: a band's rows are :data:`BANDS` apart (see
:func:`candidate_pairs`)."""
_PLACE = np.argsort(np.array(_BAND_ORDER))
"""Where each bin is in band order."""
_BINS_AT_ONCE = 8
SIGNATURES_IN_MEMORY = 8 << 20
"""Bytes of signatures held in memory before they go to a temporary file (about
130,000 rows: a bureau of some 13,000 people)."""


def candidate_pairs(sig: Signatures, space: Ints) -> npt.NDArray[np.int64]:
    """Index pairs (i < j, one per row) of texts in the same ``space`` that agree in some
    LSH band. A band value shared by very many texts (the same text handed in by many
    people) links each to its next :data:`_FULL_RUN` neighbours, not all with all."""
    found: list[I64] = [np.zeros(0, dtype=np.int64)]
    n = len(sig)
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    salt = space.astype(np.uint64) * _MIX2
    # Each text's band key keeps its top bits; the low bits hold the text's index, so
    # one plain sort orders by key and then by index (the same order on every machine).
    bits = max(1, (n - 1).bit_length())
    low = np.uint64((1 << bits) - 1)
    ids = np.arange(n, dtype=np.uint64)
    pending = 0
    for band in range(BANDS):
        # The pairs so far, each once, as soon as the new ones outnumber them: a pair is
        # found in many bands, and its repeats are never held for long.
        if pending > max(len(found[0]), _PENDING):
            found = [_distinct_pairs(found, n)]
            pending = 0
        # A band's rows are BANDS apart, not adjacent: densification copies a value
        # into the empty bins to its left, so adjacent bins of a short text often hold
        # one shingle's value, and a band of them would hinge on that one shingle.
        key = salt.copy()
        for column in sig.columns(_BAND_ORDER[band * ROWS : (band + 1) * ROWS]):
            key ^= column
            key *= _MUL
            key ^= key >> np.uint64(29)
        # In place: a few arrays of one number per row are all a band holds.
        key &= ~low
        key |= ids
        key.sort()
        order = (key & low).view(np.int64)  # an index fits in 63 bits
        key >>= np.uint64(bits)
        ordered = key
        # Every pair within a run of equal keys, but only up to _FULL_RUN apart in
        # sorted order: a run of thousands (one text handed in by many people)
        # then costs a chain of windows, not all pairs.
        for k in range(1, _FULL_RUN):
            same = np.flatnonzero(ordered[k:] == ordered[:-k])
            if not len(same):
                break
            a, b = order[same], order[same + k]
            found.append(np.minimum(a, b) * n + np.maximum(a, b))
            pending += len(same)
    del key, order, ordered
    keys = _distinct_pairs(found, n)
    del found
    out = np.empty((len(keys), 2), dtype=np.int64)
    np.floor_divide(keys, n, out=out[:, 0])
    np.remainder(keys, n, out=out[:, 1])
    return out


def _distinct_pairs(found: list[I64], n: int) -> I64:
    """The pair keys ``i * n + j`` (i < j) of ``found`` once each, ascending."""
    if not found:
        return np.zeros(0, dtype=np.int64)
    keys = np.concatenate(found)
    keys.sort()
    distinct: I64 = keys[first_of_runs(keys)]
    return distinct
