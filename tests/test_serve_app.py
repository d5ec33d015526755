"""``selfcheck serve`` through Starlette's TestClient: the walk, the files, the admin page."""

from __future__ import annotations

import json
import re
import stat
import warnings
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from serve_kit import (
    hidden,
    hidden_questions,
    link_path,
    page_fields,
    read_links,
    text_of,
    visible_part,
    write_roster,
)

from selfcheck.response import load_response, response_filename

warnings.filterwarnings("ignore", message=".*httpx2.*")

from starlette.testclient import TestClient  # noqa: E402

from selfcheck.serve.command import Prepared, ServeOptions, prepare  # noqa: E402

BASE = "http://127.0.0.1:8000"


@pytest.fixture
def served(tmp_path: Path) -> Prepared:
    """A prepared server for three people, links in ``tmp_path/链接.csv``."""
    roster = write_roster(tmp_path)
    return prepare(
        ServeOptions(folder=tmp_path / "答卷", roster=roster, links=tmp_path / "链接.csv")
    )


def client(served: Prepared) -> TestClient:
    return TestClient(served.app.asgi, base_url=BASE, raise_server_exceptions=False)


def login(served: Prepared, name: str) -> tuple[TestClient, Any]:
    """A browser that opened ``name``'s link; returns it and the first page."""
    links = read_links(served.links_path)
    browser = client(served)
    page = browser.get(link_path(links[name]), follow_redirects=True)
    assert page.status_code == 200
    return browser, page


def post_item(browser: TestClient, page: Any, number: int, go: str, **answers: Any) -> Any:
    data: dict[str, Any] = {**page_fields(page.text), "go": go}
    data.update({f"a.{k}": v for k, v in answers.items()})
    return browser.post(f"/form/item/{number}", data=data)


PROBLEM = {
    "rating": "some",
    "manifestation": "在审批窗口工作中，对群众来办的事项解释不够耐心，\n\n有时让群众多跑了一趟。",
    "cause": "宗旨意识不强，服务意识淡薄。",
    "measure": "建立首问负责和一次性告知制度。",
    "deadline": "2009-03-31",
}


def fill_all(browser: TestClient, page: Any) -> Any:
    """Answer every item of the walk from wherever ``page`` is: problems in odd items.

    A post that reveals follow-ups (a rating, then a cause) stays on the item; the
    same answers are posted again until the walk moves on.
    """
    posts = 0
    while "/form/review" not in str(page.url):
        number = int(hidden(page.text, "item"))
        answers = PROBLEM if number % 2 else {"rating": "good"}
        page = post_item(browser, page, number, "next", **answers)
        assert page.status_code == 200, text_of(page.text)[:400]
        posts += 1
        assert posts < 80
    return page


def test_the_form_shows_one_item_with_labels_progress_and_buttons(served: Prepared) -> None:
    _, page = login(served, "张局长")
    assert str(page.url).endswith("/form/item/1")
    html = page.text
    assert "第 1/15 项" in html
    assert "思想作风（三查三看）" in html
    assert "查满足现状、不思进取的思想认识根源" in html
    assert "看自满思想是否真正克服" in html
    for word in ("上一项", "下一项", "保存"):
        assert f">{word}</button>" in html
    assert "<legend>对照这一条，你的自我评价是" in html
    assert html.count('type="radio" name="a.rating"') == 4
    assert 'name="viewport"' in html
    # the follow-ups are on the page, hidden and disabled (not posted) until a rating asks them
    assert 'name="a.manifestation"' not in visible_part(html)
    assert "manifestation" in hidden_questions(html)
    assert re.search(r'<textarea id="f-manifestation"[^>]* disabled>', html)
    assert hidden(html, "shown") == "rating"


def test_a_problem_rating_reveals_the_follow_ups_each_with_a_label(served: Prepared) -> None:
    browser, page = login(served, "张局长")
    page = post_item(browser, page, 1, "next", rating="serious")
    assert page.status_code == 200
    assert page.url.path == "/form/item/1"  # stays: new questions to answer
    assert "新出现的内容" in page.text
    shown = visible_part(page.text)
    for prompt in ("具体表现", "原因剖析", "群众意见", "整改措施", "整改时限"):
        assert f">{prompt}" in shown
    assert shown.count("<label for=") == 5
    for name in ("manifestation", "cause", "opinion", "measure", "deadline"):
        assert shown.count(f'name="a.{name}"') == 1, name  # one control per answer


