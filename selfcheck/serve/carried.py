"""``selfcheck serve --previous PREVDIR``: last round's problems in the browser form.

The browser side of :mod:`selfcheck.carry`, as :mod:`selfcheck.run.previous`
is the terminal's. At start, :func:`find_previous` reads every submitted
response of the previous round's folder and gives each roster person his
(matched by unit and name, :func:`selfcheck.summary.roster.person_key`; a
file named as one person's, :func:`selfcheck.response.response_filename`,
that holds another's is refused for him), checked by the terminal's own
:func:`selfcheck.run.previous.load_previous` (draft, other person, unknown
checklist). What is wrong is listed in Chinese and ignored for that person.

:func:`read_statements` turns the page's fields into the same
:class:`selfcheck.carry.Statement` the terminal asks for, and
:func:`carry_into` merges the kept problems into the engine's answers with
:func:`selfcheck.carry.merge_answers`, exactly as ``run`` does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from selfcheck import carry, rules
from selfcheck.errors import SelfcheckError
from selfcheck.response import PreviousRound, load_response, response_filename
from selfcheck.summary.reader import clean_unit
from selfcheck.summary.roster import person_key

if TYPE_CHECKING:
    from selfcheck.checklist.model import Checklist
    from selfcheck.engine import Engine
    from selfcheck.serve.people import Person

KEEP_YES = "1"
KEEP_NO = "0"


@dataclass
class PreviousFiles:
    """Each roster person's previous round (person key → problems, not yet stated)."""

    rounds: dict[str, PreviousRound] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    """Files that were not used and why (Chinese, one line each), shown at start."""


def find_previous(
    folder: Path, checklist: Checklist, people: Sequence[Person], dirs: Sequence[Path]
) -> PreviousFiles:
    """Every roster person's submitted response of the previous round in ``folder``."""
    from selfcheck.folder import discover
    from selfcheck.run.identity import Identity
    from selfcheck.run.previous import load_previous
    from selfcheck.textsafe import display_name

    found = PreviousFiles()
    if not folder.is_dir():
        found.notes.append(f"上一轮答卷文件夹 {folder} 不存在或不是文件夹，本次不带入上一轮问题")
        return found
    by_key = {p.key: p for p in people}
    paths, _, skipped = discover([folder])
    found.notes.extend(f"上一轮答卷 {s.file}：{s.reason}，未使用" for s in skipped)
    chosen: dict[str, tuple[Path, PreviousRound, str]] = {}
    for raw, display in paths:
        path = Path(raw)
        shown = display_name(display)
        if path.name.endswith(".draft.json"):
            continue  # drafts are not last round's results
        try:
            response = load_response(path)
        except SelfcheckError as exc:
            found.notes.append(f"上一轮答卷 {shown} 无法读取：{exc.message}，未使用")
            continue
        who = response.respondent
        named = next(
            (
                p
                for p in people
                if path.name == response_filename(p.unit, p.name, response.checklist.id)
            ),
            None,
        )
        # The roster's keys are cleaned as the summary cleans a response's unit and name.
        person = named or by_key.get(person_key(clean_unit(who.unit), rules.clean_name(who.name)))
        if person is None:
            continue  # someone not on this round's roster
        identity = Identity(name=person.name, unit=person.unit, position=person.position)
        try:
            round_ = load_previous(path, checklist, identity, dirs)
        except SelfcheckError as exc:
            found.notes.append(f"{exc.message}（{person.unit} {person.name} 不带入上一轮问题）")
            continue
        earlier = chosen.get(person.key)
        if earlier is not None:
            keep, drop = _newer((path, round_, shown), earlier)
            found.notes.append(
                f"{person.unit} {person.name} 有多份上一轮答卷：使用 {keep[2]}，未使用 {drop[2]}"
            )
            chosen[person.key] = keep
        else:
            chosen[person.key] = (path, round_, shown)
    found.rounds = {key: value[1] for key, value in chosen.items()}
    return found


