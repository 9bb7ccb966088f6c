"""What can go wrong with a project file, in words a user can act on."""
from __future__ import annotations


class ProjectError(Exception):
    """A project file that cannot be created, opened or used as asked."""


class ProjectBusy(ProjectError):
    """Another Deepdraft process (or another run in this one) writes this project now;
    `holder` (engine.project.run_lock.Holder) says which."""

    def __init__(self, message: str, holder=None) -> None:
        super().__init__(message)
        self.holder = holder


class ProjectReadOnly(ProjectError):
    """A write through a store opened read-only (to follow another writer's run)."""
