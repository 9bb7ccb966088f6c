"""A passage in its surrounding text (read from the manifest, overlaps stitched once),
and its place on the PDF page (the word boxes cover exactly its words)."""
from __future__ import annotations

import pymupdf

from engine.library.context import passage_context
from engine.library.pdf_locate import passage_boxes
from tests.desktop.evidence_project import manifest_library


def by_suffix(passages, suffix):
    return [p for p in passages if p.chunk_id.endswith(suffix) and p.path.endswith(".pdf")][0]


def test_context_stitches_the_neighbouring_chunks_without_repeating_the_overlap():
    passages = manifest_library()
    second = by_suffix(passages, ":1")
    context = passage_context(second, "default")
    assert context.passage == second.text
    assert context.before.rstrip().endswith("Embankments")     # the overlap shows once
    assert "Rain gauges" in context.before
    assert context.after.lstrip().startswith("Who was affected")


def test_context_of_a_document_no_longer_in_the_library_is_the_passage_alone():
    passages = manifest_library()
    context = passage_context(passages[0], "another-library")
    assert (context.before, context.after) == ("", "")


def test_the_boxes_on_the_page_hold_the_passage_words():
    passages = manifest_library()
    for passage in (by_suffix(passages, ":0"), by_suffix(passages, ":2")):
        with pymupdf.open(passage.path) as doc:
            page = doc.load_page(passage.page - 1)
            boxes = passage_boxes(page, passage.text)
            inside = " ".join(page.get_text("text", clip=pymupdf.Rect(b.x0, b.y0, b.x1, b.y1))
                              for b in boxes).split()
        assert boxes and set(passage.text.split()) <= set(inside)
