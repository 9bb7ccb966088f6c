"""The thread choice over recorded counters (engine.cpu_load, engine.threads): /proc/stat
and /proc/<pid>/stat texts in the kernel's format, replayed as a sequence of samples.
Each scenario states what the machine did; the expected counts follow from that story,
not from the code (100 ticks a second, as on Linux)."""
from __future__ import annotations

from engine.cpu_load import (CpuSample, other_cores, own_tree, parse_pid_stat,
                             parse_proc_stat, sample_from_texts)
from engine.threads import LoadWatch, RunThreads, ThreadChoice, ThreadGovernor, threads_for

HZ = 100.0
ME, CHILD, WINDOW, SHELL, STRANGER = 4200, 4300, 4100, 4000, 5100


def proc_stat(busy: int, idle: int, cores: int) -> str:
    """A /proc/stat text whose all-core line adds up to `busy` and `idle` ticks, split
    over its fields the way a real one is (user, nice, system, idle, iowait, irq,
    softirq, steal, guest, guest_nice), with the per-core lines and the rest after it."""
    user, system, irq, softirq = busy - busy // 4 - 2, busy // 4, 1, 1
    lines = [f"cpu  {user} 0 {system} {idle - 3} 3 {irq} {softirq} 0 0 0"]
    lines += [f"cpu{n} {user // cores} 0 {system // cores} {idle // cores} 0 0 0 0 0 0"
              for n in range(cores)]
    lines += ["intr 1234567 9 0 0", "ctxt 987654", "btime 1764700000", "processes 4321",
              "procs_running 3", "procs_blocked 0", "softirq 55555 1 2 3 4 5 6 7 8 9 10"]
    return "\n".join(lines) + "\n"


def pid_stat(pid: int, name: str, parent: int, ticks: int, start: int = 1000) -> str:
    """A /proc/<pid>/stat line: utime carries the ticks (stime 0), start time field 22."""
    return (f"{pid} ({name}) R {parent} {pid} {parent} 34816 {pid} 4194560 900 0 0 0 "
            f"{ticks} 0 0 0 20 0 9 0 {start} 123456789 5000 18446744073709551615 1 1 0 0 0 0 "
            f"0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0")


def machine(busy: int, idle: int, cores: int, procs: dict[int, tuple],
            marked: int | None = WINDOW) -> CpuSample:
    """A sample of a machine where `procs` maps pid -> (name, parent, CPU ticks so far[,
    start time])."""
    texts = [pid_stat(pid, *row) for pid, row in procs.items()]
    return sample_from_texts(proc_stat(busy, idle, cores), texts, ME, marked, HZ)


def test_the_parsers_read_the_kernel_format():
    busy, idle, cores = parse_proc_stat(proc_stat(600, 200, 8))
    assert (busy, idle, cores) == (600, 200, 8)
    assert parse_pid_stat(pid_stat(77, "Web Content (x)", 1, 250, 4242)) == (77, 1, 250, 4242)


def test_the_own_tree_is_the_marked_ancestor_and_all_below_it():
    parents = {SHELL: 1, WINDOW: SHELL, ME: WINDOW, CHILD: ME, 4301: WINDOW, STRANGER: SHELL}
    assert own_tree(parents, ME, WINDOW) == {WINDOW, ME, CHILD, 4301}
    # A mark that is not an ancestor (exported by hand in a shell) is not trusted.
    assert own_tree(parents, ME, STRANGER) == {ME, CHILD}
    assert own_tree(parents, ME, None) == {ME, CHILD}


def test_a_run_right_after_our_own_ingest_gets_every_core():
    """8-core laptop: an 8-thread ingest in the engine process ran until the first sample
    (6,400 ticks of its life so far); over the next second nothing else ran but the
    window repainting (5 ticks). A 1-minute load average would still say 8."""
    procs = {SHELL: ("bash", 1, 50), WINDOW: ("deepdraft", SHELL, 900), ME: ("python", WINDOW, 6400)}
    before = machine(90_000, 300_000, 8, procs)
    procs[WINDOW] = ("deepdraft", SHELL, 905)
    after = machine(90_006, 300_794, 8, procs)
    load = other_cores(before, after)
    assert round(load.seconds, 2) == 1.0 and load.other < 0.05
    assert threads_for(load.cores, load.other) == 8


def test_own_threads_and_children_busy_in_the_window_are_subtracted():
    """Over one second on 8 cores: the engine keeps 6 cores busy (llama.cpp), its child
    1 core and the window half a core; a stranger (a compiler) keeps 1 core busy; the
    machine was busy 850 ticks. Others: 1 core, so 7 threads."""
    procs = {WINDOW: ("deepdraft", SHELL, 100), ME: ("python", WINDOW, 2000),
             CHILD: ("python", ME, 10), STRANGER: ("cc1plus", SHELL, 300)}
    before = machine(10_000, 50_000, 8, procs)
    procs.update({WINDOW: ("deepdraft", SHELL, 150), ME: ("python", WINDOW, 2600),
                  CHILD: ("python", ME, 110), STRANGER: ("cc1plus", SHELL, 400)})
    after = machine(10_850, 50_000 - 850 + 800, 8, procs)
    load = other_cores(before, after)
    assert abs(load.own - 7.5) < 0.01 and abs(load.other - 1.0) < 0.01
    assert threads_for(load.cores, load.other) == 7
    # Without the subtraction the same counters would leave a single thread.
    naive = other_cores(CpuSample(before.busy, before.idle, 8), CpuSample(after.busy, after.idle, 8))
    assert threads_for(naive.cores, naive.other) == 1


