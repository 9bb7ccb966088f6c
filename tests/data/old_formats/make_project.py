"""Write a project file with the Deepdraft code on sys.path (an older release)."""
import sys
from pathlib import Path

from engine.library.types import Passage
from engine.project.store import ProjectStore, StepRecord
from engine.warp.outline import Node, Outline
from engine.warp.registry import CitationRegistry

target = Path(sys.argv[1])
store = ProjectStore.create(target, "How do floods affect schools?",
                            {"model": "demo", "library": "default", "run": {"max_steps": 40}})
outline = Outline(title="Floods and schools", sections=[
    Node("Causes", "rain and rivers", content="Heavy rain fell for weeks \\cite{textid1}."),
    Node("Impact", "closed schools", subsections=[Node("Buildings", "damage")]),
    Node("Relief", "aid")])
registry = CitationRegistry()
registry.register([Passage(chunk_id="doc1:0", text="Rain fell for six weeks in 2022.",
                           doc_id="doc1", path="/docs/floods.pdf", title="Floods 2022",
                           page=3)])
store.commit_step(StepRecord(step=1, kind="write", cursor="section-1", attempt=1,
                             prompt="the prompt", raw_reply="<thought>t</thought>",
                             action={"name": "write"}, valid=True, shown_keys=["textid1"]),
                  outline, {"steps": 1, "phase": "search"}, registry)
store.close()
print("wrote", target)
