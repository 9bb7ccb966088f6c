"""The `deepdraft` console entry point.

No arguments (or one .ddproj file) opens the desktop window; anything else is a
headless command handled by engine.cli. This module imports Qt only when the window is wanted, so headless
commands start fast and work where no Qt platform exists.
"""
from __future__ import annotations

import multiprocessing
import sys

PROJECT_SUFFIX = ".ddproj"
WINDOW_CHECK = "--window-check"     # used by `deepdraft self-test` (see desktop/shell/window_check.py)


def main(argv: list[str] | None = None) -> int:
    # First: in the frozen app a spawned worker process re-runs this executable, and
    # freeze_support turns that start into the worker instead of a second app.
    multiprocessing.freeze_support()
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == [WINDOW_CHECK]:
        from desktop.shell.window_check import main as window_check

        return window_check(args[1:])
    if not args or _is_project(args):
        from desktop.shell.app import run_app

        return run_app(project=args[0] if args else None)
    from engine.cli import main as cli_main

    return cli_main(args)


def _is_project(args: list[str]) -> bool:
    """`deepdraft FILE.ddproj`: how the desktop's file association opens a project."""
    return len(args) == 1 and args[0].endswith(PROJECT_SUFFIX)


if __name__ == "__main__":
    sys.exit(main())
