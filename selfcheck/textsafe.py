"""Free text from users is hostile: helpers that make it safe to store and show."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

# C0 controls except tab and newline, DEL, C1 controls, lone surrogates, and the
# noncharacters U+FFFE/U+FFFF (invalid in XML, so in .docx and .xlsx).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Bidirectional controls: shown in a report they reorder the text around them
# ("x\u202enosj.exe" displays as "xexe.json").
_BIDI = dict.fromkeys(
    (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)), None
)


_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)


def visible(text: str) -> str:
    """``text`` without the format characters that show nothing: zero-width spaces and
    joiners, soft hyphens, byte-order marks, bidirectional controls. For a name or a unit,
    which is matched and shown, never for a cadre's own free text."""
    if text.isprintable():
        return text
    return _INVISIBLE.sub("", text)


def clean_text(text: str) -> str:
    """Strip terminal escape sequences and control characters; normalise newlines.

    Tabs and newlines survive; everything else below U+0020 (and C1, DEL,
    surrogates) is removed, so the result is safe for JSON, XML (.docx) and
    the terminal. Unicode is NFC-normalised.
    """
    if text.isprintable() and unicodedata.is_normalized("NFC", text):
        return text  # no controls, escapes or line breaks: nothing to do
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ANSI.sub("", text)
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def one_line(text: str | None) -> str:
    """A one-line field (a name, a note, a label): cleaned, every run of blanks and line
    breaks made one space, no blanks at either end."""
    return " ".join(clean_text(text or "").split())


