"""Degenerate writes (engine.warp.degenerate): real FreshWiki prose is never flagged, the
demo model's recorded loops and echoes always are, and a run refuses such a write, retries
it and counts it under its own reason."""
from __future__ import annotations

from engine.warp import events as ev
from engine.warp.degenerate import degenerate_problems, is_degenerate
from engine.warp.prompts import WRITE_TEMPLATE
from tests.warp.degenerate_samples import degenerate_samples, freshwiki_sections
from tests.warp.test_conformance import INIT, LONG, body, run_transcript, search


def test_freshwiki_prose_is_never_flagged(freshwiki_dir):
    sections = freshwiki_sections(freshwiki_dir)
    assert len(sections) > 1000     # every article, cut at its headings
    flagged = [name for name, text in sections if degenerate_problems(text, WRITE_TEMPLATE)]
    assert flagged == []


def test_recorded_degenerate_writes_are_flagged():
    samples = degenerate_samples()
    assert any(s["source"].startswith("demo model") for s in samples)
    for sample in samples:
        problems = degenerate_problems(sample["text"], WRITE_TEMPLATE)
        assert problems and all(is_degenerate(p) for p in problems), sample["source"]


def test_real_prose_that_starts_looping_is_flagged(freshwiki_dir):
    name, text = next((n, t) for n, t in freshwiki_sections(freshwiki_dir)
                      if len(t.split()) > 150)
    sentence = text.split(". ")[0] + "."
    assert not degenerate_problems(text, WRITE_TEMPLATE)
    looping = text + "\n" + "\n".join([sentence] * 3)
    assert any("occurs 3 times" in p for p in degenerate_problems(looping, WRITE_TEMPLATE))


def test_the_template_the_model_was_shown_is_the_one_checked():
    own = ("** Task Brief **\nSummarise the retrieved evidence in plain words for "
           "{{ current_instruction }}.")
    echo = "Summarise the retrieved evidence in plain words for the section on relief camps."
    assert not degenerate_problems(echo, WRITE_TEMPLATE)
    assert degenerate_problems(echo, own)
    assert degenerate_problems("** Task Brief ** and then the section text follows.", own)


def test_a_degenerate_write_is_retried_and_counted(tmp_path, small_library, replay_file):
    loop = "\n".join(["** Output Format ** This is a continuation of my previous response."] * 8)
    echo = "The section text in Markdown, with its citations \\cite{textid1}."
    replies = [search("floods"), INIT, search("c"), loop, body(echo), body(LONG, "textid1"),
               search("i"), body(LONG, "textid2"), search("r"), body(LONG, "textid3"),
               {"name": "nop"}]
    store, events = run_transcript(tmp_path, replay_file(replies))
    finished = [e for e in events if isinstance(e, ev.StepFinished)]
    assert [(e.step, e.cursor) for e in finished if not e.valid] == [(4, "section-1"),
                                                                      (5, "section-1")]
    assert all(any(is_degenerate(p) for p in e.problems) for e in finished if not e.valid)
    assert finished[5].valid and finished[5].cursor == "section-1"   # the retry is accepted
    assert finished[4].counts["degenerate_writes"] == 2
    done = events[-1]
    assert isinstance(done, ev.Done) and done.reason == "complete"
    assert done.stats["degenerate_writes"] == 2 and done.stats["retries"] == 2
    assert store.load_outline().sections[0].content.startswith(LONG)
