"""Interrupted ingests (cancel token, SIGKILL) leave a consistent library; re-running
finishes the rest and never duplicates chunks."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

from engine.cancel import CancelToken
from engine.library import events as ev
from engine.library import open_library
from tests.conftest import REPO
from tests.library.conftest import ingest_all, outcomes

ARTICLES = ["2022_Crimean_Bridge_explosion.txt", "2022_Istanbul_bombing.txt",
            "2022_AFL_Grand_Final.txt"]


def assert_consistent(lib, allow_pending: bool = False) -> None:
    """Chroma holds one vector per distinct text of the manifest's chunks, and nothing
    else (right after a crash, also vectors whose keys are journaled, which the next
    ingest sweeps); every indexed document has all its chunk rows."""
    ids = lib.store.ids()
    keys = lib.manifest.keys()
    extra = set(ids) - keys
    assert len(ids) == len(set(ids))
    assert keys <= set(ids), f"{len(keys - set(ids))} texts without a vector"
    assert not extra or (allow_pending and extra <= lib.manifest.journal()), \
        f"{len(extra)} vectors no chunk holds"
    expected = sum(d.n_chunks for d in lib.documents() if d.status == "indexed")
    assert lib.manifest.chunk_count() == expected


def copy_articles(freshwiki_dir, folder, names=ARTICLES):
    folder.mkdir()
    for name in names:
        shutil.copy(freshwiki_dir / name, folder / name)
    return folder


def test_cancel_between_files(library, tmp_path, freshwiki_dir):
    folder = copy_articles(freshwiki_dir, tmp_path / "wiki", ARTICLES[:3])
    token, seen = CancelToken(), []
    for event in library.ingest([folder], cancel=token):
        seen.append(event)
        if isinstance(event, ev.FileIndexed):
            token.cancel()
    done = seen[-1]
    assert done.cancelled and done.indexed == 1
    assert_consistent(library)
    done = ingest_all(library, [folder])[-1]
    assert (done.indexed, done.skipped, done.cancelled) == (2, 1, False)
    assert_consistent(library)


def test_cancel_mid_file_leaves_pending_then_redoes_it(library, tmp_path, freshwiki_dir):
    folder = copy_articles(freshwiki_dir, tmp_path / "wiki", ARTICLES[:1])
    token, real_embed, calls = CancelToken(), library.embed, []

    def embed_then_cancel(texts, **options):  # cancel after the first batch reached Chroma's
        calls.append(len(texts))               # input
        token.cancel()
        return real_embed(texts, **options)

    library.embed = embed_then_cancel
    done = ingest_all(library, [folder], cancel=token)[-1]
    assert done.cancelled and done.indexed == 0 and len(calls) == 1
    assert [d.status for d in library.documents()] == ["pending"]
    assert library.store.count() == 64  # one batch of vectors landed before the cancel
    assert_consistent(library, allow_pending=True)   # ... and their keys are journaled
    del library.embed
    result = outcomes(ingest_all(library, [folder]))
    assert isinstance(result[ARTICLES[0]], ev.FileIndexed)
    assert_consistent(library)


# The real ingest, observed: after each batch of vectors reaches Chroma the script says so
# and waits for a line on stdin, so the test kills it at a known point of a file.
KILL_SCRIPT = """
import sys
from engine.library import open_library
lib = open_library("killed")
real_add = lib.store.add
def add_then_report(ids, *args):
    real_add(ids, *args)
    print("Stored", ids[0], flush=True)
    sys.stdin.readline()
lib.store.add = add_then_report
for event in lib.ingest([sys.argv[1]]):
    print(type(event).__name__, getattr(event, "path", ""), flush=True)
"""


def test_sigkill_mid_ingest_then_rerun(tmp_path, freshwiki_dir, deepdraft_home):
    folder = copy_articles(freshwiki_dir, tmp_path / "wiki")
    env = {**os.environ, "DEEPDRAFT_HOME": str(deepdraft_home), "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(folder)], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO)
    started = []
    for line in proc.stdout:
        started += [line.split(" ", 1)[1].strip()] if line.startswith("FileStarted") else []
        if line.startswith("Stored") and len(started) == 2:
            break  # the second file's first batch is in Chroma; its manifest row is pending
        if line.startswith("Stored"):
            proc.stdin.write("\n")
            proc.stdin.flush()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    lib = open_library("killed")
    statuses = {os.path.basename(d.path): d.status for d in lib.documents()}
    assert statuses == {os.path.basename(started[0]): "indexed",
                        os.path.basename(started[1]): "pending"}
    assert_consistent(lib, allow_pending=True)
    done = ingest_all(lib, [folder])[-1]
    assert (done.indexed, done.skipped, done.failed) == (2, 1, 0)
    assert_consistent(lib)
    assert lib.search("Crimean bridge explosion", k=1)[0].title == "2022 Crimean Bridge explosion"
    lib.close()
