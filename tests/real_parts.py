"""One rule for a real part a test needs (LibreOffice, the `chroma` CLI, the shared
corpus...): missing on a developer's machine, the test skips with the reason; under CI
(`CI=true`) the same absence fails the test, so CI can never go green without its parts."""
from __future__ import annotations

import os

import pytest


def under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def require(present: object, reason: str) -> None:
    """Skip (locally) or fail (under CI) unless `present` is truthy."""
    if present:
        return
    if under_ci():
        pytest.fail(f"real part missing under CI: {reason}", pytrace=False)
    pytest.skip(reason)
