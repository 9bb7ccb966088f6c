"""Fixtures for WARP tests: a small real library and replay transcripts."""
from __future__ import annotations

import json

import pytest

DOCS = {
    "rain.md": "# Rain\n\nThe 2022 floods followed record monsoon rain: some districts received "
               "five times their usual August rainfall, according to the weather service.",
    "glaciers.txt": "Melting glaciers in the northern mountains added meltwater to rivers, and "
                    "several glacial lake outburst floods were reported in July 2022.",
    "relief.md": "# Relief\n\nAid agencies estimated that 33 million people were affected; "
                 "relief camps sheltered families whose homes were destroyed by the water.",
}


@pytest.fixture
def corpus_dir(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def small_library(corpus_dir):
    from engine.library import open_library

    library = open_library("warp-tests")
    for _ in library.ingest([corpus_dir]):
        pass
    return library


def thought_action(action) -> str:
    body = action if isinstance(action, str) else json.dumps(action)
    return f"<thought>I follow the plan.</thought>\n<action>{body}</action>"


@pytest.fixture
def replay_file(tmp_path):
    def write(replies: list) -> str:
        path = tmp_path / "transcript.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for reply in replies:
                # dict: a JSON action; "RAW:..." verbatim; other text: a write body
                if isinstance(reply, str) and reply.startswith("RAW:"):
                    text = reply.removeprefix("RAW:")
                else:
                    text = thought_action(reply)
                handle.write(json.dumps(text) + "\n")
        return f"replay:{path}"
    return write
