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
from engine.llm.decode import DecodeOutcome, PieceCache, decode, token_piece
from engine.llm.gguf_header import GGUFInfo, model_bytes, read_gguf  # noqa: F401 (model_bytes: old home)
from engine.llm.lookup_decode import lookup_settings
from engine.llm.prompt_cache import MODES, SlotCache, common_prefix, restore, snapshot
from engine.threads import LoadWatch, RunThreads, choose

# The fixed text of a WARP reply around the thought and the action body.
OPEN, BRIDGE, CLOSE = "<thought>", "</thought>\n<action>", "</action>"

# What llama-cpp-python raises when a model or context cannot be created (it wraps
# llama.cpp's failures, out-of-memory on the GPU included, in ValueError).
LOAD_ERRORS = (ValueError, RuntimeError, MemoryError, OSError)


# Prompt-cache states in RAM (and beside a project), unless the app setting
# prompt_cache_mb says otherwise: a share of free RAM, capped (8B states run 100-500 MB).
CACHE_RAM_SHARE = 0.25
CACHE_MAX_BYTES = 2 << 30


def default_cache_bytes() -> int:
    return min(CACHE_MAX_BYTES, int(placement.free_ram_bytes() * CACHE_RAM_SHARE))


def kv_disk_cap_bytes() -> int:
    """A project's `<project>.kv/` cap: the kv_disk_mb setting, else DEFAULT_DISK_MB."""
    from engine.app_settings import load_settings
    from engine.llm.kv_store import DEFAULT_DISK_MB

    mb = load_settings().kv_disk_mb
    return (DEFAULT_DISK_MB if mb is None else mb) << 20


def _seed(request: GenerationRequest) -> int:
    return request.seed if request.seed is not None else random.randrange(2**31)


