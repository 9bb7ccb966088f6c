"""The live log: one line per step, the model's tokens as they stream, warnings."""
from __future__ import annotations

from desktop.qt import QFont, QPlainTextEdit, QTextCursor
from desktop.common.words import plural
from engine.warp import events as ev

MAX_LINES = 5000   # older lines drop off so a long run stays responsive
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
    def __init__(self) -> None:
        super().__init__()
        self.setReadOnly(True)
        self.setMaximumBlockCount(MAX_LINES)
        self.setObjectName("log")
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.setFont(font)
        self.setPlaceholderText("The agent's steps and its tokens appear here while it writes.")

    def on_event(self, event: object) -> None:
        if isinstance(event, ev.Token):
            self.append_text(event.text)
        elif (text := describe(event)) is not None:
            self.append_line(text)

    def append_line(self, text: str) -> None:
        """Text that must start on its own line, even right after streamed tokens."""
        doc = self.document()
        last = doc.characterAt(doc.characterCount() - 2) if doc.characterCount() > 1 else ""
        if last and last not in PARAGRAPH_ENDS and not text.startswith("\n"):
            text = "\n" + text
        self.append_text(text)

    def append_text(self, text: str) -> None:
        cursor = self.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
