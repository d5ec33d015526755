"""Load a checklist file: strict YAML, schema, cross-references, resolution, hash."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from selfcheck.checklist.conditions import RESERVED_NAMES, ConditionError, referenced_names
from selfcheck.checklist.model import (
    CHOICE_TYPES,
    Checklist,
    ChecklistSource,
    Item,
    Option,
    Question,
    QuestionSetRef,
    Section,
)
from selfcheck.errors import ChecklistError, Problem
from selfcheck.pydantic_messages import translate
from selfcheck.yamlsafe import LoadedYaml, Loc, YamlError, parse_yaml, read_yaml_file


@dataclass
class ValidationReport:
    """Outcome of validating one checklist file."""

    file: str
    checklist: Checklist | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file has no errors (warnings allowed)."""
        return not self.problems and self.checklist is not None


def validate_checklist_file(path: Path, display: str | None = None) -> ValidationReport:
    """Validate one checklist file and collect every problem (never raises ours)."""
    name = display or str(path)
    try:
        loaded = read_yaml_file(path, name)
    except YamlError as exc:
        return ValidationReport(name, problems=exc.problems or [Problem(name, 1, 1, "", exc.message)])
    return validate_loaded(loaded)


def validate_checklist_text(text: str | bytes, name: str) -> ValidationReport:
    """Validate checklist YAML given as text or bytes (for tests and editors)."""
    try:
        loaded = parse_yaml(text, name)
    except YamlError as exc:
        return ValidationReport(name, problems=exc.problems or [Problem(name, 1, 1, "", exc.message)])
    return validate_loaded(loaded)


def validate_loaded(loaded: LoadedYaml) -> ValidationReport:
    """Schema and cross-reference checks on already parsed YAML."""
    report = ValidationReport(loaded.file, warnings=list(loaded.warnings))
    if not isinstance(loaded.data, dict):
        report.problems.append(loaded.problem((), "检查表应是一个映射（以“键: 值”书写），文件为空或格式不对"))
        return report
    try:
        source = ChecklistSource.model_validate(loaded.data)
    except ValidationError as exc:
        report.problems.extend(translate(exc, loaded, ChecklistSource))
        return report
    report.problems.extend(_cross_check(source, loaded))
    if report.problems:
        return report
    report.checklist = resolve(source, source_path=loaded.file)
    return report


def load_checklist(path: Path, display: str | None = None) -> Checklist:
    """Load and resolve a checklist; raise :class:`ChecklistError` listing every problem."""
    report = validate_checklist_file(path, display)
    if report.checklist is None or report.problems:
        raise ChecklistError(f"检查表有错误：{report.file}", report.problems)
    return report.checklist


# ------------------------------------------------------------------ cross checks


def _duplicates(values: list[tuple[str, Loc]], what: str, loaded: LoadedYaml) -> list[Problem]:
    seen: dict[str, Loc] = {}
    out = []
    for value, loc in values:
        if value in seen:
            line, _ = loaded.locate(seen[value])
            out.append(loaded.problem(loc, f"{what}“{value}”重复（第 {line} 行已使用）"))
        else:
            seen[value] = loc
    return out


def _cross_check(src: ChecklistSource, loaded: LoadedYaml) -> list[Problem]:
    problems: list[Problem] = []
    problems += _duplicates([(r.id, ("roles", i, "id")) for i, r in enumerate(src.roles)], "角色标识", loaded)
    role_ids = {r.id for r in src.roles}
    for name, options in src.scales.items():
        problems += _check_options(options, ("scales", name), loaded)
    for set_id, entries in src.question_sets.items():
        for i, entry in enumerate(entries):
            if isinstance(entry, QuestionSetRef):
                problems.append(
                    loaded.problem(("question_sets", set_id, i, "use"), "问题组中不能再引用其他问题组")
                )
    problems += _duplicates([(s.id, ("sections", i, "id")) for i, s in enumerate(src.sections)], "章节标识", loaded)
    problems += _duplicates(
        [
            (item.id, ("sections", si, "items", ii, "id"))
            for si, s in enumerate(src.sections)
            for ii, item in enumerate(s.items)
        ],
        "检查项标识",
        loaded,
    )
    for si, section in enumerate(src.sections):
        sloc: Loc = ("sections", si)
        if not section.items:
            problems.append(loaded.problem((*sloc, "items"), f"章节“{section.title}”没有任何检查项"))
        for ri, role in enumerate(section.roles or []):
            if role not in role_ids:
                problems.append(
                    loaded.problem(
                        (*sloc, "roles", ri), f"未知角色“{role}”，已定义的角色：{'、'.join(sorted(role_ids))}"
                    )
                )
        for ii, item in enumerate(section.items):
            iloc: Loc = (*sloc, "items", ii)
            entries = item.questions if item.questions is not None else section.questions
            entries_loc: Loc = (*iloc, "questions") if item.questions is not None else (*sloc, "questions")
            if not entries:
                problems.append(
                    loaded.problem(iloc, f"检查项“{item.id}”没有问题：请写 questions，或在章节上写默认 questions")
                )
                continue
            problems += _check_item_questions(src, entries, entries_loc, loaded)
    return problems


def _check_options(options: list[Option], loc: Loc, loaded: LoadedYaml) -> list[Problem]:
    problems = []
    if not options:
        problems.append(loaded.problem(loc, "选项列表不能为空"))
    problems += _duplicates([(o.value, (*loc, i, "value")) for i, o in enumerate(options)], "选项值", loaded)
    return problems


