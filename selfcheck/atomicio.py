"""Atomic file writes: temp file in the same folder, fsync, os.replace."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from selfcheck.errors import SelfcheckError


def write_bytes_atomic(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write ``data`` to ``path`` so a crash leaves the old or the new file.

    ``private`` creates the file with mode 0600 (personal data).
    """
    with atomic_writer(path, private=private) as handle:
        handle.write(data)


def write_text_atomic(path: Path, text: str, *, private: bool = False) -> None:
    """Write UTF-8 text atomically (see :func:`write_bytes_atomic`)."""
    write_bytes_atomic(path, text.encode("utf-8"), private=private)


def _fsync_dir(folder: Path) -> None:
    """Persist the rename itself where the platform allows it."""
    if os.name != "posix":
        return
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


@contextlib.contextmanager
def atomic_writer(path: Path, *, private: bool = False) -> Iterator[IO[bytes]]:
    """Stream a large file into ``path`` atomically (same protocol as :func:`write_bytes_atomic`).

    Yields a binary handle on a temp file in the same folder; on success the
    data is fsynced and renamed over ``path``; on any error the temp file is
    removed and ``path`` is untouched.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        os.chmod(tmp, 0o600 if private else 0o644)
    except OSError as exc:
        raise SelfcheckError(f"无法写入文件 {path}：{exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise SelfcheckError(f"无法写入文件 {path}：{exc.strerror or exc}") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(folder)
