"""The user's private document library: readers, chunking, embeddings, Chroma store,
manifest, retrieval."""
