"""The claim check: every sentence of a written section against the passages it cites
(figures, names and quotations, relevance; optionally a model's yes/partly/no). Flags
are recorded in the project beside the run and never shown to the model.

Pure part: engine.check.checker.ClaimChecker.check(text, Evidence) -> [Flag].
Over a project (CLI, run, window): engine.check.record.
"""
from engine.check.checker import ClaimChecker, Evidence
from engine.check.record import (dismiss_flag, evidence_for, open_checker, recheck_report,
                                 recheck_section, section_flags, stale_sections)
from engine.check.types import KINDS, Flag, Sentence

__all__ = ["ClaimChecker", "Evidence", "Flag", "KINDS", "Sentence", "dismiss_flag",
           "evidence_for", "open_checker", "recheck_report", "recheck_section",
           "section_flags", "stale_sections"]
