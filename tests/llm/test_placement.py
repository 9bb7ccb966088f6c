"""GPU layers and context size, decided from GGUF metadata and free memory."""
from __future__ import annotations

from engine.llm.gguf_header import read_gguf
from engine.llm.placement import MIN_CTX, RESERVE_BYTES, plan

GIB = 2**30


def _info(demo_model_path):
    return read_gguf(demo_model_path)   # 30 layers, 23,040 KV bytes/token, 8192 trained


def test_cpu_only_build_keeps_every_layer_on_cpu(demo_model_path):
    where = plan(_info(demo_model_path), None, None, supported=False, free_gpu=None,
                 free_ram=8 * GIB)
    assert where.n_gpu_layers == 0 and where.n_ctx == 8192
    assert any("CPU-only" in note for note in where.notes)


def test_all_layers_when_the_gpu_has_room(demo_model_path):
    where = plan(_info(demo_model_path), None, None, supported=True, free_gpu=8 * GIB,
                 free_ram=GIB)
    assert where.n_gpu_layers == -1 and where.n_ctx == 8192


def test_fewer_layers_when_the_gpu_is_small(demo_model_path):
    info = _info(demo_model_path)
    free = RESERVE_BYTES + info.size_bytes // 2
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
