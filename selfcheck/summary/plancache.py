"""Find the checklist a summary is made against, without paying for pydantic each time.

Loading a checklist means strict YAML, pydantic models and Jinja conditions:
a large share of a summary's run time when the folder is small. The
:class:`~selfcheck.summary.plan.ChecklistPlan` it yields is cached in the user's
config folder (:mod:`selfcheck.cache`), keyed by the checklist file's bytes and
the source of the code that validates and resolves it, so an edited checklist
or a new version of selfcheck always validates afresh.
"""

from __future__ import annotations

from pathlib import Path

from selfcheck.cache import cached
from selfcheck.errors import ChecklistError, os_error_reason
from selfcheck.summary.plan import PLAN_FORMAT, ChecklistPlan, plan_from_checklist

_CODE_THAT_SHAPES_A_PLAN = (
    "checklist/loader.py",
    "checklist/model.py",
    "checklist/conditions.py",
    "yamlsafe.py",
    "summary/plan.py",
    "rules.py",
)


def load_plan(ref: str | None, dirs: list[Path]) -> ChecklistPlan:
    """The plan of checklist ``ref`` (id or path; default checklist when None)."""
    from selfcheck.checklist.registry import find_checklist_path

    path = find_checklist_path(ref, dirs)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ChecklistError(f"无法读取检查表文件 {path}：{os_error_reason(exc)}") from None
    return cached(
        f"checklist-plan-{PLAN_FORMAT}",
        _CODE_THAT_SHAPES_A_PLAN,
        [raw],
        lambda: _load_slowly(raw, str(path)),
        ChecklistPlan,
    )


def _load_slowly(raw: bytes, name: str) -> ChecklistPlan:
    from selfcheck.checklist.loader import validate_checklist_text

    report = validate_checklist_text(raw, name)
    if report.checklist is None or report.problems:
        raise ChecklistError(f"检查表有错误：{name}", report.problems)
    return plan_from_checklist(report.checklist)
