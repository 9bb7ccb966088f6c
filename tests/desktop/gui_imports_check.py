"""Run as a script by test_engine_process.py: a real window in a fresh interpreter indexes
documents, runs WARP (replay model) and exports, then prints which heavy engine modules
the window's own process holds, as JSON. Waits are event loops on the jobs' signals."""
from __future__ import annotations

import json
import sys
from pathlib import Path

HEAVY = ("torch", "sentence_transformers", "chromadb", "llama_cpp")


def wait(signal, timeout_ms: int = 300000) -> None:
    from desktop.qt import QTimer
    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()
    signal.connect(loop.quit)
    timer = QTimer.singleShot(timeout_ms, lambda: (print("timeout", file=sys.stderr),
                                                   loop.exit(1)))
    if loop.exec() != 0:
        raise SystemExit("timed out waiting for a job")
    del timer


def main(folder: str, transcript: str) -> None:
    from desktop.shell.main_window import MainWindow
    from desktop.qt import QApplication

    app = QApplication.instance() or QApplication([])
    window = MainWindow()
    window.show()
    window.add_documents([folder])
    wait(window.worker.finished)
    window.run_bar.question.setText("What caused the 2022 floods?")
    window.run_bar.model.set_spec(f"replay:{transcript}")
    window.run_bar.max_steps.setValue(4)
    window.write()
    wait(window.worker.finished)
    window.export(str(Path(folder).parent / "out.docx"))
    wait(window.exporter.finished)
    report = {"heavy": [m for m in HEAVY if m in sys.modules],
              "documents": len(window.library.paths()),
              "log": window.log.toPlainText()[-400:],
              "engine_pid": window.engine.pid}
    window.close()
    app.processEvents()
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
