"""GPU layers, context size, KV-cache type and flash attention, decided from GGUF
metadata and free memory; the chosen parameters reach llama.cpp."""
from __future__ import annotations

import pytest

from engine.llm.gguf_header import read_gguf
from engine.llm.placement import (MIN_CTX, RESERVE_BYTES, ModelShape, Placement, describe,
                                  plan)

GIB = 2**30

# Llama-3.1-8B-Instruct Q4_K_M: 32 layers, 8 KV heads of 128, 128,256 tokens, 131,072 trained.
EIGHT_B = ModelShape(weights=4_920_739_232, n_layers=32, kv_f16_per_token=131072,
                     n_vocab=128256, n_embd=4096, n_ff=14336, n_head=32, trained_ctx=131072)

# (free GPU GiB, requested context) -> (context, layers, KV type); flash attention on
# throughout. This is the table in the issue-14 closing note.
EIGHT_B_TABLE = {
    (6, 8192): (8192, -1, "q8_0"), (6, 16384): (16384, -1, "q4_0"),
    (6, 32768): (16384, -1, "q4_0"), (6, 65536): (16384, -1, "q4_0"),
    (8, 8192): (8192, -1, "f16"), (8, 16384): (16384, -1, "f16"),
    (8, 32768): (32768, -1, "q8_0"), (8, 65536): (65536, -1, "q4_0"),
    (12, 8192): (8192, -1, "f16"), (12, 16384): (16384, -1, "f16"),
    (12, 32768): (32768, -1, "f16"), (12, 65536): (65536, -1, "q8_0"),
    (16, 8192): (8192, -1, "f16"), (16, 16384): (16384, -1, "f16"),
    (16, 32768): (32768, -1, "f16"), (16, 65536): (65536, -1, "f16"),
    (24, 8192): (8192, -1, "f16"), (24, 16384): (16384, -1, "f16"),
    (24, 32768): (32768, -1, "f16"), (24, 65536): (65536, -1, "f16"),
}


def _info(demo_model_path):
    return read_gguf(demo_model_path)   # 30 layers, 23,040 KV bytes/token, 8192 trained


@pytest.mark.parametrize("card,ctx", sorted(EIGHT_B_TABLE))
def test_eight_b_table(card, ctx):
    where = plan(EIGHT_B, ctx, None, supported=True, free_gpu=card * GIB, free_ram=32 * GIB)
    assert (where.n_ctx, where.n_gpu_layers, where.kv_type) == EIGHT_B_TABLE[card, ctx]
    assert where.flash_attn
    assert EIGHT_B.gpu_need(where.n_ctx, where.kv_type) <= card * GIB
    assert where.notes and where.kv_type in where.notes[0]


def test_protocol_context_is_the_default_on_a_gpu():
    where = plan(EIGHT_B, None, None, supported=True, free_gpu=12 * GIB, free_ram=32 * GIB)
    assert (where.n_ctx, where.n_gpu_layers, where.kv_type) == (65536, -1, "q8_0")


def test_some_layers_on_the_cpu_when_nothing_fits():
    where = plan(EIGHT_B, None, None, supported=True, free_gpu=4 * GIB, free_ram=32 * GIB)
    assert 0 < where.n_gpu_layers < 32 and where.kv_type == "q8_0"
    assert where.n_ctx == 65536 and "layers on the GPU" in where.notes[0]


def test_user_kv_type_and_flash_attention_win():
    where = plan(EIGHT_B, 65536, None, supported=True, free_gpu=24 * GIB, free_ram=32 * GIB,
                 kv_type="q4_0", flash_attn=False)
    assert where.kv_type == "q4_0" and not where.flash_attn
    kwargs = where.llama_kwargs()
    assert kwargs["type_k"] == 2 and kwargs["type_v"] == 1   # V stays f16 without FA
    with pytest.raises(ValueError):
        plan(EIGHT_B, None, None, supported=True, free_gpu=GIB, free_ram=GIB, kv_type="q5")


def test_without_flash_attention_the_scores_need_gigabytes():
    assert EIGHT_B.compute_bytes(65536, False) - EIGHT_B.compute_bytes(65536, True) == 512 * 65536 * 32 * 4


def test_cpu_only_build_keeps_every_layer_on_cpu(demo_model_path):
    where = plan(_info(demo_model_path), None, None, supported=False, free_gpu=None,
                 free_ram=8 * GIB)
    assert where.n_gpu_layers == 0 and where.n_ctx == 8192
    assert any("CPU-only" in note for note in where.notes)


def test_all_layers_when_the_gpu_has_room(demo_model_path):
    where = plan(_info(demo_model_path), None, None, supported=True, free_gpu=8 * GIB,
                 free_ram=GIB)
    assert where.n_gpu_layers == -1 and where.n_ctx == 8192 and where.kv_type == "f16"


