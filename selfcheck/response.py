"""The response file: one JSON per person per checklist, drafts included.

This module is the file format's one home: its schema (msgspec structs), the
one reader (:func:`parse_response` / :func:`load_response`, Chinese messages
naming file, line and field), the one writer (:func:`save_response`, atomic,
mode 0600) and the lock that keeps two writers from losing an update
(:func:`update_response`). The summary's bulk reader is compiled from these
same structs (:mod:`selfcheck.summary.reader`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec

from selfcheck.atomicio import make_folder, write_bytes_atomic
from selfcheck.errors import Problem, ResponseError, format_loc, os_error_reason
from selfcheck.jsonlocate import ANY_KEY, failing_path, line_col, locate, spell_keys
from selfcheck.rules import CarryState, RecheckResult, Status
from selfcheck.textsafe import dotted_line, safe_filename

RESPONSE_SCHEMA_VERSION: Literal[1] = 1

Answer = str | bool | int | float | list[str] | None
"""A stored answer: option value(s), text, ISO date text, yes/no or number."""

NonEmpty = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Sha256 = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$")]
ResponseStatus = Literal["draft", "submitted"]
Day = date
"""``date`` under a name that a field called ``date`` does not shadow."""


class ChecklistRef(msgspec.Struct):
    """Which checklist (and exact content) a response answers."""

    id: str
    version: str
    sha256: Sha256


class Respondent(msgspec.Struct, kw_only=True):
    """Who answered."""

    name: NonEmpty
    unit: NonEmpty
    position: str = ""
    role: NonEmpty

    def describe(self) -> str:
        """``张三 · 局办公室 · 科员``: who answered, cleaned, on one line."""
        return dotted_line(self.name, self.unit, self.position)


class EvidenceFile(msgspec.Struct, kw_only=True):
    """A file of evidence (佐证材料), kept beside the response, never inlined."""

    name: str
    """The file's name as the cadre gave it."""
    stored: str
    """Where it is kept, relative to the response file's folder (``STEM.evidence/NAME``)."""
    size: Annotated[int, msgspec.Meta(ge=0)]
    sha256: Sha256


class RectifyEntry(msgspec.Struct, kw_only=True):
    """One progress record on one measure (append-only log)."""

    item: str
    status: Status
    date: date
    note: str = ""
    recorded_at: datetime
    evidence: list[EvidenceFile] = msgspec.field(default_factory=list)
    deadline: Day | None = None
    """A new deadline the measure is held to from now on (set when 反弹 reopens it)."""


class RecheckEntry(msgspec.Struct, kw_only=True):
    """The committee's 回头看 of one closed measure (append-only log)."""

    item: str
    result: RecheckResult
    date: date
    note: str = ""
    deadline: Day | None = None
    """The new deadline of a measure reopened by 反弹."""
    recorded_at: datetime


class CarriedProblem(msgspec.Struct, kw_only=True):
    """One problem of the previous round and where the cadre says it stands now."""

    previous_item: str
    item: str | None = None
    """The matching item of this round's checklist; None when it no longer exists."""
    matched_by: Literal["id", "wording"] | None = None
    section: str = ""
    label: str = ""
    problem: str = ""
    cause: str = ""
    measure: str = ""
    deadline: date | None = None
    last_status: Status = Status.NOT_STARTED
    state: CarryState | None = None
    note: str = ""
    removed: str = ""
    """Why the cadre took a 出现反弹/仍未整改 problem off this round's list (empty: kept)."""
    kept_deadline: date | None = None
    """The deadline a kept (上轮遗留) problem is held to this round."""


class PreviousRound(msgspec.Struct, kw_only=True):
    """The previous round's response this one carries forward (``run --previous``)."""

    file: str
    checklist: ChecklistRef
    submitted_at: datetime | None = None
    problems: list[CarriedProblem] = msgspec.field(default_factory=list)


class ReviewEntry(msgspec.Struct, kw_only=True):
    """The committee's review of one draft of the material (append-only log)."""

    decision: Literal["pass", "return"]
    draft: Annotated[int, msgspec.Meta(ge=1)]
    reasons: list[str] = msgspec.field(default_factory=list)
    items: list[str] = msgspec.field(default_factory=list)
    note: str = ""
    reviewer: NonEmpty
    recorded_at: datetime


class LedgerEntry(msgspec.Struct, kw_only=True):
    """The committee's entry in the ledger columns of one item (append-only; latest wins)."""

    item: str
    source: str = ""
    kind: str = ""
    leader: str = ""
    by: NonEmpty
    recorded_at: datetime


