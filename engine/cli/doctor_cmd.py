"""`deepdraft doctor`."""
from __future__ import annotations

import json

import click

OPTIONAL = ("torch", "sentence-transformers")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def doctor(as_json: bool) -> None:
    """Show versions, hardware, data folder, models and offline guards."""
    from engine.doctor import collect

    report = collect()
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    ok = click.style("ok", fg="green")
    missing = click.style("MISSING", fg="red")
    click.echo(f"Python          {report['python']} ({report['platform']})")
    click.echo(f"CPU threads     {report['cpu_threads']}")
    _threads(report["threads"])
    click.echo("Packages")
    for name, version in report["packages"].items():
        # torch serves only the torch embedding backend: the installers leave it out
        absent = "not included (optional)" if name in OPTIONAL else missing
        click.echo(f"  {name:22} {version or absent}")
    llama = report["llama_cpp"]
    if llama["loadable"]:
        click.echo(f"llama.cpp       {ok} (llama-cpp-python {llama['version']})")
        gpu = llama.get("gpu_offload")
        backends = ", ".join(llama.get("backends") or []) or "none"
        click.echo(f"  GPU offload   {gpu} (GPU backends compiled in: {backends})")
    else:
        click.echo(f"llama.cpp       {missing}: {llama['error']}")
    source = "$DEEPDRAFT_HOME" if report["app_home_from_env"] else "platform default"
    click.echo(f"App data        {report['app_home']} ({source})")
    click.echo("Models")
    for label, path in (("demo LLM (SmolLM2-135M)", report["models"]["demo_llm"]),
                        ("embedding (MiniLM-L6-v2)", report["models"]["embedding"])):
        click.echo(f"  {label:26} {ok + ' ' + path if path else missing}")
    embed = report["embedding_backend"]
    click.echo(f"Embeddings      {embed['uses'] or missing} ({embed['why']}; "
               f"requested: {embed['requested']})")
    where = report["placement"]
    click.echo(f"Placement       {where['model']}: {where['summary']}")
    for note in where["notes"]:
        click.echo(f"  {note}")
    guards = report["offline_guards"]
    active = all(guards.values())
    click.echo(f"Offline guards  {ok if active else missing}: "
               + ", ".join(f"{k}={'on' if v else 'off'}" for k, v in guards.items()))


def _threads(threads: dict) -> None:
    other = threads["other_busy"]
    busy = ("other programs' load unknown here" if other is None else
            f"other programs keep {other:.1f} busy now (Deepdraft itself {threads['own_busy']:.1f})")
    click.echo(f"  Cores         {threads['cores']} ({threads['usable_cores']} usable); {busy}")
    why = (f"the threads setting: {threads['setting']}" if threads["setting"]
           else "chosen again as each job starts and between a run's steps")
    click.echo(f"  Threads now   llama.cpp {threads['llama_cpp']}, embedder (ingest) "
               f"{threads['embedder']}, search queries {threads['queries']} ({why})")
