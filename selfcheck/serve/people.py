"""One person's draft and response, read and written for the browser.

Every request rebuilds the walk engine from the files in the collection
folder (:meth:`selfcheck.engine.Engine.from_response`), changes it and saves
through :class:`selfcheck.run.store.ResponseStore`: the same names, format,
atomic writes (0600) and lock as ``selfcheck run``. A save holds a per-person
thread lock and the draft's file lock; it is refused (:class:`Conflict`) when
the draft on disk is not the one the page was made from (another tab, the
terminal ``run``, another program), so a later save never silently undoes an
earlier one it has not seen.
"""

from __future__ import annotations

import copy
import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck import clock
from selfcheck.carry import with_round
from selfcheck.engine import AnswerIssue, Engine, Incomplete
from selfcheck.errors import ResponseError
from selfcheck.response import (
    Response,
    encode_response,
    locked,
    parse_response,
    read_file_bytes,
)
from selfcheck.run.identity import Identity
from selfcheck.run.store import ResponseStore
from selfcheck.summary.roster import RosterEntry, person_key

if TYPE_CHECKING:
    from collections.abc import Callable

    from selfcheck.checklist.model import Checklist
    from selfcheck.response import PreviousRound


@dataclass(frozen=True)
class Person:
    """Someone on the roster (role None: he chooses it on his first visit)."""

    number: int
    unit: str
    name: str
    position: str
    role: str | None

    @property
    def key(self) -> str:
        """``unit\\x1fname``, as the summary matches people."""
        return person_key(self.unit, self.name)

    @classmethod
    def from_roster(cls, number: int, entry: RosterEntry) -> Person:
        """The person of roster row ``number``."""
        return cls(number, entry.unit, entry.name, entry.position, entry.role)


class Conflict(Exception):
    """The draft changed on disk since the page was made."""

    def __init__(self, current: Response | None) -> None:
        super().__init__("draft changed on disk")
        self.current = current


class AlreadySubmitted(Exception):
    """A save with no draft after the response was submitted: it would start a
    blank draft in front of the submission (修改答案 makes the draft first)."""


class Closed(Exception):
    """The committee has closed the collection."""


class Unstated(Exception):
    """Last round's problems (``serve --previous``) are not all stated yet."""


def unsaved_text(engine: Engine) -> list[AnswerIssue]:
    """Text typed into questions that apply and not yet an answer (refused when
    saved, or left unfinished in the terminal): submitting would drop it."""
    return [
        AnswerIssue(
            step.item.id,
            step.question.id,
            f"“{step.question.prompt}”有输入后尚未保存的文字，请打开这一项核对后保存",
        )
        for step in engine.unfinished_steps()
    ]


def digest(data: bytes) -> str:
    """A file's version: a short digest of its bytes."""
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def stamp(response: Response | None) -> str:
    """A draft's version as sent with a page: the digest of the bytes it is saved as
    ('' when there is none)."""
    if response is None:
        return ""
    return digest(encode_response(response))


def _clone(engine: Engine) -> Engine:
    """An engine that can be changed without touching ``engine`` (its answer and
    cursor state copied; the checklist and item list shared, they are never changed)."""
    twin = copy.copy(engine)
    for name, value in vars(engine).items():
        if name in ("items", "_position"):
            continue
        if isinstance(value, dict):
            setattr(twin, name, {k: _copied(v) for k, v in value.items()})
        elif isinstance(value, list):
            setattr(twin, name, list(value))
    return twin


def _copied(value: object) -> object:
    """Two levels deep: answers by question of one item (lists of choices copied too)."""
    if isinstance(value, dict):
        return {k: list(v) if isinstance(v, list) else v for k, v in value.items()}
    return list(value) if isinstance(value, list) else value


@dataclass(frozen=True)
class _Cached:
    version: str
    draft: Response
    engine: Engine


@dataclass
class Loaded:
    """A person's files and the engine rebuilt from them."""

    store: ResponseStore
    draft: Response | None
    submitted: Response | None
    engine: Engine | None
    """None until the role is known."""
    role: str | None
    set_aside: Path | None = None
    version: str = ""
    """The version (digest of the file's bytes) of the draft the page shows."""
    carried: PreviousRound | None = None
    """``serve --previous``: last round's problems and what he said about them (kept in
    the draft and the response as ``previous``, as ``run --previous`` does)."""

    @property
    def base(self) -> str:
        """The version of the draft the page shows ('' when there is no draft)."""
        return self.version if self.draft is not None else ""


