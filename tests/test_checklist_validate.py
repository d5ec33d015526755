"""`selfcheck checklist validate`: every fault, located as FILE:LINE:COL, exit code 1.

Each test breaks a copy of the built-in checklist in one way (or several) and
checks the message, the position (computed from the broken text) and the
exit code.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfcheck.cli import app

BUILTIN = Path(__file__).resolve().parent.parent / "checklists"
ZUOFENG = (BUILTIN / "zuofeng-2008.yaml").read_text(encoding="utf-8")


def validate(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["checklist", "validate", *map(str, args)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def write(tmp_path: Path, text: str, name: str = "broken.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def broken(old: str, new: str, text: str = ZUOFENG, count: int = 1) -> str:
    """``text`` with ``old`` replaced by ``new`` (which must occur)."""
    assert old in text, old
    return text.replace(old, new, count)


def position(text: str, needle: str, offset: int = 0, occurrence: int = 1) -> tuple[int, int]:
    """1-based line and column of ``needle`` (plus ``offset``) in ``text``."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    index += offset
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def problem_line(output: str, file: Path | str, where: tuple[int, int], path: str = "") -> str:
    """The output line for the problem at ``where`` (and field ``path``); fails if absent."""
    prefix = f"{file}:{where[0]}:{where[1]}: " + (f"{path}: " if path else "")
    for line in output.splitlines():
        if line.startswith(prefix):
            return line
    raise AssertionError(f"no problem at {prefix!r} in:\n{output}")


# ------------------------------------------------------------------ the good case


def test_built_in_checklists_validate_with_a_tick_per_file() -> None:
    code, output = validate(BUILTIN / "zuofeng-2008.yaml", BUILTIN / "liuxing-jiguan.yaml")
    assert code == 0
    ticks = [line for line in output.splitlines() if line.startswith("✓")]
    assert len(ticks) == 2
    assert "zuofeng-2008" in ticks[0] and "15 个检查项" in ticks[0]


def test_a_checklist_id_is_accepted_instead_of_a_path() -> None:
    code, output = validate("zuofeng-2008")
    assert code == 0
    assert output.startswith("✓") and "zuofeng-2008.yaml" in output


def test_unexpanded_wildcards_are_expanded_like_a_posix_shell_would(tmp_path: Path) -> None:
    write(tmp_path, ZUOFENG, "a.yaml")
    write(tmp_path, broken("rubric: 三查三看", "rubrc: 三查三看"), "b.yaml")
    code, output = validate(tmp_path / "*.yaml")
    assert code == 1
    assert f"✓ {tmp_path / 'a.yaml'}" in output
    assert f"✗ {tmp_path / 'b.yaml'}：1 处错误" in output


# --------------------------------------------------------------------- YAML faults


def test_yaml_syntax_error_points_at_the_unclosed_quote(tmp_path: Path) -> None:
    text = broken("title: 思想作风", 'title: "思想作风')
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 1
    line = problem_line(output, path, position(text, '"思想作风'))
    assert "引号没有闭合" in line


def test_colon_inside_plain_text_asks_for_quotes(tmp_path: Path) -> None:
    text = broken("title: 思想作风", "title: 思想作风: 三查三看")
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 1
    line = problem_line(output, path, position(text, ": 三查三看"))
    assert "加引号" in line


def test_tab_indentation_is_named_with_its_line(tmp_path: Path) -> None:
    text = broken("    rubric: 三查三看", "\trubric: 三查三看")
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 1
    line = problem_line(output, path, position(text, "\trubric"))
    assert "Tab" in line and "空格" in line


def test_duplicate_keys_are_reported_together_with_schema_problems(tmp_path: Path) -> None:
    text = broken("  - id: thinking\n", "  - id: thinking\n    id: thinking-again\n")
    text = broken("rubric: 四个是否", "rubrc: 四个是否", text)
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 1
    first_line, _ = position(text, "  - id: thinking\n")
    dup = problem_line(output, path, position(text, "id: thinking-again"), "sections[0].id")
    assert f"重复的键“id”（第 {first_line} 行已出现）" in dup
    typo = problem_line(output, path, position(text, "rubrc"), "sections[1].rubrc")
    assert "未知字段“rubrc”" in typo
    assert "2 处错误" in output


