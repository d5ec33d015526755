"""Reading response files for a summary: find them, parse them, check them, reduce them.

Each file becomes either a *record* (the small JSON-ready dict a summary keeps
for one submitted response), a *draft* entry, or a *skip* (file and reason).

Validation has a lean path and an exact one. The lean path (``json.loads`` and a
careful check of every field a summary reads) accepts only data the
:class:`~selfcheck.response.Response` model certainly accepts; anything it is
not sure about goes to the model itself (``parse_response``), whose verdict and
messages are final. Either way the answers are then checked against the
checklist: known items for the role, known questions, valid option values.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from selfcheck.summary.plan import CHOICE_TYPES, ChecklistPlan, PlanItem
from selfcheck.textsafe import clean_text, has_control_chars

EXCEL_CELL_LIMIT = 32767
RECTIFY_STATUSES = ("未开始", "整改中", "已完成", "长期坚持")
DONE_STATUSES = ("已完成", "长期坚持")
NOT_STARTED = "未开始"
_DAY = re.compile(r"\d{4}-\d\d-\d\d")
DIRTY_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_SUMMARY_FORMAT = "selfcheck-summary"


@dataclass(frozen=True)
class Skip:
    """A file that is not counted, and why."""

    file: str
    code: str
    reason: str

    def to_json(self) -> dict[str, str]:
        """JSON form."""
        return {"file": self.file, "code": self.code, "reason": self.reason}


@dataclass(frozen=True)
class Draft:
    """A draft file: its owner counts as 仅有草稿 unless they also submitted."""

    unit: str
    name: str
    position: str
    role: str
    updated_at: str
    file: str

    def to_json(self) -> dict[str, str]:
        """JSON form."""
        return {
            "unit": self.unit,
            "name": self.name,
            "position": self.position,
            "role": self.role,
            "updated_at": self.updated_at,
            "file": self.file,
        }


Record = dict[str, Any]
"""One submitted response reduced to what a summary keeps (see :func:`make_record`)."""


# ----------------------------------------------------------------- discovery


class Discovery:
    """The response files under some paths, found lazily (nothing is held per file).

    Folders are searched recursively for ``*.json`` in name order (hidden files
    and folders skipped); files named on the command line are read whatever
    their name. Other files inside folders (reports, rosters) are counted in
    :attr:`ignored` once a walk has finished. Iterating yields (path, display)
    pairs, display being the path with control characters removed.
    """

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        self.ignored = 0

    def __iter__(self) -> Iterator[tuple[str, str]]:
        self.ignored = 0
        for root in self.paths:
            if root.is_dir():
                yield from self._walk(str(root))
            elif root.is_file():
                yield str(root), _display(str(root))

    def at_least(self, wanted: int) -> bool:
        """Whether a walk yields ``wanted`` files or more (stops counting there)."""
        seen = 0
        for root in self.paths:
            if root.is_file():
                seen += 1
            elif root.is_dir():
                seen += _count_json(str(root), wanted - seen)
            if seen >= wanted:
                return True
        return False

    def _walk(self, folder: str) -> Iterator[tuple[str, str]]:
        files: list[str] = []
        subfolders: list[str] = []
        try:
            with os.scandir(folder) as scan:
                for entry in scan:  # keep names only: a folder may hold 100,000 files
                    name = entry.name
                    if name.startswith("."):
                        continue
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        continue
                    if is_dir:
                        subfolders.append(name)
                    elif name.endswith(".json"):
                        files.append(name)
                    else:
                        self.ignored += 1
        except OSError:
            return
        files.sort()
        prefix = os.path.join(folder, "")
        for name in files:
            path = prefix + name
            yield path, path if path.isprintable() else clean_text(path)
        del files
        for sub in sorted(subfolders):
            yield from self._walk(prefix + sub)


def _count_json(folder: str, limit: int) -> int:
    """``*.json`` files under ``folder`` (not hidden), counting no further than ``limit``."""
    seen = 0
    subfolders = []
    try:
        with os.scandir(folder) as scan:
            for entry in scan:
                name = entry.name
                if name.startswith("."):
                    continue
                if name.endswith(".json") and not entry.is_dir():
                    seen += 1
                    if seen >= limit:
                        return seen
                elif entry.is_dir():
                    subfolders.append(entry.path)
    except OSError:
        return seen
    for sub in subfolders:
        seen += _count_json(sub, limit - seen)
        if seen >= limit:
            break
    return seen


def _display(path: str) -> str:
    return path if path.isprintable() else clean_text(path)


def discover(paths: list[Path]) -> tuple[list[tuple[str, str]], int, list[Skip]]:
    """Every response file at once: (path, display) pairs, ignored count, missing paths."""
    discovery = Discovery(paths)
    found = list(discovery)
    missing = [Skip(str(p), "missing", "找不到这个文件或文件夹") for p in paths if not p.exists()]
    return found, discovery.ignored, missing


# ------------------------------------------------------------------- parsing


def read_bytes(path: str) -> bytes:
    """The whole file, read with plain system calls (no buffered file object)."""
    fd = os.open(path, _READ_FLAGS)
    try:
        data = os.read(fd, _FIRST_READ)
        if len(data) < _FIRST_READ:
            return data
        chunks = [data]
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


_FIRST_READ = 1 << 16
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)
_DECODE = json.JSONDecoder().decode


def read_json(path: str, display: str) -> Any:
    """Read and parse one JSON file; a Skip when it is unreadable or not JSON."""
    try:
        raw = read_bytes(path)
    except OSError as exc:
        return Skip(display, "unreadable", f"无法读取：{exc.strerror or exc}")
    try:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return json.loads(raw)  # UTF-16/32 or a lone surrogate: json.loads sorts it out
        return _DECODE(text[1:] if text.startswith("\ufeff") else text)
    except UnicodeDecodeError:
        return Skip(display, "not_json", "不是 UTF-8 编码的 JSON 文件")
    except ValueError as exc:
        where = f"（第 {exc.lineno} 行）" if isinstance(exc, json.JSONDecodeError) else ""
        return Skip(display, "not_json", f"不是有效的 JSON 文件{where}")


def exact_check(data: Any, display: str) -> dict[str, Any] | Skip:
    """Validate parsed JSON with the ``Response`` model: its data (model-dumped) or a Skip."""
    if isinstance(data, dict) and data.get("format") == _SUMMARY_FORMAT:
        return Skip(display, "schema", "这是汇总文件，不是答卷：请用 selfcheck rollup 合并汇总")
    raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return _exact_check(raw, display)


def _exact_check(raw: bytes, display: str) -> dict[str, Any] | Skip:
    from selfcheck.errors import ResponseError
    from selfcheck.response import parse_response

    try:
        response = parse_response(raw, display)
    except ResponseError as exc:
        details = "；".join(
            f"{p.path}：{p.message}" if p.path else p.message for p in exc.problems[:3]
        )
        more = f"（另有 {len(exc.problems) - 3} 处）" if len(exc.problems) > 3 else ""
        return Skip(display, "schema", f"不是有效的答卷文件：{details}{more}")
    data: dict[str, Any] = response.model_dump(mode="json")
    return data


def is_day(value: object) -> bool:
    """True for an ISO calendar date string that exists (2009-03-31)."""
    if type(value) is not str or not _DAY.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


# ----------------------------------------------------------------- checking


def timestamp(text: str) -> float:
    """Seconds since the epoch for an ISO datetime (naive means local time)."""
    value = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    return value.timestamp()


def clean_name(text: str) -> str:
    """A person's name for matching: control characters and all spaces removed."""
    return "".join(clean_text(text).split())


