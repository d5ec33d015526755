"""``selfcheck run --answers FILE --no-input``: check everything, ask nothing.

The answers file goes through the same walk engine as the terminal
(:class:`selfcheck.engine.Engine`): loaded whole, checked, submitted. Every
problem is listed with its item id (and the file line where known); if there
is any, nothing is written and the exit code is 1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from selfcheck import carry, clock, rules
from selfcheck.engine import AnswerIssue, Engine
from selfcheck.errors import AnswersError, Problem, UsageError, too_long
from selfcheck.run.answers_file import AnswersFile, read_answers_file
from selfcheck.run.identity import MAX_FIELD, Identity, match_role, merge_hints
from selfcheck.run.materials import write_reports
from selfcheck.run.options import (
    RunOptions,
    checklist_for,
    flag_identity,
    output_folder,
    parse_formats,
)
from selfcheck.run.previous import carried_round, lost_lines
from selfcheck.run.store import ResponseStore, ensure_writable

if TYPE_CHECKING:
    from rich.console import Console

    from selfcheck.checklist.model import Checklist


def run_without_input(options: RunOptions, console: Console) -> int:
    """Validate the answers file and, if all is well, submit and render."""
    formats = parse_formats(options.formats)
    if options.answers is None:
        raise UsageError(
            "--no-input 需要同时用 --answers 指定答案文件"
            "（可用 selfcheck checklist template 生成）。"
        )
    prefill = read_answers_file(options.answers)
    checklist = checklist_for(options, prefill)
    flags = flag_identity(options)
    _check_flags(flags, checklist)
    identity = merge_hints(flags, prefill.respondent)
    problems = _identity_problems(prefill, checklist, identity)
    if prefill.checklist_id and prefill.checklist_id != checklist.id:
        problems.append(
            prefill.problem(
                ("checklist",),
                f"答案文件是检查表“{prefill.checklist_id}”的，而本次使用“{checklist.id}”",
            )
        )
    engine: Engine | None = None
    carried = None
    if identity.role:
        engine = Engine(checklist, identity.role, today=clock.today())
        answers = prefill.answers
        if options.previous is not None and not problems:
            carried = carried_round(options, prefill, checklist, identity)
            answers = carry.merge_answers(checklist, answers, carried)
        issues = engine.load(answers, complete=True)
        problems.extend(_located(prefill, issue) for issue in issues)
    if problems or engine is None:
        raise AnswersError(
            f"答案文件有 {len(problems)} 处问题，未写入任何文件：{prefill.path}", problems
        )
    for warning in prefill.warnings:
        console.print(Text(warning.format(), style="yellow"), soft_wrap=True)
    for line in lost_lines(carried) if carried is not None else []:
        console.print(Text("注意：" + line, style="yellow"), soft_wrap=True)
    for ignored in engine.ignored(prefill.answers):
        note = _located(prefill, ignored)
        console.print(Text("提醒：" + note.format(), style="yellow"), soft_wrap=True)
    if prefill.checklist_sha256 and prefill.checklist_sha256 != checklist.sha256:
        console.print(
            Text("注意：答案文件按另一版本的检查表填写，已按当前版本核对通过。", style="yellow"),
            soft_wrap=True,
        )
    folder = output_folder(options)
    ensure_writable(folder)
    store = ResponseStore(folder, checklist, identity)
    store.sweep_temp_files()
    previous = store.load_submitted()
    if previous is not None:
        from selfcheck.review.returned import return_lines

        for text, style in return_lines(previous):  # a returned material: say why, once more
            console.print(Text(text, style=style), soft_wrap=True)
    now = clock.now()
    engine.started_at = previous.started_at if previous is not None else now
    draft_existed = store.draft_path.exists()
    response = engine.submit(
        identity.respondent(),
        now=now,
        rectification=previous.rectification if previous is not None else (),
    )
    response = carry.with_round(response, carried)
    # A person's interactive draft is left alone: only the submitted file is (re)written.
    response = store.submit(response, keep_draft=True)
    console.print(Text(f"已提交。答卷文件：{store.final_path}", style="bold green"), soft_wrap=True)
    for hint in engine.review().warnings:
        console.print(Text("提醒：" + hint.format(), style="yellow"), soft_wrap=True)
    if draft_existed:
        console.print(
            Text(f"注意：还有一份未提交的草稿 {store.draft_path}，未作改动。", style="yellow"),
            soft_wrap=True,
        )
    for path in write_reports(response, checklist, formats, store.folder, store.final_path):
        console.print(Text(f"对照检查材料：{path}", style="green"), soft_wrap=True)
    return 0


def _check_flags(flags: Identity, checklist: Checklist) -> None:
    """``--name``, ``--unit``, ``--position`` and ``--role`` are the user's own typing: a
    fault there is named by its option, not blamed on the answers file."""
    if flags.role and match_role(checklist, flags.role) is None:
        known = rules.role_choices((r.id, r.label) for r in checklist.roles)
        raise UsageError(f"--role {flags.role}：身份不在检查表中，可选：{known}")
    for field in ("name", "unit", "position"):
        length = len(getattr(flags, field))
        if length > MAX_FIELD:
            raise UsageError(f"--{field}：{too_long(MAX_FIELD, length)}")


def _identity_problems(
    prefill: AnswersFile, checklist: Checklist, identity: Identity
) -> list[Problem]:
    problems: list[Problem] = []
    if not identity.name:
        problems.append(
            prefill.problem(
                ("respondent", "name"), "缺少姓名：在 respondent.name 中填写，或用 --name"
            )
        )
    if not identity.unit:
        problems.append(
            prefill.problem(
                ("respondent", "unit"), "缺少单位：在 respondent.unit 中填写，或用 --unit"
            )
        )
    known = rules.role_choices((r.id, r.label) for r in checklist.roles)
    if not identity.role:
        problems.append(
            prefill.problem(
                ("respondent", "role"),
                f"缺少身份：在 respondent.role 中填写，或用 --role；可选：{known}",
            )
        )
    else:
        role = match_role(checklist, identity.role)
        if role is None:
            problems.append(
                prefill.problem(
                    ("respondent", "role"), f"身份“{identity.role}”不在检查表中，可选：{known}"
                )
            )
        identity.role = role or ""
    for field in ("name", "unit", "position"):
        length = len(getattr(identity, field))
        if length > MAX_FIELD:
            problems.append(prefill.problem(("respondent", field), too_long(MAX_FIELD, length)))
    return problems


def _located(prefill: AnswersFile, issue: AnswerIssue) -> Problem:
    if issue.item == "respondent":
        loc: tuple[str, ...] = ("respondent", issue.question or "")
    elif issue.item == "answers":
        loc = ("answers",)
    elif issue.question:
        loc = ("answers", issue.item, issue.question)
    else:
        loc = ("answers", issue.item)
    problem = prefill.problem(loc, issue.message)
    path = f"{issue.item}.{issue.question}" if issue.question else issue.item
    return Problem(problem.file, problem.line, problem.col, path, issue.message)
