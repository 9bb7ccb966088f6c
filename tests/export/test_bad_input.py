"""Inputs a real project can hold and that must still export: nothing written, broken
Markdown, unknown citation keys, very long sections, bytes XML cannot carry."""
from __future__ import annotations


from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.export import export_docx, export_markdown
from engine.report.snapshot import Report, ReportSection
from tests.export import reading
from tests.export.samples import PDF_PASSAGE, long_text

ILLEGAL = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def _report(*contents: str, **values) -> Report:
    sections = [ReportSection(f"Part {i + 1}", content=text) for i, text in enumerate(contents)]
    return Report(title=values.pop("title", "T"), query="q", sections=sections,
                  citations={"textid1": PDF_PASSAGE}, **values)


def test_report_with_no_sections(tmp_path):
    result = export_docx(Report(title="Empty", query="q"), tmp_path / "e.docx")
    document = reading.open_docx(result.path)
    assert [p.text for p in document.paragraphs] == ["Empty"]
    assert result.sections == 0 and any("no written sections" in w for w in result.warnings)
    text = export_markdown(Report(title="", query="Why?"), tmp_path / "e.md").path.read_text()
    assert text == "# Why?\n"


def test_unwritten_sections_are_marked_or_omitted(tmp_path):
    """A run stopped at its step limit: the Contents keeps each unwritten section, marked
    "not yet written" (the default), unless the export is asked to omit them."""
    report = Report(title="Plan only", query="q",
                    sections=[ReportSection("A", plan="p", subsections=[ReportSection("B")])])
    result = export_docx(report, tmp_path / "p.docx")
    document = reading.open_docx(result.path)
    assert [t for _, t in reading.headings(document)] == ["1 A", "1.1 B"]
    assert reading.body_text(document).count("(Not yet written.)") == 2
    assert result.warnings == ["the report has no written sections; only its title and "
                               "headings were exported"]
    omitted = reading.open_docx(export_docx(report, tmp_path / "o.docx",
                                            unwritten="omit").path)
    assert reading.headings(omitted) == []


def test_written_child_keeps_unwritten_parent_heading(tmp_path):
    report = Report(title="T", query="q", sections=[
        ReportSection("Parent", plan="p", subsections=[ReportSection("Child", content="x")])])
    document = reading.open_docx(export_docx(report, tmp_path / "c.docx").path)
    assert [t for _, t in reading.headings(document)] == ["1 Parent", "1.1 Child"]


def test_broken_markdown_exports_as_text(tmp_path):
    broken = ("Unclosed **bold and *emphasis \\cite{textid1}\n\n"
              "| a | b |\n|---|\n| only one row |\n\n"
              "- item\n    - odd indent\n  1) mixed\n\n"
              "[dangling link](\n\n"
              "```python\nnever closed \\cite{textid1}\n")
    result = export_docx(_report(broken), tmp_path / "b.docx")
    document = reading.open_docx(result.path)
    text = reading.body_text(document)
    assert "Unclosed" in text and "never closed [1]" in text and "\\cite" not in text
    assert result.warnings == []
    md = export_markdown(_report(broken), tmp_path / "b.md").path.read_text(encoding="utf-8")
    assert "never closed [1]" in md


def test_unresolvable_citation_key_is_visible_and_warned(tmp_path):
    result = export_docx(_report("Known \\cite{textid1}, unknown \\cite{textid9, textid1}, "
                                 "again \\cite{textid9}, empty \\cite{}."), tmp_path / "u.docx")
    document = reading.open_docx(result.path)
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Known"))
    assert paragraph.text == "Known [1], unknown [1][?textid9], again [?textid9], empty ."
    assert sum("textid9" in w for w in result.warnings) == 1
    assert any("empty" in w for w in result.warnings)
    assert len(reading.reference_entries(document)) == 1
    assert [t for t, _ in reading.citation_links(document)] == ["[1]", "[1]"]


def test_ten_thousand_word_sections(tmp_path):
    report = _report(long_text(10_000, key_count=1), long_text(10_000, key_count=1))
    result = export_docx(report, tmp_path / "long.docx")  # speed: tests/benchmarks/bench_export.py
    document = reading.open_docx(result.path)
    words = len(reading.body_text(document).split())
    assert words > 19_000
    assert result.citations == 1


def test_characters_illegal_in_xml_are_stripped_everywhere(tmp_path):
    dirty = f"Ti{ILLEGAL}tle\ud800"
    passage = PDF_PASSAGE.__class__(**{**PDF_PASSAGE.to_dict(), "title": f"Src{ILLEGAL}\udfff",
                                       "path": "/x/a\x07b.pdf"})
    report = Report(title=dirty, query=f"q{ILLEGAL}", author="A\x00", sections=[
        ReportSection(f"Sec\x0c{ILLEGAL}", content=f"Text{ILLEGAL}\ud83d here \\cite{{textid1}}"
                      f"\n\n| c{ILLEGAL} |\n|---|\n| d\x1f |\n\n- li\x0b\n\n```\ncode\x00\n```",
                      subsections=[ReportSection("Plan\x01", plan=f"later{ILLEGAL}")])],
        citations={"textid1": passage})
    result = export_docx(report, tmp_path / "x.docx", unwritten="plan")
    document = reading.open_docx(result.path)
    assert document.paragraphs[0].text == "Title"
    text = reading.body_text(document)
    assert "Text here [1]" in text and "Src. ab.pdf, p. 14." in text and "later" in text
    assert document.core_properties.subject == "q"
    md = export_markdown(report, tmp_path / "x.md", unwritten="plan").path
    markdown = md.read_text(encoding="utf-8")   # would fail on a lone surrogate
    assert not any(ch in markdown for ch in ILLEGAL)


_PIECES = st.sampled_from(list("*_`#|>-[]()!\\{}\n \x00\x0b\ud800\ue000") + [
    "\\cite{textid1}", "\\cite{", "```", "| a |\n|---|\n", "\n\n", "1. ", "- "])
_MARKDOWNISH = st.lists(st.text(max_size=8) | _PIECES, max_size=40).map("".join)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_MARKDOWNISH)
def test_any_text_exports_without_markdown_debris(tmp_path, text):
    result = export_docx(_report(text, "tail"), tmp_path / "f.docx")
    document = reading.open_docx(result.path)
    assert "\\cite{textid1}" not in reading.body_text(document)
    assert "\ue000" not in reading.body_text(document)
