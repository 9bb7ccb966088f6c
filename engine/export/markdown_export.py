"""`export_markdown`: the report as one Markdown file, numbered like the Word export."""
from __future__ import annotations

import re
from pathlib import Path

from engine.atomic import write_text
from engine.export.citations import plain_citations
from engine.export.comments import SentenceComment, footnotes, mark_comments
from engine.export.prepare import ExportSection, PreparedReport, prepare_report
from engine.export.result import ExportResult, result_for
from engine.report.snapshot import Report

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<])")


def export_markdown(report: Report, path: str | Path, *, numbered_headings: bool = True,
                    unwritten: str = "mark",
                    comments: list[SentenceComment] | None = None) -> ExportResult:
    """Write `report` as Markdown at `path`: numbered headings, [n] citations, and a
    References list naming document, file and page; `comments` as footnotes."""
    report, notes = mark_comments(report, comments or [])
    prepared = prepare_report(report, numbered_headings=numbered_headings,
                              unwritten=unwritten)
    path = Path(path)
    write_text(path, footnotes(render_markdown(prepared), notes))
    return result_for(prepared, path)


def render_markdown(prepared: PreparedReport) -> str:
    parts = [f"# {_escape(prepared.title)}"]
    groups = prepared.numbering.groups
    for section in prepared.sections:
        parts.append(f"{'#' * min(section.level + 1, 6)} {_escape(section.heading)}")
        body = _body(section, groups)
        if body:
            parts.append(body)
    if prepared.numbering.references:
        parts.append(f"## {prepared.labels['references']}")
        parts.append("\n".join(f"{ref.number}. {_escape(ref.text())}"
                               for ref in prepared.numbering.references))
    return "\n\n".join(parts) + "\n"


def _body(section: ExportSection, groups) -> str:
    text = plain_citations(section.body, groups).strip()
    if section.is_plan and text:
        return f"*{_escape(' '.join(text.split()))}*"
    return text


def _escape(text: str) -> str:
    """Plain text (a title, a file name) made literal in Markdown."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


