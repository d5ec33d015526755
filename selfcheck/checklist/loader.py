"""Load a checklist file: strict YAML, schema, cross-references, resolution, hash."""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Sequence
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
from selfcheck.checklist.salvage import ROLE_REF, SCALE_REF, SET_REF, WHEN_REF, salvage
from selfcheck.errors import ChecklistError, Loc, Problem, YamlError
from selfcheck.pydantic_messages import translate
from selfcheck.textsafe import first_unsafe_char
from selfcheck.yamlsafe import LoadedYaml, parse_yaml, read_yaml_file


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
        loaded = read_yaml_file(path, name, keep_going=True)
    except YamlError as exc:
        return ValidationReport(
            name, problems=exc.problems or [Problem(name, 1, 1, "", exc.message)]
        )
    return validate_loaded(loaded)


def validate_checklist_text(text: str | bytes, name: str) -> ValidationReport:
    """Validate checklist YAML given as text or bytes (for tests and editors)."""
    try:
        loaded = parse_yaml(text, name, keep_going=True)
    except YamlError as exc:
        return ValidationReport(
            name, problems=exc.problems or [Problem(name, 1, 1, "", exc.message)]
        )
    return validate_loaded(loaded)


def validate_loaded(loaded: LoadedYaml) -> ValidationReport:
    """Schema and cross-reference checks on already parsed YAML.

    Faults the YAML reader kept going past (``loaded.errors``, e.g. duplicate
    keys) are reported together with schema and cross-reference problems,
    de-duplicated and in file order.
    """
    report = ValidationReport(loaded.file, warnings=list(loaded.warnings))
    report.problems.extend(loaded.errors)
    report.problems.extend(_unsafe_text(loaded.data, (), loaded))
    if loaded.data is None:
        report.problems.append(
            loaded.problem(
                (), "文件是空的（或只有注释）：检查表至少要有 schema_version、id、title 等字段"
            )
        )
        return _finish(report)
    if not isinstance(loaded.data, dict):
        report.problems.append(
            loaded.problem(
                (),
                "检查表应是一组“键: 值”（schema_version、id、title、sections 等），"
                "而不是列表或单个值",
            )
        )
        return _finish(report)
    try:
        source = ChecklistSource.model_validate(loaded.data, strict=True)
    except ValidationError as exc:
        report.problems.extend(translate(exc, loaded, ChecklistSource))
        repaired = salvage(loaded.data, exc.errors(include_url=False), ChecklistSource)
        if repaired is not None:
            repaired_source = ChecklistSource.model_validate(repaired.data, strict=True)
            report.problems.extend(
                p
                for kind, p in _cross_check(repaired_source, loaded)
                if kind not in repaired.suppressed
            )
        return _finish(report)
    checked = _cross_check(source, loaded)
    report.problems.extend(p for _, p in checked)
    report.warnings.extend(_unused_warnings(source, loaded))
    if report.problems:
        return _finish(report)
    report.checklist = resolve(source, source_path=loaded.file)
    report.warnings.extend(_trial_warnings(source, report.checklist, loaded))
    return _finish(report)


def _unsafe_text(data: object, loc: Loc, loaded: LoadedYaml) -> list[Problem]:
    """Text with a control character, escape code or bidirectional control in it (written
    as a YAML escape such as ``"\\e"``): refused, since the checklist's words go into
    every material, summary and terminal."""
    if isinstance(data, str):
        char = first_unsafe_char(data)
        if char is None:
            return []
        message = f"文字中有控制字符 {char}（如 \\e、\\0、\\u202e 等转义），请删去"
        return [loaded.problem(loc, message)]
    if isinstance(data, dict):
        return [p for key, value in data.items() for p in _unsafe_text(value, (*loc, key), loaded)]
    if isinstance(data, list):
        return [p for n, value in enumerate(data) for p in _unsafe_text(value, (*loc, n), loaded)]
    return []


