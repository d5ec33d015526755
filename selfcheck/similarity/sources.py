"""What the summary is compared with: earlier responses (``--compare-with``) and templates.

:func:`earlier_records` reads a folder of earlier responses through the same
:class:`~selfcheck.folder.Discovery` and :class:`~selfcheck.summary.reader.BulkReader`
as the summary (one pass, typed records, newest per person), so any part of the
program that compares with an earlier campaign can reuse it.
:func:`read_templates` reads 范文 files (.txt, .md, .docx); a file that cannot be
read as text is listed as skipped, never fatal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from selfcheck.similarity.detect import Template
from selfcheck.similarity.model import Party
from selfcheck.summary.plan import ChecklistPlan
from selfcheck.summary.records import Record

TEMPLATE_SUFFIXES = (".txt", ".md", ".docx")
TEMPLATE_LIMIT = 2 << 20
"""A template over 2 MB is not a 范文 but something else: skipped."""
_DOCX_TEXT_LIMIT = 8 << 20


@dataclass
class EarlierRecords:
    """The counted records of an earlier folder, and the files that were not counted."""

    records: list[Record]
    skipped: list[dict[str, str]] = field(default_factory=list)


def earlier_records(
    paths: list[Path], plan: ChecklistPlan, unit_names: Callable[[str], str] | None = None
) -> EarlierRecords:
    """The submitted responses (newest per person) in ``paths``, read for ``plan``;
    ``unit_names`` spells their units as this round's roster does."""
    from selfcheck import clock
    from selfcheck.errors import UsageError
    from selfcheck.folder import Discovery
    from selfcheck.summary.aggregate import Aggregator
    from selfcheck.summary.records import Skip

    for path in paths:
        if not path.exists():
            raise UsageError(f"找不到用于比对的文件夹：{path}")
    agg = Aggregator(plan, clock.today(), unit_names=unit_names)
    try:
        found = Discovery(paths)
        for file, display in found:
            agg.add_file(file, display)
        for skip in found.skipped:
            agg.add_skip(Skip(skip.file, skip.code, skip.reason))
        records = list(agg.iter_typed_records())
        skipped = [
            {"file": s.file, "reason": s.reason} for s in agg.iter_skips() if s.code != "superseded"
        ]
    finally:
        agg.close()
    return EarlierRecords(records, skipped)


def read_templates(folder: Path) -> tuple[list[Template], list[dict[str, str]]]:
    """Every readable template text under ``folder``, and the skipped files with reasons."""
    from selfcheck.errors import UsageError
    from selfcheck.folder import SYMLINK_REASON
    from selfcheck.textsafe import display_name

    if not folder.is_dir():
        raise UsageError(f"--templates 应为一个文件夹：{folder}")
    templates: list[Template] = []
    skipped: list[dict[str, str]] = []
    for path in sorted(folder.rglob("*")):
        shown = display_name(str(path))
        try:
            if path.is_symlink():  # listed, never followed
                skipped.append({"file": shown, "reason": SYMLINK_REASON})
                continue
            if path.is_dir():
                continue
        except OSError:
            continue
        if path.suffix.lower() not in TEMPLATE_SUFFIXES:
            skipped.append({"file": shown, "reason": "不是 .txt、.md 或 .docx 文件"})
            continue
        text, why = _template_text(path)
        if text is None:
            skipped.append({"file": shown, "reason": why})
            continue
        party = Party(display_name(path.stem), "范文", shown, "template")
        templates.append(Template(party, text))
    return templates, skipped


def _template_text(path: Path) -> tuple[str | None, str]:
    from selfcheck.folder import FolderReadError, read_limited

    try:
        raw = read_limited(str(path), TEMPLATE_LIMIT)
    except FolderReadError as exc:
        return None, exc.reason
    if path.suffix.lower() == ".docx":
        text = _docx_text(raw)
        if text is None:
            return None, "不是有效的 Word（.docx）文件"
    else:
        from selfcheck.textfile import NotText, decode_handmade

        try:
            text = decode_handmade(raw).text
        except NotText as exc:
            if exc.kind == "binary":
                return None, "不是文本文件（含二进制内容）"
            return None, "无法识别的文字编码（应为 UTF-8、UTF-16 或 GB18030）"
    from selfcheck.textsafe import clean_text

    text = clean_text(text)
    if not text.strip():
        return None, "文件是空的"
    return text, ""


def _docx_text(raw: bytes) -> str | None:
    """The paragraphs of a .docx; None if it is not one (zip bombs are bounded)."""
    import io
    import zipfile
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > _DOCX_TEXT_LIMIT:
                return None
            xml = archive.read(info)
        if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
            return None  # OOXML has no DTD: refuse entity tricks before parsing
        root = ElementTree.fromstring(xml)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, RuntimeError):
        return None
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    paragraphs = []
    for para in root.iter(f"{ns}p"):
        paragraphs.append("".join(t.text or "" for t in para.iter(f"{ns}t")))
    return "\n".join(p for p in paragraphs if p)
