"""An engine process that keeps dying (issue 21, item 3): respawned after a pause that
doubles (not at once, in a loop), never joined on the GUI thread, and after three deaths
in a minute no more respawns; the window shows the cause with the engine's last lines and
offers Retry, which starts it again."""
from __future__ import annotations

import os
import signal

from desktop.engine_client import DEATHS_TO_GIVE_UP, EngineProcess

from .helpers import LONG


def kill_and_wait(qtbot, engine: EngineProcess) -> str:
    with qtbot.waitSignal(engine.died, timeout=LONG) as died:
        os.kill(engine.pid, signal.SIGKILL)
    return died.args[0]


def started(qtbot, engine: EngineProcess, first: bool) -> int:
    """The next process is up and has said so (its first printed line is written)."""
    with qtbot.waitSignal(engine.ready, timeout=LONG):
        if first:
            engine.ensure_started()
    return engine.pid


def test_deaths_back_off_then_give_up_with_the_cause(qtbot):
    engine = EngineProcess()
    pids = []
    try:
        for death in range(1, DEATHS_TO_GIVE_UP + 1):
            # After the first, each process comes back by itself after its pause.
            pids.append(started(qtbot, engine, first=death == 1))
            if death < DEATHS_TO_GIVE_UP:
                reason = kill_and_wait(qtbot, engine)
                # Not respawned at once: a pause is pending, no process meanwhile.
                assert engine.respawn_pending and engine._process is None
                assert "stopped by the system" in reason
        with qtbot.waitSignal(engine.gave_up, timeout=LONG) as gave_up:
            os.kill(engine.pid, signal.SIGKILL)
        reason, lines = gave_up.args
        assert "stopped by the system" in reason
        assert f"deepdraft engine: started (process {pids[-1]})" in lines
        assert engine.given_up and not engine.respawn_pending and engine._process is None
        assert len(set(pids)) == DEATHS_TO_GIVE_UP
        engine.retry()                                  # the user's Retry
        assert engine._process is not None and engine.pid not in pids
    finally:
        engine.shutdown()


def test_the_window_offers_retry(window, qtbot):
    trouble = window.extras.engine_trouble
    box = trouble.show("The writing engine was stopped by the system.",
                       "deepdraft engine: started (process 1)")
    assert box.isVisible() and "three times within a minute" in box.text()
    assert "started (process 1)" in box.detailedText()
    retry = next(b for b in box.buttons() if b.text() == "Retry")
    retry.click()
    assert window.engine._process is not None


def test_an_engine_shut_down_during_its_pause_stays_down(qtbot):
    """The window closed between a death and the respawn: no new process appears."""
    from desktop.engine_client import BACKOFF_S

    engine = EngineProcess()
    started(qtbot, engine, first=True)
    kill_and_wait(qtbot, engine)
    assert engine.respawn_pending
    engine.shutdown()
    with qtbot.assertNotEmitted(engine.ready, wait=int(BACKOFF_S * 1000) + 500):
        pass
    assert engine._process is None and not engine._readers
