"""Reading folders that many people filled: find the response files, read them safely.

A summary folder is collected from many hands and must be treated as hostile.
This module never blocks, never follows a link it was not asked to follow and
never reads more than a bounded number of bytes:

* :class:`Discovery` walks folders with :func:`os.scandir` without following
  symbolic links (so link loops cannot happen and nothing outside the folder is
  reached), iteratively (a folder nested 2,000 deep does not exhaust the
  recursion limit) and keeping only names (a folder may hold 100,000 files).
  Entries named ``*.json`` that are links, pipes, devices or sockets are not
  yielded but listed in :attr:`Discovery.skipped` with a Chinese reason.
  A *directory* named ``*.json`` is a folder like any other: it is walked into
  and the response files inside it are found; it is not reported.
* :func:`read_limited` opens with ``O_NOFOLLOW | O_NONBLOCK`` (a FIFO never
  blocks), checks with ``fstat`` that it holds a regular file of at most
  :data:`MAX_RESPONSE_BYTES`, and reads no more than that limit plus one byte.
  Failures are :class:`FolderReadError` with a code and a Chinese reason; no
  English text from the operating system ever reaches the user.

Paths named on the command line are the user's own choice: a symbolic link
given there is followed (Discovery then yields the resolved path, so
:func:`read_limited` can keep ``O_NOFOLLOW``), but a pipe or device given there
is still not opened.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from selfcheck.errors import IS_A_FOLDER, SelfcheckError
from selfcheck.textsafe import display_name

MAX_RESPONSE_BYTES = 8 * 1024 * 1024
"""The largest response file read (real ones are a few kilobytes)."""

SYMLINK_REASON = "是符号链接，未跟随（为安全起见不读取链接）"
SYMLINK_FOLDER_REASON = "是指向文件夹的符号链接，未进入（为安全起见不跟随链接）"
NOT_REGULAR_REASON = "不是普通文件（如管道、设备），未读取"
DIRECTORY_REASON = IS_A_FOLDER
MISSING_REASON = "找不到这个文件或文件夹"
LOOP_REASON = "是循环的符号链接，无法跟随"

SKIP_TITLES = {
    "missing": "找不到",
    "unreadable": "无法读取",
    "symlink": "符号链接",
    "not_regular": "不是普通文件",
    "too_large": "文件过大",
}
"""The Chinese category of each :class:`Skip` code this module gives."""

_MIB = 1024 * 1024
_FIRST_READ = 1 << 16
_NEXT_READ = 1 << 20
_BINARY = getattr(os, "O_BINARY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_READ_FLAGS = os.O_RDONLY | _NONBLOCK | _BINARY | _NOFOLLOW
_READ_FLAGS_FOLLOW = os.O_RDONLY | _NONBLOCK | _BINARY


@dataclass(frozen=True)
class Skip:
    """A file that is not counted, and why."""

    file: str
    code: str
    reason: str

    def to_json(self) -> dict[str, str]:
        """JSON form."""
        return {"file": self.file, "code": self.code, "reason": self.reason}


class FolderReadError(Exception):
    """A file that :func:`read_limited` refused or could not read.

    ``code`` is one of ``unreadable``, ``symlink``, ``not_regular``,
    ``too_large``; ``reason`` is Chinese and names no English OS message.
    ``errno`` is the operating system's error number when there was one (so
    a caller can tell ``errno.ENOENT``, a file gone, from the rest).
    """

    def __init__(self, code: str, reason: str, os_errno: int | None = None) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.errno = os_errno

    def skip(self, file: str) -> Skip:
        """This failure as the Skip of ``file`` (a display name)."""
        return Skip(file, self.code, self.reason)

    @property
    def detail(self) -> str:
        """The reason after a caller's own ``无法读取名单文件 X：`` (no second 无法读取)."""
        text = self.reason.removeprefix("无法读取：")
        if text.startswith("无法读取（"):  # an untranslated error number
            return "系统错误" + text.removeprefix("无法读取")
        return "原因不明" if text == "无法读取" else text


# ----------------------------------------------------------------- discovery


