"""What a first-use test of the installed app on a real screen found (issue 25), each on
the real window: a window that fits the screen during a run, the Models page offline,
the export folder, unwritten sections at the step limit, Enter in the review title, the
library growing as files finish, plurals, New report and About, the activity feed of a
reopened report, and an empty outline without a scroll bar."""
from __future__ import annotations

from pathlib import Path

from desktop.export_dialog import ExportDialog
from desktop.qt import Qt, QTest

from .conftest import QUESTION
from .helpers import INIT, LONG, body, search, write_transcript

LAPTOP = (1366, 768)          # a common laptop screen; the window manager takes ~40 px


def run_replay(window, qtbot, spec: str, max_steps: int, interactive: bool = False):
    bar = window.run_bar
    bar.question.setText(QUESTION)
    bar.model.set_spec(spec)
    bar.interactive.setChecked(interactive)
    bar.max_steps.setValue(max_steps)
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        assert window.write()


def index(window, qtbot, folder) -> list:
    events = []
    window.worker.event.connect(events.append)
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        assert window.add_documents([str(folder)])
    window.worker.event.disconnect(events.append)
    return events


def test_a_run_never_widens_the_window_past_a_laptop_screen(window, qtbot, corpus_dir,
                                                            tmp_path):
    index(window, qtbot, corpus_dir)
    # A replay file deep in a folder: the model box and the status line name it.
    deep = tmp_path / ("a-long-folder-name-" * 8) / ("another-long-folder-" * 6)
    deep.mkdir(parents=True)
    spec = write_transcript(deep / "transcript.jsonl", [
        search("floods"), INIT,
        search("monsoon rain causes and the glacial lake outburst floods of 2022"),
        body("textid1"), search("people affected"), body("textid2")])
    seen_widest = []
    window.worker.event.connect(
        lambda e: seen_widest.append(window.minimumSizeHint().width()))
    run_replay(window, qtbot, spec, max_steps=30)
    assert seen_widest and max(seen_widest) < LAPTOP[0]
    assert window.activity.status.minimumSizeHint().width() < 300
    assert window.extras.status_info.minimumSizeHint().width() < 300


def test_the_models_page_says_offline_in_window_terms(window, qtbot):
    from desktop.models_page import OFFLINE_ROUTE

    page = window.extras.open_models()
    page.hub_url = "http://hub.deepdraft.invalid"     # never resolves, as offline
    with qtbot.waitSignal(page.lane.finished, timeout=LONG):
        assert page.start_download()
    text = page.download_text.text()
    assert text == OFFLINE_ROUTE
    assert "urlopen" not in text and "Errno" not in text and "http" not in text
    assert page.download_text.wordWrap()
    assert page.minimumSizeHint().width() < LAPTOP[0] and page.width() < LAPTOP[0]
    assert not page.download_bar.isVisible()


def test_a_gguf_imports_with_the_templates_beside_it(window, qtbot, demo_model_path,
                                                     tmp_path):
    from tests.llm.hub_server import TEST_TEMPLATES

    (tmp_path / "carried.gguf").symlink_to(demo_model_path)
    prompts = tmp_path / "carried.prompts"
    prompts.mkdir()
    for name, data in TEST_TEMPLATES.items():
        (prompts / name).write_bytes(data)
    page = window.extras.open_models()
    imported = []
    page.lane.event.connect(imported.append)
    with qtbot.waitSignal(page.lane.finished, timeout=LONG):
        assert page.import_file(str(tmp_path / "carried.gguf"))
    assert page.message.text().endswith("it uses its own prompt templates.")
    attached = Path(imported[-1].entry["prompts"])
    assert sorted(p.name for p in attached.iterdir()) == sorted(TEST_TEMPLATES)


def test_the_export_dialog_starts_in_documents_then_the_last_folder(
        window, planned_project, tmp_path, monkeypatch):
    from engine.paths import app_home

    window.open_project(str(planned_project))
    asked = []

    def answer(parent, suggested, comments):
        asked.append(Path(suggested))
        return str(tmp_path / "out" / "mine.docx"), comments

    (tmp_path / "out").mkdir()
    monkeypatch.setattr(ExportDialog, "ask", answer)
    monkeypatch.setattr(window, "export", lambda path, comments=False: True)
    window.choose_export()
    window.choose_export()
    assert app_home() not in asked[0].parents
    assert asked[0].name == "planned.docx"
    assert asked[1] == tmp_path / "out" / "planned.docx"


