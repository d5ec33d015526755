"""Planted copies for ``selfcheck demo --copies``: who copied whom, kept in an answer key.

A copier's flagged items become the source's, each free text disguised by
:func:`selfcheck.summary.demo_texts.disguise`; the copier's other items are
rated without a problem. The responses themselves carry no trace of this: the
answer key (``雷同答案.json`` beside the roster) is the only record.
"""

from __future__ import annotations

import json
import random
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from selfcheck import rules
from selfcheck.atomicio import write_bytes_atomic
from selfcheck.similarity.materials import COMPARED_MEANINGS
from selfcheck.summary.demo_texts import disguise

if TYPE_CHECKING:
    from selfcheck.checklist.model import Checklist
    from selfcheck.response import Answer, Response

_POOL = 300


class Planter:
    """Decides, response by response, whether to replace its texts with a disguised copy."""

    def __init__(self, seed: int, share: float, checklist: Checklist) -> None:
        self._rng = random.Random(seed * 7919 + 17)
        self._share = share
        self._pool: dict[str, deque[tuple[Response, str]]] = {}
        self._key: list[dict[str, Any]] = []
        self._owed = 0
        self._fine: dict[str, str] = {}
        self._texts: dict[str, tuple[str, ...]] = {}
        for item in _items(checklist):
            rating = rules.rating_question(item.questions)
            if rating is None or not rating.options:
                continue
            fine = next((o.value for o in rating.options if not o.problem), None)
            if fine is not None:
                self._fine[item.id] = fine
            self._texts[item.id] = tuple(
                q.id for q in item.questions if q.meaning in COMPARED_MEANINGS
            )

    def offer(self, response: Response, file: str) -> Response:
        """``response`` as it is, or with another person's texts disguised (recorded)."""
        role = response.respondent.role
        pool = self._pool.setdefault(role, deque(maxlen=_POOL))
        flagged = _flagged(response)
        if self._rng.random() < self._share:
            self._owed += 1  # paid as soon as someone of this role can be copied
        if pool and self._owed:
            self._owed -= 1
            source, source_file = self._rng.choice(list(pool))
            return self._copy(response, file, source, source_file)
        if flagged:
            pool.append((response, file))
        return response

    def _copy(self, response: Response, file: str, source: Response, source_file: str) -> Response:
        source_flagged = _flagged(source)
        answers: dict[str, dict[str, Answer]] = {}
        for item_id, given in response.answers.items():
            if item_id in source_flagged:
                copied = dict(source.answers[item_id])
                for qid in self._texts.get(item_id, ()):
                    value = copied.get(qid)
                    if isinstance(value, str) and value:
                        copied[qid] = disguise(self._rng, value)
                answers[item_id] = copied
            elif item_id in self._fine and len(given) > 1:
                rating = next(iter(given))
                answers[item_id] = {rating: self._fine[item_id]}
            else:
                answers[item_id] = given
        kept = [e for e in response.rectification if e.item in source_flagged]
        who, src = response.respondent, source.respondent
        self._key.append(
            {
                "copier": {"unit": who.unit, "name": who.name, "file": file},
                "source": {"unit": src.unit, "name": src.name, "file": source_file},
                "items": sorted(source_flagged),
            }
        )
        return msgspec.structs.replace(response, answers=answers, rectification=kept)

    def write_key(self, path: Path) -> int:
        """Write the answer key; return how many copies were planted."""
        data = {
            "说明": "演示数据中故意抄改他人文字的答卷（copier 抄改自 source）。"
            "仅供检验雷同检查，答卷文件本身不含此信息。",
            "planted": self._key,
        }
        write_bytes_atomic(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
        return len(self._key)


def _flagged(response: Response) -> set[str]:
    """Items where the person wrote free text (more than the rating)."""
    return {item_id for item_id, given in response.answers.items() if len(given) > 1}


def _items(checklist: Checklist) -> list[Any]:
    return [item for section in checklist.sections for item in section.items]
