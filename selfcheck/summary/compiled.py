"""The bulk pass's inner loop, generated as Python source once per checklist version and role.

Every file of a summary visits every item of its role: read the choice
answers, count them, decide whether the item needs rectification. Written as a
loop over items, most of that time goes to the loop itself (``getattr`` by
name, ``zip``, comprehensions). So :class:`~selfcheck.summary.reader.BulkReader`
generates one straight-line function per role, the way ``dataclasses`` writes
``__init__``, and calls it once per file.

The rules stay where they live; this module only compiles them:

- *needs rectification*: :class:`selfcheck.rules.ProblemTest` (its rating
  question, problem options and free-text questions);
- the counter keys of the answers: :func:`selfcheck.summary.records.answer_keys`;
- the role's items and required questions: :class:`~selfcheck.summary.plan.ChecklistPlan`.

``tests/test_compiled_reduction.py`` checks, on generated checklists and
answers, that the compiled functions and those interpreted forms agree.

No text from a checklist reaches the generated source. The only names in it
are struct field names (plain ASCII identifiers, made by the reader) and
generated constant names; every id, option value and counter key is a
constant in the functions' namespace.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

Key = tuple[str, ...]
Hit = tuple[Any, Any]
"""(the compiled item, its decoded answers struct) of an item that needs rectification."""
Reduce = Callable[[Any], tuple[dict[str, dict[str, Any]], list[Key], list[Hit]]]
Check = Callable[[Any], Any]


class ItemShape(Protocol):
    """What the generator needs of one compiled item (see ``reader._CompiledItem``)."""

    id: str
    attr: str
    choice_ids: tuple[str, ...]
    qattrs: dict[str, str]
    multiple: frozenset[str]
    rating_attr: str | None
    problem_values: frozenset[object]
    text_attrs: tuple[str, ...]


@dataclass(frozen=True)
class RoleFunctions:
    """The three compiled functions of one role."""

    foreign: Check
    """The id of the first answered item that does not apply to the role, or None."""
    missing: Check
    """``(item id, question id)`` of the first unanswered required question, or None."""
    reduce: Reduce
    """``(kept choice answers, answer counter keys, items needing rectification)``."""


class _Source:
    """Lines of generated source and the constants they name."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.names: dict[str, object] = {}

    def const(self, prefix: str, value: object) -> str:
        name = f"{prefix}{len(self.names)}"
        self.names[name] = value
        return name

    def add(self, indent: int, line: str) -> None:
        self.lines.append("    " * indent + line)


def compile_role(
    role: str,
    items: Sequence[ItemShape],
    foreign: Sequence[ItemShape],
    required: Sequence[tuple[ItemShape, str]],
) -> RoleFunctions:
    """The compiled functions of ``role``: its ``items`` in checklist order, the items
    that do not apply to it, and its required ``(item, question id)`` pairs."""
    src = _Source()

    src.add(0, "def foreign(a):")
    for item in foreign:
        src.add(1, f"if a.{item.attr} is not None:")
        src.add(2, f"return {src.const('F', item.id)}")
    src.add(1, "return None")

    src.add(0, "def missing(a):")
    by_item: dict[str, list[str]] = {}
    shapes: dict[str, ItemShape] = {}
    for item, qid in required:
        by_item.setdefault(item.id, []).append(qid)
        shapes[item.id] = item
    for item_id, qids in by_item.items():
        item = shapes[item_id]
        src.add(1, f"g = a.{item.attr}")
        src.add(1, "if g is None:")
        src.add(2, f"return {src.const('M', (item_id, qids[0]))}")
        for qid in qids:
            src.add(1, f"if g.{item.qattrs[qid]} is None:")
            src.add(2, f"return {src.const('M', (item_id, qid))}")
    src.add(1, "return None")

    src.add(0, "def reduce(a):")
    src.add(1, "kept = {}")
    src.add(1, f"keys = [{src.const('R', ('resp', role))}]")
    src.add(1, "hits = []")
    for item in items:
        _reduce_item(src, item)
    src.add(1, "return kept, keys, hits")

    namespace: dict[str, Any] = dict(src.names)
    code = compile("\n".join(src.lines) + "\n", f"<selfcheck reduction of role {role!r}>", "exec")
    # The source was built above from identifiers and generated constant names only.
    exec(code, namespace)
    return RoleFunctions(namespace["foreign"], namespace["missing"], namespace["reduce"])


def _reduce_item(src: _Source, item: ItemShape) -> None:
    src.add(1, f"g = a.{item.attr}")
    src.add(1, "if g is not None:")
    if item.choice_ids:
        src.add(2, "d = {}")
        for qid in item.choice_ids:
            attr = item.qattrs[qid]
            question = src.const("Q", qid)
            src.add(2, f"v = g.{attr}")
            src.add(2, "if v is not None:")
            src.add(3, f"d[{question}] = v")
            # The option values are the struct's Literal: every one has its key.
            values = src.const("V", _KeyTable(item.id, qid).__getitem__)
            if qid in item.multiple:
                src.add(3, f"keys.append({src.const('A', ('ans', item.id, qid))})")
                src.add(3, f"keys.extend(map({values}, v))")
            else:
                src.add(3, f"keys.append({values}(v))")
        src.add(2, "if d:")
        src.add(3, f"kept[{src.const('I', item.id)}] = d")
    tests = []
    if item.rating_attr is not None and item.problem_values:
        tests.append(f"g.{item.rating_attr} in {src.const('P', item.problem_values)}")
    for attr in item.text_attrs:
        tests.append(f"((t := g.{attr}) is not None and t.strip())")
    if tests:
        src.add(2, f"if {' or '.join(tests)}:")
        src.add(3, f"hits.append(({src.const('C', item)}, g))")
    elif not item.choice_ids:
        src.add(2, "pass")


class _KeyTable(dict[str, Key]):
    """Option value → its counter key ``("opt", item, question, value)``, made on first use
    and then shared, so counting allocates no tuple."""

    def __init__(self, item_id: str, qid: str) -> None:
        super().__init__()
        self._item = item_id
        self._qid = qid

    def __missing__(self, value: str) -> Key:
        key = ("opt", self._item, self._qid, value)
        self[value] = key
        return key
