"""``selfcheck report`` and the report step of ``selfcheck run``.

:func:`render_reports` writes the personal report (个人对照检查材料) of one
response in each requested format; :func:`report_command` is the command
line entry: it loads the response, finds its checklist, works out formats
and output paths, and says what it wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck.atomicio import write_bytes_atomic
from selfcheck.errors import ChecklistNotFound, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from selfcheck.checklist.model import Checklist
    from selfcheck.report.model import ReportView
    from selfcheck.response import Response

FORMATS: tuple[str, ...] = ("md", "html", "docx")
"""Report formats, in the order they are written by default."""

SUFFIXES = {"md": ".md", "html": ".html", "docx": ".docx"}
_SUFFIX_FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".docx": "docx"}
REPORT_NAME = "对照检查材料"


@dataclass(frozen=True)
class ReportTemplate:
    """A user's ``--template``: a Jinja text template, or a .docx supplying Word styles."""

    path: Path
    format: str


def parse_formats(formats: Sequence[str]) -> list[str]:
    """Normalise ``--format`` values (repeatable or comma-separated); empty → all formats."""
    chosen: list[str] = []
    for value in formats:
        for part in value.replace("，", ",").split(","):
            fmt = part.strip().lower().lstrip(".")
            if not fmt:
                continue
            fmt = {"markdown": "md", "htm": "html", "word": "docx"}.get(fmt, fmt)
            if fmt not in FORMATS:
                raise UsageError(f"不支持的报告格式“{part.strip()}”：可选 md、html、docx")
            if fmt not in chosen:
                chosen.append(fmt)
    return chosen or list(FORMATS)


def report_basename(response: Response) -> str:
    """``单位-姓名-检查表-对照检查材料`` (safe on Windows), without suffix."""
    from selfcheck.response import response_filename

    stem = response_filename(
        response.respondent.unit, response.respondent.name, response.checklist.id
    ).removesuffix(".json")
    return f"{stem}-{REPORT_NAME}"


def build_view(response: Response, checklist: Checklist, *, hanzi_date: bool = False) -> ReportView:
    """The report view of ``response`` as of today (``SELFCHECK_TODAY`` in tests)."""
    from selfcheck.clock import today
    from selfcheck.report.model import build_report

    return build_report(response, checklist, today=today(), hanzi_date=hanzi_date)


def render_bytes(view: ReportView, fmt: str, template: ReportTemplate | None = None) -> bytes:
    """The report in ``fmt`` as bytes, from the shipped template or the user's."""
    if fmt == "docx":
        from selfcheck.report.docx_writer import render_docx

        reference = template.path if template is not None and template.format == "docx" else None
        return render_docx(view, reference=reference)
    from selfcheck.report.templating import render_builtin, render_user_template

    if template is not None:
        text = render_user_template(template.path, view)
    else:
        text = render_builtin(fmt, view)
    return text.encode("utf-8")


def render_reports(
    response: Response,
    checklist: Checklist,
    formats: Sequence[str],
    out_dir: Path,
    *,
    hanzi_date: bool = False,
) -> list[Path]:
    """Render the report in each of ``formats`` into ``out_dir``; return the written paths.

    Files are named ``单位-姓名-检查表-对照检查材料.md/.html/.docx`` and written
    atomically with mode 0600 (they hold personal data). This is what
    ``selfcheck run`` calls at submission.
    """
    view = build_view(response, checklist, hanzi_date=hanzi_date)
    base = report_basename(response)
    written = []
    for fmt in parse_formats(formats):
        path = Path(out_dir) / f"{base}{SUFFIXES[fmt]}"
        write_bytes_atomic(path, render_bytes(view, fmt), private=True)
        written.append(path)
    return written


# ----------------------------------------------------------------- command


def report_command(
    response_path: Path,
    *,
    formats: Sequence[str],
    template: Path | None,
    output: Path | None,
    hanzi_date: bool,
    checklist_ref: str | None,
    dirs: Sequence[Path],
    console: Console,
) -> None:
    """``selfcheck report RESPONSE.json [--format F]... [--template FILE] [-o OUT]``."""
    from rich.text import Text

    from selfcheck.response import load_response

    response = load_response(response_path)
    checklist = _checklist_for(response, checklist_ref, dirs)
    user_template = _user_template(template)
    chosen = _choose_formats(formats, user_template, output)
    targets = _targets(response, response_path, chosen, user_template, output)

    for warning in _warnings(response, checklist) + _summary_warning(
        response_path, response, checklist
    ):
        console.print(Text(f"注意：{warning}", style="yellow"), soft_wrap=True)
    view = build_view(response, checklist, hanzi_date=hanzi_date)
    for warning in view.warnings:
        console.print(Text(f"注意：{warning}", style="yellow"), soft_wrap=True)

    rendered = [(path, render_bytes(view, fmt, user_template)) for fmt, path in targets]
    for path, data in rendered:
        write_bytes_atomic(path, data, private=True)
        line = Text("已生成：", style="green")
        line.append(str(path))
        console.print(line, soft_wrap=True)