def test_fewer_layers_when_the_gpu_is_small(demo_model_path):
    info = _info(demo_model_path)
    free = RESERVE_BYTES + ModelShape.from_gguf(info).compute_bytes(4096, True) + info.size_bytes // 2
    where = plan(info, 4096, None, supported=True, free_gpu=free, free_ram=8 * GIB)
    assert 0 < where.n_gpu_layers < info.n_layers


def test_user_choices_win_and_context_is_clamped(demo_model_path):
    info = _info(demo_model_path)
    where = plan(info, 100_000, 7, supported=True, free_gpu=8 * GIB, free_ram=8 * GIB)
    assert where.n_gpu_layers == 7 and where.n_ctx == 8192   # trained length caps it
    assert any("instead of the requested" in note for note in where.notes)
    small = plan(info, 2048, None, supported=False, free_gpu=None, free_ram=1024)
    assert small.n_ctx == MIN_CTX


def test_context_limited_by_memory(demo_model_path):
    info = _info(demo_model_path)
    ram = info.size_bytes + 2 * 2000 * info.kv_bytes_per_token()
    where = plan(info, None, None, supported=False, free_gpu=None, free_ram=ram)
    assert where.n_ctx == 2000


def test_describe_reads_the_file_without_loading_it(demo_model_path):
    where = describe(demo_model_path)
    assert isinstance(where, Placement) and where.notes
    assert "context" in where.summary()


def test_kv_type_reaches_llama_cpp(demo_model_path):
    """A q8_0 cache holds the same tokens in about half the bytes of an f16 one."""
    from engine.llm.llama_backend import LlamaBackend
    from engine.llm.prompt_cache import snapshot

    sizes = {}
    for kv in ("f16", "q8_0"):
        backend = LlamaBackend(demo_model_path, n_ctx=512, kv_type=kv, flash_attn=True)
        try:
            assert backend.llm.context_params.type_k == {"f16": 1, "q8_0": 8}[kv]
            backend.llm.eval(backend.tokenize("The quick brown fox jumps over the lazy dog."))
            sizes[kv] = snapshot(backend.llm).size
        finally:
            backend.close()
    assert sizes["q8_0"] < 0.6 * sizes["f16"]


@pytest.mark.parametrize("where", ["cpu", "gpu full", "gpu partial", "gpu layers set", "unified"])
@pytest.mark.parametrize("setting", ["auto", "on", "off"])
def test_flash_attention_comes_from_the_reuse_rule_unless_set(where, setting):
    """Every plan takes flash attention from engine.llm.prefill's one rule (on where it is
    faster and prompt-cache reuse stays within batch-shape noise: tests/llm/
    test_reuse_logits.py): CPU_PREFILL on the CPU, GPU_FLASH_ATTN on a GPU; the user's
    flash_attn setting wins over both."""
    from engine.llm.placement import flash_attn_setting
    from engine.llm.prefill import CPU_PREFILL, GPU_FLASH_ATTN

    gpu = {"cpu": dict(n_gpu_layers=None, supported=False, free_gpu=None),
           "gpu full": dict(n_gpu_layers=None, supported=True, free_gpu=24 * GIB),
           "gpu partial": dict(n_gpu_layers=None, supported=True, free_gpu=4 * GIB),
           "gpu layers set": dict(n_gpu_layers=10, supported=True, free_gpu=24 * GIB),
           "unified": dict(n_gpu_layers=None, supported=True, free_gpu=None)}[where]
    plan_ = plan(EIGHT_B, 16384, gpu.pop("n_gpu_layers"), free_ram=32 * GIB,
                 flash_attn=flash_attn_setting(setting), **gpu)
    rule = CPU_PREFILL.flash_attn if where == "cpu" else GPU_FLASH_ATTN
    assert plan_.flash_attn is {"auto": rule, "on": True, "off": False}[setting]
    assert plan_.llama_kwargs()["flash_attn"] is plan_.flash_attn
    assert (plan_.n_gpu_layers == 0) == (where == "cpu")


def test_flash_attention_is_on_on_the_cpu_by_the_rule():
    """Issue 21: flash attention on the CPU won 1.1-1.4x and reuse with it stays within
    batch-shape noise, so the CPU plan turns it on; the GPU plans too."""
    from engine.llm.prefill import CPU_PREFILL, GPU_FLASH_ATTN

    assert CPU_PREFILL.flash_attn and GPU_FLASH_ATTN
    assert plan(EIGHT_B, None, None, supported=False, free_gpu=None, free_ram=32 * GIB).flash_attn
