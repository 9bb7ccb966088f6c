"""Libraries indexed before repeated text was stored once keep one vector per chunk, under
the chunk's id ("<doc_id>:<n>"). The first ingest or search converts them in place: each
vector is copied to its text's key (engine.library.dedup), with the text and the place
it was stored at (what the old layout kept beside it, for `ChromaStore.sources`), then
the chunk ids are deleted, so nothing is embedded again. Every step can be repeated, so
a kill mid-way is finished by the next open."""
from __future__ import annotations

from engine.library.dedup import text_key

BATCH = 1000


def convert_chunk_vectors(library) -> None:
    manifest, store = library.manifest, library.store
    if manifest.get_meta("vector_ids", "text") != "chunk":
        return
    old_ids = sorted(i for i in store.ids() if ":" in i)
    for start in range(0, len(old_ids), BATCH):
        part = old_ids[start:start + BATCH]
        page = store.collection.get(ids=part, include=["embeddings", "documents", "metadatas"])
        keyed = _by_key(library, page)
        if keyed:
            vectors, texts, metas = zip(*keyed.values())
            store.add(list(keyed), list(vectors), list(texts), list(metas))
        store.delete_ids(part)
    manifest.set_meta("vector_ids", "text")


def _by_key(library, page) -> dict[str, tuple]:
    """key -> (vector, text, metadata), the first chunk of each text in this page. A chunk
    the manifest does not list is an orphan in a local library (dropped), but on a
    shared server it may be another machine's: it is kept, keyed by its stored text."""
    rows = library.manifest.chunks(page["ids"])
    keyed: dict[str, tuple] = {}
    for chunk_id, vector, text, meta in zip(page["ids"], page["embeddings"],
                                            page["documents"], page["metadatas"]):
        if chunk_id in rows:
            key = rows[chunk_id].text_key
        elif library.server and text:
            key = text_key(text)
        else:
            continue
        keyed.setdefault(key, (list(vector), text or "",
                                 meta or {"doc_id": chunk_id.rpartition(":")[0]}))
    return keyed
