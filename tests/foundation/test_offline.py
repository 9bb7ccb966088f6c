"""Importing and using the engine opens no network connection.

The check runs in a fresh interpreter with the socket guard installed before anything
else is imported, so import-time connections (telemetry clients, hub look-ups) count.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]

PRELUDE = f"""
import sys
sys.path.insert(0, {str(TESTS)!r})
import netguard
netguard.install()
"""

USE_ENGINE = """
import pkgutil, importlib, engine
for mod in pkgutil.walk_packages(engine.__path__, "engine."):
    importlib.import_module(mod.name)

# embeddings with the bundled model
from sentence_transformers import SentenceTransformer
from engine.bundled import default_embedding_path, demo_llm_path
st = SentenceTransformer(str(default_embedding_path()), device="cpu")
vectors = st.encode(["offline test sentence"])

# Chroma on disk, telemetry off
import chromadb, tempfile
from engine.offline import chroma_settings
client = chromadb.PersistentClient(path=tempfile.mkdtemp(), settings=chroma_settings())
col = client.get_or_create_collection("offline-test")
col.add(ids=["a"], embeddings=[vectors[0].tolist()], documents=["offline test sentence"])
assert col.query(query_embeddings=[vectors[0].tolist()], n_results=1)["ids"][0] == ["a"]

# llama.cpp with the demo model
from llama_cpp import Llama
llm = Llama(model_path=str(demo_llm_path()), n_ctx=256, verbose=False)
llm.create_completion("Hello", max_tokens=4)
print("ATTEMPTS", netguard.attempts)
assert not netguard.attempts, netguard.attempts
"""


def run_guarded(body: str) -> subprocess.CompletedProcess:
    code = PRELUDE + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)


def test_engine_import_and_use_makes_no_network_connection(tmp_path):
    result = run_guarded(USE_ENGINE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ATTEMPTS []" in result.stdout


def test_guard_fails_when_a_library_goes_online():
    # The rule broken on purpose: a Hugging Face hub look-up with offline mode lifted.
    # The guard must see the attempt even though the library handles the error itself.
    result = run_guarded("""
        import os
        os.environ["HF_HUB_OFFLINE"] = "0"
        import huggingface_hub
        try:
            huggingface_hub.model_info("sentence-transformers/all-MiniLM-L6-v2")
        except Exception:
            pass
        print("ATTEMPTS", netguard.attempts)
        assert not netguard.attempts
    """)
    assert result.returncode != 0
    assert "huggingface.co" in result.stdout


def test_engine_forces_offline_mode_even_if_user_env_says_otherwise():
    result = subprocess.run(
        [sys.executable, "-c", "import engine, os; print(os.environ['HF_HUB_OFFLINE'],"
         " os.environ['ANONYMIZED_TELEMETRY'])"],
        capture_output=True, text=True, env={"HF_HUB_OFFLINE": "0", "PATH": "/usr/bin"})
    assert result.stdout.split() == ["1", "False"], result.stderr
