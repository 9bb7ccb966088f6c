"""Real Word list numbering: one bullet and one decimal definition (w:abstractNum), and
one numbering instance (w:num) per Markdown list so each ordered list restarts."""
from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

LEVELS = 9
INDENT_STEP = 360                 # twips per nesting level
_BULLETS = ("\u2022", "\u25e6", "\u25aa")
_ORDERED_FORMATS = ("decimal", "lowerLetter", "lowerRoman")


def _element(tag: str, **attrs: str):
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _level(ilvl: int, ordered: bool):
    level = _element("w:lvl", ilvl=str(ilvl))
    level.append(_element("w:start", val="1"))
    if ordered:
        level.append(_element("w:numFmt", val=_ORDERED_FORMATS[ilvl % 3]))
        level.append(_element("w:lvlText", val=f"%{ilvl + 1}."))
    else:
        level.append(_element("w:numFmt", val="bullet"))
        level.append(_element("w:lvlText", val=_BULLETS[ilvl % 3]))
    level.append(_element("w:lvlJc", val="left"))
    paragraph = _element("w:pPr")
    paragraph.append(_element("w:ind", left=str(INDENT_STEP * (ilvl + 2)),
                              hanging=str(INDENT_STEP)))
    level.append(paragraph)
    return level


class ListNumbering:
    def __init__(self, document) -> None:
        self._root = document.part.numbering_part.element
        abstract_ids = [int(a.get(qn("w:abstractNumId")))
                        for a in self._root.findall(qn("w:abstractNum"))]
        first = max(abstract_ids, default=-1) + 1
        self._abstract = {False: first, True: first + 1}
        for ordered, abstract_id in self._abstract.items():
            self._add_abstract(abstract_id, ordered)
        self._next_num = 1 + max((int(n.get(qn("w:numId")))
                                  for n in self._root.findall(qn("w:num"))), default=0)

    def _add_abstract(self, abstract_id: int, ordered: bool) -> None:
        abstract = _element("w:abstractNum", abstractNumId=str(abstract_id))
        abstract.append(_element("w:multiLevelType", val="hybridMultilevel"))
        for ilvl in range(LEVELS):
            abstract.append(_level(ilvl, ordered))
        # Schema order: every w:abstractNum precedes every w:num.
        existing = self._root.findall(qn("w:num"))
        if existing:
            existing[0].addprevious(abstract)
        else:
            self._root.append(abstract)

    def new_list(self, ordered: bool, level: int, start: int = 1) -> int:
        """A fresh numbering instance; its items at `level` count from `start`."""
        num_id = self._next_num
        self._next_num += 1
        num = _element("w:num", numId=str(num_id))
        num.append(_element("w:abstractNumId", val=str(self._abstract[ordered])))
        override = _element("w:lvlOverride", ilvl=str(level))
        override.append(_element("w:startOverride", val=str(start)))
        num.append(override)
        self._root.append(num)
        return num_id


def apply_numbering(paragraph: Paragraph, num_id: int, level: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id
