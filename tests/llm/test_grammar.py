"""The reply formats the engine uses (engine.llm.grammar.json_reply / write_reply, as
engine.warp.step_prompt builds them), compiled by llama.cpp and followed by the demo model
through LlamaBackend's two-pass reply."""
from __future__ import annotations

import json
import re

import pytest

from engine.llm.base import GenerationRequest, ModelError, generate
from engine.llm.grammar import (JSON_STRING_CHARS, LARGE_THOUGHT_TOKENS, THOUGHT_TOKENS,
                                WRITE_TOKENS, combined_reply_grammar, json_reply, write_reply)
from engine.warp.actions import INIT_PLAN_SCHEMA, SEARCH_SCHEMA, extend_plan_schema

REPLY = re.compile(r"^<thought>(.*)</thought>\n<action>(.*)</action>$", re.S)
KEYS = ["textid1", "textid2"]
FORMATS = {"search": lambda large: json_reply(SEARCH_SCHEMA, large),
           "init-plan": lambda large: json_reply(INIT_PLAN_SCHEMA, large),
           "extend-plan": lambda large: json_reply(extend_plan_schema(["section-1"]), large),
           "write": lambda large: write_reply(KEYS, large),
           "write-no-keys": lambda large: write_reply([], large)}


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("name", FORMATS)
def test_every_action_grammar_compiles_in_llama_cpp(name, large, demo_backend):
    fmt = FORMATS[name](large)
    assert demo_backend._grammar(fmt.action_grammar) is not None
    assert demo_backend._grammar(combined_reply_grammar(fmt.action_grammar)) is not None


def test_bounds_are_in_the_formats():
    small = json_reply(SEARCH_SCHEMA)
    assert small.thought_tokens == THOUGHT_TOKENS and small.action_tokens is None
    assert f"firstchar char{{0,{JSON_STRING_CHARS - 1}}}" in small.action_grammar
    assert "\\d" not in json_reply(extend_plan_schema()).action_grammar
    write = write_reply(KEYS)
    assert (write.action_tokens, write.close_on_length) == (WRITE_TOKENS, True)
    large = write_reply(KEYS, large=True)
    assert (large.thought_tokens, large.close_on_length) == (LARGE_THOUGHT_TOKENS, False)


def _reply(backend, fmt, seed, content="Plan a short report on tidal power. Answer with "
           "<thought>...</thought> then <action>JSON</action>.", max_tokens=400):
    request = GenerationRequest(messages=[{"role": "user", "content": content}],
                                max_tokens=max_tokens, temperature=0.7, seed=seed, reply=fmt)
    return generate(backend, request)


def test_search_reply_parses(demo_backend):
    result = _reply(demo_backend, json_reply(SEARCH_SCHEMA), seed=5)
    assert result.finish_reason == "stop", result.text
    thought, body = REPLY.match(result.text).groups()
    action = json.loads(body)
    assert set(action) == {"name", "keywords"} and action["name"] == "search"
    assert 1 <= len(action["keywords"]) <= 5 and all(k.strip() for k in action["keywords"])


@pytest.mark.parametrize("seed", [9, 10, 11])
def test_deepening_one_position_parses(demo_backend, seed):
    # one position, nop not allowed (the user asked to deepen it): the only valid shape;
    # up to 7 subsections of two 100-character strings need room
    result = _reply(demo_backend, json_reply(extend_plan_schema(["section-2"], allow_nop=False)),
                    seed=seed, max_tokens=900)
    assert REPLY.match(result.text), (result.finish_reason, result.text)
    action = json.loads(REPLY.match(result.text).group(2))
    assert action["name"] == "extend-plan" and action["position"] == "section-2"
    assert 2 <= len(action["subsections"]) <= 7


def test_write_reply_cites_only_shown_keys_and_is_closed(demo_backend):
    result = _reply(demo_backend, write_reply(KEYS), seed=2,
                    content="Write one paragraph on tidal power citing \\cite{textid1}.")
    assert result.finish_reason == "stop"
    thought, body = REPLY.match(result.text).groups()
    cited = re.findall(r"\\cite\{([^}]*)\}", body)
    assert cited and {k.strip() for c in cited for k in c.split(",")} <= set(KEYS)
    assert "<" not in body and "#" not in body


def test_invalid_grammar_is_a_model_error(demo_backend):
    with pytest.raises(ModelError, match="invalid grammar"):
        generate(demo_backend, GenerationRequest(messages=[{"role": "user", "content": "x"}],
                                                 max_tokens=2, grammar="root ::= (("))
