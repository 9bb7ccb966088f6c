"""Editing a section in place (issue 25, item 4): typing into the rendered section edits
it; Markdown (emphasis, lists, tables) round-trips; citations are atomic chips that can
be deleted or moved but never half-edited; the saved text cites valid keys."""
from __future__ import annotations

from desktop.qt import QApplication, Qt, QTest, QTextCursor
from desktop.report.rich_section import OBJECT, RichSectionEdit, chips
from engine.cite import cited_keys

SECTION = ("The floods began with **record rain** \\cite{textid1, textid3}, and *more* "
           "came \\cite{textid2}.\n\n"
           "- meltwater from glaciers \\cite{textid2};\n- embankments failed.\n\n"
           "| Year | Deaths |\n|---|---|\n| 2022 | 1,700 |\n")
NUMBERS = {"textid1": 1, "textid2": 2, "textid3": 3}


def editor(qtbot) -> RichSectionEdit:
    edit = RichSectionEdit()
    qtbot.addWidget(edit)
    edit.resize(600, 400)
    edit.show()
    edit.load(SECTION, NUMBERS)
    return edit


def chip_position(edit, nth: int = 0) -> int:
    return chips(edit.document())[nth][0]


def test_unchanged_text_comes_back_byte_for_byte(qtbot):
    edit = editor(qtbot)
    assert [keys for _, keys in chips(edit.document())] == [["textid1", "textid3"],
                                                            ["textid2"], ["textid2"]]
    assert "\\cite" not in edit.toPlainText()
    assert edit.markdown() == SECTION


def test_typed_text_keeps_the_markup_and_every_citation(qtbot):
    edit = editor(qtbot)
    cursor = edit.textCursor()
    cursor.setPosition(len("The "))
    edit.setTextCursor(cursor)
    QTest.keyClicks(edit, "great ")
    text = edit.markdown()
    assert text.startswith("The great floods began with **record rain**")
    assert cited_keys(text) == ["textid1", "textid3", "textid2", "textid2"]
    assert "*more*" in text and "- meltwater from glaciers" in text
    assert "|2022|1,700 |" in text.replace(" |", " |") or "| 2022 |" in text
    assert text.count("|") >= 9                                  # the table survives


def test_a_chip_is_deleted_whole_and_never_half_edited(qtbot):
    edit = editor(qtbot)
    cursor = edit.textCursor()
    cursor.setPosition(chip_position(edit) + 1)                  # just after the chip
    edit.setTextCursor(cursor)
    QTest.keyClick(edit, Qt.Key.Key_Backspace)
    text = edit.markdown()
    assert cited_keys(text) == ["textid2", "textid2"]
    assert "textid1" not in text and "\\cite{" in text and "cite{tex" not in \
        text.replace("\\cite{textid2}", "")
    # Typing next to a chip never enters it.
    cursor.setPosition(chip_position(edit))
    edit.setTextCursor(cursor)
    QTest.keyClicks(edit, "x")
    assert cited_keys(edit.markdown()) == ["textid2", "textid2"]


def test_a_chip_moves_by_cut_and_paste(qtbot):
    edit = editor(qtbot)
    cursor = edit.textCursor()
    cursor.setPosition(chip_position(edit))
    cursor.movePosition(QTextCursor.MoveOperation.NextCharacter,
                        QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == OBJECT
    edit.setTextCursor(cursor)
    edit.cut()
    cursor = edit.textCursor()
    cursor.setPosition(edit.document().findBlockByNumber(1).position() - 1)   # paragraph end
    edit.setTextCursor(cursor)
    edit.paste()
    text = edit.markdown()
    first = text.split("\n\n")[0]
    assert first.rstrip().endswith("\\cite{textid1, textid3}")     # moved, whole
    assert "rain** ," in first.replace("\n", " ")
    assert cited_keys(text) == ["textid2", "textid1", "textid3", "textid2"]


def test_typing_into_the_section_view_edits_it_and_saves_valid_keys(window, qtbot,
                                                                     planned_project):
    from engine.project.project_store import ProjectStore
    from engine.warp.edits import EditNode

    window.open_project(str(planned_project))
    node_id = window.outline.outline["sections"][2]["node_id"]    # "Agencies helped."
    window.submit_edit(EditNode(node_id, content="Agencies helped \\cite{textid9}."))
    window.outline.setCurrentItem(window.outline.topLevelItem(2))
    window.draft.pages.setCurrentWidget(window.editor)
    editor_ = window.editor
    assert not editor_.text.isVisible() and editor_.display.currentWidget() is editor_.view
    editor_.view.setFocus()
    cursor = editor_.view.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    editor_.view.setTextCursor(cursor)
    QTest.keyClicks(editor_.view, " More")                       # typed as a user would
    assert editor_.in_place and editor_.dirty
    assert editor_.text.toPlainText().strip().endswith("More")
    editor_.save_button.click()
    QApplication.processEvents()
    assert not editor_.in_place
    store = ProjectStore.open(planned_project)
    try:
        outline = store.load_outline()
        content = outline.node_at(outline.position_of(node_id)).content
    finally:
        store.close()
    assert content.strip().endswith("More") and cited_keys(content) == ["textid9"]