class Discovery:
    """The response files under some paths, found lazily (nothing is held per file).

    Folders are searched recursively for ``*.json`` in name order (files of a
    folder first, then its subfolders, each sorted by name; hidden entries,
    whose name starts with ``.``, skipped); files named on the command line are
    read whatever their name. Iterating yields (path, display) pairs, display
    being the path with control characters removed.

    Each walk also fills, once it has finished:

    * :attr:`ignored`: files inside folders not named ``*.json`` (reports, rosters);
    * :attr:`skipped`: entries that are not read: links (to files or folders,
      code ``symlink``), ``*.json`` entries that are not regular files (code
      ``not_regular``), folders that cannot be opened (code ``unreadable``), and
      pipes or devices named on the command line;
    * :attr:`missing`: paths named on the command line that do not exist
      (code ``missing``).
    """

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        self.ignored = 0
        self.skipped: list[Skip] = []
        self.missing: list[Skip] = []

    def __iter__(self) -> Iterator[tuple[str, str]]:
        self.ignored = 0
        self.skipped = []
        self.missing = []
        for root in self.paths:
            given = str(root)
            kind = self._root_kind(given)
            if kind == "dir":
                yield from self._walk(given)
            elif kind == "file":
                yield _resolved(given), display_name(given)

    def at_least(self, wanted: int) -> bool:
        """Whether a walk yields ``wanted`` files or more (stops counting there)."""
        seen = 0
        for root in self.paths:
            if seen >= wanted:
                break
            kind = _stat_kind(str(root))
            if kind == "file":
                seen += 1
            elif kind == "dir":
                seen += _count_json(str(root), wanted - seen)
        return seen >= wanted

    def _root_kind(self, path: str) -> str | None:
        """``dir`` or ``file`` for a path named by the user; else record why not and None."""
        try:
            mode = os.stat(path).st_mode  # follows a link: the user named it
        except OSError as exc:
            if exc.errno in (errno.ENOENT, errno.ENOTDIR):
                self.missing.append(Skip(display_name(path), "missing", _missing_reason(path)))
            elif exc.errno == errno.ELOOP:
                self.skipped.append(Skip(display_name(path), "symlink", LOOP_REASON))
            else:
                code, reason = _translate(exc)
                self.skipped.append(Skip(display_name(path), code, reason))
            return None
        if stat.S_ISDIR(mode):
            return "dir"
        if stat.S_ISREG(mode):
            return "file"
        self.skipped.append(Skip(display_name(path), "not_regular", NOT_REGULAR_REASON))
        return None

    def _walk(self, top: str) -> Iterator[tuple[str, str]]:
        # Depth first, iteratively: the stack holds the folders still to visit,
        # the next one last (a recursive walk would fail 1,000 folders deep).
        stack = [top]
        while stack:
            folder = stack.pop()
            files, subfolders = self._scan(folder)
            prefix = os.path.join(folder, "")
            for name in files:
                path = prefix + name
                yield path, path if path.isprintable() else display_name(path)
            del files
            stack.extend(prefix + sub for sub in reversed(subfolders))

    def _scan(self, folder: str) -> tuple[list[str], list[str]]:
        """The response file names and subfolder names of one folder, each sorted."""
        files: list[str] = []
        subfolders: list[str] = []
        try:
            with os.scandir(folder) as scan:
                for entry in scan:  # keep names only: a folder may hold 100,000 files
                    name = entry.name
                    if name.startswith("."):
                        continue
                    try:
                        self._sort_entry(entry, files, subfolders)
                    except OSError as exc:
                        self._skip_entry(entry.path, exc)
        except OSError as exc:
            code, reason = _translate(exc)
            self.skipped.append(Skip(display_name(folder), code, f"文件夹{reason}"))
        files.sort()
        subfolders.sort()
        return files, subfolders

    def _sort_entry(self, entry: os.DirEntry[str], files: list[str], folders: list[str]) -> None:
        name = entry.name
        if entry.is_symlink() or _is_junction(entry):
            if name.endswith(".json"):
                self.skipped.append(Skip(display_name(entry.path), "symlink", SYMLINK_REASON))
            elif _points_to_folder(entry):
                self.skipped.append(
                    Skip(display_name(entry.path), "symlink", SYMLINK_FOLDER_REASON)
                )
            else:
                self.ignored += 1
        elif entry.is_dir(follow_symlinks=False):
            folders.append(name)  # a folder named x.json too: it is a folder
        elif not name.endswith(".json"):
            self.ignored += 1
        elif entry.is_file(follow_symlinks=False):
            files.append(name)
        else:
            self.skipped.append(Skip(display_name(entry.path), "not_regular", NOT_REGULAR_REASON))

    def _skip_entry(self, path: str, exc: OSError) -> None:
        code, reason = _translate(exc)
        self.skipped.append(Skip(display_name(path), code, reason))


