"""The reasons a material may be sent back for: a configurable list.

The defaults (shipped ``reasons.yaml``) are the supervisors' published
criteria: 问题不具体、原因不深刻、措施不明确; 以工作问题代替作风问题…; 雷同.
A unit may use its own list with ``--reasons FILE`` (same format). A reason
is named on the command line by its id or its label; the label is what the
response file records and the cadre sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from selfcheck.errors import Problem, ReviewError
from selfcheck.textsafe import clean_text

SHIPPED = "reasons.yaml"


@dataclass(frozen=True)
class Reason:
    """One reason for sending a material back."""

    id: str
    label: str
    help: str = ""


@dataclass(frozen=True)
class ReasonList:
    """The reasons in force, and where they came from."""

    reasons: tuple[Reason, ...]
    source: str

    def find(self, text: str) -> Reason | None:
        """The reason whose id or label is ``text`` (blanks around it ignored)."""
        key = text.strip()
        for reason in self.reasons:
            if key in (reason.id, reason.label):
                return reason
        return None

    def choices(self) -> str:
        """``label（id）`` for every reason, joined by 、."""
        return "、".join(f"{r.label}（{r.id}）" for r in self.reasons)

    def resolve(self, given: list[str]) -> list[str]:
        """The labels of ``given`` reasons, in order, without repeats; raise naming unknown ones
        (the caller says what was therefore not recorded)."""
        labels: list[str] = []
        unknown: list[str] = []
        for text in given:
            found = self.find(text)
            if found is None:
                unknown.append(clean_text(text).strip() or "（空）")
            elif found.label not in labels:
                labels.append(found.label)
        if unknown:
            shown = "、".join(f"“{u}”" for u in unknown)
            raise ReviewError(
                f"未知的退回理由 {shown}（理由清单：{self.source}）。可选：{self.choices()}"
            )
        return labels


def load_reasons(path: Path | None = None) -> ReasonList:
    """The reasons of ``path`` (a YAML file like the shipped one), or the shipped defaults."""
    from selfcheck.yamlsafe import parse_yaml, read_yaml_file

    if path is None:
        raw = resources.files("selfcheck.review").joinpath(SHIPPED).read_bytes()
        loaded = parse_yaml(raw, SHIPPED)
        source = "内置理由清单"
    else:
        loaded = read_yaml_file(path)
        source = str(path)
    data = loaded.data
    file = loaded.file
    entries = data.get("reasons") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        line, col = loaded.locate(("reasons",))
        raise ReviewError(
            f"退回理由清单无效：{file}",
            [Problem(file, line, col, "reasons", "应为非空列表，每项有 id 和 label")],
        )
    reasons: list[Reason] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries):
        loc = ("reasons", n)
        if not isinstance(entry, dict):
            problems.append(loaded.problem(loc, "应为含 id 和 label 的对象"))
            continue
        fields = {}
        for key in ("id", "label", "help"):
            value = entry.get(key, "")
            if not isinstance(value, str):
                problems.append(loaded.problem((*loc, key), "应为文本"))
                value = ""
            fields[key] = clean_text(value).strip()
        for key in ("id", "label"):
            if not fields[key]:
                problems.append(loaded.problem((*loc, key), "不能为空"))
        for key in ("id", "label"):
            if fields[key] and fields[key] in seen:
                problems.append(loaded.problem((*loc, key), f"与前面的理由重复：{fields[key]}"))
        seen.update(v for k, v in fields.items() if k != "help" and v)
        extra = sorted(set(entry) - {"id", "label", "help"})
        if extra:
            problems.append(loaded.problem(loc, f"未知字段：{'、'.join(map(str, extra))}"))
        reasons.append(Reason(fields["id"], fields["label"], fields["help"]))
    if problems:
        raise ReviewError(f"退回理由清单有 {len(problems)} 处问题：{file}", problems)
    return ReasonList(tuple(reasons), source)
