"""Job factories the worker tests run in the real engine process (importable by name)."""
from __future__ import annotations

import os
import signal

from engine.warp.events import Proposal, Token


def tokens(count: int):
    def job(cancel):
        yield Token(f"pid {os.getpid()}")
        for i in range(count):
            yield Token(str(i))
    return job


def failing():
    def job(cancel):
        yield Token("a")
        raise RuntimeError("disk on fire")
    return job


def review_then_report():
    """A review point; after it, a Token naming the decision that came back."""
    def job(cancel):
        proposal = Proposal(step=1, action="init-plan", payload={"title": "t", "sections": []})
        yield proposal
        cancel.raise_if_cancelled()
        yield Token(f"{proposal.decision} {proposal.edited}")
    return job


def killed():
    """The engine process dies mid-job, as under an out-of-memory kill."""
    def job(cancel):
        yield Token(f"pid {os.getpid()}")
        os.kill(os.getpid(), signal.SIGKILL)
        yield Token("never")
    return job


def download_from_the_test_hub(name: str, base_url: str):
    """The window's download job, with the prompt templates it fetches first being the
    test templates the loopback hub serves (the real ones are never in the project)."""
    from desktop.models.jobs import _download
    from tests.llm.stand_in_templates import use_test_templates

    use_test_templates(base_url)
    return _download(name, base_url)


def download_on_a_full_disk(name: str, base_url: str):
    """The same on a disk that reports 1000 bytes free (a full disk cannot be made on
    demand; engine.llm.download asks shutil.disk_usage, as here)."""
    import shutil

    usage = shutil.disk_usage("/")
    shutil.disk_usage = lambda path: usage._replace(free=1000)
    return download_from_the_test_hub(name, base_url)


def flags(count: int):
    """Events full of True/False/None, like StepFinished in a long run."""
    from engine.warp.events import StepFinished

    def job(cancel):
        for i in range(count):
            yield StepFinished(step=i, action="write", cursor=None, valid=i % 2 == 0)
    return job
