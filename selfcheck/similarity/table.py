"""The comparison table: every party's texts, sketched block by block.

Materials are read once, a block of parties at a time: each block's texts are
normalised, shingled and signed, and then only the normalised text (for the
passages shown), each text's size and the rows' signatures are kept; the text and
the signatures in memory up to a budget each, beyond it in a temporary file
(:mod:`.spill`), so that a large folder takes a few bytes per text and row. The
shingles of a whole folder are never held at once, nor the original texts:
the few texts a report shows are fetched from the materials again
(:meth:`.materials.MaterialSource.pick`), and the exact comparison re-shingles only the
texts of its candidate rows (:meth:`Sketches.shingle`). Shingling depends on a
text alone, so a text shingled again has the very shingles it was signed with.

A row is what the index compares: a text long enough (``space`` = its field's
number) or a party's whole material (``space`` 0: all its texts, short ones
included). Rows of a block come in text order, then that block's whole
materials in party order; within a space that is the order of the texts.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from selfcheck.similarity import sketch
from selfcheck.similarity.materials import MaterialSource, Texts
from selfcheck.similarity.model import Thresholds
from selfcheck.similarity.normalise import normalise_many
from selfcheck.similarity.spill import Spill

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
"""What the table keeps per text and per row: 32 bits are enough for any number in it
(text and row numbers, positions within a block) and take half the memory."""
U32 = npt.NDArray[np.uint32]

BLOCK_PARTIES = 2048
"""Parties sketched at a time: their shingles are the only ones held."""
CODES_IN_MEMORY = 8 << 20
"""Bytes of normalised code points held in memory before they go to a temporary file
(some 30,000 people's texts)."""
PIECES_IN_MEMORY = 4 << 20
"""Bytes of per-text and per-row numbers held in memory during the pass (some 6,000
people's) before they go to a temporary file."""


@dataclass
class Sketches:
    """What is kept of every text and row after the one pass (see the module docstring)."""

    excluded: U32
    parties: int
    """How many parties."""
    current: int
    """Parties of the first source (this time's); the rest are earlier ones."""
    first: I32
    """Party ``p``'s texts are texts ``first[p]:first[p+1]``."""
    field_names: list[str]
    """Field ids by number (0: the whole material)."""
    text_field: I32
    """Field number of each text (the space of its row)."""
    text_size: I32
    """Kept shingles of each text."""
    template_hits: I32
    """Shingles of each text found in some template (0 without templates)."""
    codes: Spill
    """Each block's normalised texts joined (:func:`sketch.join_texts`), as code points
    (16 bits each unless a text holds a character beyond the BMP), one part per block:
    in memory up to :data:`CODES_IN_MEMORY` bytes, then in a temporary file."""
    text_block: I32
    text_start: I32
    text_end: I32
    """Where each normalised text lies in its block."""
    row_space: I32
    """0 for a whole material, else the field's number: only rows of one space meet."""
    row_party: I32
    row_texts: I32
    """First and last text (exclusive) of each row, as rows of two."""
    signatures: sketch.Signatures

    @property
    def row_size(self) -> I64:
        """Kept shingles of each row."""
        total = np.zeros(len(self.text_size) + 1, dtype=np.int64)
        np.cumsum(self.text_size, out=total[1:])
        size: I64 = total[self.row_texts[:, 1]] - total[self.row_texts[:, 0]]
        return size

    def field_of(self, text: int) -> str:
        """The field id of text number ``text``."""
        return self.field_names[int(self.text_field[text])]

    def shingle(self, texts: I64) -> sketch.Shingled:
        """The kept shingles of ``texts`` (ascending text numbers), shingled again from
        the kept code points (gathered block by block, no Python loop over texts)."""
        lengths = self.text_end[texts] - self.text_start[texts]
        starts = sketch.starts_of(lengths)
        codes = np.zeros(int(starts[-1]) + sketch.SHINGLE, dtype=np.uint32)
        which = self.text_block[texts]
        edges = [*np.flatnonzero(sketch.first_of_runs(which)).tolist(), len(texts)]
        for lo, hi in itertools.pairwise(edges):
            number = int(which[lo])
            sketch.copy_segments(
                codes,
                starts[lo:hi],
                self.codes.part(number),
                self.text_start[texts[lo:hi]],
                lengths[lo:hi],
            )
            self.codes.release(number)
        return sketch.shingle_codes(codes, starts, self.excluded)


class _Builder:
    """The per-block pieces of :class:`Sketches`, joined once after the pass.

    The pieces are kept like the code points (:class:`.spill.Spill`, beyond
    :data:`PIECES_IN_MEMORY` bytes in a temporary file), and the joined arrays are
    made once every block's temporaries are gone. A piece held in memory between
    blocks would sit among those temporaries, and the allocator could then hand
    none of their memory back; for the same reason no Python numbers or lists
    that grow per text are kept."""

    def __init__(self, excluded: U32) -> None:
        self.excluded = excluded
        self.parties = 0
        self.texts = 0
        self.field_codes: dict[str, int] = {}
        self.codes = Spill(CODES_IN_MEMORY)
        self.signatures = sketch.Signatures()
        self.pieces = Spill(PIECES_IN_MEMORY)
        self.parts: dict[str, list[tuple[int, int]]] = {name: [] for name in _PIECES}
        self.add("first", np.zeros(1, dtype=np.int64))

    def add(self, name: str, part: npt.NDArray[np.generic]) -> None:
        """Keep the next piece of the array ``name``."""
        kept = part.astype(_PIECES[name].dtype, copy=False)
        self.parts[name].append((self.pieces.append(kept), len(kept)))

    def done(self, current: int) -> Sketches:
        """The sketches, the pieces joined."""
        joined = {name: self._join(name, empty) for name, empty in _PIECES.items()}
        self.pieces.close()
        names = ["", *self.field_codes]
        return Sketches(
            excluded=self.excluded,
            parties=self.parties,
            current=current,
            field_names=names,
            codes=self.codes,
            signatures=self.signatures,
            **joined,  # type: ignore[arg-type]
        )

    def _join(self, name: str, empty: npt.NDArray[np.generic]) -> npt.NDArray[np.generic]:
        parts = self.parts[name]
        shape = empty.shape[1:]
        out = np.empty((sum(length for _, length in parts), *shape), dtype=empty.dtype)
        width = out[:1].size if len(out) else 1
        at = 0
        for number, length in parts:
            out[at : at + length] = self.pieces.read(number, 0, length * width).reshape(
                length, *shape
            )
            at += length
        return out


_NONE = np.zeros(0, dtype=np.int32)
_PIECES: dict[str, npt.NDArray[np.generic]] = {
    "first": _NONE,
    "text_field": _NONE,
    "text_size": _NONE,
    "template_hits": _NONE,
    "text_block": _NONE,
    "text_start": _NONE,
    "text_end": _NONE,
    "row_space": _NONE,
    "row_party": _NONE,
    "row_texts": np.zeros((0, 2), dtype=np.int32),
}


def sketch_all(
    current: MaterialSource,
    earlier: MaterialSource,
    excluded: U32,
    limits: Thresholds,
    template_hashes: U32 | None = None,
) -> Sketches:
    """One pass over this time's materials, then the earlier ones, in blocks of
    :data:`BLOCK_PARTIES` parties."""
    out = _Builder(excluded)
    ends = []
    for source in (current, earlier):
        block: list[Texts] = []
        for texts in source.texts():
            block.append(texts)
            if len(block) == BLOCK_PARTIES:
                _sketch_block(out, block, limits, template_hashes)
                block = []
        if block:
            _sketch_block(out, block, limits, template_hashes)
        ends.append(out.parties)
    return out.done(ends[0])


def _sketch_block(
    out: _Builder, block: list[Texts], limits: Thresholds, template_hashes: U32 | None
) -> None:
    first_party, first_text = out.parties, out.texts
    codes = out.field_codes
    originals: list[str] = []
    fields: list[int] = []
    counts: list[int] = []
    for texts in block:
        for fid, text in texts:
            fields.append(codes.setdefault(fid, len(codes) + 1))
            originals.append(text)
        counts.append(len(texts))
    out.parties += len(block)
    out.texts += len(originals)
    space = np.array(fields, dtype=np.int64)
    groups = np.zeros(len(block) + 1, dtype=np.int64)
    np.cumsum(counts, out=groups[1:])
    del fields, counts
    out.add("first", groups[1:] + first_text)
    out.add("text_field", space)
    joined, starts = sketch.join_texts(normalise_many(originals))
    del originals
    # Encoded once: shingled from these code points, and kept (16 bits when they fit).
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    del joined
    shingled = sketch.shingle_codes(points, starts, out.excluded)
    n_texts = len(starts) - 1
    narrow = len(points) and int(points.max()) < 1 << 16
    number = out.codes.append(points.astype(np.uint16) if narrow else points)
    out.add("text_block", np.full(n_texts, number, dtype=np.int64))
    out.add("text_start", starts[:-1].copy())
    out.add("text_end", starts[1:] - 1)
    sizes = shingled.sizes()
    out.add("text_size", sizes)
    if template_hashes is not None and len(template_hashes) and n_texts:
        hit = sketch.member_of(shingled.hashes, template_hashes)
        owner = np.repeat(np.arange(n_texts, dtype=np.int64), sizes)
        out.add("template_hits", np.bincount(owner[hit], minlength=n_texts))
    else:
        out.add("template_hits", np.zeros(n_texts, dtype=np.int64))
    # Field rows (the texts long enough), then whole materials.
    owner_of = np.repeat(
        np.arange(first_party, first_party + len(block), dtype=np.int64), groups[1:] - groups[:-1]
    )
    text_index = np.arange(first_text, first_text + n_texts, dtype=np.int64)
    active = np.flatnonzero(sizes >= limits.min_shared_field)
    bounds = shingled.bounds
    whole_lo, whole_hi = bounds[groups[:-1]], bounds[groups[1:]]
    whole = np.flatnonzero(whole_hi - whole_lo >= limits.min_shared_whole)
    out.add("row_space", np.concatenate([space[active], np.zeros(len(whole), dtype=np.int64)]))
    out.add("row_party", np.concatenate([owner_of[active], whole + first_party]))
    out.add(
        "row_texts",
        np.concatenate(
            [
                np.stack([text_index[active], text_index[active] + 1], axis=1),
                np.stack([groups[whole], groups[whole + 1]], axis=1) + first_text,
            ]
        ),
    )
    lo = np.concatenate([bounds[active], whole_lo[whole]])
    hi = np.concatenate([bounds[active + 1], whole_hi[whole]])
    out.signatures.append(sketch.signatures(shingled, lo, hi))
