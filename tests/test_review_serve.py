"""The browser form shows a returned material's reasons; resubmitting there counts a new draft."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from serve_kit import page_fields, write_roster

from selfcheck.response import load_response, response_filename
from selfcheck.review.reasons import load_reasons
from selfcheck.review.record import ReviewRequest, record_review

warnings.filterwarnings("ignore", message=".*httpx2.*")
pytest.importorskip("starlette")

from test_serve_app import fill_all, login  # noqa: E402

from selfcheck.serve.command import Prepared, ServeOptions, prepare  # noqa: E402


@pytest.fixture
def served(tmp_path: Path) -> Prepared:
    roster = write_roster(tmp_path)
    return prepare(
        ServeOptions(folder=tmp_path / "答卷", roster=roster, links=tmp_path / "链接.csv")
    )


def test_a_returned_material_shows_its_reasons_and_resubmits_as_draft_two(
    served: Prepared,
) -> None:
    browser, page = login(served, "李四")
    page = fill_all(browser, page)
    fields = page_fields(page.text)
    browser.post("/form/submit", data={"csrf": fields["csrf"], "base": fields["base"]})
    final = served.app.files.folder / response_filename("局办公室", "李四", "zuofeng-2008")
    record_review(
        final,
        ReviewRequest("return", ("问题不具体", "雷同"), (), "请写清<b>事例</b>", "赵委员"),
        load_reasons(),
    )
    done = browser.get("/form/done")
    assert "已退回" in done.text and "问题不具体；雷同" in done.text
    assert "&lt;b&gt;事例&lt;/b&gt;" in done.text  # the note is escaped
    assert "对照检查材料（第 1 稿）" in done.text and "重新提交后为第 2 稿。" in done.text
    reopened = browser.post("/form/reopen", data={"csrf": fields["csrf"]}, follow_redirects=True)
    page = fill_all(browser, reopened)
    fields = page_fields(page.text)
    browser.post("/form/submit", data={"csrf": fields["csrf"], "base": fields["base"]})
    again = load_response(final)
    assert again.draft_number == 2 and len(again.reviews) == 1
    assert "已退回" not in browser.get("/form/done").text  # draft 2 is waiting for review
