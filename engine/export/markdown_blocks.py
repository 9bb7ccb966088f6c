"""The one Markdown parser export uses: CommonMark plus tables and strikethrough, raw
HTML off (it is shown as text), parsed into a syntax tree for the writers to walk."""
from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

_PARSER = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def parse_markdown(text: str) -> SyntaxTreeNode:
    """The block tree of `text`; any input parses (unclosed markup becomes text)."""
    return SyntaxTreeNode(_PARSER.parse(text))


def alignment_of(cell: SyntaxTreeNode) -> str | None:
    """'left', 'center' or 'right' from a table cell's `style="text-align:..."`."""
    style = str(cell.attrs.get("style", ""))
    return style.split(":", 1)[1].strip() if style.startswith("text-align:") else None


def markdown_html(text: str) -> str:
    """`text` as HTML by the same parser (for the window's rendered views); raw HTML in
    the text stays escaped, as in the exports."""
    return _PARSER.render(text)
