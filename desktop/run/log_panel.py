"""The live log: one line per step, the model's tokens as they stream, warnings."""
from __future__ import annotations

from desktop.qt import QFont, QPlainTextEdit, QTextCursor
from desktop.common.words import plural
from engine.warp import events as ev

MAX_LINES = 5000   # older lines drop off so a long run stays responsive
PENDING_CHARS = 200_000   # text kept while hidden (dozens of replies); shown in one layout
PARAGRAPH_ENDS = ("\u2029", "\n")   # how a QTextDocument stores a line break


def describe(event: object) -> str | None:
    """The log text for one event (None: not logged). Tokens are handled apart."""
    if isinstance(event, ev.StepStarted):
        retry = f" (attempt {event.attempt})" if event.attempt > 1 else ""
        return f"\n[{event.step:3}] {event.action} {event.cursor or ''}{retry}\n"
    if isinstance(event, ev.StepFinished):
        status = "ok" if event.valid else "invalid: " + "; ".join(event.problems)
        return (f"      {status} ({event.model_seconds:.1f}s model, "
                f"{event.prompt_tokens_evaluated}/{event.prompt_tokens} prompt tokens)\n")
    if isinstance(event, ev.RetrievalHits):
        return f"      keywords {event.keywords} -> {plural(len(event.keys), 'passage')}\n"
    if isinstance(event, (ev.Warning, ev.Error)):
        return f"      ! {event.message}\n"
    if isinstance(event, ev.Proposal):
        return f"      waiting for your review of the {event.action}\n"
    if isinstance(event, ev.Done):
        return f"\ndone: {event.reason}\n"
    return None


class LogPanel(QPlainTextEdit):
    """While hidden (the activity feed shown instead, the default) text waits in a
    buffer and is laid out when the panel shows: a streamed token costs the GUI thread
    nothing then, and a token in a script the fonts lack no longer sets Qt searching
    every installed font for a fallback mid-run (one 39 ms gap in bench_gui_stall)."""

    def __init__(self) -> None:
        super().__init__()
        self.setReadOnly(True)
        self.setMaximumBlockCount(MAX_LINES)
        self.setObjectName("log")
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.setFont(font)
        self.setPlaceholderText("The agent's steps and its tokens appear here while it writes.")
        self._pending: list[str] = []
        self._pending_chars = 0

    def on_event(self, event: object) -> None:
        if isinstance(event, ev.Token):
            self.append_text(event.text)
        elif (text := describe(event)) is not None:
            self.append_line(text)

    def append_line(self, text: str) -> None:
        """Text that must start on its own line, even right after streamed tokens."""
        if self._pending:
            last = self._pending[-1][-1:]
        else:
            doc = self.document()
            last = doc.characterAt(doc.characterCount() - 2) if doc.characterCount() > 1 \
                else ""
        if last and last not in PARAGRAPH_ENDS and not text.startswith("\n"):
            text = "\n" + text
        self.append_text(text)

    def append_text(self, text: str) -> None:
        if not text:
            return
        if not self.isVisible():
            self._pending.append(text)
            self._pending_chars += len(text)
            if self._pending_chars > PENDING_CHARS:      # keep about the last lines only
                kept = "".join(self._pending)[-PENDING_CHARS // 2:]
                self._pending, self._pending_chars = [kept], len(kept)
            return
        self._insert(text)

    def _insert(self, text: str) -> None:
        cursor = self.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def _flush(self) -> None:
        if self._pending:
            text = "".join(self._pending)
            self._pending, self._pending_chars = [], 0
            self._insert(text)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self._flush()
        super().showEvent(event)

    def toPlainText(self) -> str:  # noqa: N802 (Qt's name)
        """All the log's text, what waits in the buffer included."""
        self._flush()
        return super().toPlainText()

    def clear(self) -> None:
        self._pending, self._pending_chars = [], 0
        super().clear()
