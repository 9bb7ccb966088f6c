"""The `deepdraft` console entry point.

No arguments opens the desktop window; anything else is a headless command handled by
engine.cli. This module imports Qt only when the window is wanted, so headless
commands start fast and work where no Qt platform exists.
"""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        from desktop.app import run_app

        return run_app()
    from engine.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
