"""A loopback stand-in for the Hugging Face hub (127.0.0.1, a free port), enough for the
AgentCPM-Report download: the repository listing with sha256 and size, the resolve URL
with X-Linked-ETag and HTTP Range, and stand-in prompt templates (our own short text,
never the authors') served where the pinned release's files would be.

One module for both users: the screenshot tour (desktop.tour.pages) photographs the
Models page mid-download, so it trickles the body at `rate` bytes a second; the tests
cut a transfer short (`cut_after`) or lie about the checksum (`advertised_sha256`) and
read the Range headers they were sent. The product never starts one: its downloads go
where the user asks.
"""
from __future__ import annotations

import hashlib
import http.server
import json
import os
import re
import threading
import time
from pathlib import Path

FILE = "AgentCPM-Report-Q4_K_M.gguf"
BLOCK = 256 << 10


def stand_in_template_spec(templates: dict[str, bytes]) -> dict:
    """The catalogue's template spec with the checksums of stand-in `templates`."""
    from engine.llm.catalog import DOWNLOADABLE

    return dict(DOWNLOADABLE["agentcpm-report"]["prompts"],
                files={n: hashlib.sha256(d).hexdigest() for n, d in templates.items()})


def served_templates(templates: dict[str, bytes], base_url: str) -> dict[str, bytes]:
    """{url path: bytes} of the stand-in `templates`, for the hub at `base_url`."""
    from engine.llm.template_download import template_url

    spec = stand_in_template_spec(templates)
    return {template_url(spec, n, base_url).removeprefix(base_url): d
            for n, d in templates.items()}


def use_stand_in_templates(templates: dict[str, bytes], base_url: str) -> dict[str, bytes]:
    """In this process: the agentcpm-report download fetches `templates` from the hub at
    `base_url` (a test restores the catalogue and environment it patches). Returns what
    the hub must serve."""
    from engine.llm.catalog import DOWNLOADABLE
    from engine.llm.template_download import TEMPLATES_ENV

    DOWNLOADABLE["agentcpm-report"]["prompts"] = stand_in_template_spec(templates)
    os.environ[TEMPLATES_ENV] = base_url
    return served_templates(templates, base_url)


class LoopbackHub:
    """Serves `model` as the catalogue's AgentCPM-Report GGUF; `url` is the base to give
    the download, `files` other paths served as they are, `close()` stops it."""

    def __init__(self, model: Path, rate: int | None = None) -> None:
        from engine.llm.catalog import DOWNLOADABLE

        self.data, self.rate = model.read_bytes(), rate
        self.sha256 = hashlib.sha256(self.data).hexdigest()
        self.repo = DOWNLOADABLE["agentcpm-report"]["repo"]
        self.files: dict[str, bytes] = {}
        self.cut_after: int | None = None     # close the connection after this many bytes
        self.advertised_sha256: str | None = None
        self.range_requests: list[str] = []
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, name="loopback-hub",
                         daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, request, send_body: bool) -> None:
        path = request.path.split("?", 1)[0]
        sha = self.advertised_sha256 or self.sha256
        if path in self.files:
            return _send(request, 200, {}, self.files[path], send_body)
        if path == f"/api/models/{self.repo}":
            listing = json.dumps({"siblings": [{"rfilename": "README.md"}, {
                "rfilename": FILE, "lfs": {"sha256": sha, "size": len(self.data)}}]})
            return _send(request, 200, {}, listing.encode(), send_body)
        if path != f"/{self.repo}/resolve/main/{FILE}":
            return _send(request, 404, {}, b"not found", send_body)
        match = re.match(r"bytes=(\d+)-", request.headers.get("Range", ""))
        start = int(match.group(1)) if match else 0
        headers = {"Accept-Ranges": "bytes", "X-Linked-ETag": f'"{sha}"'}
        if match:
            self.range_requests.append(request.headers["Range"])
            if start >= len(self.data):
                return _send(request, 416, headers, b"", send_body)
            headers["Content-Range"] = f"bytes {start}-{len(self.data) - 1}/{len(self.data)}"
        _send_head(request, 206 if match else 200, headers, len(self.data) - start)
        if send_body:
            self._body(request, start)

    def _body(self, request, start: int) -> None:
        """The body from `start`: cut short once if asked, at `rate` bytes a second if
        set (a loopback copy would be over before a screenshot could see it)."""
        end = len(self.data)
        if self.cut_after is not None:
            end, self.cut_after = min(end, start + self.cut_after), None
            request.close_connection = True
        began = time.monotonic()
        for offset in range(start, end, BLOCK):
            try:
                request.wfile.write(self.data[offset:min(offset + BLOCK, end)])
            except (BrokenPipeError, ConnectionResetError):
                return   # the download was paused, cancelled or refused for disk space
            if self.rate:
                ahead = (offset + BLOCK - start) / self.rate - (time.monotonic() - began)
                if ahead > 0:
                    time.sleep(ahead)


def _handler(hub: LoopbackHub):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server name
            hub.answer(self, send_body=True)

        def do_HEAD(self):  # noqa: N802
            hub.answer(self, send_body=False)

        def log_message(self, *args):
            pass
    return Handler


def _send_head(request, status: int, headers: dict, length: int) -> None:
    request.send_response(status)
    for key, value in {**headers, "Content-Length": str(length)}.items():
        request.send_header(key, value)
    request.end_headers()


def _send(request, status: int, headers: dict, body: bytes, send_body: bool) -> None:
    _send_head(request, status, headers, len(body))
    if send_body:
        try:
            request.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
