"""User settings: one small JSON file in the app data folder.

Unknown keys are kept (a newer version may have written them); missing keys fall
back to DEFAULTS. Writes go through a temp file and rename so a crash never leaves
a half-written file.
"""
from __future__ import annotations

import json
import os
from typing import Any

from engine.paths import settings_file

DEFAULTS: dict[str, Any] = {
    "author": "",
    "model": "demo",            # demo | PATH.gguf | replay:FILE | server URL
    "server_model": "",         # model name sent to an OpenAI-compatible server
    "n_gpu_layers": None,       # None = automatic
    "kv_cache_type": "auto",    # auto | f16 | q8_0 | q4_0 (engine.llm.placement)
    "flash_attn": "auto",       # auto | on | off
    "prompt_lookup": "auto",    # auto | on | off (engine.llm.lookup_decode)
    "embed_backend": "auto",    # auto | torch | onnx | openvino (engine.library.embedder)
    "embedding_model": "default",
    "chroma_server": "",        # host:port of a shared Chroma server; empty = embedded
    "library": "default",
    "hybrid_search": True,
}


def load_settings() -> dict[str, Any]:
    path = settings_file()
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
    return {**DEFAULTS, **data}


def save_settings(values: dict[str, Any]) -> None:
    path = settings_file()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(values, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
