"""The user's app settings: one JSON file in the app data folder (`settings.json`), read
into a typed `AppSettings`.

Other "settings" have their own names and homes: a run's options live with its project
(engine.warp.state.RunSettings), a library's embedding model and query prefix in its
manifest, the window's geometry in Qt's window.ini (desktop.shell.window_extras).

Every value is checked against its field's type: "false" is false, a value that fits no
type raises SettingsError naming the key and the file. Unknown keys are kept (a newer
version may have written them). A file that is not a JSON object at all is moved aside
(`settings.json.corrupt-<UTC time>`) with a warning and defaults are used: it is never
silently overwritten. Writes are atomic (engine.atomic).
"""
from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from engine.atomic import write_text
from engine.paths import settings_file
from engine.typed_settings import SettingsError, checked_fields

log = logging.getLogger(__name__)

# Allowed words for the settings that take one of a few.
CHOICES = {
    "kv_cache_type": ("auto", "f16", "q8_0", "q4_0"),      # engine.llm.placement
    "flash_attn": ("auto", "on", "off"),
    "prompt_lookup": ("auto", "on", "off"),                # engine.llm.lookup_decode
    "embed_backend": ("auto", "torch", "onnx"),  # engine.library.embedder accepts these alone
}


@dataclass(frozen=True)
class AppSettings:
    author: str = ""                 # written into exported documents
    model: str = "demo"              # demo | name | PATH.gguf | replay:FILE | server URL
    server_model: str = ""           # model name sent to an OpenAI-compatible server
    n_gpu_layers: int | None = None  # None = automatic (engine.llm.placement)
    kv_cache_type: str = "auto"
    flash_attn: str = "auto"
    prompt_lookup: str = "auto"      # "auto" = lookup_decode's measured default
    embed_backend: str = "auto"
    embedding_model: str = "default"  # "default" = bundled MiniLM, or a model folder
    chroma_server: str = ""          # host:port of a shared Chroma server; empty = embedded
    library: str = "default"
    hybrid_search: bool = True       # BM25 fused with the vectors
    # Prompt-cache states (the latest few per WARP action type) kept in RAM and beside a project.
    # None: a quarter of free RAM, at most 2 GiB (8B-model states run 100-500 MB each).
    prompt_cache_mb: int | None = None
    # CPU threads for the model and the embedder; None: every core other programs leave
    # free, chosen per job and re-checked between a run's steps (engine.threads).
    threads: int | None = None
    # The same slots on disk, per project (`<project>.kv/`); None: 512 MB. A state larger
    # than this is not written. engine.project.caches sizes and clears them.
    kv_disk_mb: int | None = None
    # Keys this version does not know, written back unchanged.
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def with_changes(self, **changes: Any) -> "AppSettings":
        return from_dict({**self.to_dict(), **changes})

    def to_dict(self) -> dict[str, Any]:
        values = asdict(self)
        return {**values.pop("extra"), **values}


def from_dict(data: dict[str, Any], source: str = "settings") -> AppSettings:
    """Typed settings from plain data; raises SettingsError for a value of the wrong type."""
    known = checked_fields(AppSettings, data, source, CHOICES)
    known.pop("extra", None)
    extra = {key: value for key, value in data.items() if key not in known}
    return AppSettings(**known, extra=extra)


def load_settings() -> AppSettings:
    path = settings_file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return AppSettings()
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError(f"a JSON object was expected, not {type(data).__name__}")
    except ValueError as exc:
        _set_aside(path, exc)
        return AppSettings()
    return from_dict(data, source=str(path))


def save_settings(settings: AppSettings) -> None:
    write_text(settings_file(), json.dumps(settings.to_dict(), indent=2, ensure_ascii=False))


def update_settings(**changes: Any) -> AppSettings:
    """Load, change the named keys, save; returns the saved settings."""
    settings = load_settings().with_changes(**changes)
    save_settings(settings)
    return settings


def _set_aside(path: Path, error: Exception) -> Path:
    """Keep an unreadable settings file under a new name (the user's values may be
    recovered by hand) instead of letting the next save overwrite it."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    kept = path.with_name(f"{path.name}.corrupt-{stamp}")
    path.rename(kept)
    log.warning("settings file %s could not be read (%s); kept as %s, using defaults",
                path, error, kept.name)
    return kept


__all__ = ["AppSettings", "CHOICES", "SettingsError", "from_dict", "load_settings",
           "save_settings", "update_settings"]
