"""`deepdraft estimate`: how long AgentCPM-Report 8B would take here on the CPU."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import click


@click.command()
@click.option("--steps", "step_limit", type=int, default=None,
              help="Also estimate a run cut at this step limit (default 40).")
@click.option("--measure", "model", type=click.Path(exists=True, dir_okay=False),
              default=None, help="GGUF to measure (default: the active model, else demo).")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def estimate(step_limit: int | None, model: str | None, as_json: bool) -> None:
    """Measure a short prefill and decode here; scale to AgentCPM-Report 8B."""
    from engine.llm.cpu_estimate import LIMITED_STEPS, cpu_only_build, estimate_cpu_report

    result = estimate_cpu_report(Path(model) if model else None,
                                 step_limit=step_limit or LIMITED_STEPS)
    if as_json:
        click.echo(json.dumps({**dataclasses.asdict(result), "text": result.text(),
                               "cpu_only_build": cpu_only_build()}, indent=2))
        return
    click.echo(result.text())
    if not cpu_only_build():
        click.echo("(This build can also run models on a GPU; the figure is for the CPU.)")
    click.echo(f"Basis: {result.basis}.")
    click.echo(f"{result.model} here: prefill about {result.target_prefill_tok_s:.1f} tok/s, "
               f"decode about {result.target_decode_tok_s:.2f} tok/s (4,000-token prompt); "
               f"measuring took {result.measured.seconds:.1f} s.")
