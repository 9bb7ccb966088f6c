"""The same library code against a real Chroma server (`chroma run`) on loopback."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engine.library import open_library
from engine.app_settings import update_settings
from tests.library.conftest import PAGE_TEXTS, ingest_all, make_pdf
from tests.real_parts import require


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, proc, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"chroma exited with {proc.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError("chroma server did not start")


@pytest.fixture
def chroma_server(tmp_path):
    chroma = Path(sys.executable).with_name("chroma")
    require(chroma.exists(), "chroma CLI not installed in this environment")
    port = free_port()
    proc = subprocess.Popen([str(chroma), "run", "--path", str(tmp_path / "server-data"),
                             "--port", str(port), "--host", "127.0.0.1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, proc)
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_ingest_and_search_through_a_chroma_server(chroma_server, tmp_path):
    pdf = make_pdf(tmp_path / "shared.pdf", PAGE_TEXTS)
    lib = open_library("team", server=chroma_server)
    done = ingest_all(lib, [pdf])[-1]
    assert done.indexed == 1 and lib.store.count() == len(PAGE_TEXTS)
    hit = lib.search("glaciers retreating", k=1)[0]
    assert hit.page == 2 and hit.path == str(pdf.resolve())
    assert not (lib.folder / "chroma").exists()  # nothing embedded on this machine
    assert ingest_all(lib, [pdf])[-1].skipped == 1
    lib.remove([pdf])
    assert lib.store.count() == 0
    lib.close()


def test_settings_key_selects_the_server(chroma_server, tmp_path):
    update_settings(chroma_server=chroma_server)
    lib = open_library("team")
    assert lib.server == chroma_server
    ingest_all(lib, [make_pdf(tmp_path / "s.pdf", PAGE_TEXTS)])
    lib.close()
    other = open_library("team", server="")  # explicitly embedded: a different, empty store
    assert other.server is None and other.search("glaciers", k=1) == []
    other.close()
    # another machine (a fresh manifest) sees the server's vectors with their sources
    lib = open_library("team", server=chroma_server, hybrid=False)
    lib.manifest.close()
    from engine.library.manifest import Manifest

    lib.manifest = Manifest(tmp_path / "other-machine" / "manifest.sqlite")
    assert lib.search("saffron flowering", k=1)[0].page == 3