def _checklist_for(response: Response, ref: str | None, dirs: Sequence[Path]) -> Checklist:
    from selfcheck.checklist.registry import resolve_checklist

    if ref:
        return resolve_checklist(ref, list(dirs))
    try:
        return resolve_checklist(response.checklist.id, list(dirs))
    except ChecklistNotFound as exc:
        raise ChecklistNotFound(
            f"{exc.message}\n答卷是按检查表“{response.checklist.id}”（版本 "
            f"{response.checklist.version}）填写的：请用 --checklist 指定该检查表文件，"
            "或用 --dir 指定其所在目录。"
        ) from None


def _warnings(response: Response, checklist: Checklist) -> list[str]:
    warnings = []
    answered = response.checklist
    if answered.id != checklist.id:
        warnings.append(
            f"答卷是按检查表“{answered.id}”填写的，现在使用的是“{checklist.id}”，"
            "检查项可能对应不上。"
        )
    elif answered.sha256 != checklist.sha256:
        warnings.append(
            f"检查表“{checklist.id}”的内容与填写时不同（填写时版本 {answered.version}，"
            f"内容摘要 {answered.sha256[:12]}；现在版本 {checklist.version}，"
            f"内容摘要 {checklist.sha256[:12]}）。报告按现在的检查表生成，请核对措辞。"
        )
    if response.status != "submitted":
        warnings.append("答卷尚未提交，生成的是草稿材料（标有“草稿”）。")
    return warnings


def _summary_warning(response_path: Path, response: Response, checklist: Checklist) -> list[str]:
    """What the summary will say of this file when it will not count it (for a response
    of another checklist or version, :func:`_warnings` has said so already)."""
    if response.checklist.sha256 != checklist.sha256:
        return []
    from selfcheck.response import read_file_bytes
    from selfcheck.summary.plan import plan_from_checklist
    from selfcheck.summary.reader import BulkReader, summary_warning

    reader = BulkReader(plan_from_checklist(checklist))
    warning = summary_warning(read_file_bytes(response_path), str(response_path), reader)
    return [] if warning is None else [warning]


def _user_template(template: Path | None) -> ReportTemplate | None:
    if template is None:
        return None
    from selfcheck.report.templating import require_template, template_format

    require_template(template)
    return ReportTemplate(template, template_format(template))


def _choose_formats(
    formats: Sequence[str], template: ReportTemplate | None, output: Path | None
) -> list[str]:
    explicit = parse_formats(formats) if formats else []
    if template is not None:
        if explicit and explicit != [template.format]:
            raise UsageError(
                f"模板 {template.path.name} 生成的是 {template.format} 格式，"
                f"与 --format {'、'.join(explicit)} 不符："
                "使用 --template 时只生成模板对应的一种格式"
            )
        return [template.format]
    if explicit:
        return explicit
    if output is not None and not output.is_dir() and output.suffix:
        fmt = _SUFFIX_FORMATS.get(output.suffix.lower())
        if fmt is None:
            raise UsageError(
                f"无法从文件名 {output.name} 判断报告格式：请用 --format 指定 md、html 或 docx"
            )
        return [fmt]
    return list(FORMATS)


def _targets(
    response: Response,
    response_path: Path,
    formats: list[str],
    template: ReportTemplate | None,
    output: Path | None,
) -> list[tuple[str, Path]]:
    """(format, path) pairs: ``-o`` is a file for one format, else a folder."""
    base = report_basename(response)

    def suffix(fmt: str) -> str:
        return SUFFIXES.get(fmt, f".{fmt}")

    if output is None:
        folder = response_path.parent
    elif output.is_dir() or not (output.suffix or output.exists()):
        folder = output  # a folder, or a new name without suffix: made a folder
    else:
        if len(formats) > 1:
            raise UsageError(
                f"要生成 {len(formats)} 种格式（{'、'.join(formats)}），-o 应是一个目录，"
                f"而不是文件 {output}"
            )
        return [(formats[0], output)]
    if template is not None and template.format not in FORMATS:
        return [(template.format, folder / f"{base}{suffix(template.format)}")]
    return [(fmt, folder / f"{base}{suffix(fmt)}") for fmt in formats]
