"""The Models page and Settings show what engine.llm.placement will choose for a model on
this machine with the user's settings (issue 21, item 4): over a grid of model sizes
(split GGUF files whose shards add up), GPU memory and settings, the page's words and the
Settings line agree with the plan a run makes, never with a constant."""
from __future__ import annotations

import os

import pytest

from desktop.models.fit import model_fit
from desktop.models.jobs import SystemInfo
from engine.app_settings import AppSettings
from engine.llm import placement
from engine.llm.gguf_header import model_bytes, read_gguf

GIB = 2**30
SYSTEMS = {
    "cpu build": SystemInfo("CPU", False, ram_free=16 * GIB),
    "small gpu": SystemInfo("CUDA", True, "T", 8 * GIB, int(1.5 * GIB), 16 * GIB),
    "mid gpu": SystemInfo("CUDA", True, "T", 16 * GIB, 12 * GIB, 16 * GIB),
    "big gpu": SystemInfo("CUDA", True, "T", 80 * GIB, 79 * GIB, 64 * GIB),
}
SETTINGS = {
    "automatic": AppSettings(),
    "cpu only": AppSettings(n_gpu_layers=0),
    "10 layers": AppSettings(n_gpu_layers=10),
    "q4_0 cache": AppSettings(kv_cache_type="q4_0"),
    "f16, no flash": AppSettings(kv_cache_type="f16", flash_attn="off"),
}


@pytest.fixture(scope="module", params=[0, 5 * GIB, 30 * GIB], ids=["demo", "5 GB", "30 GB"])
def split_model(request, tmp_path_factory, demo_model_path):
    """The demo model's header as shard 1 of 3, with two sparse shards adding `extra`."""
    folder = tmp_path_factory.mktemp("split")
    first = folder / "model-00001-of-00003.gguf"
    first.symlink_to(demo_model_path)
    for number in (2, 3):
        with open(folder / f"model-0000{number}-of-00003.gguf", "wb") as shard:
            shard.truncate(request.param // 2)          # sparse: no disk used
    return first


@pytest.mark.parametrize("system", SYSTEMS, ids=list(SYSTEMS))
@pytest.mark.parametrize("settings", SETTINGS, ids=list(SETTINGS))
def test_the_page_shows_the_runs_plan(split_model, system, settings):
    info, user = SYSTEMS[system], SETTINGS[settings]
    size = model_bytes(split_model)
    assert size == os.stat(split_model).st_size + sum(
        os.path.getsize(p) for p in split_model.parent.glob("model-0000[23]-*.gguf"))
    expected = placement.plan(placement.ModelShape.from_gguf(read_gguf(split_model), size),
                              None, user.n_gpu_layers, supported=info.offload,
                              free_gpu=info.gpu_free, free_ram=info.ram_free,
                              kv_type=user.kv_cache_type,
                              flash_attn=placement.flash_attn_setting(user.flash_attn))
    fit = model_fit(split_model, info, settings=user)
    assert (fit.n_ctx, fit.n_gpu_layers, fit.kv_type, fit.flash_attn) == (
        expected.n_ctx, expected.n_gpu_layers, expected.kv_type, expected.flash_attn)
    words = fit.message
    if not info.offload or expected.n_gpu_layers == 0:
        assert words.startswith(("Runs on the CPU", "Too big", "Won't fit the GPU"))
    elif expected.n_gpu_layers < 0:
        assert words.startswith("Fits the GPU")
    else:
        assert f"{expected.n_gpu_layers} of " in words
    if user.n_gpu_layers == 0 and info.offload:
        assert "as set in Settings" in words or (words.startswith("Too big") and
                                                 size > info.ram_free)