def _newer(
    a: tuple[Path, PreviousRound, str], b: tuple[Path, PreviousRound, str]
) -> tuple[tuple[Path, PreviousRound, str], tuple[Path, PreviousRound, str]]:
    def when(x: tuple[Path, PreviousRound, str]) -> float:
        moment = x[1].submitted_at
        return moment.timestamp() if moment is not None else 0.0

    return (a, b) if when(a) >= when(b) else (b, a)


def pending(round_: PreviousRound | None) -> bool:
    """Whether the person still has to state where last round's problems stand."""
    return round_ is not None and bool(carry.unstated(round_))


@dataclass
class Typed:
    """What the page's fields said about one problem (shown again on an error)."""

    state: str = ""
    note: str = ""
    keep: str = KEEP_YES
    removed: str = ""
    deadline: str = ""


def typed_of(round_: PreviousRound) -> list[Typed]:
    """The page's fields as a round's statements fill them (empty for unstated ones)."""
    out = []
    for p in round_.problems:
        if p.state is None:
            out.append(Typed())
        else:
            out.append(
                Typed(
                    p.state.value,
                    p.note,
                    KEEP_NO if p.removed else KEEP_YES,
                    p.removed,
                    p.kept_deadline.isoformat() if p.kept_deadline else "",
                )
            )
    return out


def read_statements(
    round_: PreviousRound, fields: Mapping[str, list[str]]
) -> tuple[PreviousRound | None, list[Typed], dict[int, str]]:
    """The round with the page's statements, the typed values, and errors by problem number.

    Fields per problem ``N`` (1-based): ``state.N`` (one of the four states),
    ``note.N``, ``keep.N`` (1: 列为本轮问题, 0: not), ``removed.N`` (the reason,
    required when not kept) and ``deadline.N``. All or nothing: with any error
    the round is None and nothing is to be saved.
    """
    from selfcheck import clock
    from selfcheck.answers import InvalidAnswer, parse_deadline

    def get(name: str) -> str:
        values = fields.get(name)
        return values[0] if values else ""

    typed: list[Typed] = []
    errors: dict[int, str] = {}
    problems = list(round_.problems)
    for n, problem in enumerate(round_.problems, start=1):
        given = Typed(
            get(f"state.{n}"),
            get(f"note.{n}"),
            get(f"keep.{n}") or KEEP_YES,
            get(f"removed.{n}"),
            get(f"deadline.{n}").strip(),
        )
        typed.append(given)
        state = rules.carry_state_of(given.state) if given.state else None
        if state is None or given.state != state.value:
            errors[n] = "请选择现在的整改情况：" + "、".join(s.label for s in rules.CARRY_STATES)
            continue
        try:
            note = carry.clean_note(given.note)
            kept = not (state.carries_over and problem.item is not None and given.keep == KEEP_NO)
            removed = "" if kept else carry.clean_note(given.removed, "不列为本轮问题的理由")
        except ValueError as exc:
            errors[n] = str(exc)
            continue
        if not kept and not removed:
            errors[n] = "不列为本轮问题时，请写明理由"
            continue
        deadline: date | None = None
        if kept and state.carries_over and problem.item is not None and given.deadline:
            try:
                deadline = parse_deadline(given.deadline, clock.today())
            except InvalidAnswer as exc:
                errors[n] = f"本轮整改时限：{exc}"
                continue
        problems[n - 1] = carry.apply_statement(
            problem, carry.Statement(state, note, removed, deadline)
        )
    if errors:
        return None, typed, errors
    return msgspec.structs.replace(round_, problems=problems), typed, errors


def carry_into(engine: Engine, checklist: Checklist, round_: PreviousRound) -> None:
    """Write the kept problems (上轮遗留) into the engine's answers, as ``run`` does."""
    engine.load(carry.merge_answers(checklist, engine.answers, round_))
