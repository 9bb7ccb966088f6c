"""Constants shared by the desktop tests."""
LONG = 90000   # ms; the first Chroma/MiniLM load on 2 cores is slow

import json

SECTIONS = [{"title": "Causes", "plan": "Rain and glaciers."},
            {"title": "Impact", "plan": "People affected."},
            {"title": "Relief", "plan": "Aid and camps."}]
INIT = {"name": "init-plan", "title": "The 2022 floods", "sections": SECTIONS}
EVIDENCE = "The documents in the library describe this part of the 2022 floods in useful detail"


def search(*keywords) -> dict:
    return {"name": "search", "keywords": list(keywords)}


def body(*keys: str) -> str:
    """A valid write: over 50 characters, no '#', citing keys every search shows."""
    return EVIDENCE + " " + " ".join("\\cite{%s}" % k for k in keys) + "."


def write_transcript(path, replies: list) -> str:
    """A replay transcript (one JSON string per line) in the model's reply format;
    returns the model spec that serves it."""
    with open(path, "w", encoding="utf-8") as handle:
        for reply in replies:
            action = reply if isinstance(reply, str) else json.dumps(reply)
            text = f"<thought>I follow the plan.</thought>\n<action>{action}</action>"
            handle.write(json.dumps(text) + "\n")
    return f"replay:{path}"
