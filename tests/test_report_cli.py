"""``selfcheck report`` from the command line, and ``render_reports`` as ``run`` calls it."""

from __future__ import annotations

import io
import json
import shutil
import stat
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt
from typer.testing import CliRunner

from selfcheck.checklist.model import Checklist
from selfcheck.cli import app
from selfcheck.report.api import render_reports, report_basename
from selfcheck.response import load_response

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def response_file(tmp_path: Path) -> Path:
    """A copy of the leader's response in a folder of its own."""
    folder = tmp_path / "答卷"
    folder.mkdir()
    return Path(shutil.copy(FIXTURES / "report_leader.json", folder / "王建国.json"))


def invoke(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["report", *map(str, args)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def expected_names(response_file: Path) -> list[str]:
    base = report_basename(load_response(response_file))
    return [f"{base}.md", f"{base}.html", f"{base}.docx"]


def test_default_writes_three_formats_next_to_the_response(response_file: Path) -> None:
    code, output = invoke(response_file)
    assert code == 0, output
    names = expected_names(response_file)
    for name in names:
        path = response_file.parent / name
        assert path.is_file()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, "reports hold personal data"
        assert name in output
    assert output.count("已生成") == 3
    assert names[0].startswith("市城建监察支队-王建国-zuofeng-2008-")


def test_formats_repeatable_or_comma_separated(response_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = invoke(response_file, "-f", "md", "--format", "html", "-o", out)
    assert code == 0, output
    assert sorted(p.suffix for p in out.iterdir()) == [".html", ".md"]
    code, output = invoke(response_file, "-f", "docx,md", "-o", tmp_path / "two")
    assert code == 0, output
    assert sorted(p.suffix for p in (tmp_path / "two").iterdir()) == [".docx", ".md"]


def test_output_file_decides_the_format(response_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "我的材料.docx"
    code, output = invoke(response_file, "-o", target)
    assert code == 0, output
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["我的材料.docx"]
    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert "个人对照检查材料" in text


def test_output_file_with_several_formats_is_refused(response_file: Path, tmp_path: Path) -> None:
    code, output = invoke(response_file, "-f", "md", "-f", "html", "-o", tmp_path / "x.md")
    assert code == 1
    assert "-o 应是一个目录" in output
    assert not (tmp_path / "x.md").exists()


def test_unknown_format_is_refused(response_file: Path) -> None:
    code, output = invoke(response_file, "-f", "pdf")
    assert code == 1
    assert "不支持的报告格式“pdf”" in output
    assert list(response_file.parent.iterdir()) == [response_file]


def test_unknown_output_suffix_asks_for_a_format(response_file: Path, tmp_path: Path) -> None:
    code, output = invoke(response_file, "-o", tmp_path / "材料.txt")
    assert code == 1
    assert "--format" in output


def test_hanzi_date(response_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    code, _ = invoke(response_file, "--hanzi-date", "-o", target)
    assert code == 0
    assert target.read_text(encoding="utf-8").rstrip().endswith("二〇〇八年十二月一日</div>")
    code, _ = invoke(response_file, "-o", tmp_path / "b.md")
    assert (tmp_path / "b.md").read_text(encoding="utf-8").rstrip().endswith("2008年12月1日</div>")


def test_changed_checklist_is_warned_about(response_file: Path, tmp_path: Path) -> None:
    data = json.loads(response_file.read_text(encoding="utf-8"))
    data["checklist"]["sha256"] = "0" * 64
    response_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, output = invoke(response_file, "-o", tmp_path / "a.md")
    assert code == 0
    assert "内容与填写时不同" in output
    assert (tmp_path / "a.md").is_file()


def test_unknown_checklist_id_suggests_the_option(response_file: Path, tmp_path: Path) -> None:
    data = json.loads(response_file.read_text(encoding="utf-8"))
    data["checklist"]["id"] = "zuofeng-2007"
    response_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, output = invoke(response_file, "-o", tmp_path / "a.md")
    assert code == 1
    assert "zuofeng-2007" in output and "--checklist" in output
    code, output = invoke(
        response_file,
        "--checklist",
        REPO / "checklists" / "zuofeng-2008.yaml",
        "-o",
        tmp_path / "a.md",
    )
    assert code == 0, output
    assert "答卷是按检查表“zuofeng-2007”填写的" in output


def test_missing_or_broken_response(tmp_path: Path) -> None:
    code, output = invoke(tmp_path / "nobody.json")
    assert code == 1
    assert "找不到答卷文件" in output
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    code, output = invoke(broken)
    assert code == 1
    assert "答卷文件无效" in output


def test_draft_is_marked(response_file: Path, tmp_path: Path) -> None:
    data = json.loads(response_file.read_text(encoding="utf-8"))
    data["status"] = "draft"
    data["submitted_at"] = None
    response_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, output = invoke(response_file, "-o", tmp_path / "a.md")
    assert code == 0
    assert "草稿" in output
    assert (tmp_path / "a.md").read_text(encoding="utf-8").startswith("（草稿）")


def test_user_text_template(response_file: Path, tmp_path: Path) -> None:
    template = tmp_path / "简版.txt.j2"
    template.write_text(
        "{{ respondent.name }}：{% for s in sections %}{{ s.title }}{{ s.problems|length }}条；"
        "{% endfor %}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code, output = invoke(response_file, "--template", template, "-o", out)
    assert code == 0, output
    (written,) = out.iterdir()
    assert written.suffix == ".txt"
    view_sections = load_response(response_file).answers
    assert view_sections  # the counts below come from the fixture's answers
    assert written.read_text(encoding="utf-8").startswith("王建国：思想作风1条；工作作风2条；")


def test_template_format_must_match_format_option(response_file: Path, tmp_path: Path) -> None:
    template = tmp_path / "mine.md.j2"
    template.write_text("{{ title }}", encoding="utf-8")
    code, output = invoke(response_file, "--template", template, "-f", "html")
    assert code == 1
    assert "--template" in output


def test_broken_user_template_names_line(response_file: Path, tmp_path: Path) -> None:
    template = tmp_path / "mine.md.j2"
    template.write_text("{{ title }}\n{{ respondent.phone }}\n", encoding="utf-8")
    code, output = invoke(response_file, "--template", template, "-o", tmp_path / "x.md")
    assert code == 1
    assert f"{template}:2:" in output and "phone" in output
    assert not (tmp_path / "x.md").exists()


def test_docx_reference_template_supplies_styles(response_file: Path, tmp_path: Path) -> None:
    reference = tmp_path / "本单位格式.docx"
    document = Document()
    document.styles["Normal"].font.size = Pt(15)
    document.add_paragraph("这段示例文字不会出现在材料中")
    document.save(str(reference))
    target = tmp_path / "材料.docx"
    code, output = invoke(response_file, "--template", reference, "-o", target)
    assert code == 0, output
    result = Document(str(target))
    assert result.styles["Normal"].font.size == Pt(15)
    text = "\n".join(p.text for p in result.paragraphs)
    assert "这段示例文字" not in text
    assert "一、存在的主要问题" in text


# ----------------------------------------------------------------- library entry used by run


def test_render_reports_for_run(tmp_path: Path, zuofeng: Checklist) -> None:
    response = load_response(FIXTURES / "report_leader.json")
    paths = render_reports(response, zuofeng, ["md", "html", "docx"], tmp_path)
    base = report_basename(response)
    assert paths == [tmp_path / f"{base}.md", tmp_path / f"{base}.html", tmp_path / f"{base}.docx"]
    assert all(p.is_file() for p in paths)
    assert "一、存在的主要问题" in paths[0].read_text(encoding="utf-8")
    document = Document(io.BytesIO(paths[2].read_bytes()))
    assert document.paragraphs


def test_render_reports_accepts_comma_lists_and_defaults(
    tmp_path: Path, zuofeng: Checklist
) -> None:
    response = load_response(FIXTURES / "report_leader.json")
    assert [p.suffix for p in render_reports(response, zuofeng, ["md,html"], tmp_path)] == [
        ".md",
        ".html",
    ]
    assert [p.suffix for p in render_reports(response, zuofeng, [], tmp_path / "all")] == [
        ".md",
        ".html",
        ".docx",
    ]
