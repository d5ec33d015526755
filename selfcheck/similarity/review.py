"""雷同 warnings for ``selfcheck review DIR --list``: the summary's detector, per file.

The files are read by the same bulk reader as ``--compare-with``
(:func:`~selfcheck.similarity.sources.earlier_records`: newest per person) and
compared by the same :func:`~selfcheck.similarity.detect.find_pairs` as the
summary; each file gets one line, its highest band, naming the other party and
the field. The wording is evidence to compare, never a verdict.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from selfcheck.similarity.model import BANDS, Pair, Party


def review_warnings(paths: Sequence[Path], dirs: Sequence[Path] = ()) -> Mapping[str, list[str]]:
    """``{str(path): [message]}``: the highest 雷同 band of every file in some pair."""
    from selfcheck.similarity.detect import find_pairs
    from selfcheck.similarity.materials import fields_of, material_of
    from selfcheck.similarity.phrases import load_stock_phrases
    from selfcheck.similarity.render import field_label, pct
    from selfcheck.similarity.sources import earlier_records
    from selfcheck.summary.plancache import load_plan
    from selfcheck.textsafe import display_name

    if len(paths) < 2:
        return {}
    plan = load_plan(None, list(dirs))
    got = earlier_records(list(paths), plan)
    fields = fields_of(plan)
    materials = [material_of(r, fields, "response") for r in got.records]
    result = find_pairs(plan, materials, stock_phrases=load_stock_phrases())
    best: dict[str, tuple[Pair, Party]] = {}
    for pair in result.pairs:
        for me, other in ((pair.a, pair.b), (pair.b, pair.a)):
            if me.kind != "response":
                continue
            held = best.get(me.file)
            if held is None or _rank(pair) > _rank(held[0]):
                best[me.file] = (pair, other)
    by_display = {display_name(str(p)): str(p) for p in paths}
    out: dict[str, list[str]] = {}
    for file, (pair, other) in best.items():
        message = (
            f"雷同检查：与 {other.label()} 的“{field_label(plan, pair.field)}”"
            f"重合 {pct(pair.score)}（{pair.band}），请比对后判断"
        )
        out[by_display.get(file, file)] = [message]
    return out


def _rank(pair: Pair) -> tuple[int, float]:
    return (BANDS.index(pair.band), pair.score)
