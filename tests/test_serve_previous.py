"""``selfcheck serve --previous PREVDIR``: last round's problems in the browser form.

A person whose response of last round is in PREVDIR first sees the page
上一轮查摆问题整改情况, states where each problem stands, then walks the
items; the submitted response carries ``previous`` and the 反弹 problem as
this round's, marked 上轮遗留 — the same response ``selfcheck run --previous
… --answers … --no-input`` writes for the same statements (the drivers agree).
"""

from __future__ import annotations

import json
import warnings
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import msgspec
import pytest
from serve_kit import link_path, page_fields, read_links, text_of, write_roster
from typer.testing import CliRunner

from selfcheck.cli import app as cli_app
from selfcheck.response import (
    RectifyEntry,
    Respondent,
    load_response,
    response_filename,
    save_response,
)
from selfcheck.rules import Status
from selfcheck.testing import builtin_checklist, make_response

warnings.filterwarnings("ignore", message=".*httpx2.*")

from starlette.testclient import TestClient  # noqa: E402

from selfcheck.serve.command import Prepared, ServeOptions, prepare  # noqa: E402

BASE = "http://127.0.0.1:8000"
LAST_ROUND = datetime(2008, 6, 30, 10, 0, tzinfo=timezone(timedelta(hours=8)))
ZHANG = Respondent(name="张局长", unit="局办公室", position="局长", role="leader")

LAST_ANSWERS = {
    "thinking-1": {
        "rating": "some",
        "manifestation": "学习不够系统，<b>满足于</b>读文件。",
        "cause": "学习自觉性不强。",
        "measure": "每月集中学习两次。",
        "deadline": "2008-09-30",
    },
    "work-2": {
        "rating": "some",
        "manifestation": "办理群众来信有拖拉现象。",
        "cause": "时间观念不强。",
        "measure": "建立来信办理台账，七日内答复。",
        "deadline": "2008-08-31",
    },
}

THIS_ROUND_PROBLEM = {
    "rating": "some",
    "manifestation": "调研不够深入，对基层情况掌握不全面。",
    "cause": "怕吃苦。",
    "measure": "每季度下基层调研两次。",
    "deadline": "2009-06-30",
}
"""His own problem of this round, on thinking-3."""

STATEMENTS = {
    "thinking-1": {"state": "已整改到位", "note": "已坚持每月集中学习"},
    "work-2": {"state": "出现反弹", "note": "三月又有两件来信超期答复", "deadline": "2009-12-31"},
}


def last_round_folder(root: Path) -> Path:
    """Last round's folder: 张局长's submitted response (work-2 recorded as 已完成)."""
    checklist = builtin_checklist()
    folder = root / "上一轮"
    folder.mkdir()
    done = RectifyEntry(
        item="work-2",
        status=Status.DONE,
        date=date(2008, 8, 20),
        recorded_at=LAST_ROUND.replace(month=8, day=20),
    )
    last = make_response(checklist, LAST_ANSWERS, who=ZHANG, at=LAST_ROUND, rectification=[done])
    save_response(last, folder / response_filename(ZHANG.unit, ZHANG.name, checklist.id))
    return folder


def serve_with_previous(tmp_path: Path, previous: Path) -> Prepared:
    """``selfcheck serve`` prepared over a fresh folder and roster, with ``--previous``."""
    return prepare(
        ServeOptions(
            folder=tmp_path / "答卷",
            roster=write_roster(tmp_path),
            links=tmp_path / "链接.csv",
            previous=previous,
        )
    )


@pytest.fixture
def served(tmp_path: Path) -> Prepared:
    return serve_with_previous(tmp_path, last_round_folder(tmp_path))


def login(served: Prepared, name: str) -> tuple[TestClient, Any]:
    links = read_links(served.links_path)
    browser = TestClient(served.app.asgi, base_url=BASE, raise_server_exceptions=False)
    page = browser.get(link_path(links[name]), follow_redirects=True)
    assert page.status_code == 200
    return browser, page


class _Form(HTMLParser):
    """The values a browser would post from a page's form, as it shows them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self._area: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "textarea":
            self._area = name
            self.values[name] = ""
        elif tag == "input" and name:
            if a.get("type") == "radio":
                if "checked" in a:
                    self.values[name] = a.get("value", "")
            else:
                self.values[name] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._area is not None:
            self.values[self._area] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._area = None


def shown_values(html: str) -> dict[str, str]:
    form = _Form()
    form.feed(html)
    return form.values


def state_fields(statements: dict[str, dict[str, str]], order: list[str]) -> dict[str, str]:
    """The page's fields for ``statements`` (problems numbered in ``order``)."""
    data = {}
    for n, item in enumerate(order, start=1):
        given = statements[item]
        data[f"state.{n}"] = given["state"]
        data[f"note.{n}"] = given.get("note", "")
        data[f"deadline.{n}"] = given.get("deadline", "")
    return data


