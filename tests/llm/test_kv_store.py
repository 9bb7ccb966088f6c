"""Prompt-cache slots kept beside a project: a new backend (a resumed run) loads them
and evaluates only the new tokens; another model setting drops them."""
from __future__ import annotations

from engine.llm.base import GenerationRequest, generate
from engine.llm.llama_backend import LlamaBackend

SHARED = "Notes on tidal power in Europe. " * 30


def _ask(backend, tail: str):
    request = GenerationRequest(messages=[{"role": "user", "content": SHARED + tail}],
                                max_tokens=8, temperature=0.0, seed=1, cache_slot="write")
    return generate(backend, request)


def test_resumed_backend_evaluates_only_new_tokens(demo_model_path, tmp_path):
    folder = tmp_path / "project.kv"
    first = LlamaBackend(demo_model_path, n_ctx=1024)
    assert first.attach_kv_store(folder) == 0
    _ask(first, "Question one?")
    first.close()   # waits for the slot to be written

    cold = LlamaBackend(demo_model_path, n_ctx=1024)
    warm = LlamaBackend(demo_model_path, n_ctx=1024)
    try:
        assert warm.attach_kv_store(folder) == 1
        cold_result, warm_result = _ask(cold, "Question two?"), _ask(warm, "Question two?")
        assert cold_result.prompt_tokens_evaluated == cold_result.prompt_tokens
        assert warm_result.prompt_tokens_evaluated < 20
        assert warm_result.text == cold_result.text
    finally:
        cold.close()
        warm.close()


def test_other_settings_drop_the_saved_slots(demo_model_path, tmp_path):
    folder = tmp_path / "project.kv"
    first = LlamaBackend(demo_model_path, n_ctx=1024)
    first.attach_kv_store(folder)
    _ask(first, "Question one?")
    first.close()
    other = LlamaBackend(demo_model_path, n_ctx=2048)
    try:
        assert other.attach_kv_store(folder) == 0
        assert not list(folder.glob("*.kv"))
    finally:
        other.close()


def test_resumed_steps_evaluate_down_to_the_exact_prefix_floor(demo_model_path, tmp_path):
    """The resume figure: after a resume, each step evaluates exactly what no earlier
    prompt shares (the floor), whichever slot saved the shared prefix."""
    from engine.llm.prompt_cache import floor_reuse

    folder = tmp_path / "project.kv"
    before = [("search", "Outline A. Find sources."), ("write", "Outline A. Passages: x, y.")]
    after = [("write", "Outline A. Find more sources now."), ("search", "Outline B.")]
    messages = {text: [{"role": "user", "content": SHARED + text}] for _, text in before + after}

    def run(backend, slot, text):
        request = GenerationRequest(messages=messages[text], max_tokens=4, temperature=0.0,
                                    seed=1, cache_slot=slot)
        return generate(backend, request).prompt_tokens_evaluated

    first = LlamaBackend(demo_model_path, n_ctx=1024)
    first.attach_kv_store(folder)
    for slot, text in before:
        run(first, slot, text)
    first.close()
    warm = LlamaBackend(demo_model_path, n_ctx=1024)
    try:
        assert warm.attach_kv_store(folder) == 2
        seen = [warm.prompt_tokens(messages[text]) for _, text in before]
        for slot, text in after:
            tokens = warm.prompt_tokens(messages[text])
            floor = len(tokens) - floor_reuse(tokens, seen)
            seen.append(tokens)
            assert run(warm, slot, text) == floor
        assert floor < len(tokens) // 4
    finally:
        warm.close()


def test_floor_reuse_counts_the_longest_shared_prefix():
    from engine.llm.prompt_cache import floor_reuse

    assert floor_reuse([1, 2, 3, 4], [[1, 2, 9], [1, 2, 3, 7], [5]]) == 3
    assert floor_reuse([1, 2, 3], [[1, 2, 3]]) == 2   # the last token is always evaluated
    assert floor_reuse([1, 2], []) == 0


def _slot_files(folder):
    return {p.stem: p.stat().st_size for p in folder.glob("*.kv")}


def test_a_state_larger_than_the_cap_is_never_written(demo_model_path, tmp_path):
    """Before: the large state was written, then pruning deleted it and the small one
    with it, leaving nothing useful."""
    from engine.app_settings import update_settings

    update_settings(kv_disk_mb=2, prompt_cache_mb=256)
    folder = tmp_path / "project.kv"
    backend = LlamaBackend(demo_model_path, n_ctx=2048)
    try:
        backend.attach_kv_store(folder)
        generate(backend, GenerationRequest(messages=[{"role": "user", "content": "Hi."}],
                                            max_tokens=4, temperature=0.0, seed=1,
                                            cache_slot="search"))
        backend.kv_store.flush()
        small = _slot_files(folder)
        assert list(small) == ["search"] and small["search"] < 2 << 20
        _ask(backend, "A long question?")        # ~300 tokens: several MB of KV cells
        assert backend.cache.get("write").size > 2 << 20
    finally:
        backend.close()
    assert _slot_files(folder) == small           # kept; the large one never written


def test_pruning_drops_the_least_recently_useful_state(demo_model_path, tmp_path):
    """A state restored since it was written is kept over one written later but never
    used again (before: the oldest written went first)."""
    from engine.llm.kv_store import KVStore, file_bytes

    backend = LlamaBackend(demo_model_path, n_ctx=1024)
    try:
        _ask(backend, "Question one?")
        state = backend.cache.get("write")
    finally:
        backend.close()
    size = file_bytes(state)
    store = KVStore(tmp_path / "p.kv", {"model": "m"}, cap_bytes=2 * size + size // 2)
    store.load()
    for slot in ("search", "init-plan"):
        store.write(slot, state)
        store.flush()
    store.used("search")                           # restored: useful again
    store.write("write", state)
    store.close()
    assert sorted(_slot_files(tmp_path / "p.kv")) == ["search", "write"]
