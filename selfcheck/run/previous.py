"""``selfcheck run --previous LAST.json``: read last round's response and the statements.

The file side of :mod:`selfcheck.carry`: loading the previous round's
response (refusing a draft, another person's file, an unknown checklist),
finding the checklist it was answered under (by id and content hash, in the
usual checklist folders and ``--dir``), reading the cadre's statements from
an answers file's ``previous:`` block, and asking them in the terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from selfcheck import carry, rules
from selfcheck.errors import AnswersError, Problem, UsageError
from selfcheck.response import CarriedProblem, PreviousRound, Response, load_response

if TYPE_CHECKING:
    from selfcheck.checklist.model import Checklist
    from selfcheck.prompter import Prompter
    from selfcheck.run.answers_file import AnswersFile
    from selfcheck.run.identity import Identity
    from selfcheck.run.options import RunOptions

STATE_KEYS = frozenset({"state", "note", "remove", "deadline"})


def _same(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


def find_checklist(previous: Response, current: Checklist, dirs: Sequence[Path]) -> Checklist:
    """The checklist ``previous`` was answered under (same id and content hash)."""
    from selfcheck.checklist.loader import load_checklist
    from selfcheck.checklist.registry import _files_in, search_dirs

    ref = previous.checklist
    if current.sha256 == ref.sha256:
        return current
    for folder in search_dirs(list(dirs)):
        for path in _files_in(folder):
            try:
                candidate = load_checklist(path)
            except Exception:  # a broken file elsewhere is not this run's problem
                continue
            if candidate.sha256 == ref.sha256:
                return candidate
    raise UsageError(
        f"上一轮答卷所依据的检查表“{ref.id}”（版本 {ref.version}，内容摘要 {ref.sha256[:12]}）"
        "找不到：请用 --dir 指定存放上一轮检查表文件的文件夹"
    )


def load_previous(
    path: Path, checklist: Checklist, identity: Identity, dirs: Sequence[Path]
) -> PreviousRound:
    """Last round's problems of ``identity``, matched to ``checklist``; refuse what is wrong."""
    response = load_response(path)
    if response.status != "submitted":
        raise UsageError(f"上一轮答卷 {path} 是尚未提交的草稿，不能作为上一轮的查摆结果")
    who = response.respondent
    if not (_same(who.name, identity.name) and _same(who.unit, identity.unit)):
        raise UsageError(
            f"上一轮答卷 {path} 是 {who.unit} {who.name} 的（respondent.name），"
            f"不是本次填写人 {identity.unit} {identity.name} 的：请给出本人上一轮的答卷文件"
        )
    previous_checklist = find_checklist(response, checklist, dirs)
    return carry.carried_problems(response, previous_checklist, checklist, file=path.name)


def lost_lines(round_: PreviousRound) -> list[str]:
    """A line for every carried problem whose item this round's checklist no longer has."""
    return [
        f"上一轮的检查项 {p.previous_item}（{p.label}）在本轮检查表中已不存在："
        "仍列入“上一轮查摆问题整改情况”，但不能列为本轮问题"
        for p in round_.problems
        if p.item is None
    ]


# ------------------------------------------------------------ answers file


def _statement(
    value: Any, at: tuple[str, ...], prefill: AnswersFile, problems: list[Problem]
) -> carry.Statement | None:
    if isinstance(value, str):
        value = {"state": value}
    if not isinstance(value, Mapping):
        problems.append(prefill.problem(at, "应为“state: 出现反弹, note: …”的映射，或一个状态"))
        return None
    for key in value:
        if key not in STATE_KEYS:
            problems.append(
                prefill.problem(
                    (*at, str(key)), f"未知字段“{key}”：可用 state、note、remove、deadline"
                )
            )
    state = rules.carry_state_of(str(value.get("state") or ""))
    if state is None:
        choices = "、".join(s.label for s in rules.CARRY_STATES)
        problems.append(prefill.problem((*at, "state"), f"整改情况应为：{choices}"))
        return None
    try:
        note = carry.clean_note(str(value.get("note") or ""))
        removed = carry.clean_note(str(value.get("remove") or ""), "移出理由")
    except ValueError as exc:
        problems.append(prefill.problem(at, str(exc)))
        return None
    deadline = _day(value.get("deadline"), (*at, "deadline"), prefill, problems)
    statement = carry.Statement(state, note, removed, deadline)
    return statement


