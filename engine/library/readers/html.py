"""HTML: visible text only. Scripts, styles and other non-rendered elements are dropped."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from engine.library.readers.base import HeadingTracker, ParsedDocument, Segment
from engine.library.readers.text import decode_bytes

SUFFIXES = {".html", ".htm", ".xhtml"}
_HIDDEN = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
_BLOCKS = {"p", "div", "br", "li", "tr", "section", "article", "blockquote", "pre", "table",
           "ul", "ol", "dd", "dt", "header", "footer", "td", "th", "hr"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tracker, self.segments = HeadingTracker(), [Segment(text="")]
        self.hidden_depth, self.heading, self.title = 0, None, ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        if tag in _HIDDEN:
            self.hidden_depth += 1
        elif tag in _HEADINGS:
            self.heading = (_HEADINGS[tag], "")
        elif tag in _BLOCKS:
            self.segments[-1].text += "\n"

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag in _HIDDEN:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        elif tag in _HEADINGS and self.heading:
            level, text = self.heading
            self.heading = None
            if text.strip():
                self.tracker.enter(level, " ".join(text.split()))
                self.segments.append(Segment(text="", heading_path=self.tracker.path))
        elif tag in _BLOCKS:
            self.segments[-1].text += "\n"

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self.hidden_depth:
            return
        if self.heading is not None:
            self.heading = (self.heading[0], self.heading[1] + data)
            return
        segment = self.segments[-1]
        if data.strip() and not segment.anchors:
            segment.anchors.append((len(segment.text), " > ".join(segment.heading_path)))
        segment.text += data


def read_html(path: Path) -> ParsedDocument:
    parser = _VisibleText()
    parser.feed(decode_bytes(path.read_bytes()))
    parser.close()
    segments = []
    for segment in parser.segments:
        lines = [" ".join(line.split()) for line in segment.text.split("\n")]
        cleaned = "\n".join(line for line in lines if line)
        if cleaned:
            label = " > ".join(segment.heading_path)
            segments.append(Segment(text=cleaned, heading_path=segment.heading_path,
                                    anchors=[(0, label)] if label else []))
    title = " ".join(parser.title.split()) or path.stem.replace("_", " ")
    return ParsedDocument(title=title, segments=segments)
