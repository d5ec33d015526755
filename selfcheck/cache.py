"""Results worth keeping between runs, in the user's config folder, keyed by their inputs.

A cached result is named by a digest of everything it was made from: the
version of selfcheck, the source of the code that makes it, and the input
bytes (a checklist file, a list of stock phrases). An edited input or a new
version of the code therefore always makes it afresh. The cache is a
convenience: any problem reading or writing it just means making the result
the slow way.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import msgspec

from selfcheck import __version__
from selfcheck.atomicio import write_bytes_atomic
from selfcheck.errors import SelfcheckError

T = TypeVar("T")
PACKAGE = Path(__file__).resolve().parent
"""The installed package: the code a key names is given relative to it."""


def cached(
    kind: str,
    code: Iterable[str],
    inputs: Iterable[bytes],
    make: Callable[[], T],
    shape: type[T],
) -> T:
    """``make()``, or its earlier result for the same ``inputs`` and ``code`` (files under
    the package) when one is cached; ``shape`` is the result's type, stored as JSON."""
    file = _file(kind, code, inputs)
    if file is not None:
        try:
            return msgspec.json.decode(file.read_bytes(), type=shape)
        except (OSError, msgspec.MsgspecError, RecursionError):
            pass
    result = make()
    if file is not None:
        with contextlib.suppress(SelfcheckError):
            write_bytes_atomic(file, msgspec.json.encode(result))
    return result


def _file(kind: str, code: Iterable[str], inputs: Iterable[bytes]) -> Path | None:
    """Where the result for these inputs is cached (None: no caching possible)."""
    from selfcheck.paths import config_dir

    digest = hashlib.sha256(f"{__version__}/{kind}\0".encode())
    try:
        for source in code:
            digest.update((PACKAGE / source).read_bytes())
        folder = config_dir() / "cache"
    except OSError:
        return None
    for part in inputs:
        digest.update(b"\0%d\0" % len(part))
        digest.update(part)
    return folder / f"{kind}-{digest.hexdigest()[:40]}.json"
