"""The Starlette application: a person's form, the committee's page, the assets.

A person's link ``/t/TOKEN`` sets an HttpOnly cookie holding his token and
redirects to ``/form``: the token never appears in later addresses, and every
personal page is reached through it alone (there is no person id in any URL,
so one token reaches one draft). The committee's link ``/a/TOKEN`` does the
same for ``/admin``. Every POST carries a CSRF token derived from the cookie's
token (:meth:`~selfcheck.serve.state.TokenStore.csrf`); reissuing a link
changes both.

Pages are rendered by the one Jinja factory (autoescape) and work without
JavaScript; ``/static/serve.js`` only autosaves while typing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from selfcheck import clock
from selfcheck.answers import date_example, display_answer
from selfcheck.engine import Engine, Incomplete, answer_as_typed
from selfcheck.errors import SelfcheckError
from selfcheck.review.returned import return_notice
from selfcheck.serve.carried import pending
from selfcheck.serve.forms import BadForm, apply_item, first, parse_form
from selfcheck.serve.people import Closed, Conflict, Files, Loaded, Person, Unstated, stamp
from selfcheck.serve.security import (
    DOCUMENT_CSP,
    BodyTooLarge,
    RateLimit,
    SecurityHeaders,
    read_body,
)
from selfcheck.serve.state import ADMIN_KEY, AuditLog, TokenStore

if TYPE_CHECKING:
    from collections.abc import Callable

    from jinja2 import Environment

    from selfcheck.checklist.model import Checklist
    from selfcheck.response import PreviousRound
    from selfcheck.response import Response as Answers

PERSON_COOKIE = "sc_person"
ADMIN_COOKIE = "sc_admin"
COOKIE_DAYS = 120
HERE = Path(__file__).parent
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
log = logging.getLogger("selfcheck.serve")


T = TypeVar("T")
WORKERS = 6
"""Threads doing file work at once: a few keep the disk busy; more only fight for the GIL."""
_LIMITER: list[Any] = []


async def run_in_threadpool(func: Callable[..., T], *args: Any) -> T:
    """Run blocking file work in a small pool of threads."""
    import anyio
    import anyio.to_thread

    if not _LIMITER:
        _LIMITER.append(anyio.CapacityLimiter(WORKERS))
    result: T = await anyio.to_thread.run_sync(func, *args, limiter=_LIMITER[0])
    return result


class Denied(Exception):
    """No valid token: the page says why, with ``status``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class ServeConfig:
    """What the application serves and where it writes."""

    folder: Path
    checklist: Checklist
    people: list[Person]
    state_folder: Path
    secure: bool = False
    base_url: str = "http://127.0.0.1:8000"
    on_reissue: Callable[[list[tuple[Person, str]]], None] | None = None
    """Called with (person, link) after the committee reissues links (updates the links file)."""
    summary: Callable[[], bytes] | None = None
    """Renders the summary HTML of the folder (as ``selfcheck summary`` makes it)."""
    rate_limit: RateLimit = field(default_factory=RateLimit)
    previous: dict[str, PreviousRound] = field(default_factory=dict)
    """``--previous``: person key → his previous round (:mod:`selfcheck.serve.carried`)."""


