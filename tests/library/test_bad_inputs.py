"""Bad input never stops an ingest: each file ends indexed or failed with a clear reason."""
from __future__ import annotations

import os

import pytest

from engine.library import events as ev
from tests.library.conftest import ingest_all, make_pdf, outcomes


def test_zero_byte_and_junk_pdf_fail_and_the_rest_is_indexed(library, tmp_path):
    (tmp_path / "zero.pdf").write_bytes(b"")
    (tmp_path / "junk.pdf").write_bytes(os.urandom(4096))
    (tmp_path / "good.txt").write_text("Tidal power stations turn the sea's rhythm into electricity.")
    result = outcomes(ingest_all(library, [tmp_path]))
    assert result["zero.pdf"].reason == "empty"
    assert result["junk.pdf"].reason == "corrupt"
    assert isinstance(result["good.txt"], ev.FileIndexed)
    failed = {d.path.rsplit("/", 1)[-1]: d.reason for d in library.documents() if d.status == "failed"}
    assert failed == {"zero.pdf": "empty", "junk.pdf": "corrupt"}


def test_failed_file_is_reported_again_but_not_reread(library, tmp_path, monkeypatch):
    (tmp_path / "junk.pdf").write_bytes(b"%PDF-1.7 broken")
    ingest_all(library, [tmp_path])
    import engine.library.ingest as ingest

    def must_not_read(path):
        raise AssertionError("an unchanged failed file was read again")

    monkeypatch.setattr(ingest, "read_document", must_not_read)
    result = outcomes(ingest_all(library, [tmp_path]))
    assert result["junk.pdf"].reason == "corrupt"


def test_file_disappearing_mid_scan(library, tmp_path):
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(f"File {name} talks about migrating cranes over the Alps.")
    events = []
    for event in library.ingest([tmp_path]):
        events.append(event)
        if isinstance(event, ev.FileStarted) and event.path.endswith("a.txt"):
            (tmp_path / "c.txt").unlink()
    result = outcomes(events)
    assert result["c.txt"].reason == "missing"
    assert isinstance(result["b.txt"], ev.FileIndexed)
    assert sorted(os.path.basename(d.path) for d in library.documents()) == ["a.txt", "b.txt"]


def test_two_thousand_page_pdf(library, tmp_path):
    import pymupdf

    doc = pymupdf.open()
    for number in range(1, 2001):
        text = (f"Routine filler page {number}." if number != 1234 else
                "The lighthouse keeper painted the storm shutters bright orange.")
        doc.new_page(width=300, height=200).insert_text((20, 50), text, fontsize=9)
    doc.save(tmp_path / "big.pdf")
    doc.close()
    done = ingest_all(library, [tmp_path / "big.pdf"])
    indexed = outcomes(done)["big.pdf"]
    assert (indexed.pages, indexed.chunks) == (2000, 2000)
    assert library.search("lighthouse keeper paints shutters", k=1)[0].page == 1234
    assert library.get_passages([f"{indexed.doc_id}:1999"])[0].page == 2000


def test_non_utf8_text(library, tmp_path):
    (tmp_path / "latin.txt").write_bytes("Le café de la gare ferme à minuit.".encode("latin-1"))
    (tmp_path / "utf16.txt").write_text("Die Brücke über den Fluß wurde 1890 gebaut.", encoding="utf-16")
    ingest_all(library, [tmp_path])
    texts = {p.text for p in library.search("café bridge", k=2)}
    assert texts == {"Le café de la gare ferme à minuit.", "Die Brücke über den Fluß wurde 1890 gebaut."}


def test_symlink_loops_end(library, tmp_path):
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "real.txt").write_text("Sourdough starters need daily feeding.")
    (folder / "sub" / "back").symlink_to(folder, target_is_directory=True)   # dir loop
    (folder / "self.txt").symlink_to(folder / "self.txt")                   # link to itself
    result = outcomes(ingest_all(library, [folder]))
    assert isinstance(result["real.txt"], ev.FileIndexed)
    assert result["self.txt"].reason == "symlink loop"
    assert len(library.documents()) == 1


def test_permission_denied_is_a_reason(library, tmp_path, monkeypatch):
    import engine.library.ingest as ingest

    (tmp_path / "open.txt").write_text("Wind turbines feather their blades in storms.")
    (tmp_path / "locked.txt").write_text("Nobody may read this.")
    real_read = ingest.read_document

    def read(path):
        if path.name == "locked.txt":  # tests run as root, where chmod 000 blocks nothing
            raise PermissionError(13, "Permission denied", str(path))
        return real_read(path)

    monkeypatch.setattr(ingest, "read_document", read)
    result = outcomes(ingest_all(library, [tmp_path]))
    assert result["locked.txt"].reason == "permission denied"
    assert isinstance(result["open.txt"], ev.FileIndexed)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_permission_denied_for_real(library, tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text("secret")
    path.chmod(0)
    assert outcomes(ingest_all(library, [tmp_path]))["locked.txt"].reason == "permission denied"


def test_unreadable_subfolder_keeps_its_documents(library, tmp_path, monkeypatch):
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "kept.txt").write_text("Moss grows on the north side in this forest.")
    ingest_all(library, [tmp_path])
    import engine.library.scan as scan

    real_scandir = os.scandir

    def scandir(path):
        if os.fspath(path) == str(sub):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(scan.os, "scandir", scandir)
    result = outcomes(ingest_all(library, [tmp_path]))
    assert result["sub"].reason == "permission denied"
    assert [os.path.basename(d.path) for d in library.documents()] == ["kept.txt"]


def test_unsupported_and_missing_paths(library, tmp_path):
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    make_pdf(tmp_path / "ok.pdf", ["A page about comets and their tails."])
    result = outcomes(ingest_all(library, [tmp_path, tmp_path / "nope.pdf"]))
    assert result["photo.jpg"].reason == "unsupported type"
    assert result["nope.pdf"].reason == "missing"
    assert isinstance(result["ok.pdf"], ev.FileIndexed)
