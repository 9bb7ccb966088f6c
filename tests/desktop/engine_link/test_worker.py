"""The worker lanes and the real engine process: events arrive on the GUI thread in
order, failures are reported, review points block the job until the GUI decides, cancel
stops a job, and a killed engine process is reported and replaced."""
from __future__ import annotations

import os

import pytest

from desktop.engine_link.client import EngineProcess
from desktop.engine_link.jobs import JobSpec
from desktop.qt import QThread
from desktop.engine_link.worker import Worker
from engine.warp.events import Proposal, Token

from tests.desktop import worker_jobs as jobs

TIMEOUT = 60000   # the first spawn imports the engine on a busy 2-core machine


@pytest.fixture
def worker(qtbot):
    lane = Worker()
    yield lane
    lane.shutdown()


def collect(qtbot, worker, spec, on_event=None):
    seen, threads = [], []

    def record(event):
        seen.append(event)
        threads.append(QThread.currentThread())
        if on_event:
            on_event(event)

    worker.event.connect(record)
    with qtbot.waitSignal(worker.finished, timeout=TIMEOUT):
        assert worker.start(spec, "test job")
    return seen, threads


def test_events_arrive_in_order_on_the_gui_thread_from_another_process(qtbot, worker):
    seen, threads = collect(qtbot, worker, JobSpec.of(jobs.tokens, 50))
    assert seen[0].text == f"pid {worker.engine.pid}" and worker.engine.pid != os.getpid()
    # Streamed tokens arrive joined (a few messages a second), in order, none lost.
    assert "".join(e.text for e in seen[1:]) == "".join(str(i) for i in range(50))
    assert all(isinstance(e, Token) for e in seen)              # the engine's own dataclass
    assert all(t is QThread.currentThread() for t in threads)   # the GUI thread
    assert not worker.busy


def test_a_failing_job_reports_and_still_finishes(qtbot, worker):
    failures = []
    worker.failed.connect(failures.append)
    seen, _ = collect(qtbot, worker, JobSpec.of(jobs.failing))
    assert [e.text for e in seen] == ["a"]
    assert failures == ["RuntimeError: disk on fire"]


def test_one_job_at_a_time_and_the_decision_travels_back(qtbot, worker):
    def decide(event):
        if isinstance(event, Proposal):
            assert worker.busy and not worker.start(JobSpec.of(jobs.tokens, 1), "second")
            event.edit({"title": "mine", "sections": []})

    seen, _ = collect(qtbot, worker, JobSpec.of(jobs.review_then_report), decide)
    assert isinstance(seen[0], Proposal) and seen[0].action == "init-plan"
    assert seen[-1].text == "edit {'title': 'mine', 'sections': []}"


def test_cancel_rejects_an_open_proposal_and_stops_the_job(qtbot, worker):
    seen, _ = collect(qtbot, worker, JobSpec.of(jobs.review_then_report),
                      lambda e: worker.cancel() if isinstance(e, Proposal) else None)
    assert [type(e) for e in seen] == [type(seen[0])]   # the proposal, and nothing after it


def test_two_lanes_share_one_process(qtbot):
    engine = EngineProcess()
    first, second = Worker(engine), Worker(engine)
    try:
        with qtbot.waitSignal(first.event, timeout=TIMEOUT,
                              check_params_cb=lambda e: isinstance(e, Proposal)) as held:
            first.start(JobSpec.of(jobs.review_then_report), "held at review")
        seen, _ = collect(qtbot, second, JobSpec.of(jobs.tokens, 2))   # runs meanwhile
        assert "".join(e.text for e in seen[1:]) == "01" and first.busy
        with qtbot.waitSignal(first.finished, timeout=TIMEOUT):
            held.args[0].accept()
    finally:
        engine.shutdown()


def test_a_killed_engine_is_reported_in_plain_words_and_replaced(qtbot, worker):
    failures = []
    worker.failed.connect(failures.append)
    seen, _ = collect(qtbot, worker, JobSpec.of(jobs.killed))
    dead_pid = int(seen[0].text.split()[1])
    assert len(seen) == 1
    assert failures and "stopped by the system" in failures[0]
    assert "SIGKILL" not in failures[0] and "Traceback" not in failures[0]
    seen, _ = collect(qtbot, worker, JobSpec.of(jobs.tokens, 1))   # a fresh process
    assert seen[0].text == f"pid {worker.engine.pid}" and worker.engine.pid != dead_pid


def test_many_events_pass_without_harm(qtbot, worker):
    """Tens of thousands of events (a long run's tokens) cross the pipe and the thread
    boundary intact; a reference-counting slip would crash the interpreter here."""
    seen, _ = collect(qtbot, worker, JobSpec.of(jobs.flags, 30000))
    assert len(seen) == 30000 and all(e.problems == [] for e in seen)
    assert sum(e.valid for e in seen) == 15000


def test_signal_emit_keeps_its_references(qtbot):
    """PySide6 6.12.0 dropped a reference to True on every emit (pyproject excludes it);
    a window emits millions of signals over a day of writing."""
    import sys

    from desktop.qt import QObject, Signal

    class Emitter(QObject):
        fired = Signal(object)

    emitter = Emitter()
    emitter.fired.connect(lambda value: None)
    before = sys.getrefcount(True)
    for number in range(1000):
        emitter.fired.emit(number)
    assert abs(sys.getrefcount(True) - before) < 100   # 6.12.0: 1000 fewer


def test_tokens_are_joined_between_flushes_and_flushed_before_other_events():
    from desktop.engine_link.process import TOKEN_FLUSH_S, _TokenJoiner
    from engine.warp.events import StepFinished

    now = [100.0]
    joiner = _TokenJoiner(clock=lambda: now[0])
    assert [e.text for e in joiner.add(Token("a"))] == ["a"]     # after a pause: at once
    now[0] += TOKEN_FLUSH_S / 10
    assert joiner.add(Token("b")) == [] and joiner.add(Token("c")) == []
    now[0] += TOKEN_FLUSH_S
    assert [e.text for e in joiner.add(Token("d"))] == ["bcd"]   # held ones, joined
    assert joiner.add(Token("e")) == []
    step = StepFinished(step=1, action="write", cursor=None, valid=True)
    sent = joiner.add(step)
    assert [type(e) for e in sent] == [Token, StepFinished] and sent[0].text == "e"
    assert joiner.flush() == []
