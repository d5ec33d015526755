"""Evidence files (佐证材料) of a measure: stored beside the response, checked by hash.

A file given as evidence is copied into the response's evidence folder
(``STEM-佐证材料/`` next to ``STEM.json``) and recorded in the progress entry
by name, size and SHA-256 (:class:`~selfcheck.response.EvidenceFile`); its
content is never put into the response file. Whoever reads the response
later (``rectify``, ``review --list``, ``summary``) can tell whether a stored
file is missing or has changed since it was recorded.
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from selfcheck.atomicio import atomic_writer
from selfcheck.errors import RectifyError, not_recorded, os_error_reason
from selfcheck.folder import FolderReadError, open_regular
from selfcheck.response import EvidenceFile, RectifyEntry
from selfcheck.textsafe import clean_text, display_name, one_line, safe_filename

FOLDER_SUFFIX = "-佐证材料"
MAX_EVIDENCE_BYTES = 200 * 1024 * 1024
_CHUNK = 1 << 20


def evidence_folder(response_path: Path) -> Path:
    """The folder beside ``response_path`` that holds its evidence files."""
    return response_path.with_name(f"{response_path.stem}{FOLDER_SUFFIX}")


@dataclass(frozen=True)
class Source:
    """An evidence file the person named, already read and hashed."""

    path: Path
    size: int
    sha256: str


def _hash(path: Path, *, follow_symlinks: bool = False) -> tuple[int, str]:
    """Size and SHA-256 of the regular file at ``path`` (a pipe is refused, never waited
    on; a final symbolic link is not followed unless ``follow_symlinks``). Raises
    :class:`~selfcheck.folder.FolderReadError`."""
    fd, _ = open_regular(str(path), follow_symlinks=follow_symlinks)
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(fd, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                size += len(chunk)
                digest.update(chunk)
    except OSError as exc:
        reason = f"无法读取：{os_error_reason(exc)}"
        raise FolderReadError("unreadable", reason, exc.errno) from None
    return size, digest.hexdigest()


def duplicate_of(source: Source, sources: Sequence[Source]) -> Source | None:
    """The file among ``sources`` with the same content as ``source``, if any.

    One content is one piece of evidence: naming the same file twice (or a copy
    of it) must not register it twice.
    """
    for other in sources:
        if other.sha256 == source.sha256 and other.size == source.size:
            return other
    return None


def check_sources(paths: Sequence[Path]) -> list[Source]:
    """Every named evidence file hashed; raise naming each one that cannot be used.

    A file whose content was already named (the same file twice, or a copy) is
    registered once (:func:`duplicate_of`).
    """
    sources: list[Source] = []
    errors: list[str] = []
    for path in paths:
        shown = _shown(str(path))
        try:
            size = path.stat().st_size
            if size > MAX_EVIDENCE_BYTES:
                errors.append(f"佐证材料文件 {shown} 太大（超过 {MAX_EVIDENCE_BYTES >> 20} MB）")
                continue
            size, digest = _hash(path, follow_symlinks=True)
        except FileNotFoundError:
            errors.append(f"佐证材料文件 {shown} 不存在")
            continue
        except OSError as exc:
            errors.append(f"无法读取佐证材料文件 {shown}：{os_error_reason(exc)}")
            continue
        except FolderReadError as exc:
            if exc.errno in (errno.ENOENT, errno.ENOTDIR):
                errors.append(f"佐证材料文件 {shown} 不存在")
            elif exc.code == "not_regular":
                errors.append(f"佐证材料文件 {shown} {exc.reason.removesuffix('，未读取')}")
            else:
                errors.append(f"无法读取佐证材料文件 {shown}：{exc.detail}")
            continue
        found = Source(path, size, digest)
        if duplicate_of(found, sources) is None:
            sources.append(found)
    if errors:
        listing = "\n".join(f"  {e}" for e in errors)
        raise RectifyError(f"{not_recorded('整改进展')}：\n{listing}")
    return sources


def store_sources(response_path: Path, sources: Sequence[Source]) -> list[EvidenceFile]:
    """Copy ``sources`` into the evidence folder; the records to put in the entry.

    A file is stored under its own (made safe) name; a different file of the
    same name gets the first 8 hex digits of its hash added, and the very same
    content already stored is not copied again.
    """
    folder = evidence_folder(response_path)
    out: list[EvidenceFile] = []
    for source in sources:
        folder.mkdir(mode=0o700, exist_ok=True)
        name = safe_filename(source.path.name, fallback="佐证材料")
        target = folder / name
        if target.exists() and _stored_hash(target) != source.sha256:
            stem, dot, ext = name.rpartition(".")
            tag = source.sha256[:8]
            name = f"{stem}-{tag}.{ext}" if dot and stem else f"{name}-{tag}"
            target = folder / name
        if not target.exists() or _stored_hash(target) != source.sha256:
            with atomic_writer(target, private=True) as out_file, source.path.open("rb") as src:
                while chunk := src.read(_CHUNK):
                    out_file.write(chunk)
        out.append(
            EvidenceFile(
                name=clean_text(source.path.name),
                stored=f"{folder.name}/{name}",
                size=source.size,
                sha256=source.sha256,
            )
        )
    return out


def _stored_hash(path: Path) -> str | None:
    try:
        return _hash(path)[1]
    except OSError:
        return None


def evidence_problems(response_path: Path, entries: Iterable[RectifyEntry]) -> list[str]:
    """Chinese messages for every recorded evidence file that is missing or has changed."""
    base = response_path.parent
    problems: list[str] = []
    for entry in entries:
        for evidence in entry.evidence:
            problem = evidence_problem(base, entry.item, evidence)
            if problem:
                problems.append(problem)
    return problems


def evidence_problem(base: Path, item: str, evidence: EvidenceFile) -> str | None:
    """Why one stored evidence file no longer matches its record, or None when it does."""
    stored = Path(evidence.stored)
    # every part comes from the response file: shown on one line, nothing hidden in it
    what = f"检查项 {one_line(item)} 的佐证材料 {_shown(evidence.name)}"
    where = _shown(evidence.stored)
    if stored.is_absolute() or ".." in stored.parts:
        return f"{what}：登记的存放位置无效（{where}）"
    path = base / stored
    try:
        size, digest = _hash(path)
    except FolderReadError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return f"{what} 已不存在（{where}）"
        return f"{what} 无法读取：{exc.detail}（{where}）"
    if size != evidence.size or digest != evidence.sha256:
        return f"{what} 在登记后被改动过（校验值与登记时不同：{where}）"
    return None


def _shown(name: str) -> str:
    """A file name from a response file as people see it: one line, no bidi controls."""
    return one_line(display_name(name))


def describe(evidence: Sequence[EvidenceFile]) -> str:
    """``文件名（12 KB）、…`` for a ledger cell or a terminal line."""
    return "、".join(f"{_shown(e.name)}（{_size(e.size)}）" for e in evidence)


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"
