"""A new user's window: the three-step guide, errors in window terms, busy statuses that
end with their job, recent projects, remembered geometry and splitters, several
libraries."""
from __future__ import annotations

from engine.warp import events as ev

from tests.desktop.conftest import QUESTION
from tests.desktop.helpers import LONG, search, write_transcript


def test_the_empty_window_shows_three_steps_that_tick_off(window, qtbot, corpus_dir):
    guide = window.extras.guide
    assert guide.isVisible() and len(guide.steps) == 3
    titles = [label.title for label in guide.steps]
    assert titles == ["1. Add documents", "2. Ask a question", "3. Write"]
    assert not any("✓" in label.text() for label in guide.steps)
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        assert window.add_documents([str(corpus_dir)])
    assert "✓" in guide.steps[0].text() and "✓" not in guide.steps[1].text()
    window.run_bar.question.setText(QUESTION)
    assert "✓" in guide.steps[1].text()
    assert window.statusBar().currentMessage() == ""   # "Indexing documents…" is gone


def test_typing_a_question_never_grows_the_guide(window, qtbot):
    """Each refresh once fed its own output back in (QLabel's `text` property held the
    explanation): a new row of headings per keystroke, and a window taller than the
    screen. The guide keeps one heading per step and its height, whatever is typed."""
    guide = window.extras.guide
    qtbot.waitUntil(lambda: guide.height() > 0)
    height = guide.sizeHint().height()
    question = window.run_bar.question
    for letter in "What caused the 2022 floods?":
        question.setText(question.text() + letter)
    for label in guide.steps:
        assert label.text().count(label.title) == 1
        assert label.text().count(label.explanation) == 1
    assert guide.sizeHint().height() == height
    assert window.minimumSizeHint().height() < 700


def test_the_guide_offers_the_last_report(window, qtbot, planned_project):
    guide = window.extras.guide
    assert not guide.reopen_button.isVisible()        # a fresh data folder: nothing to offer
    window.open_project(str(planned_project))
    qtbot.waitUntil(lambda: str(planned_project) in window.extras.recent_projects())
    window.store.close()
    window.store = None
    guide.refresh()
    assert guide.isVisible() and guide.reopen_button.isVisible()
    assert "planned" in guide.reopen_button.text()
    guide.reopen_button.click()
    assert window.store is not None and str(window.store.path) == str(planned_project)
    assert not guide.isVisible()


def test_an_empty_library_is_explained_in_window_terms(window, qtbot, tmp_path):
    errors = []
    window.worker.event.connect(lambda e: errors.append(e) if isinstance(e, ev.Error) else None)
    window.run_bar.question.setText(QUESTION)
    window.run_bar.model.set_spec(write_transcript(tmp_path / "r.jsonl", [search("floods")]))
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        assert window.write()
    assert errors
    status = window.statusBar().currentMessage()
    assert status == ("The library 'default' has no documents yet. Add files or a folder in "
                      "the Library panel, then press Resume.")
    assert "deepdraft" not in status and "deepdraft" not in errors[0].message
    assert not window.extras.guide.isVisible()     # a report is open: the guide steps aside
    assert window.run_bar.resume_button.isEnabled() and not window.run_bar.stop_button.isEnabled()


def test_recent_projects_geometry_and_splitters_are_remembered(qtbot, planned_project):
    from desktop.shell.main_window import MainWindow
    from desktop.qt import QSplitter

    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    first.open_project(str(planned_project))
    # Not a fresh window's size (1360 x 860); no wider than the offscreen screen (800)
    # allows, which is below the window's minimum width: that minimum is what comes back.
    first.resize(first.minimumSizeHint().width(), 640)
    size = (first.width(), first.height())
    splitter = first.findChildren(QSplitter)[0]
    splitter.setSizes([333, 600, 178])
    wanted = splitter.sizes()
    first.close()

    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    try:
        assert (second.width(), second.height()) == size
        assert second.findChildren(QSplitter)[0].sizes() == wanted
        recent = second.extras.recent_menu.actions()
        assert [a.toolTip() for a in recent] == [str(planned_project)]
        recent[0].trigger()
        assert second.store is not None and str(second.store.path) == str(planned_project)
    finally:
        second.close()


def test_create_rename_and_delete_a_library(window, qtbot, corpus_dir):
    from engine.library.names import library_names

    manager = window.extras.libraries
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        manager.create("papers")
    assert window.run_bar.library_name() == "papers"
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        assert window.add_documents([str(corpus_dir / "rain.md")])
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):   # the rename, then
        assert manager.rename("reading")
    qtbot.waitUntil(lambda: window.library.heading.text().startswith("Library: reading"),
                    timeout=LONG)
    assert window.library.heading.text() == "Library: reading (1 document)"
    assert "reading" in library_names() and "papers" not in library_names()
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=LONG)
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        assert manager.delete(confirmed=True)
    qtbot.waitUntil(lambda: window.run_bar.library_name() == "default", timeout=LONG)
    assert "reading" not in library_names()


def test_a_model_not_downloaded_points_to_the_models_page(window, qtbot):
    window.run_bar.question.setText(QUESTION)
    window.run_bar.model.set_spec("agentcpm-report")
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        assert window.write()
    status = window.statusBar().currentMessage()
    assert status.startswith("Unknown model 'agentcpm-report'")
    assert "File > Models…" in status and "deepdraft" not in status
