"""Fixtures for library tests: real files generated on the fly, small FreshWiki subsets."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

PAGE_TEXTS = [
    "The harbour crane collapsed during the autumn storm of 1911.",
    "Glaciers in the northern valley retreated four kilometres since surveys began.",
    "Saffron harvests depend on cool nights and a short flowering window in October.",
]


def make_pdf(path: Path, pages: list[str], toc: list | None = None) -> Path:
    import pymupdf

    doc = pymupdf.open()
    for text in pages:
        page = doc.new_page()
        page.insert_textbox(pymupdf.Rect(50, 50, 550, 800), text, fontsize=11)
    if toc:
        doc.set_toc(toc)
    doc.save(path)
    doc.close()
    return path


@pytest.fixture
def pdf_file(tmp_path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    return make_pdf(folder / "known.pdf", PAGE_TEXTS,
                    toc=[[1, "Ports", 1], [1, "Climate", 2], [2, "Crops", 3]])


@pytest.fixture
def freshwiki_subset(tmp_path, freshwiki_dir):
    """Two FreshWiki articles (one of them the Crimean Bridge explosion) in their own folder."""
    folder = tmp_path / "freshwiki"
    folder.mkdir()
    for name in ("2022_Crimean_Bridge_explosion.txt", "2022_Istanbul_bombing.txt"):
        shutil.copy(freshwiki_dir / name, folder / name)
    return folder


@pytest.fixture
def library():
    from engine.library import open_library

    lib = open_library("test", hybrid=True)
    yield lib
    lib.close()


def ingest_all(lib, paths, cancel=None) -> list:
    return list(lib.ingest(paths, cancel=cancel))


def outcomes(events) -> dict[str, object]:
    """path -> the FileIndexed/FileSkipped/FileFailed/FileRemoved event for it."""
    from engine.library import events as ev

    kinds = (ev.FileIndexed, ev.FileSkipped, ev.FileFailed, ev.FileRemoved)
    return {Path(e.path).name: e for e in events if isinstance(e, kinds)}
