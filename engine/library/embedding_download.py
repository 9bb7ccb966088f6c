"""Embedding models offered as a download (only when the user asks), for libraries in
languages the bundled MiniLM does not read well. MiniCPM-Embedding-Light is the one the
AgentCPM-Report authors retrieve with (Chinese and English; queries prefixed "Query: ").

The catalogue pins each model to a hub commit and keeps the size and sha256 of every file
it needs, the model's own Python code included: nothing is taken from a moving branch or
from a listing the same server sends. Each file is hashed as it streams to disk (never
read whole: the weights are about 870 MB) and the folder takes its real name only when
every file matched. `deepdraft.json` beside the files records the commit, the query prefix
and the sha256 of each file; the model's code runs (trust_remote_code) only while every
`.py` file in the folder still matches it (`trusts_own_code`).

A catalogue entry without its commit and checksums cannot be downloaded: this version
does not carry them for MiniCPM-Embedding-Light yet (they were not reachable offline when
the pinning was written), so `download-model` refuses it with that reason rather than
run unverified code. Fill `commit` and `files` from the hub's
`/api/models/openbmb/MiniCPM-Embedding-Light/tree/<commit>?recursive=true` (`lfs.oid` is
the sha256 of a weights file; hash the small files).
"""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from engine.atomic import replace
from engine.library.errors import LibraryError

CHUNK = 1 << 20
EMBEDDING_MODELS = {
    "minicpm-embedding-light": {
        "repo": "openbmb/MiniCPM-Embedding-Light", "query_prefix": "Query: ",
        "trust_remote_code": True,
        "commit": None,   # a 40-hex hub commit; None: not pinned yet, download refused
        "files": {},      # {path: {"size": bytes, "sha256": hex}}, every file it needs
        "about": "MiniCPM-Embedding-Light (Chinese and English), about 870 MB",
    },
}
# What Deepdraft records about a downloaded model: its query prefix, whether it runs its
# own code, the commit and each file's sha256.
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


def download_embedding(name: str, base_url: str | None = None,
                       spec: dict | None = None) -> Path:
    """Fetch `name` (or the entry `spec`) at its pinned commit, every file verified."""
    from engine.llm.base import ModelError
    from engine.llm.hub_http import hub_url

    spec = spec or EMBEDDING_MODELS.get(name)
    if spec is None:
        raise LibraryError(f"unknown embedding model {name!r}; known: "
                           f"{', '.join(sorted(EMBEDDING_MODELS))}")
    if not spec.get("commit") or not spec.get("files"):
        raise LibraryError(f"{name} is not pinned to a commit with checksums in this version "
                           "of Deepdraft; it is not downloaded, so none of its code runs "
                           "unverified")
    base = f"{hub_url(base_url)}/{spec['repo']}/resolve/{spec['commit']}"
    target = embeddings_dir() / name
    partial = target.with_name(name + ".part")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        for file, expected in spec["files"].items():
            _fetch_verified(f"{base}/{file}", partial / file, file, expected)
        facts = {"query_prefix": spec["query_prefix"], "commit": spec["commit"],
                 "trust_remote_code": spec["trust_remote_code"],
                 "sha256": {f: e["sha256"] for f, e in spec["files"].items()}}
        (partial / MODEL_FACTS_FILE).write_text(json.dumps(facts), encoding="utf-8")
    except (ModelError, LibraryError, OSError) as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise LibraryError(str(exc)) from None
    shutil.rmtree(target, ignore_errors=True)
    replace(partial, target)
    return target


def _fetch_verified(url: str, path: Path, file: str, expected: dict) -> None:
    """Stream `url` into `path`, hashing as it goes; raise unless size and sha256 match."""
    from engine.llm.hub_http import open_url

    digest, size = hashlib.sha256(), 0
    path.parent.mkdir(parents=True, exist_ok=True)
    response, _ = open_url(url)
    with response, path.open("wb") as out:
        for block in iter(lambda: response.read(CHUNK), b""):
            size += len(block)
            if size > expected["size"]:
                break   # longer than pinned: no need to read the rest
            digest.update(block)
            out.write(block)
    if size != expected["size"] or digest.hexdigest() != expected["sha256"]:
        raise LibraryError(f"{file} does not match the pinned commit (expected "
                           f"{expected['size']} bytes, sha256 {expected['sha256']}); "
                           "nothing was kept")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def trusts_own_code(folder: Path) -> bool:
    """True for a downloaded model that ships its own modeling code, and only while every
    `.py` file in the folder still has the sha256 recorded at download: a file changed or
    added since then is never run (LibraryError)."""
    marker = folder / MODEL_FACTS_FILE
    if not marker.is_file():
        return False
    facts = json.loads(marker.read_text(encoding="utf-8"))
    if not facts.get("trust_remote_code"):
        return False
    recorded = facts.get("sha256", {})
    code = [p for p in folder.rglob("*.py") if "__pycache__" not in p.parts]
    changed = [p.relative_to(folder).as_posix() for p in code
               if recorded.get(p.relative_to(folder).as_posix()) != file_sha256(p)]
    if changed:
        raise LibraryError(f"the model code in {folder} changed since it was verified "
                           f"({', '.join(changed)}); it was not run. Download the model again.")
    return True
