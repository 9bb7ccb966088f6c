"""The server backend asks for thinking off (the protocol renders prompts with
`enable_thinking: false`), and a real `llama_cpp.server` on loopback takes the request."""
from __future__ import annotations

import json

from engine.llm.base import GenerationRequest, generate


def test_server_requests_carry_enable_thinking_false(server_backend, monkeypatch):
    sent = []
    original = type(server_backend)._open

    def recording(self, path, payload, *args, **kwargs):
        if payload is not None:
            sent.append((path, json.loads(json.dumps(payload))))
        return original(self, path, payload, *args, **kwargs)

    monkeypatch.setattr(type(server_backend), "_open", recording)
    result = generate(server_backend, GenerationRequest(
        messages=[{"role": "user", "content": "Say one word."}], max_tokens=4,
        temperature=0.7, seed=1))
    assert result.finish_reason in ("stop", "length") and result.completion_tokens >= 1
    chats = [payload for path, payload in sent if path == "/v1/chat/completions"]
    assert chats and all(p["chat_template_kwargs"] == {"enable_thinking": False}
                         for p in chats)
