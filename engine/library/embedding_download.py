"""Embedding models offered as a download (only when the user asks), for libraries in
languages the bundled MiniLM does not read well. MiniCPM-Embedding-Light is the one the
AgentCPM-Report authors retrieve with (Chinese and English; queries prefixed "Query: ").

Every file of the hub repository is verified before the folder takes its real name: an
LFS file by the sha256 the hub lists, a small file by its git blob id (sha1 of
"blob <size>\\0" + bytes). A `deepdraft.json` beside the files records the query prefix
and that the model runs its own code (it ships its modeling file)."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from engine.atomic import replace
from engine.library.errors import LibraryError

EMBEDDING_MODELS = {
    "minicpm-embedding-light": {
        "repo": "openbmb/MiniCPM-Embedding-Light", "query_prefix": "Query: ",
        "trust_remote_code": True, "skip": ("results/", "scripts/", "README.md", ".gitattributes"),
        "about": "MiniCPM-Embedding-Light (Chinese and English), about 870 MB",
    },
}
# What Deepdraft records about a downloaded model: its query prefix, whether it runs its
# own code.
MODEL_FACTS_FILE = "deepdraft.json"


def embeddings_dir() -> Path:
    from engine.paths import models_dir

    folder = models_dir() / "embeddings"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def named_model(name: str | None) -> tuple[str, str] | None:
    """(folder, query prefix) of a downloaded embedding model called `name`, else None."""
    if name not in EMBEDDING_MODELS:
        return None
    folder = embeddings_dir() / name
    if not (folder / MODEL_FACTS_FILE).is_file():
        raise LibraryError(f"embedding model {name!r} is not downloaded yet "
                           f"(deepdraft library download-model {name})")
    facts = json.loads((folder / MODEL_FACTS_FILE).read_text(encoding="utf-8"))
    return str(folder), facts.get("query_prefix", "")


def download_embedding(name: str, base_url: str | None = None) -> Path:
    from engine.llm.base import ModelError
    from engine.llm.download import _listing, _open, hub_url

    spec = EMBEDDING_MODELS.get(name)
    if spec is None:
        raise LibraryError(f"unknown embedding model {name!r}; known: "
                           f"{', '.join(sorted(EMBEDDING_MODELS))}")
    base = hub_url(base_url)
    target = embeddings_dir() / name
    partial = target.with_name(name + ".part")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        for sibling in _listing(base, spec["repo"]):
            file = sibling["rfilename"]
            if file.startswith(spec["skip"]):
                continue
            response, _ = _open(f"{base}/{spec['repo']}/resolve/main/{file}")
            with response:
                data = response.read()
            _verify(file, data, sibling)
            (partial / file).parent.mkdir(parents=True, exist_ok=True)
            (partial / file).write_bytes(data)
        (partial / MODEL_FACTS_FILE).write_text(json.dumps(
            {"query_prefix": spec["query_prefix"],
             "trust_remote_code": spec["trust_remote_code"]}), encoding="utf-8")
    except (ModelError, LibraryError) as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise LibraryError(str(exc)) from None
    shutil.rmtree(target, ignore_errors=True)
    replace(partial, target)
    return target


def _verify(file: str, data: bytes, sibling: dict) -> None:
    lfs = sibling.get("lfs") or {}
    if lfs.get("sha256"):
        expected, actual = lfs["sha256"], hashlib.sha256(data).hexdigest()
    elif sibling.get("blobId"):
        expected = sibling["blobId"]
        actual = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
    else:
        raise LibraryError(f"no checksum published for {file}: refusing an unverifiable file")
    if expected != actual:
        raise LibraryError(f"checksum mismatch for {file}: expected {expected}, got {actual}; "
                           "nothing was kept")


def trusts_own_code(folder: Path) -> bool:
    """True for a downloaded model that ships (and needs) its own modeling code."""
    marker = folder / MODEL_FACTS_FILE
    if not marker.is_file():
        return False
    return bool(json.loads(marker.read_text(encoding="utf-8")).get("trust_remote_code"))
