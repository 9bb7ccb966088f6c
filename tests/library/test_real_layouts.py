"""Real slides exported to PDF and a real two-column paper (tests/data/real: a NASA Trick
training deck from PowerPoint, and a Scientific Reports article, CC BY 4.0): their
running footers stay out of every passage, a sentence that runs down one column reads
whole, and each document's own point, asked in other words, finds its page."""
from __future__ import annotations

from pathlib import Path

from engine.library.readers import read_document
from tests.library.conftest import ingest_all

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
SLIDES = REAL / "nasa-trick-monte-carlo-slides-excerpt.pdf"   # slides 1-3, 5, 11-13, 15
PAPER = REAL / "scirep-srep08555.pdf"       # the whole article, 5 pages, two columns
# Read from the files by eye: what stands on every slide, and atop or below every page.
SLIDE_HEADS = ["6/19/2012", "Trick Advanced Training"]
PAPER_HEADS = ["SCIENTIFIC REPORTS", "DOI: 10.1038/srep08555", "www.nature.com/scientificreports"]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_slides_lose_their_footer_and_slide_numbers():
    document = read_document(SLIDES)
    assert document.pages == document.header_pages == 8
    lines = [line.strip() for s in document.segments for line in s.text.splitlines()]
    assert not [line for line in lines if any(h in line for h in SLIDE_HEADS)]
    assert not [line for line in lines if line.isdigit()]             # slide numbers
    assert [s.text.splitlines()[0].strip() for s in document.segments][:2] == [
        "Trick Simulation Environment:", "Agenda/Schedule"]


def test_a_two_column_page_reads_each_column_whole():
    document = read_document(PAPER)
    assert document.header_pages == document.pages == 5
    page2 = flat(document.segments[1].text)
    # each of these runs over several lines of the left column, then the right one follows
    left = ("We choose c to deviate slightly from zero, so that the crystal cannot rotate "
            "freely in the plane, i.e. to remove the gapless rotational mode.")
    right = "Dynamic ion positions. Adding Coulomb interactions back, the static equilibrium"
    assert left in page2 and right in page2
    assert page2.index(left) < page2.index(right)


def test_passages_carry_no_running_head_and_a_paraphrase_finds_its_page(library):
    ingest_all(library, [SLIDES, PAPER])
    rows = library.manifest.chunks([f"{d.doc_id}:{n}" for d in library.documents()
                                    for n in range(d.n_chunks)])
    assert len(rows) == sum(d.n_chunks for d in library.documents()) > 10
    heads = SLIDE_HEADS + PAPER_HEADS
    assert not [r.chunk_id for r in rows.values() if any(h in r.text for h in heads)]
    for query, name, page in (
            # "Slaves ask the master for work when they are ready for work - Faster slave
            # machines will do more work"
            ("quicker computers end up doing a bigger share of the runs", SLIDES.name, 6),
            # "If no result is returned, the slave is assumed dead and the run's initial
            # data is re-dispatched to the next available slave"
            ("a helper that never answers is presumed gone and its job goes to another one",
             SLIDES.name, 8),
            # "We choose c to deviate slightly from zero, so that the crystal cannot rotate
            # freely in the plane"
            ("a small asymmetry in the trap keeps the ion lattice from spinning", PAPER.name, 2),
            # "Numerically, we found an average reduction of around 0.4 kHz in each
            # transverse mode frequency"
            ("simulations showed every sideways vibration tone dropping by a fraction of a "
             "kilohertz", PAPER.name, 3)):
        hits = library.search(query, k=3)
        assert any(h.path.endswith(name) and h.page == page for h in hits), \
            (query, [(Path(h.path).name, h.page, h.text[:60]) for h in hits])
