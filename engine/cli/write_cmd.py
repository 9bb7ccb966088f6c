"""`deepdraft write` and `deepdraft resume`: run WARP headless, streaming progress."""
from __future__ import annotations

import json
import signal
import sys
from pathlib import Path

import click

from engine.cancel import CancelToken


def _progress(event, verbose: bool) -> None:
    from engine.warp import events as ev

    err = sys.stderr
    if isinstance(event, ev.StepStarted):
        retry = f" (attempt {event.attempt})" if event.attempt > 1 else ""
        click.echo(f"[{event.step:3}] {event.action:11} {event.cursor or ''}{retry}",
                   file=err, nl=verbose)
    elif isinstance(event, ev.Token) and verbose:
        click.echo(event.text, file=err, nl=False)
    elif isinstance(event, ev.StepFinished):
        mark = click.style("ok", fg="green") if event.valid else click.style(
            "invalid: " + "; ".join(event.problems), fg="yellow")
        lead = "\n" if verbose else " "
        click.echo(f"{lead}  {mark} ({event.model_seconds:.1f}s, "
                   f"{event.prompt_tokens_evaluated}/{event.prompt_tokens} prompt tokens)",
                   file=err)
    elif isinstance(event, ev.RetrievalHits):
        click.echo(f"      keywords {event.keywords} -> {len(event.keys)} passages", file=err)
    elif isinstance(event, (ev.Warning, ev.Error)):
        click.echo(click.style(f"      {event.message}{_cli_hint(event.message)}",
                               fg="yellow"), file=err)
    elif isinstance(event, ev.Done):
        click.echo(f"done: {event.reason}", file=err)


def _cli_hint(message: str) -> str:
    """The shell's way to do what an engine message asks."""
    from engine.library.errors import NOTHING_INDEXED

    return " (deepdraft library add PATH, then deepdraft resume)" \
        if NOTHING_INDEXED in message else ""


def _review(proposal) -> None:
    click.echo(json.dumps(proposal.payload, indent=2, ensure_ascii=False), file=sys.stderr)
    choice = click.prompt("accept, edit or reject?", type=click.Choice(["a", "e", "r"]),
                          default="a", err=True)
    if choice == "r":
        proposal.reject()
    elif choice == "e":
        edited = click.edit(json.dumps(proposal.payload, indent=2, ensure_ascii=False))
        proposal.edit(json.loads(edited)) if edited else proposal.accept()
    else:
        proposal.accept()


def drive(store, *, model: str | None, overrides: dict, as_json: bool, verbose: bool,
          out: str | None, md: str | None) -> int:
    from engine.warp import events as ev
    from engine.warp.run_factory import open_run

    cancel = CancelToken()
    signal.signal(signal.SIGINT, lambda *_: cancel.cancel())
    done = None
    with open_run(store, cancel=cancel, model=model, overrides=overrides) as run:
        click.echo(f"project: {store.path}", file=sys.stderr)
        for event in run.events():
            if isinstance(event, ev.Proposal):
                _review(event)
            _progress(event, verbose)
            if isinstance(event, ev.Done):
                done = event
    if out or md:
        from engine.export import write_exports

        for warning in write_exports(store.load_report(), docx=out, md=md):
            click.echo(click.style(f"export: {warning}", fg="yellow"), file=sys.stderr)
    if as_json and done is not None:
        click.echo(json.dumps({"project": str(store.path), "reason": done.reason,
                               **done.stats}, indent=2))
    return 0 if done is not None and done.reason != "error" else 1


def _overrides(max_steps, max_extends, seed, interactive, constrained, prompts=None) -> dict:
    values = {"max_steps": max_steps, "max_extends": max_extends, "seed": seed,
              "interactive": interactive, "constrained": constrained,
              "prompts": _prompts_setting(prompts)}
    return {k: v for k, v in values.items() if v is not None}


