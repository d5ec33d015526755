"""The 雷同检查 result as plain data: parties, pairs, bands, and what a summary JSON carries.

No numpy here: the summary JSON schema (:mod:`selfcheck.summary.records`)
imports these structs.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

BANDS = ("提醒", "建议退回", "重点审核")
"""The bands, mildest first. None of them is a verdict: a person reads the evidence."""
WHOLE = "whole"
"""The ``field`` of a pair compared over each person's whole material."""

PartyKind = Literal["response", "earlier", "template"]
KIND_LABELS = {"response": "本次答卷", "earlier": "往次答卷", "template": "范文"}


class Party(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One side of a pair: a person's response (this time or earlier) or a template text."""

    name: str
    unit: str
    file: str
    kind: PartyKind = "response"

    def label(self) -> str:
        """``单位 姓名`` (or the template's file name), with 往次/范文 noted."""
        if self.kind == "template":
            return f"范文《{self.name}》"
        who = f"{self.unit} {self.name}".strip()
        return f"{who}（往次答卷）" if self.kind == "earlier" else who


class Thresholds(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Lower bounds of 提醒, 建议退回, 重点审核 on the score, for single fields and whole materials.

    The score is the share of a text's shingles that lie in passages of at
    least :attr:`min_passage` characters also found in the other text (the
    larger of the two shares), after stock phrases and the checklist's wording
    are removed: what thesis checks call 复制比, counted the way they count
    (runs of 13 characters). Defaults (docs/similarity.md): whole materials
    start at 30 %, where thesis checks (15 / 30 / 50 % bands) ask for revision
    and a recheck; 50 %, the thesis fail line, is 建议退回; 70 %, the usual
    MinHash near-duplicate level for 5-gram Jaccard, is 重点审核. A single
    answer is short and coincides more easily, so it is listed only from the
    near-duplicate level 0.7 up (0.85 建议退回, 0.95 重点审核).
    """

    field: tuple[float, float, float] = (0.7, 0.85, 0.95)
    whole: tuple[float, float, float] = (0.3, 0.5, 0.7)
    min_shared_field: int = 8
    """Shingles two answers must share (8 shingles ≈ one 12-character passage)."""
    min_shared_whole: int = 16
    """Shingles two whole materials must share (≈ one 20-character passage)."""
    min_passage: int = 13
    """Characters a shared passage needs to count (CNKI-style checks count runs of 13)."""

    def band(self, field: str, score: float) -> str | None:
        """The band of ``score`` for this kind of field, or None below the lowest."""
        bounds = self.whole if field == WHOLE else self.field
        found = None
        for name, bound in zip(BANDS, bounds, strict=True):
            if score >= bound:
                found = name
        return found


class Pair(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Two texts that share passages: the evidence, never a verdict."""

    a: Party
    b: Party
    field: str
    score: float
    band: str
    jaccard: float
    shared: int
    passages: list[str] = msgspec.field(default_factory=list)
    a_text: str = ""
    b_text: str = ""

    def to_json(self) -> dict[str, Any]:
        """The JSON contract: a, b ({name, unit, file, kind}), field, score, band, evidence."""
        return {
            "a": msgspec.to_builtins(self.a),
            "b": msgspec.to_builtins(self.b),
            "field": self.field,
            "score": round(self.score, 4),
            "band": self.band,
            "jaccard": round(self.jaccard, 4),
            "shared_shingles": self.shared,
            "passages": self.passages,
        }


class LeanProblem(msgspec.Struct, frozen=True):
    """The texts of a record's problem row, and nothing else (decoded from the spool)."""

    item: str
    problem: str = ""
    cause: str = ""
    measure: str = ""


class LeanRecord(msgspec.Struct, frozen=True):
    """What 雷同检查 reads of a summary record: who, which file, the problem rows."""

    unit: str
    name: str
    file: str
    problems: list[LeanProblem] = msgspec.field(default_factory=list)
    carried: list[str] = msgspec.field(default_factory=list)
    """Items carried over from the person's previous round (:attr:`Record.carried`)."""


class SignatureKey(msgspec.Struct, frozen=True, forbid_unknown_fields=True, array_like=True):
    """Whose text a signature was (read from unit summaries of earlier versions only)."""

    file: str
    field: str


class SimilarityData(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """What a unit summary JSON carries so that ``rollup`` finds pairs across units.

    The records already hold every compared text, so ``rollup`` recomputes the
    signatures from them (as fast as reading them back would be); what it cannot
    recompute are the pairs with earlier responses and templates, whose texts stay
    with the unit: those are carried in ``external``."""

    params: dict[str, Any] = msgspec.field(default_factory=dict)
    thresholds: Thresholds = msgspec.field(default_factory=Thresholds)
    keys: list[SignatureKey] = msgspec.field(default_factory=list)
    """Earlier versions carried signatures here; read and ignored."""
    signatures: str = ""
    """Earlier versions carried signatures here; read and ignored."""
    external: list[dict[str, Any]] = msgspec.field(default_factory=list)
    """Pairs with earlier responses or templates (their texts are not in the summary)."""
    skipped_templates: list[dict[str, str]] = msgspec.field(default_factory=list)
