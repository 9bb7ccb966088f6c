"""A report's QTextDocument kept in parts (the title, each section, the references; see
desktop.report.render.report_parts), so that a streamed change replaces only the parts
that changed. Qt then lays out only those blocks: on a 30,000-word report a one-section
change costs a few ms on the GUI thread, where a whole new document cost 50-60 ms to
lay out (tests/benchmarks/desktop_views/report_stream.py).

Each part's first block carries the userState PART_START (set by the HTML), so the parts
of a document built elsewhere can be found once; after that their start positions are
kept here and moved by each replacement.
"""
from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from desktop.qt import QTextCursor
from desktop.report.render import PART_START

# More than this share of the report's HTML changed: a whole new document is cheaper
# than replacing parts one by one (and is built off the GUI thread).
MAX_CHANGED_SHARE = 0.5
# Parsed into the emptied first block, which keeps its old format, then dropped with it:
# the first real block comes in as a new block, with its own format (a heading's level
# and margins would otherwise be lost). Qt drops an empty paragraph, hence the character.
_SPACER_TEXT = "\u2060"            # word joiner: never in a report
_SPACER = f"<p>{_SPACER_TEXT}</p>"


@dataclass(frozen=True)
class Replaced:
    """One replacement, in positions of the document after it: the new parts span
    [start, end); `shift` is how far everything after them moved."""
    start: int
    end: int
    shift: int


class PartedDocument:
    def __init__(self) -> None:
        self.parts: list[tuple[str, str]] = []      # (key, HTML) as shown
        self.starts: list[int] = []                 # each part's first position

    def adopt(self, document, parts: list[tuple[str, str]]) -> bool:
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

    def plan(self, parts: list[tuple[str, str]]) -> list[tuple[int, int, int, int]] | None:
        """The replacements (old parts [i1, i2) by new parts [j1, j2)) that turn the shown
        parts into `parts`, last first; None when a whole new document is better."""
        if not self.parts:
            return None
        opcodes = SequenceMatcher(None, self.parts, parts, autojunk=False).get_opcodes()
        changes = []
        for tag, i1, i2, j1, j2 in opcodes:
            if tag == "equal":
                continue
            if i1 == i2 or j1 == j2:     # an insertion or deletion replaces the part before
                i1, j1 = i1 - 1, j1 - 1
            if i1 <= 0 or j1 <= 0:       # the title: no block before it to merge into
                return None
            changes.append((i1, i2, j1, j2))
        changed = sum(len(html) for i1, i2, j1, j2 in changes for _, html in parts[j1:j2])
        if changed > MAX_CHANGED_SHARE * sum(len(html) for _, html in parts):
            return None
        return changes[::-1]

    def apply(self, document, plan, parts: list[tuple[str, str]]) -> list[Replaced] | None:
        """Carry out a plan() on the document, last change first (earlier positions stay
        valid). None when the document did not come out as planned (rebuild it)."""
        done = []
        cursor = QTextCursor(document)
        cursor.beginEditBlock()
        try:
            for i1, i2, j1, j2 in plan:
                replaced = self._replace(document, cursor, i1, i2, parts[j1:j2])
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

    def _replace(self, document, cursor, i1: int, i2: int,
                 new: list[tuple[str, str]]) -> Replaced | None:
        size = document.characterCount()
        start = self.starts[i1]
        end = self.starts[i2] - 1 if i2 < len(self.starts) else size - 1
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        cursor.insertHtml(_SPACER + "\n".join(html for _, html in new))
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
        self.starts[i1:i2] = starts
        for index in range(i1 + len(new), len(self.starts)):
            self.starts[index] += shift
        self.parts[i1:i2] = new
        return Replaced(start, inserted_end, shift)
