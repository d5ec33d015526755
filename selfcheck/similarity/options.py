"""What ``selfcheck summary`` asks of 雷同检查: ``--compare-with``, ``--templates``,
``--stock-phrases`` and the thresholds.

Kept apart from :mod:`.api` so that parsing the command line (and ``--no-similarity``)
imports nothing of the comparison itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from selfcheck.similarity.model import Thresholds


@dataclass
class SimilarityOptions:
    """``--compare-with``, ``--templates``, ``--stock-phrases`` and the thresholds."""

    compare_with: list[Path] = field(default_factory=list)
    templates: Path | None = None
    stock_phrases: Path | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)

    @classmethod
    def from_flags(
        cls,
        off: bool,
        compare_with: list[Path],
        templates: Path | None,
        stock_phrases: Path | None,
    ) -> SimilarityOptions | None:
        """The options of ``selfcheck summary``; None for ``--no-similarity``."""
        if off:
            return None
        return cls(list(compare_with), templates, stock_phrases)
