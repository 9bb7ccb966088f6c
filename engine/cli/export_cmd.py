"""`deepdraft export PROJECT --docx FILE.docx [--md FILE.md]`."""
from __future__ import annotations

import sys

import click


@click.command(name="export")
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--docx", "docx_path", type=click.Path(dir_okay=False),
              help="Write a Word document here.")
@click.option("--md", "md_path", type=click.Path(dir_okay=False),
              help="Write a Markdown file here.")
@click.option("--no-numbers", is_flag=True, help="Headings without 1, 1.1, 1.1.1.")
@click.option("--check-comments", is_flag=True,
              help="Comment each sentence the claim check flagged (Word comments in the "
                   ".docx, footnotes in the Markdown); see `deepdraft check`.")
@click.option("--unwritten", type=click.Choice(["mark", "plan", "omit"]), default="mark",
              show_default=True, help="Unwritten sections: their heading marked 'not yet "
              "written', their plan, or left out.")
def export(project: str, docx_path: str | None, md_path: str | None, no_numbers: bool,
           check_comments: bool, unwritten: str) -> None:
    """Export a project written by `deepdraft write` to Word and/or Markdown."""
    if not docx_path and not md_path:
        raise click.UsageError("give --docx FILE.docx and/or --md FILE.md")
    from engine.export import write_exports
    from engine.project.project_store import ProjectError, load_report

    try:
        report = load_report(project)
        comments, warnings = _comments(project) if check_comments else ([], [])
    except ProjectError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        warnings += write_exports(report, docx=docx_path, md=md_path,
                                  numbered_headings=not no_numbers, unwritten=unwritten,
                                  comments=comments)
    except OSError as exc:  # disk full, folder not writable: nothing half-written is left
        name = exc.filename or docx_path or md_path
        raise click.ClickException(f"could not write {name}: {exc.strerror or exc}") from None
    for warning in warnings:
        click.echo(click.style(f"warning: {warning}", fg="yellow"), file=sys.stderr)
    for written in (docx_path, md_path):
        if written:
            click.echo(f"wrote {written}")
    if check_comments:
        click.echo(f"{len(comments)} sentence(s) commented by the claim check")


def _comments(project: str):
    from engine.check.export_notes import sentence_comments
    from engine.project.project_store import ProjectStore

    store = ProjectStore.open(project)
    try:
        return sentence_comments(store)
    finally:
        store.close()
