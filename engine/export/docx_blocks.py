"""Block Markdown (paragraphs, lists, tables, quotes, code) -> Word paragraphs and tables."""
from __future__ import annotations

from dataclasses import dataclass, replace

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Twips
from docx.text.paragraph import Paragraph
from markdown_it.tree import SyntaxTreeNode

from engine.export import docx_styles as styles
from engine.export.citations import plain_citations
from engine.export.docx_inline import Format, InlineWriter
from engine.export.docx_numbering import INDENT_STEP, ListNumbering, apply_numbering
from engine.export.markdown_blocks import alignment_of

QUOTE_INDENT = 567                # twips per block-quote level
_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "right": WD_ALIGN_PARAGRAPH.RIGHT}
_TEXT_BLOCKS = ("paragraph", "heading", "fence", "code_block", "blockquote")


@dataclass
class _Item:
    """A list item being written: its first paragraph carries the number or bullet."""
    num_id: int
    level: int
    numbered: bool = False


@dataclass(frozen=True)
class _Context:
    fmt: Format = Format()
    quote: int = 0
    item: _Item | None = None


class BlockWriter:
    def __init__(self, document, inline: InlineWriter, groups) -> None:
        self._document = document
        self._inline = inline
        self._groups = groups
        self._lists = ListNumbering(document)

    def write(self, tree: SyntaxTreeNode, *, italic: bool = False) -> None:
        context = _Context(fmt=Format(italic=italic))
        for node in tree.children:
            self._block(node, context)

    def _block(self, node: SyntaxTreeNode, ctx: _Context) -> None:
        kind = node.type
        if kind == "paragraph":
            self._inline.write(self._paragraph(ctx), node.children, ctx.fmt)
        elif kind == "heading":    # a heading inside a section: a bold run-in line
            paragraph = self._paragraph(ctx)
            paragraph.paragraph_format.keep_with_next = True
            self._inline.write(paragraph, node.children, replace(ctx.fmt, bold=True))
        elif kind in ("bullet_list", "ordered_list"):
            self._list(node, ctx)
        elif kind == "blockquote":
            for child in node.children:
                self._block(child, replace(ctx, quote=ctx.quote + 1))
        elif kind in ("fence", "code_block"):
            code = plain_citations(node.content.rstrip("\n"), self._groups)
            self._paragraph(ctx, styles.CODE_BLOCK).add_run(code)
        elif kind == "table":
            self._table(node, ctx)
        elif kind == "hr":
            _bottom_border(self._paragraph(ctx))
        elif node.children:        # unknown containers: keep what they hold
            for child in node.children:
                self._block(child, ctx)

    def _paragraph(self, ctx: _Context, style: str | None = None) -> Paragraph:
        if style is None:
            style = "Quote" if ctx.quote else "List Paragraph" if ctx.item else None
        paragraph = self._document.add_paragraph(style=style)
        indent = QUOTE_INDENT * ctx.quote
        if ctx.item is not None:
            if not ctx.item.numbered:
                apply_numbering(paragraph, ctx.item.num_id, ctx.item.level)
                ctx.item.numbered = True
                return paragraph    # the numbering level supplies the indent
            indent += INDENT_STEP * (ctx.item.level + 2)
        if indent:
            paragraph.paragraph_format.left_indent = Twips(indent)
        return paragraph

    def _list(self, node: SyntaxTreeNode, ctx: _Context) -> None:
        ordered = node.type == "ordered_list"
        level = min(ctx.item.level + 1 if ctx.item else 0, 8)
        num_id = self._lists.new_list(ordered, level, int(node.attrs.get("start", 1)))
        for item in node.children:
            item_ctx = replace(ctx, item=_Item(num_id, level))
            for child in item.children:
                if child.type not in _TEXT_BLOCKS and not item_ctx.item.numbered:
                    self._paragraph(item_ctx)   # the number needs a line of its own
                self._block(child, item_ctx)
            if not item_ctx.item.numbered:      # an empty item: "-" alone on a line
                self._paragraph(item_ctx)

    def _table(self, node: SyntaxTreeNode, ctx: _Context) -> None:
        rows = [row for part in node.children for row in part.children]
        if not rows:
            return
        if ctx.item is not None and not ctx.item.numbered:
            self._paragraph(ctx)
        columns = max(len(row.children) for row in rows)
        table = self._document.add_table(rows=len(rows), cols=columns)
        table.style = "Table Grid"
        for row_node, row in zip(rows, table.rows):
            header = row_node.parent.type == "thead"
            if header:
                _repeat_as_header(row)
            for cell_node, cell in zip(row_node.children, row.cells):
                paragraph = cell.paragraphs[0]
                align = alignment_of(cell_node)
                if align in _ALIGN:
                    paragraph.alignment = _ALIGN[align]
                fmt = replace(ctx.fmt, bold=ctx.fmt.bold or header)
                self._inline.write(paragraph, cell_node.children, fmt)
        self._fit_columns(table)
        self._document.add_paragraph()    # Word glues consecutive tables together

    def _fit_columns(self, table) -> None:
        """Share the text width by how much each column holds, instead of equally."""
        section = self._document.sections[-1]
        available = section.page_width - section.left_margin - section.right_margin
        weights = [min(max((len(cell.text) for cell in column.cells), default=0), 60) + 4
                   for column in table.columns]
        for column, weight in zip(table.columns, weights):
            width = int(available * weight / sum(weights))
            column.width = width
            for cell in column.cells:    # Word reads the cell widths, not the grid
                cell.width = width


def _repeat_as_header(row) -> None:
    flag = OxmlElement("w:tblHeader")
    row._tr.get_or_add_trPr().append(flag)


def _bottom_border(paragraph: Paragraph) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "auto")):
        bottom.set(qn(f"w:{name}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(
        borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind",
        "w:contextualSpacing", "w:jc", "w:rPr", "w:sectPr", "w:pPrChange")
