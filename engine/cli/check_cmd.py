"""`deepdraft check PROJECT [--json]`: the claim check of every written section."""
from __future__ import annotations

import json
import sys

import click

_FIELDS = ("section", "title", "sentence", "kind", "detail", "keys", "id", "node_id",
           "evidence", "dismissed")


@click.command(name="check")
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the flags as a JSON list.")
@click.option("--all", "include_dismissed", is_flag=True, help="List dismissed flags too.")
@click.option("--no-relevance", is_flag=True,
              help="Skip the embedding comparison (figures, names and sources only).")
@click.option("--recorded", is_flag=True,
              help="List the flags recorded in the project without checking again.")
def check(project: str, as_json: bool, include_dismissed: bool, no_relevance: bool,
          recorded: bool) -> None:
    """Check each cited sentence against the passages it cites: figures, names and
    quotations, relevance. Exits 0 whether or not there are flags."""
    from engine.check import section_flags
    from engine.project.project_store import ProjectError, ProjectStore

    try:
        store = ProjectStore.open(project)
    except ProjectError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        if not recorded:
            _recheck(store, relevance=not no_relevance)
        flags = [f for fs in section_flags(store, include_dismissed).values() for f in fs]
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps([{k: f.to_dict()[k] for k in _FIELDS} for f in flags],
                              ensure_ascii=False, indent=1))
        return
    for flag in flags:
        mark = " (dismissed)" if flag.dismissed else ""
        click.echo(f"{flag.section} {flag.title} [{flag.kind}]{mark} {flag.detail}\n"
                   f"    {flag.sentence}")
    sentences = len({(f.node_id, f.start) for f in flags if not f.dismissed})
    click.echo(f"{sentences} sentence{'s' if sentences != 1 else ''} to check")


def _recheck(store, relevance: bool) -> None:
    """Check every section again, unless a run holds the project (then the flags it
    recorded are listed as they are)."""
    from engine.check import open_checker, recheck_report
    from engine.project.errors import ProjectBusy

    try:
        store.hold_run_lock()
    except ProjectBusy as exc:
        click.echo(f"note: {exc}; listing the flags it recorded", err=True)
        return
    library = _open_library(store.settings.get("library", "default"))
    try:
        recheck_report(store, open_checker(library, relevance), library)
    finally:
        if library is not None:
            library.close()


def _open_library(name: str):
    """The project's library if it exists here (to tell removed sources); None if not."""
    from engine.app_settings import load_settings
    from engine.library import open_library
    from engine.paths import libraries_dir

    if not load_settings().chroma_server and not (libraries_dir() / name).is_dir():
        click.echo(f"note: library {name!r} is not here; removed sources cannot be told",
                   file=sys.stderr)
        return None
    return open_library(name)
