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
from engine.warp.step_prompt import reply_budget

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


DEEPEN = json_reply(extend_plan_schema(["section-2"], allow_nop=False))
RUN_CTX = 8192        # the demo model's trained context, where a run's reply budget is whole


@pytest.fixture(scope="module")
def run_backend(demo_model_path):
    """The demo model with a context that holds the reply budget a WARP run gives a
    reply (the shared test backend's 1,024 tokens do not)."""
    from engine.llm import open_backend

    backend = open_backend(str(demo_model_path), n_ctx=RUN_CTX)
    yield backend
    backend.close()


def _run_budget(backend) -> int:
    """What engine.warp gives a reply: the protocol's max_tokens within the context's share."""
    return reply_budget(backend, GenerationRequest.max_tokens)


def test_search_reply_parses(run_backend):
    result = _reply(run_backend, json_reply(SEARCH_SCHEMA), seed=5,
                    max_tokens=_run_budget(run_backend))
    assert result.finish_reason == "stop", result.text
    thought, body = REPLY.match(result.text).groups()
    action = json.loads(body)
    assert set(action) == {"name", "keywords"} and action["name"] == "search"
    assert 1 <= len(action["keywords"]) <= 5 and all(k.strip() for k in action["keywords"])


@pytest.mark.parametrize("seed", [9, 10, 11])
def test_deepening_one_position_parses(run_backend, seed):
    """One position, nop not allowed (the user asked to deepen it): the only valid shape.
    Each sample (temperature 0.7) gets the budget a run gives a reply, not less: up to 7
    subsections of two 100-character strings, and a small model may spell a string out a
    character a token. Seed 10 took 262 tokens with flash attention off; with it on (its
    logits moved within batch-shape noise) it writes "l-i-l-l-..." titles and closes after
    1,732, which the earlier 900 tokens in a 1,024-token context cut off. Slow (4-7 min on
    2 busy cores: llama.cpp's grammar sampler crawls inside long bounded strings)."""
    budget = _run_budget(run_backend)
    assert budget == GenerationRequest.max_tokens   # the whole protocol budget
    result = _reply(run_backend, DEEPEN, seed=seed, max_tokens=budget)
    assert result.finish_reason == "stop", result.text
    assert REPLY.match(result.text), result.text
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