def _expand(
    src: ChecklistSource, entries: list[Question | QuestionSetRef], loc: Loc
) -> list[tuple[Question, Loc]]:
    """Inline question-set references; each question keeps its source location."""
    out: list[tuple[Question, Loc]] = []
    for i, entry in enumerate(entries):
        if isinstance(entry, QuestionSetRef):
            for j, q in enumerate(src.question_sets.get(entry.use, [])):
                if isinstance(q, Question):
                    out.append((q, ("question_sets", entry.use, j)))
        else:
            out.append((entry, (*loc, i)))
    return out


def _check_item_questions(
    src: ChecklistSource, entries: list[Question | QuestionSetRef], loc: Loc, loaded: LoadedYaml
) -> list[Problem]:
    problems = []
    for i, entry in enumerate(entries):
        if isinstance(entry, QuestionSetRef) and entry.use not in src.question_sets:
            known = "、".join(src.question_sets) or "（无）"
            problems.append(loaded.problem((*loc, i, "use"), f"未知问题组“{entry.use}”，已定义：{known}"))
    expanded = _expand(src, entries, loc)
    problems += _duplicates([(q.id, (*qloc, "id")) for q, qloc in expanded], "问题标识", loaded)
    earlier: set[str] = set()
    for question, qloc in expanded:
        problems += _check_question(src, question, qloc, earlier, loaded)
        earlier.add(question.id)
    return problems


def _check_question(
    src: ChecklistSource, q: Question, loc: Loc, earlier: set[str], loaded: LoadedYaml
) -> list[Problem]:
    problems = []
    if q.type in CHOICE_TYPES:
        if q.scale is None and q.options is None:
            problems.append(loaded.problem(loc, f"选择题“{q.id}”需要 scale（评分等级）或 options（选项）"))
        if q.scale is not None and q.options is not None:
            problems.append(loaded.problem((*loc, "options"), "scale 与 options 只能写一个"))
        if q.scale is not None and q.scale not in src.scales:
            known = "、".join(src.scales) or "（无）"
            problems.append(loaded.problem((*loc, "scale"), f"未知评分等级“{q.scale}”，已定义：{known}"))
        if q.options is not None:
            problems += _check_options(q.options, (*loc, "options"), loaded)
    else:
        for attr in ("scale", "options"):
            if getattr(q, attr) is not None:
                problems.append(loaded.problem((*loc, attr), f"只有选择题才能写 {attr}（本题类型为 {q.type}）"))
    if q.type != "number" and (q.min is not None or q.max is not None or q.unit is not None):
        problems.append(loaded.problem(loc, "min、max、unit 只适用于数字题（type: number）"))
    if q.min is not None and q.max is not None and q.min > q.max:
        problems.append(loaded.problem((*loc, "min"), "min 不能大于 max"))
    if q.when is not None:
        try:
            names = referenced_names(q.when)
        except ConditionError as exc:
            problems.append(loaded.problem((*loc, "when"), str(exc)))
        else:
            unknown = sorted(names - earlier - RESERVED_NAMES)
            if unknown:
                allowed = "、".join(sorted(earlier)) or "（无：这是第一个问题）"
                problems.append(
                    loaded.problem(
                        (*loc, "when"),
                        f"条件引用了未知问题“{'、'.join(unknown)}”；只能引用本检查项中前面的问题：{allowed}",
                    )
                )
    return problems


# -------------------------------------------------------------------- resolution


def resolve(src: ChecklistSource, source_path: str = "") -> Checklist:
    """Expand references and compute the content hash (input must be cross-checked)."""
    all_roles = [r.id for r in src.roles]
    sections = []
    for section in src.sections:
        items = []
        for item in section.items:
            entries = item.questions if item.questions is not None else section.questions or []
            questions = [_resolve_question(src, q) for q, _ in _expand(src, entries, ())]
            items.append(
                Item(
                    id=item.id,
                    title=item.title,
                    text=item.text,
                    standard=item.standard,
                    help=item.help,
                    questions=questions,
                )
            )
        sections.append(
            Section(
                id=section.id,
                title=section.title,
                rubric=section.rubric,
                intro=section.intro,
                roles=list(section.roles) if section.roles else list(all_roles),
                items=items,
            )
        )
    body = {
        "schema_version": src.schema_version,
        "id": src.id,
        "version": src.version,
        "title": src.title,
        "description": src.description,
        "campaign": src.campaign.model_dump(mode="json"),
        "roles": [r.model_dump(mode="json") for r in src.roles],
        "sections": [s.model_dump(mode="json") for s in sections],
    }
    digest = content_hash(body)
    return Checklist(
        id=src.id,
        version=src.version,
        sha256=digest,
        title=src.title,
        description=src.description,
        campaign=src.campaign,
        roles=list(src.roles),
        sections=sections,
        source=source_path,
    )


def _resolve_question(src: ChecklistSource, q: Question) -> Question:
    if q.scale is not None:
        return q.model_copy(update={"options": [o.model_copy() for o in src.scales[q.scale]]})
    return q.model_copy()


def content_hash(body: object) -> str:
    """sha256 of the canonical JSON form (sorted keys, UTF-8, no spaces)."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
