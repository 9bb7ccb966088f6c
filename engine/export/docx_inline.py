"""Inline Markdown (emphasis, code, links, citation placeholders) -> runs of a paragraph."""
from __future__ import annotations

from dataclasses import dataclass, replace

from docx.text.paragraph import Paragraph
from markdown_it.tree import SyntaxTreeNode

from engine.export import docx_styles as styles
from engine.export.citations import Marker, plain_citations, split_citations
from engine.export.docx_fields import external_hyperlink, internal_hyperlink

REFERENCE_ANCHOR = "dd_ref_{}"
_SAFE_SCHEMES = ("http://", "https://", "mailto:", "ftp://")


@dataclass(frozen=True)
class Format:
    bold: bool = False
    italic: bool = False
    strike: bool = False
    link: object = None           # the w:hyperlink runs go into, when inside a link


class InlineWriter:
    """Writes inline syntax-tree nodes as runs; `groups` resolves citation placeholders."""

    def __init__(self, document, groups: list[list[Marker]]) -> None:
        self._groups = groups
        # Style ids looked up once: a by-name lookup per run is a large share of export time.
        self._ids = {name: document.styles[name].style_id for name in (
            styles.CODE, styles.CITATION, styles.UNRESOLVED, styles.HYPERLINK)}

    def write(self, paragraph: Paragraph, nodes: list[SyntaxTreeNode], fmt: Format) -> None:
        for node in nodes:
            self._node(paragraph, node, fmt)

    def _node(self, paragraph: Paragraph, node: SyntaxTreeNode, fmt: Format) -> None:
        kind = node.type
        if kind == "inline":
            self.write(paragraph, node.children, fmt)
        elif kind == "text":
            self.text(paragraph, node.content, fmt)
        elif kind == "softbreak":
            self._run(paragraph, " ", fmt)
        elif kind == "hardbreak":
            self._run(paragraph, "", fmt).add_break()
        elif kind == "code_inline":
            run = self._run(paragraph, plain_citations(node.content, self._groups), fmt)
            run._r.style = self._ids[styles.CODE]
        elif kind in ("strong", "em", "s"):
            flag = {"strong": "bold", "em": "italic", "s": "strike"}[kind]
            self.write(paragraph, node.children, replace(fmt, **{flag: True}))
        elif kind == "link":
            self._link(paragraph, node, fmt)
        elif kind == "image":      # no pictures travel with a report: keep the alt text
            self.write(paragraph, node.children, replace(fmt, italic=True))
        else:                      # anything newer in markdown-it: keep its text
            self.text(paragraph, node.content or "", fmt)

    def _link(self, paragraph: Paragraph, node: SyntaxTreeNode, fmt: Format) -> None:
        href = str(node.attrs.get("href", ""))
        if fmt.link is not None or not href.lower().startswith(_SAFE_SCHEMES):
            self.write(paragraph, node.children, fmt)   # w:hyperlink cannot nest
            return
        link = external_hyperlink(paragraph, href)
        self.write(paragraph, node.children, replace(fmt, link=link))

    def text(self, paragraph: Paragraph, text: str, fmt: Format) -> None:
        """Plain text that may hold citation placeholders."""
        for piece in split_citations(text, self._groups):
            if isinstance(piece, str):
                self._run(paragraph, piece, fmt)
            else:
                for marker in piece:
                    self._marker(paragraph, marker, fmt)

    def _marker(self, paragraph: Paragraph, marker: Marker, fmt: Format) -> None:
        if marker.number is None:
            self._run(paragraph, marker.label, fmt)._r.style = self._ids[styles.UNRESOLVED]
        elif fmt.link is not None:
            self._run(paragraph, marker.label, fmt)._r.style = self._ids[styles.CITATION]
        else:
            link = internal_hyperlink(paragraph, REFERENCE_ANCHOR.format(marker.number))
            run = self._run(paragraph, marker.label, replace(fmt, link=link))
            run._r.style = self._ids[styles.CITATION]

    def _run(self, paragraph: Paragraph, text: str, fmt: Format):
        run = paragraph.add_run(text)
        if fmt.bold:
            run.bold = True
        if fmt.italic:
            run.italic = True
        if fmt.strike:
            run.font.strike = True
        if fmt.link is not None:
            fmt.link.append(run._r)    # moves the run into the hyperlink
            run._r.style = self._ids[styles.HYPERLINK]
        return run
