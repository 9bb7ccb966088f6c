"""llama.cpp in-process (llama-cpp-python): the default runtime.

Loads a GGUF, applies its own chat template (thinking disabled), places layers on the
GPU when there is room (falling back to fewer layers when loading fails), sizes the
context from the trained length and free memory, constrains replies with GBNF grammars,
and reuses KV state per action type (engine.llm.prompt_cache).
"""
from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Callable, Iterator

from engine.cancel import CancelToken
from engine.llm import placement
from engine.llm.base import (ContextOverflow, GenerationRequest, GenerationResult, ModelError,
                             StreamItem, TokenDelta)
from engine.llm.chat_template import ChatTemplate
from engine.llm.gguf_header import GGUFInfo, read_gguf
from engine.llm.prompt_cache import MODES, SlotCache, common_prefix

LOAD_ERRORS = (ValueError, RuntimeError, MemoryError, OSError)


class LlamaBackend:
    def __init__(self, path: str | Path, *, n_ctx: int | None = None,
                 n_gpu_layers: int | None = None, prompt_cache: str = "slots",
                 cache_bytes: int | None = None, template_fallback: str | None = None,
                 loader: Callable | None = None) -> None:
        if prompt_cache not in MODES:
            raise ValueError(f"prompt_cache must be one of {MODES}")
        self.path = Path(path)
        self.name = self.path.name
        self.info: GGUFInfo = read_gguf(self.path)
        self.warnings: list[str] = []
        self.mode = prompt_cache
        free_gpu = placement.free_gpu_bytes()
        self.n_ctx = placement.choose_n_ctx(self.info, n_ctx, placement.free_ram_bytes())
        layers = placement.choose_gpu_layers(self.info, self.n_ctx, n_gpu_layers,
                                             placement.gpu_offload_supported(), free_gpu)
        self.llm = self._load(loader, layers)
        self.template = ChatTemplate(self.info.chat_template, bos=self._special(self.llm.token_bos()),
                                     eos=self._special(self.llm.token_eos()),
                                     fallback=template_fallback, model_name=self.name)
        ram_cap = placement.free_ram_bytes() // 4
        self.cache = SlotCache(cache_bytes or min(2 << 30, ram_cap))
        self._grammars: dict[str, object] = {}

    # --- loading ---------------------------------------------------------------------
    def _load(self, loader: Callable | None, layers: int):
        import llama_cpp

        loader = loader or llama_cpp.Llama
        while True:
            try:
                llm = loader(model_path=str(self.path), n_ctx=self.n_ctx, n_gpu_layers=layers,
                             n_threads=placement.thread_count(), verbose=False)
                self.n_gpu_layers = layers
                return llm
            except LOAD_ERRORS as exc:
                if layers == 0:
                    raise ModelError(f"llama.cpp could not load {self.name}: {exc} (is the "
                                     "file complete? a truncated download fails here)") from None
                fewer = (self.info.n_layers or 2) // 2 if layers < 0 else layers // 2
                self.warnings.append(f"loading with {'all' if layers < 0 else layers} GPU "
                                     f"layers failed ({exc}); retrying with {fewer}")
                layers = fewer

    def _special(self, token: int) -> str:
        try:
            return self.llm.detokenize([token], special=True).decode("utf-8", "replace")
        except (TypeError, ValueError):
            return ""

    # --- the contract ------------------------------------------------------------------
    def context_size(self) -> int:
        return self.n_ctx

    def tokenize(self, text: str) -> list[int]:
        return self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=False)

    def detokenize(self, tokens: list[int]) -> str:
        return self.llm.detokenize(tokens).decode("utf-8", errors="replace")

    def render_prompt(self, messages: list[dict]) -> str:
        return self.template.render(messages)

    def prompt_tokens(self, messages: list[dict]) -> list[int]:
        add_bos = bool(self.info.metadata.get("tokenizer.ggml.add_bos_token", True))
        text = self.render_prompt(messages)
        if add_bos and self.template.bos and text.startswith(self.template.bos):
            add_bos = False  # the template already wrote it
        return self.llm.tokenize(text.encode("utf-8"), add_bos=add_bos, special=True)

    def stream(self, request: GenerationRequest,
               cancel: CancelToken | None = None) -> Iterator[StreamItem]:
        tokens = self.prompt_tokens(request.messages)
        if len(tokens) + request.max_tokens > self.n_ctx:
            raise ContextOverflow(f"prompt of {len(tokens)} tokens plus a reply budget of "
                                  f"{request.max_tokens} exceeds the {self.n_ctx}-token context")
        reused = self._restore(tokens)
        started = time.perf_counter()
        first: float | None = None
        pieces: list[str] = []
        finish = "stop"
        chunks = self.llm.create_completion(
            tokens, max_tokens=request.max_tokens, temperature=request.temperature,
            top_p=request.top_p, stream=True, stop=request.stop or None,
            seed=request.seed if request.seed is not None else random.randrange(2**31),
            grammar=self._grammar(request.grammar))
        try:
            for chunk in chunks:
                if cancel is not None and cancel.cancelled:
                    finish = "cancelled"
                    break
                first = first or time.perf_counter()
                choice = chunk["choices"][0]
                if choice["text"]:
                    pieces.append(choice["text"])
                    yield TokenDelta(choice["text"])
                finish = choice.get("finish_reason") or finish
        finally:
            chunks.close()
        self._save(request.cache_slot)
        ended = time.perf_counter()
        text = "".join(pieces)
        yield GenerationResult(text=text, finish_reason=finish, prompt_tokens=len(tokens),
                               prompt_tokens_evaluated=len(tokens) - reused,
                               completion_tokens=len(self.tokenize(text)),
                               prompt_seconds=(first or ended) - started,
                               decode_seconds=ended - (first or ended))

    # --- prompt cache -------------------------------------------------------------------
    def _restore(self, tokens: list[int]) -> int:
        """Bring the best saved state into the context; returns reusable prefix length."""
        if self.mode == "off":
            self.llm.reset()
            return 0
        live = self.llm.input_ids[: self.llm.n_tokens].tolist()
        if self.mode == "slots":
            slot, length = self.cache.best(tokens, live)
            if slot is not None:
                self.llm.load_state(self.cache.get(slot).state)
        else:
            length = common_prefix(live, tokens)
        return min(length, len(tokens) - 1)   # llama.cpp re-evaluates at least one token

    def _save(self, slot: str | None) -> None:
        if self.mode != "slots" or not slot:
            return
        state = self.llm.save_state()
        tokens = self.llm.input_ids[: self.llm.n_tokens].tolist()
        self.cache.put(slot, tokens, state, int(state.llama_state_size))

    def _grammar(self, text: str | None):
        if not text:
            return None
        if text not in self._grammars:
            from llama_cpp import LlamaGrammar

            try:
                self._grammars[text] = LlamaGrammar.from_string(text, verbose=False)
            except ValueError as exc:
                raise ModelError(f"invalid grammar: {exc}") from None
        return self._grammars[text]

    def close(self) -> None:
        self.cache.clear()
        close = getattr(self.llm, "close", None)
        if close:
            close()
