"""``selfcheck run``: pick the driver of the walk engine the options ask for.

Two drivers, neither importing the other: the terminal walk
(:mod:`selfcheck.run.session`) and the answers file with ``--no-input``
(:mod:`selfcheck.run.noninteractive`). What they share lives in
:mod:`selfcheck.run.options`, :mod:`selfcheck.run.store` and
:mod:`selfcheck.run.materials`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from selfcheck.run.options import RunOptions

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["RunOptions", "run_command"]


def run_command(options: RunOptions, console: Console) -> int:
    """``selfcheck run``: returns the exit code (raises SelfcheckError on failure)."""
    if options.no_input:
        from selfcheck.run.noninteractive import run_without_input

        return run_without_input(options, console)
    from selfcheck.prompter import TerminalPrompter
    from selfcheck.run.session import run_session

    return run_session(options, TerminalPrompter(console))
