"""The tour on a real screen: `python -m desktop.tour OUTDIR --screen 1366x768` starts Xvfb
at that size with a window manager (openbox), runs the real app on it (Qt's xcb
platform), drives it as a user would (typed keys, clicks) and saves a picture of the
whole screen at each stage: first run, a question typed, indexing, the review, mid-run,
finished, and the Models page offline. At each stage every open window must lie inside
the screen and no text may be cut off without an ellipsis (desktop.tour.screen_fit); the
stages' findings go to OUTDIR/screen-tour.json, and any finding fails the tour.

An offscreen widget grab shows neither a window taller than the screen nor one that
grows; this is where those are seen.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from engine.llm.replay import PACE_ENV as REPLAY_PACE_ENV

WM_WAIT_S = 20
STAGE_TIMEOUT_S = 600
# A host name that can never resolve (RFC 2606): the download meets the same resolver
# failure as on a computer with no network.
OFFLINE_HUB = "http://hub.deepdraft.invalid"
REPLAY_PACE_S = "0.01"     # seconds per 8 characters of a recorded reply: 800 a second


@dataclass
class ScreenRun:
    """What the screen tour needs from desktop.tour.offscreen (passed in: no import cycle)."""
    outdir: Path
    size: tuple[int, int]
    library: Path
    transcript: Path
    question: str
    max_steps: int
    offline_hub: str = OFFLINE_HUB
    stages: list[dict] = field(default_factory=list)


def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise SystemExit(f"--screen wants WIDTHxHEIGHT, such as 1366x768, not {text!r}")
    return width, height


class VirtualScreen:
    """Xvfb at the given size plus openbox; DISPLAY points at it while open."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.processes: list[subprocess.Popen] = []
        self.display = ""

    def __enter__(self) -> "VirtualScreen":
        for tool in ("Xvfb", "openbox", "xprop"):
            if shutil.which(tool) is None:
                raise RuntimeError(f"the screen tour needs {tool} (Debian: xvfb, openbox, "
                                   f"x11-utils)")
        read, write = os.pipe()
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0",
                                 f"{self.width}x{self.height}x24", "-nolisten", "tcp"],
                                pass_fds=(write,), stderr=subprocess.DEVNULL)
        os.close(write)
        self.processes.append(xvfb)
        with os.fdopen(read) as ready:            # Xvfb writes its number once it serves
            self.display = ":" + ready.readline().strip()
        if self.display == ":":
            raise RuntimeError("Xvfb did not start")
        os.environ["DISPLAY"] = self.display
        self.processes.append(subprocess.Popen(["openbox", "--sm-disable"],
                                               stderr=subprocess.DEVNULL))
        self._wait_for_window_manager()
        return self

    def _wait_for_window_manager(self) -> None:
        deadline = time.monotonic() + WM_WAIT_S
        while time.monotonic() < deadline:
            probe = subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"],
                                   capture_output=True, text=True)
            if "window id" in probe.stdout:
                return
            time.sleep(0.1)
        raise RuntimeError("openbox did not start on the virtual screen")

    def __exit__(self, *exc) -> None:
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


def run_screen_tour(run: ScreenRun) -> int:
    """Start the screen, run the stages in the real app, write the findings; the exit
    code is 1 when any stage found a window off the screen or a text cut off."""
    run.outdir.mkdir(parents=True, exist_ok=True)
    os.environ["DEEPDRAFT_HOME"] = tempfile.mkdtemp(prefix="deepdraft-screen-home-")
    # The recorded run plays at a watchable pace (the engine process inherits this):
    # unpaced, its last steps ended within the mid-run shot's settling time.
    os.environ.setdefault(REPLAY_PACE_ENV, REPLAY_PACE_S)
    with VirtualScreen(*run.size):
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        from desktop.tour.screen_stages import drive

        drive(run)
    (run.outdir / "screen-tour.json").write_text(json.dumps(
        {"screen": list(run.size), "stages": run.stages}, indent=2), encoding="utf-8")
    failed = [s for s in run.stages if s["problems"]]
    for stage in run.stages:
        print(f"{stage['name']}: {stage['shot']} "
              f"({'; '.join(stage['problems']) or 'fits'})")
    return 1 if failed else 0
