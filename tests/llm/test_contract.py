"""The backend contract, the same checks for all three runtimes: llama.cpp in process
(demo model), a real llama-cpp-python server on loopback, and replay."""
from __future__ import annotations

import pytest

from engine.cancel import CancelToken
from engine.llm.base import GenerationRequest, GenerationResult, TokenDelta, generate

BACKENDS = ["demo_backend", "server_backend", "replay_backend"]
STORY = [{"role": "user", "content": "Tell me a long story about a lighthouse keeper."}]


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.getfixturevalue(request.param)


def test_context_and_tokenizer(backend):
    assert backend.context_size() >= 512
    text = "Offline reports, written from your own documents."
    tokens = backend.tokenize(text)
    assert tokens and all(isinstance(t, int) for t in tokens)
    assert backend.detokenize(tokens).strip() == text


def test_render_prompt_contains_the_message(backend):
    prompt = backend.render_prompt([{"role": "user", "content": "What is GGUF?"}])
    assert "What is GGUF?" in prompt


def test_stream_yields_deltas_then_one_result(backend):
    items = list(backend.stream(GenerationRequest(messages=STORY, max_tokens=12,
                                                  temperature=0.0, seed=1)))
    *deltas, result = items
    assert deltas and all(isinstance(d, TokenDelta) for d in deltas)
    assert isinstance(result, GenerationResult)
    assert result.text == "".join(d.text for d in deltas)
    assert result.finish_reason in ("stop", "length")
    assert result.prompt_tokens > 0
    assert 0 < result.prompt_tokens_evaluated <= result.prompt_tokens


def test_max_tokens_gives_length(backend):
    if backend.name.startswith("replay"):
        pytest.skip("replay serves recorded replies whole")
    result = generate(backend, GenerationRequest(messages=STORY, max_tokens=5,
                                                 temperature=0.0, seed=1))
    assert result.finish_reason == "length"
    assert result.completion_tokens == 5


def test_cancel_stops_within_one_token(backend):
    cancel = CancelToken()
    after_cancel, result = 0, None
    for item in backend.stream(GenerationRequest(messages=STORY, max_tokens=64,
                                                 temperature=0.0, seed=1), cancel):
        if isinstance(item, GenerationResult):
            result = item
        elif cancel.cancelled:
            after_cancel += 1
        else:
            cancel.cancel()
    assert result.finish_reason == "cancelled"
    assert after_cancel <= 1


def test_grammar_constrains_the_reply(backend):
    if backend.name.startswith("replay"):
        pytest.skip("replay has no sampler to constrain")
    grammar = 'root ::= "yes" | "no"\n'
    result = generate(backend, GenerationRequest(
        messages=[{"role": "user", "content": "Is the sky green? Answer yes or no."}],
        max_tokens=8, temperature=0.7, seed=3, grammar=grammar))
    assert result.text in ("yes", "no")
    assert result.finish_reason == "stop"


def test_warp_reply_format_is_honoured(backend):
    """A structured WARP reply (thought, then an action under its grammar): two passes in
    process, one combined grammar on a server."""
    import json
    import re

    from engine.warp.actions import SEARCH_SCHEMA
    from engine.llm.grammar import json_reply

    if backend.name.startswith("replay"):
        pytest.skip("replay has no sampler to constrain")
    result = generate(backend, GenerationRequest(
        messages=[{"role": "user", "content": "Give search keywords about tidal power as "
                   "<thought>...</thought> then <action>JSON</action>."}],
        max_tokens=300, temperature=0.7, seed=4, reply=json_reply(SEARCH_SCHEMA)))
    match = re.fullmatch(r"<thought>(.*)</thought>\n<action>(.*)</action>", result.text, re.S)
    assert match, result.text
    action = json.loads(match.group(2))
    assert action["name"] == "search" and 1 <= len(action["keywords"]) <= 5
