"""The user's private document library: readers, chunking, embeddings, Chroma store,
manifest, retrieval. Public API: `open_library` and `Library` (see engine.library.library).

Importing this package is cheap: chromadb, torch and sentence-transformers load on
first use (opening the vector store, embedding).
"""
from __future__ import annotations


def open_library(name: str = "default", server: str | None = None, **options):
    from engine.library.library import open_library as _open

    return _open(name, server, **options)


__all__ = ["open_library"]
