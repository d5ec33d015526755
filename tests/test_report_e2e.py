"""End to end on paper: the HTML printed by headless Chromium, the .docx by LibreOffice.

Both PDFs must be A4 and hold the title, a problem text and the page numbers.
These tests need external programs: with ``CI`` set they fail when a program
is missing (``.ci/run`` installs them); elsewhere they skip.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from selfcheck.checklist.model import Checklist
from selfcheck.report.api import build_view, render_reports
from selfcheck.report.model import ReportView
from selfcheck.response import load_response

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

FIXTURES = Path(__file__).parent / "fixtures"
A4_POINTS = (595.28, 841.89)


def require(*names: str) -> str:
    """The first of ``names`` on PATH; fail under CI, skip elsewhere, when none is."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = f"需要 {' 或 '.join(names)}（.ci/run 会用 apt-get 安装）"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def contains(text: str, expected: str) -> bool:
    """Whether PDF ``text`` holds ``expected``, ignoring line breaks and spacing.

    PDF text extraction may return a CJK radical (U+2E80–U+2FDF) for an
    ideograph whose glyph it shares (⻛ for 风, ⼀ for 一): NFKC folds the
    Kangxi radicals, and any remaining radical matches any one character.
    """
    haystack = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    needle = re.sub(r"\s+", "", unicodedata.normalize("NFKC", expected))
    pattern = "".join(f"(?:{re.escape(c)}|[\u2e80-\u2eff])" for c in needle)
    return re.search(pattern, haystack) is not None


def check_pdf(pdf: Path, view: ReportView) -> None:
    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4_POINTS[0]) < 1.5 and abs(height - A4_POINTS[1]) < 1.5, (width, height)
    pages = [page.extract_text() or "" for page in reader.pages]
    text = "\n".join(pages)
    assert contains(text, view.title)
    problem = view.sections[0].problems[0].problem[0]
    assert contains(text, problem)
    assert contains(text, view.signature.date_text)
    for number, page_text in enumerate(pages, start=1):
        assert contains(page_text, f"— {number} —"), f"page {number} has its number"


@pytest.fixture
def rendered(tmp_path: Path, zuofeng: Checklist) -> tuple[ReportView, list[Path]]:
    response = load_response(FIXTURES / "report_rectified.json")
    paths = render_reports(response, zuofeng, ["html", "docx"], tmp_path)
    return build_view(response, zuofeng), paths


def test_html_prints_to_a4_with_chromium(
    rendered: tuple[ReportView, list[Path]], tmp_path: Path
) -> None:
    chromium = require("chromium", "chromium-browser", "google-chrome")
    view, (html, _) = rendered
    pdf = tmp_path / "html.pdf"
    subprocess.run(
        [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tmp_path / 'chromium-profile'}", f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer", html.resolve().as_uri(),
        ],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    check_pdf(pdf, view)


def test_docx_converts_with_libreoffice(
    rendered: tuple[ReportView, list[Path]], tmp_path: Path
) -> None:
    soffice = require("soffice", "libreoffice")
    view, (_, docx) = rendered
    profile = (tmp_path / "lo-profile").resolve().as_uri()
    subprocess.run(
        [
            soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
            "--outdir", str(tmp_path / "pdf"), str(docx),
        ],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    check_pdf(tmp_path / "pdf" / f"{docx.stem}.pdf", view)
