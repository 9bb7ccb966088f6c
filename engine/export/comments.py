"""Reviewer comments on sentences (the claim check's flags): Word comments in the .docx,
footnotes in Markdown.

The caller names each sentence by its section's outline position and its character span
in that section's Markdown (engine.check gives both). Before export the span is wrapped
in two private-use markers carrying the comment's number; the markers pass through the
Markdown parser as text, and each writer turns them into its own form: the DOCX writer
splits the runs at them and anchors a comment on the runs between, the Markdown writer
puts a footnote reference at the end marker."""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, replace

from engine.report.snapshot import Report, ReportSection

_START, _END = "\ue002{}\ue003", "\ue004{}\ue005"
MARK = re.compile("\ue002(\\d+)\ue003|\ue004(\\d+)\ue005")
AUTHOR, INITIALS = "Deepdraft claim check", "DD"


@dataclass(frozen=True)
class SentenceComment:
    section: str          # outline position, "2.1"
    start: int            # span of the sentence in that section's Markdown
    end: int
    text: str             # what the reviewer reads


def mark_comments(report: Report, comments: list[SentenceComment]) -> tuple[Report, list[str]]:
    """A copy of `report` with each comment's sentence wrapped in markers, and the
    comment texts by marker number. A comment whose span no longer fits is left out."""
    by_section: dict[str, list[tuple[int, SentenceComment]]] = {}
    texts: list[str] = []
    for comment in comments:
        by_section.setdefault(comment.section, []).append((len(texts), comment))
        texts.append(comment.text)
    sections = [_marked(node, position, by_section)
                for node, position in zip(report.sections, range(1, len(report.sections) + 1))]
    return replace(report, sections=sections), texts


def _marked(node: ReportSection, position, by_section) -> ReportSection:
    content = node.content
    if content is not None:
        for number, comment in sorted(by_section.get(str(position), []),
                                      key=lambda item: -item[1].start):
            start, end = _anchor(content, comment.start, comment.end)
            if 0 <= start < end <= len(content):
                content = (content[:start] + _START.format(number) + content[start:end]
                           + _END.format(number) + content[end:])
    children = [_marked(child, f"{position}.{index}", by_section)
                for index, child in enumerate(node.subsections, start=1)]
    return ReportSection(title=node.title, plan=node.plan, content=content,
                         subsections=children)


def _anchor(content: str, start: int, end: int) -> tuple[int, int]:
    """A table row is marked inside its first cell (markers around the pipes would
    break the table)."""
    row = content[start:end]
    if row.startswith("|"):
        cell_end = row.find("|", 1)
        return (start + 1, start + cell_end) if cell_end > 1 else (-1, -1)
    return start, end


def footnotes(text: str, notes: list[str]) -> str:
    """Markdown: markers -> footnote references, definitions at the end."""
    used: list[int] = []

    def sub(match: re.Match) -> str:
        if match.group(1) is not None:
            return ""
        used.append(int(match.group(2)))
        return f"[^check-{len(used)}]"

    body = MARK.sub(sub, text)
    if not used:
        return body
    defs = "\n".join(f"[^check-{i}]: {' '.join(notes[n].split())}"
                     for i, n in enumerate(used, start=1))
    return body.rstrip("\n") + "\n\n" + defs + "\n"


def add_docx_comments(document, notes: list[str]) -> int:
    """Word comments at the markers (which are removed); returns how many were placed."""
    from docx.text.run import Run

    starts: dict[int, object] = {}
    placed, pending = 0, []     # pending: comment numbers waiting for their first run
    for paragraph in _paragraphs(document):
        for r in list(paragraph._p.xpath(".//w:r[w:t]")):
            last = None
            for piece in _split(r):
                if isinstance(piece, tuple):
                    kind, number = piece
                    if kind == "start":
                        pending.append(number)
                    elif number in starts and last is not None:
                        document.add_comment([starts.pop(number), Run(last, paragraph)],
                                             text=notes[number], author=AUTHOR,
                                             initials=INITIALS)
                        placed += 1
                    continue
                last = piece
                for number in pending:
                    starts[number] = Run(piece, paragraph)
                pending = []
    return placed


def _split(r) -> list:
    """The run element cut at the markers: new run elements (same formatting) and
    ('start'|'end', number) in document order."""
    text = "".join(t.text or "" for t in r.xpath("./w:t"))
    if not MARK.search(text):
        return [r]
    out, pieces, position = [], [], 0
    for match in MARK.finditer(text):
        pieces.append(text[position:match.start()])
        pieces.append(("start", int(match.group(1))) if match.group(1) is not None
                      else ("end", int(match.group(2))))
        position = match.end()
    pieces.append(text[position:])
    for piece in pieces:
        if isinstance(piece, tuple):
            out.append(piece)
        elif piece:
            new = copy.deepcopy(r)
            for t in new.xpath("./w:t")[1:]:
                new.remove(t)
            t = new.xpath("./w:t")[0]
            t.text = piece
            if piece != piece.strip():
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r.addprevious(new)
            out.append(new)
    r.getparent().remove(r)
    return out


def _paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs
