"""The report as a Word document (.docx) in GB/T 9704-2012 公文 layout, via python-docx.

The document is laid out from the same :class:`ReportView` as the Markdown
and HTML templates. Formatting lives in named styles (正文 Normal, 标题
Title, 署名 Subtitle, 一级标题 Heading 1, 二级标题 Heading 2, 落款
Signature), so staff can restyle the whole document in Word or WPS, or pass
their own .docx as ``--template`` to supply the styles and page setup.

Chinese fonts need the ``w:eastAsia`` attribute of ``w:rFonts``: python-docx
only writes the Latin name (python-docx issue 154), so it is set here.
"""

from __future__ import annotations

import io
from datetime import datetime, time
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from selfcheck.errors import TemplateError
from selfcheck.report.model import ReportView

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
LATIN_FONT = "Times New Roman"
FONT_SUBSTITUTES = {
    BODY_FONT: "仿宋",
    TITLE_FONT: "宋体",
    KAITI: "楷体",
    HEITI: "黑体",
    SONGTI: "宋体",
}
"""Fonts every Windows has, named in the font table as ``w:altName`` of the 公文 fonts."""

BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
LINE = Pt(28.95)  # 22 lines in the 225 mm type area
CONDENSE = Pt(-0.25)  # 28 characters of 16 pt in the 156 mm line (16 pt alone fits only 27)
TITLE_LINE = Pt(35)
INDENT_CHARS = 2

STYLE_BYLINE = "Subtitle"
STYLE_SIGNATURE = "Signature"
STYLE_DRAFT = "Draft Mark"


