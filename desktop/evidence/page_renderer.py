"""Document pages rendered off the GUI thread, for every source view of the app.

The page process (desktop.evidence.page_process) renders; a worker QObject on its own
QThread sends it a request, waits for the page, turns it into a QImage with the passage
highlighted (QImage and QPainter work on any thread) and hands it back with a signal. The
GUI thread only makes the QPixmap and keeps it in a small cache, so a repeated click shows
its page at once. One page renders at a time; each asker (a source view, the evidence
pane prefetching) has at most one request waiting, its latest, so a newer click never
waits behind older ones. The process starts with the first request (or warm()) and
stops with shutdown(), at the app's quit or at exit.
"""
from __future__ import annotations

import atexit
import multiprocessing
import os
import time
from collections import OrderedDict
from dataclasses import dataclass, replace

from desktop.evidence import page_process
from desktop.evidence.page_process import PageRequest, RenderedPage
from desktop.qt import (QApplication, QBrush, QColor, QImage, QObject, QPainter, QPen, QPixmap,
                        QRectF, QThread, Signal, Slot)
from engine.library.pdf_locate import Box

ZOOM = 1.5                      # page pixels per PDF point
CACHE_PAGES = 8                 # about 4.5 MB each at ZOOM for a letter page
HIGHLIGHT = QColor(255, 214, 0, 90)
OUTLINE = QColor(230, 140, 0)
STOP_WAIT_S = 2.0


@dataclass(frozen=True)
class PageKey:
    """What a shown page depends on; a file changed since (mtime) is another page."""
    request: PageRequest
    mtime_ns: int


@dataclass
class PageResult:
    key: PageKey
    boxes: list[Box]
    error: str = ""              # why there is no page ("" when there is one)
    seconds: float = 0.0         # the worker's time: sent, rendered, received, painted
    image: QImage | None = None  # on its way to the GUI thread
    pixmap: QPixmap | None = None
    ticket: int = 0              # which render it answers


def page_key(path: str, page: int, text: str, zoom: float = ZOOM) -> PageKey | None:
    """The key of a passage's page, None when the file is not there."""
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError:
        return None
    return PageKey(PageRequest(path, page, text, zoom), mtime)


def highlighted(page: RenderedPage) -> QImage:
    """The page in the screen's pixel format (QPixmap takes it without converting) with
    the passage's lines painted over."""
    image = QImage(page.samples, page.width, page.height, page.stride,
                   QImage.Format.Format_RGB888).convertToFormat(QImage.Format.Format_RGB32)
    painter = QPainter(image)
    painter.setPen(QPen(OUTLINE, 2))
    painter.setBrush(QBrush(HIGHLIGHT))
    for box in page.boxes:
        painter.drawRect(QRectF(box.x0 - 2, box.y0 - 1, box.x1 - box.x0 + 4, box.y1 - box.y0 + 2))
    painter.end()
    return image


class _Worker(QObject):
    """Lives on the render thread; owns the page process."""

    done = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self._ctx = multiprocessing.get_context("spawn")
        self.process = None
        self._conn = None
        self.closing = False              # set by end_process: no restart then

    @Slot()
    def start_process(self) -> None:
        if self.process is not None and self.process.is_alive():
            return
        self.drop_process()               # one that died: its pipe is closed here too
        self._conn, theirs = self._ctx.Pipe(duplex=True)
        self.process = self._ctx.Process(target=page_process.main, args=(theirs,),
                                         name="deepdraft-pages", daemon=True)
        self.process.start()
        theirs.close()

    @Slot(object)
    def render(self, job: tuple[int, PageKey]) -> None:
        ticket, key = job
        started = time.perf_counter()
        kind, value = self._ask(key.request)
        if kind == "page":
            result = PageResult(key, value.boxes, image=highlighted(value))
        else:
            result = PageResult(key, [], error=value)
        result.seconds, result.ticket = time.perf_counter() - started, ticket
        self.done.emit(result)

    def _ask(self, request: PageRequest) -> tuple[str, object]:
        """The process's reply; a process that had died (killed, out of memory) is
        started again once for this request."""
        for _ in range(2):
            try:
                self.start_process()
                self._conn.send(request)
                return self._conn.recv()
            except (EOFError, OSError):   # ended (shutdown) or died
                self.drop_process()
                if self.closing:
                    break
        return "failed", "the page process stopped"

    def end_process(self) -> None:
        """From any thread: a render waiting on the process returns (it sees the pipe
        close); the worker's thread then drops what is left."""
        self.closing = True
        process = self.process
        if process is not None:
            process.terminate()

    def drop_process(self) -> None:
        """On the worker's thread, or once it has stopped."""
        process, conn, self.process, self._conn = self.process, self._conn, None, None
        if process is not None:
            process.terminate()
            process.join(STOP_WAIT_S)
        if conn is not None:
            conn.close()


