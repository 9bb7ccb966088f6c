"""Running headers, footers and page numbers kept out of the text, on real US federal
documents (tests/data/real: a NIST report and a CMS form, public domain) and on made-up
edge cases; Word headers and footers never read into the body."""
from __future__ import annotations

from pathlib import Path

from engine.library.readers import read_document
from tests.library.conftest import ingest_all, make_pdf

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
NIST = REAL / "nist-sp800-223-excerpt.pdf"      # pp. 1-6 of NIST SP 800-223's body
CMS = REAL / "cms-1490s-excerpt.pdf"            # Form CMS-1490S and its instructions
# Read from the files by eye: what stands at the top and bottom of every page.
NIST_HEADS = ["High-Performance Computing Security", "NIST SP 800-223", "February 2024"]
CMS_HEADS = ["Form CMS-1490S (version 01/18)"]


def lines(document) -> list[str]:
    return [line.strip() for s in document.segments for line in s.text.splitlines()]


def test_a_nist_report_loses_its_running_heads_and_page_numbers_only():
    document = read_document(NIST)
    found = lines(document)
    assert document.header_pages == document.pages == 6
    assert not set(NIST_HEADS) & set(found)
    assert not [line for line in found if line.isdigit()]             # page numbers
    page2 = document.segments[1].text
    assert "The HPC system reference architecture is depicted in Fig. 1." in page2


def test_a_federal_form_loses_its_footer_but_keeps_its_one_time_heading():
    document = read_document(CMS)
    found = lines(document)
    assert document.header_pages == document.pages
    assert not set(CMS_HEADS) & set(found)
    assert "DEPARTMENT OF HEALTH AND HUMAN SERVICES" in found           # on page 1 alone


def test_a_pdf_of_one_line_per_page_keeps_its_text(tmp_path):
    pages = [f"Quarterly figures, part {n}" for n in range(1, 6)]
    document = read_document(make_pdf(tmp_path / "lines.pdf", pages))
    assert [s.text.strip() for s in document.segments] == pages
    assert document.header_pages == 0


def test_two_pages_are_too_few_to_call_a_line_a_running_head(tmp_path):
    pages = [f"Annual Review\n\nBody text of page {n} about rivers." for n in (1, 2)]
    document = read_document(make_pdf(tmp_path / "two.pdf", pages))
    assert all("Annual Review" in s.text for s in document.segments)


def test_a_head_with_a_changing_number_is_one_running_head(tmp_path):
    import pymupdf

    bodies = ["Rivers carry sediment to the delta, where it settles in wide fans of silt.",
              "Tides reshape the sandbanks daily, so the channel markers move each season.",
              "Mangroves anchor the muddy shore and shelter young fish among their roots.",
              "Storm surges flood the low islands, and the wells there turn brackish."]
    doc = pymupdf.open()
    for n, body in enumerate(bodies, start=1):
        page = doc.new_page()                                   # 842 high
        page.insert_text((50, 40), f"Coastal Survey, Vol. 12, No. {n}", fontsize=9)
        page.insert_text((50, 300), body, fontsize=11)
        page.insert_text((290, 815), f"Page {n}", fontsize=9)
    doc.save(tmp_path / "survey.pdf")
    document = read_document(tmp_path / "survey.pdf")
    assert [s.text.strip() for s in document.segments] == bodies
    assert document.header_pages == 4


def test_word_headers_and_footers_stay_out_of_the_body(tmp_path):
    import docx

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "ACME Internal - Do Not Distribute"
    section.footer.paragraphs[0].text = "Printed by the records office"
    document.add_paragraph("Harbour dredging resumed after the spring floods.")
    document.add_page_break()
    document.add_paragraph("The new quay opened to cargo ships in June.")
    document.save(tmp_path / "memo.docx")
    text = " ".join(s.text for s in read_document(tmp_path / "memo.docx").segments)
    assert "Harbour dredging" in text and "new quay" in text
    assert "ACME Internal" not in text and "records office" not in text


def test_passages_carry_no_running_head_and_the_panel_says_what_was_set_aside(library):
    ingest_all(library, [NIST, CMS])
    rows = library.manifest.chunks([f"{d.doc_id}:{n}" for d in library.documents()
                                    for n in range(d.n_chunks)])
    heads = NIST_HEADS + CMS_HEADS
    assert rows and not [r for r in rows.values() if any(h in r.text for h in heads)]
    nist = next(d for d in library.documents() if d.path.endswith(NIST.name))
    assert nist.set_aside().startswith("running header removed from 6 pages")
    # Each document's own point, asked in other words, finds its page.
    for query, name, page in (
            ("a pool of compute nodes joined by fast networks that runs parallel jobs",
             NIST.name, 2),
            ("patients asking Medicare to pay them back for a bill they covered", CMS.name, None)):
        hits = library.search(query, k=3)
        assert any(h.path.endswith(name) and (page is None or h.page == page)
                   for h in hits), [(h.path, h.page, h.text[:60]) for h in hits]
