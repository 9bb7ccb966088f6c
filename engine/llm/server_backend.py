"""An OpenAI-compatible server (llama.cpp's server, llama-cpp-python's, vLLM, Ollama,
LM Studio) for models that live on another machine.

Streams /v1/chat/completions (server-sent events); the cancel token closes the stream
(llama.cpp-based servers stop generating when the client goes away). Grammars are sent in
the `grammar` field, which llama.cpp-based servers honour; other servers ignore it and
the WARP validator still checks every reply.

Tokenizing uses the server's endpoint when it has one (llama-cpp-python:
/extras/tokenize; llama.cpp: /tokenize), else engine.llm.approx_tokens. The context size
comes from llama.cpp's /props when available, else the caller's n_ctx, else 4096. The
prompt text for budgeting uses the server's chat template when /props shares it.
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
from engine.llm.chat_template import ChatTemplate
from engine.llm.grammar import combined_reply_grammar

TIMEOUT = 600          # seconds without a byte from the server before giving up
PROBE_TIMEOUT = 10
DEFAULT_CTX = 4096
_TOKENIZERS = (("/extras/tokenize", "input", "/extras/detokenize", "text"),
               ("/tokenize", "content", "/detokenize", "content"))


class ServerBackend:
    def __init__(self, base_url: str, *, model: str = "", n_ctx: int | None = None) -> None:
        self.base = base_url.rstrip("/").removesuffix("/v1")
        self.model = model
        self.name = f"server:{self.base}"
        self._approx = ApproxTokenizer()
        self._tokenizer = self._find_tokenizer()  # also proves the server is up
        props = self._props()
        settings = props.get("default_generation_settings") or {}
        self._n_ctx = n_ctx or settings.get("n_ctx") or props.get("n_ctx") or DEFAULT_CTX
        template = props.get("chat_template")
        self._template = ChatTemplate(template) if template else None

    # --- HTTP ----------------------------------------------------------------------------
    def _open(self, path: str, payload: dict | None, timeout: float = TIMEOUT):
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(self.base + path, data=data,
                                         headers={"Content-Type": "application/json"})
        try:
            return urllib.request.urlopen(request, timeout=timeout)
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace")
            raise ModelError(f"server {self.base}{path} answered {exc.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise ModelError(f"server {self.base} is not reachable: {exc}") from None

    def _json(self, path: str, payload: dict | None, timeout: float = TIMEOUT) -> dict:
        with self._open(path, payload, timeout) as response:
            body = response.read()
        try:
            data = json.loads(body)
        except ValueError:
            raise ModelError(f"server {self.base}{path} sent something that is not JSON: "
                             f"{body[:120]!r}") from None
        if not isinstance(data, dict):
            raise ModelError(f"server {self.base}{path} sent unexpected JSON: {body[:120]!r}")
        return data

    def _find_tokenizer(self) -> tuple | None:
        unreachable = None
        for entry in _TOKENIZERS:
            try:
                if isinstance(self._json(entry[0], {entry[1]: "probe"}, PROBE_TIMEOUT)
                              .get("tokens"), list):
                    return entry
            except ModelError as exc:
                if "not reachable" in str(exc):
                    unreachable = exc
        if unreachable is not None:
            raise unreachable
        return None

    def _props(self) -> dict:
        try:
            return self._json("/props", None, PROBE_TIMEOUT)
        except ModelError:
            return {}

    # --- the contract ----------------------------------------------------------------------
    def context_size(self) -> int:
        return int(self._n_ctx)

    def tokenize(self, text: str) -> list[int]:
        if self._tokenizer is None:
            return self._approx.tokenize(text)
        path, key = self._tokenizer[0], self._tokenizer[1]
        return self._json(path, {key: text})["tokens"]

    def detokenize(self, tokens: list[int]) -> str:
        if self._tokenizer is None:
            return self._approx.detokenize(tokens)
        path, key = self._tokenizer[2], self._tokenizer[3]
        return self._json(path, {"tokens": tokens})[key]

    def render_prompt(self, messages: list[dict]) -> str:
        if self._template is not None:
            return self._template.render(messages)
        # The server applies its own template; this approximation only feeds budgeting.
        return "".join(f"<|{m['role']}|>\n{m['content']}\n" for m in messages) + "<|assistant|>\n"

    def _payload(self, request: GenerationRequest) -> dict:
        payload = {"model": self.model or "default", "messages": request.messages,
                   "max_tokens": request.max_tokens, "temperature": request.temperature,
                   "top_p": request.top_p, "stream": True,
                   "stream_options": {"include_usage": True},
                   # The protocol renders prompts with thinking off: a hybrid model's
                   # chat template would otherwise open a think block (servers that
                   # do not know the field ignore it).
                   "chat_template_kwargs": {"enable_thinking": False}}
        if request.reply is not None:   # a server takes one grammar for the whole reply
            payload["grammar"] = combined_reply_grammar(request.reply.action_grammar,
                                                        request.reply.thought_tokens)
        elif request.grammar:
            payload["grammar"] = request.grammar
        if request.seed is not None:
            payload["seed"] = request.seed
        if request.stop:
            payload["stop"] = request.stop
        return payload

    def stream(self, request: GenerationRequest,
               cancel: CancelToken | None = None) -> Iterator[StreamItem]:
        started = time.perf_counter()
        first: float | None = None
        pieces, finish, usage, chunks = [], "length", {}, 0
        with self._open("/v1/chat/completions", self._payload(request)) as response:
            for data in _events(response, self.base):
                usage = data.get("usage") or usage
                for choice in data.get("choices") or []:
                    text = (choice.get("delta") or {}).get("content") or ""
                    if text:
                        first = first or time.perf_counter()
                        chunks += 1
                        pieces.append(text)
                        yield TokenDelta(text)
                    finish = _finish(choice.get("finish_reason")) or finish
                if cancel is not None and cancel.cancelled:
                    finish = "cancelled"
                    break
        ended = time.perf_counter()
        # Servers that send no usage in streams (llama-cpp-python) get our own count.
        prompt_tokens = usage.get("prompt_tokens") or len(
            self.tokenize(self.render_prompt(request.messages)))
        yield GenerationResult(text="".join(pieces), finish_reason=finish,
                               prompt_tokens=prompt_tokens,
                               prompt_tokens_evaluated=prompt_tokens,  # the server does not say
                               completion_tokens=usage.get("completion_tokens", chunks),
                               prompt_seconds=(first or ended) - started,
                               decode_seconds=ended - (first or ended))

    def close(self) -> None:
        """Nothing to release: every request opens and closes its own connection."""


def _finish(reason: str | None) -> str | None:
    if reason is None:
        return None
    return "length" if reason == "length" else "stop"


def _events(response, base: str) -> Iterator[dict]:
    """Parse server-sent events; garbage is a clear error, not a crash."""
    for raw in response:
        line = raw.decode("utf-8", "replace").strip()
        if not line or line.startswith((":", "event:", "id:", "retry:")):
            continue
        if not line.startswith("data:"):
            raise ModelError(f"server {base} sent something that is not an event stream: "
                             f"{line[:120]!r}")
        data = line[5:].strip()
        if data == "[DONE]":
            return
        try:
            event = json.loads(data)
        except ValueError:
            raise ModelError(f"server {base} sent malformed JSON: {data[:120]!r}") from None
        if isinstance(event, dict) and "error" in event:
            raise ModelError(f"server {base} reported an error: {str(event['error'])[:200]}")
        if isinstance(event, dict):
            yield event
