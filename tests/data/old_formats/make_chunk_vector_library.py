"""Write a whole library (manifest + Chroma folder) with the Deepdraft code on sys.path,
for a release that stored one vector per chunk (before repeated text was stored once).
Run: DEEPDRAFT_HOME=<home> python make_chunk_vector_library.py <docs folder>"""
import sys
from pathlib import Path

from engine.library import open_library

DISCLAIMER = ("This report is provided for information only. The agency makes no warranty "
              "as to the accuracy of the data and accepts no liability for decisions made "
              "on the basis of it. Figures may be revised without notice.")
DOCS = {
    "otters.md": "# Sea otters\n\nSea otters hold paws while they sleep so that they do not "
                 "drift apart on the tide.\n\n# Diet\n\nThey eat sea urchins, crabs and clams, "
                 "cracking shells on a rock balanced on the chest.\n\n# Notice\n\n" + DISCLAIMER,
    "bridges.md": "# Suspension bridges\n\nA suspension bridge hangs its deck from cables "
                  "draped between towers and anchored at each end.\n\n# Notice\n\n" + DISCLAIMER,
    "log.md": "".join(f"# Entry {n}\n\nThe backup job finished without errors and the disk "
                      "was unmounted.\n\n" for n in range(1, 7)) +
              "# Entry 7\n\nThe cooling fan of rack four failed at midnight and the server "
              "shut itself down.\n",
}

folder = Path(sys.argv[1])
folder.mkdir(parents=True, exist_ok=True)
for name, text in DOCS.items():
    (folder / name).write_text(text, encoding="utf-8")
library = open_library("old", server="", hybrid=True)
for event in library.ingest([folder]):
    pass
print("indexed", library.manifest.chunk_count(), "chunks,", library.store.count(), "vectors")
library.close()
