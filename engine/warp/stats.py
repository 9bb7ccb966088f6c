"""Run statistics, next to the published model's averages (AgentCPM-Report paper)."""
from __future__ import annotations

from engine.project.project_store import ProjectStore
from engine.warp.state import RunState
from engine.cite import cited_keys

PAPER = {"writes": 39.5, "expansions": 8.6, "sections_level_1": 6.5,
         "sections_level_2": 15.8, "sections_level_3": 17.3}


def run_stats(store: ProjectStore) -> dict:
    steps = store.steps()
    state = RunState.from_dict(store.load_run_state())
    outline = store.load_outline()
    registry = store.load_registry()
    levels = outline.count_by_level()
    cited = {k for _, node in outline.walk() if node.content for k in cited_keys(node.content)}
    model = sum(s["model_seconds"] for s in steps)
    retrieval = sum(s["retrieval_seconds"] for s in steps)
    engine = sum(s["engine_seconds"] for s in steps)
    wall = model + retrieval + engine
    written = sum(1 for _, node in outline.walk() if node.written)
    return {
        "steps": len(steps),
        "writes": state.writes,
        "expansions": state.expansions,
        "retries": state.retries,
        "sections_level_1": levels.get(1, 0),
        "sections_level_2": levels.get(2, 0),
        "sections_level_3": levels.get(3, 0),
        "sections_written": written,
        "citations": len(cited),
        "citations_resolved": sum(1 for k in cited if registry.resolve(k)),
        "passages_shown": len(registry),
        "prompt_tokens_submitted": sum(s["prompt_tokens"] for s in steps),
        "prompt_tokens_evaluated": sum(s["prompt_tokens_evaluated"] for s in steps),
        "completion_tokens": sum(s["completion_tokens"] for s in steps),
        "seconds": {"wall": round(wall, 3), "model": round(model, 3),
                    "retrieval": round(retrieval, 3), "engine": round(engine, 3)},
        "engine_share": round(engine / wall, 4) if wall else 0.0,
        "finished": state.finished,
        "paper_averages": PAPER,
    }
