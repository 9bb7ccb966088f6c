"""What the run bar offers: model specs and library names, as the engine lists them."""
from __future__ import annotations


def model_names() -> list[str]:
    """demo first, then the models imported into the app's models folder (missing files
    left out: they cannot be opened)."""
    from engine.llm.catalog import model_names as catalogue

    return ["demo", *(n for n in catalogue() if n != "demo")]


def library_names() -> list[str]:
    from engine.library.names import library_names as names

    found = names()
    return found if "default" in found else ["default", *found]
