"""The generic worker: events arrive on the GUI thread in order, failures are reported,
review points block the job until the GUI decides, cancel stops a job."""
from __future__ import annotations

import threading
import time

from desktop.qt import QThread
from desktop.worker import Worker
from engine.warp.events import Proposal, Token


def collect(qtbot, worker, job, timeout=10000):
    seen, threads = [], []
    worker.event.connect(lambda e: (seen.append(e), threads.append(QThread.currentThread())))
    with qtbot.waitSignal(worker.finished, timeout=timeout):
        assert worker.start(job, "test job")
    return seen, threads


def test_events_arrive_in_order_on_the_gui_thread(qtbot):
    worker = Worker()
    job_threads = []

    def job(cancel):
        job_threads.append(threading.current_thread())
        for i in range(50):
            yield Token(str(i))

    seen, threads = collect(qtbot, worker, job)
    assert [e.text for e in seen] == [str(i) for i in range(50)]
    assert all(t is QThread.currentThread() for t in threads)   # the GUI thread
    assert job_threads[0] is not threading.main_thread()
    assert not worker.busy


def test_a_failing_job_reports_and_still_finishes(qtbot):
    worker = Worker()
    failures = []
    worker.failed.connect(failures.append)

    def job(cancel):
        yield Token("a")
        raise RuntimeError("disk on fire")

    seen, _ = collect(qtbot, worker, job)
    assert [e.text for e in seen] == ["a"]
    assert failures == ["RuntimeError: disk on fire"]


def test_one_job_at_a_time(qtbot):
    worker = Worker()
    release = threading.Event()

    def slow(cancel):
        release.wait(5)
        yield Token("done")

    with qtbot.waitSignal(worker.finished, timeout=10000):
        assert worker.start(slow, "slow")
        assert worker.busy and not worker.start(slow, "second")
        release.set()


def test_proposal_blocks_the_job_until_the_gui_decides(qtbot):
    worker = Worker()
    after = []

    def job(cancel):
        proposal = Proposal(step=1, action="init-plan", payload={"title": "t", "sections": []})
        yield proposal
        after.append(proposal.decision)
        yield Token("resumed")

    def decide(event):
        if isinstance(event, Proposal):
            time.sleep(0.3)   # the job must still be waiting
            assert after == []
            event.reject()

    worker.event.connect(decide)
    seen, _ = collect(qtbot, worker, job)
    assert after == ["reject"] and seen[-1].text == "resumed"


def test_cancel_stops_a_job_and_rejects_an_open_proposal(qtbot):
    worker = Worker()
    proposals = []

    def job(cancel):
        proposal = Proposal(step=1, action="extend-plan", payload={"subsections": []})
        proposals.append(proposal)
        yield proposal
        cancel.raise_if_cancelled()
        yield Token("never")

    worker.event.connect(lambda e: worker.cancel() if isinstance(e, Proposal) else None)
    seen, _ = collect(qtbot, worker, job)
    assert proposals[0].decision == "reject"
    assert not any(isinstance(e, Token) for e in seen)
