"""The vectorised exact comparison of candidate pairs agrees with its plain definition.

For any texts and any pairs of them: the shared count is the size of the
intersection of the two shingle sets, the union the size of their union, and
the score the larger share of either text's shingles lying in runs of
consecutive shared shingles long enough to count (what
:func:`selfcheck.similarity.sketch.passage_coverage` computes one pair at a
time, with Python sets). Chunking of the pairs changes nothing.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfcheck.similarity import detect, sketch
from selfcheck.similarity.model import Thresholds

# A small alphabet makes shared shingles and passages common.
texts_strategy = st.lists(st.text(alphabet="甲乙丙丁戊", min_size=0, max_size=60), min_size=2)


def _reference(
    shingled: sketch.Shingled, i: int, j: int, min_run: int
) -> tuple[int, int, float, list[tuple[int, int]]]:
    sa, sb = shingled.as_set(i), shingled.as_set(j)
    qa, qb = shingled.sequence(i), shingled.sequence(j)
    cov_a, runs = sketch.passage_coverage(qa[0], qa[1], sb, min_run)
    cov_b, _ = sketch.passage_coverage(qb[0], qb[1], sa, min_run)
    score = max(cov_a / len(qa[0]) if qa[0] else 0.0, cov_b / len(qb[0]) if qb[0] else 0.0)
    return len(sa & sb), len(sa | sb), score, runs


def _rows(shingled: sketch.Shingled, limits: Thresholds) -> detect._Rows:
    n = len(shingled)
    return detect._Rows(
        space=np.ones(n, dtype=np.int64),
        party=np.arange(n, dtype=np.int64),
        lo=shingled.bounds[:-1].copy(),
        hi=shingled.bounds[1:].copy(),
        limits=limits,
    )


@settings(max_examples=200, deadline=None)
@given(texts=texts_strategy, data=st.data())
def test_exact_comparison_matches_the_set_definition(texts: list[str], data: st.DataObject) -> None:
    limits = Thresholds(min_passage=data.draw(st.integers(5, 12)))
    shingled = sketch.shingle_texts(texts, None)
    n = len(texts)
    pairs = np.array(
        data.draw(
            st.lists(
                st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(
                    lambda p: p[0] != p[1]
                ),
                max_size=30,
            )
        ),
        dtype=np.int64,
    ).reshape(-1, 2)
    exact = detect._compare(pairs, shingled, _rows(shingled, limits))
    min_run = limits.min_passage - sketch.SHINGLE + 1
    every = exact.runs_of(np.arange(len(pairs), dtype=np.int64))
    for k, (i, j) in enumerate(pairs.tolist()):
        shared, union, score, runs = _reference(shingled, i, j, min_run)
        assert int(exact.shared[k]) == shared
        assert int(exact.union[k]) == union
        assert float(exact.score[k]) == pytest.approx(score)
        assert every[k] == runs


def test_chunks_of_pairs_give_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(7)
    alphabet = np.array(list("甲乙丙丁戊己庚辛"))

    def noise(size: int) -> str:
        return "".join(rng.choice(alphabet, size=size))

    bases = [noise(int(rng.integers(40, 200))) for _ in range(10)]
    # Each text: a stretch of one base text between noise, so that passages are shared.
    texts = []
    for _ in range(60):
        base = bases[int(rng.integers(0, 10))]
        lo = int(rng.integers(0, len(base) // 2))
        texts.append(noise(int(rng.integers(0, 30))) + base[lo:] + noise(int(rng.integers(0, 30))))
    shingled = sketch.shingle_texts(texts, None)
    rows = _rows(shingled, Thresholds())
    pairs = np.array([(i, j) for i in range(60) for j in range(i + 1, 60)], dtype=np.int64)
    whole = detect._compare(pairs, shingled, rows)
    monkeypatch.setattr(detect, "_BUDGET", 64)  # a few pairs per chunk
    chunked = detect._compare(pairs, shingled, rows)
    assert np.array_equal(whole.shared, chunked.shared)
    assert np.array_equal(whole.score, chunked.score)
    every = np.arange(len(pairs), dtype=np.int64)
    assert whole.runs_of(every) == chunked.runs_of(every)
    assert whole.score.any() and len(whole.run_pair)  # the case is not trivial


@settings(max_examples=150, deadline=None)
@given(texts=texts_strategy, data=st.data())
def test_the_cheap_cut_keeps_exactly_the_pairs_sharing_enough(
    texts: list[str], data: st.DataObject
) -> None:
    limits = Thresholds(min_shared_field=data.draw(st.integers(1, 10)))
    shingled = sketch.shingle_texts(texts, None)
    n = len(texts)
    pairs = np.array(
        data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=30)),
        dtype=np.int64,
    ).reshape(-1, 2)
    kept = detect._shared_enough(pairs, shingled, _rows(shingled, limits))
    expected = []
    for i, j in pairs.tolist():
        sa, sb = shingled.as_set(i), shingled.as_set(j)
        shared = len(sa & sb)
        if shared >= limits.min_shared_field and shared >= limits.field[0] * min(len(sa), len(sb)):
            expected.append([i, j])
    assert kept.tolist() == expected
