"""The optional model check's plumbing with the real demo model: off for it by size, and
its answer, when asked anyway, is one of yes / partly / no under the grammar."""
from __future__ import annotations

from engine.check.model_check import ANSWERS, ask, model_can_check, model_flags
from engine.check.types import Flag
from engine.library.types import Passage


def test_demo_model_is_not_asked_but_answers_under_the_grammar(demo_model_path):
    from engine.llm import open_backend

    backend = open_backend("demo", n_ctx=2048)
    try:
        assert not model_can_check(backend)          # 135M: off
        passage = Passage(chunk_id="c", text="Aid agencies counted 33 million people affected.",
                          doc_id="d", path="/p", title="Relief")
        assert ask(backend, "45 million people were affected.", [passage]) in ANSWERS
        flag = Flag(section="1", sentence="45 million people were affected.", kind="figure",
                    detail="figure 45 million not in its sources", keys=["textid1"])
        [verdict] = model_flags(backend, [flag, flag], {"textid1": passage})
        assert verdict.kind == "model" and verdict.evidence in ANSWERS
        assert verdict.detail == f"the model says: {verdict.evidence}"
    finally:
        backend.close()
