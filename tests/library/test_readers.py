"""Readers on real files generated here: positions, headings, encodings, visible text."""
from __future__ import annotations

import codecs

import pytest

from engine.library.errors import CORRUPT, EMPTY, ENCRYPTED, NO_TEXT_LAYER, UNSUPPORTED, ReadError
from engine.library.readers import read_document
from engine.library.readers.mupdf import reading_order
from tests.library.conftest import PAGE_TEXTS, make_pdf
from tests.real_parts import require


def test_pdf_pages_and_toc_headings(pdf_file):
    doc = read_document(pdf_file)
    assert doc.pages == 3
    assert [s.page for s in doc.segments] == [1, 2, 3]
    for segment, text in zip(doc.segments, PAGE_TEXTS):
        assert " ".join(segment.text.split()) == text
    assert doc.segments[2].heading_path == ("Climate", "Crops")


def test_two_column_page_reads_left_column_first(tmp_path):
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()  # 595 wide
    page.insert_textbox(pymupdf.Rect(50, 40, 545, 70), "Full width title line")
    for row in range(3):
        y = 100 + row * 40
        page.insert_textbox(pymupdf.Rect(50, y, 280, y + 30), f"left column line {row}")
        page.insert_textbox(pymupdf.Rect(320, y, 545, y + 30), f"right column line {row}")
    doc.save(tmp_path / "cols.pdf")
    text = read_document(tmp_path / "cols.pdf").segments[0].text
    assert text.split("\n") == ["Full width title line"] + \
        [f"left column line {n}" for n in range(3)] + [f"right column line {n}" for n in range(3)]


def test_reading_order_bands_split_by_full_width_blocks():
    blocks = [(50, 10, 280, 20, "a"), (320, 10, 545, 20, "b"), (50, 30, 545, 40, "wide"),
              (320, 50, 545, 60, "d"), (50, 50, 280, 60, "c")]
    assert [b[4] for b in reading_order(blocks, 595)] == ["a", "b", "wide", "c", "d"]


