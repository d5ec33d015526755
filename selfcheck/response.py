"""The response file: one JSON per person per checklist, drafts included."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from selfcheck.atomicio import write_text_atomic
from selfcheck.errors import Problem, ResponseError
from selfcheck.textsafe import safe_filename

RESPONSE_SCHEMA_VERSION: Literal[1] = 1

Answer = str | bool | int | float | list[str] | None
"""A stored answer: option value(s), text, ISO date text, yes/no or number."""

RectifyStatus = Literal["未开始", "整改中", "已完成", "长期坚持"]
RECTIFY_STATUSES: tuple[str, ...] = ("未开始", "整改中", "已完成", "长期坚持")

NonEmpty = Annotated[str, Field(min_length=1, max_length=200)]


class ChecklistRef(BaseModel):
    """Which checklist (and exact content) a response answers."""

    id: str
    version: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Respondent(BaseModel):
    """Who answered."""

    name: NonEmpty
    unit: NonEmpty
    position: str = ""
    role: NonEmpty


class RectifyEntry(BaseModel):
    """One progress record on one measure (append-only log)."""

    item: str
    status: RectifyStatus
    date: date
    note: str = ""
    recorded_at: datetime


class Response(BaseModel):
    """A cadre's answers to one checklist."""

    model_config = ConfigDict(extra="allow")

    schema_version: Literal[1] = RESPONSE_SCHEMA_VERSION
    checklist: ChecklistRef
    respondent: Respondent
    status: Literal["draft", "submitted"]
    started_at: datetime
    updated_at: datetime | None = None
    submitted_at: datetime | None = None
    answers: dict[str, dict[str, Answer]] = Field(default_factory=dict)
    cursor: str | None = Field(default=None, description="draft: the item to resume at")
    rectification: list[RectifyEntry] = Field(default_factory=list)

    def to_json(self) -> str:
        """Pretty, stable JSON (UTF-8, Chinese kept readable)."""
        data = self.model_dump(mode="json", exclude_none=False)
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def response_filename(unit: str, name: str, checklist_id: str, *, draft: bool = False) -> str:
    """``单位-姓名-CHECKLIST.json`` (``.draft.json`` for drafts), safe on Windows."""
    stem = f"{safe_filename(unit)}-{safe_filename(name)}-{safe_filename(checklist_id)}"
    return f"{stem}.draft.json" if draft else f"{stem}.json"


def save_response(response: Response, path: Path) -> None:
    """Write atomically with mode 0600."""
    write_text_atomic(path, response.to_json(), private=True)


def parse_response(raw: bytes | str, file: str) -> Response:
    """Validate response JSON; raise :class:`ResponseError` that says what is wrong."""
    try:
        return Response.model_validate_json(raw)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            loc = ".".join(str(p) for p in error["loc"])
            if error["type"] == "json_invalid":
                problems.append(Problem(file, None, None, "", f"不是有效的 JSON：{error['msg']}"))
            elif error["type"] == "missing":
                problems.append(Problem(file, None, None, loc, "缺少必填字段"))
            else:
                problems.append(Problem(file, None, None, loc, f"取值无效（{error['msg']}）"))
        raise ResponseError(f"答卷文件无效：{file}", problems) from None


def load_response(path: Path) -> Response:
    """Read and validate a response or draft file."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ResponseError(f"找不到答卷文件：{path}") from None
    except OSError as exc:
        raise ResponseError(f"无法读取答卷文件 {path}：{exc.strerror or exc}") from None
    return parse_response(raw, str(path))