class ServeApp:
    """The pages and their logic; :attr:`asgi` is the application to run."""

    def __init__(self, config: ServeConfig) -> None:
        from selfcheck.jinja import make_environment

        self.config = config
        self.checklist = config.checklist
        self.people = config.people
        self.by_key = {p.key: p for p in config.people}
        self.tokens = TokenStore(config.state_folder)
        self.audit = AuditLog(config.state_folder)
        self.files = Files(config.folder, config.checklist, config.previous)
        self.env: Environment = make_environment(
            "builtin", search_path=[HERE / "templates"], autoescape=True
        )
        self.env.globals["checklist"] = config.checklist
        self.static = {
            p.name: p.read_bytes() for p in (HERE / "static").iterdir() if p.suffix in STATIC_TYPES
        }
        self.asgi = Starlette(
            routes=self._routes(),
            middleware=[Middleware(SecurityHeaders)],
            exception_handlers={HTTPException: self._http_error, Exception: self._crash},
        )

    # ------------------------------------------------------------ plumbing

    def _routes(self) -> list[Route]:
        return [
            Route("/", self.home),
            Route("/t/{token}", self.person_login),
            Route("/a/{token}", self.admin_login),
            Route("/static/{name}", self.asset),
            Route("/form", self.form_start),
            Route("/form/role", self.role_page, methods=["GET", "POST"]),
            Route("/form/previous", self.previous_page, methods=["GET", "POST"]),
            Route("/form/item/{number:int}", self.item_page, methods=["GET", "POST"]),
            Route("/form/save", self.autosave, methods=["POST"]),
            Route("/form/review", self.review_page),
            Route("/form/submit", self.submit, methods=["POST"]),
            Route("/form/done", self.done_page),
            Route("/form/reopen", self.reopen, methods=["POST"]),
            Route("/form/report.{fmt}", self.report),
            Route("/admin", self.admin_page),
            Route("/admin/reissue", self.admin_reissue, methods=["POST"]),
            Route("/admin/close", self.admin_close, methods=["POST"]),
            Route("/admin/summary", self.admin_summary),
        ]

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        """A page from ``templates/``."""
        html = self.env.get_template(template).render(**context)
        return HTMLResponse(html, status_code=status)

    def message(self, title: str, text: str, status: int, **context: Any) -> HTMLResponse:
        """A page that only says something (errors, refusals)."""
        return self.render("message.html.j2", status, title=title, text=text, **context)

    async def _http_error(self, request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        titles = {404: "找不到页面", 405: "不支持的请求方式"}
        text = {
            404: "您访问的地址不存在。请使用发给您的个人链接，或从页面上的按钮进入。",
            405: "不支持这种请求方式。请使用页面上的按钮。",
        }
        return self.message(
            titles.get(status, "请求有误"), text.get(status, "请求无法处理。"), status
        )

    async def _crash(self, request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return self.message(
            "服务器出错",
            "处理请求时出错，刚才的内容可能没有保存。已保存的答案不受影响。请返回上一页重试。",
            500,
        )

    def _client(self, request: Request) -> str:
        return request.client.host if request.client else "?"

    def _check_rate(self, request: Request) -> None:
        wait = self.config.rate_limit.blocked(self._client(request))
        if wait:
            minutes = max(1, round(wait / 60))
            raise Denied(429, f"错误的链接尝试次数过多，请 {minutes} 分钟后再试。")

    def _login(self, request: Request, cookie: str, target: str, admin: bool) -> Response:
        self._check_rate(request)
        token = request.path_params["token"]
        key = self.tokens.who(token)
        if key is None or (key == ADMIN_KEY) != admin or (not admin and key not in self.by_key):
            self.config.rate_limit.failed(self._client(request))
            self.audit.record("bad-token", "", client=self._client(request))
            raise Denied(
                403,
                "链接无效：可能输错了，或已重新生成（旧链接随即作废）。请使用最新发给您的链接。",
            )
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            cookie,
            token,
            max_age=COOKIE_DAYS * 86400,
            httponly=True,
            samesite="lax",
            secure=self.config.secure,
        )
        return response

    def _who(self, request: Request, cookie: str) -> str:
        self._check_rate(request)
        token = request.cookies.get(cookie, "")
        if not token:
            raise Denied(403, "请先打开发给您的个人链接。")
        key = self.tokens.who(token)
        if key is None:
            self.config.rate_limit.failed(self._client(request))
            raise Denied(403, "链接已失效（可能已重新生成）。请使用最新发给您的链接。")
        return key

    def person(self, request: Request) -> Person:
        """The person whose token the cookie holds; :class:`Denied` otherwise."""
        key = self._who(request, PERSON_COOKIE)
        found = self.by_key.get(key)
        if found is None:
            raise Denied(403, "链接已失效。请使用最新发给您的链接。")
        return found

    def admin(self, request: Request) -> str:
        """The committee's key; :class:`Denied` otherwise."""
        key = self._who(request, ADMIN_COOKIE)
        if key != ADMIN_KEY:
            raise Denied(403, "这是机关党委的管理页，需要管理链接。")
        return key

    async def form_fields(self, request: Request, key: str) -> dict[str, list[str]]:
        """The POSTed form, its CSRF token checked against ``key``'s."""
        body = await read_body(request)
        fields = parse_form(body)
        if not self.tokens.csrf_ok(key, first(fields, "csrf")):
            raise Denied(
                403,
                "页面已过期或不是从本系统打开的（安全校验未通过），本次未保存。请刷新页面后重试。",
            )
        return fields

    def _guard(self) -> None:
        if self.tokens.closed:
            raise Closed

    async def _safely(self, request: Request, handler: Callable[[], Any]) -> Response:
        """Run ``handler`` turning every expected refusal into a Chinese page."""
        try:
            result = handler()
            if hasattr(result, "__await__"):
                result = await result
            assert isinstance(result, Response)
            return result
        except Denied as exc:
            response = self.message("无法访问", exc.message, exc.status)
            if exc.status == 403 and "失效" in exc.message:
                response.delete_cookie(PERSON_COOKIE)
            return response
        except BodyTooLarge:
            return self.message("内容太长", "提交的内容超过了允许的大小，未保存。", 413)
        except BadForm as exc:
            return self.message("内容有误", str(exc), 400)
        except Closed:
            return self.message(
                "已结束收集",
                "本次对照检查已结束收集，不能再修改或提交。如有疑问请联系机关党委。",
                403,
            )
        except SelfcheckError as exc:
            return self.message("无法保存", exc.message + " 已保存的答案不受影响。", 409)

    # -------------------------------------------------------------- public

    async def home(self, request: Request) -> Response:
        """The root: where to go."""
        return self.message(
            self.checklist.title, "请使用机关党委发给您的个人链接打开对照检查表。", 200
        )

    async def asset(self, request: Request) -> Response:
        """A file of ``static/`` (only those shipped: no path is ever joined)."""
        name = request.path_params["name"]
        data = self.static.get(name)
        if data is None:
            raise HTTPException(404)
        return Response(data, media_type=STATIC_TYPES[Path(name).suffix])

    async def person_login(self, request: Request) -> Response:
        """``/t/TOKEN``: remember the token in a cookie, go to the form."""
        return await self._safely(
            request, lambda: self._login(request, PERSON_COOKIE, "/form", admin=False)
        )

    async def admin_login(self, request: Request) -> Response:
        """``/a/TOKEN``: the committee's link."""
        return await self._safely(
            request, lambda: self._login(request, ADMIN_COOKIE, "/admin", admin=True)
        )

    # ---------------------------------------------------------------- form

    def _load(self, person: Person) -> Loaded:
        return self.files.load(person)

    async def form_start(self, request: Request) -> Response:
        """Where this person stands: choose role, resume the draft, or the submission."""

        async def go() -> Response:
            person = self.person(request)
            loaded = await run_in_threadpool(self._load, person)
            return RedirectResponse(self._resume_target(loaded), status_code=303)

        return await self._safely(request, go)

    def _resume_target(self, loaded: Loaded) -> str:
        if loaded.engine is None:
            return "/form/role"
        if loaded.draft is None and loaded.submitted is not None:
            return "/form/done"
        if pending(loaded.carried):
            return "/form/previous"
        if loaded.draft is None:
            return "/form/item/1"
        index = loaded.engine.index_of(loaded.draft.cursor)
        return "/form/review" if index is None else f"/form/item/{index + 1}"

    async def role_page(self, request: Request) -> Response:
        """Choose 领导干部 / 一般干部 when the roster does not say."""

        async def go() -> Response:
            person = self.person(request)
            fields = await self.form_fields(request, person.key) if request.method == "POST" else {}
            loaded = await run_in_threadpool(self._load, person)
            if loaded.engine is not None:
                return RedirectResponse(self._resume_target(loaded), status_code=303)
            error = ""
            if request.method == "POST":
                self._guard()
                role = first(fields, "role")
                if self.checklist.role(role) is None:
                    error = "请选择您的身份。"
                else:

                    def save() -> None:
                        self.files.change(person, loaded.base, _unchanged, role=role)

                    await run_in_threadpool(save)
                    self.audit.record("role", person.key, role=role)
                    return RedirectResponse(
                        "/form/previous" if pending(loaded.carried) else "/form/item/1",
                        status_code=303,
                    )
            return self.render(
                "role.html.j2",
                400 if error else 200,
                person=person,
                csrf=self.tokens.csrf(person.key),
                error=error,
            )

        return await self._safely(request, go)

    async def previous_page(self, request: Request) -> Response:
        """上一轮查摆问题整改情况: where each of last round's problems stands now."""
        from selfcheck.serve.previous_page import previous_page

        return await self._safely(request, lambda: previous_page(self, request, run_in_threadpool))

    def _progress(self, engine: Engine) -> list[dict[str, Any]]:
        missing = {issue.item for issue in engine.missing()}
        values = engine.values
        rows = []
        for index, (section, item) in enumerate(engine.items):
            if item.id not in values:
                state, label = "empty", "未填"
            elif item.id in missing:
                state, label = "partial", "未填完"
            else:
                state, label = "done", "已填完"
            rows.append(
                {
                    "number": index + 1,
                    "title": item.title or _short(item.text),
                    "section": section.title,
                    "state": state,
                    "label": label,
                }
            )
        return rows

    def _item_context(
        self,
        person: Person,
        loaded: Loaded,
        index: int,
        *,
        typed: dict[str, Any] | None = None,
        problems: dict[str, str] | None = None,
        notice: str = "",
        saved: bool = False,
    ) -> dict[str, Any]:
        engine = loaded.engine
        assert engine is not None
        steps = engine.item_steps(index)
        typed = typed or {}
        fields = []
        for step in steps:
            question = step.question
            value: Any = step.value
            if question.id in typed:
                shown_value: Any = typed[question.id]
            elif question.type in ("single_choice", "multiple_choice"):
                shown_value = value
            elif question.type == "yes_no":
                shown_value = None if value is None else ("是" if value else "否")
            else:
                shown_value = answer_as_typed(question, value) or ""
            fields.append(
                {
                    "id": question.id,
                    "name": "a." + question.id,
                    "type": question.type,
                    "prompt": question.prompt,
                    "required": question.required,
                    "hint": step.hint,
                    "help": step.help if question.help or question.options else question.help,
                    "options": [(o.value, o.label) for o in question.options or ()]
                    if question.type != "yes_no"
                    else [("是", "是"), ("否", "否")],
                    "value": shown_value,
                    "error": (problems or {}).get(question.id, ""),
                    "max_length": question.max_length,
                    "example": date_example(engine.today).isoformat(),
                }
            )
        section, item = engine.items[index]
        return {
            "person": person,
            "section": section,
            "item": item,
            "number": index + 1,
            "total": engine.total,
            "position": f"第 {index + 1}/{engine.total} 项",
            "fields": fields,
            "shown": " ".join(f["id"] for f in fields),
            "progress": self._progress(engine),
            "csrf": self.tokens.csrf(person.key),
            "base": loaded.base,
            "saved_at": _saved_at(loaded.draft),
            "saved": saved,
            "notice": notice,
            "closed": self.tokens.closed,
            "submitted": loaded.submitted,
        }

    async def item_page(self, request: Request) -> Response:
        """One item: GET shows it, POST saves it and moves (上一项/下一项/保存/jump)."""

        async def go() -> Response:
            person = self.person(request)
            number = request.path_params["number"]
            if request.method == "GET":
                loaded = await run_in_threadpool(self._load, person)
                if loaded.engine is None:
                    return RedirectResponse("/form/role", status_code=303)
                if not 1 <= number <= loaded.engine.total:
                    raise HTTPException(404)
                if pending(loaded.carried):
                    return RedirectResponse("/form/previous", status_code=303)
                context = self._item_context(
                    person, loaded, number - 1, saved=request.query_params.get("saved") == "1"
                )
                return self.render("item.html.j2", **context)
            fields = await self.form_fields(request, person.key)
            self._guard()
            return await run_in_threadpool(self._save_item, person, number - 1, fields, False)

        return await self._safely(request, go)

    async def autosave(self, request: Request) -> Response:
        """The script's save while typing: same as 保存, answered in JSON."""

        async def go() -> Response:
            person = self.person(request)
            fields = await self.form_fields(request, person.key)
            self._guard()
            try:
                number = int(first(fields, "item"))
            except ValueError:
                return JSONResponse({"ok": False, "message": "缺少检查项序号"}, status_code=400)
            return await run_in_threadpool(self._save_item, person, number - 1, fields, True)

        async def json_errors() -> Response:
            response = await self._safely(request, go)
            if response.media_type == "text/html":
                return JSONResponse(
                    {"ok": False, "status": response.status_code}, status_code=response.status_code
                )
            return response

        return await json_errors()

    def _destination(self, fields: dict[str, list[str]], index: int, total: int) -> int | None:
        """The item index to show next (None: the review)."""
        go = first(fields, "go") or "stay"
        if go == "prev":
            return max(0, index - 1)
        if go == "next":
            return index + 1 if index + 1 < total else None
        if go == "review":
            return None
        if go.startswith("item:"):
            try:
                target = int(go[5:]) - 1
            except ValueError:
                return index
            return target if 0 <= target < total else index
        return index

    def _save_item(
        self, person: Person, index: int, fields: dict[str, list[str]], as_json: bool
    ) -> Response:
        outcome: dict[str, Any] = {}

        def edit(loaded: Loaded) -> None:
            engine = loaded.engine
            assert engine is not None
            total = engine.total
            if not 0 <= index < total:
                raise HTTPException(404)
            applied = apply_item(engine, index, fields)
            outcome["applied"] = applied
            dest = self._destination(fields, index, total)
            if applied.problems or applied.new_questions:
                dest = index
            outcome["dest"] = dest
            if dest is None:
                engine.to_review()
            else:
                engine.jump(dest)

        base = first(fields, "base")
        try:
            loaded, _ = self.files.change(person, base, edit)
        except Conflict as exc:
            current = self.files.load(person)
            if current.engine is None:
                return RedirectResponse("/form/role", status_code=303)
            if not 0 <= index < current.engine.total:
                raise HTTPException(404) from None
            if as_json:
                return JSONResponse(
                    {"ok": False, "conflict": True, "message": CONFLICT_MESSAGE}, status_code=409
                )
            typed = {
                name[2:]: (values if len(values) > 1 else values[0])
                for name, values in fields.items()
                if name.startswith("a.") and values
            }
            del exc
            context = self._item_context(
                person, current, index, typed=typed, notice=CONFLICT_MESSAGE
            )
            return self.render("item.html.j2", 409, **context)
        applied = outcome["applied"]
        if applied.changed:
            self.audit.record(
                "save",
                person.key,
                item=loaded.engine.items[index][1].id if loaded.engine else "",
                questions=applied.changed,
            )
        if as_json:
            return JSONResponse(
                {
                    "ok": not applied.problems,
                    "saved": _saved_at(loaded.draft),
                    "base": loaded.base,
                    "problems": applied.problems,
                    "reload": bool(applied.new_questions),
                }
            )
        if applied.problems or applied.new_questions:
            notice = (
                "有的答案没有保存，请按提示修改。"
                if applied.problems
                else "根据您的选择，请继续填写下面新出现的内容。"
            )
            context = self._item_context(
                person,
                loaded,
                index,
                typed=applied.typed,
                problems=applied.problems,
                notice=notice,
                saved=not applied.problems,
            )
            return self.render("item.html.j2", 422 if applied.problems else 200, **context)
        dest = outcome["dest"]
        target = "/form/review" if dest is None else f"/form/item/{dest + 1}?saved=1"
        return RedirectResponse(target, status_code=303)

    async def review_page(self, request: Request) -> Response:
        """Everything at a glance, what is missing, the engine's warnings, 提交."""

        async def go() -> Response:
            person = self.person(request)
            loaded = await run_in_threadpool(self._load, person)
            if loaded.engine is None:
                return RedirectResponse("/form/role", status_code=303)
            if pending(loaded.carried):
                return RedirectResponse("/form/previous", status_code=303)
            return self.render("review.html.j2", **self._review_context(person, loaded))

        return await self._safely(request, go)

    def _review_context(self, person: Person, loaded: Loaded, **extra: Any) -> dict[str, Any]:
        engine = loaded.engine
        assert engine is not None
        review = engine.review()
        numbers = {item.id: n for n, (_, item) in enumerate(engine.items, start=1)}
        answers = engine.answers
        rows = []
        for n, (section, item) in enumerate(engine.items, start=1):
            given = answers.get(item.id, {})
            lines = [
                (q.prompt, display_answer(q, given[q.id])) for q in item.questions if q.id in given
            ]
            rows.append(
                {
                    "number": n,
                    "section": section.title,
                    "title": item.title or _short(item.text),
                    "lines": lines,
                }
            )
        missing = [{"number": numbers.get(i.item), "message": i.message} for i in review.missing]
        return {
            "person": person,
            "rows": rows,
            "missing": missing,
            "warnings": [w.format() for w in review.warnings],
            "complete": review.complete,
            "csrf": self.tokens.csrf(person.key),
            "base": loaded.base,
            "saved_at": _saved_at(loaded.draft),
            "progress": self._progress(engine),
            "total": engine.total,
            "closed": self.tokens.closed,
            "has_draft": loaded.draft is not None,
            "submitted": loaded.submitted,
            "notice": "",
            **extra,
        }

    async def submit(self, request: Request) -> Response:
        """提交: write the response as ``run`` does."""

        async def go() -> Response:
            person = self.person(request)
            fields = await self.form_fields(request, person.key)
            self._guard()

            def work() -> Response:
                try:
                    response = self.files.submit(person, first(fields, "base"))
                except Conflict:
                    loaded = self.files.load(person)
                    if loaded.engine is None:
                        return RedirectResponse("/form/role", status_code=303)
                    return self.render(
                        "review.html.j2",
                        409,
                        **self._review_context(person, loaded, notice=CONFLICT_MESSAGE),
                    )
                except Unstated:
                    return RedirectResponse("/form/previous", status_code=303)
                except Incomplete:
                    loaded = self.files.load(person)
                    return self.render(
                        "review.html.j2",
                        422,
                        **self._review_context(person, loaded, notice="还有必答题没有完成。"),
                    )
                self.audit.record("submit", person.key, submitted_at=str(response.submitted_at))
                return RedirectResponse("/form/done", status_code=303)

            return await run_in_threadpool(work)

        return await self._safely(request, go)

    async def done_page(self, request: Request) -> Response:
        """After submitting: the time, the downloads, 修改答案."""

        async def go() -> Response:
            person = self.person(request)
            loaded = await run_in_threadpool(self._load, person)
            if loaded.submitted is None:
                return RedirectResponse(self._resume_target(loaded), status_code=303)
            return self.render(
                "done.html.j2",
                person=person,
                submitted=loaded.submitted,
                submitted_at=_moment(loaded.submitted.submitted_at),
                returned=return_notice(loaded.submitted),  # sent back by the committee
                has_draft=loaded.draft is not None,
                csrf=self.tokens.csrf(person.key),
                closed=self.tokens.closed,
            )

        return await self._safely(request, go)

    async def reopen(self, request: Request) -> Response:
        """修改答案: a draft from the submission; resubmitting records a new time."""

        async def go() -> Response:
            person = self.person(request)
            await self.form_fields(request, person.key)
            self._guard()
            loaded = await run_in_threadpool(self.files.reopen, person)
            self.audit.record("reopen", person.key)
            return RedirectResponse(self._resume_target(loaded), status_code=303)

        return await self._safely(request, go)

    async def report(self, request: Request) -> Response:
        """The 个人对照检查材料 of the submitted response (docx or html)."""

        async def go() -> Response:
            person = self.person(request)
            fmt = request.path_params["fmt"]
            if fmt not in ("docx", "html"):
                raise HTTPException(404)
            loaded = await run_in_threadpool(self._load, person)
            if loaded.submitted is None:
                return self.message("尚未提交", "提交后才能下载对照检查材料。", 404)
            data, name = await run_in_threadpool(self._render_report, loaded.submitted, fmt)
            return _download(data, name, fmt)

        return await self._safely(request, go)

    def _render_report(self, response: Answers, fmt: str) -> tuple[bytes, str]:
        from selfcheck.report.api import SUFFIXES, build_view, render_bytes, report_basename

        view = build_view(response, self.checklist)
        return render_bytes(view, fmt), report_basename(response) + SUFFIXES[fmt]

    # --------------------------------------------------------------- admin

    def _status_rows(self) -> list[dict[str, Any]]:
        rows = []
        for person in self.people:
            store = self.files.store(person, person.role or "")
            submitted = store.load_submitted()
            draft = store.load_draft()
            if submitted is not None:
                state, label = "submitted", "已提交"
            elif draft is not None:
                state, label = "draft", "仅有草稿"
            else:
                state, label = "none", "未填写"
            known = submitted or draft
            role = person.role or (known.respondent.role if known is not None else None)
            found = self.checklist.role(role) if role else None
            rows.append(
                {
                    "person": person,
                    "state": state,
                    "label": label,
                    "role": found.label if found else "（未定）",
                    "submitted_at": _moment(submitted.submitted_at) if submitted else "",
                    "draft": f"已填 {len(draft.answers)} 项，{_saved_at(draft)} 保存"
                    if draft is not None
                    else "",
                }
            )
        return rows

    async def admin_page(self, request: Request) -> Response:
        """Who has submitted, who has a draft, who has not started; reissue; summary."""

        async def go() -> Response:
            key = self.admin(request)
            rows = await run_in_threadpool(self._status_rows)
            counts = {
                s: sum(1 for r in rows if r["state"] == s) for s in ("submitted", "draft", "none")
            }
            return self.render(
                "admin.html.j2",
                rows=rows,
                counts=counts,
                csrf=self.tokens.csrf(key),
                closed=self.tokens.closed,
                issued=[],
            )

        return await self._safely(request, go)

    async def admin_reissue(self, request: Request) -> Response:
        """New link for one person: the old one stops working at once."""

        async def go() -> Response:
            key = self.admin(request)
            fields = await self.form_fields(request, key)
            try:
                person = self.people[int(first(fields, "person")) - 1]
            except (ValueError, IndexError):
                return self.message("请求有误", "名单中没有这个人。", 400)
            issued = self.tokens.issue([person.key])
            link = f"{self.config.base_url}/t/{issued[0].token}"
            if self.config.on_reissue is not None:
                await run_in_threadpool(self.config.on_reissue, [(person, link)])
            self.audit.record("reissue", ADMIN_KEY, unit=person.unit, name=person.name)
            rows = await run_in_threadpool(self._status_rows)
            counts = {
                s: sum(1 for r in rows if r["state"] == s) for s in ("submitted", "draft", "none")
            }
            return self.render(
                "admin.html.j2",
                rows=rows,
                counts=counts,
                csrf=self.tokens.csrf(key),
                closed=self.tokens.closed,
                issued=[(person, link)],
            )

        return await self._safely(request, go)

    async def admin_close(self, request: Request) -> Response:
        """结束收集 / 重新开放."""

        async def go() -> Response:
            key = self.admin(request)
            fields = await self.form_fields(request, key)
            closed = first(fields, "closed") == "1"
            self.tokens.set_closed(closed)
            self.audit.record("close" if closed else "open", ADMIN_KEY)
            return RedirectResponse("/admin", status_code=303)

        return await self._safely(request, go)

    async def admin_summary(self, request: Request) -> Response:
        """The summary HTML of the folder, as ``selfcheck summary --format html`` makes it."""

        async def go() -> Response:
            self.admin(request)
            if self.config.summary is None:
                return self.message("汇总", "未配置汇总。", 404)
            data = await run_in_threadpool(self.config.summary)
            response = HTMLResponse(data)
            response.headers["content-security-policy"] = DOCUMENT_CSP
            return response

        return await self._safely(request, go)


CONFLICT_MESSAGE = (
    "这一项刚才在别处（另一个窗口、另一台电脑或终端）被修改过，您刚填写的内容尚未保存。"
    "页面已显示您填写的内容，请核对后再点“保存”。"
)


def _unchanged(loaded: Loaded) -> None:
    """An edit that only creates the draft (the role was just chosen)."""


def _short(text: str, width: int = 18) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _moment(value: Any) -> str:
    if value is None:
        return ""
    return clock.minute(value)


def _saved_at(draft: Answers | None) -> str:
    if draft is None:
        return ""
    moment = draft.updated_at or draft.started_at
    return moment.astimezone().strftime("%H:%M:%S")


def _download(data: bytes, name: str, fmt: str) -> Response:
    media = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "html": "text/html; charset=utf-8",
    }[fmt]
    ascii_name = f"report.{fmt}"
    response = Response(data, media_type=media)
    response.headers["content-disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    response.headers["content-security-policy"] = DOCUMENT_CSP
    return response


__all__ = ["ServeApp", "ServeConfig", "stamp"]
