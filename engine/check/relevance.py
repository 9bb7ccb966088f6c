"""Relevance: how close a sentence is to the best passage it cites, by the library's own
embedder (cosine of unit vectors). Passage vectors are kept per chunk, so a section
rechecked after an edit embeds only its sentences."""
from __future__ import annotations

from collections import OrderedDict
from typing import Callable, Sequence

from engine.library.types import Passage

# Chosen by tests/benchmarks/bench_claim_check.py with the bundled MiniLM (figures in
# tests/benchmarks/README.md): the highest-recall point at precision >= 90%. MiniLM has
# almost no Chinese vocabulary, so Chinese sentences score high against any Chinese
# passage; they get their own, higher, point. Another embedding model keeps the English
# point for both until it is measured.
THRESHOLD = 0.20
MINILM_CJK_THRESHOLD = 0.65
_CACHE = 4096


class Relevance:
    def __init__(self, encode: Callable[[list[str]], Sequence], threshold: float = THRESHOLD,
                 prefix: str = "", cjk_threshold: float | None = None) -> None:
        self.encode, self.threshold, self.prefix = encode, threshold, prefix
        self.cjk_threshold = threshold if cjk_threshold is None else cjk_threshold
        self._vectors: OrderedDict[str, object] = OrderedDict()
        self.seconds = 0.0

    def threshold_for(self, sentence: str) -> float:
        from engine.language import cjk_ratio

        return self.cjk_threshold if cjk_ratio(sentence) > 0.3 else self.threshold

    def scores(self, sentences: list[str], cited: list[list[Passage]]) -> list[float]:
        """Best cosine between each sentence and its passages (one batch for all)."""
        import time

        import numpy as np

        started = time.perf_counter()
        todo = {p.chunk_id: p.text for group in cited for p in group
                if p.chunk_id not in self._vectors}
        if todo:
            for chunk_id, vector in zip(todo, self.encode(list(todo.values()))):
                self._vectors[chunk_id] = vector
        mine = self.encode([self.prefix + s for s in sentences]) if sentences else []
        out = []
        for vector, group in zip(mine, cited):
            sims = [float(np.dot(vector, self._vectors[p.chunk_id])) for p in group]
            out.append(max(sims) if sims else 1.0)
        while len(self._vectors) > _CACHE:
            self._vectors.popitem(last=False)
        self.seconds += time.perf_counter() - started
        return out


def library_relevance(library, threshold: float = THRESHOLD) -> Relevance:
    """Relevance by the embedding model the library was indexed with (and its query
    prefix: a sentence is compared as a query against passages)."""
    from engine.library.embedder import DEFAULT_MODEL, get_embedder

    model = getattr(library, "model", None)
    embedder = get_embedder(model)
    minilm = model in (None, "", DEFAULT_MODEL)
    return Relevance(embedder.encode, threshold, getattr(library, "query_prefix", ""),
                     MINILM_CJK_THRESHOLD if minilm else None)
