"""Asking the agent for more work (Deepen, Rewrite) on a project that has used its step
limit: the window asks whether to extend the limit, and by how much, instead of
starting a run that stops after one step."""
from __future__ import annotations

from desktop.qt import QInputDialog
from engine.warp.edits import Deepen
from engine.warp.state import RunState

DEFAULT_EXTENSION = 10


def steps_used(store) -> int:
    return RunState.from_dict(store.load_run_state()).steps


def ask_extension(parent, used: int, limit: int, what: str) -> int | None:
    """Extra steps the user grants (None: they declined)."""
    extra, ok = QInputDialog.getInt(
        parent, "Step limit reached",
        f"This report has used {used} of its {limit} steps, so the agent cannot {what} "
        f"without more.\nExtend the step limit by:", DEFAULT_EXTENSION, 1, 10000)
    return extra if ok else None


def room_for_agent(parent, store, limit_box, edit) -> bool:
    """True when the agent may run: steps are left under the limit in `limit_box` (a
    QSpinBox), or the user agreed to raise it (the box then shows the new limit)."""
    used, limit = steps_used(store), limit_box.value()
    if used < limit:
        return True
    what = "deepen this section" if isinstance(edit, Deepen) else "rewrite this section"
    extra = ask_extension(parent, used, limit, what)
    if extra is None:
        return False
    limit_box.setValue(used + extra)
    return True


def unwritten_titles(outline: dict) -> list[str]:
    """Titles of the sections that have no text yet, in outline order."""
    titles: list[str] = []

    def walk(nodes: list[dict]) -> None:
        for node in nodes:
            if node.get("content") is None:
                titles.append(node.get("title", ""))
            walk(node.get("subsections", []))

    walk(outline.get("sections", []))
    return titles


def limit_reached_text(outline: dict) -> str:
    """What the window says when a run stopped at its step limit."""
    from desktop.common.words import plural

    missing = unwritten_titles(outline)
    if not missing:
        return "Run stopped at its step limit; every section is written."
    named = ", ".join(f"“{t}”" for t in missing[:3]) + (" …" if len(missing) > 3 else "")
    return (f"Run stopped at its step limit with {plural(len(missing), 'section')} not yet "
            f"written ({named}). Raise Steps and press Resume to finish them; an export "
            f"marks them “not yet written”.")
