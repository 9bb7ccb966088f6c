"""The report as Qt rich text: each section's Markdown rendered, citations as numbered
markers numbered exactly as the export numbers them (engine.export's preparation does the
numbering; this module only turns its placeholders into links).

A marker is a link `cite:N`, N indexing `RenderedReport.groups`; a heading carries the
anchor `sec-<node_id>`. No Qt here: the views take the HTML.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from engine.cite import strip_cites
from engine.export.citations import PLACEHOLDER, Marker, Reference
from engine.export.markdown_blocks import markdown_html
from engine.export.prepare import prepare_report
from engine.library.types import Passage
from engine.report.snapshot import Report, ReportSection

CITE_SCHEME = "cite"
_WORDS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]|[^\s\u3040-\u30ff\u3400-\u9fff]+")
TABLE = '<table border="1" cellspacing="0" cellpadding="4">'


def word_count(text: str | None) -> int:
    """Words of a section's text, citations left out; each CJK character counts as one."""
    return _word_count(text or "")


@lru_cache(maxsize=4096)
def _word_count(text: str) -> int:
    # Remembered: the outline tree and each render count every section again after each
    # of a run's steps, where one section changed (16 ms a time at 30,000 words).
    return len(_WORDS.findall(strip_cites(text, " ")))


@dataclass
class RenderedSection:
    node_id: str
    level: int
    heading: str                  # "2.1 Causes"
    html: str                     # the body as rich text ("" when nothing to show)
    is_plan: bool
    words: int


@dataclass
class RenderedReport:
    title: str
    sections: list[RenderedSection]
    groups: list[list[Marker]]
    references: list[Reference]
    citations: dict[str, Passage] = field(default_factory=dict)

    @property
    def words(self) -> int:
        return sum(s.words for s in self.sections)

    def section(self, node_id: str) -> RenderedSection | None:
        return next((s for s in self.sections if s.node_id == node_id), None)

    def group(self, index: int) -> list[Marker]:
        return self.groups[index] if 0 <= index < len(self.groups) else []

    def cited_keys(self, node_id: str) -> list[str]:
        """Keys cited in a section's rendered text, in reading order."""
        section = self.section(node_id)
        keys: dict[str, None] = {}
        for match in re.finditer(rf'href="{CITE_SCHEME}:(\d+)"', section.html if section else ""):
            keys.update(dict.fromkeys(m.key for m in self.group(int(match.group(1)))))
        return list(keys)


def _report_section(node: dict, overrides: dict[str, str]) -> ReportSection:
    content = overrides.get(node["node_id"], node.get("content"))
    return ReportSection(title=node.get("title", ""), plan=node.get("plan", ""),
                         content=content,
                         subsections=[_report_section(c, overrides)
                                      for c in node.get("subsections", [])])


def _walk(nodes: list[dict]):
    for node in nodes:
        yield node
        yield from _walk(node.get("subsections", []))


def render_report(outline: dict, citations: dict[str, Passage], query: str = "",
                  overrides: dict[str, str] | None = None) -> RenderedReport:
    """Render an Outline.to_dict(); `overrides` maps node ids to draft text (a live
    preview of unsaved typing, numbered in its place in the report)."""
    overrides = overrides or {}
    report = Report(title=outline.get("title") or query, query=query,
                    sections=[_report_section(n, overrides)
                              for n in outline.get("sections", [])],
                    citations=citations)
    # Unwritten sections show their plan, so every node has its section, in walk order.
    prepared = prepare_report(report, unwritten="plan")
    groups = prepared.numbering.groups
    sections = []
    for node, section in zip(_walk(outline.get("sections", [])), prepared.sections):
        text = overrides.get(node["node_id"], node.get("content"))
        sections.append(RenderedSection(
            node_id=node["node_id"], level=section.level, heading=section.heading,
            html=body_html(section.body, groups, section.is_plan), is_plan=section.is_plan,
            words=0 if section.is_plan else word_count(text)))
    return RenderedReport(prepared.title, sections, groups, prepared.numbering.references,
                          citations)


