"""Shared fixtures: an isolated user config folder, a fixed today, the built-in checklists."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

# The terminal tests type Ctrl-C into a real pty and expect the program to stop, as a
# user's does. A test run started in the background (``nohup``, ``cmd &``) inherits
# SIGINT *ignored*, which every child keeps across exec, so the keystroke was lost and
# those tests hung until their timeout; the foreground default is put back here.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

REPO = Path(__file__).resolve().parent.parent
BUILTIN = REPO / "checklists"
FIXED_TODAY = "2009-01-15"


@pytest.fixture(autouse=True)
def _isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """No test reads or writes the real user's profile; dates are fixed."""
    config = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("SELFCHECK_CONFIG_DIR", str(config))
    monkeypatch.setenv("SELFCHECK_TODAY", FIXED_TODAY)
    monkeypatch.delenv("SELFCHECK_PATH", raising=False)
    monkeypatch.delenv("SELFCHECK_DEBUG", raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    yield


@pytest.fixture
def zuofeng_path() -> Path:
    """Path of the default built-in checklist."""
    return BUILTIN / "zuofeng-2008.yaml"


@pytest.fixture
def liuxing_path() -> Path:
    """Path of the 六型机关 checklist."""
    return BUILTIN / "liuxing-jiguan.yaml"


@pytest.fixture
def zuofeng(zuofeng_path: Path):  # type: ignore[no-untyped-def]
    """The resolved default checklist."""
    from selfcheck.checklist.loader import load_checklist

    return load_checklist(zuofeng_path)