class PageRenderer(QObject):
    """`cached(key)` is the page when it is in the cache; `request(asker, key)` renders
    it; `rendered(PageResult)` fires on the GUI thread with each page rendered (for any
    asker: each keeps the key it waits for) or failed."""

    rendered = Signal(object)
    _render = Signal(object)
    _warm = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._cache: OrderedDict[PageKey, PageResult] = OrderedDict()
        self._running: PageKey | None = None
        self._ticket = 0                  # of the render on its way
        self._waiting: OrderedDict[int, PageKey] = OrderedDict()   # id(asker): its latest
        self._thread = QThread()
        self._thread.setObjectName("page-render")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._render.connect(self._worker.render)
        self._warm.connect(self._worker.start_process)
        self._worker.done.connect(self._on_done)

    @property
    def process(self):
        """The page process (None before the first request and after shutdown)."""
        return self._worker.process

    @property
    def busy(self) -> bool:
        """A page is rendering or waiting to."""
        return self._running is not None or bool(self._waiting)

    @property
    def running(self) -> bool:
        """The render thread runs (from the first request until shutdown)."""
        return self._thread.isRunning()

    def cached(self, key: PageKey) -> PageResult | None:
        result = self._cache.get(key)
        if result is not None:
            self._cache.move_to_end(key)
        return result

    def request(self, asker: object, key: PageKey) -> None:
        self._waiting.pop(id(asker), None)
        if key == self._running or key in self._cache:
            return
        if self._running is None:
            self._send(key)
        else:
            self._waiting[id(asker)] = key

    def forget(self, asker: object) -> None:
        """The asker no longer wants its waiting page (it was closed)."""
        self._waiting.pop(id(asker), None)

    def warm(self) -> None:
        """Start the page process now, so the first page does not wait for it."""
        self._start_thread()
        self._warm.emit()

    def shutdown(self) -> None:
        """Stop the process and the thread (a later request starts them again)."""
        self._waiting.clear()
        self._running, self._ticket = None, self._ticket + 1   # what is on its way is dropped
        self._worker.end_process()
        self._thread.quit()
        self._thread.wait()
        self._worker.drop_process()       # also one a queued render started meanwhile

    def _start_thread(self) -> None:
        if not self._thread.isRunning():
            self._worker.closing = False
            self._thread.start()

    def _send(self, key: PageKey) -> None:
        self._running, self._ticket = key, self._ticket + 1
        self._start_thread()
        self._render.emit((self._ticket, key))

    @Slot(object)
    def _on_done(self, result: PageResult) -> None:
        if result.ticket != self._ticket or self._running is None:
            return                        # from before a shutdown
        self._running = None
        if result.image is not None:
            result = replace(result, pixmap=QPixmap.fromImage(result.image), image=None)
            self._cache[result.key] = result
            while len(self._cache) > CACHE_PAGES:
                self._cache.popitem(last=False)
        self.rendered.emit(result)
        self._next()

    def _next(self) -> None:
        while self._waiting and self._running is None:
            key = self._waiting.popitem(last=False)[1]
            if key in self._cache:        # another asker's page meanwhile
                self.rendered.emit(self._cache[key])
            else:
                self._send(key)


_RENDERER: PageRenderer | None = None


def page_renderer() -> PageRenderer:
    """The app's one page renderer, made on first use (on the GUI thread)."""
    global _RENDERER
    if _RENDERER is None:
        _RENDERER = PageRenderer()
        QApplication.instance().aboutToQuit.connect(_RENDERER.shutdown)
    return _RENDERER


@atexit.register
def _stop() -> None:
    if _RENDERER is not None:
        _RENDERER.shutdown()
