"""While the agent writes, the whole report is rendered off the GUI thread: the Markdown
and citation numbering (engine.export's preparation, pure Python) and its rich-text parts
(desktop.report.render.report_parts). The GUI thread then replaces only the parts that
changed (desktop.report.parted_document). When a whole new document is wanted (the first
one, or most of the report changed), Qt's parsing of the rich text into a QTextDocument
is done here too, and the GUI thread only swaps it in and lays it out. On an 11,000-word
report with 576 citations that moved about 55 ms of work per update out of the window's
event loop (tests/benchmarks/bench_gui_stall.py measures the loop).

The worker is a QObject living on its own QThread (the pattern desktop.engine_link.client uses:
a plain Python thread emitting signals crashed PySide6). QTextDocument is reentrant: it
is built on the worker's thread, then moved to the GUI thread before it is handed over.
"""
from __future__ import annotations

import atexit
from dataclasses import dataclass

from desktop.qt import QFont, QObject, QTextDocument, QThread, Signal, Slot
from desktop.report.render import Part, RenderedReport, render_report, report_parts
from engine.library.types import Passage


@dataclass(frozen=True)
class RenderRequest:
    generation: int
    outline: dict
    citations: dict[str, Passage]      # never mutated after it is sent (ReportState copies)
    query: str
    font: QFont                        # the reading view's, so the layout matches setHtml's
    full: bool = False                 # also parse the whole document (else parts only)


@dataclass
class RenderResult:
    generation: int
    report: RenderedReport
    parts: list[Part]                  # report_parts(report)
    document: QTextDocument | None     # when asked for (full); the GUI thread's once received


class _RenderWorker(QObject):
    done = Signal(object)

    def __init__(self, gui_thread: QThread) -> None:
        super().__init__()
        self._gui_thread = gui_thread

    @Slot(object)
    def render(self, request: RenderRequest) -> None:
        report = render_report(request.outline, request.citations, request.query)
        parts = report_parts(report)
        document = None
        if request.full:
            document = QTextDocument()
            document.setDefaultFont(request.font)
            document.setHtml("\n".join(part.html for part in parts))
            document.moveToThread(self._gui_thread)   # only its own thread may move it
        self.done.emit(RenderResult(request.generation, report, parts, document))


# Render threads still running, with their workers, kept here so that a renderer dropped
# without shutdown() (a window never closed) can't destroy a running QThread (Qt aborts
# the process then) or its worker from the wrong thread; they are stopped at exit.
_RUNNING: dict[QThread, QObject] = {}


@atexit.register
def _stop_all() -> None:
    for thread in list(_RUNNING):
        thread.quit()
        thread.wait()
    _RUNNING.clear()


class BackgroundRenderer(QObject):
    """`render(outline, citations, query, font, full)` queues a render; `rendered(RenderResult)`
    fires on the GUI thread for the latest request only. One render runs at a time: a
    request made meanwhile waits, and is replaced by any later one. The thread starts with
    the first render and runs until shutdown()."""

    rendered = Signal(object)
    _request = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._busy = False
        self._waiting: RenderRequest | None = None
        self._thread = QThread()
        self._thread.setObjectName("report-render")
        self._worker = _RenderWorker(self.thread())
        self._worker.moveToThread(self._thread)
        self._request.connect(self._worker.render)
        self._worker.done.connect(self._on_done)

    def render(self, outline: dict, citations: dict[str, Passage], query: str,
               font: QFont, full: bool = False) -> None:
        self._generation += 1
        request = RenderRequest(self._generation, outline, citations, query, QFont(font),
                                full)
        if self._busy:
            self._waiting = request
        else:
            self._send(request)

    def cancel(self) -> None:
        """Whatever is queued or running is stale (the views were just rendered in full)."""
        self._generation += 1
        self._waiting = None

    @property
    def busy(self) -> bool:
        return self._busy or self._waiting is not None

    def shutdown(self) -> None:
        self.cancel()
        self._thread.quit()
        self._thread.wait()
        _RUNNING.pop(self._thread, None)

    def _send(self, request: RenderRequest) -> None:
        self._busy = True
        if not self._thread.isRunning():
            self._thread.start()
            _RUNNING[self._thread] = self._worker
        self._request.emit(request)

    @Slot(object)
    def _on_done(self, result: RenderResult) -> None:
        self._busy = False
        if self._waiting is not None:
            request, self._waiting = self._waiting, None
            self._send(request)
        if result.generation == self._generation:
            self.rendered.emit(result)
        elif result.document is not None:
            result.document.deleteLater()
