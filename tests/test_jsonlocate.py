"""Located messages point at the field they name: the n-th entry, not the first look-alike."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from test_summary_helpers import make_response

from selfcheck.jsonlocate import find, line_col, locate
from selfcheck.response import ResponseError, load_response

TARGET = "⟦target⟧"
_keys = st.text(alphabet=st.sampled_from('abc"\\.:,{} 张\n'), min_size=0, max_size=4)
_leaves = st.none() | st.booleans() | st.integers() | st.text(alphabet="xyz\"\\ 题", max_size=5)
_documents = st.recursive(
    _leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=25,
)


@st.composite
def _document_and_path(draw: st.DrawFn) -> tuple[Any, list[str]]:
    """A JSON document with one value replaced by TARGET, and the path to that value."""
    document = draw(st.dictionaries(_keys, _documents, min_size=1, max_size=4))
    path: list[str] = []
    node: Any = document
    while True:
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node)))
        elif isinstance(node, list) and node:
            key = draw(st.integers(0, len(node) - 1))
        else:
            break
        path.append(str(key))
        if not draw(st.booleans()) or not isinstance(node[key], dict | list) or not node[key]:
            node[key] = TARGET
            return document, path
        node = node[key]
    raise AssertionError("not reached: the top level is a non-empty object")


@settings(max_examples=300, deadline=None)
@given(_document_and_path(), st.sampled_from([None, 0, 1, 2, "\t"]), st.booleans())
def test_locate_finds_the_value_the_path_names(
    case: tuple[Any, list[str]], indent: int | str | None, ascii_only: bool
) -> None:
    document, path = case
    text = json.dumps(document, indent=indent, ensure_ascii=ascii_only)
    raw = f"\n  {text}\n".encode()
    marker = json.dumps(TARGET, ensure_ascii=ascii_only).encode()
    offset = find(raw, path)
    assert offset is not None
    if path[-1].isdigit() and _parent(document, path) is list:
        assert raw[offset:].startswith(marker)  # a list entry: its first character
    else:
        key, _ = json.JSONDecoder().raw_decode(raw[offset:].decode())
        assert key == path[-1]  # an object member: its key, on the value's line
        assert line_col(raw, offset)[0] == line_col(raw, raw.index(marker))[0]


def _parent(document: Any, path: list[str]) -> type:
    node = document
    for key in path[:-1]:
        node = node[int(key)] if isinstance(node, list) else node[key]
    return type(node)


def test_a_missing_part_gives_the_deepest_part_found() -> None:
    raw = b'{\n "a": {\n  "b": [\n   1,\n   {"c": 2}\n  ]\n }\n}\n'
    assert locate(raw, ["a", "b", "1", "c"]) == (5, 5)
    assert locate(raw, ["a", "b", "1", "nope"]) == (5, 4)  # the entry that lacks it
    assert locate(raw, ["a", "b", "7"]) == (3, 3)  # the list that is too short
    assert locate(raw, ["nope"]) == (None, None)


def test_texts_that_are_not_json_or_repeat_a_key_give_no_wrong_line() -> None:
    assert locate(b'{"a": [1, 2', ["a", "1"]) == (None, None)
    assert locate(b"", ["a"]) == (None, None)
    # Duplicate keys are legal JSON (the last wins): stop rather than guess.
    assert locate(b'{"a": 1,\n "a": 2,\n "b": 3}', ["b"]) == (None, None)
    assert locate(b'{"x": {"a": 1, "a": 2}}', ["x", "a"]) == (1, 2)


def test_a_response_error_names_the_line_of_the_nth_entry(tmp_path: Path, zuofeng: Any) -> None:
    """The third progress entry's date is wrong: the message names its line, not the
    first entry's (which has a ``date`` too)."""
    response = make_response(zuofeng, name="张三", unit="办公室", role="staff")
    data = json.loads(response.to_json())
    data["rectification"] = [
        {"item": "work-1", "status": "整改中", "date": "2009-01-02", "recorded_at": _at(1)},
        {"item": "work-1", "status": "整改中", "date": "2009-01-05", "recorded_at": _at(2)},
        {"item": "work-1", "status": "已完成", "date": "20090301", "recorded_at": _at(3)},
    ]
    text = json.dumps(data, ensure_ascii=False, indent=2)
    path = tmp_path / "r.json"
    path.write_text(text, encoding="utf-8")
    try:
        load_response(path)
    except ResponseError as exc:
        problem = exc.problems[0]
    else:
        raise AssertionError("the bad date was accepted")
    assert problem.path == "rectification[2].date"
    assert problem.line == text[: text.index('"20090301"')].count("\n") + 1


def _at(day: int) -> str:
    return f"2009-01-0{day}T09:00:00+08:00"
