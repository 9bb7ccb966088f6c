"""Deepdraft's headless core: library, model runtime, WARP loop, projects, export.

Never imports Qt. Importing the package switches on the offline guards so that no
library we depend on phones home (Chroma telemetry, Hugging Face hub look-ups), and
marks the first Deepdraft process of a process tree as its root, so that thread counts
can tell Deepdraft's own CPU work from other programs' (engine.cpu_load).
"""
from engine.cpu_load import mark_root as _mark_root
from engine.netguard import install_from_environment as _guard_if_asked
from engine.offline import apply_offline_defaults as _apply_offline_defaults

__version__ = "0.1.0"

_apply_offline_defaults()
_mark_root()
_guard_if_asked()
