"""Renderings exactly as the protocol shows them, and context budgeting."""
from __future__ import annotations

import pytest

from engine.library.types import Passage
from engine.llm.base import ContextOverflow
from engine.report.outline import Node, Outline
from engine.warp.budget import Draft, fit_prompt
from engine.warp.render import (EMPTY, Abbreviator, View, compact_view, focused_view,
                                full_view, passages_block, render, within)


def words_abbreviator() -> Abbreviator:
    return Abbreviator(lambda t: t.split(), lambda toks: " ".join(toks))


def sample() -> Outline:
    long = " ".join(f"w{i}" for i in range(200))
    return Outline(title="Floods", sections=[
        Node("Causes", plan="why", content=long, subsections=[
            Node("Rain", plan="rain", content="It rained\na lot."),
            Node("Dams", plan="dams", subsections=[Node("Old dams", plan="age")])]),
        Node("Impact", plan="who was hit")])


def test_compact_rendering_format():
    """As the authors' server prints it: nothing abbreviated by default, every line
    ending in a newline."""
    text = render(sample(), compact_view(), words_abbreviator())
    assert text.endswith("\n")
    lines = text.splitlines()
    assert lines[0] == "# Title: [OK] Floods"
    assert lines[1] == "# Section-1 [Causes]: [OK] " + " ".join(f"w{i}" for i in range(200))
    assert lines[2] == "    ## Section-1.1 [Rain]: [OK] It rained a lot."
    assert lines[3] == "    ## Section-1.2 [Dams]: [PLAN] dams"
    assert lines[4] == "        ### Section-1.2.1 [Old dams]: [PLAN] age"
    assert lines[5] == "# Section-2 [Impact]: [PLAN] who was hit"
    assert render(Outline(), compact_view(), words_abbreviator()) == EMPTY


def test_abbreviation_is_100_plus_50_tokens_only_over_150():
    abbreviate = words_abbreviator()
    text = " ".join(f"t{i}" for i in range(151))
    short = " ".join(f"t{i}" for i in range(150))
    assert abbreviate(short) == short
    head, tail = abbreviate(text).split(" ... ")
    assert len(head.split()) == 100 and len(tail.split()) == 50


def test_full_view_abbreviates_nothing_and_the_budget_abbreviates_node_by_node():
    text = render(sample(), full_view(), words_abbreviator())
    assert "w120" in text and " ... " not in text
    tight = render(sample(), View(tight={"section-1": (100, 50)}), words_abbreviator())
    line = tight.splitlines()[1]
    assert " w99 ... w150 " in line and "w120" not in line and line.endswith("w199")


def test_one_line_changes_only_newlines_and_passages_keep_theirs():
    outline = Outline(title="T", sections=[Node("A  b", plan="p", content="x  y\n\tz\n")])
    assert render(outline, View(), words_abbreviator()).splitlines()[1] == (
        "# Section-1 [A  b]: [OK] x  y \tz")
    keyed = passages(2)
    keyed[0][1].text = "line one\nline two"
    assert passages_block(keyed[:1]) == "bibkey:textid1\nline one\nline two"
    assert passages_block(keyed).count("\n\nbibkey:textid2\n") == 1
    assert passages_block([]) == ""


def test_focus_follows_last_written_position():
    """h is the number of dots in the last written position (the protocol's words)."""
    outline = sample()
    # last written is section-1.1 (h == 1): the level-1 node containing it and its children
    assert outline.last_written() == "section-1.1"
    assert focused_view(outline).full == {"section-1", "section-1.1", "section-1.2"}
    outline.sections[0].subsections[0].content = None
    # now section-1 (h == 0): every level-1 node in full
    assert focused_view(outline).full == {"section-1", "section-2"}
    assert focused_view(Outline(title="T", sections=[Node("A"), Node("B")])).full == {
        "section-1", "section-2"}
    # a level-3 node written last (h == 2): the level-2 node containing it and its children
    deep = Outline(title="T", sections=[Node("A", content="a", subsections=[
        Node("A1", content="a1", subsections=[Node("x", content="x"), Node("y")])])])
    assert focused_view(deep).full == {"section-1.1", "section-1.1.1", "section-1.1.2"}


def test_focus_after_deepening_is_the_last_written_node_before_the_cursor():
    """Sections 1-3 written, then section-2 deepened: writing 2.2 focuses on 2.1 (the
    last written node before the cursor), not on section-3 (the last written overall)."""
    outline = Outline(title="T", sections=[
        Node("A", content="a"), Node("B", content="b", subsections=[Node("B1"), Node("B2")]),
        Node("C", content="c")])
    assert outline.cursor() == "section-2.1"
    assert outline.last_written() == "section-3"
    assert outline.last_written(before="section-2.1") == "section-2"
    assert focused_view(outline).full == {"section-1", "section-2", "section-3"}
    outline.sections[1].subsections[0].content = "b1"   # writing 2.2: now is 2.1
    assert focused_view(outline).full == {"section-2", "section-2.1", "section-2.2"}


def test_title_is_rendered_on_one_line():
    outline = sample()
    outline.title = "Floods\nof 2022"
    assert render(outline, compact_view(), words_abbreviator()).splitlines()[0] == (
        "# Title: [OK] Floods of 2022")


def test_within_is_not_a_string_prefix_test():
    assert within("section-1.2", "section-1")
    assert not within("section-10", "section-1")


def passages(n: int) -> list[tuple[str, Passage]]:
    return [(f"textid{i}", Passage(chunk_id=str(i), text="evidence " * 60, doc_id="d",
                                   path="/d.txt", title="D")) for i in range(1, n + 1)]


def test_budget_shrinks_deterministically_and_records_moves():
    outline = sample()
    for node in outline.sections:
        node.content = " ".join(f"x{i}" for i in range(400))
    abbreviate = words_abbreviator()

    def compose(draft: Draft) -> str:
        return render(outline, draft.view, abbreviate) + passages_block(draft.passages,
                                                                          draft.char_limit)

    count = lambda text: len(text.split())  # noqa: E731
    full = compose(Draft(view=full_view(), passages=passages(10)))
    results = []
    for _ in range(2):
        draft = Draft(view=full_view(), passages=passages(10))
        results.append(fit_prompt(compose, draft, outline, "section-2", count, 400))
    assert results[0] == results[1]
    prompt, tokens, moves = results[0]
    assert count(full) > 400 >= tokens
    assert moves and moves[0] == "abbreviated section-1"  # other branch, oldest, first


def test_budget_gives_a_clear_error_when_nothing_fits():
    outline = sample()
    with pytest.raises(ContextOverflow, match="--ctx"):
        fit_prompt(lambda d: "x " * 500, Draft(view=View(), passages=passages(2)), outline,
                   None, lambda t: len(t.split()), 10)
