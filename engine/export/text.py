"""Text hygiene shared by both exporters."""
from __future__ import annotations

import re

# XML 1.0 forbids these code points; PDFs often carry them (form feeds, NULs) and lone
# surrogates come from broken decoders. lxml refuses them, so they never reach a writer.
# U+E000/U+E001 are reserved by export for citation placeholders (see citations.py).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff\ue000\ue001]")


def clean_text(text: str | None) -> str:
    """`text` without characters an XML document (or our placeholders) cannot carry."""
    if not text:
        return ""
    return _ILLEGAL.sub("", text)
