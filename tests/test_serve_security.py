"""``selfcheck serve`` under attack and bad input: a Chinese page, nothing saved is lost."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
from serve_kit import hidden, link_path, page_fields, read_links, text_of, write_roster

from selfcheck.response import load_response, response_filename, save_response

warnings.filterwarnings("ignore", message=".*httpx2.*")

from starlette.testclient import TestClient  # noqa: E402

from selfcheck.serve.command import Prepared, ServeOptions, prepare  # noqa: E402

BASE = "http://127.0.0.1:8000"
CHINESE_PAGE = '<html lang="zh-CN">'


@pytest.fixture
def served(tmp_path: Path) -> Prepared:
    roster = write_roster(tmp_path)
    return prepare(ServeOptions(folder=tmp_path / "d", roster=roster, links=tmp_path / "l.csv"))


def client(served: Prepared) -> TestClient:
    return TestClient(served.app.asgi, base_url=BASE, raise_server_exceptions=False)


def login(served: Prepared, name: str) -> tuple[TestClient, Any]:
    browser = client(served)
    page = browser.get(link_path(read_links(served.links_path)[name]), follow_redirects=True)
    assert page.status_code == 200
    return browser, page


def draft_of(served: Prepared, unit: str, name: str) -> Path:
    return served.app.files.folder / response_filename(unit, name, "zuofeng-2008", draft=True)


def save_first(served: Prepared) -> tuple[TestClient, Any]:
    """张局长 answered item 1 with a problem; returns his browser and item 1's page."""
    browser, page = login(served, "张局长")
    data = {**page_fields(page.text), "go": "stay", "a.rating": "some"}
    page = browser.post("/form/item/1", data=data)
    data = {
        **page_fields(page.text),
        "go": "stay",
        "a.rating": "some",
        "a.manifestation": "原来的具体表现，已经保存的内容，不能丢。",
        "a.measure": "措施",
    }
    page = browser.post("/form/item/1", data=data, follow_redirects=True)
    assert page.status_code == 200
    return browser, page


def kept(served: Prepared) -> str:
    answers = load_response(draft_of(served, "局办公室", "张局长")).answers
    return str(answers["thinking-1"]["manifestation"])


# ------------------------------------------------------------------ tokens


def test_a_token_reaches_only_its_own_draft(served: Prepared) -> None:
    save_first(served)
    other, page = login(served, "李四")
    assert "李四" in page.text
    assert "张局长" not in page.text
    assert "原来的具体表现" not in other.get("/form/item/1").text
    assert "原来的具体表现" not in other.get("/form/review").text
    assert other.get("/form/report.docx").status_code == 404  # 李四 has not submitted
    # A person's cookie is not the committee's
    assert other.get("/admin").status_code == 403
    # and a person cannot post with another person's CSRF token
    mine, his = login(served, "张局长")
    data = {**page_fields(his.text), "go": "stay", "a.rating": "good"}
    data["csrf"] = hidden(page.text, "csrf")  # 李四's
    assert mine.post("/form/item/1", data=data).status_code == 403
    assert kept(served).startswith("原来的")


@pytest.mark.parametrize(
    "path",
    ["/t/notatoken", "/t/" + "A" * 43, "/t/" + "%00" * 10, "/a/" + "B" * 43, "/t/" + "é" * 43],
)
def test_unknown_and_malformed_tokens_get_a_chinese_refusal(served: Prepared, path: str) -> None:
    page = client(served).get(path)
    assert page.status_code in (403, 404)
    assert CHINESE_PAGE in page.text
    assert "Traceback" not in page.text


def test_person_links_do_not_open_the_admin_page(served: Prepared) -> None:
    link = read_links(served.links_path)["张局长"]
    token = link.rsplit("/", 1)[1]
    assert client(served).get(f"/a/{token}").status_code == 403


def test_repeated_wrong_tokens_are_blocked(served: Prepared) -> None:
    browser = client(served)
    for _ in range(10):
        assert browser.get("/t/" + "x" * 43).status_code == 403
    blocked = browser.get("/t/" + "y" * 43)
    assert blocked.status_code == 429
    assert "尝试次数过多" in blocked.text
    # a right token is no guess: the others behind the same address are not locked out
    good = link_path(read_links(served.links_path)["李四"])
    assert browser.get(good, follow_redirects=False).status_code == 303
    assert browser.get("/form/item/1").status_code == 200
    admin = client(served)
    assert admin.get(link_path(served.admin_link), follow_redirects=True).status_code == 200
    assert browser.get("/t/" + "z" * 43).status_code == 429  # guesses still wait


