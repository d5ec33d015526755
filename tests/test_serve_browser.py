"""A real browser (Debian's chromium, driven by Playwright) walks the whole checklist.

A leader opens his link, types Chinese into every follow-up, pastes a
three-paragraph text, goes back, reloads mid-way, reviews, submits and
downloads the docx; ``selfcheck summary`` then counts him. Screenshots at
1366×768 and at phone width are written to ``$SELFCHECK_SHOTS`` when set.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serve_kit import Server, free_port, read_links, start_server, write_roster

from selfcheck.response import load_response, response_filename

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASTED = (
    "一是调查研究不够深入。下基层多是听汇报、看材料，与一线干部群众面对面交流少。\n"
    "二是联系群众不够经常。对群众反映的问题，有时只转交了事，没有跟踪到底。\n"
    "三是工作作风不够扎实。满足于完成上级布置的任务，主动谋划、开拓创新不够。"
)
TYPED = "在办理群众来信时，存在拖拉现象，个别事项超过了规定时限。"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed")
    roster = write_roster(tmp_path, "姓名,单位,职务,类别\n张局长,局办公室,局长,领导干部\n")
    running = start_server(
        tmp_path / "答卷", roster, tmp_path / "链接.csv", free_port(), tmp_path / "server.log"
    )
    yield running
    running.stop()


def next_item(page: Any, number: int) -> None:
    """下一项; when it revealed more follow-ups (the page stays), 下一项 again."""
    for _ in range(3):
        page.get_by_role("button", name="下一项", exact=True).last.click()
        page.wait_for_load_state()
        if page.locator(".position").count() == 0:
            return  # the review
        if page.locator(".position").inner_text() != f"第 {number}/15 项":
            return
        assert "新出现的内容" in page.locator(".notice").inner_text()
    raise AssertionError(f"stuck at item {number}")


def test_a_leader_walks_the_whole_checklist_in_chromium(server: Server, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    link = read_links(tmp_path / "链接.csv")["张局长"]
    folder = tmp_path / "答卷"
    shots = Path(os.environ.get("SELFCHECK_SHOTS", tmp_path / "shots"))
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        context = browser.new_context(
            viewport={"width": 1366, "height": 768}, locale="zh-CN", accept_downloads=True
        )
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        page = context.new_page()
        page.goto(link)
        expect(page.locator(".position")).to_have_text("第 1/15 项")
        for number in range(1, 16):
            expect(page.locator(".position")).to_have_text(f"第 {number}/15 项")
            if number % 2:
                page.get_by_label("存在一些问题").check()  # the script reloads with follow-ups
                problem = page.get_by_label("具体表现")
                expect(problem).to_be_visible()
                if number == 1:
                    page.screenshot(path=str(shots / "item-1366x768.png"), full_page=True)
                if number == 9:
                    # paste three paragraphs through the clipboard
                    problem.click()
                    page.evaluate("text => navigator.clipboard.writeText(text)", PASTED)
                    page.keyboard.press("Control+V")
                else:
                    problem.press_sequentially(f"第{number}项：{TYPED}")
                page.get_by_label("原因剖析").fill("宗旨意识淡薄，对自己要求不严。")
                page.get_by_label("整改措施").press_sequentially("建立台账，逐件销号。")
                page.get_by_label("整改时限").fill("2009年3月31日")
            else:
                page.get_by_label("做得好").check()
                expect(page.get_by_label("做得好")).to_be_checked()
            if number == 8:
                # back to item 7: what he wrote is there
                page.get_by_role("button", name="上一项").click()
                expect(page.locator(".position")).to_have_text("第 7/15 项")
                problem = page.get_by_label("具体表现")
                expect(problem).to_have_value(f"第7项：{TYPED}")
                # type more, let the autosave run, then reload: nothing lost
                problem.click()
                problem.press("Control+End")
                problem.press_sequentially("另补一句。")
                expect(page.locator("#saved")).to_contain_text("已保存", timeout=10_000)
                page.reload()
                expect(page.get_by_label("具体表现")).to_have_value(f"第7项：{TYPED}另补一句。")
                next_item(page, 7)
                expect(page.locator(".position")).to_have_text("第 8/15 项")
                page.get_by_label("做得好").check()
            next_item(page, number)
        expect(page.locator("h1")).to_have_text("核对并提交")
        body = page.locator("main").inner_text()
        assert "另补一句。" in body
        assert "三是工作作风不够扎实" in body
        page.screenshot(path=str(shots / "review-1366x768.png"), full_page=False)
        page.get_by_role("button", name="提交").click()
        expect(page.locator("h1")).to_have_text("已提交")
        with page.expect_download() as download:
            page.get_by_text("下载 Word 文档").click()
        saved = tmp_path / "下载.docx"
        download.value.save_as(saved)
        phone = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, device_scale_factor=2
        )
        mobile = phone.new_page()
        mobile.goto(link)
        mobile.get_by_role("button", name="修改答案").click()
        expect(mobile.locator(".position")).to_have_text("第 1/15 项")
        mobile.screenshot(path=str(shots / "item-phone.png"), full_page=True)
        browser.close()

    from docx import Document

    document = Document(io.BytesIO(saved.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "个人对照检查材料" in text
    assert TYPED in text
    assert "二是联系群众不够经常" in text

    response = load_response(folder / response_filename("局办公室", "张局长", "zuofeng-2008"))
    assert response.status == "submitted"
    assert response.answers["leadership-2"]["manifestation"] == PASTED  # paragraphs kept
    assert len(response.answers) == 15

    out = tmp_path / "汇总.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "selfcheck",
            "summary",
            str(folder),
            "--roster",
            str(tmp_path / "名单.csv"),
            "--format",
            "json",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(out.read_text(encoding="utf-8"))["figures"]
    assert figures["respondents"] == 1
    assert figures["problems"] == 8
    if "SELFCHECK_SHOTS" not in os.environ:
        shutil.rmtree(shots, ignore_errors=True)


# ------------------------------------------------- the script while typing


def open_item(server: Server, tmp_path: Path, play: Any, number: int = 1, **options: Any) -> Any:
    """A fresh browser at item ``number`` of 张局长's form; ``page.navigations`` lists
    every later load of the page (none may happen while he types)."""
    browser = play.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
    options = {"viewport": {"width": 1000, "height": 800}, **options}
    context = browser.new_context(locale="zh-CN", **options)
    page = context.new_page()
    page.goto(read_links(tmp_path / "链接.csv")["张局长"])
    page.goto(f"{server.base}/form/item/{number}")
    page.wait_for_load_state("networkidle")
    navigations: list[str] = []
    page.on(
        "framenavigated",
        lambda frame: frame == page.main_frame and navigations.append(frame.url),
    )
    page.navigations = navigations
    return page


def draft_answers(tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "答卷" / response_filename("局办公室", "张局长", "zuofeng-2008", draft=True)
    return dict(load_response(path).answers)


def test_a_pause_while_typing_saves_without_reloading_or_losing_focus(
    server: Server, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as play:
        page = open_item(server, tmp_path, play)
        page.get_by_label("存在一些问题").check()
        cause = page.get_by_label("原因剖析")
        expect(cause).to_be_visible()  # shown by the script, the page is not reloaded
        expect(page.locator("#q-cause_category")).to_be_hidden()
        cause.click()
        page.keyboard.type("思想上", delay=60)
        page.wait_for_timeout(1600)  # a pause to think: the autosave runs
        expect(page.locator("#q-cause_category")).to_be_visible()  # asked once there is a cause
        page.keyboard.type("有松懈情绪，满足于完成任务。", delay=60)
        expect(page.locator("#saved")).to_contain_text("已保存", timeout=10_000)
        page.wait_for_timeout(300)
        assert page.navigations == []
        assert page.evaluate("document.activeElement.id") == "f-cause"
        assert cause.input_value() == "思想上有松懈情绪，满足于完成任务。"
        assert draft_answers(tmp_path)["thinking-1"]["cause"] == cause.input_value()
        # the follow-up revealed by the script is posted by the buttons too
        page.get_by_label("具体表现").fill("会议多、调研少。")
        page.get_by_label("宗旨意识").check()
        expect(page.locator("#q-verdict")).to_be_visible()  # asked once there is a category
        page.get_by_label("整改措施").fill("每季度到基层调研两次。")
        page.get_by_role("button", name="下一项", exact=True).last.click()
        expect(page.locator(".position")).to_have_text("第 2/15 项")
        saved = draft_answers(tmp_path)["thinking-1"]
        assert saved["cause_category"] == "purpose"
        assert saved["manifestation"] == "会议多、调研少。"


def test_nothing_is_saved_while_an_input_method_is_composing(
    server: Server, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as play:
        page = open_item(server, tmp_path, play)
        page.get_by_label("存在一些问题").check()
        expect(page.locator("#saved")).to_contain_text("已保存", timeout=10_000)
        page.get_by_label("原因剖析").click()
        cdp = page.context.new_cdp_session(page)
        for typed in ("s", "si", "six", "sixi", "sixia", "sixian", "sixiang"):
            cdp.send(
                "Input.imeSetComposition",
                {"text": typed, "selectionStart": len(typed), "selectionEnd": len(typed)},
            )
            page.wait_for_timeout(120)
        page.wait_for_timeout(2500)  # looking at the candidates
        assert "cause" not in draft_answers(tmp_path)["thinking-1"]
        cdp.send("Input.insertText", {"text": "思想"})  # the candidate chosen
        expect(page.locator("#saved")).to_contain_text("已保存", timeout=10_000)
        page.wait_for_timeout(300)
        assert page.get_by_label("原因剖析").input_value() == "思想"
        assert draft_answers(tmp_path)["thinking-1"]["cause"] == "思想"
        assert page.navigations == []


def test_arrow_keys_in_a_rating_save_without_reloading_or_moving_focus(
    server: Server, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as play:
        page = open_item(server, tmp_path, play)
        page.get_by_label("做得好").focus()
        page.keyboard.press("Space")
        for _ in range(2):
            page.keyboard.press("ArrowDown")
            page.wait_for_timeout(800)
        assert page.evaluate("document.activeElement.value") == "some"
        expect(page.get_by_label("具体表现")).to_be_visible()
        expect(page.locator("#saved")).to_contain_text("已保存", timeout=10_000)
        page.keyboard.press("ArrowUp")
        expect(page.get_by_label("具体表现")).to_be_hidden()
        page.wait_for_timeout(800)
        assert page.evaluate("document.activeElement.value") == "basic"
        assert page.navigations == []
        assert draft_answers(tmp_path)["thinking-1"] == {"rating": "basic"}


def test_without_javascript_the_buttons_still_reveal_and_save(
    server: Server, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as play:
        page = open_item(server, tmp_path, play, java_script_enabled=False)
        page.get_by_label("问题比较突出").check()
        expect(page.get_by_label("具体表现")).to_be_hidden()
        page.get_by_role("button", name="下一项", exact=True).last.click()
        expect(page.locator(".notice")).to_contain_text("新出现的内容")
        page.get_by_label("具体表现").fill("会议多、调研少。")
        page.get_by_label("整改措施").fill("每季度到基层调研两次。")
        page.get_by_role("button", name="下一项", exact=True).last.click()
        expect(page.locator(".position")).to_have_text("第 2/15 项")
        assert draft_answers(tmp_path)["thinking-1"]["manifestation"] == "会议多、调研少。"


def test_back_after_submitting_shows_the_submission_and_keeps_the_edit_button(
    server: Server, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as play:
        page = open_item(server, tmp_path, play)
        for number in range(1, 16):
            expect(page.locator(".position")).to_have_text(f"第 {number}/15 项")
            page.get_by_label("基本做到").check()
            page.get_by_role("button", name="下一项", exact=True).last.click()
        expect(page.locator("h1")).to_have_text("核对并提交")
        page.get_by_role("button", name="提交").click()
        expect(page.locator("h1")).to_have_text("已提交")
        page.go_back()
        expect(page.locator("main")).to_contain_text("下面是提交的答案")
        assert "没有完成" not in page.locator("main").inner_text()
        assert "未填写" not in page.locator("main").inner_text()
        page.go_back()  # item 15, as he left it before going to the review
        expect(page.locator("h1")).to_have_text("已提交")
        expect(page.get_by_role("button", name="修改答案")).to_be_visible()
        page.get_by_role("button", name="修改答案").click()
        expect(page.locator(".position")).to_have_text("第 1/15 项")
        expect(page.get_by_label("基本做到")).to_be_checked()


def test_reloading_after_a_button_shows_the_latest_text_and_posts_nothing_again(
    server: Server, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as play:
        page = open_item(server, tmp_path, play)
        statuses: list[int] = []
        page.on("response", lambda r: statuses.append(r.status) if r.status >= 400 else None)
        page.get_by_label("存在一些问题").check()
        page.get_by_role("button", name="保存", exact=True).click()  # before the autosave
        expect(page.locator(".notice")).to_contain_text("新出现的内容")
        box = page.get_by_label("具体表现")
        box.click()
        box.press_sequentially("会议多、调研少。")
        expect(page.locator("#saved")).to_contain_text("已保存", timeout=10_000)
        page.reload()
        expect(page.get_by_label("具体表现")).to_have_value("会议多、调研少。")
        expect(page.locator(".notice")).to_have_count(0)  # the one-time notice is gone
        page.get_by_role("button", name="保存", exact=True).click()
        expect(page.locator("#saved")).to_contain_text("已保存")
        assert statuses == []
        assert draft_answers(tmp_path)["thinking-1"]["manifestation"] == "会议多、调研少。"


def test_two_tabs_each_keep_what_they_changed(server: Server, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as play:
        tab_a = open_item(server, tmp_path, play)
        tab_a.get_by_label("存在一些问题").check()
        tab_a.get_by_label("具体表现").fill("原始具体表现。")
        tab_a.get_by_label("整改措施").fill("原始整改措施。")
        tab_a.get_by_role("button", name="保存", exact=True).click()
        expect(tab_a.locator("#saved")).to_contain_text("已保存")
        tab_b = tab_a.context.new_page()
        tab_b.goto(f"{server.base}/form/item/1")
        for tab, label, more in (
            (tab_a, "具体表现", "A窗口补充。"),
            (tab_b, "整改措施", "B窗口补充。"),
        ):
            box = tab.get_by_label(label)
            box.click()
            box.press("Control+End")
            tab.keyboard.insert_text(more)
            expect(tab.locator("#saved")).to_contain_text("已保存", timeout=10_000)
        tab_b.get_by_role("button", name="保存", exact=True).click()
        expect(tab_b.locator("#saved")).to_contain_text("已保存")
        expect(tab_b.get_by_label("具体表现")).to_have_value("原始具体表现。A窗口补充。")
        expect(tab_b.get_by_label("整改措施")).to_have_value("原始整改措施。B窗口补充。")
        saved = draft_answers(tmp_path)["thinking-1"]
        assert saved["manifestation"] == "原始具体表现。A窗口补充。"
        assert saved["measure"] == "原始整改措施。B窗口补充。"


def test_the_committee_confirms_a_reissue_and_a_reload_keeps_the_new_link(
    server: Server, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    old = read_links(tmp_path / "链接.csv")["张局长"]
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        admin = browser.new_context(locale="zh-CN").new_page()
        admin.goto(server.admin_link)
        admin.get_by_role("link", name="重新生成").click()
        expect(admin.locator("h1")).to_contain_text("重新生成链接？")
        admin.get_by_role("button", name="确认重新生成").click()
        new = read_links(tmp_path / "链接.csv")["张局长"]
        assert new != old
        expect(admin.locator(".notice code.link")).to_have_text(new)
        admin.reload()
        expect(admin.locator(".notice code.link")).to_have_text(new)
        assert read_links(tmp_path / "链接.csv")["张局长"] == new  # F5 did not reissue
        person = browser.new_context(locale="zh-CN").new_page()
        person.goto(new)
        expect(person.locator(".position")).to_have_text("第 1/15 项")


def test_the_status_line_says_why_an_autosave_cannot_save(server: Server, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as play:
        page = open_item(server, tmp_path, play)
        page.get_by_label("存在一些问题").check()
        expect(page.locator("#saved")).to_contain_text("已保存", timeout=10_000)
        admin = page.context.browser.new_context(locale="zh-CN").new_page()
        admin.goto(server.admin_link)
        admin.get_by_role("button", name="结束收集").click()
        box = page.get_by_label("具体表现")
        box.click()
        page.keyboard.insert_text("结束后又写的字。")
        expect(page.locator("#saved")).to_contain_text("已结束收集", timeout=10_000)
        admin.get_by_role("button", name="重新开放收集").click()
        page.reload()  # a fresh page saves again
        page.get_by_label("具体表现").click()
        page.keyboard.insert_text("重新开放后写的。")
        expect(page.locator("#saved")).to_contain_text("已保存", timeout=10_000)
        admin.get_by_role("link", name="重新生成").click()
        admin.get_by_role("button", name="确认重新生成").click()
        page.keyboard.insert_text("链接重新生成后写的。")
        expect(page.locator("#saved")).to_contain_text("已由机关党委重新生成", timeout=10_000)
        for _ in range(3):  # the page stops saving: it tells once, it does not retry
            page.keyboard.insert_text("又一句。")
            page.wait_for_timeout(1500)
        expect(page.locator("#saved")).to_contain_text("已由机关党委重新生成")
        log = (tmp_path / "答卷" / ".selfcheck-serve" / "audit.log").read_text("utf-8")
        assert log.count('"old-token"') == 1
        assert '"bad-token"' not in log


def test_a_paste_longer_than_a_box_takes_is_cut_with_a_warning_and_saved(
    server: Server, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as play:
        page = open_item(server, tmp_path, play)
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.get_by_label("存在一些问题").check()
        box = page.get_by_label("具体表现")
        limit = int(box.get_attribute("maxlength") or 0)
        assert 0 < limit < 29_000
        box.click()
        page.evaluate("text => navigator.clipboard.writeText(text)", "长" * 29_000)
        page.keyboard.press("Control+V")
        expect(page.locator("#w-f-manifestation")).to_contain_text(
            f"粘贴的内容有 29000 字，这一栏最多 {limit} 字"
        )
        expect(page.locator("#saved")).to_contain_text("已保存", timeout=10_000)
        assert len(box.input_value()) == limit
        assert draft_answers(tmp_path)["thinking-1"]["manifestation"] == "长" * limit


@pytest.mark.parametrize("viewport", [(1366, 768), (390, 700)], ids=["desktop", "phone"])
def test_the_status_line_stays_in_view_at_the_bottom_of_a_long_item(
    server: Server, tmp_path: Path, viewport: tuple[int, int]
) -> None:
    from playwright.sync_api import expect, sync_playwright

    width, height = viewport
    with sync_playwright() as play:
        page = open_item(server, tmp_path, play, viewport={"width": width, "height": height})
        page.get_by_label("存在一些问题").check()
        measure = page.get_by_label("整改措施")
        measure.fill(PASTED * 4)  # a long answer: the item is taller than the window
        measure.press("End")
        page.keyboard.insert_text("最后一句。")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        assert page.evaluate("document.body.scrollHeight") > 2 * height
        expect(page.locator("#saved")).to_contain_text("已保存", timeout=10_000)
        box = page.locator("#saved").bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height
        # the header does not cover a question one jumps to
        page.evaluate("document.getElementById('q-measure').scrollIntoView()")
        header = page.locator("header.top").bounding_box()
        top = page.locator("#q-measure").bounding_box()
        assert header is not None and top is not None and top["y"] >= header["height"] - 1
