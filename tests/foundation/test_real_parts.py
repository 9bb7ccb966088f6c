"""A missing real part skips on a developer's machine and fails under CI."""
from __future__ import annotations

import pytest

from tests.real_parts import require


def test_missing_part_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="real part missing under CI: soffice"):
        require(None, "soffice")


@pytest.mark.parametrize("value", [None, "", "false", "0"])
def test_missing_part_skips_outside_ci(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.skip.Exception, match="soffice"):
        require(False, "soffice")


def test_present_part_passes_everywhere(monkeypatch):
    monkeypatch.setenv("CI", "true")
    require("/usr/bin/soffice", "soffice")
