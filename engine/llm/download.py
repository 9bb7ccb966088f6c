"""Download a catalogue model from a Hugging Face style hub, only when the user asks.

A generator of typed events (started, progress, verifying, done) with a cancel token,
like every long engine job. The bytes go to `<file>.part` in the models folder:
- resumable: an existing .part is continued with an HTTP Range request (a server that
  ignores Range sends the whole file and the .part restarts);
- disk space is checked against the remaining size before any byte is written;
- checksum: the sha256 pinned in the catalogue entry if any, else the one the hub
  publishes: the repository listing's `lfs.sha256` (/api/models/REPO?blobs=true) or the
  `X-Linked-ETag` header of the file URL. No checksum, no download: an unverifiable
  5 GB file is not worth trusting;
- the .part is renamed to its real name only after the checksum and a full GGUF check
  pass, so a partial file is never mistaken for a model. A checksum mismatch deletes
  the .part (resuming corrupt bytes cannot help).
The hub base URL is https://huggingface.co, or $DEEPDRAFT_HUB_URL, or the caller's
(engine.llm.hub_http).
A model with released prompt templates gets them first (small, pinned, verified: see
engine.llm.template_download), so a bad checksum stops before the large download.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from engine.atomic import replace
from engine.cancel import CancelToken
from engine.llm.base import ModelError
from engine.llm.catalog import DOWNLOADABLE, prompts_folder, register
from engine.llm.gguf_header import verify_gguf
from engine.llm.hub_http import hub_url, open_url
from engine.llm.template_download import fetch_templates
from engine.paths import models_dir

CHUNK = 1 << 20
SPACE_MARGIN = 64 << 20
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class RemoteFile:
    url: str
    name: str
    size: int | None
    sha256: str


@dataclass
class DownloadStarted:
    file: str
    total: int | None
    resumed_from: int


@dataclass
class DownloadProgress:
    done: int
    total: int | None


@dataclass
class DownloadVerifying:
    path: Path


@dataclass
class DownloadDone:
    entry: dict


DownloadEvent = DownloadStarted | DownloadProgress | DownloadVerifying | DownloadDone


def _listing(base: str, repo: str) -> list[dict]:
    response, _ = open_url(f"{base}/api/models/{repo}?blobs=true")
    with response:
        try:
            siblings = json.loads(response.read()).get("siblings", [])
        except (ValueError, AttributeError):
            raise ModelError(f"{base} sent an unreadable listing of {repo}") from None
    return [s for s in siblings if isinstance(s, dict) and s.get("rfilename")]


def resolve(spec: dict, base: str, file: str = "") -> RemoteFile:
    """Which file to fetch, its size and its sha256."""
    name, sha, size = file or spec.get("file", ""), spec.get("sha256", ""), None
    if not name or not sha:
        siblings = _listing(base, spec["repo"])
        if not name:
            quant = spec["quant"].lower()
            matches = sorted(s["rfilename"] for s in siblings
                             if s["rfilename"].lower().endswith(".gguf")
                             and quant in s["rfilename"].lower())
            if not matches:
                raise ModelError(f"{spec['repo']} has no {spec['quant']} GGUF file")
            name = matches[0]
        found = next((s for s in siblings if s["rfilename"] == name), {})
        lfs = found.get("lfs") or {}
        sha = sha or lfs.get("sha256", "")
        size = lfs.get("size") or found.get("size")
    url = f"{base}/{spec['repo']}/resolve/main/{name}"
    if not sha or size is None:
        response, hops = open_url(url, method="HEAD")
        response.close()
        etag = next((h.get("X-Linked-ETag") for h in hops if h.get("X-Linked-ETag")), "")
        sha = sha or etag.strip('"').lower()
        length = next((h.get("X-Linked-Size") for h in hops if h.get("X-Linked-Size")),
                      None) or hops[-1].get("Content-Length")
        size = size if size is not None else (int(length) if length else None)
    if not _SHA256.match(sha or ""):
        raise ModelError(f"no sha256 published for {name}: refusing an unverifiable download")
    return RemoteFile(url=url, name=name, size=size, sha256=sha)


def _check_space(folder: Path, needed: int | None) -> None:
    if needed is None:
        return
    free = shutil.disk_usage(folder).free
    if free < needed + SPACE_MARGIN:
        raise ModelError(f"not enough disk space in {folder}: {needed} bytes needed, "
                         f"{free} free")


def _hash_existing(path: Path) -> "hashlib._Hash":
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest


def _fetch(remote: RemoteFile, part: Path, cancel: CancelToken | None
           ) -> Iterator[DownloadEvent]:
    """Append the rest of the file to `part`, resuming from what it already holds."""
    have = part.stat().st_size if part.exists() else 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    response, hops = open_url(remote.url, headers=headers)
    status = getattr(response, "status", None) or getattr(response, "code", 200)
    if status == 416:       # nothing left to send: the .part is already whole
        response.close()
        yield DownloadStarted(remote.name, remote.size, have)
        return
    if status != 206:       # the server ignored Range: start again from byte 0
        have = 0
    _check_space(part.parent, (remote.size - have) if remote.size else None)
    yield DownloadStarted(remote.name, remote.size, have)
    with response, part.open("ab" if have else "wb") as out:
        done = have
        for block in iter(lambda: response.read(CHUNK), b""):
            if cancel is not None:
                cancel.raise_if_cancelled()   # the .part stays for the next attempt
            out.write(block)
            done += len(block)
            yield DownloadProgress(done, remote.size)


def download_model(name: str, *, base_url: str | None = None, file: str = "",
                   cancel: CancelToken | None = None,
                   templates_url: str | None = None) -> Iterator[DownloadEvent]:
    """Fetch catalogue model `name` (and its prompt templates) into the models folder
    and register it."""
    spec = DOWNLOADABLE.get(name)
    if spec is None:
        raise ModelError(f"unknown downloadable model {name!r}; known: "
                         f"{', '.join(sorted(DOWNLOADABLE))}")
    extra = {}
    if spec.get("prompts"):
        folder = fetch_templates(spec["prompts"], prompts_folder(name), templates_url)
        extra = {"prompts": str(folder), "prompts_commit": spec["prompts"]["commit"]}
    try:
        yield from _download_gguf(name, spec, base_url, file, cancel, extra)
    except BaseException:
        # no model, no templates (they are fetched again, in a second, on the next try)
        shutil.rmtree(prompts_folder(name), ignore_errors=True)
        raise


def _download_gguf(name: str, spec: dict, base_url: str | None, file: str,
                   cancel: CancelToken | None, extra: dict) -> Iterator[DownloadEvent]:
    remote = resolve(spec, hub_url(base_url), file)
    target = models_dir() / f"{name}.gguf"
    part = target.with_name(target.name + ".part")
    yield from _fetch(remote, part, cancel)
    if remote.size is not None and part.stat().st_size != remote.size:
        raise ModelError(f"download of {remote.name} ended early: {part.stat().st_size} of "
                         f"{remote.size} bytes (run the download again to resume)")
    yield DownloadVerifying(part)
    digest = _hash_existing(part).hexdigest()   # one pass over the whole file, resumed or not
    if digest != remote.sha256:
        part.unlink()
        raise ModelError(f"checksum mismatch for {remote.name}: expected {remote.sha256}, "
                         f"got {digest}; the partial file was deleted")
    verify_gguf(part)
    replace(part, target)
    yield DownloadDone(register(target, name, "downloaded", sha256=digest, file=remote.name,
                                url=remote.url, **extra))