def clean_unit(text: str) -> str:
    """A unit's name for matching: cleaned, runs of spaces made one."""
    return " ".join(clean_text(text).split())


def check_against(plan: ChecklistPlan, data: dict[str, Any], display: str) -> Skip | None:
    """Why a schema-valid response cannot be counted against ``plan`` (None if it can)."""
    ref = data["checklist"]
    if ref["id"] != plan.id:
        return Skip(
            display, "checklist", f"是另一份检查表“{ref['id']}”的答卷（本次汇总：{plan.id}）"
        )
    if ref["version"] != plan.version:
        return Skip(
            display,
            "version",
            f"检查表版本不同：答卷为 {ref['version']}，本次汇总为 {plan.version}",
        )
    if ref["sha256"] != plan.sha256:
        return Skip(
            display,
            "version",
            f"检查表内容不同（版本号同为 {plan.version}，内容校验值不一致）："
            "答卷所依据的检查表被修改过",
        )
    role = data["respondent"]["role"]
    allowed = plan.role_items.get(role)
    if allowed is None:
        return Skip(display, "answers", f"角色“{role}”不在检查表中")
    answers = data["answers"]
    for item_id, given in answers.items():
        if item_id not in allowed:
            what = "不适用于该角色" if item_id in plan.items else "检查表中没有这个检查项"
            return Skip(display, "answers", f"answers.{item_id}：{what}")
        item = plan.items[item_id]
        for qid, value in given.items():
            message = _answer_problem(item, qid, value)
            if message:
                return Skip(display, "answers", f"answers.{item_id}.{qid}：{message}")
    if data["status"] == "submitted":
        if data["submitted_at"] is None:
            return Skip(display, "schema", "状态为已提交，但没有提交时间（submitted_at）")
        for item_id, qid in plan.required[role]:
            if answers.get(item_id, {}).get(qid) is None:
                return Skip(display, "incomplete", f"答卷不完整：answers.{item_id}.{qid} 未作答")
    return None


