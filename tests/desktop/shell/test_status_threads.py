"""The status bar shows the run's current CPU threads, as each step starts with them."""
from __future__ import annotations


def test_status_line_shows_the_threads_each_step_starts_with(qtbot):
    from desktop.engine_link.jobs import ModelLoaded
    from desktop.shell.status_info import StatusInfo
    from engine.warp.events import StepStarted

    info = StatusInfo("demo")
    info.on_event(ModelLoaded(model="demo", n_ctx=8192, n_gpu_layers=0))
    info.on_event(StepStarted(step=1, action="search", cursor=None, threads=8))
    assert info.text() == "Model: demo · context 8,192 · CPU · 8 threads"
    info.on_event(StepStarted(step=2, action="search", cursor=None, threads=1))
    assert info.text().endswith("CPU · 1 thread")
    info.on_event(ModelLoaded(model="replay:/tmp/run.jsonl", n_ctx=4096, n_gpu_layers=None))
    info.on_event(StepStarted(step=1, action="search", cursor=None, threads=None))
    assert info.text() == "Model: replay run.jsonl · context 4,096"
