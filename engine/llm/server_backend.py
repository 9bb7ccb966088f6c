"""An OpenAI-compatible server (llama.cpp's server, llama-cpp-python's, vLLM, Ollama,
LM Studio) for models that live on another machine.

Streams /v1/chat/completions (server-sent events). Grammars are forwarded in the
`grammar` field, which llama.cpp-based servers honour. Tokenizing uses the server's
tokenize endpoint when it has one (llama-cpp-python: /extras/tokenize; llama.cpp:
/tokenize), else engine.llm.approx_tokens.
"""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Iterator

from engine.cancel import CancelToken
from engine.llm.approx_tokens import ApproxTokenizer
from engine.llm.base import GenerationRequest, GenerationResult, ModelError, StreamItem, TokenDelta

TIMEOUT = 600


class ServerBackend:
    def __init__(self, base_url: str, *, model: str = "", n_ctx: int | None = None) -> None:
        self.base = base_url.rstrip("/").removesuffix("/v1")
        self.model = model
        self.name = f"server:{self.base}"
        self._n_ctx = n_ctx or 4096
        self._approx = ApproxTokenizer()
        self._tokenize_path = self._find_tokenizer()

    def _post(self, path: str, payload: dict, timeout: float = TIMEOUT):
        request = urllib.request.Request(self.base + path, data=json.dumps(payload).encode(),
                                         headers={"Content-Type": "application/json"})
        try:
            return urllib.request.urlopen(request, timeout=timeout)
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace")
            raise ModelError(f"server {self.base} answered {exc.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise ModelError(f"server {self.base} is not reachable: {exc}") from None

    def _find_tokenizer(self) -> str | None:
        for path, body in (("/extras/tokenize", {"input": "probe"}),
                           ("/tokenize", {"content": "probe"})):
            try:
                with self._post(path, body, timeout=10) as response:
                    if "tokens" in json.loads(response.read()):
                        return path
            except (ModelError, ValueError):
                continue
        return None

    def context_size(self) -> int:
        return self._n_ctx

    def tokenize(self, text: str) -> list[int]:
        if self._tokenize_path is None:
            return self._approx.tokenize(text)
        key = "input" if self._tokenize_path.startswith("/extras") else "content"
        with self._post(self._tokenize_path, {key: text}) as response:
            return json.loads(response.read())["tokens"]

    def detokenize(self, tokens: list[int]) -> str:
        if self._tokenize_path is None:
            return self._approx.detokenize(tokens)
        path = self._tokenize_path.replace("tokenize", "detokenize")
        key = "text" if path.startswith("/extras") else "content"
        with self._post(path, {"tokens": tokens}) as response:
            return json.loads(response.read())[key]

    def render_prompt(self, messages: list[dict]) -> str:
        # The server applies the template; this approximation only feeds budgeting.
        return "".join(f"<|{m['role']}|>\n{m['content']}\n" for m in messages)

    def stream(self, request: GenerationRequest,
               cancel: CancelToken | None = None) -> Iterator[StreamItem]:
        payload = {"model": self.model or "default", "messages": request.messages,
                   "max_tokens": request.max_tokens, "temperature": request.temperature,
                   "top_p": request.top_p, "stream": True,
                   "stream_options": {"include_usage": True}}
        if request.grammar:
            payload["grammar"] = request.grammar
        if request.seed is not None:
            payload["seed"] = request.seed
        started = time.perf_counter()
        pieces, finish, usage = [], "stop", {}
        with self._post("/v1/chat/completions", payload) as response:
            for data in _events(response, self.base):
                if cancel is not None and cancel.cancelled:
                    finish = "cancelled"
                    break
                usage = data.get("usage") or usage
                for choice in data.get("choices", []):
                    text = (choice.get("delta") or {}).get("content") or ""
                    if text:
                        pieces.append(text)
                        yield TokenDelta(text)
                    finish = choice.get("finish_reason") or finish
        text = "".join(pieces)
        prompt_tokens = usage.get("prompt_tokens", 0)
        yield GenerationResult(text=text, finish_reason=finish, prompt_tokens=prompt_tokens,
                               prompt_tokens_evaluated=prompt_tokens,
                               completion_tokens=usage.get("completion_tokens", 0),
                               decode_seconds=time.perf_counter() - started)

    def close(self) -> None:
        pass


def _events(response, base: str) -> Iterator[dict]:
    """Parse server-sent events; garbage is a clear error, not a crash."""
    for raw in response:
        line = raw.decode("utf-8", "replace").strip()
        if not line or line.startswith(":"):
            continue
        if not line.startswith("data:"):
            raise ModelError(f"server {base} sent something that is not an event stream: "
                             f"{line[:120]!r}")
        data = line[5:].strip()
        if data == "[DONE]":
            return
        try:
            yield json.loads(data)
        except ValueError:
            raise ModelError(f"server {base} sent malformed JSON: {data[:120]!r}") from None
