"""Run statistics: live counts while the agent writes, the engine's full stats after."""
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
        self._live: dict[str, int] = {}

    def show_stats(self, stats: dict) -> None:
        """Show engine.warp.stats.run_stats() output."""
        for key, _ in FIELDS:
            self.values[key].setText(_format(key, stats.get(key)))
        self._live = {k: stats.get(k) or 0 for k in ("steps", "writes", "expansions",
                                                      "retries", "completion_tokens",
                                                      "prompt_tokens_evaluated")}

    def on_event(self, event: object) -> None:
        if isinstance(event, ev.Done):
            self.show_stats(event.stats)
        elif isinstance(event, ev.StepFinished):
            self._count("steps", 1)
            self._count("retries", 0 if event.valid else 1)
            self._count("writes", 1 if event.valid and event.action == "write" else 0)
            self._count("expansions", 1 if event.action == "extend-plan" else 0)
            self._count("completion_tokens", event.completion_tokens)
            self._count("prompt_tokens_evaluated", event.prompt_tokens_evaluated)

    def _count(self, key: str, amount: int) -> None:
        self._live[key] = self._live.get(key, 0) + amount
        self.values[key].setText(str(self._live[key]))
