"""Who is answering: asked once, remembered in a small profile, confirmed next time."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck import rules
from selfcheck.atomicio import write_text_atomic
from selfcheck.paths import config_dir
from selfcheck.prompter import GoBack
from selfcheck.response import Respondent
from selfcheck.textsafe import dotted_line, one_line

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date

    from selfcheck.checklist.model import Checklist, Question
    from selfcheck.prompter import Prompter
    from selfcheck.response import Answer

PROFILE_NAME = "profile.json"
MAX_FIELD = 50


@dataclass
class Identity:
    """Name, unit, position and role id of the person answering."""

    name: str = ""
    unit: str = ""
    position: str = ""
    role: str = ""

    def describe(self, checklist: Checklist | None = None) -> str:
        """``张三 · 局办公室 · 科员 · 一般干部`` for confirmations."""
        role = checklist.role_label(self.role) if checklist is not None else self.role
        return dotted_line(self.name, self.unit, self.position, role)

    def respondent(self) -> Respondent:
        """The response file's ``respondent``."""
        return Respondent(name=self.name, unit=self.unit, position=self.position, role=self.role)


@dataclass
class IdentityHints:
    """Where identity fields may come from, strongest first."""

    flags: Identity = field(default_factory=Identity)
    answers_file: Identity = field(default_factory=Identity)


def profile_path() -> Path:
    """The profile file in the user's config folder."""
    return config_dir() / PROFILE_NAME


