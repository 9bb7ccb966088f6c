"""Raw WordprocessingML that python-docx has no API for: bookmarks, hyperlinks, the
table-of-contents field and the "update fields on open" setting."""
from __future__ import annotations

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

TOC_INSTRUCTION = ' TOC \\o "1-3" \\h \\z \\u '


class Bookmarks:
    """Hands out document-unique bookmark ids (w:id must not repeat)."""

    def __init__(self) -> None:
        self._next = 0

    def wrap(self, paragraph: Paragraph, name: str) -> None:
        """Bookmark the whole paragraph under `name` (a w:anchor target)."""
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self._next))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self._next))
        self._next += 1
        p = paragraph._p
        p.insert(1 if p.pPr is not None else 0, start)
        p.append(end)


def internal_hyperlink(paragraph: Paragraph, anchor: str):
    """An empty w:hyperlink to bookmark `anchor`, appended to the paragraph."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    paragraph._p.append(link)
    return link


def external_hyperlink(paragraph: Paragraph, url: str):
    """An empty w:hyperlink to `url` (an external relationship), appended."""
    rel_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    link.set(qn("w:history"), "1")
    paragraph._p.append(link)
    return link


def _field_char(kind: str):
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


def begin_toc_field(paragraph: Paragraph) -> None:
    """Open a TOC complex field; what follows until `end_field` is its cached result."""
    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = TOC_INSTRUCTION
    instr_run.append(instr)
    for element in (_field_char("begin"), instr_run, _field_char("separate")):
        paragraph._p.append(element)


def end_field(paragraph: Paragraph) -> None:
    paragraph._p.append(_field_char("end"))


def enable_update_fields(document) -> None:
    """Ask Word to refresh fields (the TOC's page numbers) when the file is opened."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is not None:
        return
    flag = OxmlElement("w:updateFields")
    flag.set(qn("w:val"), "true")
    successors = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat",
                  "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema",
                  "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
                  "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions",
                  "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
                  "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol",
                  "w:listSeparator")
    settings.insert_element_before(flag, *successors)
