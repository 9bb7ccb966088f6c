"""Replies the authors' checker accepts cost no retry here: no thought, \\citep, a position
written "Section-1", a key issued in an earlier step, a Markdown table, LaTeX."""
from __future__ import annotations

import json
import re

import pytest

from engine.warp import events as ev
from engine.warp.run_factory import create_project, open_run
from engine.warp.state import RunSettings

TOPICS = ["monsoon rain", "glacier melt", "river levels", "relief camps", "crop losses",
          "cholera cases", "school closures", "road damage", "power cuts", "aid pledges",
          "insurance claims", "dam releases", "livestock deaths", "housing rebuild"]
LONG = "The evidence in the library describes this part of the flood in useful detail"


@pytest.fixture
def wide_library(tmp_path):
    """Fourteen one-chunk documents: the outline search (budget 20) shows them all, a
    later search (budget 10) shows only some."""
    from engine.library import open_library

    folder = tmp_path / "wide"
    folder.mkdir()
    for n, topic in enumerate(TOPICS):
        (folder / f"doc{n:02d}.txt").write_text(
            f"Report {n} on {topic} during the 2022 floods: {topic} were recorded in "
            f"district {n} and described by local officials.", encoding="utf-8")
    library = open_library("wide-tests")
    for _ in library.ingest([folder]):
        pass
    return library


def raw(action) -> str:
    body = action if isinstance(action, str) else json.dumps(action)
    return "RAW:" + body


SECTIONS = [{"title": "Causes", "plan": "Rain and glaciers."},
            {"title": "Impact", "plan": "People affected."},
            {"title": "Relief", "plan": "Aid and camps."}]
ALL_KEYS = ", ".join(f"textid{n}" for n in range(1, len(TOPICS) + 1))
TABLE = ("| District | Rain (mm) |\n|---|---|\n| North | 410 |\n| South | 380 |\n\n"
         + LONG + " \\citep{textid1}.")
LATEX = (LONG + ": the share affected was $\\frac{33}{220} \\approx 15\\%$ "
         "\\citet{" + ALL_KEYS + "}.")
TRANSCRIPT = [
    raw('<action>{"name": "search", "keywords": ["floods"]}</action>'),   # no thought
    {"name": "init-plan", "title": "The 2022 floods", "sections": SECTIONS},
    {"name": "search", "keywords": ["monsoon rain"]},
    TABLE,                                                               # table + \citep
    {"name": "search", "keywords": ["relief camps"]},
    LATEX,                                                               # LaTeX + earlier keys
    {"name": "search", "keywords": ["aid pledges"]},
    raw("Writing now.\n<action>" + LONG + " \\cite{textid2}.</action>"),  # action after text
    {"name": "extend-plan", "position": "Section-1",                      # capitalised
     "subsections": [{"title": "Rain", "plan": "Monsoon."}, {"title": "Ice", "plan": "Melt."}]},
    {"name": "search", "keywords": ["monsoon rain"]},
    LONG + " \\cite{textid1}.",
    {"name": "search", "keywords": ["glacier melt"]},
    LONG + " \\parencite{textid2}.",
    raw('<action>{"name": "nop"}</action>'),
]


def test_variants_the_authors_accept_cost_no_retry(tmp_path, wide_library, replay_file):
    store = create_project(tmp_path / "v.ddproj", "What caused the 2022 floods and who was hit?",
                           model=replay_file(TRANSCRIPT), library="wide-tests",
                           run=RunSettings(constrained=False))
    events = list(open_run(store).events())
    problems = [e.problems for e in events if isinstance(e, ev.StepFinished) and not e.valid]
    assert problems == []
    done = events[-1]
    assert isinstance(done, ev.Done) and done.reason == "complete"
    assert done.stats["retries"] == 0 and done.stats["steps"] == len(TRANSCRIPT)
    outline = store.load_outline()
    assert [n.title for n in outline.sections[0].subsections] == ["Rain", "Ice"]
    assert "| North | 410 |" in outline.sections[0].content
    registry = store.load_registry()
    assert len(registry) == len(TOPICS)
    latex_step = next(s for s in store.steps() if s["kind"] == "write" and "frac" in s["raw_reply"])
    cited = set(re.findall(r"textid\d+", latex_step["raw_reply"]))
    assert cited - set(latex_step["shown_keys"])   # keys from earlier steps were cited
