"""``selfcheck serve DIR --roster FILE``: prepare tokens and links, then run the server."""

from __future__ import annotations

import errno
import ipaddress
import socket
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck import clock
from selfcheck.errors import UsageError, os_error_reason
from selfcheck.folder import require_named
from selfcheck.serve.state import ADMIN_KEY, STATE_FOLDER

if TYPE_CHECKING:
    from rich.console import Console

    from selfcheck.checklist.model import Checklist
    from selfcheck.response import PreviousRound
    from selfcheck.serve.app import ServeApp
    from selfcheck.serve.people import Person

DEFAULT_LINKS = "链接.csv"


@dataclass
class ServeOptions:
    """What ``selfcheck serve`` was told."""

    folder: Path
    roster: Path
    checklist: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    links: Path | None = None
    certfile: Path | None = None
    keyfile: Path | None = None
    url: str | None = None
    dirs: list[Path] = field(default_factory=list)
    previous: Path | None = None
    """``--previous``: the folder of last round's submitted responses (carry-forward)."""


@dataclass
class Prepared:
    """A ready application and what to tell the committee."""

    app: ServeApp
    admin_link: str
    links_path: Path
    new_links: int
    base_url: str
    previous_notes: list[str] = field(default_factory=list)
    """``--previous``: how many people have a previous round, and the files not used."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` is only reachable from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def base_url(options: ServeOptions) -> str:
    """The address in the links: ``--url``, else the host the server binds (an
    all-interfaces bind uses this machine's intranet address)."""
    if options.url:
        return options.url.rstrip("/")
    scheme = "https" if options.certfile else "http"
    host = options.host
    if host in ("0.0.0.0", "::", ""):
        host = _own_address()
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{options.port}"


def _own_address() -> str:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))  # no packet is sent
            return str(probe.getsockname()[0])
    except OSError:
        return socket.gethostname()


def _check_port(host: str, port: int) -> None:
    """Refuse early, in Chinese, when the address cannot be bound."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            hint = (
                "是否已经启动过一次？可用 --port 换一个端口。"
                if exc.errno == errno.EADDRINUSE
                else "请检查 --host 和 --port。"
            )
            reason = os_error_reason(exc)
            raise UsageError(f"无法在 {host}:{port} 上启动服务：{reason}。{hint}") from None


def prepare(options: ServeOptions) -> Prepared:
    """Load checklist and roster, issue missing tokens, write links, build the app."""
    from selfcheck.checklist.registry import resolve_checklist
    from selfcheck.run.store import ensure_writable
    from selfcheck.serve.app import ServeApp, ServeConfig
    from selfcheck.serve.links import update_links
    from selfcheck.serve.people import Person
    from selfcheck.summary.plan import plan_from_checklist
    from selfcheck.summary.roster import load_roster

    clock.today()  # a mistyped SELFCHECK_TODAY stops here, not in the first request
    if (options.certfile is None) != (options.keyfile is None):
        raise UsageError("--certfile 和 --keyfile 需要同时给出。")
    for tls, what in ((options.certfile, "证书文件"), (options.keyfile, "私钥文件")):
        if tls is not None:
            require_named(tls, what, UsageError)
    if not 0 < options.port < 65536:
        raise UsageError(f"端口 {options.port} 无效：应在 1～65535 之间。")
    checklist = resolve_checklist(options.checklist, options.dirs)
    entries = load_roster(options.roster, plan_from_checklist(checklist))
    if not entries:
        raise UsageError(f"名单文件 {options.roster} 中没有人员。")
    ensure_writable(options.folder)
    people = [Person.from_roster(n, e) for n, e in enumerate(entries, start=1)]
    url = base_url(options)
    state = options.folder / STATE_FOLDER
    links_path = options.links or state / DEFAULT_LINKS

    def on_reissue(issued: list[tuple[Person, str]]) -> None:
        update_links(links_path, issued, people, checklist.title)

    def summary() -> bytes:
        return render_summary(options, state)

    rounds, notes = _previous_rounds(options, checklist, people)
    app = ServeApp(
        ServeConfig(
            folder=options.folder,
            checklist=checklist,
            people=people,
            state_folder=state,
            secure=options.certfile is not None,
            base_url=url,
            on_reissue=on_reissue,
            summary=summary,
            previous=rounds,
        )
    )
    missing = [p.key for p in people if not app.tokens.has(p.key)]
    by_key = {p.key: p for p in people}
    issued = app.tokens.issue(missing) if missing else []
    if issued or (options.links is not None and not links_path.exists()):
        update_links(
            links_path,
            [(by_key[i.key], f"{url}/t/{i.token}") for i in issued],
            people,
            checklist.title,
        )
    admin = app.tokens.issue([ADMIN_KEY])[0]
    return Prepared(app, f"{url}/a/{admin.token}", links_path, len(issued), url, notes)


def _previous_rounds(
    options: ServeOptions, checklist: Checklist, people: list[Person]
) -> tuple[dict[str, PreviousRound], list[str]]:
    """``--previous``: each person's previous round and the lines to say at start."""
    if options.previous is None:
        return {}, []
    from selfcheck.serve.carried import find_previous

    found = find_previous(options.previous, checklist, people, options.dirs)
    head = (
        f"上一轮答卷（{options.previous}）：名单上 {len(found.rounds)} 人有上一轮答卷，"
        "填写时先说明上一轮查摆问题的整改情况。"
    )
    return found.rounds, [head, *found.notes]


