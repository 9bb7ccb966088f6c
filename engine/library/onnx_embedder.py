"""The embedding model on onnxruntime: the model's fast tokenizer, then the int8 graph
built by engine.library.onnx_export (pooling and normalisation inside it).

Texts are sorted by length before batching so a batch pads to its own longest text,
as sentence-transformers does, and truncated at the model's max_seq_length like it.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path

from engine.library.onnx_export import cached_model, max_seq_length


class OnnxEmbedder:
    backend = "onnx"

    def __init__(self, path: Path) -> None:
        import onnxruntime

        self.path = path
        self.tokenizer = _tokenizer(path)
        self._lock = threading.Lock()
        self._sessions = {threads: self._session(onnxruntime, cached_model(path), threads)
                          for threads in (1, _threads())}
        self.inputs = [i.name for i in self._sessions[1].get_inputs()]
        self.dimension = int(self.encode(["dimension probe"], threads=1).shape[1])

    @staticmethod
    def _session(onnxruntime, model: Path, threads: int):
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Spinning threads steal the core another process (or our reader) needs.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return onnxruntime.InferenceSession(str(model), options,
                                            providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str], batch_size: int = 64, threads: int | None = None):
        import numpy as np

        session = self._sessions[threads or max(self._sessions)]
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        vectors = None
        for start in range(0, len(order), batch_size):
            chosen = order[start:start + batch_size]
            output = session.run(None, self._feed([texts[i] for i in chosen]))[0]
            if vectors is None:
                vectors = np.empty((len(texts), output.shape[1]), dtype=np.float32)
            vectors[chosen] = output
        return vectors if vectors is not None else np.zeros((0, self.dimension), np.float32)

    def encode_queries(self, texts: list[str]):
        """Short queries on one thread (two threads waiting on a busy core cost more)."""
        return self.encode(texts, batch_size=32, threads=1)

    def _feed(self, texts: list[str]) -> dict:
        import numpy as np

        with self._lock:   # the tokenizer's padding state is shared
            encodings = self.tokenizer.encode_batch(texts)
        fields = {"input_ids": "ids", "attention_mask": "attention_mask",
                  "token_type_ids": "type_ids"}
        return {name: np.array([getattr(e, fields[name]) for e in encodings], dtype=np.int64)
                for name in self.inputs}


def _tokenizer(path: Path):
    """tokenizer.json with sentence-transformers' truncation and longest-padding."""
    from tokenizers import Tokenizer

    from engine.library.errors import LibraryError

    if not (path / "tokenizer.json").is_file():
        raise LibraryError(f"{path.name} has no tokenizer.json (the ONNX backend needs a "
                           "fast tokenizer)")
    tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=max_seq_length(path))
    pad = _pad_token(path)
    tokenizer.enable_padding(pad_id=tokenizer.token_to_id(pad) or 0, pad_token=pad)
    return tokenizer


def _pad_token(path: Path) -> str:
    try:
        config = json.loads((path / "tokenizer_config.json").read_text("utf-8"))
        pad = config.get("pad_token")
        return pad if isinstance(pad, str) else (pad or {}).get("content", "[PAD]")
    except (OSError, ValueError):
        return "[PAD]"


def _threads() -> int:
    from engine.llm.placement import thread_count

    return max(1, thread_count())
