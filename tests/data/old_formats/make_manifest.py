"""Write a library manifest with the Deepdraft code on sys.path (an older release)."""
import sys
from pathlib import Path

from engine.library.manifest import ChunkRow, DocRecord, Manifest

target = Path(sys.argv[1])
manifest = Manifest(target)
manifest.set_meta("embedding_model", "all-MiniLM-L6-v2")
manifest.begin("doc1", "/docs/floods.txt", 120, 1)
record = DocRecord(doc_id="doc1", path="/docs/floods.txt", size=120, mtime_ns=1, sha256="ab",
                   title="Floods", pages=0, n_chunks=2, status="indexed", reason="",
                   detail="", updated=0.0)
manifest.commit_indexed(record, [
    ChunkRow("doc1:0", "doc1", 0, "Monsoon floods closed schools in Sindh.", None, "line 1",
             ["Floods"], 0, 39),
    ChunkRow("doc1:1", "doc1", 1, "巴基斯坦洪水造成重大损失", None, "line 2", ["Floods"], 40, 52)])
manifest.close()
print("wrote", target)
