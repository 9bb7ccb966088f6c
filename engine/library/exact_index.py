"""Exact nearest neighbours: every stored vector compared with the query (one matrix
product), the ground truth HNSW is measured against and the search itself for libraries
up to EXACT_MAX vectors.

Why both: HNSW's graph degenerates where many points nearly coincide (near-identical log
lines, a disclaimer in every file): neighbour lists fill with copies and the walk cannot
leave them. Exact search cannot miss and costs well under a millisecond per thousand
vectors; above EXACT_MAX the graph's speed wins (tests/benchmarks/bench_library_recall.py).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.library.types import VectorHit

EXACT_MAX = 10_000


@dataclass
class ExactIndex:
    ids: list[str]
    matrix: np.ndarray          # unit rows, float32

    @property
    def count(self) -> int:
        return len(self.ids)

    @classmethod
    def load(cls, collection, batch: int = 5000) -> "ExactIndex":
        ids, rows, offset = [], [], 0
        while True:
            page = collection.get(include=["embeddings"], limit=batch, offset=offset)
            if not page["ids"]:
                break
            ids += page["ids"]
            rows.append(np.asarray(page["embeddings"], dtype=np.float32))
            offset += len(page["ids"])
        matrix = np.concatenate(rows) if rows else np.zeros((0, 1), np.float32)
        return cls(ids, _unit(matrix))

    def query(self, vectors, k: int) -> list[list]:
        if not self.ids:
            return [[] for _ in vectors]
        similarity = _unit(np.asarray(vectors, dtype=np.float32)) @ self.matrix.T
        k = min(k, len(self.ids))
        hits = []
        for row in similarity:
            top = np.argpartition(-row, k - 1)[:k]
            # ties by id, so equal vectors come back in a fixed order
            top = sorted(top, key=lambda i: (-row[i], self.ids[i]))
            hits.append([VectorHit(self.ids[i], float(1.0 - row[i])) for i in top])
        return hits


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)
