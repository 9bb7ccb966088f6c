"""The tour's download: the Models page fetches the AgentCPM-Report model from a loopback
hub (engine.llm.loopback_hub, the same one the tests use), trickled slowly enough to be
photographed mid-download, with the tour's own stand-in templates (our words)."""
from __future__ import annotations

from pathlib import Path

from engine.llm.loopback_hub import LoopbackHub, served_templates, use_stand_in_templates

RATE_BYTES_S = 24 << 20          # about 4 s for the 94 MB demo model
TEMPLATES = {   # the tour's stand-ins for the released templates (our own words)
    "surveycpm_search.jinja": b"Keywords for {{ current_instruction }}: {{ user_query }}\n",
    "surveycpm_init_plan.jinja": b"An outline for {{ user_query }}\n",
    "surveycpm_write.jinja": b"Write {{ current_instruction }} from the passages\n",
    "surveycpm_extend_plan.jinja": b"Deepen {{ current_survey }} where it is thin\n",
}


def tour_hub(model: Path) -> LoopbackHub:
    hub = LoopbackHub(model, rate=RATE_BYTES_S)
    hub.files = served_templates(TEMPLATES, hub.url)
    return hub


def tour_download(name: str, base_url: str):
    """The Models page's download job, fetching the tour's templates from the tour hub
    (runs in the tour's own engine process; importable by name for JobSpec)."""
    from desktop.models.jobs import _download

    use_stand_in_templates(TEMPLATES, base_url)
    return _download(name, base_url)
