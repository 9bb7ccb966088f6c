"""What the library panel says: a document's status, a failure's reason, an ingest's
summary, and the heading with the document count."""
from __future__ import annotations

from desktop.common.words import plural


def failure_text(reason: str, detail: str) -> str:
    """'failed: corrupt — Invalid number of pages': the reason and what lay under it."""
    detail = detail.split(": ", 1)[1] if detail[:1].isupper() and "Error: " in detail \
        else detail   # "ValueError: Invalid ..." -> "Invalid ..."
    return f"failed: {reason} — {detail}" if detail and detail != reason else f"failed: {reason}"


def status_text(doc) -> str:
    """'indexed · 4 chunks' (with what was set aside: running heads, repeated passages),
    or the status with the reason a user can act on."""
    if doc.status == "indexed":
        aside = doc.set_aside()
        return f"indexed · {plural(doc.n_chunks, 'chunk')}" + (f" · {aside}" if aside else "")
    if doc.status == "failed":
        return failure_text(doc.reason, doc.detail)
    return f"{doc.status}: {doc.reason}" if doc.reason else doc.status


def indexed_text(chunks: int) -> str:
    return f"indexed · {plural(chunks, 'chunk')}"


def heading_text(library: str, total: int, shown: int, filtered: bool) -> str:
    """'Library: default (4 documents)', or '(3 of 2,000 documents)' while filtered."""
    count = f"{shown:,} of {plural(total, 'document')}" if filtered \
        else plural(total, "document")
    return f"Library: {library} ({count})"


def summary(done) -> str:
    if done.cancelled:
        return f"Stopped: {done.indexed} indexed before the stop."
    parts = [f"{done.indexed} indexed"]
    if done.skipped:
        parts.append(f"{done.skipped} unchanged or skipped")
    if done.failed:
        parts.append(f"{done.failed} failed (" + ", ".join(
            f"{n} {reason}" for reason, n in done.failures.items()) + ")")
    return "Done: " + ", ".join(parts) + f" in {done.seconds:.1f}s."
