"""Where things live: built-in checklists and templates, user config."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _resource_dir(name: str) -> Path:
    """The installed ``selfcheck/<name>`` or, in a source checkout, ``<repo>/<name>``."""
    installed = _PACKAGE_DIR / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / name


def builtin_checklists_dir() -> Path:
    """Folder of the checklists shipped with selfcheck."""
    return _resource_dir("checklists")


def builtin_templates_dir() -> Path:
    """Folder of the report templates shipped with selfcheck."""
    return _resource_dir("templates")


def user_path(path: Path | str) -> Path:
    """A path the user typed, with a leading ``~`` made the home folder.

    PowerShell and cmd.exe pass ``~`` on to programs as it is, and so does a
    Unix shell inside quotes or after ``--out=``.
    """
    return Path(path).expanduser()


def config_dir() -> Path:
    """Per-user configuration folder (``SELFCHECK_CONFIG_DIR`` overrides it)."""
    override = os.environ.get("SELFCHECK_CONFIG_DIR")
    if override:
        return user_path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("selfcheck", appauthor=False))
