"""The first-run guide above the work area: three steps (add documents, ask a question,
write), each ticked when done, shown until a report is open; it also offers the last
report, so a plain launch is one click from where the user left off."""
from __future__ import annotations

from pathlib import Path

from desktop.qt import (QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, Qt, QVBoxLayout,
                        QWidget)

STEPS = (("Add documents", "Drop files or folders on the Library panel, or press Add "
          "files. Everything stays on this computer."),
         ("Ask a question", "Type what the report should answer in the box above."),
         ("Write", "Press Write. The agent plans an outline, searches your documents and "
          "drafts each section; you can edit along the way."))


class StepLabel(QLabel):
    """One step's title and explanation. They are plain attributes: QLabel's own `text`
    property is the shown text, so keeping the explanation there fed each refresh's
    output into the next one and the strip grew a row per refresh."""

    def __init__(self, title: str, explanation: str) -> None:
        super().__init__()
        self.setObjectName("firstRunStep")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        # Wrapped text must not ask for its unwrapped width or height: the strip stays
        # one row of three columns whatever the window's size.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.title = title
        self.explanation = explanation
        self.show_done(False)

    def show_done(self, done: bool) -> None:
        mark = "✓ " if done else ""
        self.setText(f"<b>{mark}{self.title}</b><br><span>{self.explanation}</span>")


class FirstRunGuide(QFrame):
    def __init__(self, window, recent_projects) -> None:
        super().__init__()
        self.setObjectName("firstRun")
        self.window = window
        self.recent_projects = recent_projects   # () -> paths, newest first
        self.steps: list[StepLabel] = []
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Maximum)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(row)
        for number, (title, text) in enumerate(STEPS, start=1):
            box = QVBoxLayout()
            label = StepLabel(f"{number}. {title}", text)
            self.steps.append(label)
            box.addWidget(label)
            if number == 1:
                add = QPushButton("Add files…")
                add.clicked.connect(window.library.add_files_button.click)
                box.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)
                self.add_button = add
            if number == 3:
                self.reopen_button = QPushButton()
                self.reopen_button.clicked.connect(self._reopen_last)
                box.addWidget(self.reopen_button, 0, Qt.AlignmentFlag.AlignLeft)
            box.addStretch(1)
            row.addLayout(box, 1)
        window.run_bar.question.textChanged.connect(lambda _: self.refresh())
        self.refresh()

    def add_notice(self, notice: QWidget) -> None:
        """A line under the three steps (the CPU build's time estimate)."""
        self.layout().addWidget(notice)

    def done(self) -> list[bool]:
        window = self.window
        return [bool(window.library.paths()), bool(window.run_bar.question.text().strip()),
                window.store is not None]

    def last_project(self) -> str | None:
        recent = self.recent_projects()
        return recent[0] if recent else None

    def refresh(self) -> None:
        done = self.done()
        for label, finished in zip(self.steps, done):
            label.show_done(finished)
        last = self.last_project()
        self.reopen_button.setVisible(last is not None)
        if last is not None:
            self.reopen_button.setText(f"Or reopen “{elide(Path(last).stem, 40)}”")
            self.reopen_button.setToolTip(last)
        self.setVisible(not done[2])

    def _reopen_last(self) -> None:
        last = self.last_project()
        if last is not None:
            self.window.open_project(last)


def elide(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
