"""The one error hierarchy. Every user-facing failure is a SelfcheckError.

The CLI catches SelfcheckError in one place (``selfcheck.cli.main``), prints
its message to stderr and exits with ``exit_code``. Messages are Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One located fault in a user-supplied file."""

    file: str
    line: int | None
    col: int | None
    path: str
    message: str

    def format(self) -> str:
        """Render as ``FILE:LINE:COL: field.path: message``."""
        line = self.line if self.line is not None else 1
        col = self.col if self.col is not None else 1
        where = f"{self.file}:{line}:{col}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


EXIT_OK = 0
EXIT_ERROR = 1
"""Bad input, bad usage, anything the user can mend: a Chinese message on stderr."""
EXIT_INTERRUPTED = 130
"""Ctrl-C (128 + SIGINT), after the draft has been saved."""


class SelfcheckError(Exception):
    """Base of every error shown to the user (message already in Chinese)."""

    exit_code: int = EXIT_ERROR

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = list(problems or [])

    def render(self) -> str:
        """The full text printed to stderr."""
        lines = [self.message]
        lines.extend(p.format() for p in self.problems)
        return "\n".join(lines)


class YamlError(SelfcheckError):
    """A YAML file could not be read; ``problems`` says where and why."""


class ChecklistError(SelfcheckError):
    """A checklist file cannot be read or does not validate."""


class ChecklistNotFound(SelfcheckError):
    """No checklist with the given id or path."""


class ResponseError(SelfcheckError):
    """A response or draft file is unreadable or invalid."""


class AnswersError(SelfcheckError):
    """Prefilled or scripted answers do not fit the checklist."""


class TemplateError(SelfcheckError):
    """A report template failed to load or render."""


class RosterError(SelfcheckError):
    """A roster file is unreadable or has bad rows."""


class SummaryError(SelfcheckError):
    """A summary or roll-up input is invalid."""


class UsageError(SelfcheckError):
    """Bad command-line usage that Typer itself cannot detect."""


class RectifyError(UsageError):
    """A rectification request that cannot be recorded (bad ``--set``, ``--date``, draft...)."""


class Interrupted(SelfcheckError):
    """The user pressed Ctrl-C or Ctrl-D; the draft has been saved."""

    exit_code = EXIT_INTERRUPTED
