"""The page 上一轮查摆问题整改情况 of ``selfcheck serve --previous``.

Shown before the items while a person has a previous round whose problems he
has not all stated (:func:`selfcheck.serve.carried.pending`). GET shows each
carried problem with its item wording, problem text, measure, deadline and
last status; POST (CSRF-checked) reads the four-state radio, the note and,
for 出现反弹/仍未整改, whether it becomes a problem of this round with its
deadline or the reason not to. All problems are saved at once, through
:mod:`selfcheck.carry`, into the draft's ``previous``; the kept ones join the
answers marked 上轮遗留, as the terminal does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.responses import RedirectResponse

from selfcheck import carry, clock, rules
from selfcheck.answers import date_example
from selfcheck.serve.carried import Typed, carry_into, pending, read_statements, typed_of
from selfcheck.serve.forms import first
from selfcheck.serve.people import Conflict

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from selfcheck.response import PreviousRound
    from selfcheck.serve.app import ServeApp
    from selfcheck.serve.people import Loaded, Person

Offload = Callable[..., Awaitable[Any]]
"""The application's way to run blocking file work off the event loop."""

CONFLICT = (
    "草稿刚才在别处被修改过，本页内容尚未保存。页面已保留您的选择，请核对后再点“保存并继续”。"
)


def _rows(
    app: ServeApp, round_: PreviousRound, typed: list[Typed], errors: dict[int, str]
) -> list[dict[str, Any]]:
    rows = []
    for n, problem in enumerate(round_.problems, start=1):
        found = app.checklist.item(problem.item) if problem.item else None
        rows.append(
            {
                "n": n,
                "p": problem,
                "text": found[1].text if found else "",
                "lost": problem.item is None,
                "typed": typed[n - 1],
                "error": errors.get(n, ""),
            }
        )
    return rows


def _render(
    app: ServeApp,
    person: Person,
    loaded: Loaded,
    round_: PreviousRound,
    *,
    typed: list[Typed] | None = None,
    errors: dict[int, str] | None = None,
    notice: str = "",
    status: int = 200,
) -> Response:
    return app.render(
        "previous.html.j2",
        status,
        person=person,
        round=round_,
        rows=_rows(app, round_, typed or typed_of(round_), errors or {}),
        states=[s.label for s in rules.CARRY_STATES],
        carries=[s.label for s in rules.CARRY_STATES if s.carries_over],
        mark=rules.CARRIED_MARK,
        note_max=carry.NOTE_MAX_LENGTH,
        example=date_example(clock.today()).isoformat(),
        csrf=app.tokens.csrf(person.key),
        base=loaded.base,
        notice=notice,
        closed=app.tokens.closed,
    )


async def previous_page(app: ServeApp, request: Request, run_in_threadpool: Offload) -> Response:
    """GET: the carried problems; POST: save where each stands, then go to the items.

    ``run_in_threadpool`` is :func:`selfcheck.serve.app.run_in_threadpool` (passed in:
    this module is imported by the application, not the other way round).
    """
    person = app.person(request)
    fields = await app.form_fields(request, person.key) if request.method == "POST" else {}
    loaded = await run_in_threadpool(app.files.load, person)
    if loaded.engine is None:
        return RedirectResponse("/form/role", status_code=303)
    if loaded.draft is None and loaded.submitted is not None:
        return RedirectResponse("/form/done", status_code=303)  # 修改答案 first
    round_ = loaded.carried
    if round_ is None or not pending(round_):
        return RedirectResponse(app._resume_target(loaded), status_code=303)
    if request.method == "GET":
        return _render(app, person, loaded, round_)
    app._guard()
    stated, typed, errors = read_statements(round_, fields)
    if stated is None:
        notice = f"有 {len(errors)} 个问题没有填好，请按提示修改（本页尚未保存）。"
        return _render(
            app, person, loaded, round_, typed=typed, errors=errors, notice=notice, status=422
        )

    def edit(current: Loaded) -> None:
        assert current.engine is not None
        current.carried = stated
        carry_into(current.engine, app.checklist, stated)

    def save() -> Loaded | None:
        try:
            saved, _ = app.files.change(person, first(fields, "base"), edit)
        except Conflict:
            return None
        return saved

    saved = await run_in_threadpool(save)
    if saved is None:
        current = await run_in_threadpool(app.files.load, person)
        if current.carried is None or not pending(current.carried):
            return RedirectResponse(app._resume_target(current), status_code=303)
        return _render(
            app, person, current, current.carried, typed=typed, notice=CONFLICT, status=409
        )
    app.audit.record(
        "previous",
        person.key,
        states=[p.state.value if p.state else "" for p in stated.problems],
    )
    return RedirectResponse(app._resume_target(saved), status_code=303)
