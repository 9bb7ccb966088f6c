"""The claim check in the window: the Check tab beside Evidence, "N sentences to check" in
the status bar, flagged sentences underlined in the section and reading views, and the
check run again after the user changes a section's text. The run records its own checks
after each write (engine.warp); the window reads them back as steps finish."""
from __future__ import annotations

from desktop.check.panel import CheckPanel, to_check_text
from desktop.qt import QLabel, QObject
from engine.warp import events as ev


class ClaimCheckLink(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.panel = CheckPanel(window.engine, window)
        window.side_tabs.addTab(self.panel, "Check")
        self.status = QLabel("")
        self.status.setObjectName("checkCount")
        window.statusBar().addPermanentWidget(self.status)
        self.panel.count_changed.connect(self._on_count)
        self.panel.go_to.connect(self._go_to)
        window.worker.event.connect(self.on_event)
        self.panel.may_write = lambda: not window.running and not window.extras.follow.active
        window.worker.started.connect(lambda _: self.panel._refresh_buttons())
        window.worker.finished.connect(self.panel._refresh_buttons)

    def set_store(self, store) -> None:
        library = store.settings.get("library", "default") if store is not None else "default"
        self.panel.set_store(store, library)

    def on_event(self, event) -> None:
        if isinstance(event, ev.StepFinished) and event.action == "write" or \
                isinstance(event, ev.Done):
            self.panel.refresh()

    def text_changed(self, node_id: str) -> None:
        """The user saved a section's text: check it again (in the engine process)."""
        self.panel.refresh()
        self.panel.check([node_id])

    def _on_count(self, count: int) -> None:
        self.status.setText(to_check_text(count))
        self.status.setVisible(count > 0)
        # New flags re-render the draft views on the GUI thread (50-60 ms at 30,000
        # words); the panel re-reads them after every write, mostly unchanged.
        if self.panel.flags != self.window.draft.flags:
            self.window.draft.set_flags(self.panel.flags)

    def _go_to(self, node_id: str, flag) -> None:
        window = self.window
        window.outline.select_node(node_id)
        window.draft.pages.setCurrentWidget(window.editor)
        view = window.editor.view
        from desktop.check.marks import sentence_span
        from desktop.qt import QTextCursor

        span = sentence_span(view.document(), flag.sentence)
        if span is not None:
            cursor = QTextCursor(view.document())
            cursor.setPosition(span[0])
            view.setTextCursor(cursor)
            view.ensureCursorVisible()
