"""The library panel drives a real ingest (Chroma on disk, MiniLM) on the worker."""
from __future__ import annotations

from pathlib import Path

from .helpers import LONG
from desktop.qt import QFileDialog


def test_add_a_folder_list_and_remove(window, qtbot, corpus_dir, monkeypatch):
    (corpus_dir / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(corpus_dir))
    events = []
    window.worker.event.connect(events.append)
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        window.library.add_folder_button.click()
        assert window.library.progress.isVisible()
        assert not window.library.add_files_button.isEnabled()   # one job at a time
    rows = {Path(p).name: window.library.documents.topLevelItem(i).text(1)
            for i, p in enumerate(window.library.paths())}
    assert set(rows) == {"rain.md", "glaciers.txt", "relief.md", "broken.pdf"}
    assert rows["rain.md"].startswith("indexed")
    assert rows["broken.pdf"].startswith("failed: corrupt")
    assert "3 indexed" in window.library.progress_label.text()
    assert "1 failed" in window.library.progress_label.text()
    assert not window.library.progress.isVisible()
    assert window.library.heading.text() == "Library: default (4 documents)"
    assert window.library.add_files_button.isEnabled()

    doomed = next(i for i in range(4)
                  if Path(window.library.paths()[i]).name == "broken.pdf")
    window.library.documents.topLevelItem(doomed).setSelected(True)
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        window.library.remove_button.click()
    assert sorted(Path(p).name for p in window.library.paths()) == [
        "glaciers.txt", "rain.md", "relief.md"]


from .helpers import PDF, drag_enter, drop_on  # noqa: E402


def test_drop_files_progress_in_pages_and_chunks_rows_as_they_finish(window, qtbot, corpus_dir,
                                                                    tmp_path):
    from engine.library import events as lib

    assert PDF.is_file(), "the shared corpus is missing"
    (corpus_dir / "blank.md").write_text("   \n", encoding="utf-8")
    texts, rows_at_outcome = [], []
    phases = []

    def watch(event):
        if isinstance(event, lib.Phase):
            phases.append(event)
        if isinstance(event, (lib.ChunksEmbedded, lib.FileRead)):
            texts.append(window.library.progress_label.text())
        if isinstance(event, (lib.FileIndexed, lib.FileFailed)):
            rows_at_outcome.append(len(window.library.paths()))

    window.worker.event.connect(watch)
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        assert drop_on(window.library, [corpus_dir, PDF]) == (True, True)
        assert window.library.progress.isVisible()
    assert rows_at_outcome == list(range(1, 6))      # each row appears as its file finishes
    assert [p.name for p in phases] == [lib.LOADING_EMBEDDER] * 2
    assert any("9 pages" in t and "chunks" in t for t in texts), texts
    rows = {Path(p).name: window.library.documents.topLevelItem(i).text(1)
            for i, p in enumerate(window.library.paths())}
    assert rows["blank.md"] == "failed: empty — no text"
    assert rows["test_open2.pdf"].startswith("indexed")

    # Retry the failed file once it has text; Open and Show in folder hand it to the desktop.
    (corpus_dir / "blank.md").write_text("# Blank\n\nNow it has words about floods.", "utf-8")
    blank = window.library.paths().index(str(corpus_dir / "blank.md"))
    window.library.documents.topLevelItem(blank).setSelected(True)
    assert window.library.retry_button.isEnabled()
    opened = []
    from desktop.qt import QDesktopServices

    monkey_open = QDesktopServices.openUrl
    QDesktopServices.openUrl = staticmethod(lambda url: opened.append(url.toLocalFile()))
    try:
        window.library.open_button.click()
        window.library.show_button.click()
    finally:
        QDesktopServices.openUrl = monkey_open
    assert opened == [str(corpus_dir / "blank.md"), str(corpus_dir)]
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        window.library.retry_button.click()
    rows = {Path(p).name: window.library.documents.topLevelItem(i).text(1)
            for i, p in enumerate(window.library.paths())}
    assert rows["blank.md"].startswith("indexed")


def test_add_files_filter_lists_every_reader_type():
    from desktop.library_panel import document_filter
    from engine.library.readers import SUPPORTED_SUFFIXES

    text = document_filter()
    assert all(f"*{suffix}" in text for suffix in SUPPORTED_SUFFIXES)
    assert "*.epub" in text and "*.docx" in text and "*.html" in text


def test_a_drop_of_nothing_local_is_refused(window):
    from desktop.qt import QMimeData

    mime = QMimeData()
    mime.setText("just words")
    assert not drag_enter(window.library, mime).isAccepted()
