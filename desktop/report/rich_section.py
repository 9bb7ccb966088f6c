"""Editing a section in place, as in a word processor: the section's Markdown is shown
formatted (paragraphs, emphasis, lists, tables) and typed into directly; each citation is
one atomic chip ("[1, 3]") that can be moved (cut and paste) or deleted, never half-edited,
so the saved text always cites whole, valid keys. Hovering a chip tells its passages;
clicking one opens the evidence. The Markdown comes back from Qt's writer, with each chip
turned back into its `\\cite{...}` command; text the user did not change comes back
byte for byte."""
from __future__ import annotations

import re
from typing import Callable

from desktop.qt import (QColor, QCursor, QEvent, QFontMetricsF, QPyTextObject,
                        QRectF, QSizeF, Qt, QTextCharFormat, QTextCursor, QTextDocument,
                        QTextEdit, QTextFormat, QToolTip, Signal)
from engine.cite import CITE, cite_groups

CHIP = QTextFormat.ObjectTypes.UserObject + 1
KEYS = QTextFormat.Property.UserProperty + 1          # "textid1,textid3"
LABEL = QTextFormat.Property.UserProperty + 2         # "[1, 3]"
OBJECT = "\ufffc"                                     # Qt's character for an inline object
# Private-use characters carry a citation through Qt's Markdown reader and writer, which
# would otherwise escape or re-wrap a `\cite{...}` command.
OPEN, CLOSE = "\ue000", "\ue001"
TOKEN = re.compile(OPEN + "([^" + CLOSE + "]*)" + CLOSE)
PAD = 3.0


def to_tokens(markdown: str) -> str:
    return CITE.sub(lambda m: OPEN + ",".join(cite_groups(m.group(0))[0]) + CLOSE, markdown)


def from_tokens(markdown: str) -> str:
    return TOKEN.sub(lambda m: "\\cite{" + ", ".join(m.group(1).split(",")) + "}", markdown)


class ChipPainter(QPyTextObject):
    """Draws a citation chip: its numbers in a rounded box, the size of the text."""

    def intrinsicSize(self, document, position, fmt) -> QSizeF:  # noqa: N802 (Qt's name)
        metrics = QFontMetricsF(fmt.toCharFormat().font())
        return QSizeF(metrics.horizontalAdvance(fmt.property(LABEL)) + 2 * PAD,
                      metrics.height())

    def drawObject(self, painter, rect, document, position, fmt) -> None:  # noqa: N802
        painter.save()
        painter.setPen(QColor("#9bb8d8"))
        painter.setBrush(QColor("#e6eef8"))
        painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 1.5, -0.5, -0.5), 3, 3)
        painter.setPen(QColor("#1f4e8c"))
        painter.setFont(fmt.toCharFormat().font())
        painter.drawText(QRectF(rect), int(Qt.AlignmentFlag.AlignCenter), fmt.property(LABEL))
        painter.restore()


_PAINTER: list[ChipPainter] = []


def chip_painter() -> ChipPainter:
    """One painter for every editor, never parented and never freed: a document layout
    keeps a raw pointer to its handler, and a painter freed before its layout (a widget's
    children go in no fixed order) crashed the process at exit."""
    if not _PAINTER:
        _PAINTER.append(ChipPainter())
    return _PAINTER[0]


