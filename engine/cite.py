"""The one pattern for citation commands in section text, used by the validator, the
language rule and the exporters.

The model cites as `\\cite{textid3, textid7}`; like the authors' checker we accept any
LaTeX cite command (`\\citep`, `\\citet`, `\\parencite`, ...), but not `\\citestyle`
or `\\nocite`, which cite nothing.
"""
from __future__ import annotations

import re

CITE = re.compile(r"\\(?!nocite)[A-Za-z]*cite(?!style)[A-Za-z]*\{([^{}]*)\}")


def cite_groups(text: str) -> list[list[str]]:
    """The keys of each cite command, in order (empty keys dropped)."""
    return [[k.strip() for k in group.split(",") if k.strip()] for group in CITE.findall(text)]


def cited_keys(text: str) -> list[str]:
    return [key for group in cite_groups(text) for key in group]


def strip_cites(text: str) -> str:
    return CITE.sub("", text)
