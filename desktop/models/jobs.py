"""Model jobs for the engine process: what this computer can run, importing a GGUF,
downloading a catalogue model (engine.llm.download, the same code as the CLI), and
throwing away a paused download. Specs are built in the window (desktop.engine_link.jobs.JobSpec)."""
from __future__ import annotations

from dataclasses import dataclass

from desktop.engine_link.jobs import JobSpec
from engine.cancel import CancelToken


@dataclass
class SystemInfo:
    backend: str                 # "CUDA" | "Metal" | "Vulkan" | "CPU" (the llama.cpp build)
    offload: bool                # the build can put layers on a GPU
    gpu_name: str = ""
    gpu_total: int | None = None     # bytes; None: unknown (Metal shares RAM)
    gpu_free: int | None = None
    ram_free: int = 0


@dataclass
class ModelImported:
    entry: dict


@dataclass
class DownloadDiscarded:
    name: str


def system_job() -> JobSpec:
    return JobSpec.of(_system)


def import_job(path: str, prompts: str | None = None) -> JobSpec:
    """Import a GGUF; `prompts` is a folder of its prompt templates (checked first)."""
    return JobSpec.of(_import, path, prompts)


def download_job(name: str, base_url: str | None = None) -> JobSpec:
    return JobSpec.of(_download, name, base_url)


def discard_job(name: str) -> JobSpec:
    return JobSpec.of(_discard, name)


# --- in the engine process ----------------------------------------------------------------------
def _system():
    def job(cancel: CancelToken):
        from engine.llm import placement

        offload = placement.gpu_offload_supported()
        name, total, free = _nvidia()
        yield SystemInfo(backend=detect_backend(), offload=offload, gpu_name=name,
                         gpu_total=total, gpu_free=free if offload else None,
                         ram_free=placement.free_ram_bytes())
    return job


def detect_backend() -> str:
    """Which GPU backend this llama.cpp build has, from its own system report."""
    import llama_cpp

    report = llama_cpp.llama_print_system_info().decode("utf-8", "replace")
    for backend in ("CUDA", "Metal", "Vulkan"):
        if backend.upper() in report.upper():
            return backend
    return "CPU"


def _nvidia() -> tuple[str, int | None, int | None]:
    """Name, total and free memory of the first NVIDIA GPU (placement asks the same way)."""
    import shutil
    import subprocess

    if not shutil.which("nvidia-smi"):
        return "", None, None
    try:
        out = subprocess.run(["nvidia-smi", "--query-gpu=name,memory.total,memory.free",
                              "--format=csv,noheader,nounits"], capture_output=True,
                             text=True, timeout=5).stdout.splitlines()[0]
        name, total, free = (part.strip() for part in out.split(","))
        return name, int(total) * 2**20, int(free) * 2**20
    except (OSError, ValueError, IndexError, subprocess.SubprocessError):
        return "", None, None


def _import(path: str, prompts: str | None = None):
    def job(cancel: CancelToken):
        from engine.llm.catalog import import_model
        from engine.warp.templates import template_files

        files = template_files(prompts) if prompts else None
        yield ModelImported(import_model(path, prompt_files=files))
    return job


def _download(name: str, base_url: str | None):
    def job(cancel: CancelToken):
        from engine.llm.download import download_model

        yield from download_model(name, base_url=base_url, cancel=cancel)
    return job


def _discard(name: str):
    def job(cancel: CancelToken):
        from engine.paths import models_dir

        part = models_dir() / f"{name}.gguf.part"
        part.unlink(missing_ok=True)
        yield DownloadDiscarded(name)
    return job
