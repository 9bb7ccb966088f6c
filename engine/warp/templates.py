"""Prompt templates: one Jinja template per action, filled with the authors' variable
names exactly as their prompt server (UltraRAG `servers/prompt`) fills them, and
rendered with jinja2's defaults (`Template(text).render(...)`: no autoescape, one
trailing newline of the file dropped). UltraRAG's current main also HTML-escapes every
value; the released pipeline the model was trained with did not, and neither do we.

A template folder holds `search.jinja`, `init_plan.jinja`, `write.jinja` and
`extend_plan.jinja`; each may also carry the authors' `surveycpm_` prefix.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from engine.warp.actions import EXTEND_PLAN, INIT_PLAN, SEARCH, WRITE

STEMS = {SEARCH: "search", INIT_PLAN: "init_plan", WRITE: "write", EXTEND_PLAN: "extend_plan"}
AUTHORS_PREFIX = "surveycpm_"
# The variables each action's template may use (the authors' names).
VARIABLES = {
    SEARCH: ("user_query", "current_outline", "current_instruction"),
    INIT_PLAN: ("user_query", "current_information"),
    WRITE: ("user_query", "current_survey", "current_instruction", "current_information"),
    EXTEND_PLAN: ("user_query", "current_survey"),
}


class TemplateError(ValueError):
    """A template folder or file that cannot be used; the message says which and why."""


def instruction(cursor: str | None) -> str:
    return f"You need to update {cursor}"


def template_values(kind: str, *, query: str, survey: str, cursor: str | None,
                    information: str) -> dict[str, str]:
    """The values the authors' server passes for `kind` (survey: the rendering the
    action shows; information: the passages block)."""
    values = {"user_query": query, "current_outline": survey, "current_survey": survey,
              "current_instruction": instruction(cursor), "current_information": information}
    return {name: values[name] for name in VARIABLES[kind]}


@dataclass
class PromptTemplates:
    texts: dict[str, str]
    source: str = "built-in"
    _compiled: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for kind in STEMS:
            if kind not in self.texts:
                raise TemplateError(f"{self.source}: no template for {kind}")
            self._compile(kind)

    def render(self, kind: str, values: dict[str, str]) -> str:
        return self._compile(kind).render(**values)

    def _compile(self, kind: str):
        if kind not in self._compiled:
            import jinja2
            from jinja2 import meta

            text = self.texts[kind]
            try:
                names = meta.find_undeclared_variables(jinja2.Environment().parse(text))
                self._compiled[kind] = jinja2.Template(text)
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateError(f"{self.source}: the {kind} template has a syntax "
                                    f"error on line {exc.lineno}: {exc.message}") from None
            unknown = sorted(names - set(VARIABLES[kind]))
            if unknown:
                raise TemplateError(
                    f"{self.source}: the {kind} template uses {', '.join(unknown)}; it may "
                    f"use only {', '.join(VARIABLES[kind])}")
        return self._compiled[kind]


def template_file(folder: Path, kind: str) -> Path | None:
    """`<stem>.jinja`, else `surveycpm_<stem>.jinja`, in `folder`."""
    for name in (f"{STEMS[kind]}.jinja", f"{AUTHORS_PREFIX}{STEMS[kind]}.jinja"):
        if (folder / name).is_file():
            return folder / name
    return None


def load_template_dir(folder: str | Path) -> PromptTemplates:
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise TemplateError(f"prompt template folder not found: {folder}")
    texts, missing = {}, []
    for kind, stem in STEMS.items():
        path = template_file(folder, kind)
        if path is None:
            missing.append(f"{stem}.jinja")
            continue
        try:
            texts[kind] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise TemplateError(f"cannot read {path}: {exc}") from None
    if missing:
        raise TemplateError(f"{folder} lacks {', '.join(missing)} (also accepted with the "
                            f"'{AUTHORS_PREFIX}' prefix)")
    return PromptTemplates(texts, source=str(folder))


def template_files(folder: str | Path) -> list[Path]:
    """The four template files of a folder that can serve every action (TemplateError
    otherwise), for attaching to an imported model."""
    load_template_dir(folder)
    return [template_file(Path(folder).expanduser(), kind) for kind in STEMS]
