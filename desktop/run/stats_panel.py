"""Run statistics: the engine's counters after each step, its full stats after the run
(engine.warp.stats either way; the panel never counts events itself)."""
from __future__ import annotations

from desktop.qt import QFormLayout, QLabel, QWidget
from engine.warp import events as ev

FIELDS = [("steps", "Steps"), ("writes", "Sections written"), ("expansions", "Deepenings"),
          ("retries", "Retries"), ("citations", "Citations"),
          ("passages_shown", "Passages shown"), ("prompt_tokens_evaluated", "Prompt tokens"),
          ("completion_tokens", "Reply tokens"), ("seconds", "Time"),
          ("finished", "Finished")]


def _format(key: str, value) -> str:
    if key == "seconds" and isinstance(value, dict):
        return f"{value.get('wall', 0):.1f}s (model {value.get('model', 0):.1f}s)"
    return "—" if value is None else str(value)


class StatsPanel(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout = QFormLayout(self)
        self.values: dict[str, QLabel] = {}
        for key, label in FIELDS:
            self.values[key] = QLabel("—")
            layout.addRow(label, self.values[key])

    def show_stats(self, stats: dict) -> None:
        """Show engine.warp.stats.run_stats() output (or the run_counts part of it)."""
        for key, _ in FIELDS:
            if key in stats:
                self.values[key].setText(_format(key, stats[key]))

    def on_event(self, event: object) -> None:
        if isinstance(event, ev.Done):
            self.show_stats(event.stats)
        elif isinstance(event, ev.StepFinished):
            self.show_stats(event.counts)
