"""The Markdown export: same numbering and citation numbers as the Word export."""
from __future__ import annotations

import re

from markdown_it import MarkdownIt

from engine.export import export_docx, export_markdown
from tests.export import reading
from tests.export.samples import chinese_report, sample_report


def test_headings_citations_and_references(tmp_path):
    result = export_markdown(sample_report(), tmp_path / "r.md")
    text = result.path.read_text(encoding="utf-8")
    headings = re.findall(r"^(#+) (.+)$", text, flags=re.M)
    assert headings == [("#", "The 2022 Pakistan Floods"), ("##", "1 Background"),
                        ("###", "1.1 Causes"), ("####", "1.1.1 Rainfall records"),
                        ("##", "2 Response"), ("##", "3 Outlook"), ("##", "References")]
    assert "\\cite" not in text and "## 3 Outlook\n\n*(Not yet written.)*" in text
    assert "rainfall [1][2]." in text    # \cite{textid1, textid2}: 2 was given first
    assert text.endswith(
        "## References\n\n"
        "1. Glacier Field Notes. glacier-notes.docx, Methods > Lake survey.\n"
        "2. Pakistan Floods 2022: Post-Disaster Needs Assessment. floods-2022.pdf, p. 14.\n")
    assert result.citations == 2 and result.warnings == []


def test_a_merged_group_is_numbered_in_ascending_order():
    """The groups both exporters and the window's "[1, 3]" render: ascending numbers,
    unknown keys last."""
    from engine.export.citations import CitationNumbering

    numbering = CitationNumbering(sample_report().citations)
    numbering.mark("a \\cite{textid2} b \\cite{textid1}")    # textid2 is 1, textid1 is 2
    numbering.mark("c \\cite{textid9, textid5, textid1}")     # textid5 is 3, textid9 unknown
    assert [m.number for m in numbering.groups[-1]] == [2, 3, None]
    numbering.mark("d \\cite{textid5, textid2}")
    assert [m.number for m in numbering.groups[-1]] == [1, 3]


def test_numbers_match_the_word_export(tmp_path):
    markdown = export_markdown(sample_report(), tmp_path / "r.md").path.read_text()
    document = reading.open_docx(export_docx(sample_report(), tmp_path / "r.docx").path)
    in_markdown = re.findall(r"\[\d+\]", markdown.split("## References")[0])
    assert in_markdown == [text for text, _ in reading.citation_links(document)]


def test_plans_and_no_numbers(tmp_path):
    text = export_markdown(sample_report(), tmp_path / "r.md", numbered_headings=False,
                           unwritten="plan").path.read_text()
    assert "## Outlook\n\n*What rebuilding will take.*" in text
    assert "## Background" in text and "1 Background" not in text


def test_output_parses_back_to_the_same_outline(tmp_path):
    text = export_markdown(chinese_report(), tmp_path / "zh.md").path.read_text(encoding="utf-8")
    tokens = MarkdownIt("commonmark").parse(text)
    inline = [t.content for i, t in enumerate(tokens[1:]) if tokens[i].type == "heading_open"]
    assert inline[:3] == ["长江洪水研究报告", "1 背景", "1.1 成因分析"]
    assert inline[-1] == "参考文献" and "（尚未撰写。）" in text
    assert "1. 长江流域洪水调查报告. 长江洪水报告.pdf, p. 7." in text


def test_unresolved_key_is_marked(tmp_path):
    report = sample_report()
    report.sections[1].content = "See \\cite{nope}."
    result = export_markdown(report, tmp_path / "r.md")
    assert "See [?nope]." in result.path.read_text()
    assert len(result.warnings) == 1
