"""Bad input never stops an ingest: each file ends indexed or failed with a clear reason."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from engine.library import events as ev
from tests.library.conftest import ingest_all, make_pdf, outcomes
from tests.real_parts import require


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


def test_legacy_code_pages_are_indexed_as_written(library, tmp_path):
    from tests.library.test_readers import LEGACY_TEXTS

    for encoding, text in LEGACY_TEXTS.items():
        (tmp_path / f"{encoding}.txt").write_bytes(text.encode(encoding))
    result = outcomes(ingest_all(library, [tmp_path]))
    assert all(isinstance(result[f"{e}.txt"], ev.FileIndexed) for e in LEGACY_TEXTS)
    stored = {}
    for record in library.documents():
        [passage] = library.get_passages([f"{record.doc_id}:0"])
        stored[os.path.basename(record.path)] = passage.text.strip()
    assert stored == {f"{e}.txt": t.split("\n\n")[1] for e, t in LEGACY_TEXTS.items()}


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


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_permission_denied_for_real(tmp_path, deepdraft_home):
    """chmod 000 really refuses the read. Root reads anything, so as root (CI containers)
    `deepdraft library add` runs without the capabilities that let root ignore file
    modes (setpriv), and the kernel refuses it as it refuses any user."""
    folder = tmp_path / "docs"
    folder.mkdir()
    locked = folder / "locked.txt"
    locked.write_text("Nobody may read this.")
    locked.chmod(0)
    command = [str(Path(sys.executable).with_name("deepdraft")), "library", "add", str(folder)]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        require(setpriv, "setpriv (util-linux) to run without root's file capabilities")
        caps = "-dac_override,-dac_read_search"
        command = [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}", *command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "DEEPDRAFT_HOME": str(deepdraft_home)})
    assert result.returncode == 0, result.stderr[-2000:]
    assert re.search(r"^failed\s+\S*locked\.txt: permission denied", result.stdout, re.M), \
        result.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_named_pipe_is_reported_not_read(library, tmp_path):
    """Opening a FIFO with no writer blocks forever: it must never be read."""
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    (tmp_path / "open.txt").write_text("Wind turbines feather their blades in storms.")
    unblock = threading.Timer(60, _feed_eof, args=(pipe,))  # a regression fails, not hangs
    unblock.start()
    try:
        result = outcomes(ingest_all(library, [tmp_path, pipe]))
    finally:
        unblock.cancel()
    assert result["pipe.txt"].reason == "not a regular file"
    assert isinstance(result["open.txt"], ev.FileIndexed)
    assert [os.path.basename(d.path) for d in library.documents()] == ["open.txt"]


def _feed_eof(pipe: Path) -> None:
    try:
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:
        pass  # nobody is reading it: nothing to unblock


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
