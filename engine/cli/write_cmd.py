"""`deepdraft write` and `deepdraft resume`."""
from __future__ import annotations

import click


@click.command()
@click.argument("question")
def write(question: str) -> None:
    """Write a report answering QUESTION from your library."""


@click.command()
@click.argument("project")
def resume(project: str) -> None:
    """Continue the run stored in PROJECT."""