def render_docx(view: ReportView, *, reference: Path | None = None) -> bytes:
    """The report as .docx bytes; ``reference`` supplies styles and page setup."""
    document = _open(reference)
    if reference is None:
        _setup_styles(document)
        _setup_page(document)
    else:
        _ensure_styles(document)
    _write_body(document, view)
    _set_properties(document, view)
    _clean_package(document)
    _east_asian_line_breaking(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _open(reference: Path | None) -> Any:
    if reference is None:
        return Document()
    try:
        document = Document(str(reference))
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"
        raise TemplateError(f"无法作为 Word 模板打开：{reference}（{reason}）") from None
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


# ----------------------------------------------------------------- styles


def _set_fonts(rpr_parent: Any, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set Latin and East Asian font names (w:rFonts), dropping theme fonts that override them."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")


def _reset(style: Any) -> None:
    """Drop a built-in style's own run and paragraph formatting (colours, borders, fonts)."""
    for tag in ("w:rPr", "w:pPr"):
        element = style.element.find(qn(tag))
        if element is not None:
            style.element.remove(element)


def _char_indent(paragraph_format: Any, chars: int, size: Pt) -> None:
    """First-line indent of ``chars`` characters (w:firstLineChars, plus a length)."""
    paragraph_format.first_line_indent = Pt(size.pt * chars)
    ind = paragraph_format._element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def _paragraph_style(
    document: Any,
    name: str,
    *,
    font: str,
    size: Pt,
    line: Pt = LINE,
    align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = True,
    outline: int | None = None,
) -> Any:
    styles = document.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
    _reset(style)
    style.hidden = False
    style.quick_style = True
    _set_fonts(style.element, font)
    style.font.size = size
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    pf = style.paragraph_format
    pf.alignment = align
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = line
    if indent:
        _char_indent(pf, INDENT_CHARS, size)
    else:
        pf.first_line_indent = Pt(0)
    ppr = style.element.get_or_add_pPr()
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        # No extra space between Chinese and digits: 2009年1月15日, not 2009 年 1 月 15 日.
        element = OxmlElement(tag)
        element.set(qn("w:val"), "0")
        ppr.insert_element_before(element, *_PPR_AFTER_AUTOSPACE)
    for tag, value in (("w:kinsoku", "1"), ("w:overflowPunct", "0")):
        # Also per style: LibreOffice reads these from styles, not from the document defaults.
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        follows = ("w:wordWrap", "w:overflowPunct") if tag == "w:kinsoku" else ()
        ppr.insert_element_before(
            element,
            *follows,
            "w:topLinePunct",
            "w:autoSpaceDE",
            "w:autoSpaceDN",
            *_PPR_AFTER_AUTOSPACE,
        )
    if outline is not None:
        pf.keep_with_next = True
        ppr.get_or_add_outlineLvl().val = outline
    return style


_PPR_AFTER_AUTOSPACE = (
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
"""Elements that follow w:autoSpaceDN in w:pPr (the schema fixes the order; Word checks it)."""


def _condense(style: Any, amount: Pt) -> None:
    """Character spacing (w:spacing in w:rPr, twentieths of a point)."""
    rpr = style.element.get_or_add_rPr()
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(round(amount.pt * 20)))
    rpr.insert_element_before(
        spacing,
        "w:w",
        "w:kern",
        "w:position",
        "w:sz",
        "w:szCs",
        "w:highlight",
        "w:u",
        "w:effect",
        "w:bdr",
        "w:shd",
        "w:fitText",
        "w:vertAlign",
        "w:rtl",
        "w:cs",
        "w:em",
        "w:lang",
        "w:eastAsianLayout",
        "w:specVanish",
        "w:oMath",
    )


def _setup_styles(document: Any) -> None:
    """The 公文 styles: 仿宋 三号 body, 小标宋 二号 title, 黑体/楷体 headings."""
    _set_doc_defaults(document)
    normal = _paragraph_style(document, "Normal", font=BODY_FONT, size=BODY_SIZE)
    _condense(normal, CONDENSE)
    _paragraph_style(
        document,
        "Title",
        font=TITLE_FONT,
        size=TITLE_SIZE,
        line=TITLE_LINE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    _paragraph_style(
        document,
        STYLE_BYLINE,
        font=KAITI,
        size=BODY_SIZE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    _paragraph_style(document, "Heading 1", font=HEITI, size=BODY_SIZE, outline=0)
    _paragraph_style(document, "Heading 2", font=KAITI, size=BODY_SIZE, outline=1)
    _paragraph_style(
        document,
        STYLE_SIGNATURE,
        font=BODY_FONT,
        size=BODY_SIZE,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        indent=False,
    )
    _paragraph_style(
        document,
        STYLE_DRAFT,
        font=HEITI,
        size=BODY_SIZE,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        indent=False,
    )
    _paragraph_style(
        document,
        "Footer",
        font=SONGTI,
        size=PAGE_NUMBER_SIZE,
        line=Pt(18),
        indent=False,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
    )
    _declare_fonts(document)


def _ensure_styles(document: Any) -> None:
    """A reference document keeps its own styles; add only the ones it lacks."""
    names = {s.name for s in document.styles}
    wanted = {
        "Title": dict(
            font=TITLE_FONT,
            size=TITLE_SIZE,
            line=TITLE_LINE,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            indent=False,
        ),
        STYLE_BYLINE: dict(
            font=KAITI, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False
        ),
        "Heading 1": dict(font=HEITI, size=BODY_SIZE, outline=0),
        "Heading 2": dict(font=KAITI, size=BODY_SIZE, outline=1),
        STYLE_SIGNATURE: dict(
            font=BODY_FONT, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False
        ),
        STYLE_DRAFT: dict(font=HEITI, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False),
    }
    for name, options in wanted.items():
        if name not in names:
            _paragraph_style(document, name, **options)  # type: ignore[arg-type]


def _set_doc_defaults(document: Any) -> None:
    """Document defaults: 仿宋 三号, Chinese language, no spacing after paragraphs."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    fonts.set(qn("w:cs"), LATIN_FONT)
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(int(BODY_SIZE.pt * 2)))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    # East Asian line breaking: 禁则 on, and no punctuation hanging past the right edge
    # (Word's default w:overflowPunct lets 。，” hang into the margin).
    for tag, value in (("w:kinsoku", "1"), ("w:overflowPunct", "0")):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        spacing.addprevious(element)


def _declare_fonts(document: Any) -> None:
    """Name the 公文 fonts in the font table with Chinese charset and a substitute.

    Word and WPS use ``w:altName`` when 仿宋_GB2312 or 方正小标宋简体 is not
    installed, so the document still prints in 仿宋/宋体 rather than a default font.
    """
    try:
        part = document.part.part_related_by(RELATIONSHIP_TYPE.FONT_TABLE)
    except KeyError:
        return
    root = parse_xml(part.blob)
    declared = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, substitute in FONT_SUBSTITUTES.items():
        if name in declared:
            continue
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        properties = [
            ("w:charset", "86"),
            ("w:family", "auto" if name == HEITI else "modern"),
            ("w:pitch", "fixed"),
        ]
        if substitute != name:
            properties.insert(0, ("w:altName", substitute))
        for tag, value in properties:
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            font.append(child)
        root.append(font)
    part._blob = serialize_part_xml(root)


# ----------------------------------------------------------------- page


def _setup_page(document: Any) -> None:
    """A4 portrait, GB/T 9704 margins, 22-line grid, page numbers 单页居右、双页居左."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    section.top_margin = Mm(37)
    section.bottom_margin = Mm(35)
    section.left_margin = Mm(28)
    section.right_margin = Mm(26)
    section.header_distance = Mm(15)
    # The page number's dash sits 7 mm below the type area (35 mm margin → 28 mm from the edge).
    section.footer_distance = Mm(25)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    # No snapping to a line grid: exact line spacing already gives 22 lines a page,
    # and a grid would push the 22 pt title onto two grid lines per line.
    grid.attrib.pop(qn("w:type"), None)
    grid.set(qn("w:linePitch"), str(round(LINE.pt * 20)))
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(footer: Any, align: Any) -> None:
    """``— N —`` with a PAGE field, one character in from the type area's edge."""
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = "Footer"
    paragraph.alignment = align
    one_char = Pt(PAGE_NUMBER_SIZE.pt)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = one_char
    else:
        paragraph.paragraph_format.left_indent = one_char
    paragraph.add_run("— ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" —")


def _field(paragraph: Any, instruction: str, placeholder: str) -> None:
    """A Word field (begin, instruction, separate, result, end) in its own runs."""

    def fld_char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    paragraph.add_run()._r.append(fld_char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    paragraph.add_run()._r.append(fld_char("separate"))
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(fld_char("end"))


# ----------------------------------------------------------------- body


def _text_width(text: str) -> float:
    """Width in characters of the body font: Latin letters and digits count half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _write_body(document: Any, view: ReportView) -> None:
    if view.draft:
        document.add_paragraph("草稿", style=STYLE_DRAFT)
    title = document.add_paragraph(style="Title")
    for index, line in enumerate(view.title_lines):
        run = title.add_run(line)
        if index < len(view.title_lines) - 1:
            run.add_break()
    document.add_paragraph(style="Title")  # 空一行
    if view.byline:
        document.add_paragraph(view.byline, style=STYLE_BYLINE)
        document.add_paragraph(style="Normal")
    if view.addressee:  # 主送机关: flush left (顶格) under the title
        addressee = document.add_paragraph(view.addressee, style="Normal")
        _char_indent(addressee.paragraph_format, 0, BODY_SIZE)
    document.add_paragraph(view.opening, style="Normal")
    for part in view.parts:
        document.add_paragraph(part.heading, style="Heading 1")
        for text in part.paragraphs:
            document.add_paragraph(text, style="Normal")
        for group in part.groups:
            if group.heading:  # a plain list 一是、二是 has no heading of its own
                document.add_paragraph(group.heading, style="Heading 2")
            for point in group.points:
                for index, text in enumerate(point.paragraphs):
                    prefix = point.ordinal if index == 0 else ""
                    document.add_paragraph(prefix + text, style="Normal")
            for note in group.notes:
                document.add_paragraph(note, style="Normal")
    closing = document.add_paragraph(view.closing, style="Normal")
    closing.paragraph_format.keep_with_next = True  # never a signature alone on a page
    _signature(document, view)


def _signature(document: Any, view: ReportView) -> None:
    """Name centred over the date; the date 右空四字 (GB/T 9704 成文日期)."""
    blank = document.add_paragraph(style=STYLE_SIGNATURE)
    name = document.add_paragraph(view.signature.name, style=STYLE_SIGNATURE)
    blank.paragraph_format.keep_with_next = True
    name.paragraph_format.keep_with_next = True
    date = document.add_paragraph(view.signature.date_text, style=STYLE_SIGNATURE)
    right = 4.0
    excess = _text_width(view.signature.date_text) - _text_width(view.signature.name)
    centring = max(0.0, excess / 2)
    date.paragraph_format.right_indent = Pt(BODY_SIZE.pt * right)
    name.paragraph_format.right_indent = Pt(BODY_SIZE.pt * (right + centring))


def _set_properties(document: Any, view: ReportView) -> None:
    props = document.core_properties
    props.title = view.title
    props.author = view.respondent.name
    props.last_modified_by = view.respondent.name
    props.subject = view.campaign.name
    props.keywords = "对照检查"
    props.comments = f"由 selfcheck 根据检查表 {view.checklist_id}（{view.checklist_version}）生成"
    props.language = "zh-CN"
    stamp = datetime.combine(view.signature.date, time(0, 0))
    props.created = stamp
    props.modified = stamp
    props.revision = 1


# ----------------------------------------------------------------- package

NO_BREAK_AFTER = "$([{£¥·‘“〈《「『【〔〖〝﹙﹛﹝＄（．［｛￡￥"
"""Marks a line never ends with (Word's Simplified Chinese 禁则 list)."""
NO_BREAK_BEFORE = (
    "!%),.:;>?]}¢¨°·ˇˉ―‖’”…‰′″›℃∶、。〃〉》」』】〕〗〞︶︺︾﹀﹄﹚﹜﹞！＂％＇），．：；？］｝～￠"
)
"""Marks a line never starts with."""
APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>selfcheck</Application><DocSecurity>0</DocSecurity>"
    "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
    "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
    "</Properties>"
)


def _clean_package(document: Any) -> None:
    """No leftovers of python-docx's own template in the file.

    Its app.xml says "Microsoft Macintosh Word" with a word count of 0, it
    carries a blank thumbnail, and its settings name Japanese as the theme's
    East Asian language. The document says what it is instead: written by
    selfcheck, Chinese, no preview picture.
    """
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            del package.rels[rel_id]
        elif rel.reltype == RELATIONSHIP_TYPE.EXTENDED_PROPERTIES:
            rel.target_part._blob = APP_XML.encode("utf-8")
    settings = document.settings.element
    for tag in ("w:savePreviewPicture",):
        for element in settings.findall(qn(tag)):
            settings.remove(element)
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")


def _east_asian_line_breaking(document: Any) -> None:
    """The 禁则 lists of Simplified Chinese, in the settings Word reads them from.

    With ``w:kinsoku`` on and ``w:overflowPunct`` off (document defaults) Word
    and WPS never start a line with ，。、”）》 nor end one with “（《, and never
    let a mark hang into the right margin. LibreOffice applies its own rules
    (see docs/report.md).
    """
    settings = document.settings.element
    control = settings.find(qn("w:characterSpacingControl"))
    if control is None:
        return
    for tag in ("w:noLineBreaksAfter", "w:noLineBreaksBefore"):
        for element in settings.findall(qn(tag)):
            settings.remove(element)
    after = control
    for tag, marks in (
        ("w:noLineBreaksAfter", NO_BREAK_AFTER),
        ("w:noLineBreaksBefore", NO_BREAK_BEFORE),
    ):
        element = OxmlElement(tag)
        element.set(qn("w:lang"), "zh-CN")
        element.set(qn("w:val"), marks)
        after.addnext(element)
        after = element
