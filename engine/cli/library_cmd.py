"""`deepdraft library add|list|remove|search`: the document library from the shell.

Outcomes go to stdout (one line per file), the progress bar to stderr. `--library`
picks a library (default: settings `library`), `--server host:port` a Chroma server
(default: settings `chroma_server`; empty = the embedded store).
"""
from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from pathlib import Path

import click

from engine.cancel import CancelToken


def _options(command):
    command = click.option("--server", default=None, metavar="HOST:PORT",
                           help="Chroma server (default: settings chroma_server).")(command)
    return click.option("--library", "library_name", default=None, metavar="NAME",
                        help="Library to use (default: settings library, else 'default').")(command)


def _open(library_name: str | None, server: str | None, model: str | None = None,
          query_prefix: str | None = None):
    from engine.library import open_library
    from engine.library.errors import LibraryError
    from engine.app_settings import load_settings

    name = library_name or load_settings().library or "default"
    try:
        return open_library(name, server=server, model=model, query_prefix=query_prefix)
    except LibraryError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(name="library")
def library() -> None:
    """Your private document library: add, list, remove, search."""


@library.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-v", "--verbose", is_flag=True, help="Also list files skipped as unchanged.")
@click.option("--embedding-model", default=None, metavar="FOLDER",
              help="A new library's embedding model: a sentence-transformers folder "
                   "(default: the bundled MiniLM). Kept for the library's lifetime.")
@click.option("--query-prefix", default=None, metavar="TEXT",
              help="What that model puts before a query (e.g. 'Query: ' for "
                   "MiniCPM-Embedding-Light).")
@_options
def add(paths, verbose, embedding_model, query_prefix, library_name, server) -> None:
    """Index files and folders (recursively). Unchanged files are skipped."""
    lib = _open(library_name, server, embedding_model, query_prefix)
    cancel = CancelToken()
    try:
        done = _consume(lib.ingest(paths, cancel=cancel), verbose)
    except KeyboardInterrupt:
        cancel.cancel()
        click.echo("interrupted: run the same command again to finish", err=True)
        sys.exit(130)
    click.echo(_summary(done))


def _consume(events, verbose: bool):
    from engine.library import events as ev

    done, bar = None, None
    with ExitStack() as stack:
        for event in events:
            if isinstance(event, ev.IngestStarted):
                bar = stack.enter_context(click.progressbar(
                    length=event.total, label="indexing", file=sys.stderr))
            elif isinstance(event, ev.Progress) and bar is not None:
                bar.update(event.done - bar.pos)
            elif isinstance(event, ev.IngestDone):
                done = event
            else:
                line = _outcome_line(event, verbose)
                if line:
                    click.echo(line)
    return done


def _outcome_line(event, verbose: bool) -> str:
    from engine.library import events as ev

    if isinstance(event, ev.FileIndexed):
        pages = f", {event.pages} pages" if event.pages else ""
        return f"indexed  {event.path} ({event.chunks} chunks{pages})"
    if isinstance(event, ev.FileFailed):
        detail = f" ({event.detail})" if event.detail else ""
        return f"failed   {event.path}: {event.reason}{detail}"
    if isinstance(event, ev.FileSkipped) and (verbose or event.reason != "unchanged"):
        return f"skipped  {event.path}: {event.reason}"
    if isinstance(event, ev.FileRemoved):
        return f"removed  {event.path} (file is gone)"
    return ""


def _summary(done) -> str:
    if done is None:
        return "nothing done"
    text = (f"{done.indexed} indexed, {done.skipped} skipped, {done.failed} failed, "
            f"{done.removed} removed; {done.chunks} chunks in {done.seconds:.1f}s")
    if done.threads:
        text += f" on {done.threads} thread{'s' if done.threads > 1 else ''}"
    if done.failures:
        text += " (" + ", ".join(f"{n} {r}" for r, n in sorted(done.failures.items())) + ")"
    return text + (" -- cancelled" if done.cancelled else "")


@library.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@_options
def list_(as_json, library_name, server) -> None:
    """List the library's documents with their status."""
    records = _open(library_name, server).documents()
    if as_json:
        click.echo(json.dumps([{k: v for k, v in vars(r).items()} for r in records],
                              ensure_ascii=False, indent=2))
        return
    for r in records:
        info = f"{r.n_chunks} chunks" + (f", {r.pages} pages" if r.pages else "")
        if r.status != "indexed":
            info = r.status + (f": {r.reason}" if r.reason else "")
        click.echo(f"{r.path}  [{info}]")
    click.echo(f"{len(records)} documents", err=True)


@library.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_options
def remove(paths, library_name, server) -> None:
    """Remove files (or everything under folders) from the library."""
    removed = _open(library_name, server).remove(paths)
    for record in removed:
        click.echo(f"removed  {record.path}")
    if not removed:
        raise click.ClickException("no indexed document matches those paths")


@library.command()
@click.argument("text")
@click.option("-k", "k", default=10, show_default=True, type=click.IntRange(1, 200),
              help="How many passages.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@_options
def search(text, k, as_json, library_name, server) -> None:
    """Search the library; shows passages with document and page."""
    from engine.library.errors import LibraryError

    try:
        passages = _open(library_name, server).search(text, k)
    except LibraryError as exc:  # e.g. a lost search index: say so, not a traceback
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps([_hit_json(p) for p in passages], ensure_ascii=False, indent=2))
        return
    for rank, p in enumerate(passages, start=1):
        where = f", {p.where()}" if p.where() else ""
        click.echo(f"{rank}. [{p.score:.3f}] {p.title}{where}  ({p.path})")
        click.echo("   " + " ".join(p.text.split())[:300])


def _hit_json(p) -> dict:
    return {"text": p.text, "score": p.score, "path": p.path, "title": p.title, "page": p.page,
            "locator": p.locator, "heading_path": p.heading_path, "chunk_id": p.chunk_id,
            "doc_id": p.doc_id, "char_start": p.char_start, "char_end": p.char_end}


@library.command(name="download-model")
@click.argument("name")
@click.option("--base-url", default=None, metavar="URL",
              help="Hub base URL (default: $DEEPDRAFT_HUB_URL or https://huggingface.co).")
def download_model_cmd(name: str, base_url: str | None) -> None:
    """Download an embedding model for new libraries (minicpm-embedding-light), then use
    it with: library add PATH --library NAME --embedding-model minicpm-embedding-light"""
    from engine.library.embedding_download import download_embedding
    from engine.library.errors import LibraryError

    try:
        folder = download_embedding(name, base_url)
    except LibraryError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"downloaded {name}: {folder}")
