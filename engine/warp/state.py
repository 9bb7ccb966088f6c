"""Run settings (chosen once per project, kept in it) and run state (saved after every
step). The user's app-wide settings are engine.app_settings."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from engine.typed_settings import checked_fields


def _from_dict(cls, data: dict | None):
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in (data or {}).items() if k in names})


@dataclass
class RunSettings:
    max_steps: int = 140            # the authors' limit; retries count
    max_extends: int = 12           # deepening attempts (paper and demo)
    # Sampling; None: the model profile's (0.7, 0.8, 2048 tokens, as the protocol samples).
    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    seed: int | None = None
    interactive: bool = False       # pause at init-plan / extend-plan for the user
    # Grammar-constrained decoding: True always, False never, None (auto) always for a
    # small model and on retries for a large one (see engine.llm.grammar).
    constrained: bool | None = None
    max_retries: int = 3            # consecutive invalid replies before a fallback
    # Passages per search, for the outline and for every later search (None: the model
    # profile's, the authors' 20 and 10).
    outline_passages: int | None = None
    section_passages: int | None = None
    # Reply budget: max_tokens, but in a small context at most this share of it (the
    # rest holds the prompt) and never under min_reply_tokens (a write must fit).
    reply_context_share: float = 0.25
    min_reply_tokens: int = 512
    # Prompt templates: "auto" (the model's own if it has them), "builtin", or a folder
    # (see engine.warp.profile).
    prompts: str = "auto"

    def passage_budget(self, for_outline: bool) -> int:
        budget = self.outline_passages if for_outline else self.section_passages
        assert budget is not None, "a run fills unset budgets from its model profile"
        return budget

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None, source: str = "run settings") -> "RunSettings":
        """Checked values (engine.typed_settings): "false" is false, a value of the wrong
        type raises SettingsError naming the key; unknown keys are ignored."""
        return cls(**checked_fields(cls, data or {}, source))


@dataclass
class RunState:
    steps: int = 0
    phase: str = "search"                   # "search" | "act"
    search_cursor: str | None = None        # cursor the pending passages were found for
    search_node: str | None = None          # ...and its node id (positions shift on edits)
    pending_keys: list[str] = field(default_factory=list)
    pending_keywords: list[str] = field(default_factory=list)
    extends: int = 0                        # deepening attempts used
    nop: bool = False                       # the model said the report is deep enough
    failures: int = 0                       # consecutive invalid replies
    deepen: list[str] = field(default_factory=list)   # node ids the user asked to deepen
    writes: int = 0
    expansions: int = 0
    retries: int = 0
    degenerate: int = 0                     # of the retries: writes that looped or echoed
    finished: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> "RunState":
        return _from_dict(cls, data)
