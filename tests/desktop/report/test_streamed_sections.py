"""A run's streamed change replaces only the changed section of the reading view's
document: the other sections' blocks are the same blocks (never re-parsed nor re-laid
out), the result reads exactly as a whole new render would, the reader's place stays and
the claim-check underlines stay where their sections did not change."""
from __future__ import annotations

import copy

import pytest

from desktop.check.marks import FLAG_INDEX
from desktop.qt import QPoint, QTextDocument
from desktop.report.render import render_report, report_html
from desktop.shell.draft_views import DraftViews
from engine.check.types import Flag
from tests.benchmarks.desktop_views.common import outline_of
from tests.benchmarks.desktop_views.report_stream import nodes_of
from tests.export.samples import large_report

SENTINEL = 4242      # a userState no render sets: survives only in blocks left alone


@pytest.fixture
def draft(qtbot):
    report = large_report(24, 9_000)
    views = DraftViews()
    views.report.citations = dict(report.citations)
    qtbot.addWidget(views.pages)
    views.pages.resize(700, 600)
    views.pages.show()
    views.show_outline(outline_of(report))
    yield views
    views.shutdown()


def streamed(draft, qtbot, outline: dict) -> None:
    draft.outline_streamed(copy.deepcopy(outline))
    qtbot.waitUntil(lambda: not draft._render_timer.isActive() and not draft.renderer.busy
                    and draft.report.outline == outline, timeout=10_000)


def heading_block(document, heading: str):
    block = document.begin()
    while block.isValid() and block.text() != heading:
        block = block.next()
    assert block.isValid(), heading
    return block


def whole_render(draft) -> QTextDocument:
    document = QTextDocument()
    document.setDefaultFont(draft.reading.view.font())
    document.setHtml(report_html(render_report(draft.report.outline, draft.report.citations)))
    return document


def mark_sections(document, headings: list[str]) -> None:
    """Tag every block of these sections' bodies (up to the next heading)."""
    for heading in headings:
        block = heading_block(document, heading).next()
        while block.isValid() and block.blockFormat().headingLevel() == 0:
            block.setUserState(SENTINEL)
            block = block.next()


def tagged(document) -> int:
    count, block = 0, document.begin()
    while block.isValid():
        count += block.userState() == SENTINEL
        block = block.next()
    return count


def test_a_streamed_change_replaces_only_its_section(draft, qtbot):
    view = draft.reading.view
    document = view.document()
    rendered = draft.report.rendered
    others = [s.heading for s in rendered.sections[:5] + rendered.sections[6:]]
    mark_sections(document, others)
    kept, blocks = tagged(document), document.blockCount()
    outline = copy.deepcopy(draft.report.outline)
    nodes_of(outline)[5]["content"] += "\n\nA new paragraph, streamed.\n\nAnd a second one."
    streamed(draft, qtbot, outline)
    assert view.document() is document                   # no new document swapped in
    assert tagged(document) == kept                       # the other sections untouched
    assert document.blockCount() == blocks + 2
    assert "A new paragraph, streamed." in view.toPlainText()
    assert view.toPlainText() == whole_render(draft).toPlainText()
    assert heading_block(document, rendered.sections[5].heading).blockFormat().headingLevel()
    assert view.marker_urls() and view.report is draft.report.rendered


