"""The engine's events on the GUI thread, routed to the panels that show them, and the end
of each job."""
from __future__ import annotations

from desktop.common.messages import job_failure, run_error
from desktop.engine_link.jobs import Exported, LibraryListing
from desktop.run.step_limit import limit_reached_text
from desktop.common.messages import STATUS_MS
from engine.warp import events as ev


class EventRouting:
    def on_event(self, event: object) -> None:
        self.log.on_event(event)
        self.activity.on_event(event)
        self.stats.on_event(event)
        if isinstance(event, ev.OutlineChanged):
            self.outline.show_outline(event.outline, event.cursor)
            self.draft.outline_streamed(event.outline)
        elif isinstance(event, ev.Proposal):
            self.review.show_proposal(event, self.outline.outline)
            self._show_review()
            self.statusBar().showMessage(f"Review the proposed {event.action}.")
        elif isinstance(event, ev.StepStarted):
            self.statusBar().showMessage(f"Step {event.step}: {event.action} "
                                         f"{event.cursor or ''}")
        elif isinstance(event, ev.EditRefused):
            self.outline.clear_pending()
            kept = self.history.refused(event.refused) if event.refused is not None \
                else False
            self.statusBar().showMessage(
                f"Your edit was not applied: {event.message.removeprefix('edit refused: ')}"
                + (" (Undo no longer lists it)." if kept else "."), STATUS_MS)
        elif isinstance(event, ev.Error):
            self.statusBar().showMessage(run_error(event.message))
        elif isinstance(event, ev.Done):
            self.outline.clear_pending()
            if event.reason == "step limit":
                self.statusBar().showMessage(limit_reached_text(self.outline.outline))
            elif event.reason != "error":   # the Error before it said what went wrong
                self.statusBar().showMessage(f"Run finished: {event.reason}.", STATUS_MS)
            self.side_tabs.setCurrentWidget(self.stats)
        elif isinstance(event, LibraryListing):
            self.library.show_documents(event.library, event.documents)
            self.extras.guide.refresh()
        elif isinstance(event, Exported):
            note = f" ({'; '.join(event.warnings)})" if event.warnings else ""
            self.statusBar().showMessage(f"Exported {event.path}{note}", STATUS_MS)
        else:
            self.library.on_event(event)

    def _on_review_decided(self, decision: str) -> None:
        self.statusBar().showMessage(f"Proposal {decision}ed; the agent continues."
                                     if decision != "edit" else
                                     "Your edited proposal was sent; the agent continues.",
                                     STATUS_MS)

    def _show_review(self) -> None:
        self.review_dialog.show()
        self.review_dialog.raise_()

    def _on_failed(self, message: str) -> None:
        text = job_failure(message, during_run=self.running)
        self.log.append_line(f"! {text}\n")
        self.statusBar().showMessage(text)   # stays until the next action replaces it

    def _on_finished(self) -> None:
        was_run, self.job = self.job is not None, None
        self.review.clear()
        self.review_dialog.hide()
        self.activity.stop()
        self.library.finish_progress()
        if was_run:
            self.reload_outline()
        self._refresh_buttons()
