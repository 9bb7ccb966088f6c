"""The PyMuPDF test corpus (190 real-world files) through `deepdraft library add`: no crash,
and every file ends indexed or listed with a specific reason."""
from __future__ import annotations

import re

from click.testing import CliRunner

from engine.cli import cli
from engine.library import errors
from tests.conftest import CORPUS
from tests.real_parts import require

REASONS = {errors.ENCRYPTED, errors.NO_TEXT_LAYER, errors.CORRUPT, errors.UNSUPPORTED,
           errors.EMPTY}
LINE = re.compile(r"^(indexed|failed|skipped)\s+(/\S.*?)(?: \(\d+ chunks.*\)|: (.*))$")


def test_every_corpus_file_gets_an_outcome():
    folder = CORPUS / "pymupdf-tests"
    require(folder.is_dir(), "shared corpus not present")
    names = {p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")}
    result = CliRunner().invoke(cli, ["library", "add", str(folder)], catch_exceptions=False)
    assert result.exit_code == 0
    seen: dict[str, str] = {}
    for line in result.stdout.splitlines()[:-1]:
        match = LINE.match(line)
        assert match, f"unexpected output line: {line!r}"
        kind, path, reason = match.groups()
        name = path.rsplit("/", 1)[-1]
        assert name not in seen
        seen[name] = kind if kind == "indexed" else reason.split(" (")[0]
    assert set(seen) == names
    assert set(seen.values()) <= REASONS | {"indexed"}
    indexed = sum(v == "indexed" for v in seen.values())
    assert indexed >= 150   # most of the corpus has a text layer
    assert f"{indexed} indexed, " in result.stdout.splitlines()[-1]
    listed = CliRunner().invoke(cli, ["library", "list"]).stdout
    assert listed.count("chunks") == indexed