def _day(
    value: Any, at: tuple[str, ...], prefill: AnswersFile, problems: list[Problem]
) -> date | None:
    if value is None or value == "":
        return None
    from selfcheck import clock
    from selfcheck.answers import InvalidAnswer, parse_deadline

    try:
        return parse_deadline(value, clock.today())
    except InvalidAnswer as exc:
        problems.append(prefill.problem(at, str(exc)))
        return None


def statements_from_file(
    round_: PreviousRound, prefill: AnswersFile | None, previous_path: Path
) -> PreviousRound:
    """Every carried problem with the statement the answers file's ``previous:`` gives it.

    Keyed by last round's item id (or this round's). A problem without one,
    or a bad one, is an :class:`AnswersError` listing each; nothing is written.
    """
    given: Mapping[str, Any] = (prefill.previous if prefill is not None else None) or {}
    problems: list[Problem] = []
    carried: list[CarriedProblem] = []
    known = {p.previous_item for p in round_.problems} | {p.item for p in round_.problems if p.item}
    for key in given:
        if key not in known and prefill is not None:
            problems.append(prefill.problem(("previous", str(key)), "上一轮答卷中没有这个问题"))
    for problem in round_.problems:
        found = problem.previous_item if problem.previous_item in given else problem.item
        if found is None or found not in given:
            where = prefill.path if prefill is not None else "（没有答案文件）"
            problems.append(
                Problem(
                    str(where),
                    None,
                    None,
                    f"previous.{problem.previous_item}",
                    f"没有说明上一轮问题“{problem.label}”的整改情况（state）",
                )
            )
            carried.append(problem)
            continue
        assert prefill is not None
        statement = _statement(given[found], ("previous", found), prefill, problems)
        if statement is not None:
            carried.append(carry.apply_statement(problem, statement))
        else:
            carried.append(problem)
    if problems:
        raise AnswersError(
            f"上一轮查摆问题的整改情况有 {len(problems)} 处问题（上一轮答卷 {previous_path}），"
            "未写入任何文件",
            problems,
        )
    return PreviousRound(
        file=round_.file,
        checklist=round_.checklist,
        submitted_at=round_.submitted_at,
        problems=carried,
    )


# ------------------------------------------------------------------ terminal


def same_round(stored: PreviousRound | None, loaded: PreviousRound) -> bool:
    """Whether a draft's ``stored`` statements are about the same previous response."""
    return (
        stored is not None
        and stored.checklist == loaded.checklist
        and stored.submitted_at == loaded.submitted_at
        and [p.previous_item for p in stored.problems] == [p.previous_item for p in loaded.problems]
    )


def ask_statements(
    prompter: Prompter,
    round_: PreviousRound,
    *,
    on_stated: Callable[[PreviousRound], None] | None = None,
) -> PreviousRound:
    """Show each carried problem with its measure and last status; ask where it stands now.

    The keys work as in the rest of the walk: ``<`` goes back a question (from a
    problem's first question, to the problem before), ``q`` raises
    :class:`~selfcheck.prompter.SaveAndQuit` for the session to save and stop.
    ``on_stated`` gets the round after every statement (the session autosaves it).
    """
    from selfcheck.prompter import GoBack

    if not round_.problems:
        return round_
    prompter.say(f"上一轮查摆问题整改情况（{round_.file}，共 {len(round_.problems)} 项）：", "bold")
    carried = list(round_.problems)
    todo = [n for n, p in enumerate(round_.problems) if p.state is None]
    said: dict[int, carry.Statement] = {}
    k = 0
    while k < len(todo):
        n = todo[k]
        problem = round_.problems[n]
        _show_problem(prompter, n + 1, problem, round_)
        try:
            statement = _ask_statement(prompter, problem, said.get(n))
        except GoBack:
            if k == 0:
                prompter.say("已经是第一项了。", "yellow")
            else:
                k -= 1
            continue
        said[n] = statement
        carried[n] = carry.apply_statement(problem, statement)
        if on_stated is not None:
            on_stated(msgspec.structs.replace(round_, problems=list(carried)))
        k += 1
    return msgspec.structs.replace(round_, problems=carried)


