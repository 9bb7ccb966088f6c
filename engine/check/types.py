"""What the claim check says about a sentence: typed flags, plain data in and out."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

FIGURE, NAME, RELEVANCE, MODEL, SOURCE = "figure", "name", "relevance", "model", "source"
KINDS = (FIGURE, NAME, RELEVANCE, MODEL, SOURCE)


@dataclass
class Sentence:
    """One sentence (or table row, or list item) of a section, with its citations."""
    text: str                  # as written, cite commands included
    plain: str                 # what a reader sees: no cites, no Markdown or LaTeX markup
    keys: list[str]            # citation keys attached to it, in order, each once
    start: int                 # character span in the section's Markdown
    end: int


@dataclass
class Flag:
    """One reason to double-check a sentence. `section` is the outline position
    ("2.1"); `keys` are the passages it was judged against."""
    section: str
    sentence: str
    kind: str                  # figure | name | relevance | model | source
    detail: str
    keys: list[str] = field(default_factory=list)
    node_id: str = ""
    title: str = ""
    start: int = 0             # the sentence's span in the section's Markdown
    end: int = 0
    evidence: str = ""         # the figure or name the passage has, for highlighting
    dismissed: bool = False

    @property
    def flag_id(self) -> str:
        """Stable while the sentence and the reason stay the same, so a dismissal
        survives reloads and rechecks but not an edit of the sentence."""
        raw = "\x1f".join((self.node_id, self.kind, " ".join(self.sentence.split()),
                           self.detail))
        return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict:
        return {**asdict(self), "id": self.flag_id}

    @classmethod
    def from_dict(cls, data: dict) -> "Flag":
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)