def render_summary(options: ServeOptions, state: Path) -> bytes:
    """The folder's summary HTML, made by ``selfcheck summary`` itself."""
    from selfcheck.console import make_console
    from selfcheck.summary.api import summary_command

    with tempfile.TemporaryDirectory(dir=state, prefix=".summary-") as scratch:
        target = Path(scratch) / "summary.html"
        summary_command(
            [options.folder],
            roster=options.roster,
            checklist_ref=options.checklist,
            unit=None,
            role=None,
            anonymize=False,
            fmt="html",
            output=target,
            dirs=options.dirs,
            console=make_console(stderr=True),
        )
        return target.read_bytes()


def serve_command(options: ServeOptions, console: Console) -> int:
    """Prepare, say where the links are, and serve until Ctrl-C."""
    import uvicorn
    from rich.text import Text

    from selfcheck.serve.links import notice_path

    _check_port(options.host, options.port)
    prepared = prepare(options)
    say = console.print
    say(
        Text(f"{prepared.app.checklist.title}：名单 {len(prepared.app.people)} 人。"),
        soft_wrap=True,
    )
    if prepared.new_links:
        say(
            Text(
                f"已为 {prepared.new_links} 人生成个人链接，写入：{prepared.links_path}",
                style="green",
            ),
            soft_wrap=True,
        )
        say(
            Text(f"可打印的通知（每人一条）：{notice_path(prepared.links_path)}", style="green"),
            soft_wrap=True,
        )
    else:
        say(
            Text(
                f"名单上的人都已有链接（见 {prepared.links_path}）；遗失的链接可在管理页重新生成。"
            ),
            soft_wrap=True,
        )
    for n, line in enumerate(prepared.previous_notes):
        say(
            Text(line if n == 0 else "注意：" + line, style="" if n == 0 else "yellow"),
            soft_wrap=True,
        )
    say(Text("管理页（只给机关党委，本次启动有效）：", style="bold"), soft_wrap=True)
    say(Text(prepared.admin_link), soft_wrap=True)
    if not is_loopback(options.host) and options.certfile is None:
        say(
            Text(
                "警告：未使用 --certfile/--keyfile，内网传输的是明文 HTTP，"
                "同一网段的人可能截获链接和答案。如有证书请加上这两个选项。",
                style="bold yellow",
            ),
            soft_wrap=True,
        )
    if is_loopback(options.host):
        say(
            Text(
                "只在本机可访问（127.0.0.1）；要让内网其他电脑访问，请加 --host 0.0.0.0。",
                style="dim",
            ),
            soft_wrap=True,
        )
    say(Text(f"服务地址：{prepared.base_url}    按 Ctrl-C 停止。", style="dim"), soft_wrap=True)
    config = uvicorn.Config(
        prepared.app.asgi,
        host=options.host,
        port=options.port,
        ssl_certfile=str(options.certfile) if options.certfile else None,
        ssl_keyfile=str(options.keyfile) if options.keyfile else None,
        access_log=False,  # addresses hold no tokens after login, but keep logs quiet
        log_level="warning",
        lifespan="off",
        server_header=False,
    )
    try:
        uvicorn.Server(config).run()
    finally:
        prepared.app.audit.close()
    return 0
