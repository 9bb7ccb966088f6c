"""A one-line label that never asks for more width than it gets: a text too long for it
ends in "…" and the whole text is its tooltip. For lines whose length grows with the
data (a run's progress, the loaded model's path), so a long line cannot widen the window
past the screen."""
from __future__ import annotations

from desktop.qt import QLabel, QPainter, QSize, QSizePolicy, Qt

MIN_CHARS = 12      # the narrowest it gets, in average character widths


class ElidedLabel(QLabel):
    def __init__(self, text: str = "") -> None:
        super().__init__()
        # Preferred: as wide as the text when there is room, down to minimumSizeHint.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self._full = ""
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self._full = text
        super().setText(text)
        self.setToolTip(text if self.is_elided() else "")

    def full_text(self) -> str:
        return self._full

    def shown_text(self) -> str:
        """The text as painted: whole, or cut with an ellipsis."""
        width = self.contentsRect().width()
        return self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width)

    def is_elided(self) -> bool:
        return self.shown_text() != self._full

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.fontMetrics().averageCharWidth() * MIN_CHARS,
                     super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.setToolTip(self._full if self.is_elided() else "")

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), int(self.alignment()), self.shown_text())
        painter.end()
