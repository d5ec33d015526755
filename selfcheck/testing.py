"""Test doubles and builders: for tests, never imported by the program itself.

- :class:`ScriptedPrompter` plays a person at the prompting seam
  (:mod:`selfcheck.prompter`): each script entry is one typed line; ``bytes``
  act as undecodable input, :data:`EOF` and :data:`INTERRUPT` as Ctrl-D and
  Ctrl-C. :class:`ScriptExhausted` says a walk asked more than scripted.
  With ``in_place=True`` it plays the terminal's multi-line editing area:
  a long answer's entry is the whole text it is finished with (a last line
  holding only a key ends it with that key), and :func:`stopped` plays Ctrl-C
  after typing.
- :func:`builtin_checklist`, :func:`respondent` and :func:`make_response`
  build the checklists and responses tests need, with the fixed day the test
  suite runs on (:data:`TODAY`, :data:`NOW`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

from rich.text import Text

from selfcheck.inputs import AreaResult, TypingEnded, TypingInterrupted
from selfcheck.prompter import EditorUnavailable, LinePrompter, QuestionSpec
from selfcheck.response import Answer, ChecklistRef, RectifyEntry, Respondent, Response
from selfcheck.textsafe import clean_text

if TYPE_CHECKING:
    from rich.console import Console

    from selfcheck.checklist.model import Checklist

__all__ = [
    "EOF",
    "INTERRUPT",
    "NOW",
    "TODAY",
    "ScriptEntry",
    "ScriptExhausted",
    "ScriptedPrompter",
    "builtin_checklist",
    "make_response",
    "respondent",
    "stopped",
]

TODAY = date(2009, 1, 15)
"""The day the test suite runs on (``SELFCHECK_TODAY`` in tests/conftest.py)."""
NOW = datetime(2009, 1, 15, 9, 0, tzinfo=timezone(timedelta(hours=8)))
"""A moment on :data:`TODAY`, Beijing time."""


# ------------------------------------------------------------------ scripted


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


EOF = _Marker("EOF")
"""In a script: the person pressed Ctrl-D (``EOFError``)."""
INTERRUPT = _Marker("INTERRUPT")
"""In a script: the person pressed Ctrl-C (``KeyboardInterrupt``)."""


class _Stopped(_Marker):
    def __init__(self, text: str, eof: bool) -> None:
        super().__init__(f"stopped({text!r})")
        self.text = text
        self.eof = eof


def stopped(text: str, *, eof: bool = False) -> _Marker:
    """In a script: ``text`` typed into the editing area, then Ctrl-C (Ctrl-D with ``eof``)."""
    return _Stopped(text, eof)


ScriptEntry = str | bytes | _Marker


class ScriptExhausted(AssertionError):
    """A scripted walk asked more than the script answers (a test bug)."""


class ScriptedPrompter(LinePrompter):
    """Answers from a list, for tests: each entry is one typed line.

    ``bytes`` entries arrive as undecodable input would from a terminal;
    :data:`EOF` and :data:`INTERRUPT` raise ``EOFError``/``KeyboardInterrupt``.
    ``editor`` (text -> text) plays the external editor. Every line read is
    echoed to the console after its prompt, so ``console.export_text()``
    reads like a terminal session; ``labels`` lists every question asked.
    """

    def __init__(
        self,
        script: Iterable[ScriptEntry],
        console: Console | None = None,
        *,
        editor: Callable[[str], str] | None = None,
        in_place: bool = False,
    ) -> None:
        if console is None:
            from selfcheck.console import make_console

            console = make_console(record=True, width=100)
        super().__init__(console)
        self.script: list[ScriptEntry] = list(script)
        self.position = 0
        self.editor = editor
        self.labels: list[str] = []
        self.edits_in_place = in_place
        self.areas: list[str] = []
        """The text each editing area opened with (``in_place`` only)."""

    @property
    def remaining(self) -> list[ScriptEntry]:
        """Entries not read yet."""
        return self.script[self.position :]

    def read_line(self, prompt: str) -> str:
        """The next scripted line (or the scripted Ctrl-C / Ctrl-D)."""
        if self.position >= len(self.script):
            tail = self.console.export_text(clear=False)[-600:] if self.console.record else ""
            raise ScriptExhausted(
                f"script exhausted after {self.position} lines; screen ends:\n{tail}"
            )
        entry = self.script[self.position]
        self.position += 1
        if entry is EOF:
            raise EOFError
        if entry is INTERRUPT:
            raise KeyboardInterrupt
        line = entry.decode("utf-8", "surrogateescape") if isinstance(entry, bytes) else str(entry)
        shown = clean_text(line.encode("utf-8", "replace").decode("utf-8"))
        self.console.print(Text(prompt + shown))
        return line

    def read_area(self, prompt: str, initial: str, keys: frozenset[str]) -> AreaResult:
        """The scripted editing area: the entry is the finished text (see the module docstring)."""
        self.areas.append(initial)
        if self.position >= len(self.script):
            raise ScriptExhausted(f"script exhausted after {self.position} lines (editing area)")
        entry = self.script[self.position]
        self.position += 1
        if isinstance(entry, _Stopped):
            raise TypingEnded(entry.text) if entry.eof else TypingInterrupted(entry.text)
        if entry is EOF:
            raise TypingEnded(initial)
        if entry is INTERRUPT:
            raise TypingInterrupted(initial)
        text = entry.decode("utf-8", "surrogateescape") if isinstance(entry, bytes) else str(entry)
        self.console.print(Text(prompt + clean_text(text)))
        lines = text.split("\n")
        if lines[-1].strip() in keys:
            return AreaResult("\n".join(lines[:-1]), lines[-1].strip())
        return AreaResult(text)

    def edit_text(self, initial: str) -> str:
        """The scripted editor's result."""
        if self.editor is None:
            raise EditorUnavailable("找不到文本编辑器（可设置环境变量 EDITOR，如 EDITOR=nano）")
        return self.editor(initial)

    def _show_question(self, spec: QuestionSpec) -> None:
        self.labels.append(spec.label)
        super()._show_question(spec)


# ------------------------------------------------------------------ builders


@functools.cache
def builtin_checklist(checklist_id: str = "zuofeng-2008") -> Checklist:
    """A checklist shipped with selfcheck, loaded once per test session."""
    from selfcheck.checklist.loader import load_checklist
    from selfcheck.paths import builtin_checklists_dir

    return load_checklist(builtin_checklists_dir() / f"{checklist_id}.yaml")


def respondent(
    role: str = "staff", *, name: str = "张三", unit: str = "局办公室", position: str = "科员"
) -> Respondent:
    """Who answered (张三 of 局办公室 unless told otherwise)."""
    return Respondent(name=name, unit=unit, position=position, role=role)


def make_response(
    checklist: Checklist,
    answers: Mapping[str, Mapping[str, Answer]],
    *,
    role: str = "staff",
    who: Respondent | None = None,
    status: str = "submitted",
    at: datetime = NOW,
    cursor: str | None = None,
    rectification: Iterable[RectifyEntry] = (),
) -> Response:
    """A response to ``checklist`` holding ``answers`` exactly as given (not checked)."""
    submitted = status == "submitted"
    return Response(
        checklist=ChecklistRef(id=checklist.id, version=checklist.version, sha256=checklist.sha256),
        respondent=who or respondent(role),
        status="submitted" if submitted else "draft",
        started_at=at,
        updated_at=at,
        submitted_at=at if submitted else None,
        answers={item: dict(given) for item, given in answers.items()},
        cursor=cursor,
        rectification=list(rectification),
    )
