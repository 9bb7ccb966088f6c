"""A 300-page PDF opened at page 250 in the evidence pane: the time from selecting the
passage and Open at page to the highlighted page, and the longest event-loop gap
meanwhile.

The PDF is real and built at benchmark time (nothing big is committed): the 285 pages of
MuPDF Explored, then the first pages of another real PDF of the shared corpus, joined with
pymupdf; page 250 is prose. A child process builds and indexes it into the library's
manifest (as ingest would), so pymupdf is not loaded here by the benchmark itself."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.benchmarks.bench_gui_stall import CORPUS
from tests.benchmarks.desktop_views.common import (max_gap_ms, median, settle, show, timed,
                                                    wait_until)

REPO = Path(__file__).resolve().parents[3]
PAGES, PAGE = 300, 250
SOURCES = ("mupdf_explored.pdf", "test-3820.pdf", "2.pdf")   # 285 + 155 + 47 real pages
LIBRARY = "bench-big-pdf"
BUILD = """
import json, sys
from pathlib import Path
import pymupdf
from tests.desktop.evidence_project import manifest_library
folder, corpus, library = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[5]
pages, page = int(sys.argv[3]), int(sys.argv[4])
out = pymupdf.open()
for name in json.loads(sys.argv[6]):
    with pymupdf.open(corpus / name) as doc:
        out.insert_pdf(doc, to_page=min(doc.page_count, pages - out.page_count) - 1)
    if out.page_count == pages:
        break
assert out.page_count == pages, out.page_count
out.save(folder / "joined-300.pdf")
on_page = [p.to_dict() for p in manifest_library(library, folder) if p.page == page]
print(json.dumps(on_page))
"""


def big_pdf_passages() -> list:
    """The passages of page PAGE of a freshly joined PAGES-page PDF, indexed into LIBRARY."""
    from engine.library.types import Passage

    folder = Path(tempfile.mkdtemp(prefix="big-pdf-"))
    env = dict(os.environ, PYTHONPATH=str(REPO))
    out = subprocess.run([sys.executable, "-c", BUILD, str(folder), str(CORPUS / "pymupdf-tests"),
                          str(PAGES), str(PAGE), LIBRARY, json.dumps(SOURCES)],
                         cwd=REPO, env=env, capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"building the {PAGES}-page PDF failed:\n{out.stderr[-2000:]}")
    passages = [Passage.from_dict(p) for p in json.loads(out.stdout.strip().splitlines()[-1])]
    assert passages, f"no passage on page {PAGE}"
    return passages


def _copies(passage, count: int) -> list:
    """The passage in `count` copies of its PDF: each one's page is opened for the first
    time (no cache has it), as the same page of the same file opens only once."""
    import dataclasses

    source = Path(passage.path)
    copies = []
    for number in range(count):
        copy = source.with_name(f"{source.stem}-{number}.pdf")
        shutil.copyfile(source, copy)
        copies.append(dataclasses.replace(passage, path=str(copy)))
    return copies


def _pane():
    from desktop.evidence.panel import EvidencePanel

    panel = EvidencePanel()
    panel.resize(500, 800)
    panel.show()
    panel.library = LIBRARY
    return panel


def _opener(panel, passage):
    """The passage selected in the pane and opened at its page; a wait until the page is
    shown (at once where the GUI thread renders it)."""
    def opened():
        panel.citations = {"big": passage}
        panel.list.clear()
        panel._add("big", passage, 1, True)
        panel.list.setCurrentRow(0)
        panel.open_at_page()

    def shown():
        wait_until(lambda: not getattr(panel.viewer, "pending", False))
    return opened, shown


def _close(panel) -> None:
    if panel.viewer is not None:
        panel.viewer.close()
    panel.close()
    panel.deleteLater()
    settle(200)                         # deleted now, not during the next measurement


def _passage():
    """The longest passage of page PAGE."""
    return max(big_pdf_passages(), key=lambda p: len(p.text))


def bench_big_pdf(runs: int) -> None:
    passage, panel = _passage(), _pane()
    copies = _copies(passage, runs)

    def first_open(copy):
        opened, shown = _opener(panel, copy)
        opened()
        shown()
    label = f"{PAGES}-page PDF opened at page {PAGE}, highlighted"
    show(f"{label}, first time", timed(runs, lambda: first_open(copies.pop())))
    show(f"{label}, again", timed(runs, lambda: first_open(passage)))
    _close(panel)


def max_gaps(args) -> dict:
    """The median, over `runs` copies of the PDF, of the longest gap of its first open at
    page PAGE (the first copy may also start the page process)."""
    passage, panel = _passage(), _pane()
    firsts = [max_gap_ms(*_opener(panel, copy)) for copy in _copies(passage, args.runs)]
    again = [max_gap_ms(*_opener(panel, passage)) for _ in range(2)]
    found = bool(panel.viewer.boxes)
    print(f"big pdf: first opens {firsts} ms, again {again[-1]} ms, passage highlighted: "
          f"{found}", file=sys.stderr)
    _close(panel)
    return {"big_pdf_max_gap_ms": median(firsts)}


def report(args) -> None:
    bench_big_pdf(args.runs)
