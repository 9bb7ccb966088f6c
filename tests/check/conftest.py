"""Claim-check tests share the WARP tests' small real library and replay transcripts."""
from tests.warp.conftest import corpus_dir, replay_file, small_library  # noqa: F401 (fixtures)
