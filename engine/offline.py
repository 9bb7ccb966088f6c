"""Offline by construction.

Deepdraft makes no network call unless the user asks for a model download. The
libraries we embed would otherwise: Chroma sends anonymised telemetry, and the
Hugging Face stack (sentence-transformers, transformers, huggingface_hub) checks the hub
for newer files. These variables must be set before those libraries are imported,
so `engine/__init__.py` applies them on import.
"""
from __future__ import annotations

import os

# Forced, not defaulted: a user's shell profile with HF_HUB_OFFLINE=0 must not make
# the product go online behind their back.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
    "DO_NOT_TRACK": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "CHROMA_TELEMETRY_IMPL": "",  # keep chroma from loading its posthog client
    "TOKENIZERS_PARALLELISM": "false",
}


def apply_offline_defaults() -> None:
    for key, value in OFFLINE_ENV.items():
        if key == "CHROMA_TELEMETRY_IMPL":
            continue
        os.environ[key] = value


def offline_status() -> dict[str, bool]:
    """Which guards are active right now (for `deepdraft doctor`)."""
    status = {key: os.environ.get(key) == value for key, value in OFFLINE_ENV.items()
              if key != "CHROMA_TELEMETRY_IMPL"}
    return status


def chroma_settings():
    """Chroma settings with telemetry off; imported lazily (chromadb is heavy)."""
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)
