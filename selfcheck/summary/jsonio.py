"""The summary JSON: written record by record, read back (checked) by ``rollup``.

Layout (``summary_schema`` 1)::

    {"format": "selfcheck-summary", "summary_schema": 1, "generator": ...,
     "checklist": {plan: id, version, sha256, sections, items, options...},
     "today": "2009-01-15", "conditions": [...], "anonymized": false,
     "excluded": 0, "ignored_files": 0,
     "roster": null | [{"unit", "name", "position", "role"}],
     "figures": {...derived, for readers; rollup recomputes them...},
     "skipped": [{"file", "code", "reason", ...}],
     "drafts": [{"unit", "name", "position", "role", "updated_at", "file"}],
     "records": [{"unit", "name", "position", "role", "file", "submitted_at",
                  "answers": {item: {question: value}},
                  "problems": [{"item", "problem", "cause", "opinion", "measure",
                                "deadline", "status", "status_date", "status_note"}],
                  "warnings": [...]}, ...]}

Records are the mergeable part: counts are made from them, and the newest
submission per person wins again when summaries are merged.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import IO, Any

from selfcheck import __version__
from selfcheck.errors import SummaryError
from selfcheck.summary.aggregate import Aggregator
from selfcheck.summary.figures import Figures
from selfcheck.summary.ingest import RECTIFY_STATUSES, _answer_problem
from selfcheck.summary.plan import ChecklistPlan
from selfcheck.summary.roster import RosterEntry

SUMMARY_FORMAT = "selfcheck-summary"
SUMMARY_SCHEMA = 1


def write_summary_json(
    out: IO[bytes],
    agg: Aggregator,
    roster: list[RosterEntry] | None,
    figures: Figures,
    conditions: list[str],
) -> None:
    """Stream the summary to ``out``: the header, then each list one entry per line."""
    header = {
        "format": SUMMARY_FORMAT,
        "summary_schema": SUMMARY_SCHEMA,
        "generator": f"selfcheck {__version__}",
        "checklist": agg.plan.to_json(),
        "today": agg.today.isoformat(),
        "conditions": conditions,
        "anonymized": agg.anonymizer is not None,
        "excluded": agg.excluded,
        "ignored_files": agg.ignored_files,
        "roster": None if roster is None else [e.to_json() for e in roster],
        "figures": dataclasses.asdict(figures),
    }
    out.write(json.dumps(header, ensure_ascii=False, indent=1)[:-2].encode("utf-8"))
    for name, lines in (
        ("skipped", agg.skip_lines()),
        ("drafts", (line for _, line in agg.drafts.lines())),
        ("records", agg.record_lines()),
    ):
        out.write(f',\n "{name}": ['.encode())
        chunk: list[bytes] = []
        for line in lines:
            chunk.append(line[:-1])  # each stored line ends with a newline
            if len(chunk) >= 512:
                out.write(b"\n  " + b",\n  ".join(chunk) + b",")
                chunk = []
        if chunk:
            out.write(b"\n  " + b",\n  ".join(chunk))
        out.write(b"\n ]")
    out.write(b"\n}\n")


# ------------------------------------------------------------------ reading


@dataclasses.dataclass
class LoadedSummary:
    """One summary JSON, checked."""

    file: str
    plan: ChecklistPlan
    conditions: list[str]
    anonymized: bool
    excluded: int
    ignored_files: int
    roster: list[RosterEntry] | None
    skipped: list[dict[str, Any]]
    drafts: list[dict[str, Any]]
    records: list[dict[str, Any]]


def read_summary_json(raw: bytes, file: str) -> LoadedSummary:
    """Parse and check a summary JSON; raise SummaryError naming the file and the field."""
    try:
        data = json.loads(raw)
    except UnicodeDecodeError:
        raise SummaryError(f"{file}：不是 UTF-8 编码的 JSON 文件") from None
    except ValueError as exc:
        line = f"第 {exc.lineno} 行：" if isinstance(exc, json.JSONDecodeError) else ""
        raise SummaryError(f"{file}：{line}不是有效的 JSON 文件") from None
    if not isinstance(data, dict) or data.get("format") != SUMMARY_FORMAT:
        hint = (
            "（这像是一份答卷：答卷请用 selfcheck summary 汇总）"
            if isinstance(data, dict) and "respondent" in data
            else ""
        )
        raise SummaryError(f"{file}：不是 selfcheck 汇总文件（summary --format json 生成）{hint}")
    if data.get("summary_schema") != SUMMARY_SCHEMA:
        raise SummaryError(
            f"{file}：汇总格式版本 {data.get('summary_schema')!r} 不受支持（应为 {SUMMARY_SCHEMA}）"
        )
    plan = ChecklistPlan.from_json(data.get("checklist"), file)
    check = _Checker(file, plan)
    roster_data = data.get("roster")
    roster = None
    if roster_data is not None:
        roster = [
            check.roster_entry(e, f"roster[{n}]")
            for n, e in enumerate(check.list(roster_data, "roster"))
        ]
    return LoadedSummary(
        file=file,
        plan=plan,
        conditions=[
            check.text(c, "conditions")
            for c in check.list(data.get("conditions", []), "conditions")
        ],
        anonymized=check.boolean(data.get("anonymized"), "anonymized"),
        excluded=check.count(data.get("excluded", 0), "excluded"),
        ignored_files=check.count(data.get("ignored_files", 0), "ignored_files"),
        roster=roster,
        skipped=[
            check.skip(s, f"skipped[{n}]")
            for n, s in enumerate(check.list(data.get("skipped"), "skipped"))
        ],
        drafts=[
            check.draft(d, f"drafts[{n}]")
            for n, d in enumerate(check.list(data.get("drafts"), "drafts"))
        ],
        records=[
            check.record(r, f"records[{n}]")
            for n, r in enumerate(check.list(data.get("records"), "records"))
        ],
    )


class _Checker:
    """Field checks with messages that name the file and the JSON path."""

    def __init__(self, file: str, plan: ChecklistPlan) -> None:
        self.file = file
        self.plan = plan

    def fail(self, where: str, message: str) -> SummaryError:
        return SummaryError(f"{self.file}：{where}：{message}")

    def list(self, value: object, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, "应为列表")
        return value

    def text(self, value: object, where: str, *, empty: bool = True) -> str:
        if not isinstance(value, str) or (not empty and not value.strip()):
            raise self.fail(where, "应为非空文本" if not empty else "应为文本")
        return value

    def optional_text(self, value: object, where: str) -> str | None:
        return None if value is None else self.text(value, where)

    def boolean(self, value: object, where: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(where, "应为 true 或 false")
        return value

    def count(self, value: object, where: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.fail(where, "应为非负整数")
        return value

    def day(self, value: object, where: str) -> str | None:
        if value is None:
            return None
        try:
            date.fromisoformat(self.text(value, where))
        except ValueError:
            raise self.fail(where, f"日期无效：{value}") from None
        return str(value)

    def stamp(self, value: object, where: str) -> str:
        from selfcheck.summary.ingest import timestamp

        text = self.text(value, where, empty=False)
        try:
            timestamp(text)
        except ValueError:
            raise self.fail(where, f"时间无效：{text}") from None
        return text

    def mapping(self, value: object, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "应为对象（映射）")
        return value

    def role(self, value: object, where: str) -> str:
        role = self.text(value, where, empty=False)
        if role not in self.plan.role_items:
            raise self.fail(where, f"未知角色“{role}”")
        return role

    def roster_entry(self, value: object, where: str) -> RosterEntry:
        e = self.mapping(value, where)
        role = e.get("role")
        return RosterEntry(
            self.text(e.get("unit"), f"{where}.unit", empty=False),
            self.text(e.get("name"), f"{where}.name", empty=False),
            self.text(e.get("position", ""), f"{where}.position"),
            None if role is None else self.role(role, f"{where}.role"),
        )

    def skip(self, value: object, where: str) -> dict[str, Any]:
        s = self.mapping(value, where)
        out = {
            "file": self.text(s.get("file"), f"{where}.file"),
            "code": self.text(s.get("code"), f"{where}.code", empty=False),
            "reason": self.text(s.get("reason"), f"{where}.reason"),
        }
        if out["code"] == "superseded":
            out["unit"] = self.text(s.get("unit"), f"{where}.unit", empty=False)
            out["name"] = self.text(s.get("name"), f"{where}.name", empty=False)
            out["submitted_at"] = self.stamp(s.get("submitted_at"), f"{where}.submitted_at")
        return out

    def draft(self, value: object, where: str) -> dict[str, Any]:
        d = self.mapping(value, where)
        return {
            "unit": self.text(d.get("unit"), f"{where}.unit", empty=False),
            "name": self.text(d.get("name"), f"{where}.name", empty=False),
            "position": self.text(d.get("position", ""), f"{where}.position"),
            "role": self.role(d.get("role"), f"{where}.role"),
            "updated_at": self.stamp(d.get("updated_at"), f"{where}.updated_at"),
            "file": self.text(d.get("file"), f"{where}.file"),
        }

    def record(self, value: object, where: str) -> dict[str, Any]:
        r = self.mapping(value, where)
        role = self.role(r.get("role"), f"{where}.role")
        allowed = self.plan.role_items[role]
        answers = self.mapping(r.get("answers"), f"{where}.answers")
        for item_id, given in answers.items():
            if item_id not in allowed:
                raise self.fail(f"{where}.answers.{item_id}", "检查项不存在或不适用于该角色")
            for qid, answer in self.mapping(given, f"{where}.answers.{item_id}").items():
                problem = _answer_problem(self.plan.items[item_id], qid, answer)
                if problem is None and answer is None:
                    problem = "不能为空"
                if problem:
                    raise self.fail(f"{where}.answers.{item_id}.{qid}", problem)
        problems = []
        for n, p in enumerate(self.list(r.get("problems"), f"{where}.problems")):
            at = f"{where}.problems[{n}]"
            p = self.mapping(p, at)
            item_id = self.text(p.get("item"), f"{at}.item")
            if item_id not in allowed:
                raise self.fail(f"{at}.item", f"检查项“{item_id}”不存在或不适用于该角色")
            status = p.get("status")
            if status not in RECTIFY_STATUSES:
                raise self.fail(f"{at}.status", f"整改状态应为 {'、'.join(RECTIFY_STATUSES)}")
            row: dict[str, Any] = {"item": item_id}
            for meaning in self.plan.items[item_id].meanings:
                if meaning == "deadline":
                    row["deadline"] = self.day(p.get("deadline"), f"{at}.deadline")
                else:
                    row[meaning] = self.text(p.get(meaning, ""), f"{at}.{meaning}")
            row["status"] = status
            row["status_date"] = self.day(p.get("status_date"), f"{at}.status_date")
            row["status_note"] = self.text(p.get("status_note", ""), f"{at}.status_note")
            problems.append(row)
        return {
            "unit": self.text(r.get("unit"), f"{where}.unit", empty=False),
            "name": self.text(r.get("name"), f"{where}.name", empty=False),
            "position": self.text(r.get("position", ""), f"{where}.position"),
            "role": role,
            "file": self.text(r.get("file"), f"{where}.file"),
            "submitted_at": self.stamp(r.get("submitted_at"), f"{where}.submitted_at"),
            "answers": answers,
            "problems": problems,
            "warnings": [
                self.text(w, f"{where}.warnings")
                for w in self.list(r.get("warnings", []), f"{where}.warnings")
            ],
        }
