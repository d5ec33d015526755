"""Generated file names: always writable, never hostile, still distinct.

A name and a unit may each be 1–200 characters of any text. Whatever they are,
the response file, the draft, the report and the atomic writer's temp files
made from them must fit in 255 bytes and hold nothing that a file system,
Windows or a person reading a folder listing could trip over.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfcheck.atomicio import write_text_atomic
from selfcheck.report.api import REPORT_NAME
from selfcheck.response import response_filename
from selfcheck.textsafe import filename_bytes, fit_filename, safe_filename

BUILTIN = Path(__file__).resolve().parent.parent / "checklists"
CHECKLIST_IDS = sorted(
    yaml.safe_load(p.read_text(encoding="utf-8"))["id"] for p in BUILTIN.glob("*.yaml")
)
LONGEST_ID = "x" * 64  # the longest identifier a checklist may have

NAME_MAX = 255
TEMP_EXTRA = len(".") + len(".") + 8 + len(".tmp")  # tempfile.mkstemp(prefix=".N.", suffix=".tmp")
FORBIDDEN = set('<>:"/\\|?*')
# Written independently of selfcheck.textsafe, so a gap there shows here.
RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in "123456789"}
BIDI_AND_INVISIBLE = (
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "\u200b\u200c\u200d\u200e\u200f\ufeff\u00ad\u061c\u180e\U000e0041"
)
HOSTILE = BIDI_AND_INVISIBLE + '-. _<>:"/\\|?*\x00\x07\x1b[\t\n\r\x7f\x85\u3000\u2028\u2029\xa0~'

_char = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # common Han
    st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF),  # rare Han: 4 bytes
    st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),  # emoji
    st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),  # Hangul: longer decomposed
    st.sampled_from(HOSTILE),
    st.characters(),  # anything else
)
_field = st.one_of(
    st.text(_char, min_size=1, max_size=200),
    st.text(_char, min_size=150, max_size=200),  # long ones, the ones that break
)


def utf8(text: str) -> int:
    return len(text.encode("utf-8"))


def longest_utf8(text: str) -> int:
    """Bytes as stored, composed (ext4, NTFS) or decomposed (macOS HFS+)."""
    return max(utf8(text), utf8(unicodedata.normalize("NFD", text)))


def derived_names(unit: str, name: str, checklist_id: str) -> list[str]:
    """Every file name made from one respondent: response, draft, reports."""
    final = response_filename(unit, name, checklist_id)
    draft = response_filename(unit, name, checklist_id, draft=True)
    stem = final.removesuffix(".json")
    reports = [f"{stem}-{REPORT_NAME}{suffix}" for suffix in (".md", ".html", ".docx")]
    return [final, draft, *reports]


def problems(filename: str) -> list[str]:
    """What is wrong with a generated file name (empty: nothing)."""
    found = []
    if longest_utf8(filename) + TEMP_EXTRA > NAME_MAX:
        found.append(f"too long: {utf8(filename)} bytes")
    if filename.startswith(("-", ".")):
        found.append("starts with - or .")
    for ch in filename:
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            found.append(f"control or format character U+{ord(ch):04X}")
        if ch in FORBIDDEN:
            found.append(f"forbidden character {ch!r}")
        if ch.isspace():
            found.append(f"white space U+{ord(ch):04X}")
    if filename.endswith((".", " ")):
        found.append("ends with a dot or space")
    if filename.split(".")[0].upper() in RESERVED:
        found.append("Windows device name")
    if filename.startswith("-"):
        found.append("starts with a dash")
    return found


def assert_writable(folder: Path, filename: str) -> None:
    """Create the file through the atomic writer, and its longest temp name by hand."""
    path = folder / filename
    write_text_atomic(path, "{}\n")
    assert path.read_text(encoding="utf-8") == "{}\n"
    temp = folder / f".{filename}.abcd_efg.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    os.unlink(temp)
    os.unlink(path)


@pytest.fixture
def name_max(tmp_path: Path) -> int:
    try:
        return os.pathconf(tmp_path, "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):
        return NAME_MAX


@given(unit=_field, name=_field, checklist_id=st.sampled_from([*CHECKLIST_IDS, LONGEST_ID]))
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_every_name_is_safe_and_writable(
    tmp_path: Path, name_max: int, unit: str, name: str, checklist_id: str
) -> None:
    names = derived_names(unit, name, checklist_id)
    for filename in names:
        assert problems(filename) == [], (unit, name, filename)
        assert filename_bytes(filename) + TEMP_EXTRA <= NAME_MAX
    assert names[1].removesuffix(".draft.json") == names[0].removesuffix(".json")
    assert names[0] == response_filename(unit, name, checklist_id)  # stable
    assert safe_filename(unit) and safe_filename(name)  # every part is there
    if name_max <= NAME_MAX:  # the file system really limits names: prove it
        for filename in names:
            assert_writable(tmp_path, filename)


def test_builtin_checklists_are_found() -> None:
    assert "zuofeng-2008" in CHECKLIST_IDS


# ----------------------------------------------------------------- measured bugs


def test_fifty_han_characters_each_are_writable(tmp_path: Path) -> None:
    """The measured bug: both fields pass validation, the file said ``File name too long``."""
    unit, name = "党" * 50, "员" * 50
    for filename in derived_names(unit, name, "zuofeng-2008"):
        assert problems(filename) == []
        assert_writable(tmp_path, filename)
    final = response_filename(unit, name, "zuofeng-2008")
    assert final.startswith("党党党") and "-员员员" in final
    assert final.endswith("-zuofeng-2008.json")
    assert final.count("党") == final.count("员")  # cut fairly


def test_a_leading_hyphen_or_dot_is_dropped() -> None:
    assert response_filename("-rf", "张三", "zuofeng-2008") == "rf-张三-zuofeng-2008.json"
    assert response_filename("--help", "-n", "x") == "help-n-x.json"
    assert response_filename(".hidden", "..张三", "x") == "hidden-张三-x.json"
    # a control in front does not shield the hyphen
    assert response_filename("\u202e-x", "张三", "x") == "x-张三-x.json"


def test_bidi_overrides_and_invisible_characters_are_removed() -> None:
    filename = response_filename("办公室\u202egpj.exe", "张\u2066三\u2069\u200b", "zuofeng-2008")
    assert filename == "办公室gpj.exe-张三-zuofeng-2008.json"
    for ch in BIDI_AND_INVISIBLE:
        assert ch not in response_filename(f"办{ch}公室", f"{ch}张三{ch}", "x")


def test_windows_device_names_are_not_produced() -> None:
    for device in ("CON", "con", "Nul", "AUX", "PRN", "COM1", "lpt9", "con.txt", "NUL.tar.gz"):
        fragment = safe_filename(device)
        assert fragment.split(".")[0].upper() not in RESERVED, device
        assert problems(response_filename(device, device, "x")) == []
    assert safe_filename("CON") == "_CON"
    assert safe_filename("CONTOSO") == "CONTOSO"
    assert not response_filename("CON.科", "张三", "x").upper().startswith("CON.")


def test_trailing_dots_and_spaces_are_dropped() -> None:
    filename = response_filename("办公室. . .", "张三.", "zuofeng-2008")
    assert filename == "办公室-张三-zuofeng-2008.json"
    assert response_filename("办公室 ", "张三\u3000", "x") == "办公室-张三-x.json"
    assert safe_filename("报告..") == "报告"


def test_a_field_with_nothing_safe_left_is_not_empty() -> None:
    assert response_filename("...", "\u202e\u200b", "x") == "未命名-未命名-x.json"
    assert response_filename("///", "???", "x") == "未命名-未命名-x.json"


def test_long_names_sharing_a_prefix_stay_distinct(tmp_path: Path) -> None:
    prefix = "中" * 100
    first = response_filename("宣传部", prefix + "甲" * 50, "zuofeng-2008")
    second = response_filename("宣传部", prefix + "乙" * 50, "zuofeng-2008")
    assert first != second
    assert problems(first) == [] and problems(second) == []
    units = [response_filename(prefix + tail, "张三", "x") for tail in ("一处", "二处")]
    assert units[0] != units[1]
    for filename in (first, second, *units):
        assert_writable(tmp_path, filename)


def test_a_short_name_beside_a_long_unit_is_kept_whole() -> None:
    filename = response_filename("很长的单位名称" * 30, "李四", "zuofeng-2008")
    assert "-李四-" in filename
    assert problems(filename) == []


def test_short_names_are_unchanged() -> None:
    filename = response_filename("局办公室", "张三", "zuofeng-2008")
    assert filename == "局办公室-张三-zuofeng-2008.json"
    assert response_filename("A 科", "张 三", "x", draft=True) == "A_科-张_三-x.draft.json"


def test_hangul_counts_at_its_decomposed_length() -> None:
    """macOS HFS+ stores ``한`` as three jamo (9 bytes): the budget counts that."""
    assert filename_bytes("한") == 9
    filename = response_filename("한" * 100, "김" * 100, "x")
    assert longest_utf8(filename) + TEMP_EXTRA <= NAME_MAX


def test_fit_filename_keeps_the_tail_and_the_budget() -> None:
    fitted = fit_filename(["甲" * 100, "乙" * 100], 100, tail="-id")
    assert fitted.endswith("-id") and filename_bytes(fitted) <= 100
    assert fit_filename(["a", "b"], 100, tail="-id") == "a-b-id"
    with pytest.raises(ValueError):
        fit_filename(["a" * 50, "b" * 50], 10, tail="-id")


def test_a_long_fragment_alone_is_cut_with_a_hash() -> None:
    one, two = safe_filename("甲" * 100 + "一"), safe_filename("甲" * 100 + "二")
    assert one != two
    assert max(utf8(one), utf8(two)) <= 120
    assert len(safe_filename("甲" * 300, max_bytes=None)) == 300


def test_a_hyphen_in_the_name_cannot_collide_with_one_in_the_unit() -> None:
    # 单位“城建-监察” + 姓名“王五” and 单位“城建” + 姓名“监察-王五” join to the same text.
    first = response_filename("城建-监察", "王五", "zuofeng-2008")
    second = response_filename("城建", "监察-王五", "zuofeng-2008")
    assert first == "城建-监察-王五-zuofeng-2008.json"  # the usual case keeps its name
    assert first != second
    assert second.startswith("城建-监察-王五-") and second.endswith("-zuofeng-2008.json")


@given(
    unit=st.text(alphabet="甲乙丙-", min_size=1, max_size=6),
    name=st.text(alphabet="甲乙丙-", min_size=1, max_size=6),
    other_unit=st.text(alphabet="甲乙丙-", min_size=1, max_size=6),
    other_name=st.text(alphabet="甲乙丙-", min_size=1, max_size=6),
)
def test_different_people_get_different_files(
    unit: str, name: str, other_unit: str, other_name: str
) -> None:
    pair = (safe_filename(unit, max_bytes=None), safe_filename(name, max_bytes=None))
    other = (safe_filename(other_unit, max_bytes=None), safe_filename(other_name, max_bytes=None))
    if pair != other:
        assert response_filename(unit, name, "x") != response_filename(other_unit, other_name, "x")
