"""Finding checklists: built-in, ./checklists, --dir and SELFCHECK_PATH."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck.errors import ChecklistNotFound
from selfcheck.paths import builtin_checklists_dir

if TYPE_CHECKING:
    from collections.abc import Iterator

    from selfcheck.checklist.model import Checklist

# The loader (pydantic, jinja2, yaml) is imported inside the functions that load:
# finding a checklist's path stays cheap for commands that cache what they load.

DEFAULT_CHECKLIST = "zuofeng-2008"
_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class ChecklistInfo:
    """One row of ``selfcheck checklist list``."""

    id: str
    version: str
    title: str
    item_count: int
    path: Path
    error: str | None = None


def search_dirs(extra: list[Path] | None = None) -> list[Path]:
    """Folders searched, in priority order: --dir, SELFCHECK_PATH, ./checklists, built-in."""
    dirs: list[Path] = list(extra or [])
    env = os.environ.get("SELFCHECK_PATH", "")
    dirs += [Path(p) for p in env.split(os.pathsep) if p]
    dirs.append(Path.cwd() / "checklists")
    dirs.append(builtin_checklists_dir())
    unique: list[Path] = []
    seen: set[Path] = set()
    for d in dirs:
        key = d.resolve() if d.exists() else d
        if key not in seen:
            seen.add(key)
            unique.append(d)
    return unique


def _files_in(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in _SUFFIXES and p.is_file())


def looks_like_path(ref: str) -> bool:
    """True when ``ref`` names a file rather than a checklist id."""
    return ref.endswith(_SUFFIXES) or "/" in ref or "\\" in ref or Path(ref).is_file()


def find_checklist_path(ref: str | None, extra: list[Path] | None = None) -> Path:
    """The file for a checklist id or path (default: the built-in default checklist)."""
    ref = ref or DEFAULT_CHECKLIST
    if looks_like_path(ref):
        path = Path(ref)
        if not path.is_file():
            raise ChecklistNotFound(f"找不到检查表文件：{ref}")
        return path
    for folder in search_dirs(extra):  # folder by folder: the order `checklist list` shows
        for suffix in _SUFFIXES:
            candidate = folder / f"{ref}{suffix}"
            if candidate.is_file():
                return candidate
        for path in _files_in(folder):  # a file whose name is not its id (新检查表.yaml)
            if _declares(path, ref):
                return path
    known = "、".join(sorted({i.id for i in list_checklists(extra) if i.error is None}))
    raise ChecklistNotFound(f"找不到检查表“{ref}”。可用的检查表：{known or '（无）'}")


def resolve_checklist(ref: str | None, extra: list[Path] | None = None) -> Checklist:
    """Load a checklist by id or path (see :func:`find_checklist_path`)."""
    from selfcheck.checklist.loader import load_checklist

    return load_checklist(find_checklist_path(ref, extra))


def list_checklists(extra: list[Path] | None = None) -> list[ChecklistInfo]:
    """Every checklist file found; broken files are listed with their first error."""
    infos: list[ChecklistInfo] = []
    seen_ids: set[str] = set()
    for folder in search_dirs(extra):
        for info in _infos_in(folder):
            if info.error is None:
                if info.id in seen_ids:
                    continue  # an earlier folder overrides
                seen_ids.add(info.id)
            infos.append(info)
    return infos


def _declares(path: Path, ref: str) -> bool:
    """Whether the checklist file at ``path`` is a valid checklist with the id ``ref``.

    A file that does not even contain the id's text is not validated (no pydantic for
    the common case: the built-in checklist with a folder of other checklists)."""
    try:
        if ref.encode("utf-8") not in path.read_bytes():
            return False
    except OSError:
        return False
    from selfcheck.checklist.loader import validate_checklist_file

    report = validate_checklist_file(path)
    return report.checklist is not None and report.checklist.id == ref


def _infos_in(folder: Path) -> Iterator[ChecklistInfo]:
    """Each checklist file of ``folder``, validated (a broken one with its first error)."""
    for path in _files_in(folder):
        from selfcheck.checklist.loader import validate_checklist_file

        report = validate_checklist_file(path)
        if report.checklist is None:
            first = report.problems[0].format() if report.problems else "无法读取"
            yield ChecklistInfo(path.stem, "", "", 0, path, error=first)
            continue
        c = report.checklist
        yield ChecklistInfo(c.id, c.version, c.title, c.item_count, path)
