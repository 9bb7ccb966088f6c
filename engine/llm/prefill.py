"""Prompt-evaluation tuning for llama.cpp on the CPU (batch sizes, flash attention),
chosen by measurement.

tests/benchmarks/bench_llm_prefill.py measures prompt tokens/s over n_batch, n_ubatch,
threads and flash attention side by side; the defaults below are its winners here.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PrefillTuning:
    n_batch: int
    n_ubatch: int
    flash_attn: bool


# Issue 14 re-run (2 rounds, 512 tokens, load 6-9 on 2 cores): flash attention on beat
# off at every paired n_batch/n_ubatch/threads setting (1.1-1.4x; batch sizes tied), but
# with it on the same prompt gives other text when a cached prefix is reused than when
# evaluated whole (tests/llm/test_prompt_cache.py::test_same_text_with_and_without_reuse
# fails), so the prompt cache would change replies: it stays off on the CPU.
CPU_PREFILL = PrefillTuning(n_batch=512, n_ubatch=512, flash_attn=False)
