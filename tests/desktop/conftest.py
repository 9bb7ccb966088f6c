"""Desktop fixtures: the real main window, a project with an outline, small documents."""
from __future__ import annotations

import pytest

from engine.report.outline import Node, Outline

DOCS = {
    "rain.md": "# Rain\n\nThe 2022 floods followed record monsoon rain: some districts received "
               "five times their usual August rainfall, according to the weather service.",
    "glaciers.txt": "Melting glaciers in the northern mountains added meltwater to rivers, and "
                    "several glacial lake outburst floods were reported in July 2022.",
    "relief.md": "# Relief\n\nAid agencies estimated that 33 million people were affected; "
                 "relief camps sheltered families whose homes were destroyed by the water.",
}
QUESTION = "What caused the 2022 floods and who was affected?"



def _open_window(qtbot):
    from desktop.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    yield win
    win.worker.shutdown()
    win.engine.shutdown()


@pytest.fixture
def window(qtbot):
    yield from _open_window(qtbot)


@pytest.fixture
def second_window(qtbot):
    """Another window of the same app, on its own engine process."""
    yield from _open_window(qtbot)


@pytest.fixture
def corpus_dir(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def planned_project(tmp_path):
    """A project whose outline has three sections, the second with two subsections."""
    from engine.warp.run_factory import create_project

    store = create_project(tmp_path / "planned.ddproj", QUESTION, model="demo")
    outline = Outline(title="The 2022 floods", sections=[
        Node("Causes", "rain and glaciers"),
        Node("Impact", "who was affected", subsections=[Node("People", "numbers"),
                                                         Node("Homes", "damage")]),
        Node("Relief", "aid", content="Agencies helped.")])
    store.commit_decision(0, "test setup", {}, outline, {}, store.load_registry())
    path = store.path
    store.close()
    return path
