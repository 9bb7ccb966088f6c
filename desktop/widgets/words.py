"""Counts in window text: "1 passage", "2 passages", never "1 passages"."""
from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`count` and the noun, singular for exactly one (`many` for irregular plurals)."""
    form = noun if count == 1 else (many or noun + "s")
    return f"{count:,} {form}"
