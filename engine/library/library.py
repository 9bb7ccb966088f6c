"""The public face of a document library. This API is stable; the WARP engine, the CLI
and the desktop use only what is listed here.

    from engine.library import open_library
    lib = open_library("default")               # or server="host:port" for a Chroma server
    for event in lib.ingest(["~/papers"], cancel=token):   # engine.library.events
        ...
    lib.remove(["~/papers/old.pdf"])            # -> list of DocRecord removed
    lib.documents()                              # -> list of DocRecord (path, status, reason...)
    lib.search("text", k=10)                     # -> list[Passage], best first
    lib.search_keywords(["kw1", "kw2"], budget=10)   # WARP merge -> list[Passage]
    lib.get_passages(["<doc_id>:<n>", ...])      # -> list[Passage] in the order asked

Passage fields (engine.library.types): chunk_id, text, doc_id, path, title, page (1-based
or None), locator (paragraph/line/heading position), heading_path, char_start, char_end,
score (cosine similarity; with hybrid search, the fused RRF score).

Defaults come from settings: `chroma_server` (empty = embedded store under the app data
folder), `embedding_model` ("default" = bundled all-MiniLM-L6-v2, or a folder path),
`hybrid_search` (BM25 fused with vectors). One ingest at a time per library.

Each library keeps its own embedding model: the one it was first opened with (an explicit
`model`, else the setting) is recorded in its manifest, with the model's query prefix
(e.g. "Query: " for MiniCPM-Embedding-Light; MiniLM has none), and later opens without
an explicit model use the recorded one.
"""
from __future__ import annotations

import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator

from engine.cancel import CancelToken
from engine.library import retrieval
from engine.library.chunking import ChunkConfig
from engine.library.dedup import best_location
from engine.library.embedder import ENV_BACKEND, get_embedder, model_identity
from engine.library.errors import LibraryError
from engine.library.ingest import run_ingest
from engine.library.manifest import INDEXED, DocRecord, Manifest
from engine.library.types import Passage
from engine.library.vector_convert import convert_chunk_vectors
from engine.library.vector_store import ChromaStore, parse_server
from engine.paths import libraries_dir

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")


def open_library(name: str = "default", server: str | None = None, *, model: str | None = None,
                 hybrid: bool | None = None, chunk_config: ChunkConfig | None = None,
                 query_prefix: str | None = None) -> "Library":
    """Open (creating if needed) library `name`. None arguments fall back to the
    library's recorded embedding model, then to settings."""
    from engine.app_settings import load_settings

    from engine.library.embedding_download import named_model

    settings = load_settings()
    server = settings.chroma_server if server is None else server
    named = named_model(model)             # a downloaded model by name, with its prefix
    if named is not None:
        model, query_prefix = named[0], named[1] if query_prefix is None else query_prefix
    return Library(name, server=server or None, model=model,
                   default_model=settings.embedding_model or "default",
                   hybrid=settings.hybrid_search if hybrid is None else hybrid,
                   chunk_config=chunk_config or ChunkConfig(), query_prefix=query_prefix)