@pytest.mark.parametrize(
    ("old", "new", "field", "raw", "read_as"),
    [
        ('version: "2008.1"', "version: 1.10", "version", "1.10", "小数"),
        ('version: "2008.1"', "version: 2008-12-01", "version", "2008-12-01", "日期"),
        ("label: 领导干部", "label: no", "roles[0].label", "no", "布尔值"),
        ("title: 学风", "title: 2008", "sections[3].title", "2008", "整数"),
    ],
)
def test_yaml_1_1_surprises_where_text_is_expected_say_please_quote(
    tmp_path: Path, old: str, new: str, field: str, raw: str, read_as: str
) -> None:
    text = broken(old, new)
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 1
    line = problem_line(output, path, position(text, new, offset=new.index(":") + 2), field)
    assert f"YAML 把 {raw} 读成了{read_as}" in line
    assert f'请加引号，写成 "{raw}"' in line
    assert "datetime" not in line and "False" not in line  # as YAML writes it, not Python


def test_an_impossible_date_is_reported_not_crashed_on(tmp_path: Path) -> None:
    text = broken('version: "2008.1"', "version: 2009-02-30")
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 1
    line = problem_line(output, path, position(text, "2009-02-30"))
    assert "日期“2009-02-30”不存在" in line


# ------------------------------------------------------------------- schema faults


def test_unknown_field_gets_a_close_match_hint(tmp_path: Path) -> None:
    text = broken("rubric: 三查三看", "rubrc: 三查三看")
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 1
    line = problem_line(output, path, position(text, "rubrc"), "sections[0].rubrc")
    assert "未知字段“rubrc”" in line and "是否应为“rubric”" in line


def test_unknown_field_inside_a_shared_question_gets_a_hint_too(tmp_path: Path) -> None:
    text = broken("      meaning: rating\n", "      meening: rating\n")
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 1
    line = problem_line(
        output, path, position(text, "meening"), "question_sets.self_check[0].meening"
    )
    assert "是否应为“meaning”" in line


@pytest.mark.parametrize(
    ("old", "new", "needle", "field", "fragment"),
    [
        (
            "required: true\n      prompt: 对照",
            'required: "yes"\n      prompt: 对照',
            '"yes"',
            "question_sets.self_check[0].required",
            "应为 true 或 false",
        ),
        ("roles: [leader]", "roles: leader", "leader\n", "sections[2].roles", "应为列表"),
        ("score: 3", "score: high", "high", "scales.rating[0].score", "应为数字"),
        (
            "type: long_text\n      meaning: cause",
            "type: longtext\n      meaning: cause",
            "longtext",
            "question_sets.self_check[2].type",
            "是否应为“long_text”",
        ),
        ("title: 学风", "title:", "title:\n", "sections[3].title", "没有填写内容"),
    ],
)
def test_wrong_types_are_located_and_explained(
    tmp_path: Path, old: str, new: str, needle: str, field: str, fragment: str
) -> None:
    text = broken(old, new)
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 1
    where = position(text, needle, occurrence=text.count(needle) if needle == "leader\n" else 1)
    if needle == "title:\n":
        where = position(text, needle)
        where = (where[0], where[1] + len("title:"))
    line = problem_line(output, path, where, field)
    assert fragment in line


# ---------------------------------------------------------------- cross references


def test_duplicate_item_ids_name_the_first_use(tmp_path: Path) -> None:
    text = broken("id: work-2", "id: work-1")
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 1
    first, _ = position(text, "id: work-1")
    line = problem_line(
        output, path, position(text, "work-1", occurrence=2), "sections[1].items[1].id"
    )
    assert f"检查项标识“work-1”重复（第 {first} 行已使用）" in line


def test_duplicate_question_ids_within_an_item(tmp_path: Path) -> None:
    text = broken("    - id: cause\n", "    - id: manifestation\n")
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 1
    line = problem_line(
        output,
        path,
        position(text, "manifestation", occurrence=2),
        "question_sets.self_check[2].id",
    )
    assert "问题标识“manifestation”重复" in line
    assert output.count("问题标识“manifestation”重复") == 1  # reported once, not once per item


def test_two_questions_of_one_item_may_not_share_a_meaning(tmp_path: Path) -> None:
    """Each meaning names one answer: the report, rectify, the ledger and 雷同检查 all take
    the 整改措施 of an item from the same question."""
    text = broken("      meaning: cause\n", "      meaning: measure\n")
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 1
    first = position(text, "meaning: measure")[0]
    second = position(text, "meaning: measure", offset=len("meaning: "), occurrence=2)
    line = problem_line(output, path, second)
    assert f"同一检查项中问题的含义“measure”重复（第 {first} 行已使用）" in line


