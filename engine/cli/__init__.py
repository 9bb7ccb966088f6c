"""`deepdraft ...` headless commands. One module per command group."""
from __future__ import annotations

import click

import engine
from engine.cli.check_cmd import check
from engine.cli.doctor_cmd import doctor
from engine.cli.estimate_cmd import estimate
from engine.cli.export_cmd import export
from engine.cli.library_cmd import library
from engine.cli.models_cmd import models
from engine.cli.selftest_cmd import self_test
from engine.cli.write_cmd import resume, write


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(engine.__version__, prog_name="deepdraft")
def cli() -> None:
    """Deepdraft: write research reports from your own documents, offline.

    Run with no command to open the desktop window.
    """


for command in (doctor, estimate, library, models, write, resume, export, check, self_test):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> int:
    from engine.app_settings import SettingsError

    try:
        cli.main(args=argv, prog_name="deepdraft", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    except SettingsError as exc:   # a hand-edited settings.json with a bad value
        click.echo(f"Error: {exc}", err=True)
        return 1
    return 0
