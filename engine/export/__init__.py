"""Export a Report snapshot to Word (.docx) and Markdown. Never calls a model.

    export_docx(report, "r.docx", numbered_headings=True, unwritten="omit")
    export_markdown(report, "r.md")
    write_exports(report, docx="r.docx", md="r.md")   # -> warnings
"""
from __future__ import annotations

from pathlib import Path

from engine.export.comments import SentenceComment
from engine.export.docx_writer import export_docx
from engine.export.markdown_export import export_markdown
from engine.export.result import ExportResult
from engine.report.snapshot import Report

__all__ = ["ExportResult", "SentenceComment", "export_docx", "export_markdown", "write_exports"]

_DOCX_ONLY = ("table_of_contents", "cjk_font")


def write_exports(report: Report, docx: str | Path | None = None,
                  md: str | Path | None = None, **options) -> list[str]:
    """Write whichever of the two files are asked for; their warnings, each once.

    `options` are those of `export_docx`; the Markdown export takes the shared ones
    (numbered_headings, unwritten)."""
    warnings: list[str] = []
    if docx is not None:
        warnings += export_docx(report, docx, **options).warnings
    if md is not None:
        shared = {k: v for k, v in options.items() if k not in _DOCX_ONLY}
        warnings += export_markdown(report, md, **shared).warnings
    return list(dict.fromkeys(warnings))
