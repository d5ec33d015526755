"""Specification: every hand-made text file is decoded by one rule (selfcheck.textfile).

A roster, a checklist and a 范文 saved by Chinese Windows as UTF-8, UTF-8 with a BOM,
GBK ("ANSI") or UTF-16 ("Unicode 文本") all read as the same text; binary content and
undecodable bytes are refused with the line where it went wrong.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcheck.textfile import NotText, decode_handmade

TEXT = "姓名\t单位\n张三\t办公室\n"


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-16"), "utf-16"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("gbk"), "gb18030"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "gbk"],
)
def test_every_windows_saving_reads_as_the_same_text(raw: bytes, encoding: str) -> None:
    decoded = decode_handmade(raw)
    assert decoded.text == TEXT
    assert decoded.encoding == encoding


def test_gbk_names_the_first_line_an_editor_would_garble() -> None:
    raw = "name: x\nlabel: 思想作风\n".encode("gbk")
    assert decode_handmade(raw).first_foreign_line == 2


def test_nul_bytes_outside_utf16_are_binary_with_their_line() -> None:
    with pytest.raises(NotText) as caught:
        decode_handmade(b"a\nb\n\x00\x01\x02")
    assert (caught.value.kind, caught.value.line) == ("binary", 3)


def test_bytes_no_encoding_reads_are_refused_at_the_first_bad_line() -> None:
    with pytest.raises(NotText) as caught:
        decode_handmade(b"ok\n\xff\xff\xff\n")
    assert (caught.value.kind, caught.value.line) == ("encoding", 2)


def test_damaged_utf16_is_an_encoding_fault_not_mojibake() -> None:
    raw = "一\n二\n".encode("utf-16-le")
    with pytest.raises(NotText) as caught:
        decode_handmade(b"\xff\xfe" + raw + b"\x00\xdc")  # a lone low surrogate
    assert (caught.value.kind, caught.value.line) == ("encoding", 3)


TEXT_CHARS = st.characters(exclude_categories=("Cs", "Cn", "Co"), exclude_characters="\x00\ufeff")


@given(st.text(TEXT_CHARS))
def test_utf8_and_utf16_round_trip_any_text(text: str) -> None:
    assert decode_handmade(text.encode("utf-8")).text == text
    assert decode_handmade(text.encode("utf-16")).text == text


def test_bytes_that_only_look_like_a_utf16_bom_are_not_text() -> None:
    # every pair of bytes decodes as UTF-16; garbage gives unassigned code points
    with pytest.raises(NotText) as caught:
        decode_handmade(b"\xff\xfe\xfa" * 10)
    assert caught.value.kind == "encoding"
