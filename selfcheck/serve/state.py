"""The server's own files, in the hidden folder ``DIR/.selfcheck-serve/``.

Summaries skip hidden entries, so nothing here is mistaken for a response.

- ``tokens.json`` (0600, atomic): the SHA-256 of every person's token and of
  the committee's (and of the last few each replaced), a secret for CSRF
  tokens, and whether collection is closed.
  Tokens themselves are never stored; they exist only in the links handed out.
- ``audit.log`` (0600, append-only JSON lines): who saved which question when,
  who submitted, which link was reissued. Never an answer's text.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selfcheck import clock
from selfcheck.atomicio import write_text_atomic
from selfcheck.errors import UsageError, os_error_reason

STATE_FOLDER = ".selfcheck-serve"
TOKENS_FILE = "tokens.json"
AUDIT_FILE = "audit.log"
TOKEN_BYTES = 32
"""256 bits of randomness per token (the issue asks for at least 128)."""
TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
ADMIN_KEY = "\x00admin"
RETIRED_KEEP = 5
"""Replaced tokens remembered per key: a tab still holding one is told so, not counted as
a guess."""


def new_token() -> str:
    """A fresh unguessable token (URL-safe base64 of 32 random bytes)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """The stored form of a token: hex SHA-256 (tokens are random, so no salt is needed)."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def well_formed(token: str) -> bool:
    """Whether ``token`` has the shape :func:`new_token` gives (checked before hashing)."""
    return 40 <= len(token) <= 64 and all(c in TOKEN_CHARS for c in token)


@dataclass(frozen=True)
class Issued:
    """A token just issued: the only moment its plain text exists."""

    key: str
    token: str


class TokenStore:
    """Token hashes by person key (``unit\\x1fname``), plus the committee's."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / TOKENS_FILE
        self._lock = threading.Lock()
        self.secret = ""
        self.closed = False
        self._hashes: dict[str, str] = {}
        self._by_hash: dict[str, str] = {}
        self._retired: dict[str, list[str]] = {}
        """Key → hashes of its replaced tokens, newest last (at most :data:`RETIRED_KEEP`)."""
        self._retired_by_hash: dict[str, str] = {}
        self._load()

    def _load(self) -> None:
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(
                f"无法创建服务状态文件夹 {self.folder}：{os_error_reason(exc)}"
            ) from None
        if not self.path.exists():
            self.secret = secrets.token_hex(32)
            self._save()
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.secret = str(data["secret"])
            self.closed = bool(data.get("closed", False))
            people = data.get("tokens", {})
            self._hashes = {str(k): str(v) for k, v in people.items()}
            retired = data.get("retired", {})
            self._retired = {str(k): [str(h) for h in v] for k, v in retired.items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            raise UsageError(
                f"服务状态文件 {self.path} 已损坏：请删除它后重新启动（所有链接将重新生成）。"
            ) from None
        self._by_hash = {h: k for k, h in self._hashes.items()}
        self._retired_by_hash = {h: k for k, hs in self._retired.items() for h in hs}

    def _save(self) -> None:
        data: dict[str, Any] = {
            "format": 1,
            "secret": self.secret,
            "closed": self.closed,
            "tokens": self._hashes,
            "retired": self._retired,
        }
        write_text_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1), private=True)

    def has(self, key: str) -> bool:
        """Whether ``key`` has a token."""
        return key in self._hashes

    def issue(self, keys: list[str]) -> list[Issued]:
        """New tokens for ``keys`` (replacing old ones, which stop working at once)."""
        issued = [Issued(key, new_token()) for key in keys]
        with self._lock:
            for item in issued:
                old = self._hashes.get(item.key)
                if old is not None:
                    self._by_hash.pop(old, None)
                    kept = [*self._retired.get(item.key, []), old][-RETIRED_KEEP:]
                    for dropped in self._retired.get(item.key, []):
                        self._retired_by_hash.pop(dropped, None)
                    self._retired[item.key] = kept
                    self._retired_by_hash.update(dict.fromkeys(kept, item.key))
                digest = token_hash(item.token)
                self._hashes[item.key] = digest
                self._by_hash[digest] = item.key
            self._save()
        return issued

    def who(self, token: str) -> str | None:
        """The key whose token ``token`` is, compared in constant time; None if nobody's."""
        if not well_formed(token):
            return None
        digest = token_hash(token)
        key = self._by_hash.get(digest)
        # The lookup is by a hash of the token, which tells an attacker nothing;
        # the final comparison is constant-time as well.
        stored = self._hashes.get(key, "0" * 64) if key is not None else "0" * 64
        if key is not None and hmac.compare_digest(stored, digest):
            return key
        return None

    def replaced(self, token: str) -> str | None:
        """The key whose token ``token`` was until it was reissued; None otherwise.

        Such a token comes from a link or a cookie that once worked (a tab left
        open), not from someone guessing, so it is not counted as a wrong token.
        """
        if not well_formed(token):
            return None
        return self._retired_by_hash.get(token_hash(token))

    def csrf(self, key: str) -> str:
        """The CSRF token of ``key``'s current token: changes when the link is reissued."""
        digest = self._hashes.get(key, "")
        mac = hmac.new(self.secret.encode(), f"csrf\x1f{key}\x1f{digest}".encode(), "sha256")
        return mac.hexdigest()[:40]

    def csrf_ok(self, key: str, given: str) -> bool:
        """Whether ``given`` is ``key``'s CSRF token (constant time)."""
        return hmac.compare_digest(self.csrf(key).encode(), given.encode("utf-8", "replace"))

    def set_closed(self, closed: bool) -> None:
        """Close (or reopen) the collection."""
        with self._lock:
            self.closed = closed
            self._save()


class AuditLog:
    """Append-only JSON lines; each line written with one ``write`` on an O_APPEND file."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / AUDIT_FILE
        self._lock = threading.Lock()
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def record(self, event: str, who: str, **fields: Any) -> None:
        """Append one event (``save``, ``submit``, ``reopen``, ``reissue``…); never answer text."""
        unit, _, name = who.partition("\x1f")
        entry: dict[str, Any] = {"at": clock.now().isoformat(), "event": event}
        if who == ADMIN_KEY:
            entry["who"] = "机关党委"
        elif who:
            entry.update(unit=unit, name=name)
        entry.update(fields)
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            os.write(self._fd, line)

    def close(self) -> None:
        """Close the file."""
        os.close(self._fd)