def _show_problem(
    prompter: Prompter, n: int, problem: CarriedProblem, round_: PreviousRound
) -> None:
    prompter.say(f"{n}. {problem.section} · {problem.label}")
    prompter.say(f"   上一轮问题：{problem.problem or '（未填写）'}")
    prompter.say(f"   整改措施：{problem.measure or '（未填写）'}")
    limit = problem.deadline.isoformat() if problem.deadline else "（未填写）"
    prompter.say(f"   整改时限：{limit}    上次状态：{problem.last_status.label}")
    for line in lost_lines(PreviousRound(file="", checklist=round_.checklist, problems=[problem])):
        prompter.say("   " + line, "yellow")


def _state_index(word: str) -> int | None:
    state = rules.carry_state_of(word)
    return rules.CARRY_STATES.index(state) if state is not None else None


def _ask_statement(
    prompter: Prompter, problem: CarriedProblem, given: carry.Statement | None
) -> carry.Statement:
    """One problem's statement, question by question; ``<`` steps back (GoBack from the
    first question), what was said before is offered again."""
    from selfcheck import clock
    from selfcheck.answers import InvalidAnswer, date_hint, parse_deadline
    from selfcheck.prompter import GoBack

    def day(text: str) -> date:
        try:
            return parse_deadline(text, clock.today())
        except InvalidAnswer as exc:
            raise ValueError(str(exc)) from None

    labels = [s.label for s in rules.CARRY_STATES]
    state = given.state if given is not None else None
    note = given.note if given is not None else ""
    keep = not given.removed if given is not None else True
    removed = given.removed if given is not None else ""
    deadline = given.deadline if given is not None else None
    step = 0
    while True:
        try:
            if step == 0:
                index = prompter.choose(
                    "现在的整改情况",
                    labels,
                    default=rules.CARRY_STATES.index(state) if state is not None else None,
                    nav=True,
                    aliases=_state_index,
                )
                state = rules.CARRY_STATES[index]
            elif step == 1:
                note = _ask_note(prompter, "情况说明", note, required=False)
                assert state is not None
                if not (state.carries_over and problem.item is not None):
                    return carry.Statement(state, note)
            elif step == 2:
                keep = prompter.confirm(
                    f"列为本轮查摆的问题（标注“{rules.CARRIED_MARK}”）吗？", default=keep, nav=True
                )
            else:
                assert state is not None
                if keep:
                    deadline = prompter.ask(
                        "本轮整改时限",
                        day,
                        default=deadline.isoformat() if deadline is not None else None,
                        required=False,
                        hint=date_hint(clock.today()),
                        nav=True,
                    )
                    return carry.Statement(state, note, "", deadline)
                removed = _ask_note(prompter, "不列为本轮问题的理由", removed, required=True)
                return carry.Statement(state, note, removed)
            step += 1
        except GoBack:
            if step == 0:
                raise
            step -= 1


def statements_block(
    value: Any, blank: AnswersFile, problems: list[Problem]
) -> Mapping[str, Any] | None:
    """An answers file's ``previous:`` as ``{item: statement}``.

    A response file's own ``previous`` (``{file, checklist, problems: […]}``,
    written by an earlier run) is turned into the same shape, so ``--answers
    THIS_ROUND.json --previous LAST.json`` reuses the statements it holds.
    """
    if value is None:
        return None
    if isinstance(value, Mapping) and isinstance(value.get("problems"), list):
        out: dict[str, Any] = {}
        for entry in value["problems"]:
            if isinstance(entry, Mapping) and entry.get("state") and entry.get("previous_item"):
                out[str(entry["previous_item"])] = {
                    "state": entry.get("state"),
                    "note": entry.get("note") or "",
                    "remove": entry.get("removed") or "",
                    "deadline": entry.get("kept_deadline"),
                }
        return out
    if not isinstance(value, Mapping):
        problems.append(
            blank.problem(("previous",), "previous 应是“上一轮检查项: {state: …, note: …}”的映射")
        )
        return None
    return value


def carried_round(
    options: RunOptions, prefill: AnswersFile | None, checklist: Checklist, identity: Identity
) -> PreviousRound:
    """``--previous`` with ``--no-input``: last round's problems, stated in the answers file."""
    assert options.previous is not None
    round_ = load_previous(options.previous, checklist, identity, options.dirs)
    return statements_from_file(round_, prefill, options.previous)


def _ask_note(prompter: Prompter, label: str, typed: str, *, required: bool) -> str:
    """A one-paragraph note of a statement about last round's problem, cleaned."""
    text = prompter.ask_text(
        label, default=typed or None, required=required, nav=True, max_length=carry.NOTE_MAX_LENGTH
    )
    return carry.clean_note(text or "")
