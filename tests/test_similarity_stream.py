"""雷同检查 reads the materials in blocks and compares candidates in chunks: neither
changes a result. Whatever the block and chunk sizes, the pairs (with their scores,
passages and texts), the counts and the template pairs are the same; the original
texts are read again only for the parties a pair shows; signatures written to disk
block by block give the same columns and agreements as one matrix; what goes to a
temporary file (a spill) reads back as it went in; and the LSH
candidates are the rows that agree in some band."""

from __future__ import annotations

import random
from collections.abc import Collection, Iterator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfcheck.similarity import allocator, detect, sketch, table
from selfcheck.similarity.detect import Template, find_pairs
from selfcheck.similarity.materials import Material, MaterialSource, fields_of
from selfcheck.similarity.model import Party
from selfcheck.similarity.spill import Spill

PIECES = [
    "在滨河路雨污分流工程的竣工验收中只看了施工方报来的台账",
    "没有下到检查井里看接口结果两个月后主管道渗漏",
    "附近七户居民家中返水群众打了三次热线才有人去现场",
    "对科室报来的材料签字前没有逐项核对数字和附件",
    "年初定下的调研计划只完成了一半原因是自己怕麻烦",
    "去年整改台账里的三项措施至今没有销号也没有说明",
    "开会传达文件多结合本单位实际研究少会后没有跟踪",
    "对新入职同志的业务指导停留在发材料没有手把手带",
]


def _plan():  # type: ignore[no-untyped-def]
    from selfcheck.checklist.registry import resolve_checklist
    from selfcheck.summary.plan import plan_from_checklist

    return plan_from_checklist(resolve_checklist(None))