def test_docx_headings_tables_and_paragraph_locators(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Methods", level=1)
    document.add_paragraph("We sampled forty rivers.")
    document.add_heading("Data", level=2)
    document.add_paragraph("Flow was logged hourly.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "river", "flow"
    table.cell(1, 0).text, table.cell(1, 1).text = "Aare", "560"
    document.save(tmp_path / "report.docx")
    doc = read_document(tmp_path / "report.docx")
    data = [s for s in doc.segments if s.heading_path == ("Methods", "Data")][0]
    assert "Flow was logged hourly." in data.text and "Aare | 560" in data.text
    assert [label for _, label in data.anchors] == [
        "Methods > Data, ¶3", "Methods > Data, ¶4", "Methods > Data, table 1"]


def test_markdown_heading_path(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# Trip\n\nIntro text.\n\n## Day one\n\nWe walked *far*.\n\n"
                    "### Lunch\n\nBread.\n\n## Day two\n\nRain.\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.title == "Trip"
    paths = {s.heading_path: s.text for s in doc.segments}
    assert paths[("Trip", "Day one", "Lunch")] == "Bread."
    assert paths[("Trip", "Day two")] == "Rain."


@pytest.mark.parametrize("encoding,prefix", [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE), ("latin-1", b""), ("cp1252", b"")])
def test_text_encodings(tmp_path, encoding, prefix):
    text = "Café au lait – “naïve” façade"
    if encoding == "latin-1":
        text = "Café au lait, naïve façade"  # latin-1 has no curly quotes or dashes
    path = tmp_path / "t.txt"
    path.write_bytes(prefix + text.encode(encoding))
    assert read_document(path).segments[0].text.strip() == text


LEGACY_TEXTS = {  # a paragraph in each legacy code page, as an old Windows editor saved it
    "cp1251": "# Наводнение\n\nНаводнение 2022 года затронуло миллионы людей в Пакистане. "
              "Вода поднялась выше, чем когда-либо за последние сто лет.",
    "shift_jis": "# 洪水\n\n2022年のパキスタン洪水は数百万人に影響を与えた。"
                 "水位は過去百年で最も高くなった。",
    "gb18030": "# 洪水\n\n2022年巴基斯坦洪水影响了数百万人。水位达到了过去一百年来的最高水平。",
    "cp1252": "# Inondation\n\nSeñor Muñoz visitó Málaga y Córdoba en otoño; "
              "allí comió jamón ibérico – “muy rico”.",
}


@pytest.mark.parametrize("encoding", sorted(LEGACY_TEXTS))
def test_legacy_code_pages_are_detected(tmp_path, encoding):
    text = LEGACY_TEXTS[encoding]
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # a real legacy file, not UTF-8 in disguise
    segment = read_document(path).segments[0]
    heading, body = text.split("\n\n")
    assert segment.heading_path == (heading[2:],)
    assert segment.text.strip() == body


def test_text_hash_headings_make_sections(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Title\n\nLead.\n\n# Background\n\nOld story.\n\n## Detail\n\nMore.\n")
    doc = read_document(path)
    assert [s.heading_path for s in doc.segments] == [(), ("Background",), ("Background", "Detail")]
    assert doc.segments[1].anchors[0][1] == "Background, line 7"


def test_html_visible_text_only(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><head><title>Page T</title><style>p{color:red}</style>"
                    "<script>var secret = 1;</script></head><body><h1>Top</h1>"
                    "<p>Visible &amp; kept.</p><noscript>hidden</noscript>"
                    "<h2>Sub</h2><div>More <b>text</b></div></body></html>")
    doc = read_document(path)
    joined = "\n".join(s.text for s in doc.segments)
    assert doc.title == "Page T"
    assert "Visible & kept." in joined and "More text" in joined
    assert "secret" not in joined and "color" not in joined and "hidden" not in joined
    assert doc.segments[-1].heading_path == ("Top", "Sub")


def test_encrypted_pdf(tmp_path):
    import pymupdf

    path = make_pdf(tmp_path / "plain.pdf", ["secret text"])
    doc = pymupdf.open(path)
    doc.save(tmp_path / "locked.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256,
             owner_pw="owner", user_pw="user")
    with pytest.raises(ReadError) as info:
        read_document(tmp_path / "locked.pdf")
    assert info.value.reason == ENCRYPTED


def test_image_only_pdf_has_no_text_layer(tmp_path):
    import pymupdf

    doc = pymupdf.open()
    pixmap = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 20, 20), 0)
    pixmap.clear_with(200)
    doc.new_page().insert_image(pymupdf.Rect(50, 50, 250, 250), pixmap=pixmap)
    doc.save(tmp_path / "scan.pdf")
    with pytest.raises(ReadError) as info:
        read_document(tmp_path / "scan.pdf")
    assert info.value.reason == NO_TEXT_LAYER


@pytest.mark.parametrize("name,data,reason", [
    ("zero.pdf", b"", EMPTY), ("junk.pdf", bytes(range(256)) * 40, CORRUPT),
    ("zero.txt", b"", EMPTY), ("blank.md", b"\n\n   \n", EMPTY),
    ("binary.txt", b"\x00\x01\x02PK\x00" * 100, CORRUPT), ("junk.docx", b"not a zip", CORRUPT),
    ("image.png", b"\x89PNG\r\n", UNSUPPORTED)])
def test_bad_files_have_reasons(tmp_path, name, data, reason):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(ReadError) as info:
        read_document(tmp_path / name)
    assert info.value.reason == reason


@pytest.mark.parametrize("name", ["Bezier.epub", "test_open2.xps", "test_open2.fb2",
                                  "test_open2.mobi", "test_open2.docx"])
def test_other_formats_from_the_pymupdf_corpus(name):
    from tests.conftest import CORPUS

    path = CORPUS / "pymupdf-tests" / name
    require(path.exists(), "shared corpus not present")
    doc = read_document(path)
    assert doc.char_count > 0
