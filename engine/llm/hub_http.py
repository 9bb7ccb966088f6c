"""HTTP for what the user asked to download: models from a Hugging Face style hub,
their prompt templates, embedding models. One opener for all of them, so each
downloader (engine.llm.download, engine.llm.template_download,
engine.library.embedding_download) reports an unreachable or refusing server the same
way. The hub base URL is https://huggingface.co, or $DEEPDRAFT_HUB_URL, or the caller's.
"""
from __future__ import annotations

import os
import urllib.error
import urllib.request

from engine.llm.base import ModelError

HUB_ENV = "DEEPDRAFT_HUB_URL"
DEFAULT_HUB = "https://huggingface.co"
TIMEOUT = 60


class _KeepHeaders(urllib.request.HTTPRedirectHandler):
    """Follows redirects and remembers the headers of every hop: the hub puts
    X-Linked-ETag on its redirect, not on the storage server's final answer."""

    def __init__(self) -> None:
        self.seen: list = []

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        self.seen.append(headers)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def open_url(url: str, *, method: str = "GET", headers: dict | None = None):
    """(response, headers of every hop, the last one's last). HTTP 416 (nothing left
    in the requested range) comes back as the response; other errors raise ModelError."""
    keeper = _KeepHeaders()
    opener = urllib.request.build_opener(keeper)
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        response = opener.open(request, timeout=TIMEOUT)
    except urllib.error.HTTPError as exc:
        if exc.code == 416:
            return exc, keeper.seen + [exc.headers]
        raise ModelError(f"{url} answered HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise ModelError(f"cannot reach {url}: {exc}") from None
    return response, keeper.seen + [response.headers]


def hub_url(base_url: str | None = None) -> str:
    return (base_url or os.environ.get(HUB_ENV) or DEFAULT_HUB).rstrip("/")
