"""Follow a project another process writes: open it read-only and poll for what that
process committed (steps, decisions and the outline they left), then take it over once
its writer is gone.

The window uses it for a project that `holder_of` says is being written elsewhere:

    follower = ProjectFollower(path)          # never writes, never takes the lock
    update = follower.poll()                  # from a timer; None when nothing changed
    if update: show(update.outline, update.steps); banner(update.holder)
    if follower.holder() is None: store = follower.take_over()   # writable again

`poll` costs one `PRAGMA data_version` when nothing changed, so a timer of a few hundred
milliseconds is cheap.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from engine.project.errors import ProjectBusy
from engine.project.project_store import ProjectStore
from engine.project.run_lock import Holder, busy_message, holder_of
from engine.report.outline import Outline


@dataclass
class FollowUpdate:
    """What the writer committed since the last poll."""
    outline: Outline
    run_state: dict
    steps: list[dict] = field(default_factory=list)       # new rows, as ProjectStore.steps
    decisions: list[dict] = field(default_factory=list)   # new rows, as ProjectStore.decisions
    holder: Holder | None = None   # None: the writer is gone (finished, stopped or killed)


class ProjectFollower:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.store = ProjectStore.open(self.path, read_only=True)
        self._version: int | None = None
        self._last_step = 0
        self._decisions_seen = 0

    def holder(self) -> Holder | None:
        return holder_of(self.path)

    def poll(self) -> FollowUpdate | None:
        """The changes committed since the last call (all of it on the first), or None."""
        version = self.store.data_version()
        if version == self._version:
            return None
        self._version = version
        steps = self.store.steps(after=self._last_step)
        if steps:
            self._last_step = steps[-1]["step"]
        decisions = self.store.decisions()[self._decisions_seen:]
        self._decisions_seen += len(decisions)
        return FollowUpdate(outline=self.store.load_outline(),
                            run_state=self.store.load_run_state(), steps=steps,
                            decisions=decisions, holder=self.holder())

    def take_over(self, *, hold: bool = False) -> ProjectStore:
        """A writable store for this project once its writer is gone (the follower is then
        closed); raises ProjectBusy naming the holder while it still writes. Its writes
        take the lock one at a time; `hold` keeps it until the store closes (a process
        that runs the project itself, rather than through an engine process)."""
        holder = self.holder()
        if holder is not None:
            raise ProjectBusy(busy_message(holder), holder)
        store = ProjectStore.open(self.path)
        if hold:
            try:
                store.hold_run_lock()
            except BaseException:
                store.close()
                raise
        self.close()
        return store

    def close(self) -> None:
        self.store.close()
