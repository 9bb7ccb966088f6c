"""Property tests: the cursor is the protocol's under any sequence of user edits."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.report.outline import MAX_DEPTH, Node, Outline, depth_of, parse_position
from engine.warp.edits import (AddNode, DeleteNode, EditError, EditNode, LockNode, MoveNode,
                               apply_edit)

words = st.text(alphabet="abcdefgh ", min_size=1, max_size=8)


@st.composite
def nodes(draw, level=1):
    children = draw(st.lists(nodes(level + 1), max_size=3)) if level < MAX_DEPTH else []
    content = draw(st.one_of(st.none(), words))
    return Node(title=draw(words), plan=draw(words), content=content, subsections=children,
                locked=draw(st.booleans()) and content is not None)


outlines = st.builds(Outline, title=words, sections=st.lists(nodes(), max_size=4))


def reference_cursor(outline: Outline):
    if not outline.sections:
        return "outline"
    for position, node in outline.walk():
        if node.content is None and not node.locked:
            return position
    return None


def check_invariants(outline: Outline) -> None:
    positions = [p for p, _ in outline.walk()]
    assert len(positions) == len(set(positions))
    for position in positions:
        assert 1 <= depth_of(position) <= MAX_DEPTH
        assert outline.node_at(position) is not None
    assert outline.cursor() == reference_cursor(outline)
    assert Outline.from_dict(outline.to_dict()).to_dict() == outline.to_dict()


@st.composite
def edit_for(draw, outline: Outline):
    ids = [n.node_id for _, n in outline.walk()]
    pick = st.sampled_from(ids) if ids else st.none()
    maybe_parent = st.one_of(st.none(), pick) if ids else st.none()
    kind = draw(st.sampled_from(["add", "delete", "move", "lock", "edit"]))
    if kind == "add" or not ids:
        return AddNode(title=draw(words), parent_id=draw(maybe_parent),
                       index=draw(st.integers(0, 4)))
    node_id = draw(pick)
    if kind == "delete":
        return DeleteNode(node_id)
    if kind == "move":
        return MoveNode(node_id, parent_id=draw(maybe_parent), index=draw(st.integers(0, 4)))
    if kind == "lock":
        return LockNode(node_id, locked=draw(st.booleans()))
    return EditNode(node_id, title=draw(words), content=draw(st.one_of(st.none(), words)))


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_cursor_and_structure_survive_any_edit_sequence(data):
    outline = data.draw(outlines)
    check_invariants(outline)
    for _ in range(data.draw(st.integers(1, 8))):
        edit = data.draw(edit_for(outline))
        try:
            apply_edit(outline, edit)
        except EditError:
            pass
        check_invariants(outline)


@given(outlines)
def test_positions_round_trip(outline):
    for position, node in outline.walk():
        assert outline.node_at(position) is node
        assert parse_position(position)


def test_user_text_is_marked_and_locked_nodes_are_skipped():
    outline = Outline(title="T", sections=[Node("A"), Node("B")])
    a = outline.sections[0]
    apply_edit(outline, EditNode(a.node_id, content="mine"))
    assert a.author == "user" and outline.cursor() == "section-2"
    apply_edit(outline, LockNode(outline.sections[1].node_id))
    assert outline.cursor() is None


def test_protocol_cursor_examples():
    outline = Outline()
    assert outline.cursor() == "outline"
    outline = Outline(title="T", sections=[Node("A", content="x", subsections=[Node("A1")]),
                                           Node("B")])
    assert outline.cursor() == "section-1.1"
    outline.sections[0].subsections[0].content = "y"
    assert outline.cursor() == "section-2"
    outline.sections[1].content = "z"
    assert outline.cursor() is None


def test_moving_too_deep_is_refused():
    deep = Node("A", subsections=[Node("A1", subsections=[Node("A11")])])
    other = Node("B", subsections=[Node("B1")])
    outline = Outline(title="T", sections=[deep, other])
    try:
        apply_edit(outline, MoveNode(deep.node_id, parent_id=other.node_id, index=0))
    except EditError as exc:
        assert "levels" in str(exc)
    else:
        raise AssertionError("a move past three levels was accepted")
