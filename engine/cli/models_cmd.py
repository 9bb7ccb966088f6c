"""`deepdraft models list|import|download|remove`: the model catalogue from the shell.

Results go to stdout, the download progress bar to stderr. Nothing touches the network
except `download`, and only the hub it names (default https://huggingface.co;
$DEEPDRAFT_HUB_URL or --base-url point it elsewhere).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from engine.cancel import Cancelled, CancelToken


def _size(value) -> str:
    if not value:
        return "?"
    return f"{value / 2**30:.2f} GiB" if value >= 2**30 else f"{value / 2**20:.0f} MiB"


def _fail(exc: Exception) -> None:
    raise click.ClickException(str(exc)) from exc


@click.group(name="models")
def models() -> None:
    """Local models: list, import a GGUF, download AgentCPM-Report, remove."""


@models.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print the catalogue as JSON.")
def list_cmd(as_json: bool) -> None:
    """The bundled demo model and every imported or downloaded model."""
    from engine.llm.catalog import DOWNLOADABLE, list_models

    entries = list_models()
    if as_json:
        click.echo(json.dumps(entries, indent=2))
        return
    for m in entries:
        state = "MISSING FILE" if m.get("missing") else _size(m.get("size_bytes"))
        template = "template" if m.get("chat_template") else "NO chat template"
        click.echo(f"{m['name']:<20} {m.get('architecture', '?'):<10} "
                   f"{m.get('quantization', '?'):<8} ctx {m.get('context_length') or '?':<7} "
                   f"{state:<10} {template:<16} {m['path']}")
    names = {m["name"] for m in entries}
    for name, spec in DOWNLOADABLE.items():
        if name not in names:
            click.echo(f"{name:<20} (not downloaded: deepdraft models download {name}) "
                       f"{spec['about']}")


@models.command(name="import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--name", default=None, help="Catalogue name (default: the file's stem).")
@click.option("--link", is_flag=True, help="Symlink instead of copying the file.")
@click.option("--prompts", "prompts", default=None, metavar="DIR",
              type=click.Path(path_type=Path),
              help="Attach the model family's prompt templates (search.jinja, "
                   "init_plan.jinja, write.jinja, extend_plan.jinja; surveycpm_ prefix ok).")
def import_cmd(path: Path, name: str | None, link: bool, prompts: Path | None) -> None:
    """Check a GGUF file and add it to the models folder."""
    from engine.llm.base import ModelError
    from engine.llm.catalog import import_model
    from engine.warp.templates import TemplateError, template_files

    try:
        files = template_files(prompts) if prompts is not None else None
        entry = import_model(path, name=name, link=link, prompt_files=files)
    except (ModelError, TemplateError) as exc:
        _fail(exc)
    note = "" if entry["chat_template"] else " (no chat template: open it with a fallback)"
    if entry.get("prompts"):
        note += f"; prompt templates in {entry['prompts']}"
    click.echo(f"imported {entry['name']}: {entry['architecture']} {entry['quantization']}, "
               f"context {entry['context_length']}, {_size(entry['size_bytes'])}{note}")


@models.command()
@click.argument("name")
@click.option("--base-url", default=None, metavar="URL",
              help="Hub base URL (default: $DEEPDRAFT_HUB_URL or https://huggingface.co).")
@click.option("--file", "file_name", default="", help="File in the hub repository.")
def download(name: str, base_url: str | None, file_name: str) -> None:
    """Download a model (resumable; checksum verified). Ctrl-C keeps the partial file."""
    from engine.llm.base import ModelError
    from engine.llm.download import (DownloadDone, DownloadProgress, DownloadStarted,
                                     DownloadVerifying, download_model)

    cancel, bar, entry = CancelToken(), None, None
    try:
        for event in download_model(name, base_url=base_url, file=file_name, cancel=cancel):
            if isinstance(event, DownloadStarted):
                if event.resumed_from:
                    click.echo(f"resuming {event.file} at byte {event.resumed_from}", err=True)
                bar = click.progressbar(length=event.total or 0, label=event.file,
                                        file=sys.stderr)
                bar.update(event.resumed_from)
            elif isinstance(event, DownloadProgress) and bar is not None:
                bar.update(event.done - bar.pos)
            elif isinstance(event, DownloadVerifying):
                if bar is not None:
                    bar.render_finish()
                click.echo("verifying checksum", err=True)
            elif isinstance(event, DownloadDone):
                entry = event.entry
    except KeyboardInterrupt:
        cancel.cancel()
        click.echo("\ninterrupted: run the same command again to resume", err=True)
        sys.exit(130)
    except (ModelError, Cancelled) as exc:
        _fail(exc)
    click.echo(f"downloaded {entry['name']}: {entry['path']} (sha256 {entry['sha256']})")
    if entry.get("prompts"):
        click.echo(f"prompt templates (commit {entry['prompts_commit']}): {entry['prompts']}")


@models.command()
@click.argument("name")
@click.option("--keep-file", is_flag=True, help="Only forget the entry; keep the file.")
def remove(name: str, keep_file: bool) -> None:
    """Remove an imported or downloaded model."""
    from engine.llm.base import ModelError
    from engine.llm.catalog import remove_model

    try:
        entry = remove_model(name, delete_file=not keep_file)
    except ModelError as exc:
        _fail(exc)
    click.echo(f"removed {entry['name']}")
