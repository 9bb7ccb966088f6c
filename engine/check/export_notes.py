"""The claim check's undismissed flags as reviewer comments for export: one comment per
flagged sentence, its reasons joined."""
from __future__ import annotations

from engine.check.record import section_flags, stale_sections
from engine.export.comments import SentenceComment
from engine.project.project_store import ProjectStore

_LABELS = {"figure": "Figure", "name": "Name", "relevance": "Relevance", "model": "Model",
           "source": "Source"}


def sentence_comments(store: ProjectStore) -> tuple[list[SentenceComment], list[str]]:
    """Comments for every undismissed flag, and warnings (sections edited since their
    check carry none: run `deepdraft check` first)."""
    comments = []
    for flags in section_flags(store).values():
        by_sentence: dict[tuple[int, int], list] = {}
        for flag in flags:
            by_sentence.setdefault((flag.start, flag.end), []).append(flag)
        for (start, end), group in by_sentence.items():
            text = "\n".join(f"{_LABELS.get(f.kind, f.kind)}: {f.detail}" for f in group)
            comments.append(SentenceComment(group[0].section, start, end,
                                            "Claim check. " + text))
    stale = stale_sections(store)
    warnings = [f"{len(stale)} section(s) changed since their claim check and carry no "
                "comments; run `deepdraft check` first"] if stale else []
    return comments, warnings