def load_profile() -> Identity | None:
    """The remembered identity, or None when there is none (or it is unreadable)."""
    try:
        data = json.loads(profile_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    values = {k: clean_field(str(data.get(k) or "")) for k in ("name", "unit", "position", "role")}
    identity = Identity(**values)
    return identity if identity.name and identity.unit else None


def save_profile(identity: Identity) -> None:
    """Remember the identity (atomic write, mode 0600)."""
    text = json.dumps(asdict(identity), ensure_ascii=False, indent=2) + "\n"
    write_text_atomic(profile_path(), text, private=True)


def clean_field(text: str) -> str:
    """A one-line identity field: control characters removed, blanks collapsed."""
    return one_line(text)


def match_role(checklist: Checklist, text: str) -> str | None:
    """The role id for ``text`` given as id or label (None if no role matches)."""
    return rules.find_role(text, ((role.id, role.label) for role in checklist.roles))


def merge_hints(*layers: Identity | None) -> Identity:
    """Field by field, the first non-empty value of ``layers``."""
    merged = Identity()
    for attr in ("name", "unit", "position", "role"):
        for layer in layers:
            value = getattr(layer, attr) if layer is not None else ""
            if value:
                setattr(merged, attr, value)
                break
    return merged


def establish_identity(prompter: Prompter, checklist: Checklist, hints: IdentityHints) -> Identity:
    """Confirm the remembered identity or ask for it; remember the result.

    Fields given as command-line flags are taken as they are and not asked.
    """
    flags = hints.flags
    known = merge_hints(flags, hints.answers_file, load_profile())
    if known.role and match_role(checklist, known.role) is None:
        known.role = ""
    elif known.role:
        known.role = match_role(checklist, known.role) or ""
    complete = bool(known.name and known.unit and known.role)
    all_flags = bool(flags.name and flags.unit and flags.role)
    source = "答案文件中的身份" if hints.answers_file.name else "上次填写的身份"
    if complete and (all_flags or _confirm_known(prompter, checklist, known, source)):
        identity = known
    else:
        identity = _ask_identity(prompter, checklist, known, flags)
    save_profile(identity)
    return identity


FIRST_QUESTION = "已经是第一个问题了。"
HELP = {
    "confirm": "回答“是”沿用这份身份；回答“否”重新填写姓名、单位、职务和身份。",
    "name": "本人姓名，与对照检查材料上的署名一致。",
    "unit": "所在单位或科室，如“局办公室”。答卷文件以“单位-姓名”命名。",
    "position": "现任职务，如 科员、副科长；可不填。",
    "role": "身份决定要对照的内容，例如“领导作风”（三多三好）只由领导干部填写。",
}


def _confirm_known(prompter: Prompter, checklist: Checklist, known: Identity, source: str) -> bool:
    prompter.say(f"{source}：" + known.describe(checklist), "green")
    while True:
        try:
            return prompter.confirm("是您本人吗？", help=HELP["confirm"], nav=True)
        except GoBack:
            prompter.say(FIRST_QUESTION, "yellow")


def _ask_identity(
    prompter: Prompter, checklist: Checklist, known: Identity, flags: Identity
) -> Identity:
    """The identity questions in turn; ``<`` goes back one, ``q`` raises SaveAndQuit.

    Navigation keys and ``?`` are never taken as values.
    """
    prompter.say("请先填写您的基本信息（只需填写一次，下次自动带出）。", "bold")
    got = Identity(name=flags.name, unit=flags.unit, position=flags.position)
    fields: list[tuple[str, str, bool]] = [
        ("name", "姓名", True),
        ("unit", "单位（如 局办公室、某某科）", True),
        ("position", "职务（如 科员、副科长）", False),
    ]
    asked = [f for f in fields if not getattr(flags, f[0])]
    role = match_role(checklist, flags.role) if flags.role else None
    steps: list[str] = [f[0] for f in asked] + (["role"] if role is None else [])
    at = 0
    while at < len(steps):
        attr = steps[at]
        try:
            if attr == "role":
                role = _ask_role(prompter, checklist, known.role if role is None else role)
            else:
                _, label, required = next(f for f in fields if f[0] == attr)
                current = getattr(got, attr) or getattr(known, attr)
                setattr(got, attr, _ask_field(prompter, attr, label, current, required=required))
        except GoBack:
            if at == 0:
                prompter.say(FIRST_QUESTION, "yellow")
            else:
                at -= 1
            continue
        at += 1
    assert role is not None
    return Identity(name=got.name, unit=got.unit, position=got.position, role=role)


def _ask_role(prompter: Prompter, checklist: Checklist, known: str) -> str:
    labels = [r.label for r in checklist.roles]
    current = next((i for i, r in enumerate(checklist.roles) if r.id == known), None)
    index = prompter.choose("您的身份", labels, default=current, help=HELP["role"], nav=True)
    return checklist.roles[index].id


def _ask_field(prompter: Prompter, attr: str, label: str, default: str, *, required: bool) -> str:
    value = prompter.ask_text(
        label,
        default=default or None,
        required=required,
        max_length=MAX_FIELD,
        help=HELP[attr],
        nav=True,
    )
    return value or ""


def ask_identity_questions(
    prompter: Prompter, checklist: Checklist, given: Mapping[str, Answer], *, today: date
) -> dict[str, Answer]:
    """Ask the checklist's ``identity_questions`` once per response (e.g. 征求意见建议条数).

    ``given`` (a resumed draft's or an answers file's values) are offered as
    defaults; an optional question may be skipped. Choice questions are asked
    as a choice, everything else as one line checked by
    :func:`selfcheck.answers.normalize`.
    """
    from selfcheck.answers import display_answer, normalize

    answers: dict[str, Answer] = {}
    for question in checklist.identity_questions:
        previous = given.get(question.id)
        if question.type in ("single_choice", "multiple_choice") and question.options:
            labels = [o.label for o in question.options]
            values = [o.value for o in question.options]
            index = prompter.choose(
                question.prompt,
                labels,
                default=values.index(previous) if previous in values else None,
                help=question.help,
            )
            answers[question.id] = values[index]
            continue

        def parse(text: str, question: Question = question) -> Answer:
            return normalize(question, text, today=today)

        value = prompter.ask(
            question.prompt,
            parse,
            default=display_answer(question, previous) if previous is not None else None,
            required=question.required,
            help=question.help,
        )
        if value is not None:
            answers[question.id] = value
    return answers
