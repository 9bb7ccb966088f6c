"""Chunking: sentence-aware, sized, overlapping, with exact spans and positions."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from engine.library.chunking import ChunkConfig, chunk_document, chunk_spans, document_text
from engine.library.readers.base import ParsedDocument, Segment

SENTENCE = "The river rose steadily through the night and the town watched it. "


def test_chunks_are_sentence_aligned_and_overlap():
    text = SENTENCE * 30
    spans = chunk_spans(text, ChunkConfig(512, 50))
    assert len(spans) > 3
    for start, end in spans:
        assert end - start <= 512
        assert text[start:end].endswith("it.")      # ends on a sentence boundary
    for (_, prev_end), (start, _) in zip(spans, spans[1:]):
        assert start < prev_end                      # consecutive chunks overlap


def test_overlap_falls_back_to_words_when_sentences_are_long():
    text = ("word " * 150 + ". ") * 4
    spans = chunk_spans(text, ChunkConfig(200, 40))
    for (_, prev_end), (start, _) in zip(spans, spans[1:]):
        assert 0 < prev_end - start <= 45


def test_positions_and_document_offsets():
    doc = ParsedDocument(title="t", pages=2, segments=[
        Segment(SENTENCE * 10, page=1, heading_path=("A",)),
        Segment(SENTENCE * 3, page=2, heading_path=("A", "B"))])
    chunks = chunk_document(doc)
    full = document_text(doc)
    assert {c.page for c in chunks} == {1, 2}
    for chunk in chunks:
        assert full[chunk.char_start:chunk.char_end] == chunk.text
    assert [c.index for c in chunks] == list(range(len(chunks)))
    assert chunks[-1].heading_path == ("A", "B")


def test_anchor_locators_follow_chunk_start():
    text = "First para sentence. " * 20 + "\n" + "Second para here. " * 20
    second = text.index("Second")
    doc = ParsedDocument(title="t", segments=[Segment(text, anchors=[(0, "¶1"), (second, "¶2")])])
    chunks = chunk_document(doc, ChunkConfig(200, 20))
    assert chunks[0].locator == "¶1"
    assert chunks[-1].locator == "¶2"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("abc xyz.!?\n\u00e9\u4e2d。"), max_size=3000),
       st.integers(min_value=32, max_value=600), st.integers(min_value=0, max_value=15))
def test_every_word_is_covered_and_chunks_stay_sized(text, size, overlap):
    config = ChunkConfig(size, overlap)
    spans = chunk_spans(text, config)
    covered = set()
    for start, end in spans:
        assert 0 <= start < end <= len(text)
        assert end - start <= size + overlap
        covered.update(range(start, end))
    for index, char in enumerate(text):
        if char.isalnum():
            assert index in covered
