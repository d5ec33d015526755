"""A clerk edits a copy of the built-in checklist in Notepad or WPS and runs validate.

Each test makes one edit such a clerk makes (an indentation slip, a full-width
character from the input method, text pasted from Word, a slip in a ``when``
condition) and checks that the message names the line, says how to mend it in
Chinese, and carries none of the parser's English.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_checklist_validate import (
    broken,
    manifestation_when,
    position,
    problem_line,
    validate,
    write,
)

_ENGLISH = re.compile(r"\b(?:mapping|expected|while|found|unexpected|chunk|token|at \d+)\b")


def no_english(output: str) -> None:
    """The parsers' own English is nowhere in ``output``."""
    assert not _ENGLISH.search(output), output


def fault(tmp_path: Path, old: str, new: str, at: str) -> tuple[str, str, str]:
    """Validate the built-in checklist with ``old`` made ``new``: the edited text, the
    problem line at ``at`` (failing when there is none) and the whole output; exit code 1."""
    text = broken(old, new)
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 1, output
    return text, problem_line(output, path, position(text, at)), output


# ---------------------------------------------------------------- indentation


def test_a_field_indented_deeper_than_the_one_above_is_an_indentation_fault(
    tmp_path: Path,
) -> None:
    text, line, output = fault(
        tmp_path, "        title: 工作方式", "          title: 工作方式", "title: 工作方式"
    )
    assert f"这一行比第 {position(text, '- id: work-3')[0]} 行的“id”多缩进了 2 格" in line
    assert "（与“id”一样从第 9 列开始）" in line
    no_english(output)


def test_a_field_indented_less_than_the_one_above_names_the_one_to_line_up_with(
    tmp_path: Path,
) -> None:
    text, line, output = fault(
        tmp_path, "        text: 是否简单粗暴", "      text: 是否简单粗暴", "text: 是否简单粗暴"
    )
    title_line = position(text, "title: 工作方式是否正确")[0]
    assert f"这一行的缩进和第 {title_line} 行的“title”没有对齐" in line
    assert "这一行从第 7 列开始，“title”从第 9 列开始" in line
    no_english(output)


@pytest.mark.parametrize(("blank", "name"), [("\u00a0", "不间断空格"), ("\u3000", "全角空格")])
def test_indentation_pasted_from_word_names_the_odd_blank(
    tmp_path: Path, blank: str, name: str
) -> None:
    indented = "    " + blank * 4 + "title: 工作"
    _, line, output = fault(tmp_path, "        title: 工作", indented, blank)
    assert f"这一行开头有{name}" in line and "请改成普通空格" in line
    assert "1 处错误" in output
    no_english(output)


@pytest.mark.parametrize(("blank", "name"), [("\u3000", "全角空格"), ("\u00a0", "不间断空格")])
def test_an_odd_blank_after_the_colon_is_named_not_called_a_missing_colon(
    tmp_path: Path, blank: str, name: str
) -> None:
    _, line, output = fault(tmp_path, "title: 工作方式", f"title:{blank}工作方式", blank)
    assert f"冒号“:”后面是{name}" in line and "请改成普通空格" in line
    assert "缺少半角冒号" not in output


def test_yaml_hints_come_without_pyyaml_english(tmp_path: Path) -> None:
    _, line, output = fault(tmp_path, "title: 思想作风", "title: 思想作风: 三查三看", ": 三查三看")
    assert "加引号" in line
    no_english(output)


def test_a_character_that_cannot_start_a_value_gets_its_hint(tmp_path: Path) -> None:
    _, line, output = fault(tmp_path, "rubric: 三查三看", "rubric: @三查三看", "@")
    assert "不能作为开头的字符" in line and "加引号" in line
    no_english(output)


# ---------------------------------------------------------------- when conditions

WHEN_SLIPS = [
    ("rating == “some”", "条件中有中文引号 “，请改成半角的 \""),
    ("rating ＝＝ 'some'", "条件中有全角字符 ＝，请改成半角的 ="),
    ("rating.problem 和 cause", "“和”要写成 and（如 rating.problem and cause）"),
    ("rating == 'some' 或 rating == 'serious'", "“或”要写成 or"),
    ("rating.problem AND cause", "“AND”要写成 and"),
    ("rating = 'some'", "判断相等要写两个等号 ==（如 rating == 'some'）"),
    ("rating == 'some", "第 11 个字符的引号 ' 没有对应的结束引号：文字两边的引号要成对"),
    ("(rating.problem and cause", "括号没有闭合，缺少“)”"),
]


@pytest.mark.parametrize(("when", "said"), WHEN_SLIPS)
def test_a_slip_in_a_when_is_named_in_chinese(tmp_path: Path, when: str, said: str) -> None:
    text, path, (code, output) = manifestation_when(tmp_path, when)
    assert code == 1, output
    line = problem_line(output, path, position(text, when), "question_sets.self_check[1].when")
    assert f"条件表达式无法解析：{said}" in line
    no_english(output)


def test_a_chinese_word_inside_a_quoted_label_is_not_taken_for_an_operator(
    tmp_path: Path,
) -> None:
    # 和 and “ inside quotes are the author's text: the condition compiles
    _, _, (_, output) = manifestation_when(tmp_path, "rating.problem and cause != '和“好”'")
    assert "条件表达式无法解析" not in output, output
