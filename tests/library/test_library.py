"""The library end to end with real parts: PDF/DOCX/FreshWiki files, MiniLM, Chroma on disk."""
from __future__ import annotations

import os
import shutil
import sys
import time

from engine.library import events as ev
from engine.library import open_library
from tests.library.conftest import PAGE_TEXTS, ingest_all, outcomes


def test_pdf_hit_carries_its_page(library, pdf_file):
    events = ingest_all(library, [pdf_file])
    assert isinstance(outcomes(events)["known.pdf"], ev.FileIndexed)
    top = library.search("glacier retreat in the valley", k=1)[0]
    assert top.page == 2 and top.path == str(pdf_file.resolve())
    assert "Glaciers" in top.text and top.title == "known"
    top = library.search("when is saffron harvested", k=1)[0]
    assert top.page == 3 and top.heading_path == ["Climate", "Crops"]
    assert top.where() == "p. 3"


def test_events_arrive_in_documented_order(library, pdf_file):
    events = ingest_all(library, [pdf_file.parent])
    kinds = [type(e).__name__ for e in events if not isinstance(e, ev.Phase)]
    assert kinds == ["IngestStarted", "FileStarted", "FileRead", "ChunksEmbedded",
                     "FileIndexed", "Progress", "IngestDone"]
    assert events[0].total_bytes == pdf_file.stat().st_size == events[1].size
    assert events[-1].indexed == 1 and events[-1].chunks == 3


def test_rescan_unchanged_skips_without_embedding(library, freshwiki_subset):
    first = ingest_all(library, [freshwiki_subset])[-1]
    assert first.indexed == 2 and first.embed_seconds > 0
    again = ingest_all(library, [freshwiki_subset])[-1]
    # Its speed is a figure of tests/benchmarks/bench_library_ingest.py, not a unit test.
    assert (again.indexed, again.skipped, again.embed_seconds) == (0, 2, 0.0)


def test_changed_file_is_reindexed_alone_and_deleted_file_removed(library, tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.txt").write_text("Otters hold hands while sleeping in kelp forests.")
    (folder / "b.txt").write_text("Basalt columns form when lava cools slowly.")
    ingest_all(library, [folder])
    (folder / "a.txt").write_text("Otters use rocks as tools to crack open shellfish.")
    os.utime(folder / "a.txt", (time.time() + 5, time.time() + 5))  # a different mtime
    result = outcomes(ingest_all(library, [folder]))
    assert isinstance(result["a.txt"], ev.FileIndexed)
    assert result["b.txt"].reason == "unchanged"
    assert "rocks as tools" in library.search("otters", k=1)[0].text
    (folder / "b.txt").unlink()
    result = outcomes(ingest_all(library, [folder]))
    assert isinstance(result["b.txt"], ev.FileRemoved)
    assert [d.path.endswith("a.txt") for d in library.documents()] == [True]
    assert library.store.count() == library.manifest.chunk_count() == 1


def test_touched_but_identical_file_is_not_reembedded(library, tmp_path):
    path = tmp_path / "same.txt"
    path.write_text("Identical content stays identical.")
    ingest_all(library, [path])
    os.utime(path, (time.time() + 10, time.time() + 10))
    done = ingest_all(library, [path])[-1]
    assert (done.skipped, done.embed_seconds) == (1, 0.0)


def test_remove_and_get_passages(library, pdf_file, freshwiki_subset):
    ingest_all(library, [pdf_file, freshwiki_subset])
    hit = library.search("Crimean bridge explosion", k=1)[0]
    again = library.get_passages([hit.chunk_id, "missing:1"])
    assert [p.chunk_id for p in again] == [hit.chunk_id] and again[0].text == hit.text
    removed = library.remove([freshwiki_subset])
    assert len(removed) == 2
    assert all(p.path == str(pdf_file.resolve()) for p in library.search("Crimea", k=5))
    assert library.store.count() == library.manifest.chunk_count() == len(PAGE_TEXTS)


def test_search_keywords_merges_per_keyword(library, pdf_file, freshwiki_subset):
    ingest_all(library, [pdf_file, freshwiki_subset])
    passages = library.search_keywords(["Crimean Bridge truck bomb", "Istanbul bombing suspect",
                                        "saffron harvest"], budget=10)
    assert len(passages) == 10 and len({p.chunk_id for p in passages}) == 10
    titles = [p.title for p in passages]
    assert titles[:3] == ["2022 Crimean Bridge explosion"] * 3
    assert titles[3:6] == ["2022 Istanbul bombing"] * 3
    assert passages[6].page == 3  # the saffron page answers the third keyword
    assert library.search_keywords([], 10) == []


def test_vector_only_and_hybrid_both_find_the_article(pdf_file, freshwiki_subset):
    for hybrid in (False, True):
        lib = open_library(f"h{int(hybrid)}", hybrid=hybrid)
        ingest_all(lib, [freshwiki_subset])
        assert lib.search("Kerch Strait bridge attack", k=3)[0].title == "2022 Crimean Bridge explosion"
        lib.close()


def test_library_is_reopened_from_disk(pdf_file):
    lib = open_library("persist")
    ingest_all(lib, [pdf_file])
    lib.close()
    reopened = open_library("persist")
    assert reopened.search("harbour crane storm", k=1)[0].page == 1
    assert ingest_all(reopened, [pdf_file])[-1].skipped == 1


def test_importing_the_library_does_not_load_torch_or_chroma():
    import subprocess

    code = ("import sys, engine.cli, engine.library, engine.library.library, engine.library.ingest, "
            "engine.library.embedder, engine.library.vector_store, engine.library.retrieval, "
            "engine.library.readers; "
            "print(sorted(m for m in ('torch', 'sentence_transformers', 'chromadb') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_empty_library_search_does_not_load_anything(library):
    assert library.search("anything", k=5) == []
    assert library.search_keywords(["a", "b"], 10) == []


def test_docx_hit_has_paragraph_locator(library, tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Findings", level=1)
    document.add_paragraph("Bees navigate using the polarisation of sunlight.")
    document.save(tmp_path / "bees.docx")
    shutil.copy(tmp_path / "bees.docx", tmp_path / "copy.docx")
    ingest_all(library, [tmp_path / "bees.docx"])
    hit = library.search("how do bees find their way", k=1)[0]
    assert hit.page is None and hit.locator == "Findings, ¶1" and hit.heading_path == ["Findings"]
