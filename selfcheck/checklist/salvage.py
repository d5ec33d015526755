"""Best-effort repair of checklist data that failed schema validation.

``validate`` promises every problem in one run. Cross-reference checks
(duplicate ids, unknown scales, ``when`` names, ...) need a validated model, so
when the schema check fails we build a repaired copy: unknown fields are
dropped and every broken list element is replaced by a harmless placeholder
that keeps its position (so later locations still point at the right lines)
and, where it can, its id (so references to it still resolve). The repaired
copy is only used to find more problems; it is never loaded as a checklist.

Where a repair loses something other parts may refer to (a role, scale,
question set or question without a usable id), the matching kind of
reference problem is suppressed, so no spurious message is reported.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from selfcheck.pydantic_messages import clean_loc

_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")

ROLE_REF = "role-ref"
SCALE_REF = "scale-ref"
SET_REF = "set-ref"
WHEN_REF = "when-ref"


@dataclass
class Salvage:
    """The repaired data and the kinds of reference problems to ignore."""

    data: dict[str, Any]
    suppressed: set[str] = field(default_factory=set)


class _Repairer:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.suppressed: set[str] = set()
        self.counter = 0

    def fresh(self) -> str:
        self.counter += 1
        return f"zz-placeholder-{self.counter}"

    def keep_id(self, original: Any, key: str, kind: str | None) -> str:
        """The original element's id if usable; otherwise a fresh one (suppressing ``kind``)."""
        candidate = original.get(key) if isinstance(original, dict) else original
        if isinstance(candidate, str) and _IDENTIFIER.match(candidate) and len(candidate) <= 64:
            return candidate
        if kind:
            self.suppressed.add(kind)
        return self.fresh()

    # ----------------------------------------------------------- placeholders

    def option(self, original: Any) -> dict[str, Any]:
        return {"value": self.keep_id(original, "value", None), "label": "x"}

    def question(self, original: Any) -> dict[str, Any]:
        if isinstance(original, dict) and "use" in original:
            use = original.get("use")
            if isinstance(use, str) and _IDENTIFIER.match(use):
                return {"use": use}
            self.suppressed.add(WHEN_REF)
        return {"id": self.keep_id(original, "id", WHEN_REF), "type": "short_text", "prompt": "x"}

    def item(self, original: Any) -> dict[str, Any]:
        return {
            "id": self.keep_id(original, "id", None),
            "text": "x",
            "questions": [{"id": self.fresh(), "type": "short_text", "prompt": "x"}],
        }

    def section(self, original: Any) -> dict[str, Any]:
        return {"id": self.keep_id(original, "id", None), "title": "x", "items": [self.item(None)]}

    def role(self, original: Any) -> dict[str, Any]:
        return {"id": self.keep_id(original, "id", ROLE_REF), "label": "x"}

    # ------------------------------------------------------------------ repair

    def repair(self, error: Any) -> bool:
        """Apply one repair for one pydantic error; False if it cannot be repaired."""
        loc = clean_loc(tuple(error["loc"]))
        if error["type"] == "extra_forbidden":
            return self._delete(loc)
        if "[key]" in loc:
            at = loc.index("[key]")
            container = loc[: at - 1]
            if container and container[0] == "scales":
                self.suppressed.add(SCALE_REF)
            else:
                self.suppressed |= {SET_REF, WHEN_REF}
            return self._delete(loc[:at])
        cut = max((i for i, part in enumerate(loc) if isinstance(part, int)), default=None)
        if cut is None:
            return self._repair_top(loc)
        element = loc[: cut + 1]
        parent = self._get(element[:-1])
        index = element[-1]
        if not isinstance(parent, list) or not isinstance(index, int) or index >= len(parent):
            return True  # already replaced together with an enclosing element
        original = parent[index]
        owner = element[-2] if len(element) >= 2 else None
        if owner == "roles" and len(element) == 2:
            parent[index] = self.role(original)
        elif owner == "roles":
            parent[index] = self.keep_id(original, "", ROLE_REF)
        elif owner == "options" or (element[0] == "scales" and len(element) == 3):
            parent[index] = self.option(original)
        elif owner == "questions" or (element[0] == "question_sets" and len(element) == 3):
            parent[index] = self.question(original)
        elif owner == "items":
            parent[index] = self.item(original)
        elif owner == "sections":
            parent[index] = self.section(original)
        else:
            return False
        return True

    def _repair_top(self, loc: tuple[str | int, ...]) -> bool:
        if not loc or not isinstance(loc[0], str):
            return False
        name = loc[0]
        simple = {
            "schema_version": 1,
            "id": "x",
            "version": "x",
            "title": "x",
            "campaign": {"name": "x"},
        }
        if name in simple:
            self.data[name] = copy.deepcopy(simple[name])
        elif name == "description":
            self.data.pop(name, None)
        elif name == "roles":
            self.data[name] = [self.role(None)]
        elif name == "sections":
            self.data[name] = [self.section(None)]
        elif name in ("scales", "question_sets"):
            kinds = {SCALE_REF} if name == "scales" else {SET_REF, WHEN_REF}
            if len(loc) >= 2 and isinstance(self.data.get(name), dict):
                filler = self.option(None) if name == "scales" else self.question(None)
                self.data[name][loc[1]] = [filler]
                if name == "question_sets":
                    self.suppressed.add(WHEN_REF)
            else:
                self.data[name] = {}
                self.suppressed |= kinds
        else:
            return False
        return True

    def _get(self, loc: tuple[str | int, ...]) -> Any:
        node: Any = self.data
        for part in loc:
            in_dict = isinstance(node, dict) and isinstance(part, str) and part in node
            in_list = isinstance(node, list) and isinstance(part, int) and part < len(node)
            if in_dict or in_list:
                node = node[part]
            else:
                return None
        return node

    def _delete(self, loc: tuple[str | int, ...]) -> bool:
        parent = self._get(loc[:-1])
        if isinstance(parent, dict) and loc and loc[-1] in parent:
            del parent[loc[-1]]
        return True  # deleted now, or gone with an enclosing element


def salvage(
    data: dict[str, Any], errors: list[Any], model: Any, *, rounds: int = 4
) -> Salvage | None:
    """A repaired copy of ``data`` that validates against ``model``, or None.

    ``errors`` are the pydantic errors of the first validation; ``model`` is
    validated again (strictly) after each round of repairs.
    """
    from pydantic import ValidationError

    repairer = _Repairer(copy.deepcopy(data))
    for _ in range(rounds):
        for error in errors:
            if not repairer.repair(error):
                return None
        try:
            model.model_validate(repairer.data, strict=True)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            continue
        return Salvage(repairer.data, repairer.suppressed)
    return None
