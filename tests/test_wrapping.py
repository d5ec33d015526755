"""Paragraphs on a screen are wrapped for Chinese, by one function (selfcheck.wrapping).

Rich breaks a line only at spaces: "连续 13" stayed alone on a line before a long
Chinese run, and the next line began with "：". Paths broke mid-name. On a screen
every Text paragraph the console prints goes through the wrapping module; in a
pipe rich's own wrapping is kept (what scripts and logs read).
"""

from __future__ import annotations

import io

from rich.cells import cell_len
from rich.text import Text

from selfcheck.console import _literal_console_class
from selfcheck.wrapping import wrap_text

RULE = (
    "重合比例：一份文字中与对方连续 13 字以上相同的部分所占比例，两份取较高者"
    "（已先去掉检查表原文和常用套话）。全部材料：提醒 ≥30%、建议退回 ≥50%、重点审核 ≥70%；"
    "单项回答：提醒 ≥70%、建议退回 ≥85%、重点审核 ≥95%。"
)
PATH = "单位甲/答卷/公用事业管理处/公用事业管理处-段远磊-zuofeng-2008.json"


def printed(*texts: Text, terminal: bool = True, soft_wrap: bool = False) -> list[str]:
    """What an 80-column console shows for ``texts``, line by line."""
    buffer = io.StringIO()
    console = _literal_console_class()(
        file=buffer, force_terminal=terminal, markup=False, width=80, color_system=None
    )
    for text in texts:
        console.print(text, soft_wrap=soft_wrap)
    return buffer.getvalue().splitlines()


def test_a_chinese_paragraph_fills_its_lines_and_no_line_starts_with_closing_punctuation() -> None:
    lines = printed(Text(RULE, style="dim"))

    assert all(cell_len(line) <= 80 for line in lines)
    assert all(cell_len(line) >= 76 for line in lines[:-1])  # no short line before a long run
    assert not any(line[0] in "，。：；）、%" for line in lines)
    assert "".join(lines) == RULE


def test_a_path_is_not_broken_when_it_fits_on_a_line() -> None:
    for soft_wrap in (False, True):
        lines = printed(Text(f"1. 公用事业管理处 段远磊：{PATH}"), soft_wrap=soft_wrap)
        assert lines == ["1. 公用事业管理处 段远磊：", f"   {PATH}"]


def test_in_a_pipe_rich_wraps_as_before() -> None:
    expected = io.StringIO()
    plain = _literal_console_class().__mro__[1](file=expected, width=80, color_system=None)
    plain.print(Text(RULE))
    assert printed(Text(RULE), terminal=False) == expected.getvalue().splitlines()


def test_a_path_wider_than_a_line_still_breaks_somewhere() -> None:
    long_path = "/" + "/".join(["很长的文件夹名称"] * 8) + "/a.json"
    lines = wrap_text(f"已保存到 {long_path}", 80)
    assert len(lines) > 1 and all(cell_len(line) <= 80 for line in lines)


def test_a_number_keeps_its_measure_word_and_a_date_its_time() -> None:
    # "雷同 0" at a line's end and "对" at the next one's start reads as two figures
    for pad in range(60, 80):
        text = "甲" * pad + "雷同 0 对，共 12 份；截至 2009-01-15 00:00 的答卷。"
        lines = wrap_text(text, 80)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # a break eats a blank
        assert not any(line.endswith((" 0", " 12", "2009-01-15")) for line in lines), lines
