"""Document text is data, never protocol. A passage is shown to the model between our
own markers (`bibkey:KEY`, `<thought>`, `<action>`, `\\cite{KEY}`); a document that
contains those markers itself (by accident or as a prompt injection) could pose as a
passage of its own, close the model's thought or hand it a ready-made action. Before a
passage enters a prompt its look-alike markers are bent out of shape: still readable,
no longer the protocol's."""
from __future__ import annotations

import re

from engine.cite import CITE_LOOKALIKE

_TAG = re.compile(r"<\s*(/?)\s*(thought|action)\s*>", re.I)
_BIBKEY = re.compile(r"bib\s*key(\s*:)", re.I)


def defang(text: str) -> str:
    text = _TAG.sub(lambda m: f"‹{m.group(1)}{m.group(2)}›", text)
    text = _BIBKEY.sub(lambda m: "bib-key" + m.group(1), text)
    return CITE_LOOKALIKE.sub(r"\1{", text)
