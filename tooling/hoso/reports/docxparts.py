"""Low-level pieces of the Word report: page geometry, fonts and language, table flags, page
numbers. python-docx has no API for some of them, so the XML is written here, in one place."""

from __future__ import annotations

from typing import Any

FONT = "Times New Roman"
LANGUAGE = "vi-VN"
BODY_PT = 14
TABLE_PT = 13
RECEIVERS_PT = 12


def a4(section: Any, landscape: bool = False) -> None:
    """A4, with the margins Hướng dẫn 36-HD/VPTW sets (top and bottom 2 cm, left 3 cm, right
    1.5 cm; the binding edge stays on the left when the page is turned)."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    width, height = Cm(21), Cm(29.7)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.header_distance = Cm(1)


def usable_width(section: Any) -> int:
    return int(section.page_width - section.left_margin - section.right_margin)


def _fonts(rpr: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


def house_style(document: Any) -> None:
    """Times New Roman 14 pt and Vietnamese as the language of every run, from the document
    defaults and the Normal style."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    _fonts(rpr)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _fonts(normal.element.get_or_add_rPr())
    paragraph = normal.paragraph_format
    paragraph.space_before, paragraph.space_after = Pt(0), Pt(6)
    paragraph.line_spacing = 1.15


def run(paragraph: Any, text: str, **style: Any) -> Any:
    """A run with its size in points and any of bold, italic, underline."""
    from docx.shared import Pt

    added = paragraph.add_run(text)
    size = style.pop("size", None)
    if size:
        added.font.size = Pt(size)
    for key, value in style.items():
        setattr(added.font, key, value)
    return added


def centred(cell_or_doc: Any, text: str = "", **style: Any) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = cell_or_doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.first_line_indent = 0
    if text:
        run(paragraph, text, **style)
    return paragraph


def no_borders(table: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def row_flags(row: Any, header: bool = False) -> None:
    """A row that is never split across pages; a header row is repeated on every page."""
    from docx.oxml import OxmlElement

    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def stamp(paragraph: Any, width_cm: float = 2.2) -> None:
    """A border around a short paragraph (the "MẬT" stamp), as wide as the word: the paragraph
    is indented from both sides of its column by the same amount."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    column = paragraph._parent.width if hasattr(paragraph._parent, "width") else None
    column = column or Cm(16.5)
    side = max(int((column - Cm(width_cm)) / 2), 0)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = side

    borders = OxmlElement("w:pBdr")
    for edge in ("top", "left", "bottom", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "8")
        element.set(qn("w:space"), "1")
        element.set(qn("w:color"), "auto")
        borders.append(element)
    paragraph._p.get_or_add_pPr().append(borders)


def page_numbers(section: Any) -> None:
    """The page number at the top centre from the second page on."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)
