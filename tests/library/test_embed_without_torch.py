"""The installed app ships onnxruntime and the int8 graph, not torch: with torch and
sentence-transformers unimportable, the bundled model still embeds from the shipped graph,
nothing imports torch, and the torch backend says it is an optional component."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from engine.bundled import default_embedding_path
from engine.library.onnx_export import SHIPPED_DIR, export_into

# Makes the named packages unimportable, as in a bundle that does not carry them.
BLOCK = """
import sys
class _Absent:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('torch', 'sentence_transformers', 'transformers'):
            raise ModuleNotFoundError(f"No module named {name!r}")
sys.meta_path.insert(0, _Absent())
"""

PROBE = BLOCK + """
import json, sys
from engine.library.embedder import describe_backend, get_embedder
from engine.library.errors import LibraryError
model = sys.argv[1]
out = {}
vectors = get_embedder(model, "auto").encode(["honeybee colonies", "crop pollination"])
out["shape"] = list(vectors.shape)
try:
    get_embedder(model, "torch")
except LibraryError as exc:
    out["torch_error"] = str(exc)
out["torch_loaded"] = any(m.split('.')[0] in ('torch', 'sentence_transformers')
                          for m in sys.modules)
print(json.dumps(out))
"""


def _model_with_graph(tmp_path: Path) -> Path:
    source = default_embedding_path()
    model = tmp_path / "model"
    model.mkdir()
    for item in source.iterdir():
        (model / item.name).symlink_to(item)
    export_into(source, model)
    return model


def _run(code: str, *args: str, tmp_path: Path) -> dict:
    env = {**os.environ, "DEEPDRAFT_HOME": str(tmp_path / "home"),
           "XDG_CACHE_HOME": str(tmp_path / "cache"), "DEEPDRAFT_EMBED_BACKEND": ""}
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                          text=True, env=env, timeout=300, cwd=Path(__file__).parents[2])
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_shipped_graph_embeds_without_torch(tmp_path):
    model = _model_with_graph(tmp_path)
    assert (model / SHIPPED_DIR / "model.onnx").is_file()
    out = _run(PROBE, str(model), tmp_path=tmp_path)
    assert out["shape"] == [2, 384]
    assert not out["torch_loaded"]
    assert "optional component" in out["torch_error"]


def test_no_graph_and_no_torch_says_what_is_missing(tmp_path):
    code = BLOCK + """
import json
from engine.library.embedder import describe_backend, get_embedder
from engine.library.errors import LibraryError
try:
    get_embedder("default", "auto")
    print(json.dumps({"error": None}))
except LibraryError as exc:
    print(json.dumps({"error": str(exc), "doctor": describe_backend()}))
"""
    out = _run(code, tmp_path=tmp_path)
    assert out["error"] and "needs PyTorch" in out["error"]
    assert out["doctor"]["uses"] is None
