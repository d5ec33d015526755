"""Text normalisation before comparing: width, punctuation and spaces.

NFKC folds full-width and half-width forms into one (``ＡＢＣ１２３`` → ``ABC123``,
``，`` → ``,``); then every character that is not a letter or digit (punctuation,
spaces, symbols, control characters) is dropped and Latin letters are
lower-cased. What is left is the wording itself, so that a copy with changed
punctuation or spacing is still a copy.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import numpy as np
import numpy.typing as npt

_NOT_WORD = re.compile(r"[\W_]+")
_NOT_WORD_KEEP_NUL = re.compile(r"[^\w\x00]+|_+")
_SAFE_TO_DROP = re.compile(
    "[\\s!-/:-@\\[-`{-~\u00b7\u2010-\u2027\u2030-\u205e\u3001-\u3003\u3008-\u3011"
    "\u3014-\u301f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]+"
)


def normalise(text: str) -> str:
    """``text`` reduced to its letters and digits (see the module docstring)."""
    text = _SAFE_TO_DROP.sub("", text)
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text)).lower()


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """Like :func:`normalise`, plus the index in ``text`` of every kept character."""
    out: list[str] = []
    where: list[int] = []
    for n, ch in enumerate(text):
        folded = _NOT_WORD.sub("", unicodedata.normalize("NFKC", ch)).lower()
        for c in folded:
            out.append(c)
            where.append(n)
    return "".join(out), where


def normalise_many(texts: list[str]) -> list[str]:
    """:func:`normalise` of each text, done in one pass over all of them (much faster).

    Texts of the Basic Multilingual Plane that are NFKC once spaces and
    punctuation are gone (nearly every Chinese answer) are filtered as one array
    of code points through two look-up tables made from the same patterns; any
    other text takes the general path, with the same result."""
    if not texts:
        return []
    if len(texts) > _RUN:  # runs of texts: small arrays stay in the cache
        return [out for lo in range(0, len(texts), _RUN) for out in _many(texts[lo : lo + _RUN])]
    return _many(texts)


_RUN = 2048
"""Texts normalised together (a few hundred thousand characters)."""


def _many(texts: list[str]) -> list[str]:
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:  # a text holds NUL itself: drop it first
        joined = "\x00".join(t.replace("\x00", "") for t in texts)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if len(codes) and int(codes.max()) < 0x10000:
        drop, word, cased = _tables()
        kept = codes[~drop[codes]]
        text = kept.tobytes().decode("utf-32-le", "surrogatepass")
        if unicodedata.is_normalized("NFKC", text):
            letters = kept[word[kept]]
            folded = letters.tobytes().decode("utf-32-le", "surrogatepass")
            if cased[letters].any():  # most Chinese runs hold no letter lower() changes
                folded = folded.lower()
            return _split(folded, texts)
    return _normalise_joined(joined, texts)


def _normalise_joined(joined: str, texts: list[str]) -> list[str]:
    # Spaces and punctuation whose NFKC form is still spaces and punctuation (，。、“”
    # and the like) go first: they are what keeps most Chinese text from being NFKC
    # already. The rest is then usually normalised, and the check is far quicker
    # than normalising; anything else (１Ａ㈠🉀) is normalised before it is stripped.
    joined = _SAFE_TO_DROP.sub("", joined)
    if not unicodedata.is_normalized("NFKC", joined):
        joined = unicodedata.normalize("NFKC", joined)
    return _split(_NOT_WORD_KEEP_NUL.sub("", joined).lower(), texts)


def _split(folded: str, texts: list[str]) -> list[str]:
    out = folded.split("\x00")
    if len(out) != len(texts):  # NFKC never makes or eats NUL; be safe all the same
        return [normalise(t) for t in texts]
    return out


Tables = tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]


@functools.cache
def _tables() -> Tables:
    """Per code point of the BMP: dropped first (:data:`_SAFE_TO_DROP`), kept last (a
    letter or digit, or the NUL that separates texts), and changed by ``str.lower``.

    Made from the patterns and this Python's Unicode database, and cached between
    runs (:mod:`selfcheck.cache`, keyed by this module's source and the database's
    version): making them takes longer than a small folder's normalisation."""
    from selfcheck.cache import cached

    key = [unicodedata.unidata_version.encode()]  # the patterns are in the code's key
    packed = cached("normalise-tables", ["similarity/normalise.py"], key, _make_tables, bytes)
    if len(packed) != 3 * _PLANE:  # a damaged cache: make them afresh
        packed = _make_tables()
    flags = np.frombuffer(packed, dtype=bool).reshape(3, _PLANE)
    return flags[0], flags[1], flags[2]


_PLANE = 0x10000


def _make_tables() -> bytes:
    plane = "".join(map(chr, range(_PLANE)))
    drop = np.zeros(_PLANE, dtype=bool)
    for m in _SAFE_TO_DROP.finditer(plane):
        drop[m.start() : m.end()] = True
    word = np.ones(_PLANE, dtype=bool)
    for m in _NOT_WORD_KEEP_NUL.finditer(plane):
        word[m.start() : m.end()] = False
    cased = np.array([ch.lower() != ch for ch in plane], dtype=bool)
    return np.concatenate([drop, word, cased]).tobytes()
