"""How the text of a file a person made by hand is decoded: one rule for every such file.

A checklist or answers file in YAML, a roster in CSV, a 范文 in .txt: each is
written on someone's own machine, and Chinese Windows writes text three ways.
UTF-8 (with or without the BOM Notepad adds) is the norm; GBK, which Notepad and
Excel call "ANSI", is read as GB18030 (its superset); and UTF-16 with a BOM, which
Excel writes for "Unicode 文本 (*.txt)" and Notepad for "Unicode", is read too.
Each caller words its own warning or refusal from the :class:`HandText` or
:class:`NotText` returned here.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

Encoding = Literal["utf-8", "utf-16", "gb18030"]

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_NOT_IN_TEXT = frozenset(("Cn", "Co"))


@dataclass(frozen=True, slots=True)
class HandText:
    """The decoded text, how it was written, and for GB18030 the first line that is
    not UTF-8 (where an editor would first show mojibake); 0 otherwise."""

    text: str
    encoding: Encoding
    first_foreign_line: int = 0


class NotText(Exception):
    """The bytes are not text: ``binary`` (NUL bytes outside UTF-16) or ``encoding``
    (none of the three decodes them); ``line`` is where decoding first failed."""

    def __init__(self, kind: Literal["binary", "encoding"], line: int = 1) -> None:
        super().__init__(kind, line)
        self.kind: Literal["binary", "encoding"] = kind
        self.line = line


def decode_handmade(raw: bytes) -> HandText:
    """Decode ``raw`` as UTF-8, UTF-16 (with a BOM) or GB18030, in that order of trust.

    Raises :class:`NotText` for binary content or bytes no encoding accepts. The BOM
    is never part of the text.
    """
    if raw.startswith(_UTF16_BOMS):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].decode("utf-16", "replace").count("\n") + 1
            raise NotText("encoding", line) from None
        # Any pair of bytes decodes as UTF-16; bytes that only look like a BOM give
        # code points no text uses (unassigned, private, noncharacters).
        bad = next((i for i, c in enumerate(text) if unicodedata.category(c) in _NOT_IN_TEXT), -1)
        if bad >= 0:
            raise NotText("encoding", text.count("\n", 0, bad) + 1)
        return HandText(text, "utf-16")
    if b"\x00" in raw:
        raise NotText("binary", raw[: raw.index(b"\x00")].count(b"\n") + 1)
    body = raw[3:] if raw.startswith(_UTF8_BOM) else raw
    try:
        return HandText(body.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
    try:
        return HandText(body.decode("gb18030"), "gb18030", line)
    except UnicodeDecodeError:
        raise NotText("encoding", line) from None
