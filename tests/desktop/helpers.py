"""Constants shared by the desktop tests."""
LONG = 90000   # ms; the first Chroma/MiniLM load on 2 cores is slow

import json
from pathlib import Path

_REPO = Path(__file__).resolve().parents[2]
# The shared corpus sits beside the repository (or beside the folder of worktrees).
CORPUS = next((p / "shared" / "corpus" for p in (_REPO, _REPO.parent, _REPO.parent.parent)
               if (p / "shared" / "corpus").is_dir()), _REPO.parent / "shared" / "corpus")
PDF = CORPUS / "pymupdf-tests" / "test_open2.pdf"    # 9 pages of text

SECTIONS = [{"title": "Causes", "plan": "Rain and glaciers."},
            {"title": "Impact", "plan": "People affected."},
            {"title": "Relief", "plan": "Aid and camps."}]
INIT = {"name": "init-plan", "title": "The 2022 floods", "sections": SECTIONS}
EVIDENCE = "The documents in the library describe this part of the 2022 floods in useful detail"


def search(*keywords) -> dict:
    return {"name": "search", "keywords": list(keywords)}


def body(*keys: str) -> str:
    """A valid write: over 50 characters, no '#', citing keys every search shows."""
    return EVIDENCE + " " + " ".join("\\cite{%s}" % k for k in keys) + "."


def write_transcript(path, replies: list) -> str:
    """A replay transcript (one JSON string per line) in the model's reply format;
    returns the model spec that serves it."""
    with open(path, "w", encoding="utf-8") as handle:
        for reply in replies:
            action = reply if isinstance(reply, str) else json.dumps(reply)
            text = f"<thought>I follow the plan.</thought>\n<action>{action}</action>"
            handle.write(json.dumps(text) + "\n")
    return f"replay:{path}"


def drag_enter(widget, mime):
    """A real QDragEnterEvent sent to widget. PySide6 marks the QPoint constructor
    deprecated though Qt 6 has no other; the warning says nothing about our code."""
    import warnings

    from desktop.qt import QApplication, QDragEnterEvent, Qt

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        event = QDragEnterEvent(widget.rect().center(), Qt.DropAction.CopyAction, mime,
                                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)
    return event


def drop_on(widget, paths):
    """A real drag enter, then drop, of local files on widget: (entered, dropped)."""
    from desktop.qt import QApplication, QDropEvent, QMimeData, Qt, QUrl

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    entered = drag_enter(widget, mime).isAccepted()
    drop = QDropEvent(widget.rect().center().toPointF(), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return entered, drop.isAccepted()
