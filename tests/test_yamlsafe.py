"""The strict YAML reader used for every hand-written file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from selfcheck import yamlsafe
from selfcheck.errors import YamlError
from selfcheck.yamlsafe import parse_yaml, read_yaml_file


def problems_of(text: str | bytes, **kwargs: bool) -> list[str]:
    with pytest.raises(YamlError) as caught:
        parse_yaml(text, "f.yaml", **kwargs)
    return [p.format() for p in caught.value.problems]


def test_values_keep_their_positions_and_keys_stay_as_written() -> None:
    loaded = parse_yaml("a:\n  no: 1\n  list:\n    - x\n    - y\n", "f.yaml")
    assert loaded.data == {"a": {"no": 1, "list": ["x", "y"]}}
    assert loaded.positions[("a", "list", 1)] == (5, 7)
    assert loaded.key_positions[("a", "no")] == (2, 3)
    assert loaded.problem(("a", "list", 1), "msg").format() == "f.yaml:5:7: a.list[1]: msg"


def test_yaml_1_1_plain_scalars_are_remembered_for_please_quote_hints() -> None:
    loaded = parse_yaml("a: no\nb: 1.10\nc: '1.10'\nd: 2009-01-01\n", "f.yaml")
    assert loaded.data["a"] is False
    assert loaded.plain_scalars == {("a",): "no", ("b",): "1.10", ("d",): "2009-01-01"}


def test_duplicate_keys_raise_by_default() -> None:
    text = "a: 1\nb: 2\na: 3\n"
    assert problems_of(text) == [
        "f.yaml:3:1: a: 重复的键“a”（第 1 行已出现）：同一层里每个键只能写一次"
        "（很多程序会悄悄只保留最后一个），请删除或合并"
    ]


def test_keep_going_returns_duplicate_keys_with_the_data() -> None:
    loaded = parse_yaml("a: 1\nb: 2\na: 3\n", "f.yaml", keep_going=True)
    assert loaded.data == {"a": 1, "b": 2}  # the first one is kept
    assert [p.line for p in loaded.errors] == [3]


def test_merge_keys_are_refused() -> None:
    (problem,) = problems_of("base: &b {x: 1}\nother:\n  <<: *b\n")
    assert problem.startswith("f.yaml:3:3: ") and "合并键" in problem


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("a: !!python/object/apply:os.system [ls]\n", "!!python/object/apply:os.system"),
        ("a: !!python/name:os.system\n", "!!python/name:os.system"),
        ("a: !custom x\n", "!custom"),
        ("a: !!binary aGVsbG8=\n", "!!binary"),
    ],
)
def test_non_standard_tags_are_refused(text: str, tag: str) -> None:
    (problem,) = problems_of(text)
    assert problem.startswith("f.yaml:1:4: ") and f"不允许的 YAML 标签 {tag}" in problem


def test_standard_tags_are_fine() -> None:
    assert parse_yaml("a: !!str 1\nb: !!int '2'\n", "f.yaml").data == {"a": "1", "b": 2}


def test_a_few_aliases_are_fine() -> None:
    loaded = parse_yaml("base: &b [1, 2]\nx: *b\ny: *b\n", "f.yaml")
    assert loaded.data["y"] == [1, 2]


def test_alias_bomb_is_refused_before_anything_is_built() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    (problem,) = problems_of("\n".join(lines))
    assert "可能是别名炸弹" in problem


def test_self_referencing_alias_is_refused() -> None:
    (problem,) = problems_of("a: &a [1, *a]\n")
    assert problem.startswith("f.yaml:1:4: ") and "包含它自己" in problem


def test_too_many_aliases_are_refused_while_scanning() -> None:
    (problem,) = problems_of(
        "b: &b 1\nc: [" + ", ".join(["*b"] * (yamlsafe.MAX_ALIASES + 1)) + "]\n"
    )
    assert f"超过 {yamlsafe.MAX_ALIASES} 个别名引用" in problem


def test_deep_nesting_is_refused() -> None:
    (problem,) = problems_of("a: " + "[" * 1000 + "]" * 1000)
    assert f"嵌套超过 {yamlsafe.MAX_DEPTH} 层" in problem


def test_several_documents_are_refused() -> None:
    (problem,) = problems_of("a: 1\n---\nb: 2\n")
    assert problem.startswith("f.yaml:2:1: ") and "多余的 ---" in problem


def test_gbk_bytes_are_decoded_with_a_warning_naming_the_first_non_utf8_line() -> None:
    loaded = parse_yaml("a: 1\ntitle: 机关作风建设\n".encode("gbk"), "f.yaml")
    assert loaded.data["title"] == "机关作风建设"
    (warning,) = loaded.warnings
    assert warning.line == 2 and "GBK/GB18030" in warning.message


def test_utf8_bom_is_accepted_silently() -> None:
    loaded = parse_yaml("\ufeffa: 中文\n".encode(), "f.yaml")
    assert loaded.data == {"a": "中文"} and not loaded.warnings


def test_utf16_with_bom_is_read_with_a_warning() -> None:
    loaded = parse_yaml("a: 中文\n".encode("utf-16"), "f.yaml")
    assert loaded.data == {"a": "中文"}
    assert "UTF-16" in loaded.warnings[0].message


def test_binary_content_is_refused() -> None:
    (problem,) = problems_of(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert "不是 YAML 文本文件" in problem


def test_control_characters_are_located() -> None:
    (problem,) = problems_of("a: 1\nb: x\x1by\n")
    assert problem.startswith("f.yaml:2:5: ") and "U+001B" in problem


def test_escaped_lone_surrogates_are_refused() -> None:
    (problem,) = problems_of('a: "\\ud800"\n')
    assert "无效的 Unicode 字符" in problem


def test_tab_indentation_lists_every_tabbed_line() -> None:
    problems = problems_of("a:\n\tb: 1\n\tc: 2\n")
    assert [p.split(": ")[0] for p in problems] == ["f.yaml:2:1", "f.yaml:3:1"]
    assert all("Tab" in p for p in problems)


def test_unclosed_quote_is_located_where_it_starts() -> None:
    (problem,) = problems_of('a: 1\nb: "open\nc: 2\n')
    assert problem.startswith("f.yaml:2:4: ") and "引号没有闭合" in problem


def test_missing_directory_and_oversized_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(YamlError) as missing:
        read_yaml_file(tmp_path / "none.yaml")
    assert missing.value.problems[0].message == "文件不存在：请检查路径和文件名"
    with pytest.raises(YamlError) as folder:
        read_yaml_file(tmp_path)
    assert "文件夹" in folder.value.problems[0].message
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * 200 + "\n", encoding="utf-8")
    monkeypatch.setattr(yamlsafe, "MAX_BYTES", 100)
    with pytest.raises(YamlError) as too_big:
        read_yaml_file(big)
    assert too_big.value.problems[0].message == "文件过大（204 字节，上限 100 字节）"
    fifo = tmp_path / "pipe.yaml"
    if hasattr(os, "mkfifo"):  # a pipe is refused at once, never waited on
        os.mkfifo(fifo)
        with pytest.raises(YamlError) as pipe:
            read_yaml_file(fifo)
        assert pipe.value.problems[0].message == "无法读取：不是普通文件（如管道、设备），未读取"


def test_an_empty_document_has_no_data() -> None:
    loaded = parse_yaml("# nothing here\n", "f.yaml")
    assert loaded.data is None


def test_a_key_without_its_colon_is_reported_on_its_own_line_in_chinese_only() -> None:
    (problem,) = problems_of("a: 1\nitems:\n  - id: x\n    title 领导作风\n    roles: [leader]\n")
    assert problem == "f.yaml:4:5: 这一行的键后面缺少半角冒号“:”"


def test_a_full_width_colon_in_a_key_is_named_and_pointed_at() -> None:
    (problem,) = problems_of("id: my\ntitle：示例对照检查表\ndescription: x\n")
    assert problem == (
        "f.yaml:2:6: 这一行的键后面缺少半角冒号“:”；把全角冒号“：”改成半角“:”（后面加一个空格）"
    )