def test_unknown_scale_reference(tmp_path: Path) -> None:
    text = broken("scale: rating", "scale: ratng")
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 1
    line = problem_line(output, path, position(text, "ratng"), "question_sets.self_check[0].scale")
    assert "未知评分等级“ratng”" in line and "是否应为“rating”" in line


def test_unknown_question_set_reference(tmp_path: Path) -> None:
    marker = "    questions:\n      - use: self_check\n    items:\n      - id: work-1"
    text = broken(marker, marker.replace("self_check", "selfcheck"))
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 1
    line = problem_line(output, path, position(text, "selfcheck\n"), "sections[1].questions[0].use")
    assert "未知问题组“selfcheck”" in line and "是否应为“self_check”" in line


def test_a_question_set_used_twice_is_one_problem_at_the_second_use(tmp_path: Path) -> None:
    marker = "    questions:\n      - use: self_check\n    items:\n      - id: work-1"
    text = broken(
        marker, marker.replace("      - use: self_check\n", "      - use: self_check\n" * 2)
    )
    item = "        text: 是否继续存在门难进、脸难看、话难听、事难办现象\n"
    own = "        questions:\n          - use: self_check\n          - use: self_check\n"
    text = broken(item, item + own, text)
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 1
    first = position(text, "self_check\n      - use: self_check\n    items:\n      - id: work-1")
    where = position(text, "self_check\n    items:\n      - id: work-1")
    line = problem_line(output, path, where, "sections[1].questions[1].use")
    assert line.endswith(
        f"问题组“self_check”在章节“work”的问题列表中引用了两次（第 {first[0]} 行已引用）："
        "同一组问题只能引用一次，请删除这一行"
    )
    where = position(text, own, own.rindex("self_check"))
    line = problem_line(output, path, where, "sections[1].items[0].questions[1].use")
    assert f"在检查项“work-1”中引用了两次（第 {where[0] - 1} 行已引用）" in line
    assert "重复" not in output and "2 处错误" in output


def test_when_that_does_not_compile(tmp_path: Path) -> None:
    text, path, (code, output) = manifestation_when(tmp_path, "rating.problem and")
    assert code == 1
    where = position(text, "rating.problem and")
    line = problem_line(output, path, where, "question_sets.self_check[1].when")
    assert "条件表达式无法解析" in line and "不完整" in line


def test_when_that_names_an_unknown_question(tmp_path: Path) -> None:
    text, path, (code, output) = manifestation_when(tmp_path, "ratng.problem")
    assert code == 1
    line = problem_line(
        output, path, position(text, "ratng.problem"), "question_sets.self_check[1].when"
    )
    assert "未知问题“ratng”" in line and "是否应为“rating”" in line
    # a question set is checked for each item that uses it, but said once
    assert output.count("未知问题“ratng”") == 1


def test_when_that_names_a_later_question_says_to_move_it(tmp_path: Path) -> None:
    text, path, (code, output) = manifestation_when(tmp_path, "cause != ''")
    assert code == 1
    line = problem_line(
        output, path, position(text, "cause != ''"), "question_sets.self_check[1].when"
    )
    cause_line = position(text, "- id: cause")[0]
    assert line.endswith(
        f"条件引用的问题“cause”在后面（第 {cause_line} 行）才定义：条件只能引用排在前面的问题，"
        "请把问题“cause”移到“manifestation”之前"
    )
    assert "未知问题" not in output and "1 处错误" in output


def test_when_may_not_reach_for_private_attributes(tmp_path: Path) -> None:
    text, path, (code, output) = manifestation_when(tmp_path, "rating.__class__")
    assert code == 1
    line = problem_line(output, path, position(text, "rating.__class__"))
    assert "下划线" in line


@pytest.mark.parametrize(
    ("when", "why"),
    [
        # the sandbox refuses it in the walk, where it silently counts as false
        ("rating.problem and [1].append(2)", "沙箱不允许这个操作"),
        # a score compared with a string: a TypeError for every option
        ('rating.score > "2"', "类型不符"),
        # compiles and runs, but no answer makes it true
        ('rating == "excellent"', "无论前面怎样作答都不成立"),
        # the checklist's roles are leader and staff
        ('role == "boss"', "无论前面怎样作答都不成立"),
    ],
)
def test_when_that_can_never_hold_is_a_located_warning(tmp_path: Path, when: str, why: str) -> None:
    text, path, (code, output) = manifestation_when(tmp_path, when)
    assert code == 0, output  # a warning: a checklist in use keeps loading
    line = problem_line(output, path, position(text, when), "question_sets.self_check[1].when")
    assert f"问题“manifestation”的显示条件“{when}”" in line
    assert why in line and "这个问题永远不会出现" in line
    # a question set is tried for each of its 15 items, and said once
    assert output.count("永远不会出现") == 1


