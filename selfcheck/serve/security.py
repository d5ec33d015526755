"""Headers on every response, the body cap and the wrong-token rate limit."""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 256 * 1024
"""A whole item's answers fit many times over; anything larger is refused (413)."""
FORM_BYTES_PER_CHAR = 9
"""The most a typed character costs in a posted form: a Chinese character is three
UTF-8 bytes, each sent as ``%XX``."""
MAX_FORM_CHARS = MAX_BODY_BYTES // FORM_BYTES_PER_CHAR
"""Chinese characters one post can carry (about 29,000)."""

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
DOCUMENT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
"""For rendered reports and summaries (inline styles of the shared renderers, no script)."""

_COMMON = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """ASGI middleware: CSP (unless the page set its own), no framing, no caching.

    Every page but ``/static/`` is personal or the committee's: ``no-store``.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", PAGE_CSP.encode()))
                headers.extend(h for h in _COMMON if h[0] not in names)
                if b"cache-control" not in names:
                    value = b"public, max-age=3600" if static else b"no-store"
                    headers.append((b"cache-control", value))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(Exception):
    """The request body is over :data:`MAX_BODY_BYTES`."""


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body, refusing (before reading) a declared length over ``limit`` and
    stopping as soon as a streamed body passes it."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise BodyTooLarge
        except ValueError:
            raise BodyTooLarge from None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


class RateLimit:
    """Wrong tokens per client address: after ``limit`` within ``window`` s, blocked."""

    def __init__(self, limit: int = 10, window: float = 600.0) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        seen = self._failures.setdefault(client, deque())
        while seen and seen[0] <= now - self.window:
            seen.popleft()
        return seen

    def blocked(self, client: str) -> float:
        """Seconds ``client`` must wait (0 when it may try)."""
        now = time.monotonic()
        with self._lock:
            seen = self._recent(client, now)
            if len(seen) < self.limit:
                return 0.0
            return max(1.0, seen[0] + self.window - now)

    def failed(self, client: str) -> None:
        """Count one wrong token from ``client``."""
        now = time.monotonic()
        with self._lock:
            self._recent(client, now).append(now)
            if len(self._failures) > 10_000:  # bounded memory under a scan
                for stale in [c for c, d in self._failures.items() if not d]:
                    del self._failures[stale]
