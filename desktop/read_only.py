"""A report another process is writing (a run in another window, `deepdraft resume` in a
shell): the window opens it read-only under a banner that names the writer, follows it
live as steps are committed (engine.project.follow), refuses edits in words, and once the
other run ends offers Take over, which makes the report editable here."""
from __future__ import annotations

from desktop.qt import QFrame, QHBoxLayout, QLabel, QObject, QPushButton, QTimer

POLL_MS = 400      # one PRAGMA when nothing changed (engine.project.follow)


class ReadOnlyBanner(QFrame):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("readOnlyBanner")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.take_over_button = QPushButton("Take over")
        self.take_over_button.setObjectName("primary")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 12, 6)
        row.addWidget(self.text, 1)
        row.addWidget(self.take_over_button)
        self.hide()


class FollowMode(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.follower = None                  # engine.project.follow.ProjectFollower
        self.banner = ReadOnlyBanner()
        self.banner.take_over_button.clicked.connect(self.take_over)
        window.centralWidget().layout().insertWidget(1, self.banner)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)

    @property
    def active(self) -> bool:
        return self.follower is not None

    def follow(self, path: str) -> None:
        """Show the project read-only and follow what its writer commits."""
        from engine.project.follow import ProjectFollower

        self.stop()
        self.follower = ProjectFollower(path)
        self.window.show_project(self.follower.store)
        self.banner.show()
        self.poll()
        self.timer.start()

    def refusal(self) -> str:
        holder = self.follower.holder() if self.follower is not None else None
        who = holder.describe() if holder is not None else "another Deepdraft run"
        return (f"This report is read-only here: it is being written by {who}. Stop that "
                "run, then press Take over to edit it here.")

    def poll(self) -> None:
        if self.follower is None:
            return
        update = self.follower.poll()
        holder = self.follower.holder()
        if update is not None:
            outline = update.outline
            self.window.outline.show_outline(outline.to_dict(), outline.cursor())
            self.window.draft.show_outline(outline.to_dict())
            if update.steps:
                self.window.activity.show_past(self.follower.store)
                self.window.extras.checks.panel.refresh()
        self._show_banner(holder)

    def _show_banner(self, holder) -> None:
        if holder is not None:
            self.banner.text.setText(f"Read-only: this report is being written by "
                                     f"{holder.describe()}. Its steps appear here as they "
                                     "are committed.")
        else:
            self.banner.text.setText("The run that was writing this report has ended. Take "
                                     "over to edit it here.")
        self.banner.take_over_button.setVisible(holder is None)

    def take_over(self) -> bool:
        from engine.project.errors import ProjectBusy

        if self.follower is None:
            return False
        try:
            store = self.follower.take_over()
        except ProjectBusy as exc:
            self.window.statusBar().showMessage(str(exc))
            return False
        self.timer.stop()
        self.follower = None
        self.banner.hide()
        self.window.show_project(store)
        self.window.statusBar().showMessage("You can edit this report now.")
        return True

    def stop(self) -> None:
        """Leave follow mode (another report opened, a new one, the window closing)."""
        self.timer.stop()
        if self.follower is not None:
            self.follower.close()
            self.follower = None
        self.banner.hide()
