"""While the agent writes, the reading view is rendered off the GUI thread
(desktop.report.background_render): the document the window swaps in reads exactly as a render
on the GUI thread would, only the latest outline is shown, and a full render made in
the meantime (an edit, a reload) is never overwritten by a stale one."""
from __future__ import annotations

import copy
import threading

import pytest

import desktop.report.background_render as background_render
from desktop.report.render import render_report, report_html

from tests.desktop.evidence_project import build_project, manifest_library


@pytest.fixture
def opened(window, tmp_path):
    store, _keys = build_project(tmp_path / "floods.ddproj", manifest_library())
    path = store.path
    store.close()
    window.open_project(str(path))
    return window


def with_text(outline: dict, text: str) -> dict:
    changed = copy.deepcopy(outline)
    changed["sections"][2]["content"] = text
    return changed


def test_streamed_outline_is_rendered_off_the_gui_thread(opened, qtbot, monkeypatch):
    window, draft = opened, opened.draft
    threads = []

    def recording(*args, **kwargs):
        threads.append(threading.get_ident())
        return render_report(*args, **kwargs)

    monkeypatch.setattr(background_render, "render_report", recording)
    outline = with_text(draft.report.outline, "Relief camps opened in August \\cite{textid1}.")
    with qtbot.waitSignal(draft.renderer.rendered, timeout=10_000):
        draft.outline_streamed(outline)
    assert threads and threading.get_ident() not in threads
    reading = window.draft.reading.view
    assert "Relief camps opened in August" in reading.toPlainText()
    # Read exactly as a render on the GUI thread reads, markers and references included.
    expected = render_report(outline, draft.report.citations, draft.report.query)
    from desktop.qt import QTextDocument

    document = QTextDocument()
    document.setDefaultFont(reading.font())
    document.setHtml(report_html(expected))
    assert reading.toPlainText() == document.toPlainText()
    assert reading.marker_urls() and reading.report.words == expected.words
    assert reading.document().thread() is window.thread()
    assert "3 of 4 sections written" in window.draft.reading.summary.text()


def test_only_the_latest_streamed_outline_is_shown(opened, qtbot):
    draft = opened.draft
    base = draft.report.outline
    results = []
    draft.renderer.rendered.connect(lambda r: results.append(r.report))
    for n in range(5):   # one lands in the render timer's window, the others replace it
        draft.outline_streamed(with_text(base, f"Version {n} of the relief text."))
    qtbot.waitUntil(lambda: not draft.renderer.busy and not draft._render_timer.isActive()
                    and bool(results), timeout=10_000)
    assert "Version 4 of the relief text." in draft.reading.view.toPlainText()
    assert len(results) == 1


def test_a_full_render_is_not_overwritten_by_a_stale_streamed_one(opened, qtbot):
    draft = opened.draft
    base = draft.report.outline
    draft.outline_streamed(with_text(base, "A streamed text that is already stale."))
    draft._render_latest()                 # the timer fires: the background render starts
    assert draft.renderer.busy
    draft.show_outline(with_text(base, "The user's edit, rendered at once."))
    qtbot.waitUntil(lambda: not draft.renderer.busy, timeout=10_000)
    qtbot.wait(50)                         # let a (wrongly) delivered result show up
    text = draft.reading.view.toPlainText()
    assert "rendered at once" in text and "already stale" not in text


def test_closing_the_window_stops_the_render_thread(opened, qtbot):
    draft = opened.draft
    draft.outline_streamed(with_text(draft.report.outline, "Closing while rendering."))
    draft._render_latest()
    opened.close()
    assert not draft.renderer._thread.isRunning()
