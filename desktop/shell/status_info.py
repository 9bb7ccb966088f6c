"""The permanent right side of the status bar: the model, its context, where its layers
run (GPU layers or "CPU"), the run's current CPU threads and the last step's speed in
tokens per second."""
from __future__ import annotations

from desktop.engine_link.jobs import ModelLoaded
from desktop.common.elided_label import ElidedLabel
from desktop.common.words import plural
from engine.warp import events as ev


def short_name(spec: str) -> str:
    """A model spec as the status bar shows it: file names without their folders."""
    from pathlib import Path

    if spec.startswith("replay:"):
        return "replay " + Path(spec.removeprefix("replay:")).name
    if spec.lower().endswith(".gguf"):
        return Path(spec).name
    return spec if len(spec) <= 40 else "…" + spec[-39:]


def offload_text(layers: int | None) -> str:
    if layers is None:
        return ""
    if layers == 0:
        return "CPU"
    return "all layers on GPU" if layers < 0 else f"{layers} GPU layers"


class StatusInfo(ElidedLabel):
    def __init__(self, model: str = "demo") -> None:
        super().__init__()
        self.setObjectName("statusInfo")
        self.model, self.n_ctx, self.layers = model, None, None
        self.tokens_per_s: float | None = None
        self.threads: int | None = None     # re-chosen between steps (engine.threads)
        self._show()

    def set_model(self, model: str) -> None:
        """The model chosen for the next run (its context is known once it loads)."""
        if model != self.model:
            self.model, self.n_ctx, self.layers, self.tokens_per_s = model, None, None, None
            self.threads = None
            self._show()

    def on_event(self, event) -> None:
        if isinstance(event, ModelLoaded):
            self.model, self.n_ctx, self.layers = event.model, event.n_ctx, event.n_gpu_layers
            self.tokens_per_s = self.threads = None   # the last ones were another load's
        elif isinstance(event, ev.StepStarted) and event.threads != self.threads:
            self.threads = event.threads
        elif isinstance(event, ev.StepFinished) and event.model_seconds > 0 and \
                not self.model.startswith("replay"):   # a replay's "speed" means nothing
            self.tokens_per_s = event.completion_tokens / event.model_seconds
        else:
            return
        self._show()

    def _show(self) -> None:
        parts = [f"Model: {short_name(self.model)}"]
        if self.n_ctx:
            parts.append(f"context {self.n_ctx:,}")
        where = offload_text(self.layers)
        if where:
            parts.append(where)
        if self.threads:
            parts.append(plural(self.threads, 'thread'))
        if self.tokens_per_s is not None:
            parts.append(f"{self.tokens_per_s:.1f} tokens/s")
        self.setText(" · ".join(parts))
