"""Plain types shared by the prompting seam and the terminal reader (no terminal, no I/O).

:mod:`selfcheck.prompter` re-exports them; :mod:`selfcheck.terminal_input`
raises and returns them without importing the prompter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "FINISH_HINT",
    "FINISH_KEYS",
    "AreaResult",
    "TypingEnded",
    "TypingInterrupted",
    "TypingStopped",
]


class TypingInterrupted(KeyboardInterrupt):
    """Ctrl-C in the middle of an answer; ``text`` is what was typed so far.

    A ``KeyboardInterrupt``, so whoever stops on Ctrl-C stops on it too; the
    walk first keeps ``text`` in the draft as the unfinished answer.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class TypingEnded(EOFError):
    """Ctrl-D in the middle of an answer (an ``EOFError``); ``text`` is what was typed."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


TypingStopped = (TypingInterrupted, TypingEnded)
"""Catch both: ``except TypingStopped as stopped: stopped.text``."""


@dataclass
class AreaResult:
    """What a multi-line editing area gave back: the text, and the key line that ended it."""

    text: str
    key: str | None = None
    notes: list[str] = field(default_factory=list)
    """Messages to show afterwards (a paste was cleaned or refused)."""


FINISH_KEYS = "Esc 再按 Enter"
"""The key that finishes a multi-line answer, as shown on screen."""
FINISH_HINT = f"写完后按 {FINISH_KEYS} 完成本题（也可按 Alt-Enter）；Enter 只是换行、另起一段"
