"""Rich consoles with user text treated literally.

Markup, emoji codes and highlighting are off: a user's ``[/]`` or ``:smile:``
prints as typed. Style output with ``rich.text.Text`` and style arguments.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def make_console(
    *, stderr: bool = False, record: bool = False, width: int | None = None
) -> Console:
    """A Console that never interprets markup in what it prints."""
    from rich.console import Console

    return Console(
        stderr=stderr,
        markup=False,
        emoji=False,
        highlight=False,
        record=record,
        width=width,
    )