def _points_to_folder(entry: os.DirEntry[str]) -> bool:
    """Whether a link leads to a folder; a dangling or looping link does not."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_junction(entry: os.DirEntry[str]) -> bool:
    """A Windows directory junction (Python 3.12+), a link in all but name."""
    check = getattr(entry, "is_junction", None)
    return bool(check()) if check is not None else False


def _resolved(path: str) -> str:
    """A file named by the user: a link is resolved, so it reads with ``O_NOFOLLOW``."""
    return os.path.realpath(path) if os.path.islink(path) else path


def _stat_kind(path: str) -> str | None:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISDIR(mode):
        return "dir"
    return "file" if stat.S_ISREG(mode) else None


def _missing_reason(path: str) -> str:
    if os.path.islink(path):
        return "是失效的符号链接，指向的文件或文件夹不存在"
    return MISSING_REASON


def _count_json(top: str, limit: int) -> int:
    """Response files under ``top`` as a walk finds them, counting no further than ``limit``."""
    seen = 0
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as scan:
                for entry in scan:
                    name = entry.name
                    if name.startswith("."):
                        continue
                    try:
                        if entry.is_symlink() or _is_junction(entry):
                            continue
                        if entry.is_dir(follow_symlinks=False):
                            stack.append(entry.path)
                        elif name.endswith(".json") and entry.is_file(follow_symlinks=False):
                            seen += 1
                            if seen >= limit:
                                return seen
                    except OSError:
                        continue
        except OSError:
            continue
    return seen


def discover(paths: list[Path]) -> tuple[list[tuple[str, str]], int, list[Skip]]:
    """Every response file at once: (path, display) pairs, ignored count, missing and skipped."""
    discovery = Discovery(paths)
    found = list(discovery)
    return found, discovery.ignored, [*discovery.missing, *discovery.skipped]


# ------------------------------------------------------------------- reading


def open_regular(path: str, *, follow_symlinks: bool = False) -> tuple[int, os.stat_result]:
    """A read-only descriptor of the regular file at ``path``, and its ``fstat``.

    Opened with ``O_NONBLOCK`` (a pipe never blocks) and, unless
    ``follow_symlinks``, ``O_NOFOLLOW``; a folder, pipe or device is refused
    after ``fstat`` without being read. The caller closes the descriptor.
    Raises :class:`FolderReadError`.
    """
    try:
        fd = os.open(path, _READ_FLAGS_FOLLOW if follow_symlinks else _READ_FLAGS)
    except OSError as exc:
        raise FolderReadError(*_translate(exc), exc.errno) from None
    try:
        info = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        raise FolderReadError(*_translate(exc), exc.errno) from None
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FolderReadError("not_regular", DIRECTORY_REASON, errno.EISDIR)
        raise FolderReadError("not_regular", NOT_REGULAR_REASON)
    return fd, info


def read_named(
    path: Path, what: str, error: type[SelfcheckError], limit: int = MAX_RESPONSE_BYTES
) -> bytes:
    """The bytes of a file the user named (``what``: 答卷文件, 答案文件, 名单文件…).

    :func:`read_limited` following a final symbolic link (the user chose the
    path); a failure is ``error`` with a Chinese message naming the file:
    ``找不到答案文件：X`` or ``无法读取答案文件 X：<reason>``.
    """
    try:
        return read_limited(str(path), limit, follow_symlinks=True)
    except FolderReadError as exc:
        raise _named_error(exc, path, what, error) from None


def require_named(path: Path, what: str, error: type[SelfcheckError]) -> None:
    """Refuse early, as :func:`read_named` would, a named file that cannot be read (one
    that another library opens later, such as a Word template)."""
    try:
        fd, _ = open_regular(str(path), follow_symlinks=True)
    except FolderReadError as exc:
        raise _named_error(exc, path, what, error) from None
    os.close(fd)


def _named_error(
    exc: FolderReadError, path: Path, what: str, error: type[SelfcheckError]
) -> SelfcheckError:
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return error(f"找不到{what}：{path}")
    return error(f"无法读取{what} {path}：{exc.detail}")


def read_limited(
    path: str, limit: int = MAX_RESPONSE_BYTES, *, follow_symlinks: bool = False
) -> bytes:
    """The whole regular file at ``path`` if it holds at most ``limit`` bytes.

    Never blocks (``O_NONBLOCK``; a pipe is refused after ``fstat`` without
    being read), never follows a final symbolic link unless
    ``follow_symlinks``, and reads at most ``limit + 1`` bytes even from a file
    that grows meanwhile. Plain ``os.read`` calls, the first of 64 KiB: a
    response file is usually read in one call. Raises :class:`FolderReadError`.
    """
    fd, info = open_regular(path, follow_symlinks=follow_symlinks)
    try:
        if info.st_size > limit:
            raise FolderReadError("too_large", _too_large(info.st_size, limit))
        wanted = min(_FIRST_READ, limit + 1)
        data = os.read(fd, wanted)
        if len(data) < wanted:
            return data
        chunks = [data]
        total = len(data)
        while total <= limit:
            chunk = os.read(fd, min(_NEXT_READ, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise FolderReadError("too_large", f"文件过大（超过 {_size(limit)} 上限）")
        return b"".join(chunks)
    except OSError as exc:
        raise FolderReadError(*_translate(exc), exc.errno) from None
    finally:
        os.close(fd)


def _too_large(size: int, limit: int) -> str:
    return f"文件过大（{_size(size)}，上限 {_size(limit)}）"


def _size(n: int) -> str:
    """``9 MB``, ``8.1 MB``, ``12 KB``, ``100 字节``, rounded up (over a limit shows over)."""
    if n >= _MIB:
        return f"{-(-n * 10 // _MIB) / 10:g} MB"
    if n >= 1024:
        return f"{-(-n * 10 // 1024) / 10:g} KB"
    return f"{n} 字节"


_ERRNO_REASONS: dict[int, tuple[str, str]] = {
    errno.EACCES: ("unreadable", "无法读取：没有读取权限"),
    errno.EPERM: ("unreadable", "无法读取：没有读取权限"),
    errno.ENOENT: ("unreadable", "无法读取：文件已不存在（可能刚被移走或改名）"),
    errno.ENOTDIR: ("unreadable", "无法读取：文件已不存在（可能刚被移走或改名）"),
    errno.EISDIR: ("not_regular", DIRECTORY_REASON),
    errno.ELOOP: ("symlink", SYMLINK_REASON),
    errno.ENXIO: ("not_regular", NOT_REGULAR_REASON),  # a socket, or a device with no driver
    errno.ENODEV: ("not_regular", NOT_REGULAR_REASON),
    errno.ENAMETOOLONG: ("unreadable", "无法读取：文件名或路径过长"),
    errno.EMFILE: ("unreadable", "无法读取：同时打开的文件过多"),
    errno.ENFILE: ("unreadable", "无法读取：同时打开的文件过多"),
    errno.EIO: ("unreadable", "无法读取：磁盘读写错误"),
}
# FreeBSD reports O_NOFOLLOW on a link as EMLINK, NetBSD as EFTYPE (Linux, macOS: ELOOP).
if sys.platform.startswith(("freebsd", "dragonfly")):
    _ERRNO_REASONS[errno.EMLINK] = ("symlink", SYMLINK_REASON)
if sys.platform.startswith("netbsd") and hasattr(errno, "EFTYPE"):
    _ERRNO_REASONS[errno.EFTYPE] = ("symlink", SYMLINK_REASON)


def _translate(exc: OSError) -> tuple[str, str]:
    """(code, Chinese reason) for an OS error; the errno name when there is no translation."""
    number = exc.errno
    if number is None:
        if isinstance(exc, PermissionError):
            return _ERRNO_REASONS[errno.EACCES]
        return "unreadable", "无法读取"
    known = _ERRNO_REASONS.get(number)
    if known is not None:
        return known
    return "unreadable", f"无法读取（{errno.errorcode.get(number, str(number))}）"
