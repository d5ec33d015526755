"""Rosters: CSV in UTF-8, UTF-8 with BOM, GBK and UTF-16 (Excel's Unicode text), or XLSX;
Chinese or English headers; bad rows reported with line numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from selfcheck.cli import app
from selfcheck.errors import RosterError
from selfcheck.summary.plan import plan_from_checklist
from selfcheck.summary.roster import RosterEntry, load_roster

ROWS = (
    "姓名,单位,职务,类别\r\n"
    "张 三,办公室,科员,一般干部\r\n"
    "李四,办公室,主任,leader\r\n"
    "王五,规划科,,\r\n"
)


@pytest.fixture
def plan(zuofeng: Any) -> Any:
    return plan_from_checklist(zuofeng)


EXPECTED = [
    RosterEntry("办公室", "张三", "科员", "staff"),
    RosterEntry("办公室", "李四", "主任", "leader"),
    RosterEntry("规划科", "王五", "", None),
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_every_encoding_excel_writes(tmp_path: Path, plan: Any, encoding: str) -> None:
    path = tmp_path / "名单.csv"
    path.write_bytes(ROWS.encode(encoding))
    assert load_roster(path, plan) == EXPECTED


def test_english_headers_extra_columns_and_blank_lines(tmp_path: Path, plan: Any) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(
        "No,Name,Unit,Position,Role,Note\n1,张三,办公室,科员,staff,x\n\n2,李四,办公室,主任,领导干部,\n",
        encoding="utf-8",
    )
    assert load_roster(path, plan) == [
        RosterEntry("办公室", "张三", "科员", "staff"),
        RosterEntry("办公室", "李四", "主任", "leader"),
    ]


def test_xlsx_roster(tmp_path: Path, plan: Any) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "单位", "职务", "类别"])
    sheet.append(["张三", "办公室", "科员", "一般干部"])
    sheet.append(["李四", "办公室", "主任", "领导干部"])
    sheet.append([None, None, None, None])
    sheet.append(["王五", "规划科", None, None])
    path = tmp_path / "名单.xlsx"
    book.save(path)
    assert load_roster(path, plan) == [
        RosterEntry("办公室", "张三", "科员", "staff"),
        RosterEntry("办公室", "李四", "主任", "leader"),
        RosterEntry("规划科", "王五", "", None),
    ]


def test_bad_rows_are_all_reported_with_line_numbers(tmp_path: Path, plan: Any) -> None:
    path = tmp_path / "名单.csv"
    path.write_text(
        "姓名,单位,职务,类别\n张三,办公室,科员,一般干部\n,办公室,科员,一般干部\n李四,办公室,主任,局长\n张三,办公室,科员,一般干部\n",
        encoding="utf-8",
    )
    with pytest.raises(RosterError) as caught:
        load_roster(path, plan)
    lines = [(p.line, p.path) for p in caught.value.problems]
    assert lines == [(3, "姓名"), (4, "类别"), (5, "姓名")]
    text = caught.value.render()
    assert f"{path}:4:4: 类别: 未知类别“局长”" in text
    assert "第 2 行已有" in text


def test_missing_header_column(tmp_path: Path, plan: Any) -> None:
    path = tmp_path / "名单.csv"
    path.write_text("名字啊,部门啊\n张三,办公室\n", encoding="utf-8")
    with pytest.raises(RosterError, match="缺少：姓名、单位"):
        load_roster(path, plan)


def test_excel_unicode_text_is_utf16_with_tabs(tmp_path: Path, plan: Any) -> None:
    # Excel's "Unicode 文本 (*.txt)": UTF-16 LE with a BOM, tab-separated
    path = tmp_path / "名单.txt"
    path.write_bytes(ROWS.replace(",", "\t").encode("utf-16"))
    assert load_roster(path, plan) == EXPECTED


def test_formula_errors_are_named_not_taken_for_people(tmp_path: Path, plan: Any) -> None:
    # a roster built with VLOOKUP: the rows it could not look up show #N/A
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "单位", "职务"])
    sheet.append(["张三", "办公室", "科员"])
    sheet.append(["#N/A", "办公室", "科员"])
    sheet.append(["李四", "#REF!", ""])
    path = tmp_path / "名单.xlsx"
    book.save(path)
    with pytest.raises(RosterError) as caught:
        load_roster(path, plan)
    why = "（公式没有算出结果，如 VLOOKUP 找不到），请改成文字"
    assert [p.format() for p in caught.value.problems] == [
        f"{path}:3:1: 姓名: 是 Excel 的错误值 #N/A{why}",
        f"{path}:4:2: 单位: 是 Excel 的错误值 #REF!{why}",
    ]


def test_undecodable_csv(tmp_path: Path, plan: Any) -> None:
    path = tmp_path / "名单.csv"
    path.write_bytes(b"\xff\xfe\x00\x81\x00garbage\xff")
    with pytest.raises(RosterError, match="编码"):
        load_roster(path, plan)


def test_bad_roster_is_exit_1_with_a_message(tmp_path: Path) -> None:
    folder = tmp_path / "空"
    folder.mkdir()
    roster = tmp_path / "名单.csv"
    roster.write_text("姓名,单位\n,办公室\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["summary", str(folder), "--roster", str(roster)])
    assert result.exit_code == 1
    assert f"{roster}:2:1: 姓名: 不能为空" in result.stderr
    assert "Traceback" not in result.output


def test_a_role_is_found_the_same_way_everywhere() -> None:
    """rules.find_role serves the roster, --role and the respondent's identity alike."""
    from selfcheck import rules

    roles = [("leader", "领导干部"), ("staff", "一般干部")]
    assert rules.find_role("领导干部", roles) == "leader"
    assert rules.find_role(" staff\t", roles) == "staff"
    assert rules.find_role("一般\x07干部", roles) == "staff"  # a control character typed in
    assert rules.find_role("科员", roles) is None


