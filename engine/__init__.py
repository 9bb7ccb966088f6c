"""Deepdraft's headless core: library, model runtime, WARP loop, projects, export.

Never imports Qt. Importing the package switches on the offline guards so that no
library we depend on phones home (Chroma telemetry, Hugging Face hub look-ups).
"""
from engine.netguard import install_from_environment as _guard_if_asked
from engine.offline import apply_offline_defaults as _apply_offline_defaults

__version__ = "0.1.0"

_apply_offline_defaults()
_guard_if_asked()