class LlamaBackend:
    """`loader` replaces llama_cpp.Llama (same keyword arguments); tests inject one that
    fails like a GPU out of memory, which this machine cannot produce."""

    def __init__(self, path: str | Path, *, n_ctx: int | None = None,
                 n_gpu_layers: int | None = None, prompt_cache: str = "slots",
                 cache_bytes: int | None = None, template_fallback: str | None = None,
                 loader: Callable | None = None, n_threads: int | None = None,
                 kv_type: str | None = None, flash_attn: bool | None = None,
                 prompt_lookup: bool | str | None = None) -> None:
        if prompt_cache not in MODES:
            raise ValueError(f"prompt_cache must be one of {MODES}")
        watch = LoadWatch()   # reading the model's header and planning are our own work
        self.path = Path(path)
        self.name = self.path.name
        self.info: GGUFInfo = read_gguf(self.path)
        self.model_bytes = model_bytes(self.path)
        self.mode = prompt_cache
        self.placement = placement.plan(
            placement.ModelShape.from_gguf(self.info, self.model_bytes), n_ctx, n_gpu_layers,
            supported=placement.gpu_offload_supported(), free_gpu=placement.free_gpu_bytes(),
            free_ram=placement.free_ram_bytes(), kv_type=kv_type, flash_attn=flash_attn)
        self.warnings: list[str] = list(self.placement.notes)
        self.n_ctx = self.placement.n_ctx
        # Chosen as this run or resume starts, re-checked between steps (recheck_threads).
        self.threads = RunThreads(choose(watch, given=n_threads), apply=self._set_threads)
        self.llm = self._load(loader, self.placement.n_gpu_layers)
        self.template = ChatTemplate(self.info.chat_template, bos=self._special("bos"),
                                     eos=self._special("eos"), fallback=template_fallback,
                                     model_name=self.name)
        self.cache = SlotCache(cache_bytes or default_cache_bytes())
        self._grammars: dict[str, object] = {}
        self._pieces = PieceCache(self.llm)
        self.kv_store = None
        self.lookup = lookup_settings(prompt_lookup)   # None: plain decoding

    # --- loading ---------------------------------------------------------------------
    def _load(self, loader: Callable | None, layers: int):
        import llama_cpp

        loader = loader or llama_cpp.Llama
        while True:
            try:
                options = {**self.placement.llama_kwargs(), "n_gpu_layers": layers}
                llm = loader(model_path=str(self.path), n_threads=self.n_threads,
                             n_threads_batch=self.n_threads, verbose=False, **options)
                self.n_gpu_layers = layers
                return llm
            except LOAD_ERRORS as exc:
                if layers == 0:
                    raise ModelError(f"llama.cpp could not load {self.name}: {exc} (is the "
                                     "file complete? a truncated download fails here)") from None
                fewer = (self.info.n_layers or 2) // 2 if layers < 0 else layers // 2
                self.warnings.append(f"loading with {'all' if layers < 0 else layers} GPU "
                                     f"layers failed ({exc}), likely out of GPU memory; "
                                     f"retrying with {fewer}")
                layers = fewer

    @property
    def n_threads(self) -> int:
        return self.threads.threads

    def recheck_threads(self) -> int:
        """Between steps: the threads to use now (other programs' load since the last
        check, with hysteresis); llama.cpp takes a new count before its next decode."""
        return self.threads.recheck()

    def _set_threads(self, count: int) -> None:
        import llama_cpp

        llama_cpp.llama_set_n_threads(self.llm.ctx, count, count)
        params = self.llm.context_params      # what llama-cpp-python reports and pickles
        self.llm.n_threads = self.llm.n_threads_batch = count
        params.n_threads = params.n_threads_batch = count

    def _special(self, which: str) -> str:
        token = self.llm.token_bos() if which == "bos" else self.llm.token_eos()
        if token < 0:
            return ""
        return token_piece(self.llm, token, special=True).decode("utf-8", "replace")

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
        """The rendered prompt as tokens, with BOS unless the template already wrote it."""
        add_bos = bool(self.info.metadata.get("tokenizer.ggml.add_bos_token", True))
        text = self.render_prompt(messages)
        if add_bos and self.template.bos and text.startswith(self.template.bos):
            add_bos = False
        return self.llm.tokenize(text.encode("utf-8"), add_bos=add_bos, special=True)

    def stream(self, request: GenerationRequest,
               cancel: CancelToken | None = None) -> Iterator[StreamItem]:
        tokens = self.prompt_tokens(request.messages)
        self._check_fits(tokens, request.max_tokens)
        if request.reply is not None:
            yield from self._stream_reply(tokens, request, cancel)
            return
        if cancel is not None and cancel.cancelled:
            yield GenerationResult(text="", finish_reason="cancelled", prompt_tokens=len(tokens))
            return
        grammar = self._grammar(request.grammar)
        reused = self._restore(tokens)
        started = time.perf_counter()
        outcome = DecodeOutcome()
        yield from self._decode(tokens, outcome, cancel, _seed(request),
                                max_tokens=request.max_tokens, grammar=grammar,
                                stop=request.stop, temperature=request.temperature,
                                top_p=request.top_p)
        self._save(request.cache_slot)
        ended = time.perf_counter()
        first = outcome.first_token_at or ended
        yield GenerationResult(text=outcome.text, finish_reason=outcome.finish_reason,
                               prompt_tokens=len(tokens),
                               prompt_tokens_evaluated=len(tokens) - reused,
                               completion_tokens=outcome.completion_tokens,
                               prompt_seconds=first - started, decode_seconds=ended - first)

    def _check_fits(self, prompt: list[int], max_tokens: int) -> None:
        if len(prompt) + max_tokens > self.n_ctx:
            raise ContextOverflow(f"prompt of {len(prompt)} tokens plus a reply budget of "
                                  f"{max_tokens} exceeds the {self.n_ctx}-token context")

    def _decode(self, tokens: list[int], outcome: DecodeOutcome, cancel: CancelToken | None,
                seed: int, **options) -> Iterator[TokenDelta]:
        """Sample after `tokens` (see engine.llm.decode); llama.cpp failures become
        ModelError with the context reset, so the next request starts clean."""
        try:
            for piece in decode(self.llm, tokens, seed=seed, cancel=cancel, outcome=outcome,
                                pieces=self._pieces, lookup=self.lookup, **options):
                yield TokenDelta(piece)
        except RuntimeError as exc:  # llama_decode failures surface as RuntimeError
            self.llm.reset()
            raise ModelError(f"llama.cpp failed while generating: {exc}") from None

    # --- a WARP reply in two passes ---------------------------------------------------
    def _stream_reply(self, prompt: list[int], request: GenerationRequest,
                      cancel: CancelToken | None) -> Iterator[StreamItem]:
        """Pass 1 writes the thought with no grammar, stopped at `</thought>` or after
        `thought_tokens`. Pass 2 continues from `...</thought>\\n<action>` over the same KV
        cache with the action grammar. Bounding the thought inside a grammar instead
        (`[^<]{1,600}`) works but slows sampling 8-15x on llama.cpp; two passes keep both
        bounds and full speed."""
        fmt = request.reply
        reused = self._restore(prompt)
        seed, started = _seed(request), time.perf_counter()
        sampling = {"temperature": request.temperature, "top_p": request.top_p}
        first = DecodeOutcome()
        yield TokenDelta(OPEN)
        yield from self._decode(prompt + self.tokenize(OPEN), first, cancel, seed,
                                max_tokens=min(fmt.thought_tokens, request.max_tokens),
                                grammar=None, stop=["</thought>", "<action>"], **sampling)
        thought = first.text
        second = DecodeOutcome()  # finish_reason stays "length" unless decoding stops itself
        if first.finish_reason == "cancelled":
            second.finish_reason = "cancelled"
        else:
            yield TokenDelta(BRIDGE)
            budget = max(1, request.max_tokens - first.completion_tokens)
            yield from self._decode(prompt + self.tokenize(OPEN + thought + BRIDGE), second,
                                    cancel, seed + 1, grammar=self._grammar(fmt.action_grammar),
                                    max_tokens=min(budget, fmt.action_tokens or budget),
                                    stop=[], **sampling)
        self._save(request.cache_slot)
        text, finish = OPEN + thought + BRIDGE + second.text, second.finish_reason
        if finish == "length" and fmt.close_on_length and not text.endswith(CLOSE):
            yield TokenDelta(CLOSE)
            text, finish = text + CLOSE, "stop"
        ended = time.perf_counter()
        # Evaluated counts the prompt only (comparable with single-pass replies); re-reading
        # the thought before the action is part of producing the reply.
        yield GenerationResult(
            text=text if first.finish_reason != "cancelled" else OPEN + thought,
            finish_reason="cancelled" if "cancelled" in (first.finish_reason, finish) else finish,
            prompt_tokens=len(prompt), prompt_tokens_evaluated=len(prompt) - reused,
            completion_tokens=first.completion_tokens + second.completion_tokens,
            prompt_seconds=(first.first_token_at or ended) - started,
            decode_seconds=ended - (first.first_token_at or ended))

    # --- prompt cache -------------------------------------------------------------------
    def _restore(self, tokens: list[int]) -> int:
        """Bring the best saved state into the context; returns the prefix llama.cpp will
        reuse (it always re-evaluates at least the last prompt token)."""
        if self.mode == "off":
            self.llm.reset()
            return 0
        live = self.llm.input_ids[: self.llm.n_tokens].tolist()
        length = common_prefix(live, tokens)
        if self.mode == "slots":
            slot, best = self.cache.best(tokens, live)
            if slot is not None and restore(self.llm, self.cache.get(slot)):
                length = best
                if self.kv_store is not None:
                    self.kv_store.used(slot)
            elif slot is not None:
                self.warnings.append(f"prompt cache: llama.cpp refused the {slot!r} state")
                length = 0
        return min(length, len(tokens) - 1)

    def _save(self, slot: str | None) -> None:
        if self.mode == "slots" and slot:
            saved = snapshot(self.llm)
            key = self.cache.put(slot, saved)
            if self.kv_store is not None:
                self.kv_store.write(key, saved)

    def attach_kv_store(self, folder: str | Path) -> int:
        """Also keep the prompt-cache slots in `folder` (beside a project), and load the
        ones saved there by an earlier run of the same model and settings, so a resumed
        run evaluates only new tokens. Returns how many slots were loaded."""
        import llama_cpp

        from engine.llm.kv_store import KVStore

        if self.mode != "slots":
            return 0
        stat = self.path.stat()
        identity = {"model": str(self.path.resolve()), "size": stat.st_size,
                    "mtime_ns": stat.st_mtime_ns, "n_ctx": self.n_ctx,
                    "kv_type": self.placement.kv_type, "flash_attn": self.placement.flash_attn,
                    "llama_cpp": llama_cpp.__version__}
        self.kv_store = KVStore(Path(folder), identity, cap_bytes=kv_disk_cap_bytes())
        loaded = self.kv_store.load()
        for key, saved in loaded.items():
            self.cache.keep(key, saved)
        return len(loaded)

    def _grammar(self, text: str | None):
        """A checked LlamaGrammar for `text`, cached by text. llama-cpp-python does not
        parse grammars itself and crashes on one llama.cpp rejects, so parse it here."""
        if not text:
            return None
        if text not in self._grammars:
            import llama_cpp
            from llama_cpp import LlamaGrammar

            sampler = llama_cpp.llama_sampler_init_grammar(
                self.llm._model.vocab, text.encode("utf-8"), b"root")
            if not sampler:
                raise ModelError("invalid grammar: llama.cpp could not parse it "
                                 f"(starts {text[:80]!r})")
            llama_cpp.llama_sampler_free(sampler)
            self._grammars[text] = LlamaGrammar.from_string(text, verbose=False)
        return self._grammars[text]

    def close(self) -> None:
        if self.kv_store is not None:
            self.kv_store.close()
        self.cache.clear()
        close = getattr(self.llm, "close", None)
        if close:
            close()
