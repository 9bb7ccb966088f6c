"""The check inside a real run (replay model, real library): flags recorded after each
write, read back from the project, rechecked after an edit, dismissed for good; a source
removed from the library reported as such."""
from __future__ import annotations

from engine.check import dismiss_flag, open_checker, recheck_section, section_flags
from engine.check import stale_sections
from engine.project.project_store import ProjectStore
from engine.warp import events as ev
from engine.warp.coediting import commit_edit
from engine.warp.edits import EditNode
from engine.warp.run_factory import create_project, open_run
from engine.warp.state import RunSettings
from tests.warp.test_conformance import INIT, search

ALL = "\\cite{textid1, textid2, textid3}"
WRONG = (f"Aid agencies estimated that 45 million people were affected {ALL}. Prime Minister "
         f"Imran Khan visited the camps {ALL}. Some districts received five times their usual "
         f"August rainfall {ALL}.")


def written_project(tmp_path, replay_file):
    store = create_project(tmp_path / "c.ddproj", "What caused the 2022 floods?",
                           model=replay_file([search("floods rain relief"), INIT,
                                              search("rain relief glaciers"), WRONG]),
                           library="warp-tests", run=RunSettings(constrained=False, max_steps=4))
    with open_run(store) as run:
        events = list(run.events())
    assert isinstance(events[-1], ev.Done), events[-1]
    assert not [e for e in events if isinstance(e, ev.Warning) and "claim" in e.message]
    return store


def test_a_run_records_the_flags_of_each_write(tmp_path, small_library, replay_file):
    store = written_project(tmp_path, replay_file)
    path, node = store.path, store.load_outline().sections[0]
    store.close()
    store = ProjectStore.open(path)                 # read back from the file
    flags = section_flags(store)[node.node_id]
    assert [(f.kind, f.detail) for f in flags] == [
        ("figure", "figure 45 million not in its sources (they say 33 million)"),
        ("name", 'name "Prime Minister Imran Khan" not in its sources')]
    assert flags[0].section == "1" and flags[0].keys == ["textid1", "textid2", "textid3"]
    assert node.content[flags[1].start:flags[1].end].startswith("Prime Minister Imran Khan")
    # the model is never shown them: no prompt after the write mentions a flag
    assert not any("not in its sources" in s["prompt"] for s in store.steps())
    store.close()


def test_edit_recheck_and_dismiss_are_kept_across_reloads(tmp_path, small_library,
                                                          replay_file):
    store = written_project(tmp_path, replay_file)
    node = store.load_outline().sections[0]
    figure, name = section_flags(store)[node.node_id]
    dismiss_flag(store, name.flag_id)
    assert [f.kind for f in section_flags(store)[node.node_id]] == ["figure"]
    assert store.decisions()[-1]["kind"] == "dismiss-flag"
    # the user fixes the figure: the old result is stale until the section is rechecked
    commit_edit(store, EditNode(node.node_id, content=WRONG.replace("45", "33")))
    assert stale_sections(store) == [node.node_id] and section_flags(store) == {}
    flags = recheck_section(store, node.node_id, open_checker(small_library), small_library)
    assert flags == [] and stale_sections(store) == []
    path = store.path
    store.close()
    store = ProjectStore.open(path)                 # the dismissal survives the reload
    assert section_flags(store) == {}
    assert [f.kind for f in section_flags(store, include_dismissed=True)[node.node_id]] == ["name"]
    store.close()


def test_a_removed_source_is_reported_not_judged(tmp_path, small_library, replay_file,
                                                 corpus_dir):
    store = written_project(tmp_path, replay_file)
    node = store.load_outline().sections[0]
    small_library.remove([corpus_dir / "relief.md"])
    flags = recheck_section(store, node.node_id, open_checker(small_library), small_library)
    sources = [f for f in flags if f.kind == "source"]
    assert len(sources) == 3        # each sentence cites the removed passage
    assert all(f.detail.startswith("source no longer in the library (") and "relief" in
               f.detail.lower() for f in sources)
    # the figure is judged against the two sources left: not there either, and the
    # removed passage's "33 million" is no longer quoted as what they say
    figure = [f for f in flags if f.kind == "figure"]
    assert len(figure) == 1 and "33 million" not in figure[0].detail
    store.close()