class VerifyEntry(msgspec.Struct, kw_only=True):
    """The committee's check of a measure reported done (对账销号; append-only log)."""

    item: str
    decision: Literal["accept", "reject"]
    note: str = ""
    reviewer: NonEmpty
    recorded_at: datetime


class Response(msgspec.Struct, kw_only=True):
    """A cadre's answers to one checklist.

    Unknown top-level fields are ignored when read (a newer selfcheck may add
    some); they are not written back.
    """

    schema_version: Literal[1] = RESPONSE_SCHEMA_VERSION
    checklist: ChecklistRef
    respondent: Respondent
    status: ResponseStatus
    started_at: datetime
    updated_at: datetime | None = None
    submitted_at: datetime | None = None
    answers: dict[str, dict[str, Answer]] = msgspec.field(default_factory=dict)
    identity_answers: dict[str, Answer] = msgspec.field(default_factory=dict)
    """Answers to the checklist's ``identity_questions`` (asked once per response, e.g.
    征求意见建议条数), by question id."""
    cursor: str | None = None
    unfinished: dict[str, dict[str, str]] = msgspec.field(default_factory=dict)
    """Drafts only: text being typed into an answer when the walk was interrupted
    (item id, then question id); not an answer yet; the next run resumes in it."""
    rectification: list[RectifyEntry] = msgspec.field(default_factory=list)
    draft_number: Annotated[int, msgspec.Meta(ge=1)] = 1
    """Which draft (第 N 稿) this submission is: 1, plus one per resubmission."""
    reviews: list[ReviewEntry] = msgspec.field(default_factory=list)
    verifications: list[VerifyEntry] = msgspec.field(default_factory=list)
    ledger: list[LedgerEntry] = msgspec.field(default_factory=list)
    rechecks: list[RecheckEntry] = msgspec.field(default_factory=list)
    previous: PreviousRound | None = None

    def to_json(self) -> str:
        """Pretty, stable JSON (UTF-8, Chinese kept readable)."""
        return encode_response(self).decode("utf-8")


def replace(response: Response, **changes: Any) -> Response:
    """A copy of ``response`` with ``changes`` applied (nothing else changes)."""
    return msgspec.structs.replace(response, **changes)


def encode_response(response: Response) -> bytes:
    """The file's bytes: indented JSON, every field written, ending in a newline."""
    return msgspec.json.format(msgspec.json.encode(response), indent=2) + b"\n"


# Names are made from a response file's stem, the longest being a report
# "STEM-对照检查材料.EXT" (selfcheck.report.api; EXT up to 15 characters for a
# user template's format), then a draft "STEM.draft.json"; each is also written
# through the atomic writer's temp file ".NAME.XXXXXXXX.tmp".
_STEM_SUFFIX_RESERVE = max(len("-对照检查材料".encode()) + 16, len(".draft.json"))


def response_filename(unit: str, name: str, checklist_id: str, *, draft: bool = False) -> str:
    """``单位-姓名-CHECKLIST.json`` (``.draft.json`` for drafts), safe on Windows and POSIX.

    Every name it gives can be written, with every suffix and temp name made
    from it, on file systems that allow 255 bytes: a unit and name too long
    for that are cut fairly and followed by 8 hex digits of a hash of the uncut
    stem (``单位…-姓名…-1a2b3c4d-CHECKLIST.json``), so they stay distinct.
    Short names are unchanged. See :func:`~selfcheck.textsafe.safe_filename`
    for what is removed (bidi controls, ``-`` or ``.`` in front, ``CON``…).
    """
    from selfcheck.textsafe import (
        ATOMIC_TEMP_EXTRA_BYTES,
        FILENAME_MAX_BYTES,
        digest_of,
        fit_filename,
    )

    budget = FILENAME_MAX_BYTES - ATOMIC_TEMP_EXTRA_BYTES - _STEM_SUFFIX_RESERVE
    parts = [safe_filename(unit, max_bytes=None), safe_filename(name, max_bytes=None)]
    tail = f"-{safe_filename(checklist_id)}"
    if "-" in parts[1]:
        # 单位“甲-乙” + 姓名“丙” and 单位“甲” + 姓名“乙-丙” would both give 甲-乙-丙:
        # a hyphen in the name (all but unheard of) adds 8 hex digits of the pair.
        tail = f"-{digest_of(parts)}{tail}"
    stem = fit_filename(parts, budget, tail=tail)
    return f"{stem}.draft.json" if draft else f"{stem}.json"


# ------------------------------------------------------------------ reading

