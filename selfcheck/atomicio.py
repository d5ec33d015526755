"""Atomic file writes: temp file in the same folder, fsync, os.replace.

On Windows a file that Excel or WPS has open cannot be replaced (WinError 32,
"拒绝访问"). The rename is retried briefly (virus scanners and the search
indexer hold files for a moment), then :class:`FileInUseError` names the
file and asks for it to be closed; the file on disk is left as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from selfcheck.errors import IS_A_FOLDER, FileInUseError, SelfcheckError, os_error_reason

REPLACE_ATTEMPTS = 5 if os.name == "nt" else 1
"""Tries of ``os.replace`` before giving up on a file another program holds."""
REPLACE_PAUSE = 0.1
"""Seconds before the second try; doubled before each further one."""


def write_bytes_atomic(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write ``data`` to ``path`` so a crash leaves the old or the new file.

    ``private`` creates the file with mode 0600 (personal data).
    """
    with atomic_writer(path, private=private) as handle:
        handle.write(data)


def write_text_atomic(path: Path, text: str, *, private: bool = False) -> None:
    """Write UTF-8 text atomically (see :func:`write_bytes_atomic`)."""
    write_bytes_atomic(path, text.encode("utf-8"), private=private)


def make_folder(folder: Path) -> None:
    """Create ``folder`` and its parents; a file in the way is ``ENOTDIR``.

    ``Path.mkdir`` reports an existing *file* at ``folder`` as "already exists"
    (``EEXIST``); what the person needs to hear is that part of the path is not a
    folder (:func:`~selfcheck.errors.os_error_reason`), as when a file sits further up.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder)) from exc


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
    removed and ``path`` is untouched. A folder, pipe or device is refused
    before anything is written (a rename would replace ``/dev/full`` or a named
    pipe with a plain file); see :func:`check_writable`.
    """
    path = Path(path)
    check_writable(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        make_folder(folder)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        os.chmod(tmp, 0o600 if private else 0o644)
    except OSError as exc:
        raise SelfcheckError(f"无法写入文件 {path}：{os_error_reason(exc)}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        try:
            _replace(tmp, path)
        except PermissionError as exc:
            raise in_use_error(path) from exc  # removes tmp below, as any error does
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise SelfcheckError(f"无法写入文件 {path}：{os_error_reason(exc)}") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(folder)


def check_writable(path: Path) -> None:
    """Raise in Chinese when ``path`` is a folder, a pipe or a device, or a link to one.

    A symbolic link to a plain file is replaced like a file: the new file takes the
    link's place and the file it pointed to is left alone (a link planted in a shared
    folder cannot steer a write elsewhere). A link to an open file of a process
    (``/dev/stdout`` → ``/proc/self/fd/1``) is refused too: it is not a file to replace.
    """
    try:
        info = os.stat(path)  # follows links
    except OSError:
        return  # not there yet (or unreachable: the write itself will say why)
    if stat.S_ISDIR(info.st_mode):
        raise SelfcheckError(f"无法写入文件 {path}：{IS_A_FOLDER}")
    process_file = os.path.islink(path) and os.readlink(path).startswith("/proc/")
    if not stat.S_ISREG(info.st_mode) or process_file:
        raise SelfcheckError(
            f"无法写入文件 {path}：不是普通文件（如管道、设备），不能用作输出文件；请换一个文件名"
        )


def _replace(tmp: str, path: Path) -> None:
    """``os.replace``, retried a few times on Windows while another program holds ``path``."""
    pause = REPLACE_PAUSE
    for attempt in range(1, REPLACE_ATTEMPTS + 1):
        try:
            os.replace(tmp, path)
            return
        except PermissionError:
            if attempt == REPLACE_ATTEMPTS:
                raise
            time.sleep(pause)
            pause *= 2


def in_use_error(path: Path) -> FileInUseError:
    """The message for a file that could not be replaced (open elsewhere, or read-only)."""
    return FileInUseError(
        f"无法保存 {path}：文件可能正在 Excel、WPS 等程序中打开，或者没有写入权限。"
        "请关闭该文件（或换一个文件名、文件夹）后重新运行同一条命令；原来的文件没有改动。"
    )