def marker_label(markers: list[Marker]) -> str:
    """'[1, 3]' for a group; a number shared by two keys shows once."""
    labels = dict.fromkeys(str(m.number) if m.number is not None else f"?{m.key}"
                           for m in markers)
    return "[" + ", ".join(labels) + "]"


def body_html(body: str, groups: list[list[Marker]], is_plan: bool) -> str:
    if not body.strip():
        return ""
    if is_plan:
        return f'<p style="color:#777"><i>Plan: {html.escape(" ".join(body.split()))}</i></p>'
    rendered = _markdown(body)
    return PLACEHOLDER.sub(lambda m: _marker_link(int(m.group(1)), groups), rendered)


@lru_cache(maxsize=2048)
def _markdown(body: str) -> str:
    """Markdown to HTML, remembered: while the agent writes, one section changes per step
    and the others re-render from here (placeholders are numbered after this)."""
    return markdown_html(body).replace("<table>", TABLE)


def clear_cache() -> None:
    _markdown.cache_clear()


def _marker_link(index: int, groups: list[list[Marker]]) -> str:
    return (f'<a href="{CITE_SCHEME}:{index}" style="text-decoration:none">'
            f'<sup>{html.escape(marker_label(groups[index]))}</sup></a>')


def heading_anchor(node_id: str) -> str:
    return f"sec-{node_id}"


# Qt keeps a block's "-qt-user-state" as its QTextBlock.userState(): the first block of
# each part carries this one, so a view can find a part and replace it alone
# (desktop.report.parted_document).
PART_START = 1
_TAG = f' style="-qt-user-state:{PART_START}"'


class Part(NamedTuple):
    """One part of the report's document: the title ("title"), a section (its node id)
    or the references ("references"); its first block is its heading."""
    key: str
    heading: str          # the heading's text, as shown
    head: str             # the heading's HTML
    body: str             # the HTML after it

    @property
    def html(self) -> str:
        return self.head + self.body


def report_parts(rendered: RenderedReport, references_label: str = "References") -> list[Part]:
    """The report as parts in reading order: the title, each section (numbered heading
    and body), the references."""
    parts = [Part("title", rendered.title, f"<h1{_TAG}>{html.escape(rendered.title)}</h1>", "")]
    for section in rendered.sections:
        tag = f"h{min(section.level + 1, 6)}"
        parts.append(Part(section.node_id, section.heading,
                          f'<{tag}{_TAG}><a name="{heading_anchor(section.node_id)}"></a>'
                          f"{html.escape(section.heading)}</{tag}>", section.html))
    if rendered.references:
        items = "".join(f"<li>{html.escape(ref.text())}</li>" for ref in rendered.references)
        parts.append(Part("references", references_label,
                          f'<h2{_TAG}><a name="references"></a>'
                          f"{html.escape(references_label)}</h2>", f"<ol>{items}</ol>"))
    return parts


def report_html(rendered: RenderedReport, references_label: str = "References") -> str:
    """The whole report as one document: title, numbered headings, bodies, references."""
    return "\n".join(part.html for part in report_parts(rendered, references_label))


def passage_tooltip(markers: list[Marker], citations: dict[str, Passage],
                    references: list[Reference], limit: int = 320) -> str:
    """Rich text naming each cited document, its page (or place) and the passage."""
    by_number = {ref.number: ref for ref in references}
    parts = []
    for marker in markers:
        passage = citations.get(marker.key)
        if passage is None:
            parts.append(f"<p><b>{html.escape(marker.label)}</b> not among this report's "
                         "sources</p>")
            continue
        ref = by_number.get(marker.number)
        detail = ref.detail if ref else passage.where()
        text = " ".join(passage.text.split())
        text = text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"
        parts.append(f"<p><b>[{marker.number}] {html.escape(passage.title or detail)}</b><br>"
                     f"{html.escape(detail)}<br><i>{html.escape(text)}</i></p>")
    return "".join(parts)
