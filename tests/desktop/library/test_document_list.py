"""A large library in the real Library panel: 2,000 documents as a LibraryListing carries
them (engine manifest records), a filter typed key by key, and ingest events that change
one row of the model, never the whole list."""
from __future__ import annotations

import pytest

from desktop.qt import QTest
from engine.library import events as lib
from engine.library.manifest import DocRecord

TOPICS = ("flood", "glacier", "monsoon", "relief", "rainfall", "river", "camp", "aid",
          "drought", "harvest")


def record(i: int) -> DocRecord:
    failed = i % 50 == 7
    return DocRecord(
        doc_id=f"d{i}", path=f"/library/{TOPICS[i % 10]}/{TOPICS[i % 10]}-{i:04d}.pdf",
        size=1000, mtime_ns=i, sha256=f"{i:064x}", title=f"Report {i}", pages=3,
        n_chunks=0 if failed else 4, status="failed" if failed else "indexed",
        reason="corrupt" if failed else "", detail="", updated=0.0)


@pytest.fixture
def panel(qtbot):
    from desktop.library.panel import LibraryPanel

    widget = LibraryPanel()
    qtbot.addWidget(widget)
    widget.resize(420, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.show_documents("big", [record(i) for i in range(2000)])
    return widget


def shown_rows(panel) -> int:
    return panel.documents.view.model().rowCount()


def test_two_thousand_documents_are_listed(panel, qtbot):
    assert len(panel.paths()) == shown_rows(panel) == 2000
    assert panel.heading.text() == "Library: big (2,000 documents)"
    assert panel.status(record(8).path) == "indexed · 4 chunks"
    assert panel.status(record(7).path) == "failed: corrupt"
    # The status column is fitted once the view knows the rows in sight.
    view = panel.documents.view
    qtbot.waitUntil(lambda: view.columnWidth(1) >= view.fontMetrics().horizontalAdvance(
        "indexed · 4 chunks"))
    assert view.indexAt(view.viewport().rect().topLeft()).data() == "flood-0000.pdf"


def test_typing_in_the_filter_narrows_the_list(panel):
    box = panel.filter_box
    counts = []
    for ch in "glac":
        QTest.keyClick(box, ch)
        counts.append(shown_rows(panel))
    assert counts == [400, 200, 200, 200]     # "g": glacier and drought; then glacier
    assert all("glacier-" in p for p in panel.shown_paths())
    assert panel.heading.text() == "Library: big (200 of 2,000 documents)"
    assert len(panel.paths()) == 2000                 # filtered out, not removed

    box.clear()
    QTest.keyClicks(box, "FAILED")                    # any case, the status column too
    assert panel.shown_paths() == [record(i).path for i in range(2000) if i % 50 == 7]
    box.clear()
    assert shown_rows(panel) == 2000
    assert panel.heading.text() == "Library: big (2,000 documents)"


def test_a_filtered_out_row_is_neither_selected_nor_removed(panel, qtbot):
    keep, hidden = record(1).path, record(0).path     # glacier-0001, flood-0000
    panel.select([keep, hidden])
    assert panel.selected_paths() == [hidden, keep]
    QTest.keyClicks(panel.filter_box, "glacier")
    assert panel.selected_paths() == [keep]
    with qtbot.waitSignal(panel.remove_requested) as removed:
        panel.remove_button.click()
    assert removed.args == [[keep]]


def test_an_ingest_event_changes_one_row_not_the_model(panel):
    model = panel.documents.model
    seen = []
    model.modelReset.connect(lambda: seen.append("reset"))
    model.layoutChanged.connect(lambda: seen.append("layout"))
    model.dataChanged.connect(lambda first, last: seen.append(
        ("changed", first.row(), last.row())))
    model.rowsInserted.connect(lambda _, first, last: seen.append(("inserted", first, last)))
    model.rowsRemoved.connect(lambda _, first, last: seen.append(("removed", first, last)))
    panel.select([record(1500).path])

    panel.start_progress("big")
    panel.on_event(lib.FileIndexed(record(1500).path, "d1500", "", 9, 3, 0.1))
    assert seen == [("changed", 1500, 1500)]
    assert panel.status(record(1500).path) == "indexed · 9 chunks"
    panel.on_event(lib.FileFailed(record(3).path, "empty", "no text"))
    panel.on_event(lib.FileIndexed("/new/added.md", "n1", "", 1, 0, 0.1))
    assert seen[1:] == [("changed", 3, 3), ("inserted", 2000, 2000)]
    assert panel.heading.text() == "Library: big (2,001 documents)"
    panel.on_event(lib.FileRemoved(record(10).path, "d10"))
    assert seen[3:] == [("removed", 10, 10)]
    assert panel.selected_paths() == [record(1500).path]     # the selection stays put


def test_the_job_listing_merges_into_the_list(panel):
    """Each job ends with the library's listing: only what changed changes."""
    from dataclasses import replace

    model = panel.documents.model
    seen = []
    model.modelReset.connect(lambda: seen.append("reset"))
    model.dataChanged.connect(lambda first, last: seen.append((first.row(), last.row())))
    listing = [record(i) for i in range(2000) if i != 5]
    listing[100] = replace(listing[100], n_chunks=12)
    panel.show_documents("big", listing + [record(2000)])
    assert "reset" not in seen and seen == [(100, 100)]    # record 101, row 100 now
    assert panel.paths()[-1] == record(2000).path and len(panel.paths()) == 2000
    # Removing many documents: one removal per run of adjacent rows, the rest kept.
    kept = [d for d in listing + [record(2000)] if not 500 <= int(d.doc_id[1:]) < 1500
            and int(d.doc_id[1:]) % 3]
    removed = []
    model.rowsRemoved.connect(lambda _, first, last: removed.append(last - first + 1))
    panel.show_documents("big", kept)
    assert "reset" not in seen and panel.paths() == [d.path for d in kept]
    assert sum(removed) == 2000 - len(kept) and len(removed) < 2000 - len(kept)
    assert panel.status(kept[-1].path) == "indexed · 4 chunks"
    panel.show_documents("other", [record(1)])              # another library: a new list
    assert seen[-1] == "reset" and panel.heading.text() == "Library: other (1 document)"


def test_a_row_that_starts_matching_the_filter_appears(panel):
    QTest.keyClicks(panel.filter_box, "failed")
    before = shown_rows(panel)
    panel.on_event(lib.FileFailed(record(8).path, "encrypted", "password required"))
    assert shown_rows(panel) == before + 1
    assert record(8).path in panel.shown_paths()


def test_ingest_progress_does_not_resize_the_list_at_each_event(panel):
    """The progress text runs to one, two or three lines (a long name wraps); the list
    keeps its height."""
    from desktop.qt import QApplication

    paths = [f"/library/{'a-long-report-on-the-monsoon-floods-' * 2}{i}.pdf" for i in range(30)]
    events = [lib.IngestStarted(len(paths), 1000 * len(paths),
                                tuple((p, 1000) for p in paths))]
    for i, path in enumerate(paths, 1):
        events += [lib.FileStarted(path, i, len(paths), 1000), lib.FileRead(path, 3, 12),
                   lib.ChunksEmbedded(path, 12, 12),
                   lib.FileIndexed(path, f"d{i}", "", 12, 3, 0.1)]
    panel.start_progress("big")
    heights = []
    for event in events:
        panel.on_event(event)
        QApplication.processEvents()       # the layout the event asked for
        heights.append(panel.documents.view.height())
    changes = sum(a != b for a, b in zip(heights, heights[1:]))
    assert changes <= 2 and heights == sorted(heights, reverse=True), heights