def _prompts_setting(value: str | None) -> str | None:
    """auto | builtin as given; a folder as its absolute path (projects outlive cwd)."""
    if value is None or value in ("auto", "builtin"):
        return value
    return str(Path(value).expanduser().resolve())


_common = [
    click.option("--max-steps", type=int, help="Step limit (default 140)."),
    click.option("--max-extends", type=int, help="Deepening attempts (default 12)."),
    click.option("--seed", type=int, help="Sampling seed."),
    click.option("--interactive/--no-interactive", default=None,
                 help="Review init-plan and each extend-plan."),
    click.option("--constrained/--unconstrained", default=None,
                 help="Grammar-constrained decoding (default: always for a small model, "
                      "on retries for a large one)."),
    click.option("--prompts", default=None, metavar="auto|builtin|DIR",
                 help="Prompt templates: the model's own if it has them (auto, the "
                      "default), the built-in ones, or a folder of .jinja templates."),
    click.option("--out", type=click.Path(dir_okay=False), help="Export a .docx at the end."),
    click.option("--md", type=click.Path(dir_okay=False), help="Export Markdown at the end."),
    click.option("--json", "as_json", is_flag=True, help="Print a JSON summary."),
    click.option("-v", "--verbose", is_flag=True, help="Stream the model's tokens."),
]


def common(func):
    for option in reversed(_common):
        func = option(func)
    return func


@click.command()
@click.argument("question")
@click.option("--library", default="default", show_default=True, help="Library to search.")
@click.option("--model", default="demo", show_default=True,
              help="demo | PATH.gguf | imported name | replay:FILE | http(s)://server")
@click.option("--server-model", default="", help="Model name sent to a server.")
@click.option("--project", type=click.Path(dir_okay=False), help="Project file to create.")
@click.option("--ctx", type=int, help="Context window in tokens (default: automatic).")
@common
def write(question, library, model, server_model, project, ctx, max_steps, max_extends, seed,
          interactive, constrained, prompts, out, md, as_json, verbose):
    """Write a report answering QUESTION from your library."""
    from engine.project.project_store import ProjectError
    from engine.app_settings import load_settings
    from engine.warp.run_factory import create_project, default_project_path
    from engine.warp.state import RunSettings

    run = RunSettings.from_dict(_overrides(max_steps, max_extends, seed, interactive,
                                           constrained, prompts))
    try:
        store = create_project(project or default_project_path(question), question,
                               model=model, library=library, ctx=ctx,
                               server_model=server_model,
                               author=load_settings().author, run=run)
    except ProjectError as exc:
        raise click.ClickException(str(exc))
    sys.exit(_drive_or_fail(store, None, {}, as_json, verbose, out, md))


@click.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.option("--model", default=None, help="Use another model than the project's.")
@common
def resume(project, model, max_steps, max_extends, seed, interactive, constrained, prompts, out,
           md, as_json, verbose):
    """Continue the run stored in PROJECT."""
    from engine.project.project_store import ProjectError, ProjectStore

    try:
        store = ProjectStore.open(project)
    except ProjectError as exc:
        raise click.ClickException(str(exc))
    overrides = _overrides(max_steps, max_extends, seed, interactive, constrained, prompts)
    sys.exit(_drive_or_fail(store, model, overrides, as_json, verbose, out, md))


def _drive_or_fail(store, model, overrides, as_json, verbose, out, md) -> int:
    from engine.library.errors import LibraryError
    from engine.llm.base import ModelError
    from engine.project.errors import ProjectError
    from engine.warp.templates import TemplateError

    try:
        return drive(store, model=model, overrides=overrides, as_json=as_json,
                     verbose=verbose, out=out, md=md)
    except ProjectError as exc:  # another run holds it, or the disk refused a step
        raise click.ClickException(str(exc))
    except ModelError as exc:
        raise click.ClickException(f"model: {exc}")
    except LibraryError as exc:
        raise click.ClickException(f"library: {exc}")
    except TemplateError as exc:
        raise click.ClickException(f"prompts: {exc}")
    finally:
        store.close()
