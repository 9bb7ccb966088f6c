"""A project's recorded steps told again as the run's events, so a reopened report shows
what the agent already did (the window's activity feed) exactly as it said it live."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from engine.report.outline import Outline
from engine.report.registry import CitationRegistry
from engine.warp import events as ev
from engine.warp.actions import EXTEND_PLAN, INIT_PLAN, SEARCH, WRITE
from engine.warp.step_summary import section_label
from engine.warp.validate import cited_keys


@dataclass
class PastEvent:
    finished: float       # when the step was committed (epoch seconds)
    event: object         # an engine.warp.events event


def past_events(store) -> Iterator[PastEvent]:
    """The events of every committed step, oldest first (read from the project)."""
    outline, registry = store.load_outline(), store.load_registry()
    for row in store.steps():
        action = row["action"] or {}
        name = action.get("name", row["kind"])
        if row["valid"] and name == SEARCH:
            keys = row["shown_keys"] or []
            passages = [p for k in keys if (p := registry.resolve(k)) is not None]
            yield PastEvent(row["finished"], ev.RetrievalHits(
                row["step"], list(action.get("keywords", [])), keys, passages))
            continue
        summary = _summary(outline, registry, row, action, name) if row["valid"] else \
            ev.StepSummary()
        yield PastEvent(row["finished"], ev.StepFinished(
            step=row["step"], action=name, cursor=row["cursor"], valid=row["valid"],
            problems=row["problems"] or [], summary=summary))


def _summary(outline: Outline, registry: CitationRegistry, row: dict, action: dict,
             name: str) -> ev.StepSummary:
    summary = ev.StepSummary(section=section_label(outline, row["cursor"]))
    if name == WRITE:
        keys = list(dict.fromkeys(cited_keys(action.get("text", ""))))
        docs = {p.doc_id for k in keys if (p := registry.resolve(k)) is not None}
        summary.cited_keys, summary.cited_documents = keys, len(docs)
    elif name == INIT_PLAN:
        summary.subsections = len(action.get("sections", []))
    elif name == EXTEND_PLAN:
        summary.subsections = len(action.get("subsections", []))
        summary.parent = section_label(outline, action.get("position"))
    return summary