class RichSectionEdit(QTextEdit):
    """`citation_clicked(list)` fires on the GUI thread with a clicked chip's keys."""

    citation_clicked = Signal(list)

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptRichText(True)
        self.document().documentLayout().registerHandler(CHIP, chip_painter())
        self.viewport().setMouseTracking(True)
        self.viewport().installEventFilter(self)
        self.tooltip_for: Callable[[list[str]], str] = lambda keys: ""
        self._original = ""
        self._numbers: dict[str, int] = {}
        # Cut and paste inside the editor carry the chips themselves: Qt's rich-text
        # clipboard goes through HTML, which has no place for them.
        self._clip: tuple[str, object] | None = None    # (its text, QTextDocumentFragment)

    def load(self, markdown: str, numbers: dict[str, int]) -> None:
        """Show a section's Markdown; `numbers` are the citation numbers the report
        gives each key (the chips' labels)."""
        self._original, self._numbers = markdown, dict(numbers)
        document = self.document()
        document.setMarkdown(to_tokens(markdown), QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
        cursor = QTextCursor(document)
        while not (cursor := document.find(TOKEN_PATTERN(), cursor)).isNull():
            keys = TOKEN.fullmatch(cursor.selectedText()).group(1).split(",")
            cursor.insertText(OBJECT, chip_format(keys, numbers))
        document.setModified(False)
        document.clearUndoRedoStacks()

    def markdown(self) -> str:
        """The section as Markdown with `\\cite{...}` commands; unchanged text as it was."""
        if not self.document().isModified():
            return self._original
        copy = self.document().clone()
        cursor = QTextCursor(copy)
        for position, keys in reversed(chips(copy)):
            cursor.setPosition(position)
            cursor.setPosition(position + 1, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(OPEN + ",".join(keys) + CLOSE, QTextCharFormat())
        text = copy.toMarkdown(QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
        return from_tokens(text).strip() + "\n" if text.strip() else ""

    # --- the clipboard -------------------------------------------------------------------
    def createMimeDataFromSelection(self):  # noqa: N802 (Qt's name)
        # Qt's own object goes to the clipboard (a QMimeData made here would be freed
        # twice, by Python and by the clipboard); the fragment itself, chips and all, is
        # kept here and pasted when the clipboard still holds its text.
        fragment = self.textCursor().selection()
        self._clip = (fragment.toPlainText(), fragment)
        return super().createMimeDataFromSelection()

    def insertFromMimeData(self, source) -> None:  # noqa: N802
        text = source.text() if source.hasText() else ""
        if self._clip is not None and text and text == self._clip[0]:
            self.textCursor().insertFragment(self._clip[1])
        elif CITE.search(text):
            self.insert_with_chips(text)
        else:
            super().insertFromMimeData(source)

    def insert_with_chips(self, text: str) -> None:
        """Plain text at the cursor, each `\\cite{...}` in it made a chip."""
        cursor, last = self.textCursor(), 0
        for match in CITE.finditer(text):
            cursor.insertText(text[last:match.start()], QTextCharFormat())
            cursor.insertText(OBJECT, chip_format(cite_groups(match.group(0))[0],
                                                  self._numbers))
            last = match.end()
        cursor.insertText(text[last:], QTextCharFormat())

    def chip_keys_at(self, point) -> list[str] | None:
        """The keys of the chip under a viewport point, if any."""
        near = self.cursorForPosition(point).position()
        for position in (near, near - 1):
            if position < 0:
                continue
            probe = QTextCursor(self.document())
            probe.setPosition(position)
            probe.movePosition(QTextCursor.MoveOperation.NextCharacter,
                               QTextCursor.MoveMode.KeepAnchor)
            fmt = probe.charFormat()
            if probe.selectedText() == OBJECT and fmt.objectType() == CHIP and \
                    _hits(self, probe, point):
                return str(fmt.property(KEYS)).split(",")
        return None

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.MouseMove:
            keys = self.chip_keys_at(event.position().toPoint())
            text = self.tooltip_for(keys) if keys else ""
            if text:
                QToolTip.showText(QCursor.pos(), text, self.viewport())
            else:
                QToolTip.hideText()
        elif kind == QEvent.Type.MouseButtonRelease and \
                event.button() == Qt.MouseButton.LeftButton and \
                not self.textCursor().hasSelection():
            keys = self.chip_keys_at(event.position().toPoint())
            if keys:
                self.citation_clicked.emit(keys)
        return super().eventFilter(watched, event)


def TOKEN_PATTERN():  # noqa: N802 (a constant, built when Qt is up)
    from desktop.qt import QRegularExpression

    return QRegularExpression(OPEN + "[^" + CLOSE + "]*" + CLOSE)


def chip_format(keys: list[str], numbers: dict[str, int]) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setObjectType(CHIP)
    fmt.setProperty(KEYS, ",".join(keys))
    shown = sorted(numbers[k] for k in keys if k in numbers)
    fmt.setProperty(LABEL, "[" + ", ".join(map(str, shown)) + "]" if shown else "[?]")
    fmt.setToolTip("")
    return fmt


def chips(document) -> list[tuple[int, list[str]]]:
    """(position, keys) of every chip in a document, in order."""
    found = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            fmt = fragment.charFormat()
            if fmt.objectType() == CHIP:
                for offset, char in enumerate(fragment.text()):
                    if char == OBJECT:
                        found.append((fragment.position() + offset,
                                      str(fmt.property(KEYS)).split(",")))
            iterator += 1
        block = block.next()
    return found


def _hits(edit: QTextEdit, probe: QTextCursor, point) -> bool:
    """Whether `point` lies on the chip `probe` selects (its box spans from the cursor
    rectangle before it to the one after it)."""
    start = QTextCursor(probe)
    start.setPosition(probe.selectionStart())
    end = QTextCursor(probe)
    end.setPosition(probe.selectionEnd())
    left, right = edit.cursorRect(start), edit.cursorRect(end)
    return left.top() - 2 <= point.y() <= left.bottom() + 2 and \
        left.left() <= point.x() <= right.right()
