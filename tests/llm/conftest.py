"""Fixtures for the model runtime: the demo model in process (loaded once), a real
llama-cpp-python server on loopback, replay files, and GGUF variants."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from engine.llm.placement import thread_count
from tests.llm.gguf_tools import MINICPM_TEMPLATE, rewrite_gguf

TEST_CTX = 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def demo_backend(demo_model_path):
    from engine.llm import open_backend

    backend = open_backend(str(demo_model_path), n_ctx=TEST_CTX)
    yield backend
    backend.close()


def _wait_until_up(url: str, process: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"llama_cpp.server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/v1/models", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("llama_cpp.server did not come up")


@pytest.fixture(scope="session")
def llama_server(demo_model_path, tmp_path_factory):
    """`python -m llama_cpp.server` with the demo model on a free loopback port."""
    port = free_port()
    log = (tmp_path_factory.mktemp("server") / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(demo_model_path),
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(TEST_CTX),
         "--n_threads", str(thread_count())], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, 120)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def server_backend(llama_server):
    from engine.llm import open_backend

    return open_backend(llama_server, server_model="demo")


def write_replay(path: Path, replies: list[str]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in replies), encoding="utf-8")
    return path


@pytest.fixture
def replay_backend(tmp_path):
    from engine.llm import open_backend

    long_reply = " ".join(f"word{i}" for i in range(200))
    path = write_replay(tmp_path / "replies.jsonl", [long_reply] * 10)
    return open_backend(f"replay:{path}")


@pytest.fixture(scope="session")
def minicpm_gguf(demo_model_path, tmp_path_factory) -> Path:
    """The demo model with a MiniCPM-style chat template that branches on enable_thinking."""
    return rewrite_gguf(demo_model_path, tmp_path_factory.mktemp("gguf") / "minicpm-style.gguf",
                        chat_template=MINICPM_TEMPLATE)


@pytest.fixture(scope="session")
def no_template_gguf(demo_model_path, tmp_path_factory) -> Path:
    return rewrite_gguf(demo_model_path, tmp_path_factory.mktemp("gguf") / "no-template.gguf",
                        chat_template=None)
