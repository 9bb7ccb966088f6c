"""The window's parts on their own: the review panel's decisions, settings persistence,
the section editor keeping unsaved typing across outline refreshes."""
from __future__ import annotations

from desktop.outline.review_panel import ReviewPanel
from desktop.report.section_editor import SectionEditor
from desktop.shell.settings_dialog import SettingsDialog
from engine.app_settings import load_settings
from engine.warp.events import Proposal

INIT = {"name": "init-plan", "title": "Floods",
        "sections": [{"title": "Causes", "plan": "rain"}, {"title": "Impact", "plan": "people"},
                     {"title": "Relief", "plan": "aid"}]}


def test_window_has_its_parts(window):
    assert window.windowTitle() == "Deepdraft"
    for part in (window.library, window.outline, window.activity, window.evidence,
                 window.stats, window.run_bar, window.draft.reading):
        assert part.isVisible() or window.side_tabs.indexOf(part) >= 0
    assert window.review.window() is window.review_dialog   # shown when a proposal waits
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&Outline", "&Help"]
    bar = window.run_bar
    assert bar.write_button.isEnabled() and not bar.stop_button.isEnabled()
    assert not bar.resume_button.isEnabled() and not bar.export_button.isEnabled()
    assert bar.model.spec() == "demo" and bar.library_name() == "default"


def test_write_needs_a_question(window):
    assert not window.write()
    assert "question" in window.statusBar().currentMessage()


def test_review_one_accept_sends_the_edited_table(qtbot):
    panel = ReviewPanel()
    qtbot.addWidget(panel)
    proposal = Proposal(step=2, action="init-plan", payload=INIT)
    panel.show_proposal(proposal)
    assert panel.isEnabled() and panel.table.rowCount() == 3
    panel.title.setText("The 2022 floods")
    panel.table.item(0, 0).setText("Why it rained")
    panel.table.selectRow(2)
    panel.remove_row_button.click()
    panel.add_row_button.click()
    panel.table.item(2, 0).setText("Lessons")
    with qtbot.waitSignal(panel.decided) as decided:
        panel.accept_button.click()
    assert decided.args == ["edit"] and proposal.wait(0)
    assert proposal.edited == {"name": "init-plan", "title": "The 2022 floods", "sections": [
        {"title": "Why it rained", "plan": "rain"}, {"title": "Impact", "plan": "people"},
        {"title": "Lessons", "plan": ""}]}
    assert INIT["sections"][0]["title"] == "Causes"   # the agent's payload is untouched
    assert not panel.isEnabled()


def test_review_of_an_extend_plan_hides_the_title(qtbot):
    panel = ReviewPanel()
    qtbot.addWidget(panel)
    proposal = Proposal(step=9, action="extend-plan", payload={
        "name": "extend-plan", "position": "section-2",
        "subsections": [{"title": "A", "plan": "a"}, {"title": "B", "plan": "b"}]})
    outline = {"title": "T", "sections": [
        {"title": "Causes", "node_id": "a"},
        {"title": "Aftermath", "node_id": "b", "subsections": []}, {"title": "Relief"}]}
    panel.show_proposal(proposal, outline)
    assert panel.title.isHidden() and "2 Aftermath" in panel.heading.text()
    context = panel.context.text()
    assert "1 Causes" in context and "3 Relief" in context
    assert "<b>2 Aftermath ← the new subsections go here</b>" in context
    panel.reject_button.click()
    assert proposal.decision == "reject"


def test_review_accept_of_an_unedited_plan_accepts_it(qtbot):
    panel = ReviewPanel()
    qtbot.addWidget(panel)
    proposal = Proposal(step=2, action="init-plan", payload=INIT)
    panel.show_proposal(proposal)
    long_plan = "A plan long enough to wrap onto several lines in the table. " * 6
    panel.table.item(1, 1).setText(long_plan)
    panel.table.item(1, 1).setText("people")          # back to the agent's words
    assert panel.table.rowHeight(0) > 0
    with qtbot.waitSignal(panel.decided) as decided:
        panel.accept_button.click()
    assert decided.args == ["accept"] and proposal.decision == "accept"


