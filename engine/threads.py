"""How many CPU threads a job takes: every core less the cores other programs keep busy
now (engine.cpu_load: Deepdraft's own work does not count), decided when each job starts
(an ingest, a run or a resume), and again between the steps of a long run.

The rule protects llama.cpp: its threads wait for each other at every layer, so one
thread more than the free cores is very slow (2 threads beside a busy process measured
60 s for what 1 thread did in 1 s). The `threads` setting, when set, overrides all of it.

Between steps a run moves with hysteresis so it does not flap: it drops threads at once
when other programs keep a core more busy than it leaves them (rounded), and takes cores
back only when they are clearly free (at least RAISE_MARGIN of a core below) on
RAISE_CONFIRM checks in a row.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Callable

from engine.cpu_load import CpuSample, Load, other_cores, sample

MIN_WINDOW_S = 0.25     # the window measured when a job starts (10 ms ticks: +-0.1 core)
RAISE_MARGIN = 0.75     # other programs' cores below what the run leaves them, to grow
RAISE_CONFIRM = 2       # ... on this many checks in a row


def usable_cores() -> int:
    """Cores this process may run on (a container or `taskset` may allow fewer)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def threads_for(cores: int, other: float, usable: int | None = None) -> int:
    """All cores less those other programs keep busy, rounded to cores; at least 1."""
    usable = cores if usable is None else usable
    return max(1, min(usable, cores - int(other + 0.5)))


@dataclass(frozen=True)
class ThreadChoice:
    threads: int
    cores: int                   # the machine's (those measured), or the usable ones
    source: str                  # "measured" | "setting" | "given" | "unmeasured"
    other: float | None = None   # cores other programs kept busy (measured)
    own: float | None = None     # cores Deepdraft's processes kept busy, same window

    def describe(self) -> str:
        if self.source == "setting":
            return f"{self.threads} (the threads setting)"
        if self.source == "given":
            return f"{self.threads} (as asked)"
        if self.other is None:
            return f"{self.threads} (all {self.cores} cores: other programs' load unknown here)"
        return (f"{self.threads} of {self.cores} cores (other programs keep "
                f"{self.other:.1f} busy)")


class LoadWatch:
    """A window over the CPU counters from its creation (or its last read)."""

    def __init__(self, sampler: Callable[[], CpuSample | None] = sample,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._sampler, self._clock, self._sleep = sampler, clock, sleep
        self._last, self._at = sampler(), clock()

    def read(self, min_seconds: float = MIN_WINDOW_S, wait: bool = True) -> Load | None:
        """The load since the window began; starts the next window. A window shorter
        than `min_seconds` is waited out, or (wait=False) left running: None."""
        short = min_seconds - (self._clock() - self._at)
        if short > 0:
            if not wait:
                return None
            self._sleep(short)
        now = self._sampler()
        before, self._last, self._at = self._last, now, self._clock()
        if before is None or now is None:
            return None
        return other_cores(before, now)


def setting_threads() -> int | None:
    """The `threads` setting, if the user set one (None, 0 or less: automatic)."""
    from engine.app_settings import load_settings

    value = load_settings().threads
    return value if value and value > 0 else None


def choose(watch: LoadWatch | None = None, given: int | None = None) -> ThreadChoice:
    """The threads a job takes as it starts: `given`, else the threads setting, else all
    cores less other programs' load, measured since `watch` began (at least
    MIN_WINDOW_S; a new window when None)."""
    cores = usable_cores()
    if given:
        return ThreadChoice(given, cores, "given")
    fixed = setting_threads()
    if fixed:
        return ThreadChoice(fixed, cores, "setting")
    load = (watch or LoadWatch()).read()
    if load is None:
        return ThreadChoice(cores, cores, "unmeasured")
    return ThreadChoice(threads_for(load.cores, load.other, cores), load.cores, "measured",
                        load.other, load.own)


class ThreadGovernor:
    """A run's thread count between steps: `update(other)` takes the cores other programs
    kept busy since the last check and returns the count to use now."""

    def __init__(self, threads: int, cores: int, usable: int | None = None) -> None:
        self.threads, self.cores = threads, cores
        self.usable = cores if usable is None else usable
        self._free: list[float] = []     # readings in a row that saw cores come free

    def update(self, other: float) -> int:
        leaves = self.cores - self.threads          # the cores the run leaves to others
        if other >= leaves + 0.5:                   # a busier neighbour: make room now
            self._free.clear()
            self.threads = threads_for(self.cores, other, self.usable)
        elif other <= leaves - RAISE_MARGIN and self.threads < self.usable:
            self._free.append(other)
            if len(self._free) >= RAISE_CONFIRM:
                self.threads = threads_for(self.cores, max(self._free), self.usable)
                self._free.clear()
        else:
            self._free.clear()
        return self.threads


class RunThreads:
    """A model's threads over its life: chosen when it loads, re-checked between steps
    (`recheck()`) unless given or set; `apply(n)` hands a new count to the runtime."""

    def __init__(self, choice: ThreadChoice, apply: Callable[[int], None] | None = None,
                 watch: LoadWatch | None = None, usable: int | None = None) -> None:
        self.choice, self.apply = choice, apply
        self.adaptive = choice.source in ("measured", "unmeasured")
        self._watch = watch or (LoadWatch() if self.adaptive else None)
        self._governor = ThreadGovernor(choice.threads, choice.cores,
                                        usable_cores() if usable is None else usable)

    @property
    def threads(self) -> int:
        return self._governor.threads

    def recheck(self) -> int:
        """Between steps: other programs' load since the last check (no wait; a window
        under MIN_WINDOW_S keeps running), and the count with hysteresis."""
        if not self.adaptive or self._watch is None:
            return self.threads
        load = self._watch.read(wait=False)
        if load is None:
            return self.threads
        before = self.threads
        now = self._governor.update(load.other)
        if now != before and self.apply is not None:
            self.apply(now)
        return now


class JobThreads:
    """One job's threads, chosen when it first needs them (an ingest: at its first
    embedding), over the window since the job began: the job's own work so far (reading
    and chunking the first file) is Deepdraft's and does not count."""

    def __init__(self) -> None:
        self._watch = LoadWatch()
        self.choice: ThreadChoice | None = None

    def get(self) -> int:
        if self.choice is None:
            self.choice = choose(self._watch)
        return self.choice.threads
