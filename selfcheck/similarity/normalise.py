"""Text normalisation before comparing: width, punctuation and spaces.

NFKC folds full-width and half-width forms into one (``ＡＢＣ１２３`` → ``ABC123``,
``，`` → ``,``); then every character that is not a letter or digit (punctuation,
spaces, symbols, control characters) is dropped and Latin letters are
lower-cased. What is left is the wording itself, so that a copy with changed
punctuation or spacing is still a copy.
"""

from __future__ import annotations

import re
import unicodedata

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
    """:func:`normalise` of each text, done in one pass over all of them (much faster)."""
    if not texts:
        return []
    joined = "\x00".join(t.replace("\x00", "") for t in texts)
    # Spaces and punctuation whose NFKC form is still spaces and punctuation (，。、“”
    # and the like) go first: they are what keeps most Chinese text from being NFKC
    # already. The rest is then usually normalised, and the check is far quicker
    # than normalising; anything else (１Ａ㈠🉀) is normalised before it is stripped.
    joined = _SAFE_TO_DROP.sub("", joined)
    if not unicodedata.is_normalized("NFKC", joined):
        joined = unicodedata.normalize("NFKC", joined)
    folded = _NOT_WORD_KEEP_NUL.sub("", joined).lower()
    out = folded.split("\x00")
    if len(out) != len(texts):  # NFKC never makes or eats NUL; be safe all the same
        return [normalise(t) for t in texts]
    return out
