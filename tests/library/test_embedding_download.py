"""The embedding-model download, against a loopback hub serving files of our own: only
the pinned commit is fetched, every file (the model's code included) must match the
catalogue's size and sha256, the weights are hashed as they stream (never held whole),
and the model's code is trusted only while it still matches."""
from __future__ import annotations

import functools
import hashlib
import http.server
import threading
import tracemalloc

import pytest

from engine.library.embedding_download import (EMBEDDING_MODELS, download_embedding,
                                               embeddings_dir, trusts_own_code)
from engine.library.errors import LibraryError

COMMIT = "0123456789abcdef0123456789abcdef01234567"
REPO = "example/tiny-embedder"
WEIGHTS_BYTES = 48 << 20
FILES = {"config.json": b'{"model_type": "tiny"}',
         "modeling_tiny.py": b"# our own stand-in for a model's code\nVALUE = 1\n",
         "sub/tokenizer.json": b'{"vocab": []}'}


@pytest.fixture
def hub(tmp_path):
    """A loopback server of `<root>/<repo>/resolve/<commit>/<file>`; the branch `main`
    serves other bytes, so fetching it instead of the commit would be caught."""
    root = tmp_path / "hub"
    pinned, moving = root / REPO / "resolve" / COMMIT, root / REPO / "resolve" / "main"
    for folder in (pinned, moving):
        for name, data in FILES.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data if folder == pinned else data + b"\n# changed")
    with open(pinned / "model.safetensors", "wb") as handle:
        for i in range(WEIGHTS_BYTES >> 20):
            handle.write(bytes([i]) * (1 << 20))
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", pinned
    server.shutdown()
    server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _spec(pinned) -> dict:
    files = {}
    for path in sorted(p for p in pinned.rglob("*") if p.is_file()):
        data = path.read_bytes()   # hashed here, at test time, from the served files
        files[path.relative_to(pinned).as_posix()] = {
            "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    return {"repo": REPO, "query_prefix": "Query: ", "trust_remote_code": True,
            "commit": COMMIT, "files": files}


def test_the_pinned_files_arrive_verified_and_hashed_as_they_stream(hub):
    base, pinned = hub
    spec = _spec(pinned)
    tracemalloc.start()
    try:
        folder = download_embedding("tiny", base, spec=spec)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20, f"{peak} bytes held at once for a {WEIGHTS_BYTES}-byte file"
    for name, data in FILES.items():
        assert (folder / name).read_bytes() == data
    assert (folder / "model.safetensors").stat().st_size == WEIGHTS_BYTES
    assert trusts_own_code(folder)


def test_a_file_that_differs_from_the_catalogue_keeps_nothing(hub):
    base, pinned = hub
    spec = _spec(pinned)
    (pinned / "modeling_tiny.py").write_bytes(b"import os  # not what was pinned\n")
    with pytest.raises(LibraryError, match="modeling_tiny.py does not match the pinned"):
        download_embedding("tiny", base, spec=spec)
    assert not list(embeddings_dir().glob("tiny*"))


def test_code_changed_after_the_download_is_not_run(hub):
    base, pinned = hub
    folder = download_embedding("tiny", base, spec=_spec(pinned))
    (folder / "modeling_tiny.py").write_text("VALUE = 2\n")
    with pytest.raises(LibraryError, match="changed since it was verified"):
        trusts_own_code(folder)
    (folder / "modeling_tiny.py").write_bytes(FILES["modeling_tiny.py"])
    (folder / "extra.py").write_text("import os\n")       # a file nobody verified
    with pytest.raises(LibraryError, match="extra.py"):
        trusts_own_code(folder)


def test_an_entry_without_its_commit_and_checksums_is_refused(hub):
    base, _ = hub
    entry = EMBEDDING_MODELS["minicpm-embedding-light"]
    if entry["commit"] and entry["files"]:
        assert len(entry["commit"]) == 40 and all(
            len(f["sha256"]) == 64 and f["size"] > 0 for f in entry["files"].values())
        assert any(name.endswith(".py") for name in entry["files"])   # its code is pinned
        return
    with pytest.raises(LibraryError, match="not pinned to a commit with checksums"):
        download_embedding("minicpm-embedding-light", base)
