"""The embedding model on onnxruntime: the model's fast tokenizer, then the int8 graph
built by engine.library.onnx_export (pooling and normalisation inside it).

Each text runs alone, unpadded, and texts are spread over worker threads (one
onnxruntime thread each); an ingest says how many (engine.threads chooses them when it
starts), the pool holds one per usable core. Measured on FreshWiki chunks (2 cores, see
tests/benchmarks/README.md): batches of 64 pad a chunk to 1.9 times its tokens on
average, and the int8 kernels ran 2.8x faster per chunk one text at a time than in
batches of 64 (1.6x), while intra-op threads on one short text mostly wait for each
other. A text's vector also no longer depends on the texts batched beside it (the int8
activations are quantised per run), so a query embeds exactly like the same passage.
Truncation is at the model's max_seq_length, like sentence-transformers.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from engine.library.onnx_export import cached_model, max_seq_length
from engine.threads import usable_cores

_FIELDS = {"input_ids": "ids", "attention_mask": "attention_mask", "token_type_ids": "type_ids"}


class OnnxEmbedder:
    backend = "onnx"

    def __init__(self, path: Path) -> None:
        import onnxruntime

        self.path = path
        self.tokenizer = _tokenizer(path)
        self._lock = threading.Lock()
        self._session = _session(onnxruntime, cached_model(path))
        self.inputs = [i.name for i in self._session.get_inputs()]
        self.workers = usable_cores()   # the pool's size, and the count when none is given
        self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="embed") \
            if self.workers > 1 else None
        self.dimension = int(self.encode(["dimension probe"]).shape[1])

    def encode(self, texts: list[str], workers: int | None = None):
        """Unit-length float32 vectors, one row per text, in the order given."""
        import numpy as np

        if not texts:
            return np.zeros((0, self.dimension), np.float32)
        with self._lock:   # one tokenizer, shared by the threads that call us
            encodings = self.tokenizer.encode_batch(texts)
        count = min(workers or self.workers, len(texts))
        if count <= 1 or self._pool is None:
            return self._run(encodings)
        # One stripe per worker (every count-th text, so lengths even out), run one by one.
        stripes = [encodings[n::count] for n in range(count)]
        parts = list(self._pool.map(self._run, stripes))
        vectors = np.empty((len(texts), parts[0].shape[1]), dtype=np.float32)
        for n, part in enumerate(parts):
            vectors[n::count] = part
        return vectors

    def encode_queries(self, texts: list[str]):
        """Short queries on one thread (two threads waiting on a busy core cost more)."""
        return self.encode(texts, workers=1)

    def _run(self, encodings):
        import numpy as np

        rows = [self._session.run(None, _feed(e, self.inputs))[0] for e in encodings]
        return np.concatenate(rows).astype(np.float32, copy=False)


def _feed(encoding, inputs: list[str]) -> dict:
    import numpy as np

    return {name: np.array([getattr(encoding, _FIELDS[name])], dtype=np.int64) for name in inputs}


def _session(onnxruntime, model: Path):
    """One intra-op thread: parallelism comes from running texts side by side."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    return onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])


def _tokenizer(path: Path):
    """tokenizer.json with sentence-transformers' truncation, unpadded."""
    from tokenizers import Tokenizer

    from engine.library.errors import LibraryError

    if not (path / "tokenizer.json").is_file():
        raise LibraryError(f"{path.name} has no tokenizer.json (the ONNX backend needs a "
                           "fast tokenizer)")
    tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=max_seq_length(path))
    tokenizer.no_padding()
    return tokenizer
