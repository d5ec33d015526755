"""``selfcheck run`` in the terminal: identity, resume, the walk, review and submit.

:func:`run_session` drives the walk engine (:mod:`selfcheck.engine`) through
any :class:`~selfcheck.prompter.Prompter`, so tests drive whole walks with
scripted answers (:class:`selfcheck.testing.ScriptedPrompter`). The engine
decides what to ask and what is missing; this module decides where to start
(draft, earlier submission, prefill), autosaves through the store and talks
to the person.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.panel import Panel
from rich.text import Text

from selfcheck import clock
from selfcheck.engine import Engine
from selfcheck.errors import Interrupted, SelfcheckError
from selfcheck.prompter import GoBack, Prompter, SaveAndQuit
from selfcheck.run.answers_file import AnswersFile, read_answers_file
from selfcheck.run.identity import Identity, IdentityHints, establish_identity
from selfcheck.run.materials import write_reports
from selfcheck.run.options import (
    RunOptions,
    checklist_for,
    flag_identity,
    output_folder,
    parse_formats,
    resume_command,
)
from selfcheck.run.review import review_help, review_table
from selfcheck.run.store import ResponseStore, ensure_writable
from selfcheck.run.walk import Walk

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from rich.console import Console

    from selfcheck.checklist.model import Checklist
    from selfcheck.response import PreviousRound, Response

__all__ = ["RunOptions", "run_session"]

KEYS_HELP = (
    "操作说明：输入编号或文字作答；直接回车保留当前答案（选填题则跳过）；"
    "? 查看说明；< 返回上一步；q 保存并退出；Ctrl-C 也会先保存。"
    "长文本可输入多行，以空行结束；首行输入 e 可打开编辑器。每答一题都会自动保存草稿。"
)
KEYS_HELP_AREA = (
    "操作说明：输入编号或文字作答；直接回车保留当前答案（选填题则跳过）；"
    "? 查看说明；< 返回上一步；q 保存并退出；Ctrl-C 也会先保存。"
    "长文本在编辑区中填写：方向键移动、随处修改，Enter 换行另起一段，"
    "Esc 再按 Enter 完成；可直接粘贴多段文字。每答一题都会自动保存草稿。"
)

UNTOUCHED = "原有的草稿和答卷都没有改动"
"""What a stop before anything was saved adds when there was something to keep."""
BEFORE_ANSWERING = "还没有开始答题，不保存任何内容（身份信息也不保存）"
"""What ``?`` says q and Ctrl-C do while the identity is asked."""


def run_session(options: RunOptions, prompter: Prompter) -> int:
    """The interactive run through ``prompter``; returns the exit code."""
    formats = parse_formats(options.formats)
    prefill = read_answers_file(options.answers) if options.answers is not None else None
    checklist = checklist_for(options, prefill)
    folder = output_folder(options)
    ensure_writable(folder)
    show_header(prompter.console, checklist)
    if prefill is not None:
        for warning in prefill.warnings:
            prompter.say(warning.format(), "yellow")
        if prefill.checklist_id and prefill.checklist_id != checklist.id:
            prompter.say(
                f"注意：答案文件是检查表“{prefill.checklist_id}”的，本次填写的是“{checklist.id}”；"
                "只能沿用检查项相同的答案。",
                "yellow",
            )
    hints = IdentityHints(
        flags=flag_identity(options),
        answers_file=prefill.respondent if prefill is not None else Identity(),
    )
    try:
        with prompter.saving_nothing(BEFORE_ANSWERING):
            identity = establish_identity(prompter, checklist, hints)
    except SaveAndQuit:
        prompter.say("已退出。还没有开始答题，本次没有保存任何内容（身份信息也未保存）。", "green")
        return 0
    except (KeyboardInterrupt, EOFError):
        prompter.console.print()
        raise Interrupted(f"已中断，尚未保存任何答案（身份信息也未保存）；{UNTOUCHED}。") from None
    store = ResponseStore(folder, checklist, identity)
    store.sweep_temp_files()
    session = Session(prompter, checklist, identity, store, options, formats)
    if options.previous is not None:
        from selfcheck.run.previous import load_previous

        session.carried = load_previous(options.previous, checklist, identity, options.dirs)
    return session.go(prefill)


def show_header(console: Console, checklist: Checklist) -> None:
    """Campaign title, basis, phase and motto in a panel."""
    campaign = checklist.campaign
    body = Text()
    body.append(checklist.title, style="bold")
    lines: list[str] = []
    basis = " ".join(p for p in (campaign.basis, campaign.basis_title) if p)
    if basis:
        lines.append(f"依据：{basis}")
    if campaign.plan_title:
        lines.append(f"方案：{campaign.plan_title}")
    phase = "".join(
        p for p in (campaign.phase, f"（{campaign.period}）" if campaign.period else None) if p
    )
    if phase:
        lines.append(phase)
    if campaign.motto:
        lines.append(f"要求：{campaign.motto}")
    if checklist.description:
        lines.append(checklist.description)
    for line in lines:
        body.append("\n" + line)
    console.print(Panel(body, title=Text(campaign.name, style="bold cyan"), expand=False))


def _when(moment: datetime | None) -> str:
    return clock.minute(moment) if moment else "（未知）"


class Session:
    """One interactive run for one identified person."""

    def __init__(
        self,
        prompter: Prompter,
        checklist: Checklist,
        identity: Identity,
        store: ResponseStore,
        options: RunOptions,
        formats: list[str],
    ) -> None:
        self.prompter = prompter
        self.checklist = checklist
        self.identity = identity
        self.respondent = identity.respondent()
        self.store = store
        self.options = options
        self.formats = formats
        self.previous: Response | None = None
        self.carried: PreviousRound | None = None
        """``--previous``: last round's problems and what the person says about them."""
        self.dirty = False
        self.save_failure: str | None = None
        self.engine = Engine(checklist, identity.role, today=clock.today(), started_at=clock.now())
        self.walk = Walk(prompter, self.engine, on_answer=self._autosave)

    # ----------------------------------------------------------- lifecycle

    def go(self, prefill: AnswersFile | None) -> int:
        """Decide where to start, walk, review, submit; handle q, Ctrl-C, Ctrl-D."""
        try:
            start = self._starting_point(prefill)
            if self.carried is not None and start != "done":
                self._carry_forward()
            if start == "done":
                return 0
            self._identity_questions()
            self.prompter.console.print()
            in_area = getattr(self.prompter, "edits_in_place", False)
            self.prompter.say(KEYS_HELP_AREA if in_area else KEYS_HELP, "dim")
            if isinstance(start, int):
                held = self.engine.unfinished_step()
                if held is not None and held.index == start:
                    self.walk.run(start, held.question.id)  # back inside the unfinished answer
                else:
                    self.walk.run(start)
            self.engine.to_review()
            if self.dirty:
                self._autosave()
            if not self._review():
                return 0
        except SaveAndQuit:
            self._save_for_later()
            self.prompter.say(self._stopped_message("已保存草稿"), "green")
            return 0
        except (KeyboardInterrupt, EOFError):
            self.prompter.console.print()
            self._save_for_later()
            raise Interrupted(self._stopped_message("已中断")) from None
        return self._submit()

    def _draft(self) -> Response:
        from selfcheck.carry import with_round

        return with_round(self.engine.draft(self.respondent, now=clock.now()), self.carried)

    def _carry_forward(self) -> None:
        """``--previous``: state where last round's problems stand; kept ones join this round."""
        from selfcheck.carry import merge_answers
        from selfcheck.run.previous import ask_statements, same_round

        carried = self.carried
        assert carried is not None
        draft = self.store.load_draft()
        if draft is not None and draft.previous is not None and same_round(draft.previous, carried):
            carried = draft.previous  # statements made before a break are kept

        def stated(round_: PreviousRound) -> None:
            self.carried = round_
            self._autosave()

        carried = self.carried = ask_statements(self.prompter, carried, on_stated=stated)
        merged = merge_answers(self.checklist, self.engine.answers, carried)
        self._take_over(merged, "上一轮遗留问题")
        self._autosave()

    def _autosave(self) -> None:
        self.dirty = True
        try:
            self.store.save_draft(self._draft())
        except SelfcheckError as exc:
            # Keep going: the answers stay in memory and every later answer retries the save.
            if exc.message != self.save_failure:
                self.prompter.say(
                    f"草稿保存失败：{exc.message}。可以继续填写，下一题会再次保存。", "red"
                )
            self.save_failure = exc.message
        else:
            if self.save_failure:
                self.prompter.say("草稿已重新保存成功。", "green")
            self.save_failure = None

    def _save_for_later(self) -> None:
        if not self.dirty and not self.engine.unfinished:
            return
        self.dirty = True
        try:
            self.store.save_draft(self._draft())
        except SelfcheckError as exc:
            raise Interrupted(f"已中断，但草稿无法保存：{exc.message}") from None

    def _stopped_message(self, what: str) -> str:
        if self.dirty or self.store.draft_path.exists():
            held = self.engine.unfinished_step()
            unfinished = (
                f"第 {held.number} 项“{held.question.prompt}”写到一半的内容也已保存，"
                "下次从这里接着写。"
                if held is not None
                else ""
            )
            return (
                f"{what}，答案已保存在草稿 {self.store.draft_path} 中。{unfinished}"
                f"继续填写请运行：{resume_command(self.options)}"
            )
        # Nothing saved: a submitted response (opened to change it) is as it was.
        kept = f"；{UNTOUCHED}" if self.previous is not None else ""
        if what == "已保存草稿":  # q before any answer: there is no draft to speak of
            return f"已退出，尚未保存任何答案{kept}。"
        return f"{what}，尚未保存任何答案{kept}。"

    # ------------------------------------------------------- where to start

    def _take_over(self, raw: Mapping[str, Any], source: str) -> None:
        """Load answers into the engine; say which of them cannot be kept."""
        issues = self.engine.load(raw)
        if issues:
            self.prompter.say(
                f"{source}中有 {len(issues)} 处答案无法沿用，填写时会重新询问：", "yellow"
            )
            for issue in issues:
                self.prompter.say("  " + issue.format(), "yellow")

    def _starting_point(self, prefill: AnswersFile | None) -> int | str | None:
        """An item index to walk from, None for the review, or "done"."""
        engine = self.engine
        if prefill is not None:
            self._take_over(prefill.answers, f"答案文件 {prefill.path} ")
        draft = self.store.load_draft()
        if self.store.set_aside is not None:
            self.prompter.say(
                f"原草稿文件已损坏，已改名保存为 {self.store.set_aside}，本次重新开始。", "yellow"
            )
        submitted = self.store.load_submitted()
        self.previous = submitted
        if draft is not None and self._resume_draft(draft):
            engine.started_at = draft.started_at
            if draft.checklist.sha256 != self.checklist.sha256:
                self.prompter.say(
                    f"检查表已更新（草稿按 {draft.checklist.version} 版填写，"
                    f"现为 {self.checklist.version} 版），答案已按新版核对。",
                    "yellow",
                )
            self._take_over(draft.answers, "草稿")
            engine.identity_answers = dict(draft.identity_answers)
            engine.load_unfinished(draft.unfinished)
            if submitted is not None:
                from selfcheck.review.returned import show_return

                show_return(self.prompter, submitted)  # a returned material: say why again
            cursor = engine.index_of(draft.cursor)
            return cursor if cursor is not None else engine.first_incomplete()
        if draft is None and submitted is not None and self.options.resume is not False:
            from selfcheck.review import returned

            sent_back = returned.show_return(self.prompter, submitted)
            if sent_back is not None and prefill is None:
                engine.started_at = submitted.started_at
                self._take_over(submitted.answers, "退回的答卷")
                for index in returned.concerned_indices(engine, sent_back, submitted):
                    self._edit(index)
                return None
            self.prompter.say(
                f"您已于 {_when(submitted.submitted_at)} 提交过这份对照检查："
                f"{self.store.final_path}",
                "green",
            )
            if prefill is None:
                if not self.prompter.confirm("要修改答案并重新提交吗？", default=False):
                    self.prompter.say("未做修改。", "green")
                    return "done"
                engine.started_at = submitted.started_at
                self._take_over(submitted.answers, "已提交的答卷")
                return engine.first_incomplete()
        if engine.answers and engine.first_incomplete() is None:
            self.prompter.say("预填的答案已经完整。", "green")
            if self.prompter.confirm("直接进入核对（否则逐项确认一遍）？", default=True):
                return None
        return 0

    def _identity_questions(self) -> None:
        """The checklist's once-per-response questions (征求意见建议条数…), unless answered."""
        from selfcheck.run.identity import ask_identity_questions

        asked = self.checklist.identity_questions
        known = dict(self.previous.identity_answers) if self.previous is not None else {}
        known.update(self.engine.identity_answers)
        if not asked or all(q.id in self.engine.identity_answers for q in asked):
            return
        self.engine.identity_answers = ask_identity_questions(
            self.prompter, self.checklist, known, today=clock.today()
        )
        self.dirty = True

    def _resume_draft(self, draft: Response) -> bool:
        if self.options.resume is not None:
            return self.options.resume
        counted = Engine(
            self.checklist, self.identity.role, today=clock.today(), started_at=draft.started_at
        )
        counted.load(draft.answers)
        counted.load_unfinished(draft.unfinished)
        done = counted.completed()
        begun = sum(
            1
            for index, (_, item) in enumerate(counted.items)
            if not counted.item_complete(index)
            and (item.id in counted.values or item.id in counted.unfinished)
        )
        partly = f"，另有 {begun} 项填了一部分" if begun else ""
        self.prompter.say(
            f"发现未提交的草稿：已完成 {done}/{counted.total} 项{partly}，"
            f"上次保存于 {_when(draft.updated_at or draft.started_at)}。",
            "green",
        )
        if self.prompter.confirm("从上次停下的地方继续吗？", default=True):
            return True
        return not self.prompter.confirm("重新开始将清空草稿中的答案，确定吗？", default=False)

    # --------------------------------------------------------------- review

    def _review(self) -> bool:
        """Show the table until the person submits (True); q raises SaveAndQuit."""
        items = self.engine.items
        numbers = {item.id: n for n, (_, item) in enumerate(items, start=1)}
        while True:
            review = self.engine.review()
            console = self.prompter.console
            console.print()
            console.print(review_table(self.checklist, self.identity.role, self.engine.answers))
            if review.warnings:
                self.prompter.say(f"提醒（{len(review.warnings)} 条，不影响提交）：", "yellow")
                for warning in review.warnings:
                    self.prompter.say("  · " + warning.format(), "yellow")
            if review.missing:
                self.prompter.say(f"还有 {len(review.missing)} 处没有完成，完成后才能提交：", "red")
                for issue in review.missing:
                    where = numbers.get(issue.item)
                    label = f"第 {where} 项" if where else issue.item
                    self.prompter.say(f"  · {label}：{issue.message}", "red")

            def pick(text: str) -> int:
                word = text.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
                if word.isdigit() and 1 <= int(word) <= len(items):
                    return int(word) - 1
                raise ValueError(f"请输入 1 到 {len(items)} 之间的序号，或直接回车提交。")

            try:
                chosen = self.prompter.ask(
                    "输入序号可修改该项；直接回车提交",
                    pick,
                    required=False,
                    nav=True,
                    empty="提交",
                    hint=f"序号 1～{len(items)}",
                    help=review_help(len(items)),
                )
            except GoBack:
                chosen = len(items) - 1
            if chosen is None:
                if review.missing:
                    self.prompter.say("请先完成上面列出的必答题。", "red")
                    if review.first_incomplete is not None:
                        self._edit(review.first_incomplete)
                    continue
                if self.prompter.confirm(
                    "确认提交吗？提交后将生成答卷文件和对照检查材料。", default=True
                ):
                    return True
                continue
            self._edit(chosen)

    def _edit(self, index: int) -> None:
        self.walk.ask_item(index)
        self._autosave()

    # --------------------------------------------------------------- submit

    def _submit(self) -> int:
        previous = self.previous
        response = self.engine.submit(
            self.respondent,
            now=clock.now(),
            rectification=previous.rectification if previous is not None else (),
        )
        if self.carried is not None:
            from selfcheck.carry import with_round

            response = with_round(response, self.carried)
        response = self.store.submit(response)
        say = self.prompter.say
        say(f"已提交。答卷文件：{self.store.final_path}", "bold green")
        paths = write_reports(
            response, self.checklist, self.formats, self.store.folder, self.store.final_path
        )
        for path in paths:
            say(f"对照检查材料：{path}", "green")
        say("请把答卷文件交给机关党委；对照检查材料打印、签字后按要求上交。")
        return 0
