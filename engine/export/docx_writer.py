"""`export_docx`: a Report snapshot -> a Word document someone can hand in."""
from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path

from docx import Document
from docx.shared import Mm

from engine.atomic import write_bytes
from engine.export import docx_styles as styles
from engine.export.comments import SentenceComment, add_docx_comments, mark_comments
from engine.export.docx_blocks import BlockWriter
from engine.export.docx_fields import (Bookmarks, begin_toc_field, enable_update_fields,
                                       end_field, internal_hyperlink)
from engine.export.docx_inline import REFERENCE_ANCHOR, InlineWriter
from engine.export.markdown_blocks import parse_markdown
from engine.export.prepare import ExportSection, PreparedReport, prepare_report
from engine.export.result import ExportResult, result_for
from engine.report.snapshot import Report

TOC_LEVELS = 3


def export_docx(report: Report, path: str | Path, *, numbered_headings: bool = True,
                unwritten: str = "mark", table_of_contents: bool = True,
                cjk_font: str = styles.DEFAULT_CJK_FONT,
                comments: list[SentenceComment] | None = None) -> ExportResult:
    """Write `report` as .docx at `path` (atomically) and say what needed attention.
    `comments` become Word comments on their sentences (engine.export.comments)."""
    report, notes = mark_comments(report, comments or [])
    prepared = prepare_report(report, numbered_headings=numbered_headings,
                              unwritten=unwritten)
    document = Document()
    styles.setup_styles(document, prepared.language, cjk_font)
    if prepared.language == "zh":     # the template is US Letter; China uses A4
        document.sections[0].page_width, document.sections[0].page_height = Mm(210), Mm(297)
    _core_properties(document, prepared)
    document.add_paragraph(prepared.title, style="Title")
    bookmarks = Bookmarks()
    if table_of_contents and prepared.sections:
        _table_of_contents(document, prepared)
    _sections(document, prepared, bookmarks)
    if notes:
        add_docx_comments(document, notes)
    _references(document, prepared, bookmarks)
    enable_update_fields(document)
    path = Path(path)
    _save(document, path)
    return result_for(prepared, path)


def _sections(document, prepared: PreparedReport, bookmarks: Bookmarks) -> None:
    groups = prepared.numbering.groups
    blocks = BlockWriter(document, InlineWriter(document, groups), groups)
    for section in prepared.sections:
        heading = document.add_paragraph(section.heading, style=_heading_style(section))
        bookmarks.wrap(heading, section.anchor)
        if section.body:
            blocks.write(parse_markdown(section.body), italic=section.is_plan)


def _heading_style(section: ExportSection) -> str:
    return f"Heading {min(section.level, 9)}"


def _table_of_contents(document, prepared: PreparedReport) -> None:
    """A TOC field whose cached result already lists the headings (linked, no page
    numbers), so readers that never update fields still show a usable contents list."""
    document.add_paragraph(prepared.labels["contents"], style="TOC Heading")
    entries = [s for s in prepared.sections if s.level <= TOC_LEVELS]
    for index, section in enumerate(entries):
        paragraph = document.add_paragraph(style=f"toc {section.level}")
        if index == 0:
            begin_toc_field(paragraph)
        link = internal_hyperlink(paragraph, section.anchor)
        link.append(paragraph.add_run(section.heading)._r)
        if index == len(entries) - 1:
            end_field(paragraph)


def _references(document, prepared: PreparedReport, bookmarks: Bookmarks) -> None:
    references = prepared.numbering.references
    if not references:
        return
    document.add_paragraph(prepared.labels["references"], style="Heading 1")
    for reference in references:
        paragraph = document.add_paragraph(style=styles.REFERENCE)
        paragraph.add_run(f"[{reference.number}]\t")
        if reference.title:
            # Chinese typography has no italics: the title stands out by position alone.
            title = paragraph.add_run(reference.title + ". ")
            title.italic = prepared.language != "zh"
        paragraph.add_run(reference.detail + "." if reference.detail else "")
        bookmarks.wrap(paragraph, REFERENCE_ANCHOR.format(reference.number))


def _core_properties(document, prepared: PreparedReport) -> None:
    properties = document.core_properties
    now = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    properties.title = prepared.title[:255]
    properties.subject = prepared.subject[:255]
    properties.author = prepared.author[:255]
    properties.last_modified_by = prepared.author[:255]
    properties.created = _utc_naive(prepared.created) or now
    properties.modified = now
    properties.comments = ""          # the template says "generated by python-docx"
    properties.keywords = ""
    properties.revision = 1
    properties.language = "zh-CN" if prepared.language == "zh" else "en-US"


def _utc_naive(moment: datetime | None) -> datetime | None:
    # Core properties are written as UTC ('...Z'); python-docx does not convert.
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def _save(document, path: Path) -> None:
    """Through a temporary file, so a failed export never clobbers a good document."""
    packed = io.BytesIO()  # zipped in memory: a full disk then fails one plain write
    document.save(packed)
    write_bytes(path, packed.getbuffer())
