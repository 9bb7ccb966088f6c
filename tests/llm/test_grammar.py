"""GBNF for the WARP reply shape, compiled by llama.cpp and followed by the demo model."""
from __future__ import annotations

import json
import re

import pytest

from engine.llm.base import GenerationRequest, ModelError, generate
from engine.llm.grammar import warp_reply_grammar
from engine.warp.actions import INIT_PLAN_SCHEMA, SEARCH_SCHEMA, extend_plan_schema

REPLY = re.compile(r"^<thought>(.*)</thought>\n<action>(.*)</action>$", re.S)
SCHEMAS = {"search": SEARCH_SCHEMA, "init-plan": INIT_PLAN_SCHEMA,
           "extend-plan": extend_plan_schema(), "extend-at": extend_plan_schema(["section-2"]),
           "write": None}


@pytest.mark.parametrize("name", SCHEMAS)
def test_grammar_compiles_in_llama_cpp(name, demo_backend):
    assert demo_backend._grammar(warp_reply_grammar(SCHEMAS[name])) is not None


def test_bounds_are_in_the_grammar():
    text = warp_reply_grammar(SEARCH_SCHEMA, max_thought_chars=123, max_string_chars=40)
    assert "[^<]{1,123}" in text
    assert "firstchar char{0,39}" in text
    assert "\\d" not in warp_reply_grammar(extend_plan_schema())


def _reply(backend, schema, seed, **bounds):
    request = GenerationRequest(
        messages=[{"role": "user", "content": "Plan a short report on tidal power. Answer "
                   "with <thought>...</thought> then <action>JSON</action>."}],
        max_tokens=400, temperature=0.7, seed=seed,
        grammar=warp_reply_grammar(schema, **bounds))
    return generate(backend, request)


def test_search_reply_parses(demo_backend):
    result = _reply(demo_backend, SEARCH_SCHEMA, seed=5, max_thought_chars=150,
                    max_string_chars=40)
    assert result.finish_reason == "stop", result.text
    thought, body = REPLY.match(result.text).groups()
    action = json.loads(body)
    assert set(action) == {"name", "keywords"} and action["name"] == "search"
    assert 1 <= len(action["keywords"]) <= 5 and all(k.strip() for k in action["keywords"])


def test_extend_plan_or_nop_reply_parses(demo_backend):
    result = _reply(demo_backend, extend_plan_schema(["section-1", "section-2"]), seed=9,
                    max_thought_chars=150, max_string_chars=40)
    action = json.loads(REPLY.match(result.text).group(2))
    assert action["name"] in ("extend-plan", "nop")
    if action["name"] == "extend-plan":
        assert action["position"] in ("section-1", "section-2")
        assert 2 <= len(action["subsections"]) <= 7


def test_write_reply_cannot_close_early(demo_backend):
    result = _reply(demo_backend, None, seed=2, max_thought_chars=100, max_text_chars=200)
    thought, body = REPLY.match(result.text).groups()
    assert 1 <= len(body) <= 200 and "<" not in body


def test_invalid_grammar_is_a_model_error(demo_backend):
    with pytest.raises(ModelError, match="invalid grammar"):
        generate(demo_backend, GenerationRequest(messages=[{"role": "user", "content": "x"}],
                                                 max_tokens=2, grammar="root ::= (("))
