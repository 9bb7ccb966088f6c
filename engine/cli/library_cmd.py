"""`deepdraft library ...`."""
from __future__ import annotations

import click


@click.group(name="library")
def library() -> None:
    """Library commands."""
