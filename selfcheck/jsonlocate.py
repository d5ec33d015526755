"""Where a field path points in a JSON text: the line a located error message names.

msgspec reports a validation error by path (``$.rectification[2].date``), not by
place. :func:`locate` walks that path through the text itself: each level is
split by msgspec into its members as :class:`msgspec.Raw` slices (C speed, and
no copies: they are views of the text), and the members are then stepped over
in document order, so the n-th entry of a list is the n-th entry, not the
first one that happens to hold the same key.

A path that cannot be followed all the way (a missing field, an unknown key, a
text that is not JSON) gives the place of the deepest part that was found;
nothing at all gives ``None``. Duplicate keys in an object (the JSON is legal,
the last one wins) stop the walk at that object rather than guess.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

_AS_OBJECT = msgspec.json.Decoder(dict[str, msgspec.Raw])
_AS_ARRAY = msgspec.json.Decoder(list[msgspec.Raw])
_WHITESPACE = b" \t\n\r"
_LONGEST_KEY = 1 << 16

Child = tuple[int, int, memoryview]
"""Where to point, where the child's value starts, the child's text (all within its parent)."""


def locate(raw: bytes, path: Sequence[str | int]) -> tuple[int | None, int | None]:
    """``(line, column)``, both from 1, of the deepest part of ``path`` found in ``raw``.

    ``path`` holds object keys and list indices, e.g. ``("records", 1, "problems", 0,
    "deadline")`` (an index may also be written as digits). An object member is placed
    at its key, a list entry at its first character."""
    offset = find(raw, path)
    if offset is None:
        return None, None
    return line_col(raw, offset)


def find(raw: bytes, path: Sequence[str | int]) -> int | None:
    """The byte offset :func:`locate` reports (None: not even the first part was found)."""
    view = memoryview(raw)
    base = _skip_ws(view, 0)
    value = _trim_end(view[base:])
    found: int | None = None
    for part in path:
        child = _child(value, part)
        if child is None:
            break
        place, start, value = child
        found = base + place
        base += start
    return found


def failing_path(raw: bytes, *, max_depth: int = 64) -> list[str | int]:
    """The path of the innermost value of ``raw`` that cannot be decoded at all.

    msgspec names no path for a number out of range inside an untyped object
    (``$[...]``); stepping down through the members that fail finds it. Empty when
    the text itself is the value (or not JSON)."""
    path: list[str | int] = []
    current = raw
    for _ in range(max_depth):
        text = current.strip(_WHITESPACE)
        try:
            if text[:1] == b"[":
                members: list[tuple[str | int, msgspec.Raw]] = list(
                    enumerate(_AS_ARRAY.decode(text))
                )
            elif text[:1] == b"{":
                members = list(_AS_OBJECT.decode(text).items())
            else:
                return path
        except (msgspec.MsgspecError, RecursionError):
            return path
        for key, member in members:
            try:
                msgspec.json.decode(member)
            except (msgspec.MsgspecError, RecursionError):
                path.append(key)
                current = bytes(member)
                break
        else:
            return path
    return path


ANY_KEY = "[...]"
"""How msgspec names an object member in a path when it does not spell out the key
(``$.answers[...][...]``: some item's some answer)."""

_SCALAR_TYPES = {ord('"'): "str", ord("t"): "bool", ord("f"): "bool", ord("n"): "null"}


def spell_keys(raw: bytes, path: Sequence[str | int], got: str | None = None) -> list[str | int]:
    """``path`` with each :data:`ANY_KEY` replaced by the key it stands for.

    The key is the first member, in document order, under which the rest of the path
    exists and, when ``got`` names msgspec's JSON type of the faulty value (``object``,
    ``array``, ``str``, ``int``, ``float``, ``bool``, ``null``), ends at a value of that
    type: msgspec decodes in document order and stops at the first fault. When no
    member fits, the path ends before the first :data:`ANY_KEY`."""
    spelled = _spell(raw, list(path), got)
    if spelled is not None:
        return spelled
    return list(path[: list(path).index(ANY_KEY)]) if ANY_KEY in path else list(path)


def _spell(text: bytes, rest: list[str | int], got: str | None) -> list[str | int] | None:
    text = text.strip(_WHITESPACE)
    if not rest:
        return [] if got is None or _json_type(text) == got else None
    part, tail = rest[0], rest[1:]
    candidates: list[tuple[str | int, msgspec.Raw]]
    try:
        if text[:1] == b"{":
            members = _AS_OBJECT.decode(text)
            if part == ANY_KEY:
                candidates = list(members.items())
            else:
                candidates = [(part, members[str(part)])] if str(part) in members else []
        elif text[:1] == b"[" and (isinstance(part, int) or str(part).isdigit()):
            entries = _AS_ARRAY.decode(text)
            index = int(part)
            candidates = [(index, entries[index])] if index < len(entries) else []
        else:
            return None
    except (msgspec.MsgspecError, RecursionError):
        return None
    for key, member in candidates:
        found = _spell(bytes(member), tail, got)
        if found is not None:
            return [key, *found]
    return None


def _json_type(text: bytes) -> str:
    """msgspec's name for the JSON type of the value ``text``."""
    if text[:1] == b"{":
        return "object"
    if text[:1] == b"[":
        return "array"
    scalar = _SCALAR_TYPES.get(text[0]) if text else None
    if scalar is not None:
        return scalar
    return "float" if any(c in text for c in b".eE") else "int"


def line_col(raw: bytes, offset: int) -> tuple[int, int]:
    """Line and column (characters, from 1) of byte ``offset`` in ``raw``."""
    head = raw[:offset]
    line = head.count(b"\n") + 1
    col = len(head[head.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
    return line, col


def _child(value: memoryview, part: str | int) -> Child | None:
    """The member ``part`` of the JSON ``value``, or None when it has no such member."""
    if not value:
        return None
    opening = value[0]
    try:
        if opening == 0x5B:  # "["
            if isinstance(part, str) and not part.isdigit():
                return None
            return _entry(value, _AS_ARRAY.decode(value), int(part))
        if opening == 0x7B:  # "{"
            return _member(value, _AS_OBJECT.decode(value), str(part))
    except (msgspec.MsgspecError, RecursionError):
        return None
    return None


def _entry(value: memoryview, entries: list[msgspec.Raw], index: int) -> Child | None:
    if index >= len(entries):
        return None
    pos = 1
    for n, entry in enumerate(entries):
        pos = _skip_ws(value, pos)
        if n:
            if value[pos] != 0x2C:  # ","
                return None
            pos = _skip_ws(value, pos + 1)
        text = memoryview(entry)
        if value[pos : pos + len(text)] != text:
            return None
        if n == index:
            return pos, pos, text
        pos += len(text)
    return None  # not reached: index < len(entries)


def _member(value: memoryview, members: dict[str, msgspec.Raw], key: str) -> Child | None:
    if key not in members:
        return None
    pos = 1
    for n, (name, member) in enumerate(members.items()):
        pos = _skip_ws(value, pos)
        if n:
            if value[pos] != 0x2C:  # ","
                return None
            pos = _skip_ws(value, pos + 1)
        key_at = pos
        key_end = _string_end(value, pos)
        if key_end is None:
            return None
        pos = _skip_ws(value, key_end)
        if value[pos] != 0x3A:  # ":"
            return None
        pos = _skip_ws(value, pos + 1)
        text = memoryview(member)
        if value[pos : pos + len(text)] != text:
            return None  # duplicate keys: the members no longer line up with the text
        if name == key:
            return key_at, pos, text
        pos += len(text)
    return None


def _string_end(value: memoryview, pos: int) -> int | None:
    """The offset just after the JSON string that starts at ``pos``."""
    if value[pos] != 0x22:  # '"'
        return None
    data = bytes(value[pos : pos + _LONGEST_KEY])
    at = 1
    while True:
        quote = data.find(b'"', at)
        if quote < 0:
            return None  # an absurdly long key: give up rather than copy more
        backslashes = 0
        while data[quote - 1 - backslashes] == 0x5C:  # "\\"
            backslashes += 1
        if backslashes % 2 == 0:
            return pos + quote + 1
        at = quote + 1


def _skip_ws(value: memoryview, pos: int) -> int:
    end = len(value)
    while pos < end and value[pos] in _WHITESPACE:
        pos += 1
    return pos


def _trim_end(value: memoryview) -> memoryview:
    end = len(value)
    while end and value[end - 1] in _WHITESPACE:
        end -= 1
    return value[:end]
