"""Read an exported .docx back the way a checker would: styles, numbering, links."""
from __future__ import annotations

import re

import docx
from docx.oxml.ns import qn

LEFTOVER_MARKDOWN = ("**", "\\cite", "`", "#", "\ue000", "\ue001")


def open_docx(path):
    return docx.Document(str(path))


def body_text(document) -> str:
    """Every w:t in the main document part (paragraphs, tables, hyperlinks)."""
    return "".join(t.text or "" for t in document.element.body.iter(qn("w:t")))


def headings(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs
            if p.style.name.startswith("Heading")]


def list_items(document) -> list[tuple[str, int, int]]:
    """(text, numId, ilvl) of every paragraph that carries list numbering."""
    items = []
    for paragraph in document.paragraphs:
        ppr = paragraph._p.pPr
        if ppr is not None and ppr.numPr is not None:
            items.append((paragraph.text, ppr.numPr.numId.val, ppr.numPr.ilvl.val))
    return items


def num_format(document, num_id: int, ilvl: int) -> str:
    """The w:numFmt ('bullet', 'decimal', ...) a numbering instance uses at a level."""
    numbering = document.part.numbering_part.element
    num = next(n for n in numbering.findall(qn("w:num"))
               if n.get(qn("w:numId")) == str(num_id))
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(a for a in numbering.findall(qn("w:abstractNum"))
                    if a.get(qn("w:abstractNumId")) == abstract_id)
    level = next(lvl for lvl in abstract.findall(qn("w:lvl"))
                 if lvl.get(qn("w:ilvl")) == str(ilvl))
    return level.find(qn("w:numFmt")).get(qn("w:val"))


def citation_links(document) -> list[tuple[str, str]]:
    """(marker text, anchor) of every internal hyperlink whose text looks like [n]."""
    links = []
    for link in document.element.body.iter(qn("w:hyperlink")):
        anchor = link.get(qn("w:anchor"))
        text = "".join(t.text or "" for t in link.iter(qn("w:t")))
        if anchor and re.fullmatch(r"\[\d+\]", text):
            links.append((text, anchor))
    return links


def bookmark_names(document) -> set[str]:
    return {b.get(qn("w:name")) for b in document.element.body.iter(qn("w:bookmarkStart"))}


def external_links(document) -> list[tuple[str, str]]:
    """(text, target URL) of every external hyperlink."""
    rels = document.part.rels
    return [("".join(t.text or "" for t in link.iter(qn("w:t"))),
             rels[link.get(qn("r:id"))].target_ref)
            for link in document.element.body.iter(qn("w:hyperlink"))
            if link.get(qn("r:id"))]


def reference_entries(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == "Deepdraft Reference"]