# ------------------------------------- a unit typed in full- or half-width forms

HALF_AND_FULL = (
    "姓名,单位,职务,类别\r\n"
    "张三,办公室（党办）,科员,一般干部\r\n"
    "李四,办公室（党办）,主任,一般干部\r\n"
    "王五,第１科,科员,一般干部\r\n"
)


def test_a_unit_typed_in_other_width_forms_is_the_roster_unit(tmp_path: Path, zuofeng: Any) -> None:
    """An input method in full-width mode types （ and １, another cadre types ( and 1: the
    summary counts both under the roster's unit, and nobody is 名单外 or 未提交 for it."""
    import json

    people = [("张三", "办公室(党办)"), ("李四", "办公室 （党办） "), ("王五", "第1科")]
    summary, folder, roster = summary_over(tmp_path, zuofeng, HALF_AND_FULL, people)
    out = tmp_path / "汇总.json"
    rows = {p["unit"]: p for p in summary["figures"]["participation"]}
    assert set(rows) == {"办公室（党办）", "第１科", "合计"}
    assert (rows["办公室（党办）"]["roster"], rows["办公室（党办）"]["submitted"]) == (2, 2)
    assert (rows["合计"]["missing"], rows["合计"]["outside"]) == (0, 0)
    assert {r["unit"] for r in summary["records"]} == {"办公室（党办）", "第１科"}
    # --unit may be typed either way too
    result = CliRunner().invoke(
        app,
        [
            *("summary", str(folder), "--roster", str(roster), "--unit", "办公室(党办)"),
            *("--format", "json", "-o", str(out)),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        json.loads(out.read_text(encoding="utf-8"))["figures"]["participation"][-1]["submitted"]
        == 2
    )


def test_one_person_under_two_spellings_of_a_unit_is_a_duplicate(tmp_path: Path, plan: Any) -> None:
    path = tmp_path / "名单.csv"
    path.write_text("姓名,单位\r\n张三,办公室（党办）\r\n张三,办公室(党办)\r\n", encoding="utf-8")
    with pytest.raises(RosterError) as caught:
        load_roster(path, plan)
    assert "张三 重复（第 2 行已有）" in caught.value.problems[0].message


def test_a_missing_person_with_a_namesake_outside_the_roster_gets_a_hint(
    tmp_path: Path, zuofeng: Any
) -> None:
    """张三 of 办公室 is on the roster; a 张三 handed in under 局办公室, which the roster
    does not have: 未提交 says so, so the committee can check the unit instead of chasing."""
    from test_summary_helpers import make_response

    from selfcheck.response import save_response

    roster = tmp_path / "名单.csv"
    roster.write_text("姓名,单位\r\n张三,办公室\r\n李四,办公室\r\n", encoding="utf-8")
    folder = tmp_path / "答卷"
    folder.mkdir()
    save_response(
        make_response(zuofeng, name="张三", unit="局办公室", role="staff"), folder / "a.json"
    )
    result = CliRunner().invoke(
        app, ["summary", str(folder), "--roster", str(roster), "--format", "md"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    zhang = next(line for line in lines if line.startswith("| 办公室 | 张三 |"))
    assert "未见答卷；名单外有同名的答卷（局办公室），单位是否写法不同？" in zhang
    li = next(line for line in lines if line.startswith("| 办公室 | 李四 |"))
    assert "未见答卷" in li and "同名" not in li


# ------------------------------------- a name's separating dot typed another way

DOTS = "\u00b7\u2022\u30fb\uff65\u2027\u2219\u22c5\u0387\u2e31\uff0e."


def test_a_names_separating_dot_typed_another_way_is_the_roster_name(
    tmp_path: Path, zuofeng: Any
) -> None:
    """A minority cadre's name is written with a 间隔号 (·); input methods and fonts give
    •, ・, ．or . instead: the summary counts him, he is neither 名单外 nor 未提交."""
    rows = "".join(f"阿依古丽{d}买买提{n},办公室,科员,一般干部\r\n" for n, d in enumerate(DOTS))
    # each one typed with another dot than the roster's
    people = [(f"阿依古丽{DOTS[(n + 1) % len(DOTS)]}买买提{n}", "办公室") for n in range(len(DOTS))]
    summary, _, _ = summary_over(tmp_path, zuofeng, "姓名,单位,职务,类别\r\n" + rows, people)
    total = summary["figures"]["participation"][-1]
    counted = (total["roster"], total["submitted"], total["missing"], total["outside"])
    assert counted == (len(DOTS), len(DOTS), 0, 0)


def test_dots_are_one_only_between_two_chinese_characters_of_a_name() -> None:
    from selfcheck.rules import clean_name

    assert clean_name("阿依古丽•买买提") == clean_name("阿依古丽．买买提") == "阿依古丽·买买提"
    assert clean_name("张 三") == "张三"
    assert clean_name("张三.") == "张三."  # not between two Chinese characters: as typed
    assert clean_name("J.Smith") == "J.Smith"


def test_a_namesake_check_and_the_summary_match_names_the_same_way() -> None:
    """One rule: the reviewer who is the cadre himself is found however his name is typed."""
    from selfcheck.rules import clean_name, reviews_own_file

    for typed in ("阿依古丽•买买提", "阿依古丽 ．买买提", "ＡＢ张三", "AB张三 "):
        canonical = {"阿依古丽•买买提": "阿依古丽·买买提", "阿依古丽 ．买买提": "阿依古丽·买买提"}
        assert reviews_own_file(typed, canonical.get(typed, "AB张三"))
        assert clean_name(typed) == clean_name(canonical.get(typed, "AB张三"))


def test_a_stray_quote_that_swallows_the_rest_is_said_in_chinese(tmp_path: Path, plan: Any) -> None:
    """A name typed with a leading quote makes the rest of a long roster one field; the
    csv module's English "field larger than field limit" was shown as it was."""
    rows = "".join(f"干部{n},办公室,科员,一般干部\r\n" for n in range(12000))
    path = tmp_path / "名单.csv"
    path.write_text(f'姓名,单位,职务,类别\r\n"张三,办公室,科员,一般干部\r\n{rows}', "utf-8")
    with pytest.raises(RosterError) as caught:
        load_roster(path, plan)
    message = caught.value.render()
    assert "CSV 格式错误：有一格的文字过长" in message and "是否缺了一个引号" in message
    assert "field" not in message


def test_invisible_characters_pasted_into_a_name_or_unit_do_not_hide_the_person(
    tmp_path: Path, zuofeng: Any
) -> None:
    """A name copied from a web page or a chat brings a zero-width space, a byte-order mark
    or a bidi override along: the person is still the roster's, and no override reaches
    the summary to reorder the line it is printed on."""
    text = "姓名,单位,职务,类别\r\n张三,办公室,科员,一般干部\r\n李四,财务科,科员,一般干部\r\n"
    typed = [("张\u200b三", "\ufeff办公室"), ("李四\u202e", "财务\u00ad科")]
    summary, folder, _ = summary_over(tmp_path, zuofeng, text, typed)
    total = summary["figures"]["participation"][-1]
    assert (total["submitted"], total["missing"], total["outside"]) == (2, 0, 0)
    assert sorted(r["name"] for r in summary["records"]) == ["张三", "李四"]
    md = CliRunner().invoke(app, ["summary", str(folder), "--format", "md"])
    assert md.exit_code == 0 and "\u202e" not in md.stdout and "\u200b" not in md.stdout


def summary_over(
    tmp_path: Path, zuofeng: Any, roster_text: str, people: list[tuple[str, str]]
) -> tuple[dict[str, Any], Path, Path]:
    """The JSON summary of one staff response per (name, unit) in ``people`` against the
    roster ``roster_text``; also the folder and the roster file."""
    import json

    from test_summary_helpers import make_response

    from selfcheck.response import save_response

    roster = tmp_path / "名单.csv"
    roster.write_text(roster_text, encoding="utf-8")
    folder = tmp_path / "答卷"
    folder.mkdir()
    for n, (name, unit) in enumerate(people):
        response = make_response(zuofeng, name=name, unit=unit, role="staff")
        save_response(response, folder / f"{n}.json")
    out = tmp_path / "汇总.json"
    result = CliRunner().invoke(
        app,
        ["summary", str(folder), "--roster", str(roster), "--format", "json", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8")), folder, roster


@pytest.mark.parametrize("delimiter", ["\t", ";", "，", "；"])
def test_a_roster_separated_by_tabs_semicolons_or_full_width_commas_is_read(
    tmp_path: Path, plan: Any, delimiter: str
) -> None:
    """Pasted from a sheet (tabs), saved by Excel in another locale (;), or typed in
    Notepad with the input method in full-width mode (，): the cells are found."""
    rows = [
        ["姓名", "单位", "职务", "类别"],
        ["张三", "办公室", "科员", "一般干部"],
        ["李四", "财务科", "", ""],
    ]
    path = tmp_path / "名单.csv"
    path.write_text("\r\n".join(delimiter.join(r) for r in rows) + "\r\n", encoding="utf-8")
    entries = load_roster(path, plan)
    assert [(e.name, e.unit, e.position) for e in entries] == [
        ("张三", "办公室", "科员"),
        ("李四", "财务科", ""),
    ]


def test_a_comma_roster_keeps_a_semicolon_inside_a_cell(tmp_path: Path, plan: Any) -> None:
    path = tmp_path / "名单.csv"
    path.write_text("姓名,单位,职务\r\n张三,办公室;党办,科员\r\n", encoding="utf-8")
    assert [e.unit for e in load_roster(path, plan)] == ["办公室;党办"]