def _trial_warnings(
    src: ChecklistSource, checklist: Checklist, loaded: LoadedYaml
) -> list[Problem]:
    """Conditions that hold in no trial (:mod:`.trial`), at their ``when`` in the file.

    The resolved items come in source order, so each resolved question is paired
    with the place it was written. A question set's condition is warned about only
    when it holds in none of the items that use the set: ``role != 'leader'`` in a
    set shared by a leaders-only section and an all-roles one is no mistake."""
    from selfcheck.checklist.trial import Trials, verdicts

    found: dict[Loc, list[str | None]] = {}
    trials = Trials()
    for si, (section, resolved) in enumerate(zip(src.sections, checklist.sections, strict=True)):
        for ii, (item, item_resolved) in enumerate(zip(section.items, resolved.items, strict=True)):
            loc: Loc = ("sections", si, "items", ii, "questions")
            entries = item.questions
            if entries is None:
                entries, loc = section.questions or [], ("sections", si, "questions")
            where = {q.id: qloc for q, qloc in _expand(src, entries, loc)}
            for verdict in verdicts(item_resolved, resolved.roles, trials):
                found.setdefault(where[verdict.question.id], []).append(verdict.message)
    return [
        loaded.problem((*at, "when"), messages[0])
        for at, messages in found.items()
        if messages[0] is not None and all(m is not None for m in messages)
    ]


def _finish(report: ValidationReport) -> ValidationReport:
    """Drop repeated problems (a shared question set is checked once per item); sort by position."""
    for name in ("problems", "warnings"):
        unique = list(dict.fromkeys(getattr(report, name)))
        unique.sort(key=lambda p: (p.line or 0, p.col or 0))
        setattr(report, name, unique)
    return report


def load_checklist(path: Path, display: str | None = None) -> Checklist:
    """Load and resolve a checklist; raise :class:`ChecklistError` listing every problem."""
    report = validate_checklist_file(path, display)
    if report.checklist is None or report.problems:
        raise ChecklistError(f"检查表有错误：{report.file}", report.problems)
    return report.checklist


# ------------------------------------------------------------------ cross checks

Tagged = tuple[str, Problem]
"""A cross-check problem with its kind (see :mod:`selfcheck.checklist.salvage`)."""

OTHER = "other"


def _duplicates(values: Sequence[tuple[str, Loc]], what: str, loaded: LoadedYaml) -> list[Tagged]:
    seen: dict[str, Loc] = {}
    out: list[Tagged] = []
    for value, loc in values:
        if value in seen:
            line, _ = loaded.locate(seen[value])
            out.append((OTHER, loaded.problem(loc, f"{what}“{value}”重复（第 {line} 行已使用）")))
        else:
            seen[value] = loc
    return out


def _cross_check(src: ChecklistSource, loaded: LoadedYaml) -> list[Tagged]:
    problems: list[Tagged] = []
    problems += _duplicates(
        [(r.id, ("roles", i, "id")) for i, r in enumerate(src.roles)], "角色标识", loaded
    )
    role_ids = {r.id for r in src.roles}
    for name, options in src.scales.items():
        problems += _check_options(options, ("scales", name), loaded)
    used_sets = _used_sets(src)
    for set_id, set_entries in src.question_sets.items():
        for i, entry in enumerate(set_entries):
            if isinstance(entry, QuestionSetRef):
                problems.append(
                    (
                        OTHER,
                        loaded.problem(
                            ("question_sets", set_id, i, "use"), "问题组中不能再引用其他问题组"
                        ),
                    )
                )
        if set_id not in used_sets:
            # Not reached through any item: check it on its own.
            problems += _check_item_questions(src, set_entries, ("question_sets", set_id), loaded)
    if not src.sections:
        problems.append(
            (OTHER, loaded.problem(("sections",), "检查表没有任何章节：sections 下至少写一个章节"))
        )
    problems += _duplicates(
        [(s.id, ("sections", i, "id")) for i, s in enumerate(src.sections)], "章节标识", loaded
    )
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
            problems.append(
                (
                    OTHER,
                    loaded.problem(
                        (*sloc, "items"), f"章节“{section.title}”没有任何检查项：items 下至少写一项"
                    ),
                )
            )
        for ri, role in enumerate(section.roles or []):
            if role not in role_ids:
                problems.append(
                    (
                        ROLE_REF,
                        loaded.problem(
                            (*sloc, "roles", ri),
                            f"未知角色“{role}”，已定义的角色：{'、'.join(sorted(role_ids))}",
                        ),
                    )
                )
        if section.roles is not None and not section.roles:
            problems.append(
                (
                    OTHER,
                    loaded.problem(
                        (*sloc, "roles"), "roles 不能是空列表：省略 roles 表示适用于全部角色"
                    ),
                )
            )
        for ii, item in enumerate(section.items):
            iloc: Loc = (*sloc, "items", ii)
            entries: list[Question | QuestionSetRef] | None = (
                item.questions if item.questions is not None else section.questions
            )
            entries_loc: Loc = (
                (*iloc, "questions") if item.questions is not None else (*sloc, "questions")
            )
            if not entries:
                problems.append(
                    (
                        OTHER,
                        loaded.problem(
                            iloc,
                            f"检查项“{item.id}”没有问题：请写 questions，"
                            "或在章节上写默认 questions",
                        ),
                    )
                )
                continue
            problems += _check_item_questions(src, entries, entries_loc, loaded)
    return problems


