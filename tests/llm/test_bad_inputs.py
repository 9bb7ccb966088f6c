"""Every bad input fails with an error that names its cause."""
from __future__ import annotations

import http.server
import threading

import pytest

from engine.llm import open_backend
from engine.llm.base import ContextOverflow, GenerationRequest, ModelError, generate
from engine.llm.llama_backend import LlamaBackend
from tests.llm.conftest import free_port, write_replay
from tests.llm.gguf_tools import truncated_copy

HI = [{"role": "user", "content": "hi"}]


def test_missing_model_file(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        open_backend(str(tmp_path / "absent.gguf"))


def test_unknown_model_name():
    with pytest.raises(ModelError, match="unknown model 'nothing-here'"):
        open_backend("nothing-here")


def test_not_a_gguf(tmp_path):
    path = tmp_path / "notes.gguf"
    path.write_text("these are not weights")
    with pytest.raises(ModelError, match="not a GGUF"):
        open_backend(str(path))


def test_truncated_header(tmp_path, demo_model_path):
    path = truncated_copy(demo_model_path, tmp_path / "cut.gguf", 3000)
    with pytest.raises(ModelError, match="truncated"):
        open_backend(str(path))


def test_truncated_weights_fail_to_load(tmp_path, demo_model_path):
    path = truncated_copy(demo_model_path, tmp_path / "cut.gguf", 40_000_000)
    with pytest.raises(ModelError, match="could not load cut.gguf.*complete"):
        open_backend(str(path), n_ctx=512)


def test_context_overflow_before_evaluating(demo_backend):
    long = [{"role": "user", "content": "word " * 900}]
    with pytest.raises(ContextOverflow, match="exceeds the 1024-token context"):
        next(demo_backend.stream(GenerationRequest(messages=long, max_tokens=300)))


def test_gpu_out_of_memory_falls_back_to_fewer_layers(demo_model_path):
    """No GPU here: the injected loader fails like llama.cpp does when offloading more
    layers than fit, then loads for real once few enough are asked for."""
    import llama_cpp

    asked = []

    def loader(**kwargs):
        asked.append(kwargs["n_gpu_layers"])
        if kwargs["n_gpu_layers"] < 0 or kwargs["n_gpu_layers"] > 8:
            raise ValueError("Failed to load model from file (cudaMalloc failed: out of memory)")
        return llama_cpp.Llama(**{**kwargs, "n_gpu_layers": 0})

    backend = LlamaBackend(demo_model_path, n_ctx=512, n_gpu_layers=-1, loader=loader)
    try:
        assert asked == [-1, 15, 7]
        assert backend.n_gpu_layers == 7
        assert any("out of memory" in w and "retrying with 15" in w for w in backend.warnings)
        assert generate(backend, GenerationRequest(messages=HI, max_tokens=2)).completion_tokens
    finally:
        backend.close()


def test_out_of_memory_even_on_cpu_is_a_model_error(demo_model_path):
    def loader(**kwargs):
        raise ValueError("Failed to create llama_context")

    with pytest.raises(ModelError, match="could not load"):
        LlamaBackend(demo_model_path, n_ctx=512, n_gpu_layers=4, loader=loader)


def test_server_down():
    with pytest.raises(ModelError, match="not reachable"):
        open_backend(f"http://127.0.0.1:{free_port()}")


class _Garbage(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b"<html>surprise</html>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST

    def log_message(self, *args):
        pass


@pytest.fixture
def garbage_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Garbage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_server_sending_garbage(garbage_server):
    backend = open_backend(garbage_server)
    # No tokenize endpoint: the local approximation (words, marks, spaces) is in use.
    tokens = backend.tokenize("flood, flood")
    assert len(tokens) == 4 and tokens[0] == tokens[3] != tokens[1]
    assert backend.detokenize(tokens) == "flood, flood"
    with pytest.raises(ModelError, match="not an event stream"):
        generate(backend, GenerationRequest(messages=HI, max_tokens=4))


def test_replay_runs_out(tmp_path):
    backend = open_backend(f"replay:{write_replay(tmp_path / 'r.jsonl', ['only one'])}")
    assert generate(backend, GenerationRequest(messages=HI)).text == "only one"
    with pytest.raises(ModelError, match="ran out after 1 replies"):
        generate(backend, GenerationRequest(messages=HI))


def test_replay_file_with_a_non_string_line(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text('"fine"\n{"not": "a string"}\n')
    with pytest.raises(ModelError, match="r.jsonl:2"):
        open_backend(f"replay:{path}")


def test_replay_pace_that_is_not_a_number(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPDRAFT_REPLAY_PACE_S", "slow")
    with pytest.raises(ModelError, match="DEEPDRAFT_REPLAY_PACE_S must be a number"):
        open_backend(f"replay:{write_replay(tmp_path / 'r.jsonl', ['one'])}")


def test_a_paced_replay_streams_the_same_reply(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPDRAFT_REPLAY_PACE_S", "0.001")
    backend = open_backend(f"replay:{write_replay(tmp_path / 'r.jsonl', ['a' * 40])}")
    pieces = [item for item in backend.stream(GenerationRequest(messages=HI))]
    assert len(pieces) == 6 and pieces[-1].text == "a" * 40


def test_bad_prompt_cache_mode(demo_model_path):
    with pytest.raises(ValueError, match="prompt_cache"):
        open_backend(str(demo_model_path), prompt_cache="sometimes")
