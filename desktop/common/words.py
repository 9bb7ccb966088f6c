"""Numbers in window text: counts with their plurals ("1 passage", "2 passages", never
"1 passages") and the time left of a job."""
from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`count` and the noun, singular for exactly one (`many` for irregular plurals)."""
    form = noun if count == 1 else (many or noun + "s")
    return f"{count:,} {form}"


def time_left(seconds: float) -> str:
    if seconds < 60:
        return "less than a minute left" if seconds >= 10 else "a few seconds left"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} min left"
    return f"about {minutes // 60} h {minutes % 60:02d} min left"
