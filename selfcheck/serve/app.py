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
import secrets
import threading
import time
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
from selfcheck.engine import Engine, Incomplete
from selfcheck.errors import SelfcheckError
from selfcheck.review.returned import return_notice
from selfcheck.serve.carried import pending
from selfcheck.serve.forms import (
    KEPT_MESSAGE,
    Applied,
    BadForm,
    apply_item,
    field_version,
    first,
    form_value,
    parse_form,
    saved_values,
    typed_limits,
)
from selfcheck.serve.people import (
    AlreadySubmitted,
    Closed,
    Conflict,
    Files,
    Loaded,
    Person,
    Unstated,
    stamp,
    unsaved_text,
)
from selfcheck.serve.security import (
    DOCUMENT_CSP,
    MAX_BODY_BYTES,
    MAX_FORM_CHARS,
    BodyTooLarge,
    RateLimit,
    SecurityHeaders,
    read_body,
)
from selfcheck.serve.state import ADMIN_KEY, AuditLog, TokenStore
from selfcheck.textsafe import shortened

if TYPE_CHECKING:
    from collections.abc import Callable

    from jinja2 import Environment

    from selfcheck.checklist.model import Checklist, Item
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

    def __init__(self, status: int, message: str, *, forget: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.forget = forget
        """The cookie whose token is no good any more (the response deletes it)."""


class Reissued:
    """Links just reissued, by a random name the admin page's address carries, so a
    reload of that page shows them again instead of reissuing (kept ``keep`` seconds,
    in memory only: the links file holds them afterwards)."""

    def __init__(self, keep: float = 600.0) -> None:
        self.keep = keep
        self._shown: dict[str, tuple[float, list[tuple[Person, str]]]] = {}
        self._lock = threading.Lock()

    def add(self, links: list[tuple[Person, str]]) -> str:
        """Remember ``links``; the name to show them by."""
        name = secrets.token_urlsafe(12)
        now = time.monotonic()
        with self._lock:
            for old in [k for k, (at, _) in self._shown.items() if at + self.keep < now]:
                del self._shown[old]
            self._shown[name] = (now, links)
        return name

    def get(self, name: str) -> list[tuple[Person, str]]:
        """The links remembered by ``name`` (none once they are too old)."""
        with self._lock:
            found = self._shown.get(name)
        if found is None or found[0] + self.keep < time.monotonic():
            return []
        return found[1]


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
        self.reissued = Reissued()
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
            Route("/admin/reissue", self.admin_reissue, methods=["GET", "POST"]),
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

    def _identify(self, request: Request, token: str, cookie: str = "") -> str:
        """The key whose token ``token`` is, else :class:`Denied`.

        A valid token always passes, even from an address blocked for wrong
        tokens (an office behind one NAT address, the committee among them). A
        token that was valid until its link was reissued (a tab left open) is
        refused and audited but is no guess; only unknown tokens count towards
        the address's block. ``cookie`` names the cookie the token came from
        ('' for a link).
        """
        where = "cookie" if cookie else "link"
        key = self.tokens.who(token)
        if key is not None:
            return key
        client = self._client(request)
        replaced = self.tokens.replaced(token)
        if replaced is not None:
            self.audit.record("old-token", replaced, client=client, where=where)
            raise Denied(403, REISSUED_MESSAGE, forget=cookie)
        self._check_rate(request)
        self.config.rate_limit.failed(client)
        self.audit.record("bad-token", "", client=client, where=where)
        raise Denied(403, UNKNOWN_LINK_MESSAGE, forget=cookie)

    def _login(self, request: Request, cookie: str, target: str, admin: bool) -> Response:
        token = request.path_params["token"]
        key = self._identify(request, token)
        if (key == ADMIN_KEY) != admin or (not admin and key not in self.by_key):
            raise Denied(403, UNKNOWN_LINK_MESSAGE)
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
        token = request.cookies.get(cookie, "")
        if not token:
            raise Denied(403, "请先打开发给您的个人链接。")
        return self._identify(request, token, cookie)

    def person(self, request: Request) -> Person:
        """The person whose token the cookie holds; :class:`Denied` otherwise."""
        key = self._who(request, PERSON_COOKIE)
        found = self.by_key.get(key)
        if found is None:
            raise Denied(403, "链接已失效。请使用最新发给您的链接。", forget=PERSON_COOKIE)
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

    async def _safely(
        self, request: Request, handler: Callable[[], Any], *, as_json: bool = False
    ) -> Response:
        """Run ``handler`` turning every expected refusal into a Chinese page (or, for
        the page script, JSON with the same ``message``; ``stop`` when saving again
        from this page cannot work)."""

        def refuse(title: str, text: str, status: int, stop: bool = True) -> Response:
            if as_json:
                return JSONResponse(
                    {"ok": False, "status": status, "message": text, "stop": stop},
                    status_code=status,
                )
            return self.message(title, text, status)

        try:
            result = handler()
            if hasattr(result, "__await__"):
                result = await result
            assert isinstance(result, Response)
            return result
        except Denied as exc:
            response = refuse("无法访问", exc.message, exc.status)
            if exc.forget:
                response.delete_cookie(exc.forget)
            return response
        except BodyTooLarge:
            return refuse("内容太长", TOO_LARGE_MESSAGE, 413, stop=False)
        except BadForm as exc:
            return refuse("内容有误", str(exc), 400, stop=False)
        except AlreadySubmitted:
            if as_json:
                return refuse("已提交", SUBMITTED_MESSAGE, 409)
            return RedirectResponse("/form/done", status_code=303)
        except Closed:
            return refuse("已结束收集", CLOSED_MESSAGE, 403)
        except SelfcheckError as exc:
            return refuse("无法保存", exc.message + " 已保存的答案不受影响。", 409, stop=False)

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
        """Choose 领导干部 / 一般干部 when the roster does not say; change it before
        submitting (``?to=ROLE`` asks to confirm when answers would be left out)."""

        async def go() -> Response:
            person = self.person(request)
            fields = await self.form_fields(request, person.key) if request.method == "POST" else {}
            loaded = await run_in_threadpool(self._load, person)
            changing = self.files.role_changeable(person, loaded)
            if loaded.engine is not None and not changing:
                return RedirectResponse(self._resume_target(loaded), status_code=303)
            error = ""
            if request.method == "POST":
                self._guard()
                role = first(fields, "role")
                if self.checklist.role(role) is None:
                    error = "请选择您的身份。"
                elif loaded.engine is None:

                    def save() -> None:
                        self.files.change(person, loaded.base, _unchanged, role=role)

                    await run_in_threadpool(save)
                    self.audit.record("role", person.key, role=role)
                    return RedirectResponse(
                        "/form/previous" if pending(loaded.carried) else "/form/item/1",
                        status_code=303,
                    )
                elif role == loaded.role:
                    return RedirectResponse(self._resume_target(loaded), status_code=303)
                elif self.files.dropped_by(loaded, role) and first(fields, "confirm") != "1":
                    return RedirectResponse(f"/form/role?to={role}", status_code=303)
                else:
                    try:
                        changed = await run_in_threadpool(
                            self.files.change_role, person, first(fields, "base"), role
                        )
                    except Conflict:
                        return RedirectResponse("/form/role?notice=conflict", status_code=303)
                    self.audit.record("role", person.key, role=role, previous=loaded.role)
                    return RedirectResponse(self._resume_target(changed), status_code=303)
            asked = request.query_params.get("to", "")
            confirm = None
            if changing and asked != loaded.role and self.checklist.role(asked) is not None:
                found = self.checklist.role(asked)
                assert found is not None
                confirm = {
                    "role": found,
                    "dropped": self.files.dropped_by(loaded, asked),
                }
            return self.render(
                "role.html.j2",
                400 if error else 200,
                person=person,
                csrf=self.tokens.csrf(person.key),
                base=loaded.base,
                current=loaded.role if changing else None,
                confirm=confirm,
                notice=ROLE_CONFLICT if request.query_params.get("notice") == "conflict" else "",
                error=error,
            )

        return await self._safely(request, go)

    async def previous_page(self, request: Request) -> Response:
        """上一轮查摆问题整改情况: where each of last round's problems stands now."""
        from selfcheck.serve.previous_page import previous_page

        return await self._safely(request, lambda: previous_page(self, request, run_in_threadpool))

    def _role_info(self, person: Person, loaded: Loaded) -> dict[str, Any]:
        """The role the form is for, and whether he may still change it (/form/role)."""
        found = self.checklist.role(loaded.role) if loaded.role else None
        return {
            "role_label": found.label if found else "",
            "role_changeable": self.files.role_changeable(person, loaded)
            and not self.tokens.closed,
        }

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
        typed = typed or {}
        fields = []
        limits = typed_limits(engine.items[index][1].questions)
        for step, asked in engine.item_questions(index):
            question = step.question
            error = (problems or {}).get(question.id, "")
            saved_copy = ""
            if question.id in typed:
                shown_value: Any = typed[question.id]
            elif step.unfinished is not None:
                # text typed and not yet an answer (refused, changed elsewhere too, or
                # interrupted in the terminal); what is saved is shown beside it
                shown_value = step.unfinished
                if step.value is not None:
                    saved_copy = form_value(question, step.value)
                if asked and not error:
                    checked = engine.check(step.unfinished, item=step.item.id, question=question.id)
                    error = "；".join(checked.problems)
            else:
                shown_value = form_value(question, step.value)
            fields.append(
                {
                    "id": question.id,
                    "name": "a." + question.id,
                    "type": question.type,
                    "prompt": question.prompt,
                    "required": question.required,
                    "hint": step.hint
                    or (f"最多 {limits[question.id]} 字" if question.type == "long_text" else None),
                    "help": step.help_beside_hint,
                    "options": [(o.value, o.label) for o in question.options or ()]
                    if question.type != "yes_no"
                    else [("是", "是"), ("否", "否")],
                    "value": shown_value,
                    "error": error,
                    "saved_copy": saved_copy if saved_copy != shown_value else "",
                    "version": field_version(question, saved_values(question, step.value)),
                    "max_length": limits.get(question.id),
                    "visible": asked,
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
            "shown": " ".join(f["id"] for f in fields if f["visible"]),
            "progress": self._progress(engine),
            "csrf": self.tokens.csrf(person.key),
            "base": loaded.base,
            "saved_at": _saved_at(loaded.draft),
            "saved": saved,
            "notice": notice,
            "closed": self.tokens.closed,
            "submitted": loaded.submitted,
            **self._role_info(person, loaded),
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
                if loaded.draft is None and loaded.submitted is not None:
                    return RedirectResponse("/form/done", status_code=303)  # 修改答案 first
                if pending(loaded.carried):
                    return RedirectResponse("/form/previous", status_code=303)
                query = request.query_params
                flag = query.get("notice", "")
                kept = query.get("kept", "").split()
                moved = query.get("moved", "").split()
                context = self._item_context(
                    person,
                    loaded,
                    number - 1,
                    problems={q: KEPT_MESSAGE for q in kept} | {q: MOVED_MESSAGE for q in moved},
                    notice=ITEM_NOTICES.get(flag, ""),
                    saved=query.get("saved") == "1" or flag == "more",
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

        return await self._safely(request, go, as_json=True)

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
        base = first(fields, "base")

        def edit(loaded: Loaded) -> None:
            engine = loaded.engine
            assert engine is not None
            total = engine.total
            if not 0 <= index < total:
                raise HTTPException(404)
            applied = apply_item(engine, index, fields, stale=loaded.base != base)
            outcome["applied"] = applied
            dest = self._destination(fields, index, total)
            if applied.problems or applied.new_questions or applied.conflicts:
                dest = index
            outcome["dest"] = dest
            if dest is None:
                engine.to_review()
            else:
                engine.jump(dest)

        try:
            loaded, _ = self.files.change(person, base, edit, merge=True)
        except AlreadySubmitted:
            if as_json:
                return JSONResponse(
                    {"ok": False, "message": SUBMITTED_MESSAGE, "stop": True}, status_code=409
                )
            current = self.files.load(person)
            if current.engine is None or not 0 <= index < current.engine.total:
                return RedirectResponse("/form/done", status_code=303)
            context = self._item_context(
                person, current, index, typed=_typed(fields), notice=SUBMITTED_MESSAGE
            )
            return self.render("item.html.j2", 409, **context)
        except Conflict:
            return RedirectResponse("/form", status_code=303)  # no role yet: choose it first
        applied = outcome["applied"]
        assert loaded.engine is not None
        item = loaded.engine.items[index][1]
        if applied.changed:
            self.audit.record("save", person.key, item=item.id, questions=applied.changed)
        if applied.conflicts:
            self.audit.record("conflict", person.key, item=item.id, questions=applied.conflicts)
        if as_json:
            versions = {
                q: v for q, v in applied.versions.items() if q not in applied.conflicts
            }  # a conflicting field keeps its page's version: it stays a conflict until seen
            ok = not applied.problems and not applied.conflicts
            reply = {
                "ok": ok,
                "saved": _saved_at(loaded.draft),
                "base": loaded.base,
                "problems": applied.problems,
                "conflicts": applied.conflicts,
                "visible": applied.visible,
                "versions": versions,
            }
            if not ok:
                reply["message"] = _unsaved_message(item, applied)
            return JSONResponse(reply, status_code=409 if applied.conflicts else 200)
        here = f"/form/item/{index + 1}"
        if applied.problems and not applied.only_held:
            # a choice that is not among the options: only a forged or broken form posts it
            context = self._item_context(
                person,
                loaded,
                index,
                typed=applied.typed,
                problems=applied.problems,
                notice=ITEM_NOTICES["problems"],
            )
            return self.render("item.html.j2", 422, **context)
        # Post/Redirect/Get: a reload shows the page again, it never posts the form again
        flags = []
        if applied.conflicts:
            flags.append("notice=conflict")
            moved = [q for q in applied.conflicts if q not in applied.held]
            if moved:
                flags.append("moved=" + "+".join(moved))
        elif applied.problems:
            flags.append("notice=problems")
        elif applied.new_questions:
            flags.append("notice=more")
        if applied.kept:
            flags.append("kept=" + "+".join(applied.kept))
        if flags:
            return RedirectResponse(f"{here}?{'&'.join(flags)}", status_code=303)
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
            flag = request.query_params.get("notice", "")
            extra = {"notice": REVIEW_NOTICES[flag]} if flag in REVIEW_NOTICES else {}
            return self.render("review.html.j2", **self._review_context(person, loaded, **extra))

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
        held = unsaved_text(engine)
        missing += [{"number": numbers.get(i.item), "message": i.message} for i in held]
        return {
            "person": person,
            "rows": rows,
            "missing": missing,
            "warnings": [w.format() for w in review.warnings],
            "complete": review.complete and not held,
            "csrf": self.tokens.csrf(person.key),
            "base": loaded.base,
            "saved_at": _saved_at(loaded.draft),
            "progress": self._progress(engine),
            "total": engine.total,
            "closed": self.tokens.closed,
            "has_draft": loaded.draft is not None,
            "submitted": loaded.submitted,
            **self._role_info(person, loaded),
            "notice": ""
            if loaded.draft is not None or loaded.submitted is None
            else f"您已于 {_moment(loaded.submitted.submitted_at)} 提交，下面是提交的答案。",
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
                    return RedirectResponse("/form/review?notice=conflict", status_code=303)
                except Unstated:
                    return RedirectResponse("/form/previous", status_code=303)
                except AlreadySubmitted:
                    return RedirectResponse("/form/done", status_code=303)
                except Incomplete:
                    return RedirectResponse("/form/review?notice=incomplete", status_code=303)
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
        """Who has submitted, who has a draft, who has not started; reissue; summary.

        ``?issued=`` names links just reissued (shown again on reload for a while)."""

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
                issued=self.reissued.get(request.query_params.get("issued", "")),
                links_file=self.config.on_reissue is not None,
                minutes=int(self.reissued.keep // 60),
            )

        return await self._safely(request, go)

    def _roster_person(self, number: str) -> Person | None:
        try:
            index = int(number) - 1
        except ValueError:
            return None
        return self.people[index] if 0 <= index < len(self.people) else None

    async def admin_reissue(self, request: Request) -> Response:
        """New link for one person: GET asks to confirm, POST issues it (the old one
        stops working at once) and redirects to the admin page that shows it."""

        async def go() -> Response:
            key = self.admin(request)
            if request.method == "GET":
                person = self._roster_person(request.query_params.get("person", ""))
                if person is None:
                    return self.message("请求有误", "名单中没有这个人。", 400)
                return self.render("reissue.html.j2", target=person, csrf=self.tokens.csrf(key))
            fields = await self.form_fields(request, key)
            person = self._roster_person(first(fields, "person"))
            if person is None:
                return self.message("请求有误", "名单中没有这个人。", 400)
            if first(fields, "confirm") != "1":
                return RedirectResponse(f"/admin/reissue?person={person.number}", status_code=303)
            issued = self.tokens.issue([person.key])
            link = f"{self.config.base_url}/t/{issued[0].token}"
            if self.config.on_reissue is not None:
                await run_in_threadpool(self.config.on_reissue, [(person, link)])
            self.audit.record("reissue", ADMIN_KEY, unit=person.unit, name=person.name)
            shown = self.reissued.add([(person, link)])
            return RedirectResponse(f"/admin?issued={shown}", status_code=303)

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


CLOSED_MESSAGE = (
    "本次对照检查已结束收集，不能再修改或提交，刚才的修改没有保存。如有疑问请联系机关党委。"
)
TOO_LARGE_MESSAGE = (
    f"提交的内容超过了 {MAX_BODY_BYTES // 1024} KB"
    f"（约 {round(MAX_FORM_CHARS, -3) / 10000:g} 万个汉字），这次没有保存，"
    "已保存的答案不受影响。请按浏览器的“后退”回到刚才的页面（文字一般仍在框中），"
    "把过长的内容删减后再保存。"
)
UNKNOWN_LINK_MESSAGE = (
    "链接无效：可能输错了，或已重新生成（旧链接随即作废）。请使用最新发给您的链接。"
)
REISSUED_MESSAGE = (
    "这个链接已由机关党委重新生成，旧链接已失效，这个页面不能再保存（刚才的修改没有保存，"
    "框中的文字可先复制下来）。请用最新发给您的链接打开。"
)

ROLE_CONFLICT = "草稿刚才在别处被修改过，身份没有更改。请核对后重新选择。"

ITEM_NOTICES = {
    "problems": "有的答案没有保存，请按提示修改。",
    "more": "根据您的选择，请继续填写下面新出现的内容。",
    "conflict": "这一项刚才在别处（另一个窗口、另一台电脑或终端）被修改过。"
    "您改了、别处也改了的题目没有保存：框中仍是您刚写的文字，下面列出了目前保存的内容，"
    "请核对后再点“保存”。其余的修改已经保存。",
}
"""The one-time notices of an item page, named by its ``?notice=`` (Post/Redirect/Get)."""

REVIEW_NOTICES = {
    "conflict": "草稿刚才在别处（另一个窗口、另一台电脑或终端）被修改过，本次没有提交。"
    "下面是最新的内容，请核对后再点“提交”。",
    "incomplete": "还有没有完成的内容，本次没有提交。",
}
"""The one-time notices of the review page, named by its ``?notice=``."""

MOVED_MESSAGE = "这一题刚在别处改过，页面显示的是目前保存的选择；您的选择没有保存，请重新确认。"

SUBMITTED_MESSAGE = (
    "您已提交过对照检查；这一页是提交前打开的，刚才的修改没有保存。"
    "如需修改，请到“已提交”页点“修改答案”后再改（要改的文字可先复制下来）。"
)


def _unsaved_message(item: Item, applied: Applied) -> str:
    """Why (part of) an autosave was not saved, for the page's status line."""
    prompts = {q.id: q.prompt for q in item.questions}
    if applied.conflicts:
        names = "、".join(f"“{prompts[q]}”" for q in applied.conflicts)
        return (
            f"{names}刚在别处（另一个窗口、另一台电脑或终端）改过，这里的修改没有保存"
            "（文字已暂存）。请点“保存”，核对两处的内容后再保存。"
        )
    qid, reason = next(iter(applied.problems.items()))
    return f"“{prompts[qid]}”没有保存：{reason}"


def _typed(fields: dict[str, list[str]]) -> dict[str, Any]:
    """The answers a form posted, to show again in their fields."""
    return {
        name[2:]: (values if len(values) > 1 else values[0])
        for name, values in fields.items()
        if name.startswith("a.") and values
    }


def _unchanged(loaded: Loaded) -> None:
    """An edit that only creates the draft (the role was just chosen)."""


def _short(text: str, width: int = 18) -> str:
    return shortened(text, width)


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