def _answer_problem(item: PlanItem, qid: str, value: object) -> str | None:
    question = item.by_id.get(qid)
    if question is None:
        return "检查表中没有这个问题"
    if value is None:
        return None
    kind = question.type
    if kind == "single_choice":
        return None if question.option(value) is not None else f"没有这个选项“{value}”"
    if kind == "multiple_choice":
        if not isinstance(value, list) or any(question.option(v) is None for v in value):
            return f"选项无效：{value}"
        return None
    if kind in ("short_text", "long_text"):
        return None if isinstance(value, str) else "应为文字"
    if kind == "date":
        return None if is_day(value) else f"应为日期（如 2009-03-31），而不是“{value}”"
    if kind == "yes_no":
        return None if isinstance(value, bool) else "应为 是/否"
    if kind == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return None if ok else "应为数字"
    return None


# ----------------------------------------------------------------- reducing


def safe_text(value: object, field: str, warnings: list[str]) -> str:
    text = "" if value is None else str(value)
    if DIRTY_TEXT.search(text):
        if has_control_chars(text):
            warnings.append(f"{field}：含控制字符，已删除")
        text = clean_text(text)
    if len(text) > EXCEL_CELL_LIMIT:
        warnings.append(
            f"{field}：长 {len(text)} 字，超过 Excel 单元格上限 {EXCEL_CELL_LIMIT} 字，"
            "表格中截断显示"
        )
    return text


def make_draft(data: dict[str, Any], file: str) -> Draft:
    """The draft entry for a schema-valid draft response."""
    who = data["respondent"]
    return Draft(
        clean_unit(who["unit"]),
        clean_name(who["name"]),
        clean_text(who.get("position") or "").strip(),
        who["role"],
        data["updated_at"] or data["started_at"],
        file,
    )


def make_record(plan: ChecklistPlan, data: dict[str, Any], file: str) -> Record:
    """Reduce a checked, submitted response to the summary's record.

    Keeps: who, which file, when submitted, the answers to choice questions
    (what the counts are made of), and one problem row per flagged item with
    its free text, deadline and latest rectification status.
    """
    who = data["respondent"]
    warnings: list[str] = []
    answers = data["answers"]
    kept: dict[str, dict[str, Any]] = {}
    problems: list[dict[str, Any]] = []
    latest = _latest_progress(data["rectification"])
    for item_id, given in answers.items():
        item = plan.items[item_id]
        choices = {
            qid: value
            for qid, value in given.items()
            if value is not None and item.by_id[qid].type in CHOICE_TYPES
        }
        if choices:
            kept[item_id] = choices
        if not _flagged(item, given):
            continue
        row: dict[str, Any] = {"item": item_id}
        for meaning, qid in item.meanings.items():
            value = given.get(qid)
            if meaning == "deadline":
                row["deadline"] = value if isinstance(value, str) else None
            else:
                row[meaning] = safe_text(value, f"answers.{item_id}.{qid}", warnings)
        progress = latest.get(item_id)
        if progress is None:
            row["status"] = NOT_STARTED
            row["status_date"] = None
            row["status_note"] = ""
        else:
            row["status"] = progress["status"]
            row["status_date"] = progress["date"]
            row["status_note"] = safe_text(
                progress["note"], f"rectification.{item_id}.note", warnings
            )
        problems.append(row)
    problems.sort(key=lambda r: plan.item_order[r["item"]])
    raw_name = who["name"]
    name = clean_name(raw_name)
    if name != "".join(raw_name.split()):
        warnings.append("respondent.name：含控制字符，已删除")
    return {
        "unit": clean_unit(who["unit"]),
        "name": name,
        "position": clean_text(who.get("position") or "").strip(),
        "role": who["role"],
        "file": file,
        "submitted_at": data["submitted_at"],
        "answers": kept,
        "problems": problems,
        "warnings": warnings,
    }


def _flagged(item: PlanItem, given: dict[str, Any]) -> bool:
    for question in item.flagging:
        option = question.option(given.get(question.id))
        if option is not None and option.problem:
            return True
    return False


def _latest_progress(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The latest entry per item: by recorded_at, later in the log on a tie."""
    latest: dict[str, tuple[float, int, dict[str, Any]]] = {}
    for index, entry in enumerate(entries):
        key = (timestamp(entry["recorded_at"]), index)
        current = latest.get(entry["item"])
        if current is None or key >= current[:2]:
            latest[entry["item"]] = (key[0], key[1], entry)
    return {item: value[2] for item, value in latest.items()}


def is_overdue(row: dict[str, Any], today: date) -> bool:
    """A measure past its deadline and neither 已完成 nor 长期坚持."""
    deadline = row.get("deadline")
    if not deadline or row["status"] in DONE_STATUSES:
        return False
    return str(deadline) < today.isoformat()


def iter_records_lines(lines: Iterator[bytes]) -> Iterator[Record]:
    """Parse spooled JSON lines back into records."""
    for line in lines:
        yield json.loads(line)
