"""Embedding backends with the real MiniLM model: the int8 ONNX graph against
sentence-transformers on torch, the choice of backend, the export cache, and a library
embedded with one backend searched with the other."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from engine.library import open_library
from engine.library.embedder import get_embedder, requested_backend, resolve_model_path
from engine.library.errors import LibraryError
from engine.library.onnx_export import fingerprint, pooling_mode
from tests.library.conftest import ingest_all


def _chunks(freshwiki_dir, files: int = 3) -> list[str]:
    from engine.library.chunking import ChunkConfig, chunk_document
    from engine.library.readers import read_document

    texts = []
    for path in sorted(freshwiki_dir.glob("*.txt"))[:files]:
        texts += [c.text for c in chunk_document(read_document(path), ChunkConfig())]
    return texts


def test_onnx_vectors_stay_close_to_torch(freshwiki_dir):
    texts = _chunks(freshwiki_dir) + ["Kerch Strait bridge attack", "", "短い文"]
    onnx, torch = get_embedder(backend="onnx"), get_embedder(backend="torch")
    assert (onnx.backend, torch.backend) == ("onnx", "torch")
    a, b = onnx.encode(texts), torch.encode(texts)
    assert a.shape == b.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-3)
    cosine = (a * b).sum(axis=1)
    assert cosine.mean() > 0.99 and cosine.min() > 0.97
    # Activations are quantised per batch, so a text's vector moves slightly with the
    # texts batched beside it (and their padding); alone it stays as close to torch.
    alone = onnx.encode_queries(texts[:3])
    assert ((alone * b[:3]).sum(axis=1) > 0.97).all()
    assert np.allclose(onnx.encode_queries(texts[:3]), alone)   # deterministic


def test_tokenizer_matches_sentence_transformers(freshwiki_dir):
    onnx, torch = get_embedder(backend="onnx"), get_embedder(backend="torch")
    long_text = " ".join(_chunks(freshwiki_dir, 1)) * 3
    for text in (long_text, "Short one.", "Ünïcödé and 中文 text"):
        expected = torch.model.tokenizer(text, truncation=True, max_length=256)["input_ids"]
        assert onnx.tokenizer.encode(text).ids == expected


def test_backend_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEEPDRAFT_EMBED_BACKEND", "torch")
    assert requested_backend() == "torch"
    monkeypatch.setenv("DEEPDRAFT_EMBED_BACKEND", "openvino")
    with pytest.raises(LibraryError, match="OpenVINO is not built in"):
        requested_backend()
    monkeypatch.delenv("DEEPDRAFT_EMBED_BACKEND")
    assert requested_backend() == "auto"


def test_export_key_changes_with_the_model(tmp_path):
    model = shutil.copytree(resolve_model_path(None), tmp_path / "model")
    before = fingerprint(model)
    config = model / "config.json"
    config.write_text(config.read_text() + "\n")
    assert fingerprint(model) != before
    assert pooling_mode(model) == "mean"
    (model / "modules.json").write_text(json.dumps([{"idx": 0, "name": "0", "path": "",
                                                     "type": "sentence_transformers.models.Dense"}]))
    assert pooling_mode(model) is None


def test_library_embedded_with_onnx_is_searchable_with_torch(monkeypatch, freshwiki_subset):
    monkeypatch.setenv("DEEPDRAFT_EMBED_BACKEND", "onnx")
    lib = open_library("mixed", hybrid=False)
    ingest_all(lib, [freshwiki_subset])
    assert lib.embedding_backends() == {"recorded": "onnx", "requested": "onnx"}
    lib.close()
    monkeypatch.setenv("DEEPDRAFT_EMBED_BACKEND", "torch")
    lib = open_library("mixed", hybrid=False)
    hits = lib.search("Kerch Strait bridge attack", k=3)
    assert hits[0].title == "2022 Crimean Bridge explosion"
    assert lib.embedding_backends()["recorded"] == "onnx"
    lib.close()
