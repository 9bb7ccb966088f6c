"""`replay:FILE`: serves recorded model replies in order, for deterministic tests and demos.

FILE is JSON Lines, one reply per line as a JSON string. Each reply is streamed in small
pieces like a real model; $DEEPDRAFT_REPLAY_PACE_S seconds between pieces (default none)
play a recorded run at a pace a person can watch (a demo, the screen tour's mid-run
shot). When the file runs out, the next request raises ModelError.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Iterator

from engine.cancel import CancelToken
from engine.llm.approx_tokens import ApproxTokenizer
from engine.llm.base import GenerationRequest, GenerationResult, ModelError, StreamItem, TokenDelta

PIECE_CHARS = 8
PACE_ENV = "DEEPDRAFT_REPLAY_PACE_S"


def load_replies(path: Path) -> list[str]:
    if not path.is_file():
        raise ModelError(f"replay file not found: {path}")
    replies = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            reply = json.loads(line)
        except ValueError as exc:
            raise ModelError(f"{path}:{number}: not a JSON string ({exc})") from None
        if not isinstance(reply, str):
            raise ModelError(f"{path}:{number}: each line must be a JSON string")
        replies.append(reply)
    return replies


def _pace_from_env() -> float:
    value = os.environ.get(PACE_ENV, "")
    try:
        return max(float(value), 0.0) if value else 0.0
    except ValueError:
        raise ModelError(f"{PACE_ENV} must be a number of seconds, not {value!r}") from None


class ReplayBackend:
    def __init__(self, path: str | Path, n_ctx: int | None = None) -> None:
        self.path = Path(path)
        self.name = f"replay:{self.path}"
        self._replies = load_replies(self.path)
        self._next = 0
        self._n_ctx = n_ctx or 32768
        self._tokenizer = ApproxTokenizer()
        self._pace = _pace_from_env()

    def context_size(self) -> int:
        return self._n_ctx

    def tokenize(self, text: str) -> list[int]:
        return self._tokenizer.tokenize(text)

    def detokenize(self, tokens: list[int]) -> str:
        return self._tokenizer.detokenize(tokens)

    def render_prompt(self, messages: list[dict]) -> str:
        return "".join(f"<|{m['role']}|>\n{m['content']}\n" for m in messages)

    def stream(self, request: GenerationRequest,
               cancel: CancelToken | None = None) -> Iterator[StreamItem]:
        if self._next >= len(self._replies):
            raise ModelError(f"replay file {self.path} ran out after {len(self._replies)} "
                             "replies")
        reply = self._replies[self._next]
        self._next += 1
        started = time.perf_counter()
        prompt_tokens = len(self.tokenize(self.render_prompt(request.messages)))
        for start in range(0, len(reply), PIECE_CHARS):
            if cancel is not None and cancel.cancelled:
                yield self._result(reply[:start], "cancelled", prompt_tokens, started)
                return
            if self._pace and start:
                time.sleep(self._pace)
            yield TokenDelta(reply[start:start + PIECE_CHARS])
        yield self._result(reply, "stop", prompt_tokens, started)

    def _result(self, text: str, reason: str, prompt_tokens: int,
                started: float) -> GenerationResult:
        return GenerationResult(text=text, finish_reason=reason, prompt_tokens=prompt_tokens,
                                prompt_tokens_evaluated=prompt_tokens,
                                completion_tokens=len(self.tokenize(text)),
                                decode_seconds=time.perf_counter() - started)

    def close(self) -> None:
        self._replies = []
