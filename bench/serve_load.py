"""Simulated cadres saving drafts on a running ``selfcheck serve`` (loopback only).

Used by ``bench/bench_serve.py`` and ``tests/test_serve_load.py``. Each cadre
has one keep-alive connection and does what the page script does: log in with
his link, then save item answers (``POST /form/save``) one after another, each
with the version the previous save returned. A minimal HTTP/1.1 client on
asyncio keeps the load generator cheap next to the server on two CPUs.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

ITEMS = 15
HIDDEN = re.compile(rb'name="(csrf|base|shown)" value="([^"]*)"')


@dataclass
class Cadre:
    """One simulated person and what the server acknowledged to him."""

    name: str
    link: str
    cookie: str = ""
    csrf: str = ""
    base: str = ""
    sent: int = 0
    acked: dict[int, int] = field(default_factory=dict)
    """Item number → the sequence number of the last acknowledged save of it."""
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    inflight: int | None = None
    """The item of a save sent but not yet answered (it may or may not have landed)."""


class Connection:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> tuple[int, dict[str, str], bytes]:
        """Send one request and read the whole response."""
        for attempt in (1, 2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
            lines += [f"{k}: {v}" for k, v in headers.items()]
            lines.append(f"Content-Length: {len(body)}")
            try:
                self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body)
                await self.writer.drain()
                assert self.reader is not None
                head = await self.reader.readuntil(b"\r\n\r\n")
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 2:
                    raise
                continue
            status_line, *rest = head.decode("latin-1").split("\r\n")
            status = int(status_line.split()[1])
            got: dict[str, str] = {}
            for line in rest:
                if ":" in line:
                    key, value = line.split(":", 1)
                    got.setdefault(key.strip().lower(), value.strip())
            size = int(got.get("content-length", "0"))
            data = await self.reader.readexactly(size) if size else b""
            if got.get("connection", "").lower() == "close":
                self.close()
            return status, got, data
        raise ConnectionError("unreachable")

    def close(self) -> None:
        """Drop the connection (the next request opens a new one)."""
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def answer_for(item: int, seq: int) -> dict[str, str]:
    """The fields one save posts: odd items carry a problem text naming ``seq``."""
    if item % 2:
        return {
            "shown": "rating manifestation cause opinion measure deadline",
            "a.rating": "some",
            "a.manifestation": f"第{seq}次保存：在办理群众事项时存在拖拉现象，需要整改。",
            "a.measure": "建立台账，逐件销号。",
        }
    return {"shown": "rating", "a.rating": "good" if seq % 2 else "basic"}


async def login(cadre: Cadre, conn: Connection) -> None:
    """Open the link, keep the cookie, read the first page's CSRF token and version."""
    path = urlsplit(cadre.link).path
    status, headers, _ = await conn.request("GET", path, {})
    if status != 303:
        raise AssertionError(f"{cadre.name}: login {status}")
    cadre.cookie = headers["set-cookie"].split(";", 1)[0]
    status, _, body = await conn.request("GET", "/form/item/1", {"Cookie": cadre.cookie})
    fields = {k.decode(): v.decode() for k, v in HIDDEN.findall(body)}
    cadre.csrf, cadre.base = fields["csrf"], fields["base"]


async def save(cadre: Cadre, conn: Connection, item: int) -> None:
    """One autosave; an acknowledged one is remembered by item."""
    import json

    cadre.sent += 1
    seq = cadre.sent
    data = {"csrf": cadre.csrf, "base": cadre.base, "item": str(item), "go": "stay"}
    data.update(answer_for(item, seq))
    body = urlencode(data).encode("ascii")
    headers = {"Cookie": cadre.cookie, "Content-Type": "application/x-www-form-urlencoded"}
    started = time.perf_counter()
    cadre.inflight = item
    status, _, reply = await conn.request("POST", "/form/save", headers, body)
    cadre.latencies.append(time.perf_counter() - started)
    cadre.inflight = None
    if status != 200:
        cadre.errors.append(f"{status} {reply[:200]!r}")
        return
    answer = json.loads(reply)
    if not answer.get("ok"):
        cadre.errors.append(str(answer))
        return
    cadre.base = answer["base"]
    cadre.acked[item] = seq


async def run_load(
    links: dict[str, str],
    host: str,
    port: int,
    seconds: float,
    pause: float,
    seed: int = 2008,
    on_start: Callable[[], object] | None = None,
    first_seq: int = 0,
) -> list[Cadre]:
    """Every cadre of ``links`` logs in, then all save for ``seconds``
    (``on_start`` is called when the saving starts; save numbers start after
    ``first_seq``, so a later run's saves supersede an earlier run's)."""
    cadres = [Cadre(name, link, sent=first_seq) for name, link in links.items()]
    gate = asyncio.Event()
    rng = random.Random(seed)
    until_box = [time.monotonic() + 3600]
    tasks = [
        asyncio.create_task(
            _deferred(cadre, host, port, until_box, pause, gate, random.Random(rng.random()))
        )
        for cadre in cadres
    ]
    # wait until everyone has logged in (or failed), then open the gate
    while any(c.csrf == "" and not c.errors for c in cadres):
        await asyncio.sleep(0.05)
    until_box[0] = time.monotonic() + seconds
    gate.set()
    if on_start is not None:
        on_start()
    await asyncio.gather(*tasks)
    return cadres


async def _deferred(
    cadre: Cadre,
    host: str,
    port: int,
    until_box: list[float],
    pause: float,
    gate: asyncio.Event,
    rng: random.Random,
) -> None:
    conn = Connection(host, port)
    try:
        await login(cadre, conn)
        await gate.wait()
        item = rng.randrange(1, ITEMS + 1)
        await asyncio.sleep(rng.uniform(0, pause))
        while time.monotonic() < until_box[0]:
            await save(cadre, conn, item)
            item = item % ITEMS + 1
            if pause:
                await asyncio.sleep(rng.uniform(0.5 * pause, 1.5 * pause))
    except (ConnectionError, OSError, asyncio.IncompleteReadError, AssertionError, KeyError) as exc:
        cadre.errors.append(f"connection: {exc!r}")
    finally:
        conn.close()


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile (nearest rank) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))
    return ordered[rank]