def test_the_readers_place_stays_when_a_section_above_grows(draft, qtbot):
    view = draft.reading.view
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    qtbot.waitUntil(lambda: bar.value() == bar.maximum() // 2)
    top = view.document().findBlock(view.cursorForPosition(QPoint(0, 0)).position())
    seen = top.text()
    outline = copy.deepcopy(draft.report.outline)
    nodes_of(outline)[1]["content"] += "\n\n" + "Grown above the reader. " * 40
    before = bar.value()
    streamed(draft, qtbot, outline)
    assert bar.value() > before                           # moved down by what was added
    now = view.document().findBlock(view.cursorForPosition(QPoint(0, 0)).position())
    assert now.text() == seen


def test_the_readers_place_stays_when_a_section_below_changes(draft, qtbot):
    view = draft.reading.view
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 3)
    qtbot.waitUntil(lambda: bar.value() == bar.maximum() // 3)
    before = bar.value()
    outline = copy.deepcopy(draft.report.outline)
    nodes_of(outline)[-1]["content"] += "\n\nWritten far below the reader."
    streamed(draft, qtbot, outline)
    assert "Written far below the reader." in view.toPlainText()
    assert bar.value() == before


def test_a_new_section_and_renumbered_citations_read_as_a_whole_render(draft, qtbot):
    view = draft.reading.view
    outline = copy.deepcopy(draft.report.outline)
    outline["sections"][-1]["subsections"].append(
        {"title": "Added by the run", "plan": "What comes next.", "node_id": "added",
         "subsections": []})
    streamed(draft, qtbot, outline)
    assert view.toPlainText() == whole_render(draft).toPlainText()
    nodes_of(outline)[0]["content"] = "Now the first to cite \\cite{textid40}."
    streamed(draft, qtbot, outline)            # every later marker renumbered
    assert view.toPlainText() == whole_render(draft).toPlainText()
    assert "Added by the run" in view.toPlainText()


def test_a_section_added_above_renumbers_the_headings_after_it_in_place(draft, qtbot):
    view = draft.reading.view
    document = view.document()
    rendered = draft.report.rendered
    outline = copy.deepcopy(draft.report.outline)
    outline["sections"].insert(2, {"title": "Inserted by the run", "plan": "Why it matters.",
                                   "node_id": "inserted", "subsections": []})
    ids = [node["node_id"] for node in nodes_of(outline)]
    before = ids[ids.index("inserted") - 1]     # replaced with it (a block to merge into)
    mark_sections(document, [s.heading for s in rendered.sections if s.node_id != before])
    kept = tagged(document)
    streamed(draft, qtbot, outline)
    assert view.document() is document                   # no new document swapped in
    assert tagged(document) == kept                       # every other body left as it was
    assert view.toPlainText() == whole_render(draft).toPlainText()
    moved = draft.report.rendered.sections[-1]
    assert moved.heading != rendered.sections[-1].heading    # renumbered
    block = heading_block(document, moved.heading)
    assert block.blockFormat().headingLevel() and \
        f"sec-{moved.node_id}" in block.begin().fragment().charFormat().anchorNames()


def underlined(document, index: int) -> bool:
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            if iterator.fragment().charFormat().property(FLAG_INDEX) == index:
                return True
            iterator += 1
        block = block.next()
    return False


def test_flag_underlines_stay_and_follow_a_changed_section(draft, qtbot):
    view = draft.reading.view
    outline = copy.deepcopy(draft.report.outline)
    nodes = nodes_of(outline)
    sentences = ["The levee at Sukkur held until the third week of August \\cite{textid3}.",
                 "Forty bridges on the Swat river were lost in two days \\cite{textid9}."]
    for node, sentence in zip((nodes[2], nodes[9]), sentences):
        node["content"] = sentence + "\n\n" + node["content"]
    draft.show_outline(outline)
    draft.set_flags({n["node_id"]: [Flag(section="", sentence=s, kind="figure",
                                         detail="check it", node_id=n["node_id"])]
                     for n, s in zip((nodes[2], nodes[9]), sentences)})
    assert underlined(view.document(), 0) and underlined(view.document(), 1)
    mark_sections(view.document(), [draft.report.rendered.sections[2].heading])
    kept = tagged(view.document())
    outline = copy.deepcopy(outline)
    nodes_of(outline)[9]["content"] += "\n\nMore text after the flagged sentence."
    streamed(draft, qtbot, outline)
    assert "More text after the flagged sentence." in view.toPlainText()
    assert tagged(view.document()) == kept                # section 3 and its mark untouched
    assert underlined(view.document(), 0) and underlined(view.document(), 1)
