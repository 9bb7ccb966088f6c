"""The backend contract every model runtime implements.

A backend streams one reply for one chat request. The WARP engine needs, besides
generation, the context size and the model's tokenizer (prompt budgeting and the
protocol's 100+50-token abbreviation).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Protocol, Union

from engine.cancel import CancelToken


class ModelError(Exception):
    """A model could not be loaded or could not answer; the message names the cause."""


class ContextOverflow(ModelError):
    """The prompt plus the reply budget does not fit in the model's context window."""


@dataclass
class ReplyFormat:
    """A WARP reply: `<thought>` free text `</thought>` then `<action>` body `</action>`.

    `action_grammar` is GBNF for the action body *including* the closing `</action>`.
    Backends bound the thought to `thought_tokens` and always reach the action: llama.cpp
    generates the two parts in two passes over the same KV cache (bounded repetitions
    in a grammar slow sampling 8-15x); servers get one combined grammar.
    `close_on_length`: free-text actions (write) are closed when their budget runs out;
    `action_tokens` caps the action body (None: whatever max_tokens leaves).
    """

    action_grammar: str
    thought_tokens: int = 160
    action_tokens: int | None = None
    close_on_length: bool = False


@dataclass
class GenerationRequest:
    messages: list[dict]                 # [{"role": "user", "content": "..."}]
    max_tokens: int = 2048
    temperature: float = 0.7
    top_p: float = 0.8
    grammar: str | None = None           # GBNF text constraining the reply
    reply: ReplyFormat | None = None     # structured WARP reply (takes precedence)
    cache_slot: str | None = None        # e.g. the WARP action type; keys prompt-cache reuse
    seed: int | None = None
    stop: list[str] = field(default_factory=list)


@dataclass
class TokenDelta:
    text: str


@dataclass
class GenerationResult:
    text: str
    finish_reason: str                   # "stop" | "length" | "cancelled"
    prompt_tokens: int = 0               # tokens submitted
    prompt_tokens_evaluated: int = 0     # tokens actually evaluated (after cache reuse)
    completion_tokens: int = 0
    prompt_seconds: float = 0.0
    decode_seconds: float = 0.0


StreamItem = Union[TokenDelta, GenerationResult]


class Backend(Protocol):
    name: str

    def context_size(self) -> int: ...

    def tokenize(self, text: str) -> list[int]: ...

    def detokenize(self, tokens: list[int]) -> str: ...

    def render_prompt(self, messages: list[dict]) -> str:
        """The prompt text as the model sees it (chat template applied)."""
        ...

    def stream(self, request: GenerationRequest,
               cancel: CancelToken | None = None) -> Iterator[StreamItem]:
        """Yield TokenDelta pieces, then exactly one GenerationResult last."""
        ...

    def close(self) -> None: ...


def generate(backend: Backend, request: GenerationRequest,
             cancel: CancelToken | None = None) -> GenerationResult:
    """Run a request to completion and return its result (no streaming)."""
    result: GenerationResult | None = None
    for item in backend.stream(request, cancel):
        if isinstance(item, GenerationResult):
            result = item
    if result is None:
        raise ModelError(f"backend {backend.name} ended without a result")
    return result


def count_tokens(backend: Backend, text: str) -> int:
    return len(backend.tokenize(text))