def test_a_process_started_inside_the_window_counts_whole():
    """2 cores, 1 second: the engine starts a worker that burns 80 ticks, the machine was
    busy 90 ticks; 10 ticks (0.1 core) were someone else's."""
    before = machine(1000, 5000, 2, {ME: ("python", WINDOW, 500)})
    after = machine(1090, 5110, 2, {ME: ("python", WINDOW, 500), CHILD: ("python", ME, 80)})
    load = other_cores(before, after)
    assert abs(load.other - 0.1) < 0.01 and threads_for(2, load.other) == 2


def test_a_reused_pid_is_a_new_process():
    """2 cores, 1 second: the engine's child 4300 ended (200 ticks) and a new child got
    its number (30 ticks since its start): 0.3 core of own work, not -1.7."""
    before = machine(1000, 5000, 2, {ME: ("python", WINDOW, 100), CHILD: ("old", ME, 200, 10)})
    after = machine(1030, 5170, 2, {ME: ("python", WINDOW, 100), CHILD: ("new", ME, 30, 99)})
    load = other_cores(before, after)
    assert abs(load.own - 0.3) < 0.01 and load.other < 0.01


def test_a_long_run_follows_a_neighbour_with_hysteresis():
    """8 cores, a run with all 8 threads. Per-step readings of other programs' cores: a
    compile job starts (two threads; the run at equal priority leaves it about 1.6 cores,
    then 2), noise around it, the job ends. The run drops at once, does not flap on the
    noise, and takes the cores back only after two clearly free readings."""
    governor = ThreadGovernor(threads=8, cores=8)
    readings = [0.1, 0.3, 1.6, 2.0, 2.3, 1.7, 2.1, 0.4, 0.2, 0.1, 1.4, 1.0, 0.1, 0.0]
    threads = [governor.update(r) for r in readings]
    assert threads == [8, 8, 6, 6, 6, 6, 6, 6, 8, 8, 7, 7, 7, 8]


def test_a_single_busy_neighbour_beside_all_threads_is_seen():
    """2 cores, 2 llama.cpp threads and one busy program at equal priority: the kernel
    gives the program about two thirds of a core. That is enough to make room."""
    assert ThreadGovernor(threads=2, cores=2).update(0.67) == 1


def test_a_run_rechecks_between_steps_from_replayed_samples():
    """RunThreads over a replayed sequence on 4 cores, one sample per 1-second step: the
    run keeps 2 cores busy, a neighbour 1.5 cores in steps 2 and 3. The run drops to 2
    threads, then takes the 4 back after two free steps; a window shorter than the
    minimum keeps running (no wait between fast steps)."""
    neighbour = [0, 150, 150, 0, 0]
    samples, busy = [machine(10_000, 50_000, 4, {ME: ("python", WINDOW, 0)})], 10_000
    for step in range(1, 6):
        busy += 200 + neighbour[step - 1]
        samples.append(machine(busy, 60_000 + 400 * step - busy, 4,
                               {ME: ("python", WINDOW, 200 * step)}))
    feed, clock, applied = iter(samples), [0.0], []
    watch = LoadWatch(sampler=lambda: next(feed), clock=lambda: clock[0], sleep=lambda s: None)
    run = RunThreads(ThreadChoice(4, 4, "measured", 0.0, 0.0), apply=applied.append,
                     watch=watch, usable=4)
    seen = []
    for _ in range(5):
        clock[0] += 1.0
        seen.append(run.recheck())
    assert seen == [4, 2, 2, 2, 4] and applied == [2, 4]
    clock[0] += 0.1
    assert run.recheck() == 4


def test_the_setting_and_a_given_count_are_fixed(deepdraft_home):
    from engine.app_settings import update_settings
    from engine.threads import choose

    update_settings(threads=3)
    choice = choose()
    assert (choice.threads, choice.source) == (3, "setting")
    assert choose(given=5).threads == 5
    fixed = RunThreads(choice, apply=lambda n: None)
    assert not fixed.adaptive and fixed.recheck() == 3


def test_the_live_counters_see_this_process_its_child_and_its_root():
    """Real processes: this test process (the root: it imported engine first), a child,
    and a grandchild Deepdraft process that finds the root through the inherited mark."""
    import os
    import subprocess
    import sys

    import psutil

    from engine.cpu_load import ROOT_ENV, _psutil_sample, sample

    assert os.environ[ROOT_ENV] == str(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        for counters in (sample(), _psutil_sample(psutil)):
            assert {os.getpid(), child.pid} <= {pid for pid, _ in counters.own}
            assert counters.cores == psutil.cpu_count()
        probe = "from engine.cpu_load import sample; print(*(pid for pid, _ in sample().own))"
        seen = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                              check=True).stdout.split()
        assert {str(os.getpid()), str(child.pid)} <= set(seen)     # the whole tree
    finally:
        child.kill()
        child.wait()
