"""A report's QTextDocument kept in parts (the title, each section, the references; see
desktop.report.render.report_parts), so that a streamed change replaces only the parts
that changed. Qt then lays out only those blocks: on a 30,000-word report a one-section
change costs a few ms on the GUI thread, where a whole new document cost 50-60 ms to
lay out (tests/benchmarks/desktop_views/report_stream.py). A part whose body is the same
and only its number changed (a section added above it) gets its heading's text alone.

Each part's first block carries the userState PART_START (set by the HTML), so the parts
of a document built elsewhere can be found once; after that their start positions are
kept here and moved by each change.
"""
from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from desktop.qt import QTextCursor
from desktop.report.render import PART_START, Part

# More than this share of the report's HTML to replace: a whole new document is cheaper
# than replacing parts one by one (and is built off the GUI thread).
MAX_CHANGED_SHARE = 0.5
# Parsed into the emptied first block, which keeps its old format, then dropped with it:
# the first real block comes in as a new block, with its own format (a heading's level
# and margins would otherwise be lost). Qt drops an empty paragraph, hence the character.
_SPACER_TEXT = "\u2060"            # word joiner: never in a report
_SPACER = f"<p>{_SPACER_TEXT}</p>"


@dataclass(frozen=True)
class Replaced:
    """One change, in positions of the document after it: the new text spans
    [start, end); `shift` is how far everything after it moved."""
    start: int
    end: int
    shift: int


# A change: old parts [i1, i2) become new parts [j1, j2); `heading`: only the heading's
# text changes (i2 == i1 + 1).
@dataclass(frozen=True)
class Change:
    i1: int
    i2: int
    j1: int
    j2: int
    heading: bool = False


class PartedDocument:
    def __init__(self) -> None:
        self.parts: list[Part] = []                 # as shown
        self.starts: list[int] = []                 # each part's first position

    def adopt(self, document, parts: list[Part]) -> bool:
        """A document rendered from `parts` as a whole: find where each part starts."""
        starts, block = [], document.begin()
        while block.isValid():
            if block.userState() == PART_START:
                starts.append(block.position())
            block = block.next()
        ok = len(starts) == len(parts)
        self.parts, self.starts = (list(parts), starts) if ok else ([], [])
        return ok

    def forget(self) -> None:
        self.parts, self.starts = [], []

    def plan(self, parts: list[Part]) -> list[Change] | None:
        """The changes that turn the shown parts into `parts`, last first; None when a
        whole new document is better."""
        if not self.parts:
            return None
        old = [(p.key, p.body) for p in self.parts]
        opcodes = SequenceMatcher(None, old, [(p.key, p.body) for p in parts],
                                  autojunk=False).get_opcodes()
        changes = []
        for tag, i1, i2, j1, j2 in opcodes:
            if tag == "equal":
                changes += [Change(i, i + 1, j, j + 1, heading=True)
                            for i, j in zip(range(i1, i2), range(j1, j2))
                            if self.parts[i].head != parts[j].head]
                continue
            if i1 == i2 or j1 == j2:     # an insertion or deletion replaces the part before
                i1, j1 = i1 - 1, j1 - 1
            if i1 <= 0 or j1 <= 0:       # the title: no block before it to merge into
                return None
            changes.append(Change(i1, i2, j1, j2))
        replaced = sum(len(p.html) for c in changes if not c.heading
                       for p in parts[c.j1:c.j2])
        if replaced > MAX_CHANGED_SHARE * sum(len(p.html) for p in parts):
            return None
        # An insertion widened to the part before can cover that part's heading change.
        wide = [c for c in changes if not c.heading]
        return sorted((c for c in changes if not c.heading or
                       not any(w.i1 <= c.i1 < w.i2 for w in wide)),
                      key=lambda c: c.i1, reverse=True)

    def apply(self, document, plan: list[Change], parts: list[Part]) -> list[Replaced] | None:
        """Carry out a plan() on the document, last change first (earlier positions stay
        valid). None when the document did not come out as planned (rebuild it)."""
        done = []
        cursor = QTextCursor(document)
        cursor.beginEditBlock()
        try:
            for change in plan:
                new = parts[change.j1:change.j2]
                replaced = self._retitle(document, cursor, change.i1, new[0]) \
                    if change.heading else \
                    self._replace(document, cursor, change.i1, change.i2, new)
                if replaced is None:
                    self.forget()
                    return None
                done.append(replaced)
        finally:
            cursor.endEditBlock()
        self.parts = list(parts)
        in_order, moved = [], 0          # each change moved the ones after it
        for replaced in reversed(done):
            in_order.append(Replaced(replaced.start + moved, replaced.end + moved,
                                     replaced.shift))
            moved += replaced.shift
        return in_order

    def _retitle(self, document, cursor, i: int, new: Part) -> Replaced | None:
        """Only the heading's text: its block, format and anchor stay."""
        start = self.starts[i]
        block = document.findBlock(start)
        if block.text() != self.parts[i].heading:
            return None
        cursor.setPosition(start)
        fmt = cursor.charFormat()        # its first character's: size, weight, anchor name
        cursor.setPosition(start + block.length() - 1, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(new.heading, fmt)
        shift = len(new.heading) - (block.length() - 1)
        self._moved(i, 1, [start], shift, [new])
        return Replaced(start, start + len(new.heading), shift)

    def _replace(self, document, cursor, i1: int, i2: int, new: list[Part]) -> Replaced | None:
        size = document.characterCount()
        start = self.starts[i1]
        end = self.starts[i2] - 1 if i2 < len(self.starts) else size - 1
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        cursor.insertHtml(_SPACER + "\n".join(part.html for part in new))
        inserted_end = cursor.position()
        if document.findBlock(start).text() != _SPACER_TEXT:
            return None                  # the spacer did not stay alone in its block
        # Drop the spacer's block with the separator before it (the block before keeps
        # its format, not its userState); the new parts now start where the old ones did.
        state = document.findBlock(start - 1).userState()
        cursor.setPosition(start - 1)
        cursor.setPosition(start + len(_SPACER_TEXT), QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        document.findBlock(start - 1).setUserState(state)
        inserted_end -= 1 + len(_SPACER_TEXT)
        starts, block = [], document.findBlock(start)
        while block.isValid() and block.position() < inserted_end:
            if block.userState() == PART_START:
                starts.append(block.position())
            block = block.next()
        if len(starts) != len(new) or starts[0] != start:
            return None
        shift = document.characterCount() - size
        self._moved(i1, i2 - i1, starts, shift, new)
        return Replaced(start, inserted_end, shift)

    def _moved(self, i: int, count: int, starts: list[int], shift: int,
               new: list[Part]) -> None:
        """Parts [i, i + count) are now `new`, starting at `starts`; the ones after them
        moved by `shift`."""
        self.starts[i:i + count] = starts
        for index in range(i + len(new), len(self.starts)):
            self.starts[index] += shift
        self.parts[i:i + count] = new
