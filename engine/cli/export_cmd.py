"""`deepdraft export ...`."""
from __future__ import annotations

import click


@click.group(name="export")
def export() -> None:
    """Export commands."""