class Files:
    """Read and write every roster person's files in the collection folder."""

    def __init__(
        self,
        folder: Path,
        checklist: Checklist,
        previous: dict[str, PreviousRound] | None = None,
    ) -> None:
        self.folder = folder
        self.checklist = checklist
        self.previous = previous or {}
        """Person key → his previous round (``serve --previous``), nothing stated yet."""
        self._locks: dict[str, threading.Lock] = {}
        self._stores: dict[tuple[str, str], ResponseStore] = {}
        self._cache: dict[str, _Cached] = {}
        """The last engine built per person, valid while the draft's bytes are unchanged."""
        self._guard = threading.Lock()

    def lock(self, person: Person) -> threading.Lock:
        """The thread lock serialising ``person``'s writes in this process."""
        with self._guard:
            return self._locks.setdefault(person.key, threading.Lock())

    def store(self, person: Person, role: str) -> ResponseStore:
        """The run store of ``person`` (file names do not depend on the role)."""
        known = self._stores.get((person.key, role))
        if known is not None:
            known.set_aside = None
            return known
        identity = Identity(name=person.name, unit=person.unit, position=person.position, role=role)
        made = ResponseStore(self.folder, self.checklist, identity)
        self._stores[(person.key, role)] = made
        return made

    def load(self, person: Person) -> Loaded:
        """Read the draft and the submitted response; rebuild the engine."""
        store = self.store(person, person.role or "")
        draft, version, cached = self._read_draft(person, store)
        submitted = store.load_submitted()
        role = person.role
        if role is None:
            for known in (draft, submitted):
                if known is not None and self.checklist.role(known.respondent.role):
                    role = known.respondent.role
                    break
        store = self.store(person, role or "")
        loaded = Loaded(store, draft, submitted, None, role, store.set_aside, version)
        loaded.carried = self._carried(person, draft, submitted)
        if role is None or self.checklist.role(role) is None:
            loaded.role = None
            return loaded
        today = clock.today()
        source = draft if draft is not None and draft.respondent.role == role else None
        if source is not None and cached is not None and cached.engine.today == today:
            loaded.engine = _clone(cached.engine)
        elif source is not None:
            loaded.engine = Engine.from_response(self.checklist, source, today=today)
            self._cache[person.key] = _Cached(version, source, _clone(loaded.engine))
        elif draft is None and submitted is not None and submitted.respondent.role == role:
            # no draft: the pages show what was submitted (never a blank questionnaire)
            loaded.engine = Engine.from_response(self.checklist, submitted, today=today)
        else:
            loaded.engine = Engine(self.checklist, role, today=today, started_at=clock.now())
        return loaded

    def _carried(
        self, person: Person, draft: Response | None, submitted: Response | None
    ) -> PreviousRound | None:
        """The statements the draft (else the response) holds about this person's
        previous round; the round itself, unstated, when they hold none for it."""
        from selfcheck.run.previous import same_round

        configured = self.previous.get(person.key)
        source = draft if draft is not None else submitted
        held = source.previous if source is not None else None
        if held is not None and (configured is None or same_round(held, configured)):
            return held
        return configured

    def _read_draft(
        self, person: Person, store: ResponseStore
    ) -> tuple[Response | None, str, _Cached | None]:
        """The draft, its version, and the cached engine when the bytes are unchanged.

        A draft that does not validate goes through the store, which sets it aside.
        """
        try:
            raw = read_file_bytes(store.draft_path)
        except ResponseError:
            self._cache.pop(person.key, None)
            draft = store.load_draft()  # missing, unreadable or set aside: as ``run`` does
            return draft, stamp(draft), None
        version = digest(raw)
        cached = self._cache.get(person.key)
        if cached is not None and cached.version == version:
            return cached.draft, version, cached
        try:
            return parse_response(raw, str(store.draft_path)), version, None
        except ResponseError:
            self._cache.pop(person.key, None)
            draft = store.load_draft()
            return draft, stamp(draft), None

    def _remember(self, person: Person, draft: Response, engine: Engine) -> str:
        version = stamp(draft)
        self._cache[person.key] = _Cached(version, draft, _clone(engine))
        return version

    def change(
        self,
        person: Person,
        base: str,
        edit: Callable[[Loaded], None],
        *,
        role: str | None = None,
        merge: bool = False,
    ) -> tuple[Loaded, datetime]:
        """Load, check ``base``, let ``edit`` change the engine, save the draft.

        With ``merge`` the draft need not be ``base``: ``edit`` merges the page's
        changes into whatever it is now (an item's fields, one by one).
        Raises :class:`Conflict` when the draft on disk is not ``base``, and
        :class:`AlreadySubmitted` when there is no draft but a submission.
        Returns what was loaded (its engine changed) and the save time.
        """
        with self.lock(person):
            probe = self.store(person, role or person.role or "")
            with locked(probe.draft_path):
                loaded = self.load(person)
                if loaded.draft is None and loaded.submitted is not None:
                    raise AlreadySubmitted
                if loaded.base != base and not merge:
                    raise Conflict(loaded.draft)
                if loaded.engine is None and role is not None:
                    loaded.role = role
                    loaded.store = self.store(person, role)
                    loaded.engine = Engine(
                        self.checklist, role, today=clock.today(), started_at=clock.now()
                    )
                if loaded.engine is None:
                    raise Conflict(loaded.draft)
                edit(loaded)
                now = clock.now()
                draft = loaded.engine.draft(loaded.store.identity.respondent(), now=now)
                draft = with_round(draft, loaded.carried)
                self._cache.pop(person.key, None)
                loaded.store.save_draft(draft)
                loaded.draft = draft
                loaded.version = self._remember(person, draft, loaded.engine)
                return loaded, now

    def role_changeable(self, person: Person, loaded: Loaded) -> bool:
        """Whether ``person`` may change the role he chose: the roster does not give
        it, and nothing has been submitted (a submission keeps its role)."""
        return person.role is None and loaded.engine is not None and loaded.submitted is None

    def dropped_by(self, loaded: Loaded, role: str) -> list[tuple[str, str]]:
        """(section, item) titles of the answered items ``role`` does not answer: the
        answers a change to ``role`` would leave out."""
        assert loaded.engine is not None
        kept = {item.id for _, item in self.checklist.items_for(role)}
        answered = set(loaded.engine.values) | set(loaded.engine.unfinished)
        return [
            (section.title, item.title or item.text)
            for section, item in loaded.engine.items
            if item.id in answered and item.id not in kept
        ]

    @contextmanager
    def _draft_at(self, person: Person, base: str) -> Iterator[tuple[Loaded, Engine]]:
        """``person``'s draft, locked against every other writer, when it is still
        ``base``: else :class:`Conflict` (or :class:`AlreadySubmitted` when there is
        no draft but a submission)."""
        with self.lock(person):
            probe = self.store(person, person.role or "")
            with locked(probe.draft_path):
                loaded = self.load(person)
                if loaded.draft is None and loaded.submitted is not None:
                    raise AlreadySubmitted
                if loaded.base != base or loaded.engine is None:
                    raise Conflict(loaded.draft)
                yield loaded, loaded.engine

    def change_role(self, person: Person, base: str, role: str) -> Loaded:
        """Make the draft ``role``'s: the engine of that role takes over every answer
        of the items it asks (the others are left out), back at the first item."""
        with self._draft_at(person, base) as (loaded, old):
            engine = Engine(self.checklist, role, today=clock.today(), started_at=old.started_at)
            answers = old.values
            engine.load({k: v for k, v in answers.items() if engine.index_of(k) is not None})
            engine.identity_answers = dict(old.identity_answers)
            engine.load_unfinished(old.unfinished)
            engine.jump(0)
            store = self.store(person, role)
            draft = engine.draft(store.identity.respondent(), now=clock.now())
            draft = with_round(draft, loaded.carried)
            self._cache.pop(person.key, None)
            store.save_draft(draft)
            loaded.store, loaded.engine, loaded.draft, loaded.role = store, engine, draft, role
            loaded.version = self._remember(person, draft, engine)
            return loaded

    def submit(self, person: Person, base: str) -> Response:
        """Submit the draft as ``run`` does (new submission time, rectification kept)."""
        with self._draft_at(person, base) as (loaded, engine):
            if loaded.carried is not None and any(p.state is None for p in loaded.carried.problems):
                raise Unstated
            held = unsaved_text(engine)
            if held:
                raise Incomplete(held)
            previous = loaded.submitted
            response = engine.submit(
                loaded.store.identity.respondent(),
                now=clock.now(),
                rectification=previous.rectification if previous is not None else (),
            )
            response = with_round(response, loaded.carried)
            self._cache.pop(person.key, None)
            return loaded.store.submit(response)

    def reopen(self, person: Person) -> Loaded:
        """A draft made from the submitted response (cursor at the first item)."""
        with self.lock(person):
            probe = self.store(person, person.role or "")
            with locked(probe.draft_path):
                loaded = self.load(person)
                submitted = loaded.submitted
                if loaded.draft is not None or submitted is None:
                    return loaded
                engine = Engine.from_response(self.checklist, submitted, today=clock.today())
                engine.jump(0)
                store = self.store(person, submitted.respondent.role)
                draft = engine.draft(store.identity.respondent(), now=clock.now())
                draft = with_round(draft, loaded.carried)
                self._cache.pop(person.key, None)
                store.save_draft(draft)
                loaded.store, loaded.engine, loaded.draft = store, engine, draft
                loaded.version = self._remember(person, draft, engine)
                loaded.role = submitted.respondent.role
                return loaded
