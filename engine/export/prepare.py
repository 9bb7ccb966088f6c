"""The part of export both formats share: which sections appear, their numbers, their
cleaned text with citation placeholders, and the numbered references."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from engine.export.citations import CitationNumbering
from engine.export.model_numbering import clean_mentions, clean_title
from engine.export.text import clean_text
from engine.report.snapshot import Report, ReportSection

# An unwritten section (a run stopped at its step limit, say): its heading with a "not
# yet written" line (mark, the default: the Contents never drops it silently), its plan,
# or nothing.
UNWRITTEN_CHOICES = ("mark", "plan", "omit")

_LABELS = {
    "en": {"contents": "Contents", "references": "References", "untitled": "Untitled section",
           "unwritten": "(Not yet written.)"},
    "zh": {"contents": "目录", "references": "参考文献", "untitled": "未命名章节",
           "unwritten": "（尚未撰写。）"},
}


@dataclass
class ExportSection:
    level: int                    # 1-based outline depth
    position: str                 # "2.1": place among the exported sections
    title: str
    body: str                     # Markdown with citation placeholders; "" for none
    is_plan: bool                 # an unwritten section: body is its plan or the mark
    numbered: bool

    @property
    def heading(self) -> str:
        return f"{self.position} {self.title}" if self.numbered else self.title

    @property
    def anchor(self) -> str:
        """Bookmark name for the heading (letters, digits, underscores; < 40 chars)."""
        return "dd_sec_" + self.position.replace(".", "_")


@dataclass
class PreparedReport:
    title: str
    subject: str
    author: str
    created: datetime | None
    language: str
    sections: list[ExportSection]
    numbering: CitationNumbering
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def warnings(self) -> list[str]:
        return self.numbering.warnings


def prepare_report(report: Report, *, numbered_headings: bool = True,
                   unwritten: str = "mark") -> PreparedReport:
    if unwritten not in UNWRITTEN_CHOICES:
        raise ValueError(f"unwritten must be one of {UNWRITTEN_CHOICES}, not {unwritten!r}")
    language = "zh" if report.language == "zh" else "en"
    numbering = CitationNumbering(report.citations)
    sections: list[ExportSection] = []
    _collect(report.sections, "", 1, sections, numbering,
             (numbered_headings, unwritten, _LABELS[language]))
    return PreparedReport(
        title=clean_text(report.title).strip() or clean_text(report.query).strip() or "Report",
        subject=clean_text(report.query).strip(),
        author=clean_text(report.author).strip() or _settings_author(),
        created=report.created, language=language, sections=sections,
        numbering=numbering, labels=_LABELS[language])


def _collect(nodes: list[ReportSection], prefix: str, level: int,
             out: list[ExportSection], numbering: CitationNumbering, options) -> None:
    numbered, unwritten, labels = options
    index = 0
    for node in nodes:
        if not _included(node, unwritten != "omit"):
            continue
        index += 1
        position = f"{prefix}{index}"
        body, is_plan = (node.content, False) if node.written else (node.plan, True)
        if is_plan and unwritten != "plan":
            body = labels["unwritten"] if unwritten == "mark" else ""
        out.append(ExportSection(
            level=level, position=position,
            title=clean_title(" ".join(clean_text(node.title).split())) or labels["untitled"],
            body=numbering.mark(clean_mentions(clean_text(body))) if body else "",
            is_plan=is_plan, numbered=numbered))
        _collect(node.subsections, position + ".", level + 1, out, numbering, options)


def _included(node: ReportSection, keep_unwritten: bool) -> bool:
    # An unwritten section is kept unless omitted, or when something below it was
    # written (its heading then holds the structure together).
    if node.written or keep_unwritten:
        return True
    return any(_included(child, keep_unwritten) for child in node.subsections)


def _settings_author() -> str:
    """The author for a report that names none. Only a courtesy: a settings file that
    cannot be used leaves it blank (with a warning) rather than stopping an export."""
    import logging

    from engine.app_settings import SettingsError, load_settings

    try:
        return clean_text(load_settings().author).strip()
    except (OSError, SettingsError) as exc:
        logging.getLogger(__name__).warning("no author from the settings: %s", exc)
        return ""