def test_a_tab_left_open_after_its_link_was_reissued_never_blocks_the_office(
    served: Prepared,
) -> None:
    import json

    browser, page = save_first(served)
    old_cookie = browser.cookies["sc_person"]
    fields = {**page_fields(page.text), "item": "1", "go": "stay", "a.rating": "some"}
    served.app.tokens.issue([served.app.people[0].key])  # the committee reissues his link
    for _ in range(15):  # the old tab keeps autosaving with its old cookie
        refused = client(served).post(
            "/form/save", data=fields, headers={"cookie": f"sc_person={old_cookie}"}
        )
        assert refused.status_code == 403
        assert "已由机关党委重新生成" in refused.text
    for name in ("李四", "王五"):  # colleagues at the same address
        login(served, name)
    admin = client(served)
    assert admin.get(link_path(served.admin_link), follow_redirects=True).status_code == 200
    assert kept(served).startswith("原来的")
    events = [json.loads(x) for x in served.app.audit.path.read_text("utf-8").splitlines()]
    old = [e for e in events if e["event"] == "old-token"]
    assert len(old) == 15 and old[0]["name"] == "张局长" and old[0]["where"] == "cookie"
    assert not [e for e in events if e["event"] == "bad-token"]


def test_reissue_invalidates_the_old_token_and_its_csrf(served: Prepared) -> None:
    browser, page = save_first(served)
    stale = page_fields(page.text)
    served.app.tokens.issue([served.app.people[0].key])
    refused = browser.post("/form/item/1", data={**stale, "go": "stay", "a.rating": "good"})
    assert refused.status_code == 403
    assert "失效" in refused.text
    assert kept(served).startswith("原来的")


# -------------------------------------------------------------------- CSRF


@pytest.mark.parametrize("csrf", [None, "", "0" * 40, "不是令牌"])
def test_posts_without_the_right_csrf_token_are_refused(served: Prepared, csrf: str | None) -> None:
    browser, page = save_first(served)
    data = {
        **page_fields(page.text),
        "go": "stay",
        "a.rating": "some",
        "a.manifestation": "伪造的提交",
    }
    if csrf is None:
        del data["csrf"]
    else:
        data["csrf"] = csrf
    refused = browser.post("/form/item/1", data=data)
    assert refused.status_code == 403
    assert "安全校验未通过" in refused.text
    assert kept(served).startswith("原来的")
    for path in ("/form/submit", "/form/reopen", "/form/save", "/form/role"):
        assert browser.post(path, data={"csrf": csrf or ""}).status_code == 403


def test_admin_posts_need_the_admin_csrf_token(served: Prepared) -> None:
    admin = client(served)
    admin.get(link_path(served.admin_link))
    old = read_links(served.links_path)["李四"]
    assert admin.post("/admin/reissue", data={"person": "2"}).status_code == 403
    assert admin.post("/admin/close", data={"closed": "1"}).status_code == 403
    assert read_links(served.links_path)["李四"] == old
    assert not served.app.tokens.closed


# ----------------------------------------------------------------- headers


def test_pages_carry_a_strict_csp_no_framing_and_no_caching(served: Prepared) -> None:
    browser, page = login(served, "张局长")
    for response in (page, browser.get("/form/review"), client(served).get("/t/bad")):
        headers = response.headers
        assert "default-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["cache-control"] == "no-store"
        assert headers["x-content-type-options"] == "nosniff"
    cookie = page.history[0].headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "<script" not in page.text.replace('<script src="/static/serve.js" defer>', "")


# ------------------------------------------------------------- hostile text

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>"\'&'


