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


def result_for(prepared, path: Path) -> ExportResult:
    """The result of exporting `prepared` (an engine.export.prepare.PreparedReport)."""
    warnings = list(prepared.warnings)
    if not any(not section.is_plan for section in prepared.sections):
        warnings.append("the report has no written sections; only its title and headings "
                        "were exported" if prepared.sections else
                        "the report has no written sections; only its title was exported")
    return ExportResult(path=path, warnings=warnings,
                        citations=len(prepared.numbering.references),
                        sections=len(prepared.sections))
