"""Run statistics, next to the published model's averages (AgentCPM-Report paper).

One home for counting a run: the live counters the run sends with every step and the full
statistics it sends when it ends both come from here, so a viewer never recounts."""
from __future__ import annotations

from engine.cite import cited_keys
from engine.project.project_store import ProjectStore
from engine.warp.state import RunState

PAPER = {"writes": 39.5, "expansions": 8.6, "sections_level_1": 6.5,
         "sections_level_2": 15.8, "sections_level_3": 17.3}


def run_counts(store: ProjectStore, state: RunState) -> dict:
    """The counters that change every step: steps committed, valid writes, accepted
    deepenings (extend-plans that added subsections), invalid replies (and of them the
    degenerate writes: loops, copied instructions), tokens."""
    totals = store.step_totals()
    return {"steps": totals["steps"], "writes": state.writes,
            "expansions": state.expansions, "retries": state.retries,
            "degenerate_writes": state.degenerate,
            "prompt_tokens_submitted": totals["prompt_tokens"],
            "prompt_tokens_evaluated": totals["prompt_tokens_evaluated"],
            "completion_tokens": totals["completion_tokens"]}


def run_stats(store: ProjectStore) -> dict:
    state = RunState.from_dict(store.load_run_state())
    totals = store.step_totals()
    outline = store.load_outline()
    registry = store.load_registry()
    levels = outline.count_by_level()
    cited = {k for _, node in outline.walk() if node.content for k in cited_keys(node.content)}
    model, retrieval = totals["model_seconds"], totals["retrieval_seconds"]
    engine = totals["engine_seconds"]
    wall = model + retrieval + engine
    written = sum(1 for _, node in outline.walk() if node.written)
    return {
        **run_counts(store, state),
        "sections_level_1": levels.get(1, 0),
        "sections_level_2": levels.get(2, 0),
        "sections_level_3": levels.get(3, 0),
        "sections_written": written,
        "citations": len(cited),
        "citations_resolved": sum(1 for k in cited if registry.resolve(k)),
        "passages_shown": len(registry),
        "seconds": {"wall": round(wall, 3), "model": round(model, 3),
                    "retrieval": round(retrieval, 3), "engine": round(engine, 3)},
        "engine_share": round(engine / wall, 4) if wall else 0.0,
        "finished": state.finished,
        "paper_averages": PAPER,
    }
