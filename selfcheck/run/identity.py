"""Who is answering: asked once, remembered in a small profile, confirmed next time."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck.atomicio import write_text_atomic
from selfcheck.paths import config_dir
from selfcheck.response import Respondent
from selfcheck.textsafe import clean_text

if TYPE_CHECKING:
    from selfcheck.checklist.model import Checklist
    from selfcheck.prompter import Prompter

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
        role = self.role
        if checklist is not None:
            found = checklist.role(self.role)
            role = found.label if found else self.role
        return " · ".join(p for p in (self.name, self.unit, self.position, role) if p)

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
    return " ".join(clean_text(text).split())


def match_role(checklist: Checklist, text: str) -> str | None:
    """The role id for ``text`` given as id or label (None if no role matches)."""
    word = clean_field(text)
    for role in checklist.roles:
        if word in (role.id, role.label):
            return role.id
    return None


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


def _confirm_known(prompter: Prompter, checklist: Checklist, known: Identity, source: str) -> bool:
    prompter.say(f"{source}：" + known.describe(checklist), "green")
    return prompter.confirm("是您本人吗？")


def _ask_identity(
    prompter: Prompter, checklist: Checklist, known: Identity, flags: Identity
) -> Identity:
    prompter.say("请先填写您的基本信息（只需填写一次，下次自动带出）。", "bold")
    name = flags.name or _ask_field(prompter, "姓名", known.name, required=True)
    unit = flags.unit or _ask_field(
        prompter, "单位（如 局办公室、某某科）", known.unit, required=True
    )
    position = flags.position or _ask_field(
        prompter, "职务（如 科员、副科长）", known.position, required=False
    )
    role = match_role(checklist, flags.role) if flags.role else None
    if role is None:
        labels = [r.label for r in checklist.roles]
        current = next((i for i, r in enumerate(checklist.roles) if r.id == known.role), None)
        index = prompter.choose(
            "您的身份",
            labels,
            default=current,
            help="身份决定要对照的内容，例如“领导作风”（三多三好）只由领导干部填写。",
        )
        role = checklist.roles[index].id
    return Identity(name=name, unit=unit, position=position, role=role)


def _ask_field(prompter: Prompter, label: str, default: str, *, required: bool) -> str:
    value = prompter.ask_text(
        label, default=default or None, required=required, max_length=MAX_FIELD
    )
    return value or ""
