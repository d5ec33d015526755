"""Reading a prefilled answers file (YAML or JSON) for ``selfcheck run --answers``.

The shape is what ``selfcheck checklist template`` writes::

    checklist: zuofeng-2008
    respondent: {name: 张三, unit: 局办公室, position: 科员, role: staff}
    answers:
      work-2: {rating: some, manifestation: ..., deadline: 2009-03-31}

A response file (JSON, from a previous run) has the same ``respondent`` and
``answers`` keys, with ``checklist`` as ``{id, version, sha256}``; it is read
the same way. Values keep their file positions so problems can name a line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfcheck.errors import (
    AnswersError,
    Loc,
    Problem,
    YamlError,
    format_loc,
    json_error_reason,
)
from selfcheck.folder import read_named
from selfcheck.run.identity import Identity, clean_field
from selfcheck.yamlsafe import LoadedYaml, decode_text, parse_yaml

TOP_LEVEL_KEYS = frozenset({"checklist", "respondent", "answers", "previous"})
# Keys a response file carries besides the answers; ignored when prefilling.
RESPONSE_KEYS = frozenset(
    {
        "schema_version",
        "status",
        "started_at",
        "updated_at",
        "submitted_at",
        "cursor",
        "unfinished",
        "rectification",
        "rechecks",
    }
)
RESPONDENT_KEYS = ("name", "unit", "position", "role")


@dataclass
class AnswersFile:
    """A prefill file: checklist reference, respondent and raw answers."""

    path: Path
    checklist_id: str | None
    checklist_sha256: str | None
    respondent: Identity
    answers: Mapping[str, Any]
    located: LoadedYaml | None
    warnings: list[Problem] = field(default_factory=list)
    previous: Mapping[str, Any] | None = None
    """``previous:``: where each of last round's problems stands (:mod:`selfcheck.run.previous`)."""

    def problem(self, loc: Loc, message: str) -> Problem:
        """A problem at ``loc`` inside the file, with its line when known.

        A plain value is located where it is written; a missing value or a
        whole block at the key of its nearest written ancestor.
        """
        located = self.located
        if located is None:
            return Problem(str(self.path), None, None, format_loc(loc), message)
        value = _value_at(located.data, loc)
        if loc in located.positions and not isinstance(value, (Mapping, list)):
            line, col = located.positions[loc]
        else:
            probe = tuple(loc)
            while probe and probe not in located.key_positions:
                probe = probe[:-1]
            line, col = located.key_positions.get(probe) or located.locate(loc)
        return Problem(str(self.path), line, col, format_loc(loc), message)


def _value_at(data: Any, loc: Loc) -> Any:
    for part in loc:
        in_mapping = isinstance(data, Mapping) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not (in_mapping or in_list):
            return None
        data = data[part]
    return data


def read_answers_file(path: Path) -> AnswersFile:
    """Read and shape-check an answers file; raise :class:`AnswersError` if unusable."""
    display = str(path)
    raw = read_named(path, "答案文件", AnswersError)
    if path.suffix.lower() == ".json":
        data, located = _read_json(raw, display)
    else:
        try:
            located = parse_yaml(raw, display)
        except YamlError as exc:
            raise AnswersError(f"答案文件无法读取：{display}", exc.problems) from None
        data = located.data
    return _shape(path, data, located)


def _read_json(raw: bytes, display: str) -> tuple[Any, LoadedYaml | None]:
    text, _ = decode_text(raw, display)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        reason = json_error_reason(exc.msg)
        raise AnswersError(
            f"答案文件不是有效的 JSON：{display}",
            [Problem(display, exc.lineno, exc.colno, "", "JSON 语法错误：" + reason)],
        ) from None
    # JSON as written by json.dumps is also YAML: parse it again only to learn
    # the line of every value. Any failure just means "no line numbers".
    located: LoadedYaml | None
    try:
        located = parse_yaml(text, display)
    except Exception:
        located = None
    if located is not None:
        located.data = data
    return data, located


def _shape(path: Path, data: Any, located: LoadedYaml | None) -> AnswersFile:
    display = str(path)
    blank = AnswersFile(path, None, None, Identity(), {}, located)
    if data is None:
        raise AnswersError(f"答案文件是空的：{display}")
    if not isinstance(data, Mapping):
        raise AnswersError(
            f"答案文件格式不对：{display}",
            [blank.problem((), "应是包含 checklist、respondent、answers 的映射")],
        )
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for key in data:
        if key not in TOP_LEVEL_KEYS and key not in RESPONSE_KEYS:
            warnings.append(blank.problem((str(key),), f"未知字段“{key}”，已忽略"))
    checklist_id, checklist_sha = _checklist_ref(data.get("checklist"), blank, problems)
    respondent = _respondent(data.get("respondent"), blank, problems)
    answers = data.get("answers")
    if answers is None:
        answers = {}
    elif not isinstance(answers, Mapping):
        problems.append(
            blank.problem(("answers",), "answers 应是“检查项标识: {问题标识: 答案}”的映射")
        )
        answers = {}
    if problems:
        raise AnswersError(f"答案文件格式不对：{display}", problems)
    from selfcheck.run.previous import statements_block

    previous = statements_block(data.get("previous"), blank, problems)
    if problems:
        raise AnswersError(f"答案文件格式不对：{display}", problems)
    return AnswersFile(
        path, checklist_id, checklist_sha, respondent, answers, located, warnings, previous
    )


def _checklist_ref(
    value: Any, blank: AnswersFile, problems: list[Problem]
) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    if isinstance(value, str):
        return value.strip() or None, None
    if isinstance(value, Mapping) and isinstance(value.get("id"), str):
        sha = value.get("sha256")
        return value["id"], sha if isinstance(sha, str) else None
    problems.append(blank.problem(("checklist",), "checklist 应是检查表标识（如 zuofeng-2008）"))
    return None, None


def _respondent(value: Any, blank: AnswersFile, problems: list[Problem]) -> Identity:
    if value is None:
        return Identity()
    if not isinstance(value, Mapping):
        problems.append(
            blank.problem(("respondent",), "respondent 应是包含 name、unit、position、role 的映射")
        )
        return Identity()
    fields: dict[str, str] = {}
    for key in value:
        if key not in RESPONDENT_KEYS:
            problems.append(
                blank.problem(
                    ("respondent", str(key)), f"未知字段“{key}”：可用 name、unit、position、role"
                )
            )
    for key in RESPONDENT_KEYS:
        item = value.get(key)
        if item is None:
            fields[key] = ""
        elif isinstance(item, (str, int, float)) and not isinstance(item, bool):
            fields[key] = clean_field(str(item))
        else:
            problems.append(blank.problem(("respondent", key), "应是一段文字"))
            fields[key] = ""
    return Identity(**fields)