@pytest.mark.parametrize(
    "when",
    [
        "rating.problem",  # true for 存在一些问题 and 问题比较突出
        "not rating.problem",
        'role == "leader"',  # true for one of the roles
        "rating.score is not none and rating.score < 2",  # scored options only
        "rating.problem and manifestation",  # a text: true once it is written
        # never true in the leaders-only 领导作风 section that shares the set, true in the
        # others: a shared set is warned about only when no item that uses it can show it
        "role != 'leader' and rating.problem",
    ],
)
def test_when_that_can_hold_gives_no_warning(tmp_path: Path, when: str) -> None:
    text = broken(
        "when: rating.problem\n      prompt: 原因剖析",
        f"when: {when}\n      prompt: 原因剖析",
    )
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 0 and "警告" not in output, output


def test_strict_makes_a_warning_fail(tmp_path: Path) -> None:
    """``--strict``: for a checklist kept in version control and checked on every change."""
    text = broken(
        "when: rating.problem\n      prompt: 具体表现",
        'when: role == "boss"\n      prompt: 具体表现',
    )
    path = write(tmp_path, text)
    assert validate(path)[0] == 0
    code, output = validate("--strict", path)
    assert code == 1
    assert "1 条警告（--strict 把警告当作错误）" in output and "✓" not in output
    good = write(tmp_path, ZUOFENG, "good.yaml")
    assert validate("--strict", good)[0] == 0


