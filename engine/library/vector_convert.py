"""Libraries indexed before repeated text was stored once keep one vector per chunk, under
the chunk's id ("<doc_id>:<n>"). The first ingest or search converts them in place: each
vector is copied to its text's key (engine.library.dedup), then the chunk ids are deleted,
so nothing is embedded again. Every step can be repeated, so a kill mid-way is finished
by the next open."""
from __future__ import annotations


BATCH = 1000


def convert_chunk_vectors(library) -> None:
    manifest, store = library.manifest, library.store
    if manifest.get_meta("vector_ids", "text") != "chunk":
        return
    old_ids = [i for i in store.ids() if ":" in i]
    for start in range(0, len(old_ids), BATCH):
        part = old_ids[start:start + BATCH]
        page = store.collection.get(ids=part, include=["embeddings"])
        rows = manifest.chunks(page["ids"])
        keyed = {rows[i].text_key: list(v) for i, v in zip(page["ids"], page["embeddings"])
                 if i in rows}
        if keyed:
            store.add(list(keyed), list(keyed.values()))
        store.delete_ids(part)
    manifest.set_meta("vector_ids", "text")
