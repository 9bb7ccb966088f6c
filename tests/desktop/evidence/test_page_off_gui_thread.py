"""The source view renders PDF pages off the GUI thread (desktop.evidence.page_renderer,
the page process): the passage shows at once, the page follows highlighted and scrolled
to the passage, a repeat is instant from the cache, a newer click wins over an older
render, a closed view's waiting page is dropped, and shutdown ends the process. Real
pymupdf in a real child process, the tour's real PDF; every wait is on a signal."""
from __future__ import annotations

import shutil

import pytest

from engine.library.context import passage_context
from tests.desktop.evidence_project import TOUR_LIBRARY, manifest_library

LIBRARY = "pages"
WAIT_MS = 60_000       # the first page also waits for the page process to start


@pytest.fixture
def passages(tmp_path):
    """The tour PDF's passages, from a copy of it only this test has (its pages are in
    no cache yet)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(TOUR_LIBRARY / "floods-field-report.pdf", folder / "report.pdf")
    found = [p for p in manifest_library(LIBRARY, folder) if p.page is not None]
    assert {p.page for p in found} >= {1, 2}
    return found


@pytest.fixture
def viewer(qtbot):
    from desktop.evidence.source_view import SourceView

    view = SourceView()
    view.resize(500, 320)         # smaller than a page: the passage is scrolled to
    qtbot.addWidget(view)
    view.show()
    return view


def show(view, passage):
    view.show_passage(passage, passage_context(passage, LIBRARY))


def shown_pages(view) -> list:
    pages: list = []
    view.page_shown.connect(pages.append)
    return pages


def test_the_passage_shows_at_once_and_its_page_follows_highlighted(qtbot, viewer, passages):
    passage = max((p for p in passages if p.page == 1), key=lambda p: p.char_start)
    with qtbot.waitSignal(viewer.page_shown, timeout=WAIT_MS) as arrived:
        show(viewer, passage)
        # Nothing ran the event loop yet: the page cannot be here, the passage is.
        assert viewer.pending and viewer.stack.currentWidget() is viewer.text
        assert " ".join(passage.text.split()[:6]) in " ".join(viewer.text.toPlainText().split())
        assert "on its way" in viewer.caption.text()
    result = arrived.args[0]
    assert not result.error and result.boxes and not viewer.pending
    assert viewer.stack.currentWidget() is viewer.scroll
    assert "page 1" in viewer.caption.text() and "on its way" not in viewer.caption.text()
    image = viewer.page.pixmap().toImage()
    box = result.boxes[0]
    edge = image.pixelColor(int(box.x0 - 2), int((box.y0 + box.y1) / 2))   # the outline
    assert edge.red() > 180 and 100 < edge.green() < 180 and edge.blue() < 60, edge.name()
    # Scrolled so that the passage is in view.
    middle = (min(b.y0 for b in result.boxes) + max(b.y1 for b in result.boxes)) / 2
    top = viewer.scroll.verticalScrollBar().value()
    assert top <= middle <= top + viewer.scroll.viewport().height()


def test_a_repeated_passage_shows_its_page_at_once(qtbot, viewer, passages):
    with qtbot.waitSignal(viewer.page_shown, timeout=WAIT_MS):
        show(viewer, passages[0])
    first = viewer.page.pixmap().cacheKey()
    show(viewer, passages[-1])                  # another passage between the two
    show(viewer, passages[0])
    assert not viewer.pending and viewer.stack.currentWidget() is viewer.scroll
    assert viewer.page.pixmap().cacheKey() == first and viewer.boxes


def test_a_newer_click_wins_over_an_older_render(qtbot, viewer, passages):
    from desktop.evidence.page_renderer import page_renderer

    older = next(p for p in passages if p.page == 1)
    newer = next(p for p in passages if p.page == 2)
    pages = shown_pages(viewer)
    with qtbot.waitSignal(viewer.page_shown, timeout=WAIT_MS):
        show(viewer, older)                     # rendering when the newer click comes
        show(viewer, newer)
    qtbot.waitUntil(lambda: not page_renderer().busy, timeout=WAIT_MS)
    assert [r.key.request.page for r in pages] == [2]
    assert page_renderer().cached(pages[0].key) is not None
    assert "page 2" in viewer.caption.text()
    # A page still on its way when a document without pages is chosen is never shown.
    third = next(p for p in passages if p.page == 1 and p is not older)
    markdown = manifest_library(LIBRARY, TOUR_LIBRARY)
    text_passage = next(p for p in markdown if p.path.endswith(".md"))
    show(viewer, third)
    show(viewer, text_passage)
    qtbot.waitUntil(lambda: not page_renderer().busy, timeout=WAIT_MS)
    assert len(pages) == 1 and viewer.stack.currentWidget() is viewer.text
    assert "relief" in viewer.text.toPlainText().lower()


def test_a_missing_page_is_said_and_the_next_one_still_renders(qtbot, viewer, passages):
    import dataclasses

    gone = dataclasses.replace(passages[0], page=99)
    with qtbot.waitSignal(viewer.page_shown, timeout=WAIT_MS) as arrived:
        show(viewer, gone)
    assert arrived.args[0].error and "could not be shown" in viewer.caption.text()
    assert viewer.stack.currentWidget() is viewer.text and not viewer.boxes
    with qtbot.waitSignal(viewer.page_shown, timeout=WAIT_MS) as arrived:
        show(viewer, passages[0])
    assert not arrived.args[0].error and viewer.boxes


def test_a_closed_view_drops_its_waiting_page_and_shutdown_ends_the_process(
        qtbot, viewer, passages):
    from desktop.evidence.page_renderer import page_renderer
    from desktop.evidence.source_view import SourceView, passage_page

    other = SourceView()
    qtbot.addWidget(other)
    renderer = page_renderer()
    first, second = passages[0], next(p for p in passages if p.page != passages[0].page)
    show(other, first)                          # renders: the process is busy with it
    show(viewer, second)                        # waits behind it
    viewer.close()
    qtbot.waitUntil(lambda: not renderer.busy, timeout=WAIT_MS)
    assert renderer.cached(passage_page(first)) is not None
    assert renderer.cached(passage_page(second)) is None      # dropped, never rendered
    process = renderer.process
    assert process is not None and process.is_alive() and renderer.running
    renderer.shutdown()
    assert not process.is_alive() and not renderer.running and renderer.process is None
    # The next page starts them again.
    viewer.show()
    with qtbot.waitSignal(viewer.page_shown, timeout=WAIT_MS):
        show(viewer, second)
    assert viewer.boxes and renderer.process.is_alive()


def test_a_page_process_that_died_is_started_again(qtbot, viewer, passages):
    from desktop.evidence.page_renderer import page_renderer

    with qtbot.waitSignal(viewer.page_shown, timeout=WAIT_MS):
        show(viewer, passages[0])
    dead = page_renderer().process
    dead.kill()                                 # as the out-of-memory killer would
    dead.join(10)
    with qtbot.waitSignal(viewer.page_shown, timeout=WAIT_MS) as arrived:
        show(viewer, next(p for p in passages if p.page != passages[0].page))
    assert not arrived.args[0].error and viewer.boxes
    assert page_renderer().process.pid != dead.pid
