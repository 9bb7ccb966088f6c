"""What the window says when something goes wrong, in window terms (buttons, panels),
never a command line."""
from __future__ import annotations

import re

from engine.library.errors import NOTHING_INDEXED

STATUS_MS = 8000   # how long a passing message stays in the status bar

# An engine message's hint for the shell, "(deepdraft library download-model x)" or
# "; use `deepdraft resume p`": the window leaves it out.
_CLI_HINT = re.compile(r"\s*\(`?deepdraft [^()]*\)|;\s*use `deepdraft [^`]*`")


def without_cli_hint(message: str) -> str:
    return _CLI_HINT.sub("", message)

RESUME_HINT = "Your text is kept; press Resume to continue from the last completed step."


def run_error(message: str) -> str:
    """An engine Error event of a run, as the window says it."""
    if NOTHING_INDEXED in message:
        library = message.split(NOTHING_INDEXED)[0].strip().removeprefix("library ")
        return (f"The library {library} has no documents yet. Add files or a folder in the "
                f"Library panel, then press Resume.")
    message = without_cli_hint(message)
    return message[:1].upper() + message[1:]


MODELS_HINT = "Import or download models in File > Models…, or choose demo."


def job_failure(message: str, during_run: bool) -> str:
    """A failed job (or a dead engine process); a run can always be resumed."""
    message = without_cli_hint(message)
    text = message[:1].upper() + message[1:]
    text = text if text.endswith(".") else text + "."
    if message.startswith("unknown model"):
        return f"{text} {MODELS_HINT}"
    return f"{text} {RESUME_HINT}" if during_run else text
