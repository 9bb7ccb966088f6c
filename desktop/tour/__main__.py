"""`python -m desktop.tour OUTDIR [--readme | --screen WxH]`: the offscreen screenshot
tour (desktop.tour.offscreen), or the same app on a real virtual screen (desktop.tour.screen)."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from desktop.tour.fixture import MAX_STEPS, QUESTION, TOUR


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    readme = "--readme" in args
    args = [a for a in args if a != "--readme"]
    screen = None
    if "--screen" in args and args.index("--screen") + 1 < len(args):
        at = args.index("--screen")
        screen, args = args[at + 1], args[:at] + args[at + 2:]
    if len(args) != 1:
        print("usage: python -m desktop.tour OUTDIR [--readme | --screen WxH]",
              file=sys.stderr)
        return 2
    if screen is not None:
        return _screen_tour(Path(args[0]), screen)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["DEEPDRAFT_HOME"] = tempfile.mkdtemp(prefix="deepdraft-tour-home-")
    from desktop.tour.offscreen import run_tour

    tour = run_tour(Path(args[0]), readme=readme)
    print("saved:", ", ".join(tour.saved))
    for name, value in tour.figures.items():
        print(f"{name}: {value * 1000:.0f} ms")
    return 0


def _screen_tour(outdir: Path, size: str) -> int:
    """The same app on a real (virtual) screen with a window manager: desktop.tour.screen."""
    from desktop.tour.screen import ScreenRun, parse_size, run_screen_tour

    work = Path(tempfile.mkdtemp(prefix="deepdraft-screen-"))
    transcript = work / "transcript.jsonl"
    shutil.copy(TOUR / "transcript.jsonl", transcript)
    return run_screen_tour(ScreenRun(outdir, parse_size(size), TOUR / "library", transcript,
                                     QUESTION, MAX_STEPS))


if __name__ == "__main__":
    raise SystemExit(main())
