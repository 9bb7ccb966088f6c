"""How long a report would take on this machine's CPU with a model that may not be here
yet (AgentCPM-Report 8B), before anyone downloads 5 GB to find out.

Measured: a short prefill and decode of a model that is here (the active one, else the
bundled demo), with the threads a run would take now. Scaled to the target by size:
- decode reads every weight and the KV cache once per token; on a CPU that is memory
  bound, so the measured bytes per second carry over: seconds per token =
  (weight bytes + context x KV bytes per token) / measured bytes per second;
- prefill multiplies each prompt token by the layers' weights (2 flops per parameter)
  plus attention over the context before it (4 x layers x attention width x position),
  compute bound, so the measured flops per second carry over.
The small model keeps a CPU busier per byte and per flop less well than an 8B does (its
matrices are small, per-token overheads weigh more), so the estimate leans long.
The work of a report in tokens comes from engine.llm.report_budget.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from engine.llm.model_size import ModelSize, from_gguf, from_shape
from engine.llm.report_budget import StepTokens, run_steps

PROMPT_TOKENS, DECODE_TOKENS, WARMUP_TOKENS = 256, 32, 16
LIMITED_STEPS = 40
TEXT = ("Deepdraft's own reports are the evidence here: a growing stretch of ordinary "
        "prose, the kind of passage a library holds, numbered {n} in the sequence. ")


@dataclass(frozen=True)
class Speed:
    """One short measurement of a model here."""
    prefill_tok_s: float
    decode_tok_s: float
    prompt_tokens: int
    decode_tokens: int
    threads: int
    seconds: float           # the whole measurement, loading included


@dataclass(frozen=True)
class ReportEstimate:
    model: str               # "AgentCPM-Report 8B"
    full_hours: float        # a full report (report_budget: 92 steps)
    limited_hours: float     # a run cut at step_limit
    step_limit: int
    full_steps: int
    measured: Speed          # of the model measured (measured_model)
    measured_model: str
    target_prefill_tok_s: float    # the target's prefill of a 4,000-token prompt
    target_decode_tok_s: float     # and its decoding after that prompt
    basis: str

    def text(self) -> str:
        return (f"This build runs models on the CPU; {self.model} takes about "
                f"{_duration(self.full_hours)} for a full report on this machine (about "
                f"{_duration(self.limited_hours)} with a {self.step_limit}-step limit).")


def _duration(hours: float) -> str:
    if hours < 1:
        return f"{max(round(hours * 60), 1)} minutes"
    return f"{hours:.0f} hours" if hours >= 10 else f"{hours:.1f} hours"


def measure_speed(path: str | Path, threads: int | None = None) -> Speed:
    """Prefill PROMPT_TOKENS in one batch, then decode DECODE_TOKENS one at a time (the
    text's own next tokens, so no sampling choice skews it), on the CPU."""
    import llama_cpp

    from engine.threads import choose

    started = time.perf_counter()
    count = choose(given=threads).threads
    llm = llama_cpp.Llama(model_path=str(path), n_ctx=1024, n_batch=512, n_gpu_layers=0,
                          n_threads=count, n_threads_batch=count, verbose=False)
    text = "".join(TEXT.format(n=n) for n in range(60))
    tokens = llm.tokenize(text.encode("utf-8"))[:PROMPT_TOKENS + DECODE_TOKENS]
    llm.eval(tokens[:WARMUP_TOKENS])          # first-call allocations are not speed
    llm.reset()
    begin = time.perf_counter()
    llm.eval(tokens[:PROMPT_TOKENS])
    prefill = time.perf_counter() - begin
    begin = time.perf_counter()
    for token in tokens[PROMPT_TOKENS:]:
        llm.eval([token])
    decode = time.perf_counter() - begin
    llm.close()
    return Speed(PROMPT_TOKENS / prefill, DECODE_TOKENS / decode, PROMPT_TOKENS,
                 DECODE_TOKENS, count, time.perf_counter() - started)


def _flops(size: ModelSize, context: float) -> float:
    """Per prompt token at `context` tokens before it."""
    return 2 * size.block_params + 4 * size.layers * size.attn_width * context


def _bytes(size: ModelSize, context: float) -> float:
    """Per decoded token at `context` tokens before it."""
    return size.weight_bytes + size.kv_bytes_per_token * context


@dataclass(frozen=True)
class Machine:
    """What the measurement says this CPU does: flops per second in prefill, bytes per
    second in decode."""
    flops_s: float
    bytes_s: float

    @classmethod
    def from_speed(cls, speed: Speed, size: ModelSize) -> "Machine":
        flops = _flops(size, speed.prompt_tokens / 2) * speed.prefill_tok_s
        read = _bytes(size, speed.prompt_tokens + speed.decode_tokens / 2) * speed.decode_tok_s
        return cls(flops, read)

    def prefill_seconds(self, size: ModelSize, prompt: int) -> float:
        return prompt * _flops(size, prompt / 2) / self.flops_s

    def decode_seconds(self, size: ModelSize, context: int, reply: int) -> float:
        return reply * _bytes(size, context + reply / 2) / self.bytes_s

    def step_seconds(self, size: ModelSize, step: StepTokens) -> float:
        return (self.prefill_seconds(size, step.prompt)
                + self.decode_seconds(size, step.prompt, step.reply))

    def hours(self, size: ModelSize, steps: list[StepTokens]) -> float:
        return sum(self.step_seconds(size, s) for s in steps) / 3600


def target_size(name: str = "agentcpm-report") -> tuple[str, ModelSize]:
    from engine.llm.catalog import DOWNLOADABLE

    entry = DOWNLOADABLE[name]
    label = entry["about"].split(" (")[0]          # "AgentCPM-Report 8B"
    return label, from_shape(label, entry["shape"])


def measured_model_path() -> Path:
    """The active model when it is a local GGUF, else the bundled demo."""
    from engine.app_settings import load_settings
    from engine.bundled import demo_llm_path
    from engine.llm.base import ModelError
    from engine.llm.factory import resolve_model_path

    spec = load_settings().model or "demo"
    if not spec.startswith(("replay:", "http://", "https://")):
        try:
            return Path(resolve_model_path(spec))
        except ModelError:              # a catalogue model whose file is gone: the demo
            pass
    demo = demo_llm_path()
    if demo is None:
        raise FileNotFoundError("no local model to measure (the demo model is missing)")
    return Path(demo)


def estimate_cpu_report(model_path: str | Path | None = None, *,
                        target: str = "agentcpm-report", step_limit: int = LIMITED_STEPS,
                        threads: int | None = None) -> ReportEstimate:
    """Measure `model_path` (default: measured_model_path()) and scale to `target`."""
    path = Path(model_path) if model_path else measured_model_path()
    here, speed = from_gguf(path), measure_speed(path, threads)
    label, size = target_size(target)
    machine = Machine.from_speed(speed, here)
    full, limited = run_steps(), run_steps(step_limit)
    probe = 4000                        # tokens: a write's prompt midway through a report
    basis = (f"measured {here.name} ({here.params_label} layer parameters, "
             f"{here.weight_bytes / 2**20:.0f} MiB) on {speed.threads} thread(s): prefill "
             f"{speed.prefill_tok_s:.0f} tok/s, decode {speed.decode_tok_s:.1f} tok/s; scaled "
             f"to {label} ({size.params_label}, {size.weight_bytes / 1e9:.1f} GB): decode by "
             f"bytes read per token, prefill by flops per token; {len(full)} steps for a "
             f"full report")
    return ReportEstimate(
        model=label, full_hours=machine.hours(size, full),
        limited_hours=machine.hours(size, limited), step_limit=step_limit,
        full_steps=len(full), measured=speed, measured_model=here.name,
        target_prefill_tok_s=probe / machine.prefill_seconds(size, probe),
        target_decode_tok_s=1 / machine.decode_seconds(size, probe, 1), basis=basis)


def cpu_only_build() -> bool:
    """True where this llama.cpp has no GPU backend (engine.llm.placement)."""
    from engine.llm.placement import gpu_offload_supported

    return not gpu_offload_supported()
