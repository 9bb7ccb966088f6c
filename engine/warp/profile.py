"""Model profiles: what one model family was trained with, bundled: its prompt
templates, its reply rules, its sampling and its retrieval budgets.

- `built-in` serves any GGUF: our own templates (engine.warp.prompts).
- a model whose catalogue entry has a `prompts` folder (AgentCPM-Report, downloaded with
  its authors' templates or imported with `--prompts DIR`) gets that folder's templates.
The run setting `prompts` picks: `auto` (the model's own templates if it has them, else
built-in), `builtin`, or a template folder.
"""
from __future__ import annotations

from dataclasses import dataclass

from engine.warp.templates import PromptTemplates, TemplateError, load_template_dir

AUTO, BUILTIN = "auto", "builtin"


@dataclass
class ModelProfile:
    name: str
    templates: PromptTemplates
    # Sampling the model was trained and evaluated with.
    temperature: float = 0.7
    top_p: float = 0.8
    max_tokens: int = 2048
    # Retrieval: passages for the outline search and for every later search.
    outline_passages: int = 20
    section_passages: int = 10


def builtin_profile() -> ModelProfile:
    from engine.warp.prompts import builtin_templates

    return ModelProfile(name="built-in", templates=builtin_templates())


def resolve_profile(setting: str | None, model: str | None) -> ModelProfile:
    """The profile for run setting `setting` (auto | builtin | folder) and model spec
    `model`. Raises TemplateError with a clear message for an unusable folder."""
    setting = (setting or AUTO).strip()
    if setting == BUILTIN:
        return builtin_profile()
    if setting == AUTO:
        folder = _model_prompts(model)
        if folder is None:
            return builtin_profile()
        return ModelProfile(name=f"{model} templates", templates=load_template_dir(folder))
    return ModelProfile(name=f"templates from {setting}", templates=load_template_dir(setting))


def _model_prompts(model: str | None) -> str | None:
    """The prompt folder of an imported or downloaded model (named, or by its file's
    path), if it has one."""
    if not model or model == "demo" or model.startswith(("replay:", "http://", "https://")):
        return None
    from pathlib import Path

    from engine.llm.catalog import find_model, list_models

    entry = find_model(model)
    if entry is None and Path(model).expanduser().is_file():
        path = Path(model).expanduser().resolve()
        entry = next((e for e in list_models() if Path(e["path"]).resolve() == path), None)
    return (entry or {}).get("prompts")


__all__ = ["AUTO", "BUILTIN", "ModelProfile", "TemplateError", "builtin_profile",
           "resolve_profile"]
