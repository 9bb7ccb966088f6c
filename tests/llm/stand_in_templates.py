"""The tests' stand-in prompt templates (our own words; the authors' text never enters the
project) for the loopback hub (engine.llm.loopback_hub, the one the tour uses too)."""
from __future__ import annotations

from engine.llm.loopback_hub import (served_templates, stand_in_template_spec,
                                     use_stand_in_templates)

TEST_TEMPLATES = {
    "surveycpm_search.jinja": b"Find {{ current_instruction }} for {{ user_query }}\n",
    "surveycpm_init_plan.jinja": b"Plan {{ user_query }} from {{ current_information }}\n",
    "surveycpm_write.jinja": b"Write {{ current_instruction }}: {{ current_survey }}\n",
    "surveycpm_extend_plan.jinja": b"Deepen {{ current_survey }}\n",
}


def spec_for_test_templates() -> dict:
    return stand_in_template_spec(TEST_TEMPLATES)


def served_test_templates(base_url: str) -> dict[str, bytes]:
    return served_templates(TEST_TEMPLATES, base_url)


def use_test_templates(base_url: str) -> dict[str, bytes]:
    return use_stand_in_templates(TEST_TEMPLATES, base_url)
