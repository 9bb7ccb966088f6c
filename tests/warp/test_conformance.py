"""Protocol conformance: hand-written transcripts in the model's exact reply format, served
by the replay backend, drive a real library and the real store."""
from __future__ import annotations

import re

from engine.project.project_store import ProjectStore
from engine.warp import events as ev
from engine.warp.run_factory import create_project, open_run
from engine.warp.state import RunSettings

SECTIONS = [{"title": "Causes", "plan": "Rain and glaciers."},
            {"title": "Impact", "plan": "People affected."},
            {"title": "Relief", "plan": "Aid and camps."}]
INIT = {"name": "init-plan", "title": "The 2022 floods", "sections": SECTIONS}


def search(*keywords):
    return {"name": "search", "keywords": list(keywords)}


def body(text, *keys):
    return text + " " + " ".join("\\cite{%s}" % k for k in keys) + "."


LONG = "The evidence in the library describes this part of the flood in useful detail"

TRANSCRIPT = [
    search("monsoon rain floods", "glacier melt"),          # 1 outline search
    INIT,                                                   # 2 init-plan
    search("flood causes"),                                 # 3 section-1
    body(LONG, "textid1", "textid2"),                       # 4 write section-1
    "RAW:no tags at all",                                   # 5 invalid search: no tags
    search("a", "b", "c", "d", "e", "f"),                   # 6 invalid: too many keywords
    search("people affected"),                              # 7 section-2
    body(LONG, "textid9"),                                  # 8 invalid: unseen key
    body("这是一个中文段落，和英文问题的语言不一致，所以应当被拒绝并重试。", "textid1"),  # 9 invalid: language
    body(LONG, "textid3"),                                  # 10 write section-2
    search("relief camps"),                                 # 11 section-3
    body("# A heading is not allowed. " + LONG, "textid2"), # 12 invalid: '#'
    body(LONG, "textid2"),                                  # 13 write section-3
    "RAW:<thought>deepen</thought><action>{\"name\": \"extend-plan\", \"position\": \"section-1\", "
    "\"subsections\": [], \"why\": 1}</action>",            # 14 invalid: wrong keys
    {"name": "extend-plan", "position": "section-1",
     "subsections": [{"title": "Rain", "plan": "Monsoon."}, {"title": "Glaciers", "plan": "Melt."}]},
    search("rain"),                                         # 16 section-1.1
    body(LONG, "textid1"),                                  # 17
    search("glaciers"),                                     # 18 section-1.2
    body(LONG, "textid2"),                                  # 19
    "RAW:<thought>broken json</thought><action>{\"name\": \"nop\"</action>",  # 20 invalid
    {"name": "nop"},                                        # 21
]


def run_transcript(tmp_path, replay, library_name="warp-tests", **run):
    store = create_project(tmp_path / "p.ddproj", "What caused the 2022 floods and who was hit?",
                           model=replay, library=library_name,
                           run=RunSettings(constrained=False, **run))
    events = list(open_run(store).events())
    return store, events


