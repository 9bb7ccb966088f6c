"""What can go wrong with a project file, in words a user can act on."""
from __future__ import annotations


class ProjectError(Exception):
    """A project file that cannot be created, opened or used as asked."""


class ProjectBusy(ProjectError):
    """Another Deepdraft process is running this project right now."""
