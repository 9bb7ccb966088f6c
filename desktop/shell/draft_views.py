"""The views of the draft kept in step: the reading view and the section editor (two
pages of one tab widget), the evidence pane and the History dialog, all fed from one
ReportState. The main window places the widgets and routes a few signals; the
coordination lives here."""
from __future__ import annotations

from desktop.report.background_render import BackgroundRenderer, RenderResult
from desktop.evidence.panel import EvidencePanel
from desktop.report.history_dialog import HistoryDialog
from desktop.qt import QObject, QTabWidget, QTimer, Signal
from desktop.report.reading_view import ReadingView
from desktop.report.state import ReportState
from desktop.report.section_editor import SectionEditor
from engine.warp.edits import EditError, EditNode

# While the agent writes, the views re-render at most this often, off the GUI thread
# (desktop.report.background_render); the reading view then replaces only the sections
# that changed (desktop.report.parted_document).
RENDER_EVERY_MS = 300


class DraftViews(QObject):
    """Signals fire on the GUI thread: `edit_requested(edit)` for a text save or a
    restore; `evidence_wanted()` when a citation was clicked; `message(str)`."""

    edit_requested = Signal(object)
    evidence_wanted = Signal()
    message = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.report = ReportState()
        self.reading = ReadingView()
        self.editor = SectionEditor()
        self.editor.renderer = self.report.section_view
        self.evidence = EvidencePanel()
        self.pages = QTabWidget()
        self.pages.addTab(self.reading, "Report")
        self.pages.addTab(self.editor, "Section")
        self.selected: tuple[dict | None, str] = (None, "")
        self.flags: dict[str, list] = {}     # node_id -> claim-check flags to underline
        self.history_dialog: HistoryDialog | None = None
        self.editor.save_requested.connect(
            lambda node_id, text: self.edit_requested.emit(EditNode(node_id, content=text)))
        self.editor.citation_clicked.connect(self.show_evidence)
        self.reading.citation_clicked.connect(self.show_evidence)
        self.editor.history_requested.connect(self.open_history)
        self.evidence.message.connect(self.message)
        self._latest: dict | None = None        # an outline waiting for its render
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(RENDER_EVERY_MS)
        self._render_timer.timeout.connect(self._render_latest)
        self.renderer = BackgroundRenderer(self)
        self.renderer.rendered.connect(self._on_rendered)

    def set_store(self, store) -> None:
        self._drop_streamed()
        self.report.set_store(store)
        self._refresh()

    def show_outline(self, outline: dict) -> None:
        """The outline changed (edit, reload): re-render every view now."""
        self._drop_streamed()
        self.report.update(outline)
        self._refresh()

    def _drop_streamed(self) -> None:
        """A full render now makes any pending or running streamed render stale."""
        self._render_timer.stop()
        self._latest = None
        self.renderer.cancel()

    def shutdown(self) -> None:
        self._drop_streamed()
        self.renderer.shutdown()

    def outline_streamed(self, outline: dict) -> None:
        """The running agent changed the outline: re-render soon, with the latest one
        (several changes within RENDER_EVERY_MS cost one render)."""
        self._latest = outline
        if not self._render_timer.isActive():
            self._render_timer.start()

    def _render_latest(self) -> None:
        if self._latest is not None:
            self.report.take(self._latest)
            self._latest = None
            self._render(full=not self.reading.view.parted.parts)

    def _render(self, full: bool) -> None:
        self.renderer.render(self.report.outline, self.report.citations,
                             self.report.query, self.reading.view.font(), full)

    def _on_rendered(self, result: RenderResult) -> None:
        if result.document is None and \
                not self.reading.view.patchable(result.parts, self._flag_list()):
            self._render(full=True)   # most of it changed: a whole document, built there
            return
        self.report.rendered = result.report
        self._refresh(result.document, result.parts)

    def _flag_list(self) -> list:
        return [f for flags in self.flags.values() for f in flags]

    def set_flags(self, flags: dict[str, list]) -> None:
        """The claim check's flags (node_id -> flags): underlined in both views."""
        self.flags = dict(flags)
        self.editor.flags = self.flags
        self._refresh()

    def _refresh(self, document=None, parts=None) -> None:
        self.reading.show_report(self.report.rendered, document, self._flag_list(), parts)
        self.editor.refresh_view()
        self._show_evidence_for(self.selected[0])

    def select(self, node: dict | None, position: str) -> None:
        """Outline selection: nothing selected shows the reading view; in the reading
        view a selection scrolls to its heading; the editor always follows it."""
        self.selected = (node, position)
        self.editor.show_node(node, position)
        if node is None:
            self.pages.setCurrentWidget(self.reading)
        elif self.pages.currentWidget() is self.reading:
            self.reading.scroll_to(node["node_id"])
        self._show_evidence_for(node)

    def open_section(self, node_id: str) -> None:
        if self.selected[0] is not None and self.selected[0].get("node_id") == node_id:
            self.pages.setCurrentWidget(self.editor)

    def _show_evidence_for(self, node: dict | None) -> None:
        node_id = node.get("node_id") if node else None
        title = self.report.rendered.section(node_id).heading if node_id and \
            self.report.rendered.section(node_id) else ""
        shown = self.report.shown_keys(node_id) if node_id else []
        self.evidence.show_section(node_id, title, self.report.rendered, shown,
                                   self.report.library)

    def show_evidence(self, keys: list[str]) -> None:
        """A citation marker was clicked: the evidence pane at its first passage (the
        pane switches to the citing section when another one is shown)."""
        if not keys:
            return
        if not self.evidence.select_key(keys[0]):
            section = next((s for s in self.report.rendered.sections
                            if keys[0] in self.report.rendered.cited_keys(s.node_id)), None)
            if section is not None:
                title = section.heading
                self.evidence.show_section(section.node_id, title, self.report.rendered,
                                           self.report.shown_keys(section.node_id),
                                           self.report.library)
                self.evidence.select_key(keys[0])
        self.evidence_wanted.emit()

    def keep_unsaved(self, unsaved: tuple[str, str] | None) -> None:
        """Write text typed but never saved straight into the project (window closing,
        no run going)."""
        if unsaved is None or self.report.store is None:
            return
        from engine.warp.coediting import commit_edit

        from engine.project.errors import ProjectError

        try:
            commit_edit(self.report.store, EditNode(unsaved[0], content=unsaved[1]))
        except (EditError, KeyError, ProjectError) as exc:
            self.message.emit(f"Your unsaved text could not be kept: {exc}")

    def open_history(self, node_id: str) -> HistoryDialog | None:
        """The section's versions; a restore becomes an (undoable) text save."""
        store = self.report.store
        if store is None:
            return None
        section = self.report.rendered.section(node_id)
        node = self.selected[0] or {}
        current = node.get("content") or "" if node.get("node_id") == node_id else ""
        dialog = HistoryDialog(section.heading if section else "Section",
                               store.section_versions(node_id), current,
                               self.editor.window())
        self.history_dialog = dialog
        dialog.accepted.connect(lambda: dialog.chosen is not None and self.edit_requested.emit(
            EditNode(node_id, content=dialog.chosen)))
        dialog.open()
        return dialog