def test_condition_trials_stop_when_their_time_is_spent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A condition tried over many combinations says nothing once the checklist's
    budget is spent: validation is never held up by the trials."""
    from selfcheck.checklist import trial

    when = 'rating.problem and cause_category == "nope"'  # 4 × 6 answers × 2 roles
    text = broken(
        "when: rating.problem and cause_category\n",
        f"when: {when}\n",
    )
    path = write(tmp_path, text)
    assert "永远不会出现" in validate(path)[1]
    monkeypatch.setattr(trial, "BUDGET_S", 0.0)
    code, output = validate(path)
    assert code == 0 and "永远不会出现" not in output, output


def test_empty_section(tmp_path: Path) -> None:
    start = ZUOFENG.index("    items:\n      - id: study-1")
    text = ZUOFENG[:start] + "    items: []\n"
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 1
    line = problem_line(output, path, position(text, "[]"), "sections[3].items")
    assert "章节“学风”没有任何检查项" in line


def test_no_sections_at_all(tmp_path: Path) -> None:
    text = ZUOFENG[: ZUOFENG.index("sections:")] + "sections: []\n"
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 1
    assert "没有任何章节" in problem_line(output, path, position(text, "[]"), "sections")


def test_every_problem_of_every_kind_in_one_run(tmp_path: Path) -> None:
    text = broken("rubric: 三查三看", "rubrc: 三查三看")
    text = broken("id: work-2", "id: work-1", text)
    text = broken("scale: rating", "scale: ratng", text)
    text = broken("roles: [leader]", "roles: [leader, boss]", text)
    text = broken('version: "2008.1"', "version: 1.10", text)
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 1
    fragments = [
        "未知字段“rubrc”",
        "检查项标识“work-1”重复",
        "未知评分等级“ratng”",
        "未知角色“boss”",
        "请加引号",
    ]
    for fragment in fragments:
        assert fragment in output
    assert "5 处错误" in output
    lines = [int(line.split(":")[1]) for line in output.splitlines() if line.startswith(str(path))]
    assert lines == sorted(lines)  # in file order


def test_schema_errors_do_not_produce_spurious_reference_errors(tmp_path: Path) -> None:
    # The role entry is broken (label missing) but keeps its id: `roles: [leader]` resolves.
    text = broken("  - id: leader\n    label: 领导干部\n", "  - id: leader\n")
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 1
    assert "缺少必填字段“label”" in output
    assert "未知角色" not in output
    assert "1 处错误" in output


# ------------------------------------------------------------ encodings and files


def test_gbk_file_is_read_with_a_warning_and_no_mojibake(tmp_path: Path) -> None:
    path = tmp_path / "notepad.yaml"
    path.write_bytes(ZUOFENG.encode("gb18030"))
    code, output = validate(path)
    assert code == 0
    first_chinese = next(i for i, line in enumerate(ZUOFENG.splitlines(), 1) if not line.isascii())
    warning = problem_line(output, path, (first_chinese, 1))
    assert "GBK/GB18030" in warning and "UTF-8" in warning
    shown = CliRunner().invoke(app, ["checklist", "show", str(path)])
    assert shown.exit_code == 0
    assert "机关作风建设个人对照检查" in shown.output


def test_python_tags_are_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = f'title: !!python/object/apply:os.system ["touch {marker}"]'
    text = broken("title: 思想作风", evil)
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 1
    line = problem_line(output, path, position(text, "!!python"))
    assert "不允许的 YAML 标签 !!python/object/apply:os.system" in line
    assert not marker.exists()


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        levels.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    path = write(tmp_path, "\n".join(levels) + "\n")
    started = time.monotonic()
    code, output = validate(path)
    # A guard against hanging or exhausting memory, not a performance target.
    assert time.monotonic() - started < 20
    assert code == 1
    assert "可能是别名炸弹" in output
    assert output.startswith(f"{path}:")


def test_many_aliases_are_refused_before_expanding(tmp_path: Path) -> None:
    text = "base: &b [x]\nrefs: [" + ", ".join(["*b"] * 500) + "]\n"
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 1
    assert "个别名引用，已拒绝读取" in output


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a: " + "[" * 5000 + "]" * 5000 + "\n")
    code, output = validate(path)
    assert code == 1
    assert "嵌套超过" in output


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    code, output = validate(path)
    assert code == 1
    assert problem_line(output, path, (1, 1)).endswith("文件不存在：请检查路径和文件名")


def test_directory_instead_of_file(tmp_path: Path) -> None:
    code, output = validate(tmp_path)
    assert code == 1
    assert "这是一个文件夹" in problem_line(output, tmp_path, (1, 1))


@pytest.mark.parametrize("content", ["", "# only a comment\n", "\n\n"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    path = write(tmp_path, content)
    code, output = validate(path)
    assert code == 1
    assert "文件是空的" in problem_line(output, path, (1, 1))


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "report.yaml"
    path.write_bytes(b"PK\x03\x04\x00\x00binary")
    code, output = validate(path)
    assert code == 1
    assert "不是 YAML 文本文件" in problem_line(output, path, (1, 1))


def test_control_characters_are_located(tmp_path: Path) -> None:
    text = broken("title: 学风", "title: 学\x07风")
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 1
    assert "U+0007" in problem_line(output, path, position(text, "\x07"))
    assert "\x07" not in output


def test_one_bad_file_fails_the_run_but_good_files_still_get_their_tick(tmp_path: Path) -> None:
    bad = write(tmp_path, broken("rubric: 三查三看", "rubrc: 三查三看"))
    code, output = validate(BUILTIN / "zuofeng-2008.yaml", bad)
    assert code == 1
    assert output.startswith("✓")
    assert "2 个文件中有 1 个未通过校验" in output


@pytest.mark.parametrize(
    ("escaped", "char"), [("\\e[31m", "U+001B"), ("\\0", "U+0000"), ("\\u202e", "U+202E")]
)
def test_a_control_character_written_as_an_escape_is_refused(
    tmp_path: Path, escaped: str, char: str
) -> None:
    """YAML's double-quoted escapes put any character into a title or label; the
    checklist's words go into every material and summary (md and html carried them
    raw), so they are refused where they are written."""
    text = broken("    title: 思想作风\n", f'    title: "思想{escaped}作风"\n')
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 1
    line = problem_line(output, path, position(text, '"思想'), "sections[0].title")
    assert f"文字中有控制字符 {char}" in line
    assert "1 处错误" in output


def manifestation_when(tmp_path: Path, when: str) -> tuple[str, Path, tuple[int, str]]:
    """The built-in checklist with 具体表现's ``when`` replaced: its text, its file and
    what ``checklist validate`` says of it."""
    text = broken(
        "when: rating.problem\n      prompt: 具体表现", f"when: {when}\n      prompt: 具体表现"
    )
    path = write(tmp_path, text)
    return text, path, validate(path)
