"""The one home of the citation-command patterns: `CITE` for section text (the validator,
the language rule, the exporters, the window's word count) and `CITE_LOOKALIKE` for text
that only must not pass for a cite command (passages shown to the model).

The model cites as `\\cite{textid3, textid7}`; like the authors' checker we accept any
LaTeX cite command (`\\citep`, `\\citet`, `\\parencite`, `\\Cite`, ...), with optional
arguments (`\\parencite[p.~3]{textid3}`), but not `\\citestyle` or `\\nocite`, which cite
nothing. Every form counts, so none can cite a key the run never showed.
"""
from __future__ import annotations

import re

CITE = re.compile(r"\\(?!nocite)[A-Za-z]*[Cc]ite(?!style)[A-Za-z]*\*?"
                  r"\s*(?:\[[^\]{}]*\]\s*)*\{([^{}]*)\}")
# Wider on purpose: any command with "cite" in its name, any case, space before the brace
# (\nocite and \Cite{ included), so a document cannot smuggle one a model might copy.
CITE_LOOKALIKE = re.compile(r"\\([A-Za-z]*cite[A-Za-z]*)\s*\{", re.I)


def cite_groups(text: str) -> list[list[str]]:
    """The keys of each cite command, in order (empty keys dropped)."""
    return [[k.strip() for k in group.split(",") if k.strip()] for group in CITE.findall(text)]


def cited_keys(text: str) -> list[str]:
    return [key for group in cite_groups(text) for key in group]


def strip_cites(text: str, replacement: str = "") -> str:
    return CITE.sub(replacement, text)
