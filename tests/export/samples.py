"""Realistic Report snapshots for export tests and the export benchmark."""
from __future__ import annotations

from datetime import datetime, timezone

from engine.library.types import Passage
from engine.report.snapshot import Report, ReportSection

PDF_PASSAGE = Passage(chunk_id="c1", text="Monsoon rain ...", doc_id="d1",
                      path="/home/ada/library/floods-2022.pdf",
                      title="Pakistan Floods 2022: Post-Disaster Needs Assessment", page=14)
DOCX_PASSAGE = Passage(chunk_id="c2", text="Glacial lakes ...", doc_id="d2",
                       path="C:\\Users\\ada\\Documents\\glacier-notes.docx",
                       title="Glacier Field Notes", locator="Methods > Lake survey")
SAME_PAGE_PASSAGE = Passage(chunk_id="c3", text="More rain ...", doc_id="d1",
                            path="/home/ada/library/floods-2022.pdf",
                            title="Pakistan Floods 2022: Post-Disaster Needs Assessment",
                            page=14)
UNUSED_PASSAGE = Passage(chunk_id="c4", text="Unused", doc_id="d3", path="/x/unused.pdf",
                         title="Never Cited", page=2)

CAUSES = """The floods followed **record monsoon rain** \\cite{textid2}: some districts \
received *five times* their usual August rainfall \\cite{textid1, textid2}.

Three drivers stand out:

- heavy rain over the Indus basin \\cite{textid1};
- meltwater from `glacier` retreat, see [the survey](https://example.org/glaciers);
  - lake outbursts in July
  - higher river levels
- weak drainage in cities.

| Driver | Share | Source |
|:--|--:|:--|
| Rain | 70% | \\cite{textid1} |
| Meltwater | 20% | \\cite{textid3} |
| Other | 10% | |
"""

RESPONSE = """Relief was organised in three steps:

1. rescue and evacuation;
2. camps and food \\cite{textid3};
3. rebuilding.

> Aid agencies estimated that 33 million people were affected.

```
affected = 33_000_000
```
"""


def sample_report(**overrides) -> Report:
    sections = [
        ReportSection("Background", plan="Set the scene.",
                      content="Pakistan saw its worst floods on record in 2022 "
                              "\\cite{textid2}.",
                      subsections=[ReportSection("Causes", content=CAUSES, subsections=[
                          ReportSection("Rainfall records", content="Rainfall broke "
                                        "records in Sindh \\cite{textid4}.")])]),
        ReportSection("Response", content=RESPONSE),
        ReportSection("Outlook", plan="What rebuilding will take."),
    ]
    values = dict(title="The 2022 Pakistan Floods", query="What caused the 2022 floods?",
                  sections=sections, author="Ada Lovelace", language="en",
                  created=datetime(2024, 5, 1, 9, 30, tzinfo=timezone.utc),
                  citations={"textid1": PDF_PASSAGE, "textid2": DOCX_PASSAGE,
                             "textid3": SAME_PAGE_PASSAGE, "textid4": PDF_PASSAGE,
                             "textid5": UNUSED_PASSAGE})
    values.update(overrides)
    return Report(**values)


def chinese_report() -> Report:
    passage = Passage(chunk_id="z1", text="……", doc_id="z", path="/资料/长江洪水报告.pdf",
                      title="长江流域洪水调查报告", page=7)
    sections = [
        ReportSection("背景", content="2020年长江流域发生了**严重洪水** \\cite{textid1}。"
                                       "\n\n- 降雨量创纪录\n- 水库调度", subsections=[
            ReportSection("成因分析", content="持续强降雨是主要原因 \\cite{textid1}。")]),
        ReportSection("应对措施", plan="总结各级政府的应对措施。"),
    ]
    return Report(title="长江洪水研究报告", query="2020年长江洪水的成因是什么？",
                  sections=sections, citations={"textid1": passage}, language="zh",
                  author="张三")


WORDS = ("flood rain river basin monsoon glacier relief camp district rainfall "
         "record level drainage city meltwater").split()


def long_text(words: int, cite_every: int = 80, key_count: int = 40,
              first_key: int = 0) -> str:
    """About `words` words of Markdown in paragraphs of ~120 words, with citations, some
    emphasis and a list now and then."""
    out, paragraph = [], []
    for index in range(words):
        word = WORDS[index % len(WORDS)]
        if index % 37 == 0:
            word = f"**{word}**"
        paragraph.append(word)
        if index % cite_every == cite_every - 1:
            key = (first_key + index // cite_every) % key_count + 1
            paragraph.append(f"\\cite{{textid{key}}}")
        if len(paragraph) >= 120:
            out.append(" ".join(paragraph) + ".")
            paragraph = []
            if len(out) % 4 == 0:
                out.append("- first point\n- second point\n  1. detail")
    if paragraph:
        out.append(" ".join(paragraph) + ".")
    return "\n\n".join(out)


def large_report(sections: int = 60, words: int = 30_000) -> Report:
    """`sections` sections (a third of them nested two deep) and `words` words in all."""
    citations = {f"textid{n}": Passage(chunk_id=f"c{n}", text="t", doc_id=f"d{n % 7}",
                                       path=f"/lib/source-{n % 7}.pdf",
                                       title=f"Source {n % 7}", page=n)
                 for n in range(1, 41)}
    per_section = words // sections
    top: list[ReportSection] = []
    for index in range(sections):
        node = ReportSection(f"Section {index + 1}", content=long_text(per_section,
                                                         first_key=index * 3))
        if index % 3 == 0 or not top:
            top.append(node)
        elif index % 3 == 1:
            top[-1].subsections.append(node)
        else:
            top[-1].subsections[-1].subsections.append(node)
    return Report(title="Large report", query="q", sections=top, citations=citations)
