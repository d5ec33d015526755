"""Both HTML outputs print cleanly with Chromium's *default* print settings.

No ``--no-pdf-header-footer`` here: the pages' own ``@page`` margin boxes must keep
Chromium's date, title, address and page count off the paper, and put our page
numbers there instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfcheck.cli import app

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

FIXTURES = Path(__file__).parent / "fixtures"
BROWSER_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}")
RADICALS = str.maketrans(
    "⻚⻛⻓⻅⻔⻢⻋⻝⻆⻬⻩⻥⻉⻘⻜⻄⺠⻦", "页风长见门马车食角齐黄鱼贝青飞西民鸟"
)


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is required in CI")
        pytest.skip("chromium not installed")
    return found


def print_with_defaults(page: Path, tmp_path: Path) -> list[str]:
    """Print ``page`` with Chromium's default settings; the text of each PDF page."""
    import pypdf

    pdf = tmp_path / (page.stem + ".pdf")
    subprocess.run(
        [
            _chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / ('profile-' + page.stem)}",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    reader = pypdf.PdfReader(pdf)
    # The CJK fonts map some glyphs to radicals (⻚ ⻛); read them as the characters typed.
    return [
        unicodedata.normalize("NFKC", p.extract_text()).translate(RADICALS) for p in reader.pages
    ]


def _no_browser_furniture(pages: list[str], title: str) -> None:
    for number, text in enumerate(pages, start=1):
        assert not BROWSER_DATE.search(text), (number, text[-120:])
        assert "file:" not in text and "about:blank" not in text, number
        if number > 1:
            assert title not in text, number  # Chromium's header repeats the <title>


def test_personal_report_prints_without_browser_header(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["report", str(FIXTURES / "report_leader.json"), "--format", "html", "-o", str(tmp_path)],
        env={"SELFCHECK_TODAY": "2009-01-15"},
    )
    assert result.exit_code == 0, result.output
    page = next(tmp_path.glob("*.html"))
    html = page.read_text(encoding="utf-8")
    title = re.search(r"<title>(.*)</title>", html).group(1)
    pages = print_with_defaults(page, tmp_path)
    assert len(pages) >= 2
    _no_browser_furniture(pages, title)
    for number, text in enumerate(pages, start=1):
        assert f"— {number} —" in text, number  # GB/T 9704 page number, our own


def test_summary_prints_page_numbers_without_browser_header(tmp_path: Path) -> None:
    from selfcheck.checklist.registry import resolve_checklist
    from selfcheck.summary.demo import ROSTER_NAME, write_demo

    env = {"SELFCHECK_TODAY": "2009-01-15"}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SELFCHECK_TODAY", "2009-01-15")
        write_demo(tmp_path / "unit", resolve_checklist(None), people=40, seed=5)
    page = tmp_path / "汇总.html"
    result = CliRunner().invoke(
        app,
        [
            "summary",
            str(tmp_path / "unit" / "答卷"),
            "--roster",
            str(tmp_path / "unit" / ROSTER_NAME),
            "--format",
            "html",
            "-o",
            str(page),
        ],
        env=env,
    )
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    title = re.search(r"<title>(.*)</title>", html).group(1)
    pages = print_with_defaults(page, tmp_path)
    assert len(pages) > 3
    _no_browser_furniture(pages, title)
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 共 {len(pages)} 页" in text, number
    # Header cells are never split inside a word (序/号, 完成情/况).
    for word in ("序号", "完成情况", "整改时限", "问题类别"):
        assert word in pages[0] + "".join(pages[1:]), word
    assert not re.search(r"完成情\s*\n\s*况|序\s*\n\s*号", "\n".join(pages))