def test_a_run_stopped_at_its_step_limit_names_the_unwritten_sections(
        window, qtbot, corpus_dir, tmp_path):
    from engine.export import export_markdown
    from engine.project.project_store import load_report

    index(window, qtbot, corpus_dir)
    spec = write_transcript(tmp_path / "r.jsonl", [search("floods"), INIT, search("rain"),
                                                    body("textid1")])
    run_replay(window, qtbot, spec, max_steps=4)
    status = window.statusBar().currentMessage()
    assert "2 sections not yet written" in status and "“Impact”" in status
    exported = tmp_path / "draft.md"
    export_markdown(load_report(window.store.path), exported)
    text = exported.read_text(encoding="utf-8")
    assert "Impact" in text and "Relief" in text and "Not yet written" in text


def test_enter_in_the_review_title_adds_no_rows(window):
    from engine.warp.events import Proposal

    review = window.review
    review.show_proposal(Proposal(step=2, action="init-plan", payload=dict(INIT)), {})
    window.review_dialog.show()
    rows = review.table.rowCount()
    review.title.setFocus()
    QTest.keyClick(review.title, Qt.Key.Key_Return)
    QTest.keyClick(review.title, Qt.Key.Key_Enter)
    assert review.table.rowCount() == rows == 3
    assert window.review_dialog.isVisible() and review.proposal is not None


def test_the_library_lists_each_document_as_it_finishes(window, qtbot, corpus_dir):
    headings = []
    window.worker.event.connect(lambda e: headings.append(
        (window.library.heading.text(), len(window.library.paths())))
        if e.__class__.__name__ == "FileIndexed" else None)
    index(window, qtbot, corpus_dir)
    # Each heading was read after the window handled that file's event.
    assert headings[0] == ("Library: default (1 document)", 1)
    assert headings[-1] == ("Library: default (3 documents)", 3)


def test_one_of_a_thing_is_said_in_the_singular(window, qtbot, corpus_dir, tmp_path):
    index(window, qtbot, corpus_dir)
    spec = write_transcript(tmp_path / "r.jsonl", [
        search("floods"), INIT, search("relief camps"), body("textid1"), search("glaciers"),
        body("textid2"), search("rain"), body("textid3")])
    run_replay(window, qtbot, spec, max_steps=8)
    window.outline.setCurrentItem(window.outline.topLevelItem(0))
    assert "cites 1 passage;" in window.evidence.heading.text()
    lines = window.activity.lines()
    assert any(line.endswith("cites 1 passage from 1 document") for line in lines)
    assert not [line for line in lines if " 1 passages" in line or " 1 documents" in line]


def test_new_report_and_about_in_the_menus(window, planned_project):
    from engine import __version__
    from engine.paths import app_home

    titles = [a.text() for a in window.file_menu.actions()]
    assert titles[0] == "&New report"
    window.open_project(str(planned_project))
    assert window.outline.topLevelItemCount() == 3
    assert window.new_report()
    assert window.store is None and window.outline.topLevelItemCount() == 0
    assert window.run_bar.question.text() == "" and window.extras.guide.isVisible()
    assert Path(planned_project).is_file()       # closed, not deleted
    box = window.extras.open_about()
    assert f"Deepdraft {__version__}" in box.text() and str(app_home()) in box.text()
    assert "llama-cpp-python" in box.text() and "Apache-2.0" in box.text()
    box.close()


def test_a_reopened_report_shows_the_steps_it_has(window, qtbot, corpus_dir, tmp_path):
    index(window, qtbot, corpus_dir)
    spec = write_transcript(tmp_path / "r.jsonl", [search("floods"), INIT, search("rain"),
                                                    body("textid1")])
    run_replay(window, qtbot, spec, max_steps=4)
    live = window.activity.lines()
    path = str(window.store.path)
    assert window.new_report() and window.activity.lines() == []
    window.open_project(path)
    again = window.activity.lines()
    steps = [line for line in live if line.startswith(("Planned", "Searching", "Writing"))]
    assert steps and again == steps


def test_an_empty_outline_has_no_horizontal_scroll_bar(qtbot):
    from desktop.outline_tree import OutlineTree

    tree = OutlineTree()
    qtbot.addWidget(tree)
    tree.resize(260, 300)
    tree.show()
    qtbot.waitExposed(tree)
    assert tree.header().length() <= tree.viewport().width()
    assert not tree.horizontalScrollBar().isVisible()
