"""A library written by the release that stored one vector per chunk (tests/data/old_formats/
library-chunk-vectors, made by that release's own code) is converted in place to one
vector per distinct text when opened: every chunk row and location kept, nothing embedded
again, search answers, and a SIGKILL in the middle leaves a library the next open finishes."""
from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys

from engine.library import open_library
from engine.library.dedup import text_key
from tests.conftest import REPO
from tests.library.test_interrupt import assert_consistent

OLD = REPO / "tests" / "data" / "old_formats" / "library-chunk-vectors"


def old_library(home) -> dict[str, str]:
    """The old library copied under `home`; returns chunk_id -> text as the old code stored it."""
    folder = home / "libraries" / "old"
    shutil.copytree(OLD, folder)
    db = sqlite3.connect(folder / "manifest.sqlite")
    try:
        return dict(db.execute("SELECT chunk_id, text FROM chunks"))
    finally:
        db.close()


def chroma_ids(lib) -> list[str]:
    return sorted(lib.store.ids())


def test_an_old_library_gets_one_vector_per_distinct_text(deepdraft_home):
    chunks = old_library(deepdraft_home)
    keys = {text_key(t) for t in chunks.values()}
    assert len(chunks) == 12 and len(keys) == 6          # a repeated log line, a shared disclaimer
    lib = open_library("old")
    assert chroma_ids(lib) == sorted(chunks)              # still per chunk until first used
    hits = lib.search("cooling fan failure in the server rack", k=3)
    assert hits[0].text.startswith("The cooling fan of rack four failed")
    assert chroma_ids(lib) == sorted(keys)                # one vector per distinct text
    assert lib.manifest.get_meta("vector_ids") == "text"
    assert_consistent(lib)
    # every location kept: all chunk rows, each text's places listed
    assert {c.chunk_id: c.text for c in lib.manifest.chunks(list(chunks)).values()} == chunks
    backup = next(c for c, t in chunks.items() if t.startswith("The backup job"))
    assert len(lib.locations(backup)) == 6
    passage = lib.search("backup finished and disk unmounted", k=1)[0]
    assert passage.repeats == 5 and passage.path.endswith("log.md")
    disclaimer = lib.search("the agency accepts no liability for the data", k=1)[0]
    assert disclaimer.repeats == 1
    # the vector kept its text and first place, as a shared server's other machines read it
    text, meta = lib.store.sources([passage_key(disclaimer)])[passage_key(disclaimer)]
    assert text == disclaimer.text and meta["doc_id"] in {disclaimer.doc_id,
                                                          *(p.doc_id for p in lib.locations(
                                                              disclaimer.chunk_id))}
    lib.close()


def passage_key(passage) -> str:
    return text_key(passage.text)


# The conversion, observed: vector_convert.BATCH is 2 and after each batch's chunk ids are
# deleted the script says so and waits, so the test kills it between two batches.
KILL_SCRIPT = """
import sys
from engine.library import open_library, vector_convert
vector_convert.BATCH = 2
lib = open_library("old")
real_delete = lib.store.delete_ids
def delete_then_report(ids):
    real_delete(ids)
    print("Deleted", len(ids), flush=True)
    sys.stdin.readline()
lib.store.delete_ids = delete_then_report
lib.search("cooling fan", k=1)
print("Finished", flush=True)
"""


def test_sigkill_mid_conversion_leaves_a_library_the_next_open_finishes(deepdraft_home):
    chunks = old_library(deepdraft_home)
    env = {**os.environ, "DEEPDRAFT_HOME": str(deepdraft_home), "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT], env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, cwd=REPO)
    batches = 0
    for line in proc.stdout:
        if line.startswith("Deleted"):
            batches += 1
            if batches == 3:
                break       # 6 of the 12 chunk ids converted and gone
            proc.stdin.write("\n")
            proc.stdin.flush()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert batches == 3
    lib = open_library("old")
    ids = chroma_ids(lib)
    assert len([i for i in ids if ":" in i]) == 6            # half still per chunk
    assert lib.manifest.get_meta("vector_ids") == "chunk"
    assert lib.search("cooling fan failure in the server rack", k=1)[0].text.startswith(
        "The cooling fan of rack four failed")
    assert chroma_ids(lib) == sorted({text_key(t) for t in chunks.values()})
    assert_consistent(lib)
    lib.close()
