"""The window on a real screen (issue 25): the fit checks find a window larger than its
screen and a cut-off text, and leave an elided line alone; the screen tour runs the real
app under Xvfb with a window manager at a laptop's 1366 x 768 and at 1920 x 1080, and
every stage fits."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.qt import QLabel, QMainWindow, QVBoxLayout, QWidget
from desktop.tour.screen_fit import cut_texts, windows_off_screen

from tests.real_parts import require

REPO = Path(__file__).resolve().parents[3]


def test_the_checks_find_what_a_user_would_see(qtbot):
    from desktop.common.elided_label import ElidedLabel

    window = QMainWindow()
    qtbot.addWidget(window)
    body = QWidget()
    layout = QVBoxLayout(body)
    cut = QLabel("Step 12 of 140 · 3 of 12 sections written · 4:31 elapsed · about 7:41 left")
    elided = ElidedLabel(cut.text())
    for label in (cut, elided):
        label.setFixedWidth(120)
        layout.addWidget(label)
    window.setCentralWidget(body)
    window.show()
    qtbot.waitExposed(window)
    problems = cut_texts(window)
    assert len(problems) == 1 and problems[0].startswith("QLabel “Step 12 of 140")
    assert elided.is_elided() and elided.shown_text().endswith("…")
    assert elided.toolTip() == elided.full_text()
    assert windows_off_screen([window]) == []
    screen = window.screen().availableGeometry()
    window.resize(screen.width() + 300, screen.height() + 200)
    qtbot.waitUntil(lambda: window.width() > screen.width())
    assert len(windows_off_screen([window])) == 1


@pytest.mark.parametrize("size", ["1366x768", "1920x1080"])
def test_the_screen_tour_fits_every_stage(size, tmp_path):
    require(shutil.which("Xvfb") and shutil.which("openbox") and shutil.which("xprop"),
            "Xvfb, openbox and xprop (Debian: xvfb openbox x11-utils) for the screen tour")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "desktop.tour", str(tmp_path), "--screen",
                           size], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=1500)
    report = tmp_path / "screen-tour.json"
    assert report.is_file(), done.stderr[-3000:]
    stages = json.loads(report.read_text())["stages"]
    assert [s["name"] for s in stages] == ["first-run", "question-typed", "indexing",
                                           "review", "mid-run", "finished", "models-offline"]
    assert [s for s in stages if s["problems"]] == [], done.stdout
    assert done.returncode == 0, done.stderr[-3000:]
    width, height = (int(n) for n in size.split("x"))
    for stage in stages:
        x, y, w, h = stage["window"]
        assert w <= width and h <= height
        assert (tmp_path / stage["shot"]).stat().st_size > 10_000   # a real picture
