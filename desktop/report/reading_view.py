"""The whole report as one continuous formatted document: title, numbered headings,
citations, the references list; re-rendered as the agent writes, keeping the reader's
place. The outline is its navigation pane (`scroll_to`)."""
from __future__ import annotations

from desktop.report.cited_browser import CitedBrowser
from desktop.qt import QLabel, QVBoxLayout, QWidget
from desktop.report.render import Part, RenderedReport, heading_anchor, report_parts
from desktop.common.words import plural


class ReadingView(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.summary = QLabel("No report yet. Ask a question to start one.")
        self.summary.setObjectName("readingSummary")
        self.view = CitedBrowser()
        self.citation_clicked = self.view.citation_clicked
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)

    def show_report(self, report: RenderedReport, document=None, flags: list = (),
                    parts: list[Part] | None = None) -> None:
        """Show a rendered report, `flags` (claim-check flags) underlined; only the
        sections that changed since the last one are replaced. `document`: the whole
        report's rich text already parsed (a QTextDocument from
        desktop.report.background_render) to swap in instead; `parts`: its
        report_parts() when already made."""
        written = sum(1 for s in report.sections if not s.is_plan)
        self.summary.setText(f"{plural(report.words, 'word')} · {written} of "
                             f"{plural(len(report.sections), 'section')} written · "
                             f"{plural(len(report.references), 'source')} cited")
        self.view.show_parts(parts if parts is not None else report_parts(report), report,
                             list(flags), document)

    def scroll_to(self, node_id: str) -> None:
        self.view.scrollToAnchor(heading_anchor(node_id))
