"""Stable codes instead of names (``--anonymize``).

A code is a keyed hash (HMAC-SHA256) of the person's unit and name, so the same
person gets the same code in every run on this computer, while nobody can turn
a roster into codes without the key. The key is made once and kept, private, in
the user's config folder (``anonymize.key``); copy that file to another
computer to get the same codes there.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from selfcheck.atomicio import write_bytes_atomic
from selfcheck.errors import SelfcheckError, os_error_reason
from selfcheck.paths import config_dir

KEY_FILE = "anonymize.key"


def load_key() -> bytes:
    """The secret key (created on first use, mode 0600)."""
    path = config_dir() / KEY_FILE
    try:
        key = path.read_bytes().strip()
        if len(key) >= 32:
            return key
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise SelfcheckError(f"无法读取匿名编号密钥 {path}：{os_error_reason(exc)}") from None
    key = base64.b32encode(secrets.token_bytes(40))
    write_bytes_atomic(path, key + b"\n", private=True)
    return key


class Anonymizer:
    """Turns people and file names into stable codes."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def _digest(self, *parts: str) -> str:
        mac = hmac.new(self._key, "\x1f".join(parts).encode("utf-8"), hashlib.sha256)
        return base64.b32encode(mac.digest()).decode("ascii")[:8]

    def person(self, unit: str, name: str) -> str:
        """``人员-XXXXXXXX``: the same for the same unit and name."""
        return f"人员-{self._digest('person', unit, name)}"

    def file(self, path: str) -> str:
        """``文件-XXXXXXXX``: file names carry people's names, so they are hidden too."""
        return f"文件-{self._digest('file', path)}"