def shortened(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (what a message quotes of a
    long input: the person sees which one, not all 600 characters of it again)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text_lines(text: str | None) -> list[str]:
    """Free text as its paragraphs: the non-blank lines, each made :func:`one_line` (a tab
    or a run of blanks, 全角空格 too, is one space)."""
    return [line for line in map(one_line, clean_text(text or "").split("\n")) if line]


def display_name(path: str) -> str:
    """A file's name or path for people: control characters and bidirectional controls
    removed (``a\u202egpj.exe`` would otherwise show as ``aexe.jpg``)."""
    if path.isprintable():
        return path
    return clean_text(path).translate(_BIDI)


def dotted_line(*parts: str | None) -> str:
    """``张三 · 局办公室 · 科员``: the non-empty parts, each made :func:`one_line`, joined
    by `` · `` (how a person is named on one line in the terminal)."""
    return " · ".join(p for p in map(one_line, parts) if p)


def has_control_chars(text: str) -> bool:
    """True if ``text`` holds anything :func:`clean_text` would remove."""
    return bool(_ANSI.search(text) or _CONTROL.search(text.replace("\r", "")))


def first_unsafe_char(text: str) -> str | None:
    """The first character of ``text`` that :func:`clean_text` or :func:`display_name`
    would remove (a control character, escape, bidirectional control, surrogate), as
    ``U+001B``; None when there is none. For text that is refused rather than cleaned."""
    if text.isprintable():
        return None
    for char in text.replace("\r", ""):
        if _CONTROL.match(char) or ord(char) in _BIDI:
            return f"U+{ord(char):04X}"
    return None


def neutralise_formula(value: str) -> str:
    """Make a spreadsheet cell value inert: prefix a quote before = + - @ tab CR."""
    if value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


# ----------------------------------------------------------------- file names

FILENAME_MAX_BYTES = 255
"""The longest file name the usual file systems take: 255 bytes (ext4, XFS, ZFS) or
255 UTF-16 units (NTFS, APFS, HFS+), never fewer than 255 UTF-8 bytes of it."""

ATOMIC_TEMP_EXTRA_BYTES = 14
"""What :mod:`selfcheck.atomicio` adds to a name for its temp file ``.NAME.XXXXXXXX.tmp``."""

FRAGMENT_MAX_BYTES = 120
"""Default length limit of one :func:`safe_filename` fragment (40 Chinese characters)."""

_NAME_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
_SPACES = re.compile(r"\s+")
_NAME_STRIP = " ._-"
# Removed from names: controls, format characters (bidi overrides and isolates,
# zero-width spaces and joiners, BOM, soft hyphen, tags) and surrogates. Private
# use and unassigned code points stay: "unassigned" may be a rare Han character
# newer than this Python's Unicode tables.
_NAME_DROPPED = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def safe_filename(
    text: str, *, fallback: str = "未命名", max_bytes: int | None = FRAGMENT_MAX_BYTES
) -> str:
    """A file-name fragment valid on Windows, macOS and Linux (keeps Chinese).

    Control and format characters (U+202E and the other bidi controls,
    zero-width characters) are removed; ``<>:"/\\|?*`` become ``_`` and runs of
    white space one ``_``; leading and trailing spaces, dots, ``_`` and ``-``
    are stripped (so a fragment never starts with ``-`` or ``.`` nor ends with
    a dot or space); a Windows device name (``CON``, ``com1.txt``) gets a
    leading ``_``; nothing left gives ``fallback``. A fragment longer than
    ``max_bytes`` (see :func:`filename_bytes`) is cut on a character boundary
    and ends with ``-`` and 8 hex digits of its SHA-256, so two long texts
    sharing a prefix stay distinct; ``None`` means no limit (for
    :func:`fit_filename`, which shortens whole names).
    """
    text = _SPACES.sub("_", clean_text(text))
    if not text.isprintable():
        text = "".join(ch for ch in text if unicodedata.category(ch) not in _NAME_DROPPED)
    text = _NAME_FORBIDDEN.sub("_", text).strip(_NAME_STRIP)
    if is_windows_reserved(text):
        text = "_" + text
    if not text:
        return fallback
    if max_bytes is not None and filename_bytes(text) > max_bytes:
        text = f"{_cut(text, max_bytes - 9)}-{_digest(text)}"
    return text


def is_windows_reserved(name: str) -> bool:
    """Whether Windows takes ``name`` for a device (``NUL``, ``Con.txt``, ``lpt1.tar.gz``)."""
    return name.split(".", 1)[0].rstrip(" ").upper() in _WINDOWS_RESERVED


def filename_bytes(text: str) -> int:
    """How many bytes ``text`` takes in a file name: UTF-8, decomposed where that is longer.

    macOS HFS+ stores names decomposed (NFD: a Hangul syllable becomes two or
    three jamo), so each character counts at its longer form. Chinese and
    ASCII are the same either way.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if text.isascii() or unicodedata.is_normalized("NFD", text):
        return size
    return sum(_char_bytes(ch) for ch in text)


def fit_filename(parts: Sequence[str], max_bytes: int, *, tail: str = "", sep: str = "-") -> str:
    """``sep.join(parts) + tail`` if it takes at most ``max_bytes``, else a shortened form.

    ``parts`` should come from :func:`safe_filename` (with ``max_bytes=None``);
    ``tail`` is kept whole. When too long, the parts are cut on character
    boundaries, fairly: a part shorter than an equal share keeps all of it and
    the rest is shared among the longer ones (cutting in proportion would cut a
    two-character name to nothing beside a long unit name); then ``sep`` and 8
    hex digits of the SHA-256 of the uncut name go before ``tail``, so names
    that differ only after the cut stay distinct. The result never exceeds
    ``max_bytes`` by :func:`filename_bytes`.
    """
    whole = sep.join(parts) + tail
    if filename_bytes(whole) <= max_bytes:
        return whole
    tail = f"{sep}{_digest(whole)}{tail}"
    room = max_bytes - filename_bytes(tail) - filename_bytes(sep) * (len(parts) - 1)
    if room < len(parts):
        raise ValueError(f"no room for {len(parts)} parts in {max_bytes} bytes")
    costs = [filename_bytes(part) for part in parts]
    shares = [0] * len(parts)
    left = room
    for rank, index in enumerate(sorted(range(len(parts)), key=costs.__getitem__)):
        shares[index] = min(costs[index], left // (len(parts) - rank))
        left -= shares[index]
    cut = [_cut(part, share) or "_" for part, share in zip(parts, shares, strict=True)]
    return sep.join(cut) + tail


def digest_of(parts: Sequence[str]) -> str:
    """8 hex digits that tell ``parts`` apart from any other split of the same text."""
    return _digest("\x00".join(parts))


def _cut(text: str, max_bytes: int) -> str:
    """The longest prefix of ``text`` within ``max_bytes``, without trailing dots or spaces."""
    if filename_bytes(text) <= max_bytes:
        return text
    used = 0
    for end, ch in enumerate(text):
        used += _char_bytes(ch)
        if used > max_bytes:
            return text[:end].rstrip(_NAME_STRIP)
    return text


def _char_bytes(ch: str) -> int:
    plain = len(ch.encode("utf-8", "surrogatepass"))
    if ch.isascii():
        return plain
    return max(plain, len(unicodedata.normalize("NFD", ch).encode("utf-8", "surrogatepass")))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³")}
)
