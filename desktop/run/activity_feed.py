"""The run in words: one sentence per thing the agent did, read from the engine's typed
events ("Searching 'Kerch bridge': 18 passages from 3 documents"). The raw model output
stays in the log panel, behind the feed's toggle."""
from __future__ import annotations

from desktop.common.words import plural
from engine.warp import events as ev

# Validation problems (engine.warp.validate) in a reader's words; matched by prefix.
PLAIN_PROBLEMS = [
    ("cites keys not shown", "cited a passage it was not shown"),
    ("section text must be longer", "text too short"),
    ("section text must not contain '#'", "used a heading"),
    ("reply was cut off", "reply cut off by the length limit"),
    ("search needs", "wrong number of search keywords"),
    ("subsections: need", "wrong number of subsections"),
    ("sections: need", "wrong number of sections"),
]


def plain_problem(problem: str) -> str:
    for prefix, words in PLAIN_PROBLEMS:
        if problem.startswith(prefix):
            return words
    return problem.rstrip(".")


def _quoted(keywords: list[str]) -> str:
    return ", ".join(f"'{k}'" for k in keywords)


def _finished(event: ev.StepFinished) -> str | None:
    if not event.valid:
        reason = plain_problem(event.problems[0]) if event.problems else "invalid reply"
        return f"Reply rejected ({reason}); retrying"
    summary = event.summary
    if event.action == "write":
        docs = summary.cited_documents
        return (f"Writing {summary.section}: cites {plural(len(summary.cited_keys), 'passage')}"
                f" from {plural(docs, 'document')}")
    if event.action == "init-plan":
        return f"Planned the report: {plural(summary.subsections, 'section')}"
    if event.action == "extend-plan":
        parent = summary.parent.split(" ", 1)[-1] if summary.parent else "a section"
        return f"Proposed {plural(summary.subsections, 'subsection')} under {parent}"
    if event.action == "nop":
        return "Judged the report detailed enough; no more subsections"
    return None


def sentence(event: object) -> str | None:
    """The feed's line for an event; None for events it does not report."""
    if isinstance(event, ev.RetrievalHits):
        docs = len({p.doc_id for p in event.passages})
        return (f"Searching {_quoted(event.keywords)}: "
                f"{plural(len(event.keys), 'passage')} from {plural(docs, 'document')}")
    if isinstance(event, ev.StepFinished):
        return _finished(event)
    if isinstance(event, ev.Proposal):
        what = "outline" if event.action == "init-plan" else "subsections"
        return f"Waiting for your review of the proposed {what}"
    if isinstance(event, ev.Warning):
        return f"Note: {event.message}"
    if isinstance(event, ev.Error):
        return f"Stopped by an error: {event.message}"
    if isinstance(event, ev.Done):
        return {"complete": "Finished: the report is complete",
                "step limit": "Stopped: the step limit was reached",
                "cancelled": "Stopped at your request"}.get(event.reason,
                                                             f"Stopped: {event.reason}")
    return None