def _bureau(people: int, seed: int) -> list[Material]:
    """Honest people write their own mix of pieces with their own words around them;
    every fifth copies the answers of the person half as far down the list."""
    rng = random.Random(seed)
    fields = sorted(fields_of(_plan()).values())[:6]
    out: list[Material] = []
    for n in range(people):
        party = Party(f"人{n}", f"科{n % 3}", f"科{n % 3}/人{n}.json", "response")
        if n % 5 == 4 and out:
            source = out[n // 2]
            out.append(Material(party, [(f, t + "此外我还有不足") for f, t in source.texts]))
            continue
        texts = []
        for f in rng.sample(fields, rng.randint(0, 4)):
            own = "".join(chr(0x4E00 + rng.randrange(20000)) for _ in range(rng.randint(5, 60)))
            texts.append((f, own + rng.choice(PIECES) + own[::-1]))
        out.append(Material(party, texts))
    return out


class Counting(MaterialSource):
    """A source that counts how often, and which, materials are read again."""

    def __init__(self, materials: list[Material]) -> None:
        self.materials = materials
        self.passes = 0
        self.picked: set[int] = set()

    def __iter__(self) -> Iterator[Material]:
        self.passes += 1
        return iter(self.materials)

    def pick(self, wanted: Collection[int]) -> dict[int, Material]:
        self.picked |= set(wanted)
        return {k: self.materials[k] for k in wanted}


def _run(materials: list[Material], earlier: list[Material]) -> detect.Result:
    # A 范文 that two people drew on, and earlier responses that some copied.
    text = "".join(t for m in materials[:2] for _, t in m.texts) + PIECES[2]
    template = Template(Party("范文一", "", "范文/一.txt", "template"), text)
    return find_pairs(_plan(), materials, earlier=earlier, templates=[template])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_blocks_and_chunks_change_nothing(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    people = _bureau(60, seed)
    earlier = [
        Material(Party(m.party.name, m.party.unit, m.party.file, "earlier"), m.texts)
        for m in people[:15]
    ]
    current = people[15:]
    whole = _run(current, earlier)
    kinds = {p.b.kind for p in whole.pairs}
    assert kinds == {"response", "earlier", "template"}, "every kind of pair must occur"
    monkeypatch.setattr(table, "BLOCK_PARTIES", 7)
    monkeypatch.setattr(detect, "_CHUNK_SHINGLES", 50)
    # Everything kept between the steps goes to temporary files, and texts are gathered
    # again a few characters at a time.
    monkeypatch.setattr(table, "CODES_IN_MEMORY", 0)
    monkeypatch.setattr(table, "PIECES_IN_MEMORY", 0)
    monkeypatch.setattr(sketch, "SIGNATURES_IN_MEMORY", 0)
    monkeypatch.setattr(sketch, "_CHUNK", 40)
    small = _run(current, earlier)
    assert small.pairs == whole.pairs
    assert (small.compared, small.no_text, small.earlier, small.candidates) == (
        whole.compared,
        whole.no_text,
        whole.earlier,
        whole.candidates,
    )


def test_originals_are_read_once_and_then_only_for_what_is_shown() -> None:
    people = _bureau(40, 7)
    source = Counting(people)
    result = find_pairs(_plan(), source)
    assert source.passes == 1
    number = {m.party.file: k for k, m in enumerate(people)}
    shown = {number[p.file] for pair in result.pairs for p in (pair.a, pair.b)}
    assert shown and source.picked == shown
    for pair in result.pairs:  # the texts shown are the originals, not the normalised ones
        a = people[number[pair.a.file]]
        texts = dict(a.texts)
        expected = "\n".join(t for _, t in a.texts) if pair.field == "whole" else texts[pair.field]
        assert pair.a_text == expected


@pytest.mark.parametrize("in_memory", [0, 1 << 20])
def test_signatures_on_disk_read_as_one_matrix(
    in_memory: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sketch, "SIGNATURES_IN_MEMORY", in_memory)
    rng = np.random.default_rng(5)
    blocks = [rng.integers(0, 1 << 16, (n, sketch.BINS), dtype=np.uint16) for n in (3, 0, 5, 1)]
    matrix = np.concatenate(blocks)
    sig = sketch.Signatures.of(blocks)
    assert len(sig) == len(matrix)
    band_3 = list(range(3, sketch.BINS, sketch.BANDS))  # kept side by side
    for bins in ([0, 31, 32, 127], band_3, [*band_3[::-1], *band_3, 0]):
        assert (sig.columns(bins) == matrix[:, bins].T).all()
    pairs = np.array([[8, 0], [3, 3], [7, 2], [1, 6]], dtype=np.int64)
    expected = (matrix[pairs[:, 0]] == matrix[pairs[:, 1]]).mean(axis=1)
    assert (sig.agreement(pairs) == expected).all()
    sig.close()


@settings(max_examples=150, deadline=None)
@given(
    data=st.data(),
    n=st.integers(0, 8),
    blocks=st.lists(st.integers(1, 3), min_size=1, max_size=4),
)
def test_lsh_pairs_are_the_rows_that_agree_in_some_band(
    data: st.DataObject, n: int, blocks: list[int]
) -> None:
    # With at most eight rows every run of equal band keys is linked in full, so the
    # candidates are exactly the pairs of one space that agree in some band, however the
    # signatures are split into blocks and however often pairs are deduplicated.
    values = st.integers(0, 1)
    matrix = np.array(
        [[data.draw(values) for _ in range(sketch.BINS)] for _ in range(n)], dtype=np.uint16
    ).reshape(n, sketch.BINS)
    space = np.array([data.draw(st.integers(0, 1)) for _ in range(n)], dtype=np.int64)
    cuts = np.cumsum(blocks)
    parts = np.split(matrix, cuts[cuts < n])
    got = {tuple(p) for p in sketch.candidate_pairs(sketch.Signatures.of(parts), space).tolist()}
    expected = set()
    for i in range(n):
        for j in range(i + 1, n):
            bands = any(
                all(matrix[i, r] == matrix[j, r] for r in range(band, sketch.BINS, sketch.BANDS))
                for band in range(sketch.BANDS)
            )
            if space[i] == space[j] and bands:
                expected.add((i, j))
    assert got == expected


_WORDS = st.lists(st.integers(min_value=0, max_value=2**32 - 1), max_size=40)


@settings(max_examples=150, deadline=None)
@given(values=_WORDS, table_values=_WORDS)
def test_distinct_and_member_of_agree_with_numpy(
    values: list[int], table_values: list[int]
) -> None:
    """The set helpers that stand in for ``np.unique`` and ``np.isin`` give their results."""
    a = np.array(values, dtype=np.uint32)
    t = np.array(table_values, dtype=np.uint32)
    assert sketch.distinct(a).tolist() == np.unique(a).tolist()
    assert sketch.distinct(a).dtype == a.dtype
    pairs = np.array(values[: len(values) // 2 * 2], dtype=np.int64).reshape(-1, 2)
    assert sketch.distinct(pairs).tolist() == np.unique(pairs).tolist()
    table_sorted = sketch.distinct(t)
    assert sketch.member_of(a, table_sorted).tolist() == np.isin(a, t).tolist()


_PARTS = st.lists(
    st.tuples(st.sampled_from(["u2", "u4", "i8"]), st.lists(st.integers(0, 60_000), max_size=30)),
    max_size=6,
)


@settings(max_examples=100, deadline=None)
@given(parts=_PARTS, budget=st.sampled_from([0, 64, 1 << 20]), data=st.data())
def test_a_spill_gives_back_what_was_put_in(
    parts: list[tuple[str, list[int]]], budget: int, data: st.DataObject
) -> None:
    """In memory or in its file, a part reads back whole or by any range, also after its
    pages were handed back, and the file goes once it is closed."""
    arrays = [np.array(values, dtype=dtype) for dtype, values in parts]
    spill = Spill(budget)
    assert [spill.append(a) for a in arrays] == list(range(len(arrays)))
    assert spill.nbytes == sum(a.nbytes for a in arrays)
    assert spill.on_disk == (spill.nbytes > budget)
    for number, a in enumerate(arrays):
        lo = data.draw(st.integers(0, len(a)))
        hi = data.draw(st.integers(lo, len(a)))
        got = spill.read(number, lo, hi)
        assert got.dtype == a.dtype and got.tolist() == a[lo:hi].tolist()
    for number, a in enumerate(arrays):
        assert spill.part(number).tolist() == a.tolist()
        spill.release(number)
        assert spill.part(number).tolist() == a.tolist()
    spill.close()


@settings(max_examples=100, deadline=None)
@given(
    lengths=st.lists(st.integers(0, 9), max_size=12),
    chunk=st.integers(1, 20),
    seed=st.integers(0, 100),
)
def test_segments_are_copied_as_one_by_one(lengths: list[int], chunk: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    size = np.array(lengths, dtype=np.int64)
    source = rng.integers(1, 1 << 16, 200, dtype=np.uint16)
    lo = np.array([rng.integers(0, 200 - n + 1) for n in lengths], dtype=np.int64)
    at = sketch.starts_of(size)[:-1]
    target = np.zeros(int(size.sum()) + len(lengths), dtype=np.uint32)
    expected = target.copy()
    for k, n in enumerate(lengths):
        expected[at[k] : at[k] + n] = source[lo[k] : lo[k] + n]
    old = sketch._CHUNK
    sketch._CHUNK = chunk
    try:
        sketch.copy_segments(target, at, source, lo, size)
    finally:
        sketch._CHUNK = old
    assert target.tolist() == expected.tolist()


def test_the_allocator_is_tuned_where_it_is_glibc() -> None:
    import ctypes
    import sys

    took = allocator.reuse_freed_pages()
    glibc = sys.platform.startswith("linux") and hasattr(ctypes.CDLL(None), "gnu_get_libc_version")
    assert took == glibc
    assert allocator.reuse_freed_pages() == took  # once per process
