"""What an export hands back to its caller."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ExportResult:
    path: Path
    warnings: list[str] = field(default_factory=list)
    citations: int = 0            # numbered references listed
    sections: int = 0             # sections exported (headings written)
