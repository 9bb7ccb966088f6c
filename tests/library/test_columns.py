"""Multi-column pages are read column by column: every sentence of a three-column page
stays whole in the text the model and the evidence pane get, and each chunk's highlight
rectangles stay within one run of columns, left to right."""
from __future__ import annotations

from engine.library.chunking import ChunkConfig, chunk_document
from engine.library.pdf_locate import passage_boxes
from engine.library.readers import read_document
from engine.library.readers.columns import reading_order

COLUMNS = [(40, 206), (223, 389), (406, 572)]          # a US Letter page, 17 pt gutters
TEXTS = [
    "The agency proposes to amend its rules for small vessel inspections. Comments must "
    "reach the docket office within sixty days. Late comments will be considered only as "
    "far as practicable. The proposal follows two public meetings held last spring.",
    "For further information contact the Office of Vessel Standards, Room 410, 2100 "
    "Second Street, Washington, DC. Requests for a copy of the draft assessment may be "
    "sent to the same address. Persons with hearing impairments may call the relay service.",
    "The rule would affect about nine hundred owners of passenger vessels. Most of them "
    "are small entities under the statute. The estimated cost is four thousand dollars per "
    "vessel over ten years. The agency invites data on these estimates.",
]


def three_column_pdf(path):
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_textbox(pymupdf.Rect(40, 40, 572, 70),
                        "Proposed Rule on Small Passenger Vessel Inspections", fontsize=13)
    for (x0, x1), text in zip(COLUMNS, TEXTS):
        assert page.insert_textbox(pymupdf.Rect(x0, 90, x1, 500), text, fontsize=10) > 0
    doc.save(path)
    return path


def flat(text: str) -> str:
    return " ".join(text.split())


def test_every_sentence_of_a_three_column_page_is_contiguous(tmp_path):
    document = read_document(three_column_pdf(tmp_path / "rule.pdf"))
    text = flat(document.segments[0].text)
    assert text.startswith("Proposed Rule on Small Passenger Vessel Inspections")
    for column in TEXTS:
        for sentence in column.split(". "):
            assert flat(sentence) in text, sentence
    assert text.index("sixty days") < text.index("Room 410") < text.index("nine hundred")


def test_highlights_of_each_chunk_stay_within_one_column_run(tmp_path):
    import pymupdf

    path = three_column_pdf(tmp_path / "rule.pdf")
    chunks = chunk_document(read_document(path), ChunkConfig(size=200, overlap=30))
    assert len(chunks) >= 4
    with pymupdf.open(path) as doc:
        for chunk in chunks:
            boxes = passage_boxes(doc[0], chunk.text)
            assert boxes, chunk.text
            columns = [_column(box) for box in boxes]
            while columns and columns[0] is None:      # the full-width title, read first
                columns.pop(0)
            assert None not in columns, (chunk.text, boxes)
            assert columns == sorted(columns), (chunk.text, columns)   # never back a column


def _column(box) -> int | None:
    """The column a highlight box lies in; None for the full-width title."""
    for number, (x0, x1) in enumerate(COLUMNS):
        if box.x0 >= x0 - 2 and box.x1 <= x1 + 2:
            return number
    return None


def test_a_table_of_short_cells_is_read_row_by_row():
    rows = [(40 + 150 * c, 100 + 20 * r, 40 + 150 * c + 60, 110 + 20 * r, f"r{r}c{c}")
            for r in range(5) for c in range(3)]
    assert [b[4] for b in reading_order(rows, 612)][:3] == ["r0c0", "r0c1", "r0c2"]


def test_lines_partly_off_the_page_are_ordered_without_error():
    lines = [(-30, 100 + 12 * n, 250, 110 + 12 * n, f"a line of prose number {n}") for n in range(4)]
    lines += [(320, 100 + 12 * n, 700, 110 + 12 * n, f"another prose line {n}") for n in range(4)]
    assert len(reading_order(lines, 612)) == 8
