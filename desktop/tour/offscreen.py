"""A screenshot tour: `python -m desktop.tour OUTDIR [--readme]` drives the real window
offscreen through a deterministic run (the replay backend with the transcript and the
small library in resources/tour/, a PDF among its documents) and saves one PNG per shot.

Shots are a list of named steps taken at a stage of the run ("before": states that do not
last, from desktop.tour.pages: a model download and a big library indexing; "review",
"finished"); add one with `SHOTS.append(Shot("name.png", "finished", take))`, where
`take(tour)` returns the widget (or QImage) to save. `--readme` also refreshes
resources/screenshot.png from the section-citation shot.

`--screen WxH` runs the app on a real (virtual) screen with a window manager instead and
grabs the whole screen at each stage of a user's first use (desktop.tour.screen).
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from desktop.tour.pages import shot_library_progress, shot_models_download

from desktop.tour.fixture import MAX_STEPS, QUESTION, RESOURCES, TIMEOUT_S, TOUR


@dataclass
class Shot:
    name: str
    stage: str                       # "before" | "review" | "finished"
    take: Callable[["Tour"], object]


@dataclass
class Tour:
    window: object
    outdir: Path
    figures: dict[str, float] = field(default_factory=dict)
    saved: list[str] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)   # what a shot's state said
    marker: str = ""                 # the citation link the shots hover and click

    def wait_until(self, predicate: Callable[[], bool], what: str,
                   timeout_s: float = TIMEOUT_S) -> None:
        from desktop.qt import QApplication

        deadline = time.monotonic() + timeout_s
        while not predicate():
            if time.monotonic() > deadline:
                raise TimeoutError(f"tour: gave up waiting for {what}")
            QApplication.processEvents()
            time.sleep(0.01)

    def settle(self) -> None:
        from desktop.qt import QApplication

        for _ in range(5):
            QApplication.processEvents()

    def save(self, name: str, subject) -> None:
        from desktop.qt import QImage

        self.settle()
        image = subject if isinstance(subject, QImage) else subject.grab().toImage()
        path = self.outdir / name
        if not image.save(str(path)):
            raise OSError(f"tour: could not write {path}")
        self.saved.append(name)

    def take(self, stage: str) -> None:
        for shot in SHOTS:
            if shot.stage == stage:
                self.save(shot.name, shot.take(self))


# --- the run --------------------------------------------------------------------------
def _index_library(tour: Tour) -> None:
    window = tour.window
    assert window.add_documents([str(TOUR / "library")])
    tour.wait_until(lambda: not window.worker.busy, "the library to be indexed")
    if len(window.library.paths()) != len(list((TOUR / "library").iterdir())):
        raise RuntimeError("tour: the tour library was not fully indexed")


def _run_agent(tour: Tour, transcript: Path) -> None:
    window = tour.window
    bar = window.run_bar
    bar.question.setText(QUESTION)
    bar.model.set_spec(f"replay:{transcript}")
    bar.interactive.setChecked(True)
    bar.max_steps.setValue(MAX_STEPS)
    assert window.write()
    for _ in range(2):                               # the outline, then one deepening
        tour.wait_until(lambda: window.review.proposal is not None or not window.worker.busy,
                        "a proposal to review")
        if window.review.proposal is None:
            raise RuntimeError("tour: the run ended before its review points")
        if window.review.proposal.action == "extend-plan":
            tour.take("review")
        window.review.accept_button.click()
    tour.wait_until(lambda: not window.worker.busy, "the run to finish")


# --- the shots --------------------------------------------------------------------------
def _select(tour: Tour, row: int | None):
    outline = tour.window.outline
    if row is None:
        outline.clearSelection()
        outline.setCurrentItem(None)
    else:
        outline.setCurrentItem(outline.topLevelItem(row))
    tour.settle()


def _pdf_marker(view) -> str:
    for href in view.marker_urls():
        keys = [m.key for m in view.report.group(int(href.split(":")[1]))]
        if any(view.report.citations[k].path.endswith(".pdf") for k in keys
               if k in view.report.citations):
            return href
    raise RuntimeError("tour: no citation of the PDF in section 1")


def hover_marker(view, href: str) -> None:
    """Move the mouse over a citation marker, as a user would (the tooltip opens)."""
    from desktop.qt import QCursor, QEvent, QMouseEvent, QPointF, Qt

    point = view.marker_position(href)
    QCursor.setPos(view.viewport().mapToGlobal(point))
    event = QMouseEvent(QEvent.Type.MouseMove, QPointF(point), QPointF(point),
                        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier)
    view.mouseMoveEvent(event)


def with_tooltip(window, view, href: str) -> object:
    """The window's image with the open tooltip painted just below the marker (a tooltip
    is a window of its own, so a grab of the main window leaves it out)."""
    from desktop.qt import QApplication, QPainter, QPoint

    image = window.grab().toImage()
    tip = next((w for w in QApplication.topLevelWidgets()
                if w.inherits("QTipLabel") and w.isVisible()), None)
    if tip is not None:
        marker = view.viewport().mapTo(window, view.marker_position(href))
        painter = QPainter(image)
        painter.drawImage(marker + QPoint(-12, 14), tip.grab().toImage())
        painter.end()
    return image


def shot_section_citation(tour: Tour):
    from desktop.qt import QToolTip

    window = tour.window
    _select(tour, 0)
    window.draft.pages.setCurrentWidget(window.editor)
    window.side_tabs.setCurrentWidget(window.evidence)     # the section's sources beside it
    tour.settle()
    view = window.editor.view
    tour.marker = _pdf_marker(view)
    hover_marker(view, tour.marker)
    tour.wait_until(QToolTip.isVisible, "the citation's tooltip", 10)
    return with_tooltip(window, view, tour.marker)


def shot_evidence_pdf_page(tour: Tour):
    from desktop.qt import QToolTip, QUrl

    window = tour.window
    QToolTip.hideText()
    started = time.perf_counter()
    window.editor.view.anchorClicked.emit(QUrl(tour.marker))       # click the marker
    viewer = window.evidence.open_at_page()                         # then Open at page
    tour.figures["click_to_passage_s"] = time.perf_counter() - started   # text at once
    viewer.wait_for_page()              # the page renders in the page process meanwhile
    tour.figures["click_to_pdf_page_s"] = time.perf_counter() - started   # (or was cached)
    tour.settle()
    if not viewer.boxes:
        raise RuntimeError("tour: the cited passage was not found on its PDF page")
    return viewer


def shot_reading_view(tour: Tour):
    tour.window.evidence.viewer.hide()
    _select(tour, None)
    tour.window.draft.reading.view.verticalScrollBar().setValue(0)
    return tour.window


def shot_review(tour: Tour):
    return tour.window.review_dialog


def shot_history(tour: Tour):
    window = tour.window
    _select(tour, 0)
    window.draft.pages.setCurrentWidget(window.editor)
    window.editor.set_editing(True)
    text = window.editor.text.toPlainText()
    window.editor.text.setPlainText(text.replace("Two further causes made the water rise "
                                                 "faster:", "Two more causes added to it:"))
    window.editor.save_button.click()
    tour.settle()
    node_id = window.outline.selected_id()
    dialog = window.draft.open_history(node_id)
    dialog.select(1)                                    # the agent's version
    return dialog


def shot_activity(tour: Tour):
    window = tour.window
    window.draft.history_dialog.close()
    _select(tour, None)
    window.activity.feed.scrollToBottom()
    return window.activity


def shot_claim_check(tour: Tour):
    """The user changes a figure its source does not have; the check runs again, the
    sentence is underlined, its hover says why, and the Check tab lists it."""
    from desktop.check.marks import flag_tooltip, sentence_span
    from desktop.qt import QLabel, QPainter, QPoint, QTextCursor
    from engine.warp.edits import EditNode

    window = tour.window
    _select(tour, 1)                                       # "Who was affected"
    node_id = window.outline.selected_id()
    text = window.editor.text.toPlainText().replace("*33 million*", "*45 million*")
    panel = window.extras.checks.panel
    window.submit_edit(EditNode(node_id, content=text))
    tour.wait_until(lambda: not panel.lane.busy and panel.flags.get(node_id),
                    "the claim check")
    window.side_tabs.setCurrentWidget(panel)
    window.draft.pages.setCurrentWidget(window.editor)
    _select(tour, 1)
    view = window.editor.view
    flag = next(f for f in panel.flags[node_id] if f.kind == "figure")
    tour.notes["claim-check.png"] = f"{flag.kind}: {flag.detail}"
    cursor = QTextCursor(view.document())
    cursor.setPosition(sentence_span(view.document(), flag.sentence)[0] + 2)
    at = view.cursorRect(cursor).center()
    image = window.grab().toImage()
    tip = QLabel(flag_tooltip(flag, view.report.citations))   # as the hover shows it
    tip.setWordWrap(True)
    tip.setFixedWidth(420)
    tip.setStyleSheet("background:#ffffdc; border:1px solid #888; padding:6px")
    tip.adjustSize()
    painter = QPainter(image)
    painter.drawImage(view.viewport().mapTo(window, at) + QPoint(-20, 16), tip.grab().toImage())
    painter.end()
    return image


SHOTS: list[Shot] = [
    Shot("models.png", "before", shot_models_download),
    Shot("library-progress.png", "before", shot_library_progress),
    Shot("review.png", "review", shot_review),
    Shot("section-citation.png", "finished", shot_section_citation),
    Shot("evidence-pdf-page.png", "finished", shot_evidence_pdf_page),
    Shot("reading-view.png", "finished", shot_reading_view),
    Shot("history.png", "finished", shot_history),
    Shot("activity.png", "finished", shot_activity),
    Shot("claim-check.png", "finished", shot_claim_check),
]


def run_tour(outdir: Path, readme: bool = False) -> Tour:
    """Drive a fresh window through the tour; DEEPDRAFT_HOME must point at a folder the
    tour may fill (main() makes a temporary one)."""
    from desktop.shell.app import apply_style
    from desktop.shell.main_window import MainWindow
    from desktop.qt import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_style(app)
    outdir.mkdir(parents=True, exist_ok=True)
    window = MainWindow()
    window.resize(1440, 900)
    window.show()
    window.extras.warm()                             # as desktop.shell.app does
    tour = Tour(window, outdir)
    try:
        tour.take("before")
        work = Path(tempfile.mkdtemp(prefix="deepdraft-tour-"))
        transcript = work / "transcript.jsonl"
        shutil.copy(TOUR / "transcript.jsonl", transcript)
        _index_library(tour)
        _run_agent(tour, transcript)
        tour.take("finished")
    finally:
        window.close()
    if readme:
        shutil.copy(outdir / "section-citation.png", RESOURCES / "screenshot.png")
    return tour
