"""Texts for the degenerate-write detector (engine.warp.degenerate): real FreshWiki prose
cut into section-sized texts, and recorded degenerate writes (data/degenerate_writes.jsonl:
the demo model's own loops and echoes, and the issue's examples; each line says where it
came from). Shared by tests/warp/test_degenerate.py and tests/benchmarks/bench_degenerate.py."""
from __future__ import annotations

import json
from pathlib import Path

SAMPLES = Path(__file__).parent / "data" / "degenerate_writes.jsonl"


def freshwiki_sections(folder: Path) -> list[tuple[str, str]]:
    """(article: heading, body) for every heading's body in every article, as a write
    would hold it: the text between two heading lines, headings left out."""
    sections = []
    for path in sorted(folder.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        heading, body = "lead", []
        for line in lines[1:]:           # line 1 is the article's title
            if line.startswith("#"):
                sections.append((f"{path.stem}: {heading}", "\n".join(body).strip()))
                heading, body = line.lstrip("# ").strip(), []
            else:
                body.append(line)
        sections.append((f"{path.stem}: {heading}", "\n".join(body).strip()))
    return [(name, text) for name, text in sections if text]


def degenerate_samples() -> list[dict]:
    """{"source": ..., "text": ...} per recorded degenerate write."""
    return [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines()
            if line.strip()]
