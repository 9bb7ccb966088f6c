"""What every tour replays: the small library, transcript and question in resources/tour/."""
from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
TOUR = RESOURCES / "tour"
QUESTION = "What caused the 2022 monsoon floods and who was affected?"
MAX_STEPS = 30
TIMEOUT_S = 600