def test_settings_are_saved(qtbot):
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    assert dialog.gpu_layers.text() == "automatic"
    dialog.author.setText("Ada Lovelace")
    dialog.model.setText("http://127.0.0.1:8080")
    dialog.gpu_layers.setValue(20)
    dialog.chroma.setText("127.0.0.1:8000")
    dialog.accept()
    saved = load_settings()
    assert (saved.author, saved.model, saved.n_gpu_layers, saved.chroma_server) == (
        "Ada Lovelace", "http://127.0.0.1:8080", 20, "127.0.0.1:8000")
    again = SettingsDialog()
    qtbot.addWidget(again)
    assert again.author.text() == "Ada Lovelace" and again.gpu_layers.value() == 20


def test_editor_keeps_unsaved_text_when_the_outline_refreshes(qtbot):
    editor = SectionEditor()
    qtbot.addWidget(editor)
    node = {"node_id": "n1", "title": "Causes", "plan": "rain", "content": None}
    editor.show_node(node, "section-1")
    editor.text.setPlainText("typing…")
    editor.show_node({**node, "content": "agent text"}, "section-1")
    assert editor.text.toPlainText() == "typing…"
    editor.revert()
    assert editor.text.toPlainText() == "" and not editor.dirty
    editor.show_node({**node, "content": "agent text"}, "section-1")
    assert editor.text.toPlainText() == "agent text"


def test_pending_marks_show_and_clear(qtbot):
    from desktop.outline.tree import OutlineTree

    tree = OutlineTree()
    qtbot.addWidget(tree)
    outline = {"title": "T", "sections": [
        {"node_id": "a", "title": "A", "plan": "p", "content": "text", "subsections": []},
        {"node_id": "b", "title": "B", "plan": "q", "subsections": []}]}
    tree.show_outline(outline, "section-2")
    tree.mark_pending("b")
    assert tree.topLevelItem(1).text(2) == "[PLAN] · edit pending"
    assert tree.topLevelItem(1).font(2).italic()
    tree.clear_pending()
    assert [tree.topLevelItem(i).text(2) for i in range(2)] == ["[OK]", "[PLAN]"]
    assert not tree.topLevelItem(1).font(2).italic()


def test_status_line_names_model_context_layers_and_the_last_steps_speed(qtbot):
    from desktop.engine_link.jobs import ModelLoaded
    from desktop.shell.status_info import StatusInfo
    from engine.warp.events import StepFinished

    info = StatusInfo("demo")
    info.on_event(ModelLoaded(model="demo", n_ctx=8192, n_gpu_layers=0))
    info.on_event(StepFinished(step=3, action="write", cursor="section-1", valid=True,
                               completion_tokens=120, model_seconds=4.0))
    assert info.text() == "Model: demo · context 8,192 · CPU · 30.0 tokens/s"
    info.on_event(ModelLoaded(model="replay:/tmp/run.jsonl", n_ctx=32768, n_gpu_layers=None))
    info.on_event(StepFinished(step=4, action="write", cursor="section-2", valid=True,
                               completion_tokens=120, model_seconds=0.0001))
    assert info.text() == "Model: replay run.jsonl · context 32,768"   # no speed to show


def test_a_bad_settings_value_is_shown_and_never_saved_over(qtbot, deepdraft_home):
    import json

    from desktop.shell.main_window import MainWindow
    from engine.paths import settings_file

    settings_file().parent.mkdir(parents=True, exist_ok=True)
    settings_file().write_text(json.dumps({"author": "Ada", "hybrid_search": "maybe"}))
    before = settings_file().read_text()
    win = MainWindow()
    qtbot.addWidget(win)
    try:
        message = win.statusBar().currentMessage()
        assert "'hybrid_search' must be true or false" in message, message
        win.open_settings()            # refused (no dialog): the status bar says why
        win.run_bar.question.setText("Why do rivers flood?")
        assert win.write() is False
        assert "'hybrid_search'" in win.statusBar().currentMessage()
        win.extras.choose_model("demo")
        assert settings_file().read_text() == before
        assert not list(deepdraft_home.glob("*.ddproj")) and not list(
            deepdraft_home.rglob("*.ddproj"))
    finally:
        win.worker.shutdown()
        win.engine.shutdown()
