"""The report as the window currently knows it: the latest outline (from the run's
events or the project store) and the citation registry (read from the project store),
rendered once per change and shared by the section view, the reading view and the
evidence pane."""
from __future__ import annotations

from desktop.report.render import RenderedReport, render_report
from engine.library.types import Passage


class ReportState:
    def __init__(self) -> None:
        self.store = None                    # engine.project.project_store.ProjectStore
        self.outline: dict = {"title": "", "sections": []}
        self.citations: dict[str, Passage] = {}
        self.rendered: RenderedReport = render_report(self.outline, {})
        self.query, self.library = "", "default"
        self._citations_read = 0   # the registry's last number read (it only grows)

    def set_store(self, store) -> None:
        self.store = store
        self.citations, self._citations_read = {}, 0
        # Read once: a preview may render after the window closed the store.
        self.query = store.query if store is not None else ""
        self.library = store.settings.get("library", "default") if store else "default"
        self.update(store.load_outline().to_dict() if store is not None else None)

    def update(self, outline: dict | None) -> RenderedReport:
        """Take a new outline (None: keep it) and read what the registry gained; re-render."""
        self.take(outline)
        self.rendered = render_report(self.outline, self.citations, self.query)
        return self.rendered

    def take(self, outline: dict | None) -> None:
        """The new outline and citations, not yet rendered (a background render will)."""
        if outline is not None:
            self.outline = outline
        if self.store is not None:
            self._citations_read, new = self.store.citations_after(self._citations_read)
            if new:   # a new dict: one already handed to a background render stays as it was
                self.citations = {**self.citations, **dict(new)}

    def section_view(self, node_id: str, draft: str | None) -> tuple[str, RenderedReport]:
        """The section's rich text; a draft is rendered in place (live preview)."""
        report = self.rendered if draft is None else render_report(
            self.outline, self.citations, self.query, overrides={node_id: draft})
        section = report.section(node_id)
        body = section.html if section is not None else ""
        return body or '<p style="color:#777">Not written yet.</p>', report

    def shown_keys(self, node_id: str) -> list[str]:
        """Passages the agent was shown for this section (project store)."""
        return self.store.shown_keys_for(node_id) if self.store is not None else []
