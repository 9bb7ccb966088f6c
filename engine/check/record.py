"""The claim check over a project: run it for a section or the whole report, record the
flags in the project, read them back, dismiss one. This is the API the CLI, the WARP run
and the window use; everything is keyed by the outline node id.

    checker = open_checker(library)                # once per run or window
    recheck_section(store, node_id, checker, library)   # after a write or an edit
    recheck_report(store, checker, library)         # on demand (deepdraft check)
    section_flags(store)                            # node_id -> [Flag] (undismissed)
    dismiss_flag(store, flag_id)                    # kept across reloads
"""
from __future__ import annotations

from engine.check.checker import ClaimChecker, Evidence
from engine.check.types import Flag
from engine.project.claim_checks import text_hash
from engine.project.project_store import ProjectStore
from engine.report.outline import Outline


def open_checker(library=None, relevance: bool = True) -> ClaimChecker:
    """A checker; with `relevance`, sentences are compared with their passages by the
    library's embedding model (the bundled MiniLM when there is no library)."""
    if not relevance:
        return ClaimChecker()
    from engine.check.relevance import library_relevance

    return ClaimChecker(library_relevance(library))


def evidence_for(store: ProjectStore, library=None, outline: Outline | None = None) -> Evidence:
    """What the project's sections are checked against. With `library`, a cited chunk
    it no longer holds is marked missing ("source no longer in the library")."""
    outline = outline or store.load_outline()
    citations = dict(store.load_registry().items())
    missing: set[str] = set()
    get_passages = getattr(library, "get_passages", None)
    if get_passages is not None and citations:
        present = {p.chunk_id for p in get_passages(
            [p.chunk_id for p in citations.values()])}
        missing = {k for k, p in citations.items() if p.chunk_id not in present}
    outline_text = "\n".join([outline.title] + [f"{n.title}\n{n.plan}" for _, n in outline.walk()])
    return Evidence(citations=citations, question=store.query, outline_text=outline_text,
                    missing=missing)


def recheck_section(store: ProjectStore, node_id: str, checker: ClaimChecker,
                    library=None, evidence: Evidence | None = None,
                    model=None) -> list[Flag]:
    """Check one section as its text is now, record the flags, return the undismissed.
    With `model` (a backend; see engine.check.model_check.model_can_check) each flagged
    sentence also gets the model's yes / partly / no."""
    outline = store.load_outline()
    position = outline.position_of(node_id)
    evidence = evidence or evidence_for(store, library, outline)
    flags = _check_node(checker, outline, position, evidence)
    if model is not None and flags:
        from engine.check.model_check import model_flags

        flags = sorted(flags + model_flags(model, flags, evidence.citations),
                       key=lambda f: f.start)
    store.save_claim_check(node_id, outline.node_at(position).content,
                           [f.to_dict() for f in flags])
    return _mark_dismissed(flags, store.dismissed_flags(), include=False)


def recheck_report(store: ProjectStore, checker: ClaimChecker, library=None) -> list[Flag]:
    """Check every written section (on demand); returns the undismissed flags."""
    outline = store.load_outline()
    evidence = evidence_for(store, library, outline)
    for position, node in outline.walk():
        if node.written:
            flags = _check_node(checker, outline, position, evidence)
            store.save_claim_check(node.node_id, node.content, [f.to_dict() for f in flags])
    return [f for flags in section_flags(store).values() for f in flags]


def section_flags(store: ProjectStore, include_dismissed: bool = False
                  ) -> dict[str, list[Flag]]:
    """node_id -> its recorded flags, in outline order. A section whose text changed
    since its check is left out (recheck it); dismissed flags only when asked, marked."""
    recorded, dismissed = store.claim_checks(), store.dismissed_flags()
    out: dict[str, list[Flag]] = {}
    for position, node in store.load_outline().walk():
        digest, flags = recorded.get(node.node_id, (None, []))
        if flags and digest == text_hash(node.content):
            kept = _mark_dismissed([Flag.from_dict(f) for f in flags], dismissed,
                                   include_dismissed)
            if kept:
                out[node.node_id] = kept
    return out


def stale_sections(store: ProjectStore) -> list[str]:
    """Written sections whose text has no check yet (edited since, or never checked)."""
    recorded = store.claim_checks()
    return [node.node_id for _, node in store.load_outline().walk()
            if node.written and recorded.get(node.node_id, ("",))[0] != text_hash(node.content)]


def dismiss_flag(store: ProjectStore, flag_id: str) -> Flag:
    """Dismiss a recorded flag: it stays dismissed (across reloads and rechecks) while
    its sentence and reason stay the same. KeyError for an unknown id."""
    for flags in section_flags(store, include_dismissed=True).values():
        for flag in flags:
            if flag.flag_id == flag_id:
                flag.dismissed = True
                store.dismiss_flag(flag.to_dict())
                return flag
    raise KeyError(f"no flag {flag_id}")


def _check_node(checker: ClaimChecker, outline: Outline, position: str,
                evidence: Evidence) -> list[Flag]:
    node = outline.node_at(position)
    return checker.check(node.content, evidence, section=position.removeprefix("section-"),
                         node_id=node.node_id, title=node.title)


def _mark_dismissed(flags: list[Flag], dismissed: set[str], include: bool) -> list[Flag]:
    for flag in flags:
        flag.dismissed = flag.flag_id in dismissed
    return [f for f in flags if include or not f.dismissed]
