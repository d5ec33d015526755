"""The roster (应参加人员名单): who should hand in a response.

CSV (UTF-8 with or without BOM, GBK as Chinese Excel writes it, or the UTF-16
with tabs of Excel's “Unicode 文本”; see :mod:`selfcheck.textfile`) or XLSX, with
columns 姓名, 单位, 职务, 类别 (or name, unit, position, role). 类别 is a role
label of the checklist (领导干部) or its id (leader). Every bad row is reported
with its line number in one :class:`~selfcheck.errors.RosterError`.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from selfcheck import rules
from selfcheck.errors import Problem, RosterError
from selfcheck.folder import read_named
from selfcheck.summary.plan import ChecklistPlan
from selfcheck.summary.reader import clean_unit
from selfcheck.textfile import NotText, decode_handmade
from selfcheck.textsafe import clean_text

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "name"),
    "unit": ("单位", "部门", "unit"),
    "position": ("职务", "职位", "position"),
    "role": ("类别", "人员类别", "角色", "role"),
}
REQUIRED = ("name", "unit")
EXCEL_ERRORS = frozenset(
    ("#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!")
)
"""What a formula cell shows when it has no result (as text in CSV, as the value in XLSX):
never a name or a unit."""
ROSTER_MAX_BYTES = 64 * 1024 * 1024
"""The largest roster read (a CSV or XLSX of ten thousand people is well under 1 MB)."""


@dataclass(frozen=True)
class RosterEntry:
    """One person who should take part."""

    unit: str
    name: str
    position: str
    role: str | None

    @property
    def key(self) -> str:
        """The matching key shared with responses: unit and name."""
        return person_key(self.unit, self.name)

    def to_json(self) -> dict[str, str | None]:
        """JSON form."""
        return {"unit": self.unit, "name": self.name, "position": self.position, "role": self.role}


def person_key(unit: str, name: str) -> str:
    """One person across files, rosters and summaries."""
    return f"{unit}\x1f{name}"


def unit_key(unit: str) -> str:
    """How a unit written by hand is matched with the roster's: full- and half-width
    forms alike (NFKC), blanks ignored, so 办公室（党办）, 办公室(党办) and 办公室 （党办）
    are one unit. (An input method in full-width mode types （ and １.)"""
    return "".join(unicodedata.normalize("NFKC", unit).split())


class UnitNames:
    """The roster's spelling of each unit: a response's unit that matches one by
    :func:`unit_key` is counted, and shown, under the roster's spelling."""

    def __init__(self, entries: list[RosterEntry] | None = None) -> None:
        self._by_key: dict[str, str] = {}
        for entry in entries or []:
            self._by_key.setdefault(unit_key(entry.unit), entry.unit)

    def __call__(self, unit: str) -> str:
        """``unit`` as the roster writes it (unchanged when the roster has no such unit)."""
        if not self._by_key:
            return unit
        return self._by_key.get(unit_key(unit), unit)


def load_roster(path: Path, plan: ChecklistPlan) -> list[RosterEntry]:
    """Read a roster file; raise RosterError naming every bad row."""
    display = str(path)
    raw = read_named(path, "名单文件", RosterError, ROSTER_MAX_BYTES)
    if path.suffix.lower() in (".xlsx", ".xlsm") or raw[:4] == b"PK\x03\x04":
        rows = _xlsx_rows(raw, display)
    elif path.suffix.lower() == ".xls":
        raise RosterError(f"{display}：不支持旧的 .xls 格式，请在 Excel 中另存为 .xlsx 或 CSV")
    else:
        rows = _csv_rows(raw, display)
    return _entries(rows, display, plan)


def _decode(raw: bytes, display: str) -> str:
    try:
        return decode_handmade(raw).text
    except NotText as exc:
        if exc.kind == "binary":
            raise RosterError(
                f"{display}:{exc.line}: 含空字符（NUL），不是 CSV 文本文件；"
                "请在 Excel 中另存为“CSV UTF-8”或 .xlsx"
            ) from None
        raise RosterError(
            f"{display}:{exc.line}: 无法识别文件编码（不是 UTF-8、UTF-16 或 GBK）。"
            "请在 Excel 中另存为“CSV UTF-8”"
        ) from None


_DELIMITERS = (",", "\t", ";", "，", "；")
"""What separates a CSV roster's cells: Excel's comma, a tab (pasted from a sheet), a
semicolon (Excel in some locales), and the full-width ，；of a list typed in Notepad."""


