"""The Word export read back with python-docx: headings, lists, tables, citations, fields."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from docx.oxml.ns import qn

from engine.export import export_docx, write_exports
from tests.export import reading
from tests.export.samples import chinese_report, sample_report


@pytest.fixture
def exported(tmp_path):
    result = export_docx(sample_report(), tmp_path / "report.docx")
    return result, reading.open_docx(result.path)


def test_title_and_numbered_headings_use_builtin_styles(exported):
    result, document = exported
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text == "The 2022 Pakistan Floods"
    assert reading.headings(document) == [
        ("Heading 1", "1 Background"), ("Heading 2", "1.1 Causes"),
        ("Heading 3", "1.1.1 Rainfall records"), ("Heading 1", "2 Response"),
        ("Heading 1", "3 Outlook"), ("Heading 1", "References")]   # Outlook: not written
    assert result.sections == 5 and result.warnings == []
    texts = [p.text for p in document.paragraphs]
    outlook = document.paragraphs[len(texts) - texts[::-1].index("3 Outlook")]   # not the TOC
    assert outlook.text == "(Not yet written.)" and all(run.italic for run in outlook.runs)


def test_headings_without_numbers_and_plans_of_unwritten_sections(tmp_path):
    result = export_docx(sample_report(), tmp_path / "r.docx", numbered_headings=False,
                         unwritten="plan")
    document = reading.open_docx(result.path)
    assert [text for _, text in reading.headings(document)] == [
        "Background", "Causes", "Rainfall records", "Response", "Outlook", "References"]
    plan = next(p for p in document.paragraphs if p.text == "What rebuilding will take.")
    assert all(run.italic for run in plan.runs)


def test_inline_formatting_leaves_no_markdown_behind(exported):
    _, document = exported
    text = reading.body_text(document)
    for leftover in reading.LEFTOVER_MARKDOWN:
        assert leftover not in text, leftover
    paragraph = next(p for p in document.paragraphs if p.text.startswith("The floods"))
    assert [r.text for r in paragraph.runs if r.bold] == ["record monsoon rain"]
    assert [r.text for r in paragraph.runs if r.italic] == ["five times"]
    code = next(r for p in document.paragraphs for r in p.runs if r.text == "glacier")
    assert code.style.name == "Deepdraft Code"
    assert ("the survey", "https://example.org/glaciers") in reading.external_links(document)


def test_lists_use_word_numbering_with_nesting(exported):
    _, document = exported
    items = reading.list_items(document)
    texts = [text for text, _, _ in items]
    assert texts[:5] == ["heavy rain over the Indus basin [2];",
                         "meltwater from glacier retreat, see the survey;",
                         "lake outbursts in July", "higher river levels",
                         "weak drainage in cities."]
    levels = {text: (num_id, ilvl) for text, num_id, ilvl in items}
    top, nested = levels["heavy rain over the Indus basin [2];"], levels["lake outbursts in July"]
    assert top[1] == 0 and nested[1] == 1 and levels["weak drainage in cities."] == top
    assert reading.num_format(document, *top) == "bullet"
    steps = [levels[t] for t in ("rescue and evacuation;", "camps and food [2];", "rebuilding.")]
    assert len({s for s in steps}) == 1 and steps[0][0] != top[0]
    assert reading.num_format(document, *steps[0]) == "decimal"
    list_paragraphs = [p for p in document.paragraphs if p.text in levels]
    assert {p.style.name for p in list_paragraphs} == {"List Paragraph"}


def test_ordered_lists_restart_and_keep_their_start(tmp_path):
    report = sample_report()
    report.sections[1].content = "1. a\n2. b\n\ntext\n\n5. c\n6. d"
    document = reading.open_docx(export_docx(report, tmp_path / "r.docx").path)
    items = {text: num_id for text, num_id, _ in reading.list_items(document)}
    assert items["a"] == items["b"] != items["c"] == items["d"]
    num = next(n for n in document.part.numbering_part.element.findall(qn("w:num"))
               if n.get(qn("w:numId")) == str(items["c"]))
    assert num.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}").get(qn("w:val")) == "5"


def test_tables_have_cells_header_and_grid(exported):
    _, document = exported
    (table,) = document.tables
    assert table.style.name == "Table Grid"
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells == [["Driver", "Share", "Source"], ["Rain", "70%", "[2]"],
                     ["Meltwater", "20%", "[2]"], ["Other", "10%", ""]]
    assert all(run.bold for run in table.rows[0].cells[0].paragraphs[0].runs)
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_blockquote_and_code_block(exported):
    _, document = exported
    quote = next(p for p in document.paragraphs if p.text.startswith("Aid agencies"))
    assert quote.style.name == "Quote"
    code = next(p for p in document.paragraphs if "33_000_000" in p.text)
    assert code.style.name == "Deepdraft Code Block" and code.text == "affected = 33_000_000"


def test_citations_numbered_by_first_use_and_linked_to_bookmarks(exported):
    result, document = exported
    links = reading.citation_links(document)
    # textid2 (DOCX notes) is cited first; textid1, textid3 and textid4 are the same
    # PDF page and share number 2; textid5 is never cited.
    assert [text for text, _ in links] == ["[1]", "[1]", "[1]", "[2]", "[2]", "[2]", "[2]",
                                          "[2]", "[2]"]   # \cite{textid1, textid2}: [1][2]
    bookmarks = reading.bookmark_names(document)
    assert all(anchor in bookmarks for _, anchor in links)
    assert {anchor for _, anchor in links} == {"dd_ref_1", "dd_ref_2"}
    assert reading.reference_entries(document) == [
        "[1]\tGlacier Field Notes. glacier-notes.docx, Methods > Lake survey.",
        "[2]\tPakistan Floods 2022: Post-Disaster Needs Assessment. floods-2022.pdf, p. 14."]
    assert result.citations == 2


def test_table_of_contents_field_and_update_on_open(exported):
    _, document = exported
    instructions = [t.text for t in document.element.body.iter(qn("w:instrText"))]
    assert instructions == [' TOC \\o "1-3" \\h \\z \\u ']
    chars = [c.get(qn("w:fldCharType")) for c in document.element.body.iter(qn("w:fldChar"))]
    assert chars == ["begin", "separate", "end"]
    update = document.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"
    toc = [p.text for p in document.paragraphs if p.style.name in ("toc 1", "toc 2", "toc 3")]
    assert toc == ["1 Background", "1.1 Causes", "1.1.1 Rainfall records", "2 Response",
                   "3 Outlook"]
    headings = reading.bookmark_names(document)
    assert {"dd_sec_1", "dd_sec_1_1", "dd_sec_1_1_1", "dd_sec_2"} <= headings


def test_core_properties(exported):
    _, document = exported
    properties = document.core_properties
    assert properties.title == "The 2022 Pakistan Floods"
    assert properties.author == "Ada Lovelace"
    assert properties.subject == "What caused the 2022 floods?"
    assert properties.created == datetime(2024, 5, 1, 9, 30, tzinfo=timezone.utc)
    assert "python-docx" not in (properties.comments or "")


def test_author_falls_back_to_settings(tmp_path):
    from engine.app_settings import update_settings

    update_settings(author="Grace Hopper")
    report = sample_report(author="")
    document = reading.open_docx(export_docx(report, tmp_path / "r.docx").path)
    assert document.core_properties.author == "Grace Hopper"


def test_chinese_report_sets_east_asian_fonts_and_labels(tmp_path):
    document = reading.open_docx(export_docx(chinese_report(), tmp_path / "zh.docx").path)
    assert [text for _, text in reading.headings(document)][:2] == ["1 背景", "1.1 成因分析"]
    assert [text for _, text in reading.headings(document)][-1] == "参考文献"
    assert "（尚未撰写。）" in reading.body_text(document)
    styles = document.styles.element
    # Theme fonts would win over the named CJK font: every font setting names it instead.
    fonts = list(styles.iter(qn("w:rFonts")))
    for name in ("Title", "Heading 1"):
        assert document.styles[name].element.rPr.rFonts.get(qn("w:eastAsia")) == \
            "Noto Sans CJK SC"
    assert {f.get(qn("w:eastAsiaTheme")) for f in fonts} == {None}
    assert {f.get(qn("w:eastAsia")) for f in fonts} - {None} == {"Noto Sans CJK SC"}
    defaults = styles.find(qn("w:docDefaults"))
    fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert fonts.get(qn("w:eastAsia")) == "Noto Sans CJK SC"
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:eastAsia")) == "zh-CN"
    assert "目录" in [p.text for p in document.paragraphs]
    assert reading.reference_entries(document) == ["[1]\t长江流域洪水调查报告. 长江洪水报告.pdf, p. 7."]


def test_write_exports_writes_both_and_merges_warnings(tmp_path):
    report = sample_report()
    report.sections[1].content += "\n\nAlso \\cite{textid99}."
    warnings = write_exports(report, docx=tmp_path / "r.docx", md=tmp_path / "r.md",
                             numbered_headings=False, table_of_contents=False)
    assert len(warnings) == 1 and "textid99" in warnings[0]
    assert (tmp_path / "r.docx").is_file() and (tmp_path / "r.md").is_file()
    assert "## Background" in (tmp_path / "r.md").read_text(encoding="utf-8")


def test_unknown_unwritten_choice_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unwritten"):
        export_docx(sample_report(), tmp_path / "r.docx", unwritten="hide")
