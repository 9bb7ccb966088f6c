"""A finished step described for a reader: which section, what it cited, what it added."""
from __future__ import annotations

from engine.report.outline import OUTLINE_CURSOR, Outline
from engine.report.registry import CitationRegistry
from engine.warp.actions import ExtendPlan, InitPlan, Write
from engine.warp.events import StepSummary
from engine.warp.validate import cited_keys


def section_label(outline: Outline, position: str | None) -> str:
    """'2.1 Causes' for section-2.1; '' for the outline cursor or a vanished node."""
    if not position or position == OUTLINE_CURSOR:
        return ""
    try:
        node = outline.node_at(position)
    except (KeyError, ValueError):
        return position
    return f"{position.removeprefix('section-')} {node.title}"


def summarize(outline: Outline, registry: CitationRegistry, action, cursor: str | None,
              applied: bool) -> StepSummary:
    """The summary of a step whose action (None when invalid) was applied or not."""
    summary = StepSummary(section=section_label(outline, cursor))
    if applied and isinstance(action, Write):
        keys = list(dict.fromkeys(cited_keys(action.text)))
        docs = {p.doc_id for k in keys if (p := registry.resolve(k)) is not None}
        summary.cited_keys, summary.cited_documents = keys, len(docs)
    elif applied and isinstance(action, InitPlan):
        summary.subsections = len(outline.sections)
    elif applied and isinstance(action, ExtendPlan):
        node = outline.node_at(action.position)   # as applied (the user may have edited it)
        summary.subsections = len(node.subsections)
        summary.parent = section_label(outline, action.position)
    return summary
