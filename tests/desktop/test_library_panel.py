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
