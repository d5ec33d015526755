"""Find the checklist a summary is made against, without paying for pydantic each time.

Loading a checklist means strict YAML, pydantic models and Jinja conditions:
a large share of a summary's run time when the folder is small. The
:class:`~selfcheck.summary.plan.ChecklistPlan` it yields is cached in the user's
config folder, keyed by the checklist file's bytes and the source of the code
that validates and resolves it, so an edited checklist or a new version of
selfcheck always validates afresh. The cache is a convenience: any problem
reading or writing it just means loading the checklist the slow way.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

import msgspec

from selfcheck import __version__
from selfcheck.atomicio import write_bytes_atomic
from selfcheck.errors import ChecklistError, SelfcheckError, os_error_reason
from selfcheck.summary.plan import PLAN_FORMAT, ChecklistPlan, plan_from_checklist

_PACKAGE = Path(__file__).resolve().parent.parent
_CODE_THAT_SHAPES_A_PLAN = (
    _PACKAGE / "checklist" / "loader.py",
    _PACKAGE / "checklist" / "model.py",
    _PACKAGE / "checklist" / "conditions.py",
    _PACKAGE / "yamlsafe.py",
    _PACKAGE / "summary" / "plan.py",
    _PACKAGE / "rules.py",
)


def load_plan(ref: str | None, dirs: list[Path]) -> ChecklistPlan:
    """The plan of checklist ``ref`` (id or path; default checklist when None)."""
    from selfcheck.checklist.registry import find_checklist_path

    path = find_checklist_path(ref, dirs)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ChecklistError(f"无法读取检查表文件 {path}：{os_error_reason(exc)}") from None
    cache = _cache_file(raw)
    if cache is not None:
        try:
            return msgspec.json.decode(cache.read_bytes(), type=ChecklistPlan)
        except (OSError, msgspec.MsgspecError, RecursionError):
            pass
    plan = _load_slowly(raw, str(path))
    if cache is not None:
        with contextlib.suppress(SelfcheckError):
            write_bytes_atomic(cache, msgspec.json.encode(plan))
    return plan


def _load_slowly(raw: bytes, name: str) -> ChecklistPlan:
    from selfcheck.checklist.loader import validate_checklist_text

    report = validate_checklist_text(raw, name)
    if report.checklist is None or report.problems:
        raise ChecklistError(f"检查表有错误：{name}", report.problems)
    return plan_from_checklist(report.checklist)


def _cache_file(raw: bytes) -> Path | None:
    """Where the plan for these checklist bytes is cached (None: no caching possible)."""
    from selfcheck.paths import config_dir

    digest = hashlib.sha256()
    digest.update(f"{__version__}/{PLAN_FORMAT}\0".encode())
    try:
        for source in _CODE_THAT_SHAPES_A_PLAN:
            digest.update(source.read_bytes())
        folder = config_dir() / "cache"
    except OSError:
        return None
    digest.update(b"\0")
    digest.update(raw)
    return folder / f"checklist-plan-{digest.hexdigest()[:40]}.json"
