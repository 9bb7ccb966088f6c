"""The .docx opens in a real word processor: LibreOffice converts it to PDF, and the PDF
holds the title, the headings, the references and the Chinese text."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from engine.export import export_docx
from tests.export.samples import chinese_report, sample_report
from tests.real_parts import require

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def pdf_text(tmp_path_factory):
    require(SOFFICE, "LibreOffice (soffice) is not installed")
    import pymupdf

    folder = tmp_path_factory.mktemp("lo")
    sources = [export_docx(sample_report(), folder / "sample.docx", unwritten="plan").path,
               export_docx(chinese_report(), folder / "chinese.docx").path]
    # A private profile: a desktop LibreOffice already running must not take the job.
    profile = (folder / "profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), *map(str, sources)],
                   check=True, capture_output=True, timeout=180)
    texts = {}
    for source in sources:
        pdf = source.with_suffix(".pdf")
        assert pdf.is_file(), f"LibreOffice did not convert {source.name}"
        with pymupdf.open(pdf) as document:
            texts[source.stem] = "\n".join(page.get_text() for page in document)
            texts[source.stem + ".links"] = [
                (page.number, link) for page in document for link in page.get_links()]
            texts[source.stem + ".pages"] = document.page_count
    return texts


def test_sample_report_opens_with_title_headings_and_references(pdf_text):
    text = pdf_text["sample"]
    for expected in ("The 2022 Pakistan Floods", "1.1.1 Rainfall records", "3 Outlook",
                     "What rebuilding will take.", "References", "glacier-notes.docx",
                     "Post-Disaster Needs Assessment", "2022.pdf, p. 14", "Meltwater",
                     "33_000_000"):
        assert expected in text, expected
    assert "\\cite" not in text and "**" not in text


def test_chinese_report_keeps_its_characters(pdf_text):
    text = pdf_text["chinese"]
    for expected in ("长江洪水研究报告", "1.1 成因分析", "严重洪水", "参考文献", "长江洪水报告.pdf"):
        assert expected in text, expected


def test_citation_and_contents_links_survive_as_pdf_links(pdf_text):
    import pymupdf

    links = pdf_text["sample.links"]
    jumps = [link["page"] for _, link in links if link["kind"] == pymupdf.LINK_GOTO]
    # Contents entries jump into the body; citation markers jump to the References page.
    assert pdf_text["sample.pages"] - 1 in jumps and 0 in jumps
    uris = [link.get("uri") for _, link in links if link["kind"] == pymupdf.LINK_URI]
    assert "https://example.org/glaciers" in uris