class Library:
    def __init__(self, name: str, *, server: str | None, model: str | None, hybrid: bool,
                 chunk_config: ChunkConfig, default_model: str = "default",
                 query_prefix: str | None = None) -> None:
        if not _NAME.match(name):
            raise LibraryError(f"library names are letters, digits, - and _: {name!r}")
        self.name, self.server, self.model, self.hybrid = name, server, model, hybrid
        self.chunk_config = chunk_config
        self._pool: ThreadPoolExecutor | None = None  # BM25 beside the vector search
        self._embedder: tuple | None = None            # (backend asked, embedder) for queries
        self.folder = libraries_dir() / name
        if server:
            host, port = parse_server(server)
            self.manifest = Manifest(self.folder / f"server-{host}-{port}" / "manifest.sqlite")
            self.store = ChromaStore(name, server=server)
        else:
            self.manifest = Manifest(self.folder / "manifest.sqlite")
            self.store = ChromaStore(name, path=self.folder / "chroma")
        self.model = self.model or self._recorded_model() or default_model
        self._check_model()
        self.query_prefix = self._check_prefix(query_prefix)
        self.embed_seconds = 0.0
        # Chroma's folder deleted or lost while the manifest still lists indexed chunks:
        # searching would silently find nothing, so it fails until the files are re-added.
        self.vectors_lost = (not server and self.manifest.chunk_count() > 0
                             and not (self.folder / "chroma").is_dir())

    def _recorded_model(self) -> str | None:
        """The model folder this library was indexed with (None: the bundled default)."""
        recorded = self.manifest.get_meta("embedding_model")
        return recorded if recorded and recorded != model_identity("default") else None

    def _check_model(self) -> None:
        identity = model_identity(self.model)
        recorded = self.manifest.get_meta("embedding_model")
        if recorded is None:
            self.manifest.set_meta("embedding_model", identity)
        elif recorded != identity:
            raise LibraryError(f"library {self.name!r} was indexed with {recorded}, not {identity}")

    def _check_prefix(self, prefix: str | None) -> str:
        """The query prefix: recorded on first open, fixed afterwards (queries must be
        embedded the way the library's model expects)."""
        recorded = self.manifest.get_meta("query_prefix")
        if recorded is None:
            self.manifest.set_meta("query_prefix", prefix or "")
            return prefix or ""
        if prefix is not None and prefix != recorded:
            raise LibraryError(f"library {self.name!r} embeds queries with prefix "
                               f"{recorded!r}, not {prefix!r}")
        return recorded

    # writing -------------------------------------------------------------------
    def ingest(self, paths, cancel: CancelToken | None = None) -> Iterator:
        """Index files and folders; yields engine.library.events, IngestDone last."""
        if self.vectors_lost:  # every indexed file is redone as it is added again
            for record in self.manifest.documents():
                if record.status == INDEXED:
                    self.manifest.begin(record.doc_id, record.path, record.size, -1)
            self.manifest.clear_journal()
            self.manifest.set_meta("vector_ids", "text")
            self.vectors_lost = False
        convert_chunk_vectors(self)
        return run_ingest(self, [Path(p) for p in paths], cancel)

    def remove(self, paths) -> list[DocRecord]:
        removed = []
        for raw in paths:
            target = str(Path(raw).expanduser().absolute().resolve())
            for record in self.manifest.under(target):
                self.delete_document(record.doc_id)
                removed.append(record)
        return removed

    def delete_document(self, doc_id: str) -> None:
        self.manifest.delete(doc_id)
        self.sweep_vectors()

    def sweep_vectors(self) -> None:
        """Delete the vectors of journaled texts no chunk row holds any more (a shared
        text keeps its vector until its last place goes), then clear the journal."""
        orphans = self.manifest.orphaned_keys()
        if orphans:
            self.store.delete_ids(orphans)
        self.manifest.clear_journal()

    def embed(self, texts: list[str], workers: int | None = None):
        """Vectors for `texts`; `workers`: the threads the ingest chose (engine.threads)."""
        started = time.perf_counter()
        try:
            embedder = get_embedder(self.model)
            if self.manifest.get_meta("embedding_backend") is None:
                self.manifest.set_meta("embedding_backend", embedder.backend)
            return embedder.encode(texts, workers=workers)
        finally:
            self.embed_seconds += time.perf_counter() - started

    def embedding_backends(self) -> dict:
        """Which backend embedded this library first and which one runs now (vectors of
        both are searchable together: see engine.library.embedder)."""
        from engine.library.embedder import requested_backend

        return {"recorded": self.manifest.get_meta("embedding_backend"),
                "requested": requested_backend()}

    # reading -------------------------------------------------------------------
    def documents(self) -> list[DocRecord]:
        return self.manifest.documents()

    def is_empty(self) -> bool:
        """Nothing indexed locally (a server library is never known to be empty)."""
        return not self.server and self.manifest.chunk_count() == 0

    def search(self, text: str, k: int = 10) -> list[Passage]:
        return self._search_many([text], k)[0]

    def search_keywords(self, keywords: list[str], budget: int) -> list[Passage]:
        keywords = [k for k in (str(k).strip() for k in keywords) if k]
        hit_lists = self._search_many(keywords, retrieval.TOP_K_PER_KEYWORD) if keywords else []
        return retrieval.merge_keyword_hits(hit_lists, budget)

    def get_passages(self, chunk_ids: list[str]) -> list[Passage]:
        rows = self.manifest.chunks(list(chunk_ids))
        docs = self.manifest.titles(list({r.doc_id for r in rows.values()}))
        return [retrieval.passage_from_row(rows[c], *docs.get(rows[c].doc_id, ("", "")))
                for c in chunk_ids if c in rows]

    def locations(self, chunk_id: str) -> list[Passage]:
        """Every place in the library holding the same text as chunk `chunk_id` (itself
        included, earliest stored first): what a repeated passage's evidence can show."""
        row = self.manifest.chunks([chunk_id]).get(chunk_id)
        if row is None:
            return []
        count, rows = self.manifest.locations([row.text_key], limit=10_000)[row.text_key]
        docs = self.manifest.titles(list({r.doc_id for r in rows}))
        return [retrieval.passage_from_row(r, *docs.get(r.doc_id, ("", "")), repeats=count - 1)
                for r in rows]

    def _search_many(self, texts: list[str], k: int) -> list[list[Passage]]:
        if not texts:
            return []
        if self.vectors_lost:
            raise LibraryError(
                f"library {self.name!r} has lost its search index (the folder "
                f"{self.folder / 'chroma'} is missing); its document list is kept. "
                "Add its documents again to rebuild the index.")
        # the manifest knows how many texts a local store holds; a shared server's count
        # includes other machines' texts, so Chroma is asked. Read before BM25 starts: the
        # manifest's lock is held for the whole keyword search.
        from engine.library.exact_index import EXACT_MAX   # numpy: only once searching

        size = None if self.server else self.manifest.text_count(at_most=EXACT_MAX + 1)
        if size == 0:
            return [[] for _ in texts]  # nothing indexed: do not load the model
        convert_chunk_vectors(self)
        depth = max(k, retrieval.TOP_K_PER_KEYWORD) * 2 if self.hybrid else k
        # BM25 runs in SQLite (which releases the GIL) while the query embedding and the
        # vector search run here, so hybrid costs about the slower of the two, not the sum.
        lexical = self._keyword_pool().submit(
            lambda: [retrieval.keyword_hits(self.manifest, t, depth) for t in texts]
        ) if self.hybrid else None
        vectors = self._query_embedder().encode_queries([self.query_prefix + t for t in texts])
        vector_lists = self.store.query(vectors, depth, size)
        if lexical is None:
            ranked = [[(h.key, 1.0 - h.distance) for h in hits] for hits in vector_lists]
        else:
            ranked = [self._fuse(text, [h.key for h in hits], [key for key, _ in words])
                      for text, hits, words in zip(texts, vector_lists, lexical.result())]
        return [self._passages(keys, k) for keys in ranked]

    def _query_embedder(self):
        """The loaded embedder, kept: finding it (the model's folder through the import
        system, the settings file) took 15 file-system calls a search, each a chance for
        the BM25 thread to take the interpreter lock; hybrid search lost 3 ms to them at
        100,000 chunks. The environment's backend choice is still followed."""
        wanted = os.environ.get(ENV_BACKEND)
        if self._embedder is None or self._embedder[0] != wanted:
            self._embedder = (wanted, get_embedder(self.model))
        return self._embedder[1]

    def _keyword_pool(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bm25")
        return self._pool

    def _fuse(self, query: str, vector: list[str], keyword: list[str]) -> list[tuple[str, float]]:
        return retrieval.hybrid_fuse(query, vector, keyword, self.manifest.texts(keyword))

    def _passages(self, ranked: list[tuple[str, float]], k: int) -> list[Passage]:
        """The passages of the best `k` text keys: a repeated text once, placed in the
        document that ranks best in this list, with how many other places hold it."""
        found = self.manifest.locations([key for key, _ in ranked[:2 * k]])
        if self.server and len(found) < min(k, len(ranked)):
            return self._shared_passages(ranked[:k], found)
        ranked = [(key, score) for key, score in ranked if key in found][:k]
        doc_rank: dict[str, int] = {}
        for position, (key, _) in enumerate(ranked):
            count, rows = found[key]
            if count == 1:
                doc_rank.setdefault(rows[0].doc_id, position)
        chosen = [(best_location(found[key][1], doc_rank), found[key][0], score)
                  for key, score in ranked]
        docs = self.manifest.titles(list({row.doc_id for row, _, _ in chosen}))
        return [retrieval.passage_from_row(row, *docs.get(row.doc_id, ("", "")), score=score,
                                           repeats=count - 1) for row, count, score in chosen]

    def _shared_passages(self, ranked, found) -> list[Passage]:
        """A shared server's texts that this machine's manifest does not know (another
        machine indexed them): placed where the server says they were first stored."""
        sources = self.store.sources([key for key, _ in ranked if key not in found])
        passages = []
        for key, score in ranked:
            if key in found:
                passages += self._passages([(key, score)], 1)
            elif key in sources:
                passages.append(retrieval.passage_from_source(key, *sources[key], score))
        return passages

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        self.manifest.close()
