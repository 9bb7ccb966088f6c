"""Fetch a model family's released prompt templates, pinned to a commit and verified by
sha256, into a folder beside the model. The project holds only their URLs, commit and
checksums (never their text). Like the model download, this runs only when the user asks.

The base URL is https://raw.githubusercontent.com, or $DEEPDRAFT_TEMPLATES_URL, or the
caller's; a file is `{base}/{repo}/{commit}/{folder}/{file}`.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from engine.atomic import replace
from engine.llm.base import ModelError
from engine.llm.hub_http import open_url

TEMPLATES_ENV = "DEEPDRAFT_TEMPLATES_URL"
DEFAULT_BASE = "https://raw.githubusercontent.com"
MAX_TEMPLATE_BYTES = 1 << 20

# The AgentCPM-Report authors' templates (Apache-2.0), as released with the model.
AGENTCPM_REPORT_TEMPLATES = {
    "repo": "OpenBMB/AgentCPM",
    "commit": "844c00758001b81ef3619fd568cb3ea55d2f5a22",
    "folder": "AgentCPM-Report/prompts",
    "license": "Apache-2.0",
    "files": {
        "surveycpm_search.jinja":
            "72f67d5118c8947ed49c916e7c2a0d480e6d255e5e7211a424d58c1509f930e6",
        "surveycpm_init_plan.jinja":
            "1e20ea26bcfcdf3c2969ce6e752abbb369a889dd70d06c39a8ffa78800ae582c",
        "surveycpm_write.jinja":
            "9638804b816f45068073383b44872acd4741c99277c07daa76148a2db1ec6eb1",
        "surveycpm_extend_plan.jinja":
            "260427c81c64f1ee4d6abbdc29c59492dc20ee6c7e70e438194f329f63be3d97",
    },
}


def templates_base(base_url: str | None = None) -> str:
    return (base_url or os.environ.get(TEMPLATES_ENV) or DEFAULT_BASE).rstrip("/")


def template_url(spec: dict, file: str, base_url: str | None = None) -> str:
    return f"{templates_base(base_url)}/{spec['repo']}/{spec['commit']}/{spec['folder']}/{file}"


def fetch_templates(spec: dict, target: Path, base_url: str | None = None) -> Path:
    """Download every file of `spec` into `target` (replaced whole, only once all
    files arrived and matched their sha256)."""
    partial = target.with_name(target.name + ".part")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        for file, sha256 in spec["files"].items():
            url = template_url(spec, file, base_url)
            response, _ = open_url(url)
            with response:
                data = response.read(MAX_TEMPLATE_BYTES + 1)
            digest = hashlib.sha256(data).hexdigest()
            if digest != sha256:
                raise ModelError(f"checksum mismatch for prompt template {url}: expected "
                                 f"{sha256}, got {digest}; nothing was kept")
            (partial / file).write_bytes(data)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    shutil.rmtree(target, ignore_errors=True)
    replace(partial, target)
    return target
