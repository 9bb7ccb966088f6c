"""A run's updates while the reader looks around (issue 24): an update that keeps the
outline's shape changes only the rows' texts (the rows, their folding and the selection
stay), the selected section is re-shown only when it changed, and the evidence pane keeps
the passage the reader chose."""
from __future__ import annotations

import copy

from engine.library.types import Passage
from engine.warp.events import OutlineChanged

SOURCE = {f"textid{n}": Passage(chunk_id=f"c{n}", text=f"Passage {n} about river levels.",
                                doc_id=f"d{n}", path=f"/lib/source-{n}.md",
                                title=f"Source {n}") for n in range(1, 5)}


def _outline() -> dict:
    return {"title": "Floods", "sections": [
        {"node_id": "a", "title": "Causes", "plan": "why",
         "content": "Rain fell for weeks \\cite{textid1} and rivers rose \\cite{textid2}.",
         "subsections": [{"node_id": "a1", "title": "Rain", "plan": "rain",
                          "content": "Record rain \\cite{textid3}.", "subsections": []}]},
        {"node_id": "b", "title": "Relief", "plan": "aid",
         "content": "Camps opened \\cite{textid4}.", "subsections": []}]}


def _stream(window, qtbot, outline: dict, cursor: str | None = None) -> None:
    draft = window.draft
    window.on_event(OutlineChanged(copy.deepcopy(outline), cursor))
    qtbot.waitUntil(lambda: not draft._render_timer.isActive() and not draft.renderer.busy
                    and draft._latest is None, timeout=30_000)


def test_an_update_of_another_section_keeps_rows_and_does_not_reshow_the_selection(
        window, qtbot):
    outline = _outline()
    window.draft.report.citations = dict(SOURCE)
    _stream(window, qtbot, outline)
    tree = window.outline
    rows = {node_id: tree.item_for(node_id) for node_id in ("a", "a1", "b")}
    assert tree.select_node("a1")
    rows["a"].setExpanded(False)
    shown: list = []
    tree.node_selected.connect(lambda node, position: shown.append(node))

    outline["sections"][1]["content"] += " Schools reopened in October."
    _stream(window, qtbot, outline, "section-2")
    assert {n: tree.item_for(n) for n in rows} == rows          # the same rows, updated
    assert not rows["a"].isExpanded() and tree.selected_id() == "a1"
    assert rows["b"].font(1).bold()                             # the agent's next section
    assert rows["b"].text(3) == str(len("Camps opened . Schools reopened in October."
                                        .split()))
    assert shown == []                                          # "Rain" did not change

    outline["sections"][0]["subsections"][0]["content"] += " Dams overflowed."
    _stream(window, qtbot, outline, "section-2")
    assert [node["node_id"] for node in shown] == ["a1"]
    assert "Dams overflowed" in window.draft.editor.text.toPlainText()


def test_a_new_section_rebuilds_the_tree_and_keeps_the_selection(window, qtbot):
    outline = _outline()
    _stream(window, qtbot, outline)
    window.outline.select_node("b")
    outline["sections"].append({"node_id": "c", "title": "Lessons", "plan": "what next",
                                "subsections": []})
    _stream(window, qtbot, outline)
    assert window.outline.item_for("c").text(2) == "[PLAN]"
    assert window.outline.selected_id() == "b"


def test_the_evidence_pane_keeps_the_readers_passage_through_a_run_update(window, qtbot):
    outline = _outline()
    window.draft.report.citations = dict(SOURCE)
    _stream(window, qtbot, outline)
    window.outline.select_node("a")
    evidence = window.draft.evidence
    qtbot.waitUntil(lambda: evidence.list.count() == 2)
    evidence.list.setCurrentRow(1)                        # the reader picks the second
    assert "Passage 2" in evidence.context.toPlainText()

    outline["sections"][0]["content"] += " Roads closed."  # this very section, same cites
    _stream(window, qtbot, outline)
    assert evidence.list.currentRow() == 1
    assert "Passage 2" in evidence.context.toPlainText()

    outline["sections"][0]["content"] += " Bridges fell \\cite{textid4}."   # a new cite
    _stream(window, qtbot, outline)
    assert evidence.list.count() == 3 and evidence.list.currentRow() == 0
