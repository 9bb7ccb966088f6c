"""The claim check in the window (issue 23): a run whose section gets a figure wrong
("45 million" where the source says 33 million) shows the sentence underlined in the
reading and section views, its hover says why with the source's figure, the Check tab and
the status bar count it; Dismiss is kept across reopening; fixing the text clears it."""
from __future__ import annotations

from desktop.qt import QTextCharFormat
from engine.warp.edits import EditNode

from .conftest import QUESTION
from .helpers import INIT, LONG, search, write_transcript

WRONG = ("Aid agencies estimated that 45 million people were affected by the floods "
         "\\cite{textid1, textid2, textid3}.")
FIXED = WRONG.replace("45 million", "33 million")
RIGHT = "Relief camps sheltered families whose homes were destroyed \\cite{textid1, textid2, textid3}."


def wavy_text(view) -> str:
    found, block = [], view.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.charFormat().underlineStyle() == \
                    QTextCharFormat.UnderlineStyle.WaveUnderline:
                found.append(fragment.text())
            iterator += 1
        block = block.next()
    return "".join(found)


def test_a_wrong_figure_is_flagged_dismissed_and_fixed(window, qtbot, corpus_dir, tmp_path):
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        assert window.add_documents([str(corpus_dir)])
    spec = write_transcript(tmp_path / "r.jsonl", [
        search("floods"), INIT, search("people affected 33 million"), WRONG,
        search("relief camps"), RIGHT, search("rain"), RIGHT])
    window.run_bar.question.setText(QUESTION)
    window.run_bar.model.set_spec(spec)
    window.run_bar.max_steps.setValue(8)
    with qtbot.waitSignal(window.worker.finished, timeout=LONG):
        assert window.write()
    checks = window.extras.checks
    panel = checks.panel
    assert panel.count() == 1, panel.all_flags()
    flag = panel.all_flags()[0]
    assert flag.kind == "figure" and "45 million" in flag.detail and "33 million" in flag.detail
    assert checks.status.text() == "1 sentence to check"
    assert "45 million people were affected" in wavy_text(window.draft.reading.view)
    # The section view underlines it too, and its hover says why with the source's figure.
    window.outline.select_node(flag.node_id)
    view = window.editor.view
    assert "45 million" in wavy_text(view)
    from desktop.flag_marks import sentence_span
    from desktop.qt import QTextCursor

    cursor = QTextCursor(view.document())
    cursor.setPosition(sentence_span(view.document(), flag.sentence)[0] + 3)
    hovered = view.flag_at(view.cursorRect(cursor).center())
    assert hovered is not None and hovered.flag_id == flag.flag_id
    from desktop.flag_marks import flag_tooltip

    tip = flag_tooltip(hovered, view.report.citations)
    assert "To check:" in tip and '<span style="background:#ffe08a">33 million</span>' in tip

    # Dismissed, it stays dismissed when the report is opened again.
    item = panel.tree.topLevelItem(0).child(0)
    panel.tree.setCurrentItem(item)
    panel.dismiss_button.click()
    assert panel.count() == 0 and not checks.status.isVisible()
    path = str(window.store.path)
    window.new_report()
    window.open_project(path)
    assert panel.count() == 0

    # Undismissed by an edit that brings the error back? No: fixing the text rechecks it.
    with qtbot.waitSignal(panel.lane.finished, timeout=LONG):
        window.submit_edit(EditNode(flag.node_id, content=FIXED))
    assert panel.count() == 0 and "changed since" not in panel.heading.text()


def test_the_export_dialog_offers_check_comments(window, qtbot, tmp_path, planned_project):
    """The dialog carries the checkbox; ticked, the .docx gets the flags as comments."""
    import zipfile
    from pathlib import Path

    from desktop.export_dialog import ExportDialog

    dialog = ExportDialog(window, Path(tmp_path) / "report.docx", comments=True)
    assert dialog.comments.isChecked() and dialog.comments.text().startswith("Add the claim")
    dialog.close()
    window.open_project(str(planned_project))
    store = window.store
    relief = store.load_outline().sections[2]
    store.save_claim_check(relief.node_id, relief.content, [{
        "section": "3", "sentence": "Agencies helped.", "kind": "name", "node_id":
        relief.node_id, "title": "Relief", "detail": "name X not in its sources",
        "start": 0, "end": len("Agencies helped.")}])
    target = tmp_path / "commented.docx"
    with qtbot.waitSignal(window.exporter.finished, timeout=LONG):
        assert window.export(str(target), comments=True)
    with zipfile.ZipFile(target) as docx:
        comments = docx.read("word/comments.xml").decode("utf-8")
    assert "name X not in its sources" in comments
