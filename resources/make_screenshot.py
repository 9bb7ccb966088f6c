"""Make resources/screenshot.png: the real window after a real (replayed) WARP run.

    xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/python resources/make_screenshot.py

Everything happens in a throwaway DEEPDRAFT_HOME: a small library is indexed through the
library panel, a replay transcript writes a short report through the worker, then a
section is selected and the window grabbed.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
OUT = REPO / "resources" / "screenshot.png"

DOCS = {
    "monsoon-2022.md": "# Monsoon 2022\n\nThe 2022 floods followed record monsoon rain: "
                       "some districts received five times their usual August rainfall.",
    "glaciers.txt": "Melting glaciers in the northern mountains added meltwater to rivers; "
                    "several glacial lake outburst floods were reported in July 2022.",
    "relief-report.md": "# Relief\n\nAid agencies estimated that 33 million people were "
                        "affected; relief camps sheltered families who lost their homes.",
    "health-brief.txt": "After the water receded, clinics reported outbreaks of malaria and "
                        "dengue, and shortages of clean drinking water in flooded districts.",
}
QUESTION = "What caused the 2022 Pakistan floods, and how did relief reach people?"
SECTIONS = [("Record monsoon rain", "How much rain fell and where."),
            ("Glacier melt", "The role of meltwater and lake outbursts."),
            ("People affected", "Scale of displacement and damage."),
            ("Relief and health", "Camps, aid and disease after the floods.")]
TEXTS = [
    "Rainfall in August 2022 reached several times the seasonal norm in the southern "
    "provinces, saturating the ground within weeks \\cite{textid1}.",
    "Meltwater from retreating glaciers swelled the northern rivers, and glacial lake "
    "outbursts sent sudden surges downstream in July \\cite{textid2}.",
    "Agencies counted about 33 million people affected, with whole villages under water "
    "and families moved to camps \\cite{textid3}.",
]


def transcript(path: Path) -> str:
    def reply(action) -> str:
        body = action if isinstance(action, str) else json.dumps(action)
        return json.dumps(f"<thought>Next step.</thought>\n<action>{body}</action>")
    replies = [{"name": "search", "keywords": ["2022 floods causes", "relief"]},
               {"name": "init-plan", "title": "The 2022 Pakistan floods",
                "sections": [{"title": t, "plan": p} for t, p in SECTIONS]}]
    for keyword, text in zip(["monsoon rain", "glacier melt", "people affected"], TEXTS):
        replies += [{"name": "search", "keywords": [keyword]}, text]
    path.write_text("\n".join(reply(r) for r in replies) + "\n", encoding="utf-8")
    return f"replay:{path}"


def wait_for_worker(app, window) -> None:
    import time

    deadline = time.monotonic() + 300
    while window.worker.busy and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="deepdraft-shot-"))
    os.environ["DEEPDRAFT_HOME"] = str(work / "home")
    docs = work / "papers"
    docs.mkdir()
    for name, text in DOCS.items():
        (docs / name).write_text(text, encoding="utf-8")

    from desktop.shell.app import apply_style
    from desktop.shell.main_window import MainWindow
    from desktop.qt import QApplication

    app = QApplication(sys.argv)
    apply_style(app)
    window = MainWindow()
    window.resize(1440, 860)
    window.show()
    window.add_documents([str(docs)])
    wait_for_worker(app, window)
    window.run_bar.question.setText(QUESTION)
    window.run_bar.model.set_spec(transcript(work / "replay.jsonl"))
    window.run_bar.max_steps.setValue(8)      # stop with the last section still planned
    window.write()
    wait_for_worker(app, window)
    window.run_bar.model.set_spec("demo")     # what a user would see selected
    window.outline.setCurrentItem(window.outline.topLevelItem(2))
    app.processEvents()
    window.grab().save(str(OUT))
    print(f"saved {OUT} ({OUT.stat().st_size // 1024} KB)")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
