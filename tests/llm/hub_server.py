"""A loopback stand-in for the Hugging Face hub, enough for downloads: the repository
listing with sha256, the resolve URL with X-Linked-ETag and HTTP Range, and switches to
cut a transfer short or lie about the checksum."""
from __future__ import annotations

import hashlib
import http.server
import json
import re
import threading
from pathlib import Path

REPO = "openbmb/AgentCPM-Report-GGUF"
FILE = "AgentCPM-Report-Q4_K_M.gguf"

# Our own test templates (the authors' text never enters the project), served by the
# loopback hub where the pinned release's files would be, with their checksums pinned.
TEST_TEMPLATES = {
    "surveycpm_search.jinja": b"Find {{ current_instruction }} for {{ user_query }}\n",
    "surveycpm_init_plan.jinja": b"Plan {{ user_query }} from {{ current_information }}\n",
    "surveycpm_write.jinja": b"Write {{ current_instruction }}: {{ current_survey }}\n",
    "surveycpm_extend_plan.jinja": b"Deepen {{ current_survey }}\n",
}


def spec_for_test_templates() -> dict:
    """The catalogue's template spec with the test templates' checksums."""
    from desktop.tour.hub import stand_in_template_spec

    return stand_in_template_spec(TEST_TEMPLATES)


def served_test_templates(base_url: str) -> dict[str, bytes]:
    """{url path: bytes} of the test templates, for the hub at `base_url` to serve."""
    from engine.llm.template_download import template_url

    spec = spec_for_test_templates()
    return {template_url(spec, n, base_url).removeprefix(base_url): d
            for n, d in TEST_TEMPLATES.items()}


def use_test_templates(base_url: str) -> dict[str, bytes]:
    """In this process: the agentcpm-report download fetches the test templates from the
    hub at `base_url` (a test restores the catalogue and environment it patches)."""
    import os

    from engine.llm.catalog import DOWNLOADABLE
    from engine.llm.template_download import TEMPLATES_ENV

    DOWNLOADABLE["agentcpm-report"]["prompts"] = spec_for_test_templates()
    os.environ[TEMPLATES_ENV] = base_url
    return served_test_templates(base_url)


class Hub:
    def __init__(self, model: Path) -> None:
        self.data = model.read_bytes()
        self.sha256 = hashlib.sha256(self.data).hexdigest()
        self.cut_after: int | None = None     # close the connection after this many bytes
        self.advertised_sha256: str | None = None
        self.range_requests: list[str] = []
        self.files: dict[str, bytes] = {}     # other paths served as they are (templates)
        hub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                hub.handle(self, send_body=True)

            def do_HEAD(self):  # noqa: N802
                hub.handle(self, send_body=False)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handle(self, request, send_body: bool) -> None:
        sha = self.advertised_sha256 or self.sha256
        if request.path in self.files:
            return self._send(request, 200, self.files[request.path], {}, send_body)
        if request.path.startswith(f"/api/models/{REPO}"):
            body = json.dumps({"siblings": [
                {"rfilename": "README.md"},
                {"rfilename": FILE, "lfs": {"sha256": sha, "size": len(self.data)}}]}).encode()
            return self._send(request, 200, body, {}, send_body)
        if request.path != f"/{REPO}/resolve/main/{FILE}":
            return self._send(request, 404, b"not found", {}, send_body)
        start = 0
        match = re.match(r"bytes=(\d+)-", request.headers.get("Range", ""))
        headers = {"X-Linked-ETag": f'"{sha}"', "Accept-Ranges": "bytes"}
        if match:
            self.range_requests.append(request.headers["Range"])
            start = int(match.group(1))
            if start >= len(self.data):
                return self._send(request, 416, b"", headers, send_body)
            headers["Content-Range"] = f"bytes {start}-{len(self.data) - 1}/{len(self.data)}"
        body = self.data[start:]
        if self.cut_after is not None and send_body:
            request.send_response(206 if match else 200)
            for key, value in {**headers, "Content-Length": str(len(body))}.items():
                request.send_header(key, value)
            request.end_headers()
            request.wfile.write(body[: self.cut_after])
            self.cut_after = None
            request.close_connection = True
            return
        self._send(request, 206 if match else 200, body, headers, send_body)

    @staticmethod
    def _send(request, status, body, headers, send_body) -> None:
        request.send_response(status)
        for key, value in {**headers, "Content-Length": str(len(body))}.items():
            request.send_header(key, value)
        request.end_headers()
        if send_body:
            try:
                request.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass   # the client gave up (disk-space refusal): expected
