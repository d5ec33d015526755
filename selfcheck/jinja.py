"""The one Jinja environment factory.

Every Jinja environment in selfcheck is made here:
- ``condition``: sandboxed, for ``when`` expressions in checklists;
- ``builtin``: the shipped report templates (StrictUndefined);
- ``user``: a user's own template, sandboxed with StrictUndefined.
HTML output always autoescapes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from jinja2 import BaseLoader, Environment, FileSystemLoader, StrictUndefined, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

Purpose = Literal["condition", "builtin", "user"]


def make_environment(
    purpose: Purpose,
    *,
    search_path: list[Path] | None = None,
    autoescape: bool = False,
) -> Environment:
    """Create the Jinja environment for ``purpose``.

    ``search_path`` folders become a FileSystemLoader; ``autoescape`` turns on
    HTML escaping for every template rendered from this environment.
    """
    loader: BaseLoader | None = (
        FileSystemLoader([str(p) for p in search_path]) if search_path else None
    )
    if purpose == "condition":
        # Undefined (falsy) at run time: unanswered questions are simply false.
        return ImmutableSandboxedEnvironment(undefined=Undefined, autoescape=False)
    env_class = ImmutableSandboxedEnvironment if purpose == "user" else Environment
    env = env_class(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env
