"""`deepdraft self-test`: prove this installation works, offline, in a minute or two.

Runs each check in engine.cli.selftest_checks in a temporary data folder, with the
socket guard installed, and prints one line per check with its time. Exits 1 if any
check failed or anything tried to reach the network.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

import click

from engine import netguard
from engine.paths import HOME_ENV


def _platform_home_exists() -> bool:
    from platformdirs import user_data_dir

    return Path(user_data_dir("Deepdraft", "Deepdraft")).exists()


def _run_check(name: str, check, ctx) -> bool:
    started = time.perf_counter()
    try:
        detail, ok = check(ctx), True
    except Exception as exc:  # a failed check is reported, never fatal to the rest
        detail, ok = f"{type(exc).__name__}: {exc}", False
        if os.environ.get("DEEPDRAFT_SELFTEST_TRACE"):
            traceback.print_exc()
    mark = click.style("ok  ", fg="green") if ok else click.style("FAIL", fg="red")
    click.echo(f"{mark} {name:<12} {time.perf_counter() - started:6.1f} s  {detail}")
    return ok


@click.command(name="self-test")
@click.option("--steps", default=4, show_default=True, help="WARP steps of the demo model.")
@click.option("--window-seconds", default=2.0, show_default=True,
              help="How long the window stays open.")
@click.option("--window-platform", default="offscreen", show_default=True,
              help="Qt platform for the window check (offscreen, xcb, ...).")
@click.option("--keep", is_flag=True, help="Keep the temporary data folder and print it.")
def self_test(steps: int, window_seconds: float, window_platform: str, keep: bool) -> None:
    """Check this installation: index sample documents, run the demo model, export,
    open the window. Offline; your own data is not touched."""
    from engine.cli.selftest_checks import CHECKS, Context

    home = Path(tempfile.mkdtemp(prefix="deepdraft-self-test-"))
    previous = os.environ.get(HOME_ENV)
    os.environ[HOME_ENV] = str(home)
    ctx = Context(home=home, steps=steps, window_seconds=window_seconds,
                  window_platform=window_platform)
    ctx.facts["platform_home_existed"] = _platform_home_exists()
    ctx.facts["attempts_before"] = len(netguard.attempts)
    guarded_here = not netguard.active()     # under the test suite it already is
    netguard.install()
    # The window, the engine process and whatever they start inherit this and guard
    # themselves (engine/__init__.py), logging their attempts here.
    previous_log = os.environ.get(netguard.LOG_ENV)
    os.environ[netguard.LOG_ENV] = str(home / "network-attempts.log")
    started, results = time.perf_counter(), []
    try:
        for name, check in CHECKS:
            results.append(_run_check(name, check, ctx))
        results.append(_run_check("network", _no_attempts, ctx))
    finally:
        if guarded_here:
            netguard.uninstall()
        _restore(previous)
        _restore_env(netguard.LOG_ENV, previous_log)
        shutil.rmtree(home, ignore_errors=True) if not keep else click.echo(f"kept {home}")
    failed = results.count(False)
    summary = f"{len(results) - failed}/{len(results)} checks passed in " \
              f"{time.perf_counter() - started:.1f} s"
    click.echo(summary if not failed else click.style(summary, fg="red"))
    sys.exit(1 if failed else 0)


def _no_attempts(ctx) -> str:
    """Fails naming each process that tried: this one and every guarded child."""
    here = [f"{netguard.process_name()}: {attempt}"
            for attempt in netguard.attempts[ctx.facts["attempts_before"]:]]
    children = [line for line in netguard.logged_attempts()
                if not line.startswith(f"pid {os.getpid()} ")]
    if here or children:
        raise RuntimeError(f"network attempts: {here + children}")
    return "no network attempt by this process, the window, the engine or their children"


def _restore(previous: str | None) -> None:
    _restore_env(HOME_ENV, previous)


def _restore_env(name: str, previous: str | None) -> None:
    if previous is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = previous