def walk_all(browser: TestClient, page: Any, answers: dict[str, dict[str, str]]) -> Any:
    """Every item from ``page`` to the review: ``answers`` where given, else what is shown."""
    from serve_kit import hidden

    items = [i.id for _, i in builtin_checklist().items_for("leader")]
    posts = 0
    while "/form/review" not in str(page.url):
        number = int(hidden(page.text, "item"))
        data = shown_values(page.text)
        data.update({f"a.{k}": v for k, v in answers.get(items[number - 1], {}).items()})
        data["go"] = "next"
        page = browser.post(f"/form/item/{number}", data=data)
        assert page.status_code == 200, text_of(page.text)[:400]
        posts += 1
        assert posts < 80
    return page


def this_round_answers() -> dict[str, dict[str, str]]:
    """What he answers this round, the carried item (work-2) left as the form shows it."""
    items = [i.id for _, i in builtin_checklist().items_for("leader")]
    answers: dict[str, dict[str, str]] = {i: {"rating": "good"} for i in items if i != "work-2"}
    answers["thinking-3"] = dict(THIS_ROUND_PROBLEM)
    return answers


def test_a_person_with_a_previous_round_states_it_first_and_the_drivers_agree(
    served: Prepared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    browser, page = login(served, "张局长")
    assert str(page.url).endswith("/form/previous")
    html = page.text
    assert "<h1>上一轮查摆问题整改情况</h1>" in html
    text = text_of(html)
    item = builtin_checklist().item("work-2")
    assert item is not None
    assert item[1].text in html  # the item's wording
    assert "办理群众来信有拖拉现象。" in text and "建立来信办理台账，七日内答复。" in text
    assert "上次状态 已完成" in text and "上次状态 未开始" in text
    assert "&lt;b&gt;满足于&lt;/b&gt;" in html and "<b>满足于" not in html  # escaped
    for n in (1, 2):
        assert html.count(f'type="radio" name="state.{n}"') == 4
        for field in ("note", "deadline", "removed"):
            assert f'<label for="{field}-{n}">' in html and f'id="{field}-{n}"' in html
    # Items and the review wait until it is stated.
    assert str(browser.get("/form/item/3").url).endswith("/form/previous")
    assert str(browser.get("/form/review").url).endswith("/form/previous")

    order = ["thinking-1", "work-2"]
    fields = {**page_fields(html), **state_fields(STATEMENTS, order)}
    refused = browser.post("/form/previous", data={**fields, "csrf": "x"})
    assert refused.status_code == 403
    page = browser.post("/form/previous", data=fields)
    assert page.status_code == 200 and "/form/item/1" in str(page.url)
    draft = load_response(
        served.app.files.folder
        / response_filename(ZHANG.unit, ZHANG.name, "zuofeng-2008", draft=True)
    )
    assert draft.previous is not None
    assert [p.state.value if p.state else None for p in draft.previous.problems] == [
        "已整改到位",
        "出现反弹",
    ]
    assert draft.answers["work-2"]["manifestation"] == "【上轮遗留】办理群众来信有拖拉现象。"
    assert str(browser.get("/form").url).endswith("/form/item/1")  # not asked again

    page = walk_all(browser, page, this_round_answers())
    done = browser.post("/form/submit", data=page_fields(page.text))
    assert str(done.url).endswith("/form/done")
    web = load_response(
        served.app.files.folder / response_filename(ZHANG.unit, ZHANG.name, "zuofeng-2008")
    )
    assert web.previous is not None and web.answers["work-2"]["rating"] == "some"
    assert web.answers["work-2"]["deadline"] == "2009-12-31"
    assert web.answers["thinking-1"] == {"rating": "good"}
    report = browser.get("/form/report.html")
    assert "上一轮查摆问题整改情况" in report.text and "【上轮遗留】" in report.text

    # The same statements and answers through ``run --answers --previous --no-input``.
    answers_file = tmp_path / "本轮.yaml"
    answers_file.write_text(
        json.dumps(
            {
                "checklist": "zuofeng-2008",
                "respondent": msgspec.to_builtins(ZHANG),
                "previous": STATEMENTS,
                "answers": this_round_answers(),
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    out = tmp_path / "终端"
    result = CliRunner().invoke(
        cli_app,
        [
            "run",
            "--answers",
            str(answers_file),
            "--previous",
            str(tmp_path / "上一轮" / response_filename(ZHANG.unit, ZHANG.name, "zuofeng-2008")),
            "--no-input",
            "--out",
            str(out),
            "--format",
            "none",
        ],
    )
    assert result.exit_code == 0, result.output
    terminal = load_response(out / response_filename(ZHANG.unit, ZHANG.name, "zuofeng-2008"))
    assert web.answers == terminal.answers
    assert msgspec.to_builtins(web.previous) == msgspec.to_builtins(terminal.previous)
    assert terminal.answers["work-2"]["manifestation"] == "【上轮遗留】办理群众来信有拖拉现象。"


def test_bad_input_is_refused_and_nothing_is_saved(served: Prepared) -> None:
    browser, page = login(served, "张局长")
    fields = {
        **page_fields(page.text),
        "state.1": "差不多",
        "note.1": "说明",
        "state.2": "出现反弹",
        "keep.2": "0",
        "removed.2": "",
    }
    refused = browser.post("/form/previous", data=fields)
    assert refused.status_code == 422
    text = text_of(refused.text)
    assert "请选择现在的整改情况" in text and "不列为本轮问题时，请写明理由" in text
    assert ">说明</textarea>" in refused.text  # what he typed is shown again
    assert 'value="出现反弹" checked' in refused.text
    draft = served.app.files.folder / response_filename(
        ZHANG.unit, ZHANG.name, "zuofeng-2008", draft=True
    )
    assert not draft.exists()
    submit = browser.post("/form/submit", data=page_fields(page.text))
    assert str(submit.url).endswith("/form/previous")  # cannot submit before stating
    assert str(browser.get("/form").url).endswith("/form/previous")


def test_a_past_deadline_for_a_kept_problem_is_refused(served: Prepared) -> None:
    """The same rule as every 整改时限 (today is 2009-01-15 in the tests)."""
    browser, page = login(served, "张局长")
    assert 'placeholder="2009-03-31"' in page.text  # an example after today, not before
    past = dict(STATEMENTS, **{"work-2": dict(STATEMENTS["work-2"], deadline="2009-01-14")})
    fields = {**page_fields(page.text), **state_fields(past, ["thinking-1", "work-2"])}
    refused = browser.post("/form/previous", data=fields)
    assert refused.status_code == 422
    assert "整改时限 2009-01-14 已经过去（今天是 2009-01-15）" in text_of(refused.text)
    past["work-2"]["deadline"] = "2009-01-15"  # today is fine
    fields = {**page_fields(page.text), **state_fields(past, ["thinking-1", "work-2"])}
    assert browser.post("/form/previous", data=fields).status_code == 200


def test_a_removed_problem_is_not_this_rounds(served: Prepared) -> None:
    browser, page = login(served, "张局长")
    fields = {
        **page_fields(page.text),
        "state.1": "部分整改",
        "state.2": "仍未整改",
        "keep.2": "0",
        "removed.2": "该项已调整到其他科室负责",
    }
    page = browser.post("/form/previous", data=fields)
    assert "/form/item/1" in str(page.url)
    draft = load_response(
        served.app.files.folder
        / response_filename(ZHANG.unit, ZHANG.name, "zuofeng-2008", draft=True)
    )
    assert "work-2" not in draft.answers
    assert (
        draft.previous is not None
        and draft.previous.problems[1].removed == "该项已调整到其他科室负责"
    )


def test_people_without_a_previous_round_have_no_such_step(served: Prepared) -> None:
    _, page = login(served, "李四")
    assert str(page.url).endswith("/form/item/1")


def test_wrong_previous_files_are_listed_at_start_and_ignored(tmp_path: Path) -> None:
    checklist = builtin_checklist()
    folder = last_round_folder(tmp_path)
    wang = Respondent(name="王五", unit="财务科", position="科员", role="staff")
    # 李四's file name, 王五's content: another person's response.
    other = make_response(checklist, LAST_ANSWERS, who=wang, at=LAST_ROUND)
    save_response(other, folder / response_filename("局办公室", "李四", checklist.id))
    # 王五's own file, answered under a checklist nobody has.
    unknown = msgspec.structs.replace(
        other,
        checklist=msgspec.structs.replace(other.checklist, sha256="0" * 64),
    )
    save_response(unknown, folder / response_filename("财务科", "王五", checklist.id))
    (folder / "坏.json").write_text("{不是 JSON", encoding="utf-8")
    prepared = serve_with_previous(tmp_path, folder)
    notes = "\n".join(prepared.previous_notes)
    assert "名单上 1 人有上一轮答卷" in notes
    assert "不是本次填写人 局办公室 李四 的" in notes
    assert "找不到" in notes and "财务科 王五 不带入上一轮问题" in notes
    assert "坏.json" in notes and "无法读取" in notes
    assert set(prepared.app.config.previous) == {"局办公室\x1f张局长"}
    for name in ("李四", "王五"):
        _, page = login(prepared, name)
        assert "/form/previous" not in str(page.url)


def test_serve_command_accepts_previous(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli_app, ["serve", "--help"], env={"COLUMNS": "200"})
    assert "--previous" in result.output


def test_a_renamed_last_round_file_is_matched_by_the_cleaned_name_and_unit(
    tmp_path: Path,
) -> None:
    """Last round's file renamed by hand, and its name typed with a space: it is still his
    (the roster's key and the response's are cleaned the same way, as the summary does)."""
    checklist = builtin_checklist()
    folder = tmp_path / "上一轮"
    folder.mkdir()
    spaced = msgspec.structs.replace(ZHANG, name="张 局长", unit=" 局办公室 ")
    last = make_response(checklist, LAST_ANSWERS, who=spaced, at=LAST_ROUND)
    save_response(last, folder / "张局长（去年）.json")
    served = serve_with_previous(tmp_path, folder)
    _, page = login(served, "张局长")
    assert str(page.url).endswith("/form/previous")
