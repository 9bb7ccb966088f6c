"""Repeated text stored once (real MiniLM, Chroma on disk): one vector per distinct text,
every place it occurs kept, the shared vector right through add, re-index and remove."""
from __future__ import annotations

import os
import time

from engine.library import events as ev
from engine.library import open_library
from tests.library.conftest import ingest_all, outcomes
from tests.library.test_interrupt import assert_consistent

FILLER = ("The quarterly maintenance window is scheduled for Saturday night. All services "
          "will be unavailable for approximately four hours. ")
DISCLAIMER = ("This document is provided for information only and does not constitute "
              "legal advice. The authors accept no liability for decisions based on it.")
NOTES = {
    "otters.txt": "Sea otters hold hands while sleeping so they do not drift apart in kelp.",
    "basalt.txt": "Basalt columns form when thick lava flows cool slowly and crack into prisms.",
    "saffron.txt": "Saffron crocus flowers are picked by hand at dawn in late October.",
}


def write_notes(folder, with_disclaimer=("otters.txt", "basalt.txt")):
    folder.mkdir(exist_ok=True)
    for name, text in NOTES.items():
        tail = f"\n\n# Disclaimer\n\n{DISCLAIMER}\n" if name in with_disclaimer else "\n"
        (folder / name).write_text(f"# Note\n\n{text}\n{tail}", encoding="utf-8")
    return folder


def test_a_file_of_repetition_is_indexed_as_its_distinct_passages(library, tmp_path):
    folder = write_notes(tmp_path / "docs")
    (folder / "filler.txt").write_text(FILLER * 3000, encoding="utf-8")
    result = outcomes(ingest_all(library, [folder]))
    filler = result["filler.txt"]
    assert isinstance(filler, ev.FileIndexed) and filler.chunks > 500
    distinct = library.manifest.text_count()
    assert library.store.count() == distinct < 30          # thousands of chunks, few texts
    assert library.manifest.chunk_count() == sum(d.n_chunks for d in library.documents())
    record = {os.path.basename(d.path): d for d in library.documents()}["filler.txt"]
    assert record.repeated >= 0.99 * record.n_chunks       # all but its first and last chunks
    assert_consistent(library)
    # The ordinary documents are found, and the filler shows up at most once per text.
    for query, name in (("otters sleeping together in the sea", "otters.txt"),
                        ("how lava cools into columns", "basalt.txt"),
                        ("when are saffron flowers harvested", "saffron.txt")):
        hits = library.search(query, k=10)
        assert os.path.basename(hits[0].path) == name, [h.path for h in hits]
        texts = [" ".join(h.text.split()).lower() for h in hits]
        assert len(texts) == len(set(texts))
    # Each distinct filler text is one passage saying how many other places hold it.
    every = library.search("maintenance window services unavailable", k=distinct)
    assert len(every) == distinct
    assert sum(h.repeats + 1 for h in every if h.path.endswith("filler.txt")) == filler.chunks


def test_shared_text_keeps_its_vector_until_its_last_place_goes(library, tmp_path):
    folder = write_notes(tmp_path / "docs")
    ingest_all(library, [folder])
    assert_consistent(library)
    hit = library.search("no liability, not legal advice", k=1)[0]
    assert DISCLAIMER in hit.text and hit.repeats == 1       # two places, one passage
    places = library.locations(hit.chunk_id)
    assert sorted(os.path.basename(p.path) for p in places) == ["basalt.txt", "otters.txt"]
    vectors = library.store.count()

    library.remove([folder / "otters.txt"])                  # one place left: vector stays
    assert_consistent(library)
    assert library.store.count() == vectors - 1              # only the otter note's own text
    hit = library.search("no liability, not legal advice", k=1)[0]
    assert hit.path.endswith("basalt.txt") and hit.repeats == 0

    (folder / "basalt.txt").write_text(f"# Note\n\n{NOTES['basalt.txt']}\n", encoding="utf-8")
    os.utime(folder / "basalt.txt", (time.time() + 5, time.time() + 5))
    result = outcomes(ingest_all(library, [folder / "basalt.txt"]))
    assert isinstance(result["basalt.txt"], ev.FileIndexed)
    assert_consistent(library)                                # re-index dropped its last place
    assert all(DISCLAIMER not in p.text for p in library.search("legal advice liability", k=5))

    (folder / "saffron.txt").write_text(
        f"# Note\n\n{NOTES['saffron.txt']}\n\n# Disclaimer\n\n{DISCLAIMER}\n", encoding="utf-8")
    os.utime(folder / "saffron.txt", (time.time() + 9, time.time() + 9))
    ingest_all(library, [folder / "saffron.txt"])             # the text comes back
    assert_consistent(library)
    assert library.search("no liability, not legal advice", k=1)[0].path.endswith("saffron.txt")


def test_unchanged_text_of_a_changed_file_is_not_embedded_again(library, tmp_path):
    folder = write_notes(tmp_path / "docs")
    ingest_all(library, [folder])
    embedded = []
    real_embed = library.embed
    library.embed = lambda texts, **options: embedded.extend(texts) or real_embed(texts, **options)
    path = folder / "otters.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n# Update\n\nOtters also use stones.\n",
                    encoding="utf-8")
    os.utime(path, (time.time() + 5, time.time() + 5))
    ingest_all(library, [folder])
    assert len(embedded) == 1 and "Otters also use stones." in embedded[0]   # the new text only
    assert_consistent(library)


def test_a_sweep_interrupted_after_removal_is_finished_by_the_next_ingest(tmp_path):
    folder = write_notes(tmp_path / "docs", with_disclaimer=())
    lib = open_library("swept", hybrid=True)
    ingest_all(lib, [folder])

    def dies(ids):   # the process dies between the manifest commit and the vector delete
        raise KeyboardInterrupt

    lib.store.delete_ids = dies
    try:
        lib.remove([folder / "otters.txt"])
    except KeyboardInterrupt:
        pass
    lib.close()
    again = open_library("swept", hybrid=True)
    assert_consistent(again, allow_pending=True)              # the orphan is journaled
    assert again.store.count() == again.manifest.text_count() + 1
    ingest_all(again, [folder / "basalt.txt"])                # any ingest sweeps first
    assert_consistent(again)
    assert again.store.count() == again.manifest.text_count()
    again.close()
