"""Numbering the model writes into titles and "Section-X.Y" mentions in text are removed
on export, in English and Chinese; the exporters number headings themselves."""
from __future__ import annotations

import re

import pytest

from engine.export import export_markdown
from engine.export.model_numbering import clean_mentions, clean_title
from engine.report.snapshot import Report, ReportSection


@pytest.mark.parametrize("title, clean", [
    ("Section 1. Background", "Background"), ("Section-2.1: Causes", "Causes"),
    ("section 3 Response", "Response"), ("1.2 Rainfall", "Rainfall"),
    ("1.2.3. Lakes", "Lakes"), ("3. Response", "Response"), ("(2) Aid", "Aid"),
    ("第一章 背景", "背景"), ("第2节：原因", "原因"), ("第一章 第一节 概述", "概述"),
    ("一、背景", "背景"), ("（三）救援", "救援"), ("1、影响", "影响"),
    # not numbering: kept as written
    ("1984 revisited", "1984 revisited"), ("2.5% growth", "2.5% growth"),
    ("Background", "Background"), ("Section-1", "Section-1"), ("1.2.3节", "1.2.3节"),
])
def test_title_numbering_is_stripped(title, clean):
    assert clean_title(title) == clean


def test_section_mentions_are_stripped_in_both_languages():
    assert clean_mentions("Rain fell (Section-1.2), as Section-2 shows.\nNext.") == (
        "Rain fell, as shows.\nNext.")
    assert clean_mentions("如Section-3.1所述，雨很大。") == "如所述，雨很大。"
    assert clean_mentions("A 2.5% rise in section-2.1.3.") == "A 2.5% rise in."


def test_export_uses_clean_titles_and_text(tmp_path):
    report = Report(title="Floods", query="What happened?", sections=[
        ReportSection("Section 1. Causes", content="Rain fell, see Section-2.\n"),
        ReportSection("第二章 影响", content="损失很大（Section-1）。")])
    text = export_markdown(report, tmp_path / "r.md").path.read_text(encoding="utf-8")
    assert re.findall(r"^## (.+)$", text, flags=re.M)[:2] == ["1 Causes", "2 影响"]
    assert "Section-" not in text and "Rain fell, see." in text and "损失很大。" in text
