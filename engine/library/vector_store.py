"""The vector store: one Chroma collection per library, cosine space.

Embedded (PersistentClient in the library folder) or shared (HttpClient to a `chroma run`
server); the same calls either way. chromadb is imported on first use because it is
slow to import and a re-scan of an unchanged library never needs it. Vectors come from
our own embedder, so the collection has no embedding function (Chroma's default one
would try to download a model). The exact index (numpy) is likewise imported on first
query.
"""
from __future__ import annotations

import re
from pathlib import Path

from engine.library.errors import LibraryError
from engine.library.types import VectorHit


# Wider graph and search than Chroma's defaults (16 neighbours, ef 100): with many
# near-duplicate chunks (boilerplate pages) the default graph left a distinct chunk
# unreachable, so an exact query missed it.
HNSW_CONFIG = {"hnsw": {"space": "cosine", "max_neighbors": 32, "ef_construction": 200,
                        "ef_search": 200}}


def collection_name(library: str) -> str:
    # Chroma names: 3-512 of [a-zA-Z0-9._-], starting and ending alphanumeric.
    return f"deepdraft-{re.sub(r'[^A-Za-z0-9._-]', '-', library)}-lib"


def parse_server(server: str) -> tuple[str, int]:
    host, _, port = server.strip().rpartition(":")
    if not host or not port.isdigit():
        raise LibraryError(f"chroma_server must be host:port, not {server!r}")
    return host.strip("[]"), int(port)


class ChromaStore:
    def __init__(self, library: str, *, path: Path | None = None, server: str | None = None):
        self._library, self._path, self._server = library, path, server
        self._collection = None
        self._batch = 5000
        self._exact = None      # engine.library.exact_index.ExactIndex, loaded on use
        self._exact_size = -1   # the size it was loaded for

    @property
    def collection(self):
        if self._collection is None:
            client = self._client()
            self._batch = min(self._batch, client.get_max_batch_size())
            self._collection = client.get_or_create_collection(
                collection_name(self._library), configuration=HNSW_CONFIG,
                embedding_function=None)
        return self._collection

    def _client(self):
        import chromadb

        from engine.offline import chroma_settings

        if self._server:
            host, port = parse_server(self._server)
            return chromadb.HttpClient(host=host, port=port, settings=chroma_settings())
        self._path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(self._path), settings=chroma_settings())

    def add(self, ids: list[str], vectors, texts: list[str] | None = None,
            metadatas: list[dict] | None = None) -> None:
        """Upsert vectors by text key: redoing a file after a crash rewrites the same ids.
        The text and the place that first stored it travel along, for machines that
        share a server but not this manifest (`sources`)."""
        self._exact = None
        for start in range(0, len(ids), self._batch):
            end = start + self._batch
            self.collection.upsert(ids=ids[start:end], embeddings=vectors[start:end],
                                   documents=texts[start:end] if texts else None,
                                   metadatas=metadatas[start:end] if metadatas else None)

    def sources(self, ids: list[str]) -> dict[str, tuple[str, dict]]:
        """id -> (text, metadata of the place that first stored it)."""
        if not ids:
            return {}
        found = self.collection.get(ids=ids, include=["documents", "metadatas"])
        return {i: (t or "", m or {}) for i, t, m in
                zip(found["ids"], found["documents"], found["metadatas"])}

    def delete_ids(self, ids: list[str]) -> None:
        self._exact = None
        for start in range(0, len(ids), self._batch):
            self.collection.delete(ids=ids[start:start + self._batch])

    def ids(self) -> list[str]:
        """Every vector id (for consistency checks and the recall benchmark)."""
        return self.collection.get(include=[])["ids"]

    def count(self) -> int:
        return self.collection.count()

    def query(self, vectors, k: int, size: int | None = None) -> list[list[VectorHit]]:
        """Nearest vectors for each query vector, best first: exact (every stored vector
        compared) up to EXACT_MAX vectors, the HNSW graph above. `size` is how many
        vectors the caller knows of (the manifest's count: Chroma's own count() took 12 ms
        at 100,000 vectors); None asks Chroma."""
        from engine.library.exact_index import EXACT_MAX

        if k <= 0:
            return [[] for _ in vectors]
        size = self.count() if size is None else size
        if size <= EXACT_MAX:
            return self._exact_index(size).query(vectors, k)
        result = self.collection.query(query_embeddings=vectors, n_results=k,
                                       include=["distances"])
        return [[VectorHit(i, float(d)) for i, d in zip(ids, dists)]
                for ids, dists in zip(result["ids"], result["distances"])]

    def _exact_index(self, size: int):
        """Every vector in memory, reloaded when the store changed (a write through this
        object, or a size that moved under another process)."""
        from engine.library.exact_index import ExactIndex

        if self._exact is None or self._exact_size != size:
            self._exact, self._exact_size = ExactIndex.load(self.collection, self._batch), size
        return self._exact

    def all_vectors(self):
        """An ExactIndex of every stored vector (brute force, for measuring recall)."""
        from engine.library.exact_index import ExactIndex

        return ExactIndex.load(self.collection, self._batch)
