"""The embedding model as a fused, int8 ONNX graph for onnxruntime, built once per model.

Built from the sentence-transformers folder without optimum (which pulls transformers and
huggingface-hub outside sentence-transformers' range): torch.onnx exports the transformer
with its pooling and normalisation inside the graph (eager attention, the pattern
onnxruntime's BERT optimiser fuses into its Attention op), the optimiser fuses it, and
onnxruntime's dynamic quantiser stores the weights as per-channel int8. Per-channel
matters: one scale per tensor gave a cosine of 0.948 to the float vectors (0.83 at
worst), per-channel 0.993 (0.987 at worst) on FreshWiki chunks.

The result is cached in the user cache folder (engine.paths.cache_dir), keyed by the model files' names, sizes
and modification times and by the tool versions, so a changed model is rebuilt. Only
models made of Transformer, mean or CLS Pooling and an optional Normalize are exported;
others stay on torch.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import shutil
import tempfile
import warnings
from pathlib import Path

from engine.atomic import replace
from engine.library.errors import LibraryError

EXPORT_VERSION = "1"
MODEL_FILE = "model.onnx"
# The installers export the bundled model at build time into this folder beside it, so
# the installed app (which carries onnxruntime but not torch) never exports.
SHIPPED_DIR = "onnx-int8"
POOLINGS = ("pooling_mode_mean_tokens", "pooling_mode_cls_token")


def pooling_mode(model_path: Path) -> str | None:
    """'mean' or 'cls' if the folder is Transformer + Pooling (+ Normalize), else None."""
    try:
        modules = json.loads((model_path / "modules.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    kinds = [m.get("type", "").rsplit(".", 1)[-1] for m in modules]
    if kinds not in (["Transformer", "Pooling", "Normalize"], ["Transformer", "Pooling"]):
        return None
    pooling = json.loads((model_path / modules[1]["path"] / "config.json").read_text("utf-8"))
    chosen = [key for key, on in pooling.items() if key.startswith("pooling_mode") and on]
    if len(chosen) != 1 or chosen[0] not in POOLINGS:
        return None
    return "mean" if chosen[0] == POOLINGS[0] else "cls"


def max_seq_length(model_path: Path) -> int:
    try:
        config = json.loads((model_path / "sentence_bert_config.json").read_text("utf-8"))
        return int(config.get("max_seq_length") or 512)
    except (OSError, ValueError):
        return 512


def fingerprint(model_path: Path) -> str:
    from importlib.metadata import version

    digest = hashlib.sha256(f"{EXPORT_VERSION} ort {version('onnxruntime')}".encode())
    for path in sorted(model_path.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            stat = path.stat()
            digest.update(f"{path.relative_to(model_path)} {stat.st_size} {stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:20]


def cached_model(model_path: Path) -> Path:
    """The int8 ONNX file for this model, exported now if not cached yet (about 20 s)."""
    from engine.paths import cache_dir

    shipped = model_path / SHIPPED_DIR / MODEL_FILE
    if shipped.is_file():
        return shipped
    folder = cache_dir() / "embeddings" / f"{model_path.name}-{fingerprint(model_path)}"
    target = folder / MODEL_FILE
    if target.is_file():
        return target
    mode = pooling_mode(model_path)
    if mode is None:
        raise LibraryError(f"the ONNX backend cannot export {model_path.name} (only "
                           "Transformer + mean or CLS pooling models); use the torch backend")
    if not torch_available():
        raise LibraryError(f"exporting {model_path.name} to ONNX needs PyTorch, an optional "
                           "component this build does not include")
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=folder.parent))
    try:
        _build(model_path, mode, work)
        try:
            replace(work, folder)   # another process may have finished first: keep its
        except OSError:
            pass
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if not target.is_file():
        raise LibraryError(f"exporting {model_path.name} to ONNX left no model file")
    return target


def torch_available() -> bool:
    from importlib.util import find_spec

    try:
        return find_spec("torch") is not None and find_spec("transformers") is not None
    except (ImportError, ValueError):   # a broken or blocked install counts as absent
        return False


def export_into(model_path: Path, dest: Path) -> Path:
    """Build the int8 graph into dest/SHIPPED_DIR (installers/export_embedding.py)."""
    mode = pooling_mode(model_path)
    if mode is None:
        raise LibraryError(f"{model_path.name} cannot be exported to ONNX")
    folder = dest / SHIPPED_DIR
    folder.mkdir(parents=True, exist_ok=True)
    _build(model_path, mode, folder)
    return folder / MODEL_FILE


def _build(model_path: Path, mode: str, work: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model

    exported, fused = work / "exported.onnx", work / "fused.onnx"
    config = _export(model_path, mode, exported)
    with warnings.catch_warnings(), _quiet_root_logger():
        warnings.simplefilter("ignore")
        model = optimize_model(str(exported), model_type="bert", opt_level=1,
                               num_heads=int(getattr(config, "num_attention_heads", 0) or 0),
                               hidden_size=int(getattr(config, "hidden_size", 0) or 0))
        model.save_model_to_file(str(fused))
        quantize_dynamic(str(fused), str(work / MODEL_FILE), per_channel=True,
                         weight_type=QuantType.QInt8, extra_options={"DefaultTensorType": 1})
    exported.unlink()
    fused.unlink()


def _export(model_path: Path, mode: str, dest: Path):
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    base = AutoModel.from_pretrained(str(model_path), attn_implementation="eager",
                                     local_files_only=True).eval()
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if _takes_types(base) else [])
    sample = {name: torch.ones((2, 8), dtype=torch.long) for name in names}
    axes = {name: {0: "batch", 1: "tokens"} for name in names}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(_Pooled(base, mode, names), tuple(sample[n] for n in names), str(dest),
                          input_names=names, output_names=["embedding"],
                          dynamic_axes={**axes, "embedding": {0: "batch"}}, opset_version=17,
                          dynamo=False)
    return base.config


@contextlib.contextmanager
def _quiet_root_logger():
    """onnxruntime's quantiser logs advice to the root logger; the CLI would print it."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        yield
    finally:
        root.setLevel(level)


def _takes_types(model) -> bool:
    return int(getattr(model.config, "type_vocab_size", 0) or 0) > 0


def _pooled_class():
    import torch

    class Pooled(torch.nn.Module):
        """Transformer, pooling and L2 normalisation in one graph."""

        def __init__(self, base, mode: str, names: list[str]) -> None:
            super().__init__()
            self.base, self.mode, self.names = base, mode, names

        def forward(self, *inputs):
            given = dict(zip(self.names, inputs))
            hidden = self.base(**given).last_hidden_state
            if self.mode == "cls":
                pooled = hidden[:, 0]
            else:
                mask = given["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    return Pooled


def _Pooled(base, mode: str, names: list[str]):
    return _pooled_class()(base, mode, names)