def _used_sets(src: ChecklistSource) -> set[str]:
    """Question sets referenced from a section or an item."""
    used: set[str] = set()
    for section in src.sections:
        lists = [section.questions or []] + [item.questions or [] for item in section.items]
        for entries in lists:
            used.update(e.use for e in entries if isinstance(e, QuestionSetRef))
    return used


def _unused_warnings(src: ChecklistSource, loaded: LoadedYaml) -> list[Problem]:
    """Scales and question sets nothing refers to: probably a typo elsewhere."""
    used_scales = {
        q.scale
        for entries in src.question_sets.values()
        for q in entries
        if isinstance(q, Question) and q.scale
    }
    for section in src.sections:
        for entries in [section.questions or []] + [item.questions or [] for item in section.items]:
            used_scales.update(q.scale for q in entries if isinstance(q, Question) and q.scale)
    warnings = [
        loaded.problem(("scales", name), f"警告：评分等级“{name}”没有被任何问题使用", key=True)
        for name in src.scales
        if name not in used_scales
    ]
    used_sets = _used_sets(src)
    warnings += [
        loaded.problem(
            ("question_sets", name), f"警告：问题组“{name}”没有被任何章节或检查项使用", key=True
        )
        for name in src.question_sets
        if name not in used_sets
    ]
    return warnings


def _check_options(options: list[Option], loc: Loc, loaded: LoadedYaml) -> list[Tagged]:
    problems: list[Tagged] = []
    if not options:
        problems.append((OTHER, loaded.problem(loc, "选项列表不能为空")))
    problems += _duplicates(
        [(o.value, (*loc, i, "value")) for i, o in enumerate(options)], "选项值", loaded
    )
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
) -> list[Tagged]:
    problems: list[Tagged] = []
    for i, entry in enumerate(entries):
        if isinstance(entry, QuestionSetRef) and entry.use not in src.question_sets:
            known = "、".join(src.question_sets) or "（无）"
            close = difflib.get_close_matches(entry.use, list(src.question_sets), n=1, cutoff=0.6)
            hint = f"是否应为“{close[0]}”？" if close else ""
            problems.append(
                (
                    SET_REF,
                    loaded.problem(
                        (*loc, i, "use"), f"未知问题组“{entry.use}”。{hint}已定义：{known}"
                    ),
                )
            )
    entries, repeated = _repeated_sets(src, entries, loc, loaded)
    problems += repeated
    expanded = _expand(src, entries, loc)
    problems += _duplicates([(q.id, (*qloc, "id")) for q, qloc in expanded], "问题标识", loaded)
    # One answer per meaning: the report, rectify, the ledger and 雷同检查 then read the same.
    meanings = [(q.meaning, (*qloc, "meaning")) for q, qloc in expanded if q.meaning is not None]
    problems += _duplicates(meanings, "同一检查项中问题的含义", loaded)
    defined_at: dict[str, Loc] = {}
    for q, qloc in expanded:
        defined_at.setdefault(q.id, qloc)
    earlier: set[str] = set()
    for question, qloc in expanded:
        later = {
            qid: at for qid, at in defined_at.items() if qid not in earlier and qid != question.id
        }
        problems += _check_question(src, question, qloc, earlier, loaded, later)
        earlier.add(question.id)
    return problems


def _repeated_sets(
    src: ChecklistSource, entries: list[Question | QuestionSetRef], loc: Loc, loaded: LoadedYaml
) -> tuple[list[Question | QuestionSetRef], list[Tagged]]:
    """A question set used twice in one list: one problem at the second ``use`` (not one
    per question of the set, at the set), and the list without the repeat."""
    first: dict[str, Loc] = {}
    kept: list[Question | QuestionSetRef] = []
    problems: list[Tagged] = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, QuestionSetRef):
            kept.append(entry)
            continue
        here: Loc = (*loc, i, "use")
        if entry.use not in first:
            first[entry.use] = here
            kept.append(entry)
            continue
        line, _ = loaded.locate(first[entry.use])
        problems.append(
            (
                OTHER,
                loaded.problem(
                    here,
                    f"问题组“{entry.use}”在{_owner(src, loc)}中引用了两次（第 {line} 行已引用）："
                    "同一组问题只能引用一次，请删除这一行",
                ),
            )
        )
    return kept, problems