_DECODER = msgspec.json.Decoder(Response)
_AT = re.compile(r"^(?P<what>.*?)(?: - at `\$(?P<path>.*)`)?$", re.S)
_BYTE = re.compile(r"\(byte (\d+)\)")
_PATH_PART = re.compile(r"\.([^.\[]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|(\[\.\.\.\])")
_GOT = re.compile(r", got `(\w+)`")


def path_loc(path: str) -> list[str | int]:
    """msgspec's ``.rectification[2].date`` (after ``$``) as ``["rectification", 2, "date"]``;
    a key msgspec does not spell out (``.answers[...]``) is
    :data:`~selfcheck.jsonlocate.ANY_KEY`."""
    loc: list[str | int] = []
    for m in _PATH_PART.finditer(path):
        key, index, quoted, any_key = m.groups()
        loc.append(int(index) if index is not None else key or quoted or any_key)
    return loc


UNKNOWN_FIELD = "未知字段"
"""What a key the file format does not have is called (the key itself ends the path)."""
OUT_OF_RANGE = "数字超出范围（位数过多或指数过大）"
"""A number no decoder can hold (``1`` followed by 5000 zeros, ``1e999``)."""
NOT_ALLOWED = "不是允许的取值"
"""How a value outside an enumeration starts (``不是允许的取值“done?”``)."""


def _unquoted(text: str) -> str:
    """msgspec's ``'done?'`` as the bare value."""
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == "'" else text


_BOUNDS = {">=": "不小于", ">": "大于", "<=": "不大于", "<": "小于"}


def _number(text: str) -> str:
    """``1.0`` → ``1``: a bound as people write it."""
    return text.removesuffix(".0")


_MESSAGES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"Object missing required field `(.+)`"), lambda m: "缺少必填字段"),
    (re.compile(r"Object contains unknown field `(.+)`"), lambda m: UNKNOWN_FIELD),
    (re.compile(r"Expected `(\w+)` of length >= 1"), lambda m: "不能为空"),
    (
        re.compile(r"Expected `(\w+)` of length <= (\d+)"),
        lambda m: f"太长了（最多 {m[2]} 个字）",
    ),
    (re.compile(r"Expected `str` matching regex"), lambda m: "格式不对"),
    (
        re.compile(r"Expected `(int|float)` (>=|>|<=|<) (-?[0-9.]+)"),
        lambda m: f"应为{_BOUNDS[m[2]]} {_number(m[3])} 的{_kind(m[1])}",
    ),
    (
        re.compile(r"(Integer|Number) value out of range|Number out of range"),
        lambda m: OUT_OF_RANGE,
    ),
    (re.compile(r"Invalid enum value (.+)"), lambda m: f"{NOT_ALLOWED}“{_unquoted(m[1])}”"),
    (
        re.compile(r"Invalid RFC3339 encoded datetime"),
        lambda m: "应为日期时间，如 2009-01-15T09:00:00+08:00",
    ),
    (re.compile(r"Invalid RFC3339 encoded date"), lambda m: "应为日期，如 2009-03-31"),
    (
        re.compile(r"Expected `(.+)`, got `(.+)`"),
        lambda m: f"类型不对：应为{_kind(m[1])}，实际是{_kind(m[2])}",
    ),
)

_KINDS = {
    "str": "文本",
    "int": "整数",
    "float": "数字",
    "bool": "是/否",
    "null": "空值",
    "object": "对象（{…}）",
    "array": "列表（[…]）",
    "datetime": "日期时间",
    "date": "日期",
}


def _kind(text: str) -> str:
    return " 或 ".join(_KINDS.get(part.strip(), part.strip()) for part in text.split("|"))


def _translate(what: str) -> str:
    for pattern, render in _MESSAGES:
        match = pattern.search(what)
        if match:
            return render(match)
    return f"取值无效（{what}）"


def syntax_first(
    exc: msgspec.MsgspecError | RecursionError, raw: bytes
) -> msgspec.MsgspecError | RecursionError:
    """The fault to report: a typed decoder meets a wrong type before it reaches a syntax
    error further on (``[[[`` is first "an array, not an object"); the broken JSON is the
    real fault then, so it is reported instead."""
    if not isinstance(exc, msgspec.ValidationError):
        return exc
    try:
        msgspec.json.decode(raw)
    except (msgspec.MsgspecError, RecursionError) as syntax:
        return syntax
    return exc


