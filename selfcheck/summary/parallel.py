"""Reading a large folder in two processes, where the system forks cheaply (Linux).

The aggregate is mergeable, so the work splits naturally: the parent forks one
child, each reduces half of the files into its own
:class:`~selfcheck.summary.aggregate.Aggregator`, and the parent absorbs the
child's state (counts, person index, spooled records) exactly as ``rollup``
would merge two summaries: the newest submission per person still wins across
the halves. Both processes walk the folders in the same order; the parent
takes the even-numbered files, the child the odd ones.

Anything unusual (no ``fork``, one CPU, a small folder, ``SELFCHECK_WORKERS=1``,
a child that fails) means the parent simply reads every file itself.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from selfcheck.summary.aggregate import Aggregator
from selfcheck.summary.ingest import Discovery

MIN_FILES = 2000
"""Below this many files a second process costs more than it saves."""


def workers() -> int:
    """How many processes to read with: ``SELFCHECK_WORKERS`` or up to two CPUs."""
    configured = os.environ.get("SELFCHECK_WORKERS", "").strip()
    if configured.isdigit() and int(configured) >= 1:
        return min(int(configured), 2)
    return min(2, os.cpu_count() or 1)


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cycle collector: reading makes many short-lived objects and no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def add_files(agg: Aggregator, files: Discovery) -> None:
    """Count every file of ``files`` into ``agg``, in two processes when that pays."""
    with _no_cyclic_gc():
        _add_files(agg, files)


def _add_files(agg: Aggregator, files: Discovery) -> None:
    forks = hasattr(os, "fork") and sys.platform != "darwin"
    if workers() < 2 or not forks or not files.at_least(MIN_FILES):
        for path, display in files:
            agg.add_file(path, display)
        return
    folder = Path(tempfile.mkdtemp(prefix="selfcheck-summary-"))
    state_file = folder / "state.pickle"
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child process
        _child(agg, _share(files, 1), folder, state_file)
    try:
        for path, display in _share(files, 0):
            agg.add_file(path, display)
        _, status = os.waitpid(pid, 0)
        pid = 0
        state = _load_state(state_file) if os.waitstatus_to_exitcode(status) == 0 else None
        if state is None:
            for path, display in _share(files, 1):
                agg.add_file(path, display)
        else:
            agg.absorb(state)
    finally:
        if pid:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
        shutil.rmtree(folder, ignore_errors=True)


def _share(files: Discovery, parity: int) -> Iterator[tuple[str, str]]:
    """Every other file: the parent takes the even ones, the child the odd ones."""
    for n, pair in enumerate(files):
        if n % 2 == parity:
            yield pair


def _child(
    agg: Aggregator, files: Iterator[tuple[str, str]], folder: Path, state_file: Path
) -> None:  # pragma: no cover
    """Reduce ``files`` into a fresh aggregator and leave its state for the parent; never return."""
    import pickle

    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        mine = agg.fresh()
        for path, display in files:
            mine.add_file(path, display)
        state = mine.export(folder)
        with open(state_file, "wb") as handle:
            pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
        code = 0
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _load_state(path: Path) -> dict[str, object] | None:
    import pickle  # only the two-process path needs it

    try:
        with open(path, "rb") as handle:
            state = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError):
        return None
    return state if isinstance(state, dict) else None
