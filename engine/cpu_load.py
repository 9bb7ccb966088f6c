"""How many cores other programs keep busy now: the whole machine's busy time over a short
window, less the CPU time of Deepdraft's own processes over the same window.

Linux reads /proc/stat and /proc/<pid>/stat; elsewhere psutil gives the same figures
(psutil.cpu_times, Process.cpu_times). No load average: it counts Deepdraft's own recent
work as other programs' and lags by a minute (issue 26: a run started after an ingest
took 1 thread of 2 for its whole life).

Deepdraft's own processes are one tree. Its root is the first Deepdraft process of the
tree (the window, or a CLI command): engine/__init__.py records that process's id in
$DEEPDRAFT_ROOT_PID, and every process it starts (the engine process, a `deepdraft`
subprocess) inherits it. The root is trusted only if it is this process or one of its
ancestors (a value exported by hand in a shell is not); otherwise this process is the
root. A process of the tree that ends inside a window takes its last CPU time with it:
that time counts as other programs' (fewer threads, never more).

`sample()` reads the counters now; `other_cores(before, after)` is a pure function of
two samples (tests replay recorded ones).
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

ROOT_ENV = "DEEPDRAFT_ROOT_PID"
PROC = "/proc"


@dataclass(frozen=True)
class CpuSample:
    """Counters at one moment, in CPU-seconds since boot."""
    busy: float                  # all cores together: user, nice, system, irq, steal
    idle: float                  # all cores together: idle and I/O wait
    cores: int                   # how many cores the two sums cover
    # Deepdraft's processes: (pid, start time) -> user + system CPU-seconds so far.
    own: dict[tuple[int, float], float] = field(default_factory=dict)


@dataclass(frozen=True)
class Load:
    """Cores kept busy over a window: by other programs, and by Deepdraft's own."""
    other: float
    own: float
    cores: int
    seconds: float               # the window's length


def other_cores(before: CpuSample, after: CpuSample) -> Load:
    """The cores other programs kept busy between two samples: machine busy time less
    the CPU time of Deepdraft's processes, per second of the window. A process present
    only in `after` started inside the window: all its time counts as own."""
    cores = after.cores or 1
    total = (after.busy + after.idle) - (before.busy + before.idle)
    seconds = total / cores
    if seconds <= 0:
        return Load(0.0, 0.0, cores, 0.0)
    busy = max(0.0, after.busy - before.busy)
    own = 0.0
    for key, cpu in after.own.items():
        own += max(0.0, cpu - before.own.get(key, 0.0))
    other = min(float(cores), max(0.0, busy - own) / seconds)
    return Load(other, min(float(cores), own / seconds), cores, seconds)


# --- Linux: /proc ----------------------------------------------------------------------
def parse_proc_stat(text: str) -> tuple[float, float, int]:
    """(busy ticks, idle ticks, cores) from /proc/stat. Guest time is already inside
    user and nice, so it is not added again."""
    busy = idle = 0.0
    cores = 0
    for line in text.splitlines():
        if line.startswith("cpu "):
            values = [float(v) for v in line.split()[1:]]
            values += [0.0] * (8 - len(values))
            user, nice, system, idle_, iowait, irq, softirq, steal = values[:8]
            busy, idle = user + nice + system + irq + softirq + steal, idle_ + iowait
        elif line.startswith("cpu"):
            cores += 1
    return busy, idle, cores


def parse_pid_stat(text: str) -> tuple[int, int, float, float]:
    """(pid, parent pid, user + system ticks, start time in ticks) from /proc/<pid>/stat.
    The command name may hold spaces and brackets: the fields start after the last ')'."""
    head, _, rest = text.rpartition(")")
    fields = rest.split()
    pid = int(head.split("(", 1)[0])
    return pid, int(fields[1]), float(fields[11]) + float(fields[12]), float(fields[19])


def own_tree(parents: dict[int, int], me: int, marked: int | None) -> set[int]:
    """Deepdraft's processes: the root (`marked` if it is `me` or an ancestor of `me`,
    else `me`) and every process below it. `parents` maps pid -> parent pid."""
    root, pid, seen = me, me, set()
    while pid > 1 and pid not in seen and marked is not None:
        if pid == marked:
            root = marked
            break
        seen.add(pid)
        pid = parents.get(pid, 0)
    children: dict[int, list[int]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    tree, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid not in tree:
            tree.add(pid)
            todo.extend(children.get(pid, ()))
    return tree


def _marked_root() -> int | None:
    try:
        return int(os.environ.get(ROOT_ENV, ""))
    except ValueError:
        return None


def sample_from_texts(proc_stat: str, pid_stats: list[str], me: int,
                      marked: int | None, ticks_per_s: float) -> CpuSample:
    """A sample from the text of /proc/stat and every /proc/<pid>/stat (pure)."""
    busy, idle, cores = parse_proc_stat(proc_stat)
    rows = {}
    for text in pid_stats:
        try:
            pid, parent, cpu, start = parse_pid_stat(text)
        except (ValueError, IndexError):
            continue
        rows[pid] = (parent, cpu, start)
    tree = own_tree({pid: row[0] for pid, row in rows.items()}, me, marked)
    own = {(pid, rows[pid][2]): rows[pid][1] / ticks_per_s for pid in tree if pid in rows}
    return CpuSample(busy / ticks_per_s, idle / ticks_per_s, cores, own)


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="ascii", errors="replace") as handle:
            return handle.read()
    except OSError:        # the process ended between listing and reading
        return None


def _proc_sample() -> CpuSample:
    pids = [name for name in os.listdir(PROC) if name.isdigit()]
    texts = [text for text in (_read(f"{PROC}/{pid}/stat") for pid in pids) if text]
    return sample_from_texts(_read(f"{PROC}/stat") or "", texts, os.getpid(), _marked_root(),
                             float(os.sysconf("SC_CLK_TCK")))


# --- elsewhere: psutil -------------------------------------------------------------------
def _psutil_sample(psutil) -> CpuSample:
    times = psutil.cpu_times()
    idle = times.idle + getattr(times, "iowait", 0.0)
    busy = sum(times) - idle - getattr(times, "guest", 0.0) - getattr(times, "guest_nice", 0.0)
    me = psutil.Process()
    marked = _marked_root()
    root = me
    if marked is not None and marked != me.pid:
        root = next((p for p in me.parents() if p.pid == marked), me)
    own = {}
    for process in [root, *root.children(recursive=True)]:
        try:
            cpu = process.cpu_times()
            own[(process.pid, process.create_time())] = cpu.user + cpu.system
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return CpuSample(busy, idle, psutil.cpu_count() or 1, own)


def sample() -> CpuSample | None:
    """The counters now; None where neither /proc nor psutil can tell."""
    if sys.platform.startswith("linux") and os.path.exists(f"{PROC}/stat"):
        return _proc_sample()
    try:
        import psutil
    except ImportError:
        return None
    try:
        return _psutil_sample(psutil)
    except (psutil.Error, OSError):
        return None


def mark_root() -> None:
    """Called when the engine package is first imported: the first Deepdraft process of a
    tree becomes its root; the processes it starts inherit the mark."""
    os.environ.setdefault(ROOT_ENV, str(os.getpid()))
