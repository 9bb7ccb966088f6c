"""The first-run guide above the work area: three steps (add documents, ask a question,
write), each ticked when done, shown until a report is open."""
from __future__ import annotations

from desktop.qt import QFrame, QHBoxLayout, QLabel, QPushButton, Qt, QVBoxLayout

STEPS = (("Add documents", "Drop files or folders on the Library panel, or press Add "
          "files. Everything stays on this computer."),
         ("Ask a question", "Type what the report should answer in the box above."),
         ("Write", "Press Write. The agent plans an outline, searches your documents and "
          "drafts each section; you can edit along the way."))


class FirstRunGuide(QFrame):
    def __init__(self, window) -> None:
        super().__init__()
        self.setObjectName("firstRun")
        self.window = window
        self.steps: list[QLabel] = []
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 8)
        for number, (title, text) in enumerate(STEPS, start=1):
            box = QVBoxLayout()
            label = QLabel()
            label.setObjectName("firstRunStep")
            label.setWordWrap(True)
            label.setProperty("title", f"{number}. {title}")
            label.setProperty("text", text)
            self.steps.append(label)
            box.addWidget(label)
            if number == 1:
                add = QPushButton("Add files…")
                add.clicked.connect(window.library.add_files_button.click)
                box.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)
                self.add_button = add
            box.addStretch(1)
            row.addLayout(box, 1)
        window.run_bar.question.textChanged.connect(lambda _: self.refresh())
        self.refresh()

    def done(self) -> list[bool]:
        window = self.window
        return [bool(window.library.paths()), bool(window.run_bar.question.text().strip()),
                window.store is not None]

    def refresh(self) -> None:
        done = self.done()
        for label, finished in zip(self.steps, done):
            mark = "✓ " if finished else ""
            label.setText(f"<b>{mark}{label.property('title')}</b><br>"
                          f"<span>{label.property('text')}</span>")
        self.setVisible(not done[2])
