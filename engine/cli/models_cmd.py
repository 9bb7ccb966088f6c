"""`deepdraft models ...`."""
from __future__ import annotations

import click


@click.group(name="models")
def models() -> None:
    """Models commands."""
