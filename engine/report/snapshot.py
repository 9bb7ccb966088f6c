"""A read-only snapshot of a report, as export and viewers need it.

The WARP engine's live outline has more (locks, authorship, the cursor); this is what a
reader of the finished (or half-finished) report sees. `ProjectStore.load_report()`
builds it from a project file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from engine.library.types import Passage


@dataclass
class ReportSection:
    title: str
    plan: str = ""
    content: str | None = None        # Markdown; citations as \cite{textid3, textid7}
    subsections: list["ReportSection"] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return self.content is not None


@dataclass
class Report:
    title: str
    query: str
    sections: list[ReportSection] = field(default_factory=list)
    citations: dict[str, Passage] = field(default_factory=dict)   # "textid3" -> passage
    author: str = ""
    created: datetime | None = None
    language: str = "en"              # "zh" when the query is Chinese

    def walk(self):
        """Yield (level, position, section) depth-first; position like '2.1.3'."""
        def visit(nodes, prefix, level):
            for index, node in enumerate(nodes, start=1):
                position = f"{prefix}{index}"
                yield level, position, node
                yield from visit(node.subsections, position + ".", level + 1)
        yield from visit(self.sections, "", 1)
