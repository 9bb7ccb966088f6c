"""The claim check's engine-process job: the window sends the sections' text and the
evidence (plain data read from its project), the job checks them with the library's own
embedder (engine.check) and sends the flags back; the window, the project's writer,
records them. So a check never writes the project from a second process."""
from __future__ import annotations

from dataclasses import dataclass

from desktop.engine_link.jobs import JobSpec
from engine.cancel import CancelToken


@dataclass
class SectionsChecked:
    """node_id -> (the text checked, its flags as dicts)."""
    results: dict


def check_sections_job(library: str, sections: list[dict], evidence: dict) -> JobSpec:
    """`sections`: [{node_id, section, title, content}]; `evidence`: citations (key ->
    Passage dict), question, outline_text, missing keys."""
    return JobSpec.of(_check_sections, library, sections, evidence)


def _check_sections(library: str, sections: list[dict], evidence: dict):
    def job(cancel: CancelToken):
        from engine.check import Evidence, open_checker
        from engine.library import open_library
        from engine.library.types import Passage

        opened = open_library(library)
        try:
            citations = {k: Passage.from_dict(p) for k, p in evidence["citations"].items()}
            present = {p.chunk_id for p in opened.get_passages(
                [p.chunk_id for p in citations.values()])} if citations else set()
            facts = Evidence(citations=citations, question=evidence["question"],
                             outline_text=evidence["outline_text"],
                             missing={k for k, p in citations.items()
                                      if p.chunk_id not in present})
            checker = open_checker(opened)
            results = {}
            for part in sections:
                cancel.raise_if_cancelled()
                flags = checker.check(part["content"], facts, section=part["section"],
                                      node_id=part["node_id"], title=part["title"])
                results[part["node_id"]] = (part["content"], [f.to_dict() for f in flags])
            yield SectionsChecked(results)
        finally:
            opened.close()
    return job
