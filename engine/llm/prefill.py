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


CPU_PREFILL = PrefillTuning(n_batch=512, n_ubatch=512, flash_attn=False)
