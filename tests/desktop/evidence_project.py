"""A report project citing the tour library (resources/tour/library: a PDF, Markdown,
text), built without a model: the documents are read and chunked by the real readers
and written to the library manifest (what the window reads), the passages registered as
the run would, and the sections committed as an agent's write step."""
from __future__ import annotations

from pathlib import Path

from engine.library.chunking import chunk_document
from engine.library.context import manifest_path
from engine.library.ingest import doc_id_for, file_sha256
from engine.library.manifest import ChunkRow, DocRecord, Manifest
from engine.library.readers import read_document
from engine.library.retrieval import passage_from_row
from engine.library.types import Passage
from engine.paths import libraries_dir
from engine.project.project_store import StepRecord
from engine.report.outline import Node, Outline
from engine.report.registry import CitationRegistry

TOUR_LIBRARY = Path(__file__).resolve().parents[2] / "resources" / "tour" / "library"
QUESTION = "What caused the 2022 floods and who was affected?"


def manifest_library(name: str = "default", folder: Path = TOUR_LIBRARY) -> list[Passage]:
    """Index `folder` into library `name`'s manifest; every chunk as a Passage."""
    manifest = Manifest(libraries_dir() / name / "manifest.sqlite")
    passages = []
    try:
        for path in sorted(folder.iterdir()):
            document = read_document(path)
            doc_id, chunks = doc_id_for(str(path)), chunk_document(document)
            rows = [ChunkRow(f"{doc_id}:{c.index}", doc_id, c.index, c.text, c.page, c.locator,
                             list(c.heading_path), c.char_start, c.char_end) for c in chunks]
            stat = path.stat()
            manifest.commit_indexed(DocRecord(doc_id, str(path), stat.st_size, stat.st_mtime_ns,
                                              file_sha256(path), document.title, document.pages,
                                              len(rows), "indexed", "", "", 0.0), rows)
            passages += [passage_from_row(r, document.title, str(path)) for r in rows]
    finally:
        manifest.close()
    assert manifest_path(name) is not None
    return passages


def pdf_passages(passages: list[Passage]) -> list[Passage]:
    return [p for p in passages if p.path.endswith(".pdf")]


def build_project(path: Path, passages: list[Passage]):
    """A project whose first section cites a PDF passage and a Markdown one (keys in
    that order), whose second cites one key twice in a group, and a plan-only third.
    Returns (store, registry keys by passage path suffix)."""
    from engine.warp.run_factory import create_project

    registry = CitationRegistry()
    keyed = registry.register(passages)
    by_kind = {suffix: [k for k, p in keyed if p.path.endswith(suffix)]
               for suffix in (".pdf", ".md", ".txt")}
    pdf, md, txt = by_kind[".pdf"], by_kind[".md"], by_kind[".txt"]
    first = (f"Record **monsoon rain** caused the floods \\cite{{{pdf[0]}}}.\n\n"
             f"- camps sheltered families \\cite{{{md[0]}, {pdf[0]}}}\n- glaciers melted "
             f"\\cite{{{txt[0]}}}\n")
    outline = Outline(title="The 2022 floods", sections=[
        Node("Causes", "rain and glaciers", content=first),
        Node("Impact", "who was affected", content=f"Villages were flooded \\cite{{{pdf[-1]}}}.",
             subsections=[Node("People", "numbers")]),
        Node("Relief", "aid")])
    store = create_project(path, QUESTION, model="demo")
    record = StepRecord(step=1, kind="write", cursor="section-1", attempt=1, prompt="p",
                        raw_reply="r", action=None, valid=True,
                        shown_keys=[k for k, _ in keyed])
    store.commit_step(record, outline, {"steps": 1}, registry)
    return store, by_kind
