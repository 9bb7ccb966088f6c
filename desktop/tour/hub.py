"""The screenshot tour's model hub: a loopback-only HTTP server (127.0.0.1, a free port)
that stands where the Hugging Face hub stands for the AgentCPM-Report download, so the
tour can photograph the Models page mid-download without touching the network.

It serves the bundled demo GGUF under the catalogue's repository and file name, with the
repository listing (size, sha256) and HTTP Range that engine.llm.download expects, at a
capped rate so the download lasts long enough to be seen. The download fetches prompt
templates first; the tour serves its own short stand-ins (never the authors' text) and
`tour_download` points the engine process's catalogue at their checksums. Only
desktop.tour.offscreen uses this module; the product's downloads go where the user asks.
"""
from __future__ import annotations

import hashlib
import http.server
import json
import re
import threading
import time
from pathlib import Path

FILE = "AgentCPM-Report-Q4_K_M.gguf"
RATE_BYTES_S = 24 << 20          # about 4 s for the 94 MB demo model
BLOCK = 256 << 10
TEMPLATES = {   # the tour's stand-ins for the released templates (our own words)
    "surveycpm_search.jinja": b"Keywords for {{ current_instruction }}: {{ user_query }}\n",
    "surveycpm_init_plan.jinja": b"An outline for {{ user_query }}\n",
    "surveycpm_write.jinja": b"Write {{ current_instruction }} from the passages\n",
    "surveycpm_extend_plan.jinja": b"Deepen {{ current_survey }} where it is thin\n",
}


def stand_in_template_spec(templates: dict[str, bytes]) -> dict:
    """The catalogue's template spec with the checksums of stand-in `templates` (the tour's
    here, the tests' loopback hub's there)."""
    from engine.llm.catalog import DOWNLOADABLE

    return dict(DOWNLOADABLE["agentcpm-report"]["prompts"],
                files={n: hashlib.sha256(d).hexdigest() for n, d in templates.items()})


def tour_template_spec() -> dict:
    return stand_in_template_spec(TEMPLATES)


def tour_download(name: str, base_url: str):
    """The Models page's download job, fetching the tour's templates from the tour hub
    (runs in the tour's own engine process; importable by name for desktop.engine_link.jobs.JobSpec)."""
    import os

    from desktop.models.jobs import _download
    from engine.llm.catalog import DOWNLOADABLE
    from engine.llm.template_download import TEMPLATES_ENV

    DOWNLOADABLE[name]["prompts"] = tour_template_spec()
    os.environ[TEMPLATES_ENV] = base_url
    return _download(name, base_url)


class TourHub:
    """`url` is the base to give the Models page; `close()` stops the server."""

    def __init__(self, model: Path, rate: int = RATE_BYTES_S) -> None:
        from engine.llm.catalog import DOWNLOADABLE
        from engine.llm.template_download import template_url

        self.data, self.rate = model.read_bytes(), rate
        self.sha256 = hashlib.sha256(self.data).hexdigest()
        self.repo = DOWNLOADABLE["agentcpm-report"]["repo"]
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        spec = tour_template_spec()
        self.files = {template_url(spec, n, self.url).removeprefix(self.url): data
                      for n, data in TEMPLATES.items()}
        threading.Thread(target=self.server.serve_forever, name="tour-hub",
                         daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, request, send_body: bool) -> None:
        path = request.path.split("?", 1)[0]
        if path in self.files:
            return _send(request, 200, {}, self.files[path] if send_body else b"",
                         len(self.files[path]))
        if path == f"/api/models/{self.repo}":
            listing = json.dumps({"siblings": [{"rfilename": FILE, "lfs": {
                "sha256": self.sha256, "size": len(self.data)}}]}).encode()
            return _send(request, 200, {}, listing if send_body else b"", len(listing))
        if path != f"/{self.repo}/resolve/main/{FILE}":
            return _send(request, 404, {}, b"", 0)
        match = re.match(r"bytes=(\d+)-", request.headers.get("Range", ""))
        start = int(match.group(1)) if match else 0
        headers = {"Accept-Ranges": "bytes", "X-Linked-ETag": f'"{self.sha256}"'}
        if match:
            headers["Content-Range"] = f"bytes {start}-{len(self.data) - 1}/{len(self.data)}"
        _send(request, 206 if match else 200, headers, b"", len(self.data) - start)
        if send_body:
            self._trickle(request, start)

    def _trickle(self, request, start: int) -> None:
        """The body at `rate` bytes a second (a loopback copy would be over at once)."""
        began = time.monotonic()
        for offset in range(start, len(self.data), BLOCK):
            try:
                request.wfile.write(self.data[offset:offset + BLOCK])
            except (BrokenPipeError, ConnectionResetError):
                return   # the download was paused or cancelled
            ahead = (offset + BLOCK - start) / self.rate - (time.monotonic() - began)
            if ahead > 0:
                time.sleep(ahead)


def _handler(hub: TourHub):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server name
            hub.answer(self, send_body=True)

        def do_HEAD(self):  # noqa: N802
            hub.answer(self, send_body=False)

        def log_message(self, *args):
            pass
    return Handler


def _send(request, status: int, headers: dict, body: bytes, length: int) -> None:
    request.send_response(status)
    for key, value in {**headers, "Content-Length": str(length)}.items():
        request.send_header(key, value)
    request.end_headers()
    if body:
        request.wfile.write(body)
