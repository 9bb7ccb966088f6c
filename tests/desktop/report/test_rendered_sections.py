"""Rendered sections and the reading view on the real window: citation markers numbered
as the export numbers them, tooltips and clicks that name the right document and page,
the PDF page with the passage highlighted, live preview of the Markdown source."""
from __future__ import annotations

import re

import pytest

from desktop.qt import QEvent, QMouseEvent, QPointF, Qt, QToolTip, QUrl
from desktop.report.render import marker_label
from engine.export import export_markdown

from tests.desktop.evidence_project import build_project, manifest_library


@pytest.fixture
def project(tmp_path):
    passages = manifest_library()
    store, keys = build_project(tmp_path / "floods.ddproj", passages)
    path = store.path
    store.close()
    return path, keys, passages


@pytest.fixture
def opened(window, project):
    path, keys, passages = project
    window.open_project(str(path))
    return window, keys


def export_labels(path, tmp_path) -> list[str]:
    from engine.project.project_store import load_report

    out = tmp_path / "r.md"
    export_markdown(load_report(path), out, unwritten="plan")
    body = out.read_text(encoding="utf-8").split("## References")[0]
    return re.findall(r"((?:\[(?:\d+|\?\w+)\])+)", body)


def select(window, row: int):
    window.outline.setCurrentItem(window.outline.topLevelItem(row))


def hover(browser, href):
    point = browser.marker_position(href)
    assert point is not None, href
    event = QMouseEvent(QEvent.Type.MouseMove, QPointF(point), QPointF(point),
                        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier)
    browser.viewport().setMouseTracking(True)
    browser.mouseMoveEvent(event)


def test_markers_match_the_export_numbering(opened, project, tmp_path):
    window, _ = opened
    reading = window.draft.reading.view
    labels = [re.sub(r"[\[\]\s]", "", marker_label(reading.report.group(int(h.split(":")[1]))))
              for h in reading.marker_urls()]
    exported = [re.sub(r"[\[\]\s]", "", g.replace("][", ",")) for g in export_labels(
        project[0], tmp_path)]
    assert labels == exported == ["1", "1,2", "3", "4"]   # ascending, never "2,1"
    text = reading.toPlainText()
    assert "[1, 2]" in text and "References" in text and "p. 1" in text
    # The section view numbers its markers in the same way.
    select(window, 0)
    assert "[1, 2]" in window.editor.view.toPlainText()
    assert "monsoon rain" in window.editor.view.toHtml() and "<li" not in window.editor.text.toPlainText()


def test_hover_names_document_and_page_and_click_opens_the_evidence(opened, qtbot):
    window, keys = opened
    select(window, 0)
    window.draft.pages.setCurrentWidget(window.editor)
    view = window.editor.view
    first = view.marker_urls()[0]
    hover(view, first)
    qtbot.waitUntil(QToolTip.isVisible, timeout=5000)
    tip = QToolTip.text()
    assert "Monsoon floods of 2022" in tip and "floods-field-report.pdf, p. 1" in tip
    assert "monsoon rain" in tip
    window.side_tabs.setCurrentIndex(1)
    view.anchorClicked.emit(QUrl(first))
    assert window.side_tabs.currentWidget() is window.evidence
    assert window.evidence.current_passage().chunk_id.endswith(":0")
    assert window.evidence.current_passage().path.endswith(".pdf")
    context = window.evidence.context.toPlainText()
    assert "record monsoon rain" in context and "Rain gauges" in context   # the next chunk


def test_evidence_lists_cited_then_shown_and_opens_the_pdf_page(opened):
    import pymupdf

    window, keys = opened
    select(window, 0)
    items = [window.evidence.list.item(i).text().split("\n")[0]
             for i in range(window.evidence.list.count())]
    assert items[0].startswith("[1] ") and items[0].endswith("· cited")
    assert sum(i.endswith("· cited") for i in items) == 3
    assert any(i.endswith("shown, not cited") for i in items)
    viewer = window.evidence.open_at_page()
    passage = window.evidence.current_passage()
    assert viewer.isVisible() and viewer.boxes and viewer.page.pixmap() is not None
    with pymupdf.open(passage.path) as doc:
        page = doc.load_page(passage.page - 1)
        zoom = 1.5
        words = set()
        for box in viewer.boxes:
            rect = pymupdf.Rect(box.x0 / zoom, box.y0 / zoom, box.x1 / zoom, box.y1 / zoom)
            words |= {w.strip(".,").lower() for w in page.get_text("text", clip=rect).split()}
    passage_words = {w.strip(".,").lower() for w in passage.text.split()}
    assert len(words & passage_words) >= 0.8 * len(passage_words)


def test_editing_the_source_shows_a_live_preview(opened, qtbot):
    window, keys = opened
    select(window, 2)     # unwritten: opens in the source editor
    assert window.editor.text.isVisibleTo(window.editor)
    window.editor.text.setPlainText("A *new* table:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    qtbot.waitUntil(lambda: "<table" in window.editor.view.toHtml(), timeout=3000)
    assert "new" in window.editor.view.toPlainText()


def test_reading_view_is_the_default_and_follows_the_outline(opened):
    window, _ = opened
    assert window.draft.pages.currentWidget() is window.draft.reading
    assert "words" in window.draft.reading.summary.text()
    words = [window.outline.topLevelItem(i).text(3) for i in range(3)]
    assert words[0].isdigit() and int(words[0]) > 5 and words[2] == ""
    bar = window.draft.reading.view.verticalScrollBar()
    window.draft.reading.view.resize(600, 150)
    select(window, 2)
    assert window.draft.pages.currentWidget() is window.draft.reading
    assert bar.value() > 0


VIEWS_SCRIPT = """
import sys
from desktop.qt import QApplication, QUrl
app = QApplication([])
from desktop.shell.main_window import MainWindow
window = MainWindow()
window.show()
window.open_project(sys.argv[1])
window.outline.setCurrentItem(window.outline.topLevelItem(0))
view = window.editor.view
view.anchorClicked.emit(QUrl(view.marker_urls()[0]))
assert window.evidence.open_at_page().boxes
app.processEvents()
heavy = ("torch", "chromadb", "sentence_transformers", "llama_cpp")
print("HEAVY:", sorted(m for m in sys.modules if m.split(".")[0] in heavy))
"""


def test_the_views_load_none_of_the_heavy_engine_parts(project):
    """Rendering, evidence and the PDF page run in the window's process: they read the
    project and the manifest, never the vector store or a model (fresh interpreter)."""
    import os
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", VIEWS_SCRIPT, str(project[0])],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "HEAVY: []" in result.stdout, result.stdout
