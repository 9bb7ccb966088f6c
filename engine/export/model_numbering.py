"""Numbering the model writes itself, removed before export (the exporters number
headings on their own): title prefixes such as "Section 1.", "Section-2.1", "1.2",
"3.", "(2)", "第一章", "第2节：", "一、", "（三）", and "Section-X.Y" mentions in section
text, which only make sense inside the model's prompt."""
from __future__ import annotations

import re
from functools import lru_cache

_CN_NUMBER = "[0-9一二三四五六七八九十百千零〇]+"
_TITLE_PREFIXES = [
    re.compile(r"^section[-\s]*\d+(?:\.\d+)*\.?\s*[:：.\-—]?\s*", re.I),
    re.compile(rf"^(?:第\s*{_CN_NUMBER}\s*(?:章|节|部分|部|篇|卷)\s*[:：.、，,\-—]?\s*)+"),
    re.compile(r"^\d+(?:\.\d+)+(?:\.?\s+|[.、，,](?!\d)\s*)"),  # 1.2  1.2.3.  (not 2.5%)
    re.compile(r"^\d+(?:\.\s+|[、，,)）]\s*)"),                # 1.  1、  1)  (not 3.5)
    re.compile(r"^[(（]\s*(?:\d+|[一二三四五六七八九十]+)\s*[)）]\s*"),   # (1)  （一）
    re.compile(r"^[一二三四五六七八九十]+[.、，,]\s*"),              # 一、
]
_MENTION = re.compile(r"\s*[(（]?(?<![A-Za-z])Section-\d+(?:\.\d+)*(?![\d.]*\d)[)）]?", re.I)


def clean_title(title: str) -> str:
    """`title` without the numbering the model put in front; unchanged when nothing
    would be left."""
    cleaned = title.strip()
    changed = True
    while changed:
        changed = False
        for pattern in _TITLE_PREFIXES:
            stripped = pattern.sub("", cleaned, count=1)
            if stripped != cleaned and stripped.strip():
                cleaned, changed = stripped.strip(), True
    return cleaned


@lru_cache(maxsize=4096)
def clean_mentions(text: str) -> str:
    """`text` without "Section-2.1" style mentions (in any case, with their brackets),
    keeping the line breaks and the punctuation around them tidy. Remembered: the window
    prepares the whole report again after each edit or run step, where one section
    changed (the scan costs about 0.5 ms a section)."""
    text = _MENTION.sub("", text)
    return re.sub(r"[ \t]+([,.;:，。；：])", r"\1", text)