def _delimiter(text: str) -> str:
    """The delimiter that makes the most header cells column names (a comma on a tie)."""
    first = next((line for line in io.StringIO(text) if line.strip()), "")

    def known(delimiter: str) -> int:
        cells = [clean_text(c).strip().lower() for c in first.split(delimiter)]
        return sum(any(c in names for names in COLUMNS.values()) for c in cells)

    return max(_DELIMITERS, key=known)  # max keeps the first of equals: the comma


def _csv_rows(raw: bytes, display: str) -> Iterator[tuple[int, list[str]]]:
    text = _decode(raw, display)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        raise RosterError(
            f"{display}:{reader.line_num}: CSV 格式错误：{_csv_reason(exc)}"
        ) from None


_CSV_REASONS = (
    (
        "field larger than field limit",
        "有一格的文字过长（超过 {limit} 个字符），是否缺了一个引号？",
    ),
    ("new-line character seen in unquoted field", "没有加引号的一格中有换行"),
    ("line contains NUL", "含空字符（NUL），不是文本文件"),
)


def _csv_reason(exc: csv.Error) -> str:
    """The csv module's complaint, in Chinese."""
    message = str(exc)
    for key, reason in _CSV_REASONS:
        if key in message:
            return reason.format(limit=csv.field_size_limit())
    return f"无法解析（{message}）"


def _xlsx_rows(raw: bytes, display: str) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise RosterError(f"{display}：不是有效的 XLSX 文件（{type(exc).__name__}）") from None
    sheet = book.worksheets[0]
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, ["" if v is None else str(v) for v in row]
    book.close()


def _entries(
    rows: Iterator[tuple[int, list[str]]], display: str, plan: ChecklistPlan
) -> list[RosterEntry]:
    header: dict[str, int] | None = None
    problems: list[Problem] = []
    entries: list[RosterEntry] = []
    seen: dict[str, int] = {}
    spelling: dict[str, str] = {}  # unit_key → the first spelling: one unit, one name
    for line, row in rows:
        cells = [clean_text(c).strip() for c in row]
        if not any(cells):
            continue
        if header is None:
            header = _header(cells, display, line)
            continue
        entry = _entry(cells, header, display, line, plan, problems)
        if entry is None:
            continue
        entry = replace(entry, unit=spelling.setdefault(unit_key(entry.unit), entry.unit))
        if entry.key in seen:
            problems.append(
                Problem(
                    display,
                    line,
                    None,
                    "姓名",
                    f"{entry.unit} {entry.name} 重复（第 {seen[entry.key]} 行已有）",
                )
            )
            continue
        seen[entry.key] = line
        entries.append(entry)
    if header is None:
        raise RosterError(f"名单文件是空的：{display}")
    if problems:
        raise RosterError(f"名单文件有 {len(problems)} 处错误：{display}", problems)
    return entries


def _header(cells: list[str], display: str, line: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        text = cell.lower()
        for field, names in COLUMNS.items():
            if text in names and field not in found:
                found[field] = index
    missing = [COLUMNS[f][0] for f in REQUIRED if f not in found]
    if missing:
        raise RosterError(
            "名单文件第一行应是表头，至少包括 姓名、单位（可选 职务、类别），"
            f"缺少：{'、'.join(missing)}",
            [Problem(display, line, None, "", f"表头为：{'，'.join(cells)}")],
        )
    return found


def _entry(
    cells: list[str],
    header: dict[str, int],
    display: str,
    line: int,
    plan: ChecklistPlan,
    problems: list[Problem],
) -> RosterEntry | None:
    def cell(field: str) -> str:
        index = header.get(field)
        return cells[index] if index is not None and index < len(cells) else ""

    bad = False
    for field, index in header.items():
        if index < len(cells) and cells[index] in EXCEL_ERRORS:
            problems.append(
                Problem(
                    display,
                    line,
                    index + 1,
                    COLUMNS[field][0],
                    f"是 Excel 的错误值 {cells[index]}（公式没有算出结果，如 VLOOKUP 找不到），"
                    "请改成文字",
                )
            )
            cells[index] = ""
            bad = True
    if bad:
        return None
    name, unit = rules.clean_name(cell("name")), clean_unit(cell("unit"))
    for field, value in (("name", name), ("unit", unit)):
        if not value:
            problems.append(
                Problem(display, line, header[field] + 1, COLUMNS[field][0], "不能为空")
            )
            bad = True
    role_text = cell("role")
    role = None
    if role_text:
        role = plan.find_role(role_text)
        if role is None:
            known = rules.role_choices(plan.roles)
            problems.append(
                Problem(
                    display,
                    line,
                    header["role"] + 1,
                    "类别",
                    f"未知类别“{role_text}”，可选：{known}",
                )
            )
            bad = True
    if bad:
        return None
    return RosterEntry(unit, name, cell("position"), role)
