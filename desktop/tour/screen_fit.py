"""Does the window fit the user's screen? Checks a screen tour (and tests) run on live
widgets: every open window inside the screen's free area, and no text cut off without an
ellipsis. An offscreen widget grab cannot show either; a real screen with a window
manager can (desktop.tour.screen)."""
from __future__ import annotations

import re

from desktop.qt import (QAbstractButton, QApplication, QLabel, QTextDocument, Qt,
                        QWidget)

SLACK_PX = 2      # rounding between font metrics and layout
TAG = re.compile(r"<[a-zA-Z/][^>]*>")   # what makes Qt's AutoText read a label as HTML


def open_windows() -> list[QWidget]:
    """The visible top-level windows and dialogs (not tooltips, menus or popups)."""
    windows = []
    for widget in QApplication.topLevelWidgets():
        kind = widget.windowType()
        if widget.isVisible() and kind in (Qt.WindowType.Window, Qt.WindowType.Dialog):
            windows.append(widget)
    return windows


def windows_off_screen(windows: list[QWidget] | None = None) -> list[str]:
    """'Models: 1704 x 520 at (0, 0) outside 1366 x 768' for each window (all open ones
    by default) that sticks out."""
    problems = []
    for window in open_windows() if windows is None else windows:
        screen = window.screen() or QApplication.primaryScreen()
        free, frame = screen.availableGeometry(), window.frameGeometry()
        if not free.contains(frame):
            problems.append(f"{window.windowTitle() or type(window).__name__}: "
                            f"{frame.width()} x {frame.height()} at ({frame.x()}, {frame.y()}) "
                            f"outside the screen's {free.width()} x {free.height()}")
    return problems


def cut_texts(root: QWidget) -> list[str]:
    """Visible labels and buttons under `root` whose text does not fit and does not end
    in an ellipsis."""
    problems = []
    for widget in [root] + root.findChildren(QWidget):
        if not widget.isVisible() or widget.width() <= 0 or QWidget.window(widget) is not root:
            continue       # a dialog parented to the window is checked as its own window
        if isinstance(widget, QLabel):
            problem = _label_cut(widget)
        elif isinstance(widget, QAbstractButton):
            problem = _button_cut(widget)
        else:
            continue
        if problem:
            problems.append(f"{type(widget).__name__} “{problem[:60]}” is cut off")
    return problems


def _shown(widget) -> str:
    shown = getattr(widget, "shown_text", None)     # desktop.common.elided_label.ElidedLabel
    return shown() if shown is not None else widget.text()


def _label_cut(label: QLabel) -> str | None:
    text = _shown(label)
    if not text.strip() or text.endswith("…") or label.pixmap() is not None and \
            not label.pixmap().isNull():
        return None
    room = label.contentsRect()
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and TAG.search(text) is not None)
    if label.wordWrap():
        return text if label.heightForWidth(label.width()) > label.height() + SLACK_PX \
            else None
    if rich:
        document = QTextDocument()
        document.setDefaultFont(label.font())
        document.setHtml(text)
        document.setDocumentMargin(0)
        needed = document.idealWidth()
    else:
        needed = max(label.fontMetrics().horizontalAdvance(line) for line in text.split("\n"))
    return text if needed > room.width() + SLACK_PX else None


def _button_cut(button: QAbstractButton) -> str | None:
    """Qt never elides a button's text: narrower than its size hint means cut."""
    text = button.text()
    if not text.strip():
        return None
    return text if button.width() + SLACK_PX < button.sizeHint().width() else None
