"""Styles for exported documents: East Asian fonts, and the few styles the default
python-docx template lacks (hyperlinks, code, TOC entries, reference entries)."""
from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Twips
from lxml import etree

DEFAULT_CJK_FONT = "Noto Sans CJK SC"
CJK_FALLBACK_FONT = "SimSun"      # what Word substitutes where the Noto font is missing
CODE_FONT = "Courier New"
HYPERLINK = "Hyperlink"
CITATION = "Deepdraft Citation"
UNRESOLVED = "Deepdraft Unresolved Citation"
CODE = "Deepdraft Code"
CODE_BLOCK = "Deepdraft Code Block"
REFERENCE = "Deepdraft Reference"
REFERENCE_INDENT = Twips(567)     # 1 cm: room for "[12]"


def setup_styles(document, language: str, cjk_font: str = DEFAULT_CJK_FONT) -> None:
    _set_east_asian_fonts(document, cjk_font, "zh-CN" if language == "zh" else None)
    _declare_font(document, cjk_font)
    _add_character_styles(document)
    _add_paragraph_styles(document)
    for level in range(1, 10):     # the template glues headings to the text below
        document.styles[f"Heading {level}"].paragraph_format.space_after = Pt(4)


def _set_east_asian_fonts(document, font: str, lang: str | None) -> None:
    # The template's theme fonts (eastAsiaTheme) win over w:eastAsia, so they are
    # replaced by a named font everywhere; otherwise Chinese falls back to MS Mincho.
    root = document.styles.element
    for fonts in root.iter(qn("w:rFonts")):
        fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
        fonts.set(qn("w:eastAsia"), font)
    if lang:
        for tag in root.iter(qn("w:lang")):
            tag.set(qn("w:eastAsia"), lang)


def _declare_font(document, font: str) -> None:
    """List the CJK font in the font table with SimSun as its alternate name."""
    part = next((rel.target_part for rel in document.part.rels.values()
                 if not rel.is_external and rel.reltype.endswith("/fontTable")), None)
    if part is None:
        return
    table = etree.fromstring(part.blob)
    w = table.nsmap["w"]
    entry = etree.SubElement(table, f"{{{w}}}font", {f"{{{w}}}name": font})
    for tag, value in (("altName", CJK_FALLBACK_FONT), ("charset", "86"),
                       ("family", "swiss"), ("pitch", "variable")):
        etree.SubElement(entry, f"{{{w}}}{tag}", {f"{{{w}}}val": value})
    # A font table is a plain Part in python-docx: its bytes are all there is to set.
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8",
                                standalone=True)


def _add_character_styles(document) -> None:
    styles = document.styles
    link = styles.add_style(HYPERLINK, WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    link.font.underline = True
    citation = styles.add_style(CITATION, WD_STYLE_TYPE.CHARACTER)
    citation.font.color.rgb = RGBColor(0x1F, 0x4E, 0x79)
    unresolved = styles.add_style(UNRESOLVED, WD_STYLE_TYPE.CHARACTER)
    unresolved.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    unresolved.font.bold = True
    code = styles.add_style(CODE, WD_STYLE_TYPE.CHARACTER)
    code.font.name = CODE_FONT
    code.font.size = Pt(10)


def _add_paragraph_styles(document) -> None:
    styles = document.styles
    block = styles.add_style(CODE_BLOCK, WD_STYLE_TYPE.PARAGRAPH)
    block.base_style = styles["Normal"]
    # Shading first: python-docx then files later properties after it, in schema order.
    _shade(block.element.get_or_add_pPr(), "F2F2F2")
    block.font.name = CODE_FONT
    block.font.size = Pt(9)
    block.paragraph_format.line_spacing = 1.0
    block.paragraph_format.left_indent = Twips(284)
    reference = styles.add_style(REFERENCE, WD_STYLE_TYPE.PARAGRAPH)
    reference.base_style = styles["Normal"]
    reference_format = reference.paragraph_format
    reference_format.left_indent = REFERENCE_INDENT
    reference_format.first_line_indent = -REFERENCE_INDENT
    reference_format.space_after = Pt(4)
    reference_format.tab_stops.add_tab_stop(REFERENCE_INDENT, WD_TAB_ALIGNMENT.LEFT)
    for level in (1, 2, 3):
        # Lower-case "toc N" is Word's built-in name, so an updated TOC uses these.
        toc = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        toc.base_style = styles["Normal"]
        toc.paragraph_format.left_indent = Twips(220 * (level - 1))
        toc.paragraph_format.space_after = Pt(2)


def _shade(properties, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)
