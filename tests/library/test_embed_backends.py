"""Embedding backends with the real MiniLM model: the int8 ONNX graph against
sentence-transformers on torch, the choice of backend, the export cache, and a library
embedded with one backend searched with the other."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from engine.app_settings import CHOICES
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
    # Each text runs alone: its vector is the same whatever is embedded beside it, on
    # one worker or several, and a query embeds exactly like the same passage.
    assert np.array_equal(onnx.encode(texts, workers=3), onnx.encode(texts, workers=1))
    assert np.array_equal(onnx.encode_queries(texts[:3]), a[:3])
    assert onnx.encode([]).shape == (0, 384)


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


QUERIES = ["Kerch Strait bridge attack", "who was charged after the explosion",
           "truck bomb on the road bridge", "damage to the railway section",
           "Russian response and missile strikes"]


def _top_passages(monkeypatch, library: str, backend: str) -> list[list[str]]:
    monkeypatch.setenv("DEEPDRAFT_EMBED_BACKEND", backend)
    lib = open_library(library, hybrid=False)
    try:
        return [[h.chunk_id for h in lib.search(q, k=5)] for q in QUERIES]
    finally:
        lib.close()


@pytest.mark.parametrize("embedded_with", ["torch", "onnx"])
def test_cross_backend_search_finds_the_same_top_passages(monkeypatch, freshwiki_subset,
                                                           embedded_with):
    """A library embedded with one backend, queried with each: the same first document,
    and nearly the same top 5 passages as queries embedded by the library's own backend."""
    monkeypatch.setenv("DEEPDRAFT_EMBED_BACKEND", embedded_with)
    lib = open_library("cross", hybrid=False)
    ingest_all(lib, [freshwiki_subset])
    assert lib.embedding_backends()["recorded"] == embedded_with
    lib.close()
    same = _top_passages(monkeypatch, "cross", embedded_with)
    other = _top_passages(monkeypatch, "cross", "onnx" if embedded_with == "torch" else "torch")
    # Measured: at most the first two passages of a query swap places (close scores).
    assert all(s[0] in o[:2] and o[0] in s[:2] for s, o in zip(same, other))
    assert [s[0].split(":")[0] for s in same] == [o[0].split(":")[0] for o in other]
    overlap = sum(len(set(s) & set(o)) for s, o in zip(same, other)) / sum(map(len, same))
    assert overlap >= 0.8


@pytest.mark.parametrize("choice", CHOICES["embed_backend"])
def test_every_offered_backend_is_one_the_embedder_accepts(choice, monkeypatch):
    """Settings offers CHOICES; before, it offered openvino, which the embedder refused."""
    from engine.app_settings import update_settings

    monkeypatch.delenv("DEEPDRAFT_EMBED_BACKEND", raising=False)
    update_settings(embed_backend=choice)
    assert requested_backend() == choice