def problem_from(exc: msgspec.MsgspecError | RecursionError, raw: bytes, file: str) -> Problem:
    """The located, Chinese :class:`Problem` for a msgspec decoding failure (a syntax error
    first, see :func:`syntax_first`)."""
    exc = syntax_first(exc, raw)
    text = str(exc)
    if isinstance(exc, RecursionError):
        return Problem(file, None, None, "", "嵌套层数过多，不是有效的答卷文件")
    if isinstance(exc, msgspec.DecodeError) and not isinstance(exc, msgspec.ValidationError):
        byte = _BYTE.search(text)
        line, col = line_col(raw, int(byte[1])) if byte else (None, None)
        if "truncated" in text:
            reason = "内容不完整（文件被截断）"
        elif "surrogate" in text:
            reason = "含无效的 Unicode 转义（孤立的代理字符）"
        elif "invalid utf-8" in text.lower() or "UTF-8" in text:
            reason = "不是 UTF-8 编码"
        else:
            reason = "格式错误"
        return Problem(file, line, col, "", f"不是有效的 JSON：{reason}")
    match = _AT.match(text)
    what = match["what"] if match else text
    loc = path_loc(match["path"] or "") if match else []
    if "out of range" in what:  # msgspec gives no path for it (``$[...]``)
        loc = failing_path(raw)
    elif ANY_KEY in loc:
        got = _GOT.search(what)
        loc = spell_keys(raw, loc, got[1] if got else None)
    named = re.search(r"Object (?:missing required|contains unknown) field `(.+)`", what)
    if named:
        loc.append(named[1])
    line, col = locate(raw, loc) if loc else (None, None)
    return Problem(file, line, col, format_loc(loc), _translate(what))


def _missing(data: object, kind: type[msgspec.Struct], prefix: str) -> list[str]:
    """Dotted paths of every required field absent from ``data`` (nested structs too)."""
    if not isinstance(data, dict):
        return []
    out = []
    for info in msgspec.structs.fields(kind):
        path = f"{prefix}{info.encode_name}"
        if info.encode_name not in data:
            if info.required:
                out.append(path)
        elif isinstance(info.type, type) and issubclass(info.type, msgspec.Struct):
            out.extend(_missing(data[info.encode_name], info.type, f"{path}."))
    return out


def parse_response(raw: bytes | str, file: str) -> Response:
    """Validate response JSON; raise :class:`ResponseError` that says what is wrong.

    msgspec stops at the first fault; every missing required field is listed too.
    """
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return _DECODER.decode(raw)
    except (msgspec.MsgspecError, RecursionError) as exc:
        first = problem_from(exc, raw, file)
        problems = [first]
        try:
            data = msgspec.json.decode(raw)
        except (msgspec.MsgspecError, RecursionError):
            data = None
        for path in _missing(data, Response, ""):
            if path != first.path:
                line, col = locate(raw, path.split(".")[:-1]) if "." in path else (None, None)
                problems.append(Problem(file, line, col, path, "缺少必填字段"))
        raise ResponseError(f"答卷文件无效：{file}", problems) from None


def read_file_bytes(path: Path) -> bytes:
    """A response file's bytes, refusing what is not a plain, sane-sized file."""
    from selfcheck.folder import read_named

    return read_named(path, "答卷文件", ResponseError)


def load_response(path: Path) -> Response:
    """Read and validate a response or draft file."""
    return parse_response(read_file_bytes(path), str(path))


# ------------------------------------------------------------------ writing

LOCK_TIMEOUT_SECONDS = 15.0


def save_response(response: Response, path: Path) -> None:
    """Write atomically with mode 0600 (callers that read first hold :func:`locked`)."""
    write_bytes_atomic(path, encode_response(response), private=True)


def lock_path(path: Path) -> Path:
    """The hidden lock file beside ``path`` (summaries skip hidden files)."""
    return path.with_name(f".{path.name}.lock")


@contextmanager
def locked(path: Path, *, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the writer's lock of ``path``; a second writer waits up to ``timeout`` s."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_path(path)), timeout=timeout, mode=0o600)
    try:
        make_folder(path.parent)  # the lock would make it too, and misname a file in the way
        lock.acquire()
    except Timeout:
        raise ResponseError(
            f"答卷文件 {path} 正被另一个程序修改（等待 {timeout:.0f} 秒仍未结束）："
            "请稍后再试。本次没有做任何修改。"
        ) from None
    except OSError as exc:
        raise ResponseError(f"无法锁定答卷文件 {path}：{os_error_reason(exc)}") from None
    try:
        yield
    finally:
        lock.release()


def update_response(path: Path, change: Callable[[Response], Response]) -> Response:
    """Read ``path`` under its lock, apply ``change`` and save: no update is ever lost."""
    with locked(path):
        current = load_response(path)
        updated = change(current)
        if updated is not current:
            save_response(updated, path)
        return updated