def test_a_date_says_its_format_once_with_an_example_after_today(
    served: Prepared, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SELFCHECK_TODAY", "2026-12-04")
    browser, page = login(served, "张局长")
    shown = visible_part(post_item(browser, page, 1, "next", rating="serious").text)
    assert shown.count("日期，如") == 1  # not the checklist's help with a 2009 example too
    assert "日期，如 2027-02-28、2027/2/28 或 2027年2月28日" in shown


def test_drafts_and_responses_have_the_names_and_format_run_writes(served: Prepared) -> None:
    folder = served.app.files.folder
    browser, page = login(served, "张局长")
    page = post_item(browser, page, 1, "next", rating="good")
    draft = folder / response_filename("局办公室", "张局长", "zuofeng-2008", draft=True)
    saved = load_response(draft)
    assert saved.status == "draft"
    assert saved.answers == {"thinking-1": {"rating": "good"}}
    assert saved.cursor == "thinking-2"
    assert saved.respondent.role == "leader"
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600
    assert "已保存" in page.text
    page = fill_all(browser, browser.get("/form"))
    done = browser.post(
        "/form/submit",
        data={"csrf": page_fields(page.text)["csrf"], "base": page_fields(page.text)["base"]},
    )
    assert str(done.url).endswith("/form/done")
    final = folder / response_filename("局办公室", "张局长", "zuofeng-2008")
    response = load_response(final)
    assert response.status == "submitted"
    assert len(response.answers) == 15
    assert response.answers["thinking-3"]["manifestation"] == PROBLEM["manifestation"]
    assert response.answers["thinking-1"] == {"rating": "good"}
    assert not draft.exists()


def test_resume_goes_back_to_where_he_stopped_in_another_browser(served: Prepared) -> None:
    browser, page = login(served, "张局长")
    page = post_item(browser, page, 1, "next", rating="good")
    page = post_item(browser, page, 2, "next", rating="basic")
    other, page2 = login(served, "张局长")
    assert str(page2.url).endswith("/form/item/3")
    back = other.get("/form/item/2")
    assert 'value="basic" checked' in back.text


def test_review_gives_the_engine_warnings_and_submit_offers_downloads(served: Prepared) -> None:
    browser, page = login(served, "张局长")
    number = 1
    while "/form/review" not in str(page.url):
        page = post_item(browser, page, number, "next", rating="good")
        number += 1
    review = page.text
    assert "核对并提交" in review
    # nothing found anywhere: the engine's one whole-material warning, as in the terminal
    assert review.count("整份材料没有查摆出任何问题") == 1
    fields = page_fields(review)
    done = browser.post("/form/submit", data={"csrf": fields["csrf"], "base": fields["base"]})
    assert "已提交" in done.text
    docx = browser.get("/form/report.docx")
    assert docx.status_code == 200
    assert docx.content[:2] == b"PK"
    assert "attachment" in docx.headers["content-disposition"]
    html = browser.get("/form/report.html")
    assert "个人对照检查材料" in html.text


def test_reopening_and_resubmitting_records_a_new_submission_time(
    served: Prepared, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selfcheck import clock

    moment = [datetime(2009, 1, 15, 9, 0).astimezone()]
    monkeypatch.setattr(clock, "now", lambda: moment[0])
    browser, page = login(served, "李四")
    page = fill_all(browser, page)
    fields = page_fields(page.text)
    browser.post("/form/submit", data={"csrf": fields["csrf"], "base": fields["base"]})
    final = served.app.files.folder / response_filename("局办公室", "李四", "zuofeng-2008")
    first = load_response(final).submitted_at
    moment[0] += timedelta(hours=3)
    reopened = browser.post("/form/reopen", data={"csrf": fields["csrf"]}, follow_redirects=True)
    assert str(reopened.url).endswith("/form/item/1")
    page = post_item(browser, reopened, 1, "review", rating="good")
    fields = page_fields(page.text)
    browser.post("/form/submit", data={"csrf": fields["csrf"], "base": fields["base"]})
    second = load_response(final)
    assert second.submitted_at == first + timedelta(hours=3)
    assert second.started_at == load_response(final).started_at
    assert second.answers["thinking-1"] == {"rating": "good"}


def test_a_person_without_a_role_on_the_roster_chooses_it(served: Prepared) -> None:
    browser, page = login(served, "王五")
    assert str(page.url).endswith("/form/role")
    assert "一般干部" in page.text
    page = browser.post("/form/role", data={"csrf": _csrf(page.text), "role": "staff"})
    assert str(page.url).endswith("/form/item/1")
    assert "第 1/9 项" in page.text  # staff: no 领导作风


def _csrf(html: str) -> str:
    return hidden(html, "csrf")


def test_admin_page_lists_states_against_the_roster(served: Prepared) -> None:
    browser, page = login(served, "张局长")
    post_item(browser, page, 1, "next", rating="good")
    admin = client(served)
    page = admin.get(link_path(served.admin_link), follow_redirects=True)
    text = text_of(page.text)
    assert "应参加 3 人：已提交 0 人，仅有草稿 1 人，未填写 2 人" in text
    summary = admin.get("/admin/summary")
    assert summary.status_code == 200
    assert "汇总" in summary.text


def test_reissued_link_replaces_the_old_one_everywhere(served: Prepared) -> None:
    old_link = read_links(served.links_path)["李四"]
    browser, _ = login(served, "李四")
    admin = client(served)
    page = admin.get(link_path(served.admin_link), follow_redirects=True)
    page = admin.post(
        "/admin/reissue", data={"csrf": _csrf(page.text), "person": "2", "confirm": "1"}
    )
    new_link = read_links(served.links_path)["李四"]
    assert new_link != old_link
    assert new_link in page.text
    assert browser.get("/form").status_code == 403  # the cookie holds the old token
    assert client(served).get(link_path(old_link)).status_code == 403
    assert client(served).get(link_path(new_link), follow_redirects=True).status_code == 200


def test_links_csv_and_printable_notice(served: Prepared) -> None:
    links = read_links(served.links_path)
    assert set(links) == {"张局长", "李四", "王五"}
    header = served.links_path.read_text(encoding="utf-8-sig").splitlines()[0]
    for column in ("姓名", "单位", "链接"):
        assert column in header
    notice = served.links_path.with_name("链接-通知.html").read_text(encoding="utf-8")
    assert notice.count('class="slip"') == 3
    for link in links.values():
        assert link in notice
    assert stat.S_IMODE(served.links_path.stat().st_mode) == 0o600


def test_restart_keeps_the_links_and_issues_only_new_ones(tmp_path: Path) -> None:
    roster = write_roster(tmp_path)
    options = ServeOptions(folder=tmp_path / "d", roster=roster, links=tmp_path / "l.csv")
    first = prepare(options)
    links = read_links(first.links_path)
    first.app.audit.close()
    write_roster(tmp_path, roster.read_text(encoding="utf-8") + "赵六,财务科,科长,一般干部\n")
    second = prepare(options)
    assert second.new_links == 1
    again = read_links(second.links_path)
    assert {k: again[k] for k in links} == links
    assert client(second).get(link_path(links["李四"]), follow_redirects=True).status_code == 200
    assert first.admin_link != second.admin_link


def test_tokens_are_stored_only_as_hashes(served: Prepared) -> None:
    state = served.app.tokens.path
    text = state.read_text(encoding="utf-8")
    for link in read_links(served.links_path).values():
        token = link.rsplit("/", 1)[1]
        assert len(token) >= 22  # at least 128 bits of base64
        assert token not in text
    assert served.admin_link.rsplit("/", 1)[1] not in text
    assert stat.S_IMODE(state.stat().st_mode) == 0o600


def test_audit_log_records_saves_without_text(served: Prepared) -> None:
    browser, page = login(served, "张局长")
    page = post_item(browser, page, 1, "stay", rating="some")
    post_item(browser, page, 1, "next", **PROBLEM)
    lines = [json.loads(x) for x in served.app.audit.path.read_text("utf-8").splitlines()]
    saves = [x for x in lines if x["event"] == "save"]
    assert saves[0]["item"] == "thinking-1"
    assert saves[0]["name"] == "张局长"
    assert "manifestation" in saves[1]["questions"]
    log = served.app.audit.path.read_text("utf-8")
    assert "审批窗口" not in log
    assert "宗旨意识" not in log


def test_summary_counts_people_who_submitted_in_the_browser(
    served: Prepared, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from selfcheck.cli import app

    browser, page = login(served, "张局长")
    page = fill_all(browser, page)
    fields = page_fields(page.text)
    browser.post("/form/submit", data={"csrf": fields["csrf"], "base": fields["base"]})
    out = tmp_path / "s.json"
    result = CliRunner().invoke(
        app, ["summary", str(served.app.files.folder), "--format", "json", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["figures"]["respondents"] == 1
    assert data["figures"]["by_role"]["leader"] == 1
    assert data["figures"]["problems"] == 8  # the odd items of 15


def test_after_submitting_pages_show_the_submission_and_no_blank_draft_hides_it(
    served: Prepared,
) -> None:
    folder = served.app.files.folder
    draft = folder / response_filename("局办公室", "李四", "zuofeng-2008", draft=True)
    browser, page = login(served, "李四")
    page = fill_all(browser, page)
    stale = browser.get("/form/item/1")  # a tab left open on item 1
    fields = page_fields(page.text)
    browser.post("/form/submit", data={"csrf": fields["csrf"], "base": fields["base"]})
    assert not draft.exists()
    # Back to an item (the browser refetches: no-store) goes to the submission
    again = browser.get("/form/item/1", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == "/form/done"
    assert again.headers["cache-control"] == "no-store"
    review = browser.get("/form/review")
    assert "您已于" in review.text and "提交，下面是提交的答案" in review.text
    assert PROBLEM["cause"] in review.text
    assert "没有完成" not in review.text and "未填写" not in review.text
    assert "<h1>已提交的答案</h1>" in review.text and ">修改</a>" not in review.text
    # the tab left open saves nothing: no blank draft in front of the submission
    typed = {**page_fields(stale.text), "item": "1", "go": "stay", "a.rating": "basic"}
    autosave = browser.post("/form/save", data=typed)
    assert autosave.status_code == 409
    assert "修改答案" in autosave.json()["message"] and autosave.json()["stop"] is True
    posted = browser.post("/form/item/1", data={**typed, "a.rating": "serious"})
    assert posted.status_code == 409 and "修改答案" in posted.text
    assert 'value="serious" checked' in posted.text  # what he chose is still on the page
    resubmit = browser.post("/form/submit", data={"csrf": fields["csrf"], "base": ""})
    assert str(resubmit.url).endswith("/form/done")
    assert not draft.exists()
    done = browser.get("/form/done")
    assert "修改答案" in done.text
    assert (
        load_response(folder / response_filename("局办公室", "李四", "zuofeng-2008")).answers[
            "thinking-1"
        ]
        == PROBLEM
    )


def test_every_form_post_answers_with_a_redirect_so_a_reload_never_posts_again(
    served: Prepared,
) -> None:
    browser, page = login(served, "张局长")

    def post(**answers: Any) -> Any:
        data = {**page_fields(page.text), "go": "next"}
        data.update({f"a.{k}": v for k, v in answers.items()})
        return browser.post("/form/item/1", data=data, follow_redirects=False)

    revealed = post(rating="some")
    assert revealed.status_code == 303
    assert revealed.headers["location"] == "/form/item/1?notice=more"
    page = browser.get(revealed.headers["location"])
    assert "新出现的内容" in page.text
    saved = post(rating="some", manifestation="会议多。", measure="多调研。")
    assert saved.status_code == 303 and saved.headers["location"] == "/form/item/2?saved=1"
    page = browser.get("/form/item/1")
    emptied = post(rating="some", manifestation="", measure="多调研。")
    assert emptied.status_code == 303
    assert emptied.headers["location"] == "/form/item/1?notice=problems&kept=manifestation"
    again = browser.get(emptied.headers["location"])
    assert "这一题必须回答，原来的答案未被清除。" in again.text
    assert "会议多。</textarea>" in again.text
    submit = browser.post("/form/submit", data={**page_fields(again.text)}, follow_redirects=False)
    assert submit.status_code == 303
    assert submit.headers["location"] == "/form/review?notice=incomplete"
    assert "还有没有完成的内容，本次没有提交。" in browser.get(submit.headers["location"]).text


def test_two_tabs_merge_field_by_field_and_a_real_clash_keeps_both_texts(
    served: Prepared,
) -> None:
    browser, page = login(served, "张局长")
    post_item(browser, page, 1, "stay", rating="some")
    first = browser.get("/form/item/1")
    post_item(
        browser, first, 1, "stay", rating="some", manifestation="原始表现。", measure="原始措施。"
    )
    tab_a, tab_b = browser.get("/form/item/1"), browser.get("/form/item/1")

    def autosave(tab: Any, **changes: str) -> Any:
        data = {**page_fields(tab.text), "item": "1", "go": "stay", "a.rating": "some"}
        data |= {"a.manifestation": "原始表现。", "a.measure": "原始措施。"}
        data |= {f"a.{k}": v for k, v in changes.items()}
        return browser.post("/form/save", data=data)

    assert autosave(tab_a, manifestation="原始表现。A窗口补充。").json()["ok"]
    # tab B still holds the old 具体表现 and changes only 整改措施: both edits stay
    reply = autosave(tab_b, measure="原始措施。B窗口补充。")
    assert reply.status_code == 200 and reply.json()["ok"]
    saved = load_response(
        served.app.files.folder
        / response_filename("局办公室", "张局长", "zuofeng-2008", draft=True)
    )
    assert saved.answers["thinking-1"]["manifestation"] == "原始表现。A窗口补充。"
    assert saved.answers["thinking-1"]["measure"] == "原始措施。B窗口补充。"
    # tab B now changes 具体表现 too, which tab A changed since: nothing is overwritten
    clash = autosave(tab_b, manifestation="原始表现。B也改了。", measure="原始措施。B窗口补充。")
    assert clash.status_code == 409
    assert clash.json()["conflicts"] == ["manifestation"]
    assert "“具体表现”刚在别处" in clash.json()["message"]
    data = {**page_fields(tab_b.text), "go": "stay", "a.rating": "some"}
    data |= {"a.manifestation": "原始表现。B也改了。", "a.measure": "原始措施。B窗口补充。"}
    page = browser.post("/form/item/1", data=data)
    assert page.history[0].headers["location"] == "/form/item/1?notice=conflict"
    assert "原始表现。B也改了。</textarea>" in page.text  # his text, in the box
    assert "原始表现。A窗口补充。" in page.text  # and what is saved, beside it
    assert "原始措施。B窗口补充。</textarea>" in page.text
    draft = served.app.files.folder / response_filename(
        "局办公室", "张局长", "zuofeng-2008", draft=True
    )
    assert load_response(draft).answers["thinking-1"]["manifestation"] == "原始表现。A窗口补充。"
    # having seen both, 保存 on the page he now has saves what is in the box
    post_item(
        browser,
        page,
        1,
        "stay",
        rating="some",
        manifestation="原始表现。A窗口补充。B也改了。",
        measure="原始措施。B窗口补充。",
    )
    final = load_response(draft)
    assert final.answers["thinking-1"]["manifestation"] == "原始表现。A窗口补充。B也改了。"
    assert final.unfinished == {}


def test_reissuing_asks_first_and_a_reload_shows_the_new_link_without_reissuing(
    served: Prepared,
) -> None:
    old_link = read_links(served.links_path)["李四"]
    admin = client(served)
    page = admin.get(link_path(served.admin_link), follow_redirects=True)
    assert 'href="/admin/reissue?person=2"' in page.text  # a link to a question, no POST
    ask = admin.get("/admin/reissue?person=2")
    assert "为 局办公室 李四 重新生成链接？" in ask.text and "旧链接立即作废" in ask.text
    assert read_links(served.links_path)["李四"] == old_link  # asking changes nothing
    unconfirmed = admin.post(
        "/admin/reissue", data={"csrf": _csrf(ask.text), "person": "2"}, follow_redirects=False
    )
    assert unconfirmed.headers["location"] == "/admin/reissue?person=2"
    assert read_links(served.links_path)["李四"] == old_link
    done = admin.post(
        "/admin/reissue",
        data={**page_fields(ask.text), "person": "2", "confirm": "1"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].startswith("/admin?issued=")
    new_link = read_links(served.links_path)["李四"]
    assert new_link != old_link
    for _ in range(2):  # the page it goes to, then F5
        shown = admin.get(done.headers["location"])
        assert new_link in shown.text
    assert read_links(served.links_path)["李四"] == new_link  # not reissued again
    assert client(served).get(link_path(new_link), follow_redirects=True).status_code == 200
    assert new_link not in admin.get("/admin").text


def test_a_chosen_role_can_be_changed_before_submitting_and_the_engine_picks_the_items(
    served: Prepared,
) -> None:
    folder = served.app.files.folder
    draft = folder / response_filename("财务科", "王五", "zuofeng-2008", draft=True)
    browser, page = login(served, "王五")
    page = browser.post("/form/role", data={"csrf": _csrf(page.text), "role": "staff"})
    page = post_item(browser, page, 1, "next", rating="good")
    review = browser.get("/form/review")
    assert 'href="/form/role"' in review.text and "身份：一般干部" in review.text
    ask = browser.get("/form/role")
    assert 'value="staff" checked' in ask.text and "更改身份" in ask.text
    # staff → leader: every answer stays, the leader's items are added
    page = browser.post(
        "/form/role", data={**page_fields(ask.text), "role": "leader"}, follow_redirects=True
    )
    assert "第 1/15 项" in page.text
    moved = load_response(draft)
    assert moved.respondent.role == "leader"
    assert moved.answers["thinking-1"] == {"rating": "good"}
    # answer a 领导作风 item, then back to staff: asked to confirm, listing what goes
    number = next(
        n
        for n in range(1, 16)
        if '<span class="section">领导作风' in browser.get(f"/form/item/{n}").text
    )
    post_item(browser, browser.get(f"/form/item/{number}"), number, "stay", rating="good")
    ask = browser.get("/form/role")
    asked = browser.post(
        "/form/role", data={**page_fields(ask.text), "role": "staff"}, follow_redirects=False
    )
    assert asked.headers["location"] == "/form/role?to=staff"
    confirm = browser.get(asked.headers["location"])
    assert "确认改为“一般干部”？" in confirm.text and "领导作风" in confirm.text
    assert load_response(draft).respondent.role == "leader"  # nothing changed yet
    browser.post("/form/role", data={**page_fields(confirm.text), "role": "staff", "confirm": "1"})
    back = load_response(draft)
    assert back.respondent.role == "staff"
    assert back.answers["thinking-1"] == {"rating": "good"}
    assert not any(k.startswith("leadership") for k in back.answers)
    # once submitted, the role is the submission's
    page = fill_all(browser, browser.get("/form"))
    fields = page_fields(page.text)
    browser.post("/form/submit", data={"csrf": fields["csrf"], "base": fields["base"]})
    assert str(browser.get("/form/role").url).endswith("/form/done")
    assert 'href="/form/role"' not in browser.get("/form/review").text


def test_a_role_given_by_the_roster_cannot_be_changed(served: Prepared) -> None:
    browser, page = login(served, "李四")
    assert 'href="/form/role"' not in page.text
    again = browser.get("/form/role", follow_redirects=False)
    assert again.status_code == 303
    refused = browser.post("/form/role", data={"csrf": _csrf(page.text), "role": "leader"})
    assert "第 1/9 项" in refused.text  # still staff's 9 items


def test_every_typed_field_has_a_maxlength_and_a_full_page_fits_one_post(
    served: Prepared,
) -> None:
    from selfcheck.serve.security import FORM_BYTES_PER_CHAR, MAX_BODY_BYTES

    browser, page = login(served, "张局长")
    page = post_item(browser, page, 1, "stay", rating="some", cause="有原因。")
    limits = dict(re.findall(r'name="a\.([a-z_]+)"[^>]*? maxlength="(\d+)"', page.text))
    assert set(limits) == {"manifestation", "cause", "verdict", "opinion", "measure", "deadline"}
    assert limits["verdict"] == "20"  # the checklist's own max_length
    assert "最多 7000 字" in page.text
    assert sum(int(v) for v in limits.values()) * FORM_BYTES_PER_CHAR < MAX_BODY_BYTES
    full = {q: "满" * int(n) for q, n in limits.items() if q not in ("deadline", "verdict")}
    # each line break of a textarea is posted as CR LF: the worst a character costs
    full["measure"] = "满\n" * (int(limits["measure"]) // 2)
    saved = post_item(
        browser,
        page,
        1,
        "stay",
        rating="some",
        cause_category="ideals",
        verdict="理" * 20,
        deadline="2099年12月31日",
        **full,
    )
    assert saved.status_code == 200, text_of(saved.text)[:300]
    answers = load_response(
        served.app.files.folder
        / response_filename("局办公室", "张局长", "zuofeng-2008", draft=True)
    ).answers["thinking-1"]
    assert len(answers["manifestation"]) == int(limits["manifestation"])