def test_transcript_drives_the_protocol(tmp_path, small_library, replay_file):
    store, events = run_transcript(tmp_path, replay_file(TRANSCRIPT))
    started = [(e.action, e.cursor) for e in events if isinstance(e, ev.StepStarted)]
    assert [c for _, c in started] == (
        ["outline"] * 2 + ["section-1"] * 2 + ["section-2"] * 6 + ["section-3"] * 3
        + [None] * 2 + ["section-1.1"] * 2 + ["section-1.2"] * 2 + [None] * 2)
    assert [a for a, _ in started][:4] == ["search", "init-plan", "search", "write"]
    finished = [e for e in events if isinstance(e, ev.StepFinished)]
    invalid = {e.step: e.problems for e in finished if not e.valid}
    assert sorted(invalid) == [5, 6, 8, 9, 12, 14, 20]
    assert "missing <action>" in invalid[5][0]
    assert any("keywords" in p for p in invalid[6])
    assert any("never shown" in p and "textid9" in p for p in invalid[8])
    assert any("query's language" in p for p in invalid[9])
    assert any("'#'" in p for p in invalid[12])
    assert any("exactly the keys" in p for p in invalid[14])
    assert any("JSON" in p for p in invalid[20])
    done = events[-1]
    assert isinstance(done, ev.Done) and done.reason == "complete"
    assert done.stats["writes"] == 5 and done.stats["expansions"] == 1
    assert done.stats["retries"] == 7 and done.stats["steps"] == 21

    outline = store.load_outline()
    assert outline.title == "The 2022 floods"
    assert [n.title for n in outline.sections] == ["Causes", "Impact", "Relief"]
    assert [n.title for n in outline.sections[0].subsections] == ["Rain", "Glaciers"]
    assert outline.sections[0].content.startswith(LONG)  # parent keeps its content
    assert outline.cursor() is None

    registry = store.load_registry()
    assert len(registry) == 3  # three one-chunk documents, stable keys across searches
    paths = {registry.resolve(k).path.rsplit("/", 1)[-1] for k in ("textid1", "textid2", "textid3")}
    assert paths == {"rain.md", "glaciers.txt", "relief.md"}
    for step in store.steps():
        if step["kind"] == "write" and step["valid"]:
            keys = re.findall(r"textid\d+", step["raw_reply"])
            assert set(keys) <= {k for k, _ in registry.items()}


def test_final_markdown_names_documents(tmp_path, small_library, replay_file):
    from engine.export import export_markdown

    store, _ = run_transcript(tmp_path, replay_file(TRANSCRIPT))
    out = tmp_path / "report.md"
    export_markdown(store.load_report(), out)
    text = out.read_text(encoding="utf-8")
    assert "The 2022 floods" in text and "Causes" in text and "Glaciers" in text
    assert "\\cite" not in text
    assert "rain.md" in text and "relief.md" in text


def test_interactive_review_accept_edit_reject(tmp_path, small_library, replay_file):
    extend = {"name": "extend-plan", "position": "section-2",
              "subsections": [{"title": "X", "plan": "x"}, {"title": "Y", "plan": "y"}]}
    replies = [search("floods"), INIT, search("c"), body(LONG, "textid1"), search("i"),
               body(LONG, "textid2"), search("r"), body(LONG, "textid3"), extend, extend]
    store = create_project(tmp_path / "i.ddproj", "What caused the 2022 floods?",
                           model=replay_file(replies), library="warp-tests",
                           run=RunSettings(constrained=False, interactive=True, max_extends=2))
    run = open_run(store)
    proposals = []
    for event in run.events():
        if isinstance(event, ev.Proposal):
            proposals.append(event.action)
            if event.action == "init-plan":
                edited = dict(event.payload, title="My own title")
                event.edit(edited)
            else:
                event.reject()
    assert proposals == ["init-plan", "extend-plan", "extend-plan"]
    outline = store.load_outline()
    assert outline.title == "My own title"
    assert all(not n.subsections for n in outline.sections)  # both rejections kept it flat
    decisions = [d["payload"]["decision"] for d in store.decisions() if d["kind"] != "finished"]
    assert decisions == ["edit", "reject", "reject"]


def test_user_written_text_is_never_overwritten(tmp_path, small_library, replay_file):
    from engine.warp.edits import EditNode, LockNode

    replies = [search("floods"), INIT, search("c"), body(LONG, "textid1"), search("r"),
               body(LONG, "textid2"), {"name": "nop"}]
    store = create_project(tmp_path / "u.ddproj", "What caused the 2022 floods?",
                           model=replay_file(replies), library="warp-tests",
                           run=RunSettings(constrained=False))
    run = open_run(store)
    for event in run.events():
        if isinstance(event, ev.OutlineChanged) and len(run.outline.sections) == 3 \
                and run.outline.sections[1].content is None and run.outline.sections[0].written:
            impact = run.outline.sections[1]
            run.submit(EditNode(impact.node_id, content="Written by me."))
            run.submit(LockNode(impact.node_id))
    outline = ProjectStore.open(store.path).load_outline()
    assert outline.sections[1].content == "Written by me."
    assert outline.sections[1].author == "user" and outline.sections[1].locked
    assert outline.sections[2].content.startswith(LONG)
