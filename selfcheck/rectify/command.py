"""``selfcheck rectify``: list the measures, then record progress (scripted or interactive)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck import clock
from selfcheck.errors import RectifyError, refused
from selfcheck.rectify import store, view
from selfcheck.rectify.progress import list_measures, parse_entry_date

if TYPE_CHECKING:
    from rich.console import Console

    from selfcheck.prompter import Prompter


def rectify_command(
    response: Path,
    *,
    no_input: bool,
    sets: Sequence[str],
    on: str | None,
    console: Console,
    checklist_ref: str | None = None,
    dirs: Sequence[Path] = (),
    history: bool = False,
    prompter: Prompter | None = None,
    recheck: str | None = None,
    result: str | None = None,
    note: str = "",
    deadline: str | None = None,
    verify: str | None = None,
    accept: bool | None = None,
    reviewer: str | None = None,
    evidence: Sequence[Path] = (),
) -> int:
    """``selfcheck rectify``: list measures, then record progress (scripted or interactive).

    With ``--set`` the given statuses are recorded without questions (checked
    and appended under the file's lock, all or none); with ``--no-input``
    alone the measures are only listed; otherwise every measure is asked
    about through ``prompter`` (default: the terminal). Returns the exit code.
    """
    today = clock.today()
    current = store.load_submitted(response)
    checklist = store.checklist_for(current, checklist_ref, dirs)
    if recheck is not None or result is not None:
        from selfcheck.rectify.recheck import recheck_command

        return recheck_command(
            response,
            checklist,
            recheck,
            result,
            note=note,
            deadline=deadline,
            on=on,
            today=today,
            no_input=no_input,
            console=console,
            prompter=prompter,
        )
    if verify is not None or accept is not None:
        from selfcheck.rectify.verify import verify_command

        if verify is None:
            alone = "--accept/--reject 要与 --verify 检查项 一起使用"
            raise RectifyError(refused(alone, "核验结果"))
        return verify_command(
            response,
            checklist,
            verify,
            accept,
            note=note,
            reviewer=reviewer,
            today=today,
            no_input=no_input,
            console=console,
            prompter=prompter,
        )
    if evidence and not sets:
        raise RectifyError(refused("--evidence 要与 --set 一起使用", "整改进展"))
    if sets:
        saved = store.record_sets(response, checklist, sets, on=on, today=today, evidence=evidence)
        measures = list_measures(checklist, saved.response, today=today)
        view.show_measures(console, saved.response, measures, today=today, history=history)
        view.show_saved(console, len(saved.updates), response)
        view.show_early_dates(console, saved.response, saved.updates)
        return 0
    measures = list_measures(checklist, current, today=today)
    if no_input or not measures:
        if on is not None:
            parse_entry_date(on, today=today)
        view.show_measures(console, current, measures, today=today, history=history)
        from selfcheck.rectify.evidence import evidence_problems

        view.show_evidence_problems(console, evidence_problems(response, current.rectification))
        return 0
    from selfcheck.rectify import walk

    return walk.walk(
        response,
        current,
        checklist,
        console=console,
        on=on,
        today=today,
        prompter=prompter,
        history=history,
    )