def test_script_in_answers_is_escaped_everywhere_it_is_shown(served: Prepared) -> None:
    browser, page = login(served, "张局长")
    data = {**page_fields(page.text), "go": "stay", "a.rating": "some"}
    page = browser.post("/form/item/1", data=data)
    data = {
        **page_fields(page.text),
        "go": "stay",
        "a.rating": "some",
        "a.manifestation": SCRIPT + "在工作中存在拖拉现象，群众有意见。",
        "a.measure": SCRIPT,
        "a.cause": SCRIPT,
    }
    page = browser.post("/form/item/1", data=data, follow_redirects=True)
    for html in (page.text, browser.get("/form/review").text):
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;alert(" in html


# -------------------------------------------------------------- bad input


def test_an_oversized_body_is_refused_and_nothing_is_lost(served: Prepared) -> None:
    browser, page = save_first(served)
    data = {
        **page_fields(page.text),
        "go": "stay",
        "a.rating": "some",
        "a.manifestation": "长" * 200_000,
    }
    refused = browser.post("/form/item/1", data=data)
    assert refused.status_code == 413
    assert "超过了 256 KB（约 2.9 万个汉字），这次没有保存" in refused.text
    autosave = browser.post("/form/save", data={**data, "item": "1"})
    assert autosave.status_code == 413
    assert "约 2.9 万个汉字" in autosave.json()["message"]  # the page's status line says so
    assert kept(served).startswith("原来的")


def test_a_streamed_oversized_body_is_cut_off(served: Prepared) -> None:
    browser, page = save_first(served)

    def chunks() -> Any:
        yield ("csrf=" + page_fields(page.text)["csrf"] + "&a.manifestation=").encode()
        for _ in range(400):
            yield b"x" * 1024

    refused = browser.post(
        "/form/item/1",
        content=chunks(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert refused.status_code == 413
    assert kept(served).startswith("原来的")


@pytest.mark.parametrize(
    "path",
    [
        "/static/../.selfcheck-serve/tokens.json",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2fapp.py",
        "/form/item/../../admin",
        "/form/item/99",
        "/form/item/0",
        "/form/report.json",
        "/d/局办公室-张局长-zuofeng-2008.json",
        "/.selfcheck-serve/tokens.json",
    ],
)
def test_path_traversal_and_unknown_paths_get_a_chinese_404(served: Prepared, path: str) -> None:
    browser, _ = login(served, "张局长")
    page = browser.get(path)
    assert page.status_code in (404, 403)
    assert CHINESE_PAGE in page.text
    assert "secret" not in page.text
    assert "import" not in page.text


def test_static_assets_are_only_the_shipped_ones(served: Prepared) -> None:
    browser = client(served)
    assert browser.get("/static/serve.css").status_code == 200
    assert browser.get("/static/serve.js").status_code == 200
    assert browser.get("/static/item.html.j2").status_code == 404


def test_invalid_utf8_in_a_field_is_refused_not_mangled(served: Prepared) -> None:
    browser, page = save_first(served)
    fields = page_fields(page.text)
    body = (
        f"csrf={fields['csrf']}&base={fields['base']}&shown=rating+manifestation&go=stay"
        "&a.rating=some&a.manifestation=%E4%B8%AD%FF%FE"
    )
    refused = browser.post(
        "/form/item/1",
        content=body.encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert refused.status_code == 400
    assert "UTF-8" in refused.text
    raw = browser.post(
        "/form/item/1",
        content=body.encode().replace(b"%FF%FE", b"\xff\xfe"),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert raw.status_code == 400
    assert kept(served).startswith("原来的")


@pytest.mark.parametrize("value", ["excellent", "1", "做得好", "<b>"])
def test_a_value_not_among_the_options_is_refused(served: Prepared, value: str) -> None:
    browser, page = save_first(served)
    data = {
        **page_fields(page.text),
        "go": "next",
        "a.rating": value,
        "a.manifestation": "原来的具体表现，已经保存的内容，不能丢。",
    }
    answer = browser.post("/form/item/1", data=data)
    assert answer.status_code == 422
    assert "所选内容不在选项中" in answer.text
    assert (
        load_response(draft_of(served, "局办公室", "张局长")).answers["thinking-1"]["rating"]
        == "some"
    )


def test_a_past_deadline_is_refused_with_the_typed_text_kept(served: Prepared) -> None:
    browser, page = save_first(served)
    data = {
        **page_fields(page.text),
        "go": "next",
        "a.rating": "some",
        "a.manifestation": "原来的具体表现，已经保存的内容，不能丢。",
        "a.deadline": "2008-12-01",
    }
    answer = browser.post("/form/item/1", data=data)
    assert answer.history[0].status_code == 303  # to the page: a reload never posts again
    assert answer.url.path == "/form/item/1"
    for page in (answer, browser.get(str(answer.url))):  # and F5 shows the same
        assert "已经过去" in page.text
        assert 'value="2008-12-01"' in page.text  # what he typed stays in the field
    draft = load_response(draft_of(served, "局办公室", "张局长"))
    assert "deadline" not in draft.answers["thinking-1"]
    assert draft.unfinished == {"thinking-1": {"deadline": "2008-12-01"}}  # kept, not an answer
    # the review names it and does not offer 提交 until it is settled
    review = browser.get("/form/review")
    assert "“整改时限”有输入后尚未保存的文字" in review.text


def test_a_draft_changed_on_disk_is_not_overwritten_blindly(served: Prepared) -> None:
    browser, page = save_first(served)
    stale = page_fields(page.text)
    path = draft_of(served, "局办公室", "张局长")
    other = load_response(path)
    from selfcheck.response import replace

    changed = dict(other.answers)
    changed["thinking-1"] = {**changed["thinking-1"], "manifestation": "终端里改过的内容，要保留。"}
    save_response(replace(other, answers=changed), path)  # like `selfcheck run` in a terminal
    data = {**stale, "go": "next", "a.rating": "some", "a.manifestation": "浏览器里新写的内容"}
    answer = browser.post("/form/item/1", data=data)
    assert answer.history[0].status_code == 303
    assert "被修改过" in answer.text
    assert "浏览器里新写的内容</textarea>" in answer.text  # nothing typed is lost: shown again
    assert "目前保存的内容" in answer.text and "终端里改过的内容，要保留。" in answer.text
    assert kept(served) == "终端里改过的内容，要保留。"
    # saving again from the refreshed page (new base) wins
    again = browser.post(
        "/form/item/1",
        data={
            **page_fields(answer.text),
            "go": "next",
            "a.rating": "some",
            "a.manifestation": "浏览器里新写的内容",
            "a.measure": "措施",
        },
    )
    assert again.status_code == 200
    assert kept(served) == "浏览器里新写的内容"


def test_a_broken_draft_is_set_aside_not_overwritten(served: Prepared) -> None:
    browser, page = save_first(served)
    path = draft_of(served, "局办公室", "张局长")
    path.write_text("{ torn", encoding="utf-8")
    page = browser.get("/form", follow_redirects=True)
    assert page.status_code == 200
    aside = list(path.parent.glob(path.name + ".*.broken"))
    assert aside and aside[0].read_text(encoding="utf-8") == "{ torn"


def test_closed_collection_refuses_changes(served: Prepared) -> None:
    browser, page = save_first(served)
    served.app.tokens.set_closed(True)
    data = {**page_fields(page.text), "go": "next", "a.rating": "good"}
    refused = browser.post("/form/item/1", data=data)
    assert refused.status_code == 403
    assert "已结束收集" in refused.text
    assert "已结束收集" in browser.get("/form/item/1").text
    assert kept(served).startswith("原来的")


def test_a_server_error_is_a_chinese_page_without_traceback(
    served: Prepared, monkeypatch: pytest.MonkeyPatch
) -> None:
    browser, _ = login(served, "张局长")

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("internal detail /secret/path")

    monkeypatch.setattr(served.app.files, "load", boom)
    page = browser.get("/form/item/1")
    assert page.status_code == 500
    assert "服务器出错" in page.text
    assert "secret" not in page.text
    assert "Traceback" not in text_of(page.text)


def test_cli_refuses_a_certificate_without_key(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from selfcheck.cli import app

    roster = write_roster(tmp_path)
    cert = tmp_path / "c.pem"
    cert.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["serve", str(tmp_path / "d"), "--roster", str(roster), "--certfile", str(cert)]
    )
    assert result.exit_code == 1
    assert "--keyfile" in result.output
    assert "Traceback" not in result.output


def test_start_up_names_the_admin_link_the_links_file_and_warns_about_plain_http(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from selfcheck.cli import app

    ran: list[Any] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self: ran.append(self.config))
    roster = write_roster(tmp_path)
    links = tmp_path / "链接.csv"
    result = CliRunner().invoke(
        app,
        [
            "serve",
            str(tmp_path / "d"),
            "--roster",
            str(roster),
            "--links",
            str(links),
            "--host",
            "0.0.0.0",
            "--port",
            "18123",
            "--url",
            "http://10.0.0.5:18123",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "http://10.0.0.5:18123/a/" in result.output
    assert str(links) in result.output
    assert "明文" in result.output
    assert ran[0].host == "0.0.0.0"
    assert ran[0].access_log is False
    assert all(v.startswith("http://10.0.0.5:18123/t/") for v in read_links(links).values())


def test_a_busy_port_is_a_chinese_error(tmp_path: Path) -> None:
    import socket

    from typer.testing import CliRunner

    from selfcheck.cli import app

    roster = write_roster(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(
            app, ["serve", str(tmp_path / "d"), "--roster", str(roster), "--port", str(port)]
        )
    assert result.exit_code == 1
    assert "端口已被占用。是否已经启动过一次？可用 --port 换一个端口。" in result.output
    assert "Address already in use" not in result.output


def test_the_reissue_confirmation_is_the_admins_alone(served: Prepared) -> None:
    """GET /admin/reissue (the page that asks before a link is regenerated) needs the
    admin's cookie like every admin page; a cadre's cookie or none is refused."""
    browser, _ = login(served, "张局长")
    assert browser.get("/admin/reissue?person=2").status_code == 403
    assert client(served).get("/admin/reissue?person=2").status_code == 403
    before = read_links(served.links_path)["李四"]
    admin = client(served)
    admin.get(link_path(served.admin_link))
    asked = admin.get("/admin/reissue?person=2")
    assert asked.status_code == 200 and 'name="csrf"' in asked.text
    assert read_links(served.links_path)["李四"] == before  # asking changes nothing
