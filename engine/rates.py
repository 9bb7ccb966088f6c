"""Measured rates remembered across sessions, so a time-left estimate can start from this
machine's own speed (chunks per second of an embedder, seconds per step of a model) before
the current job has measured anything. One small JSON file in the app data folder,
`rates.json`: {name: {rate: value}}; unreadable or missing means nothing remembered.

A rate is a running mean over the last jobs (NEW_WEIGHT for the newest), so one job on a
busy machine moves it without wiping what earlier jobs measured.
"""
from __future__ import annotations

import json
import logging
import threading

from engine.atomic import write_text
from engine.paths import app_home

NEW_WEIGHT = 0.5
log = logging.getLogger(__name__)
_WRITING = threading.Lock()


def _path():
    return app_home() / "rates.json"


def _load_all() -> dict:
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remembered(name: str) -> dict[str, float]:
    """The rates remembered under `name` (e.g. "ingest", "run")."""
    rates = _load_all().get(name)
    if not isinstance(rates, dict):
        return {}
    return {k: float(v) for k, v in rates.items() if isinstance(v, (int, float)) and v > 0}


def remember_in_background(name: str, measured: dict[str, float]) -> threading.Thread:
    """remember() on a thread of its own: its write ends in an fsync (31 ms measured, 27
    of them blocked on the disk), which a window's GUI thread must not wait for."""
    thread = threading.Thread(target=remember, args=(name, dict(measured)),
                              name="remember-rates")
    thread.start()
    return thread


def remember(name: str, measured: dict[str, float]) -> None:
    """Blend this job's measured rates into the remembered ones and save them. A failed
    write (read-only folder, full disk) only costs the next estimate its head start."""
    if not measured:
        return
    with _WRITING:   # a run and an ingest may end together: one read-merge-write at a time
        _merge(name, measured)


def _merge(name: str, measured: dict[str, float]) -> None:
    data = _load_all()
    old = data.get(name) if isinstance(data.get(name), dict) else {}
    rates = dict(old)
    for key, value in measured.items():
        if value > 0:
            before = old.get(key)
            rates[key] = (value if not isinstance(before, (int, float)) or before <= 0
                          else NEW_WEIGHT * value + (1 - NEW_WEIGHT) * before)
    data[name] = rates
    try:
        write_text(_path(), json.dumps(data, indent=2, sort_keys=True))
    except OSError as exc:
        log.warning("could not remember measured rates in %s: %s", _path(), exc)
