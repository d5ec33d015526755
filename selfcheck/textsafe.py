"""Free text from users is hostile: helpers that make it safe to store and show."""

from __future__ import annotations

import re
import unicodedata

# C0 controls except tab and newline, DEL, C1 controls, and lone surrogates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def clean_text(text: str) -> str:
    """Strip terminal escape sequences and control characters; normalise newlines.

    Tabs and newlines survive; everything else below U+0020 (and C1, DEL,
    surrogates) is removed, so the result is safe for JSON, XML (.docx) and
    the terminal. Unicode is NFC-normalised.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ANSI.sub("", text)
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def has_control_chars(text: str) -> bool:
    """True if ``text`` holds anything :func:`clean_text` would remove."""
    return bool(_ANSI.search(text) or _CONTROL.search(text.replace("\r", "")))


def neutralise_formula(value: str) -> str:
    """Make a spreadsheet cell value inert: prefix a quote before = + - @ tab CR."""
    if value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_filename(text: str, *, fallback: str = "未命名") -> str:
    """A file-name fragment valid on Windows and POSIX (keeps Chinese)."""
    text = clean_text(text)
    text = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "_", text)
    text = re.sub(r"\s+", "_", text).strip(" ._")
    if text.upper().split(".")[0] in _WINDOWS_RESERVED:
        text = "_" + text
    return text[:60] or fallback


_WINDOWS_RESERVED = {
    "CON", "PRN", "AUX", "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