def _owner(src: ChecklistSource, loc: Loc) -> str:
    """``检查项“work-1”`` or ``章节“work”的问题列表``: whose question list ``loc`` is."""
    match loc:
        case ("sections", int(si), "items", int(ii), "questions"):
            return f"检查项“{src.sections[si].items[ii].id}”"
        case ("sections", int(si), "questions"):
            return f"章节“{src.sections[si].id}”的问题列表"
    return "同一个问题列表"


def _check_question(
    src: ChecklistSource,
    q: Question,
    loc: Loc,
    earlier: set[str],
    loaded: LoadedYaml,
    later: dict[str, Loc] | None = None,
) -> list[Tagged]:
    """The faults of one question; ``later`` holds the questions after it in its item
    (id → location), so a condition on one of them is told to move it, not "unknown"."""
    problems: list[Tagged] = []

    def add(where: Loc, message: str, kind: str = OTHER) -> None:
        problems.append((kind, loaded.problem(where, message)))

    if q.type in CHOICE_TYPES:
        if q.scale is None and q.options is None:
            add(loc, f"选择题“{q.id}”需要 scale（引用评分等级）或 options（直接列出选项）")
        if q.scale is not None and q.options is not None:
            add((*loc, "options"), "scale 与 options 只能写一个")
        if q.scale is not None and q.scale not in src.scales:
            known = "、".join(src.scales) or "（无）"
            close = difflib.get_close_matches(q.scale, list(src.scales), n=1, cutoff=0.6)
            hint = f"是否应为“{close[0]}”？" if close else ""
            add((*loc, "scale"), f"未知评分等级“{q.scale}”。{hint}已定义：{known}", SCALE_REF)
        if q.options is not None:
            problems.extend(_check_options(q.options, (*loc, "options"), loaded))
    else:
        for attr in ("scale", "options"):
            if getattr(q, attr) is not None:
                add((*loc, attr), f"只有选择题才能写 {attr}（本题类型为 {q.type}）")
    if q.type != "number" and (q.min is not None or q.max is not None or q.unit is not None):
        add(loc, "min、max、unit 只适用于数字题（type: number）")
    if q.min is not None and q.max is not None and q.min > q.max:
        add((*loc, "min"), "min 不能大于 max")
    if q.max_length is not None and q.type not in ("short_text", "long_text"):
        add((*loc, "max_length"), "max_length 只适用于文本题（short_text、long_text）")
    if q.when is not None:
        try:
            names = referenced_names(q.when)
        except ConditionError as exc:
            add((*loc, "when"), str(exc))
        else:
            unknown = sorted(names - earlier - RESERVED_NAMES)
            reserved = "、".join(sorted(RESERVED_NAMES))
            after = {name: (later or {})[name] for name in unknown if name in (later or {})}
            unknown = [name for name in unknown if name not in after]
            for name, at in after.items():
                line, _ = loaded.locate((*at, "id"))
                add(
                    (*loc, "when"),
                    f"条件引用的问题“{name}”在后面（第 {line} 行）才定义：条件只能引用排在"
                    f"前面的问题，请把问题“{name}”移到“{q.id}”之前",
                    WHEN_REF,
                )
            if unknown and loc[0] == "question_sets":
                # Checked once per item that uses the set: no per-item list of names, so
                # the items that share a fault share one message (repeats are dropped).
                close = [
                    m for name in unknown for m in difflib.get_close_matches(name, earlier, n=1)
                ]
                hint = f"是否应为“{'、'.join(close)}”？" if close else ""
                add(
                    (*loc, "when"),
                    f"条件引用了未知问题“{'、'.join(unknown)}”。{hint}问题组中的条件只能引用"
                    f"使用这组问题的检查项中排在它前面的问题，或 {reserved}",
                    WHEN_REF,
                )
            elif unknown:
                allowed = "、".join(sorted(earlier)) or "（无：这是第一个问题）"
                add(
                    (*loc, "when"),
                    f"条件引用了未知问题“{'、'.join(unknown)}”；只能引用本检查项中前面的问题：{allowed}"
                    f"，或 {reserved}",
                    WHEN_REF,
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
    if src.campaign.leading_body is None:  # keep the hash of checklists without it
        body["campaign"].pop("leading_body", None)  # type: ignore[attr-defined]
    identity = [_resolve_question(src, q) for q in src.identity_questions]
    if identity:  # only then part of the hash, so older checklists keep theirs
        body["identity_questions"] = [q.model_dump(mode="json") for q in identity]
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
        identity_questions=identity,
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
