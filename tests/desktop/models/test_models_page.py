"""The Models page on the real window and engine process: download from the loopback
hub (progress, pause and resume, interruption, checksum and disk-space refusals),
import by dialog or drop, fit against the reported GPU memory, the active model."""
from __future__ import annotations

import pytest

from desktop.engine_link.jobs import JobSpec
from desktop.models.jobs import SystemInfo
from desktop.qt import QFileDialog
from engine.llm import download as dl
from engine.paths import models_dir
from engine.llm.loopback_hub import LoopbackHub
from tests.llm.stand_in_templates import served_test_templates

from tests.desktop import worker_jobs
from tests.desktop.helpers import LONG, drop_on

MB = 2**20


@pytest.fixture(scope="module")
def hub(demo_model_path):
    server = LoopbackHub(demo_model_path)
    yield server
    server.close()


@pytest.fixture
def page(window, hub):
    hub.cut_after, hub.advertised_sha256, hub.range_requests[:] = None, None, []
    hub.files = served_test_templates(hub.url)   # the engine process asks for them first
    page = window.extras.open_models()
    page.hub_url = hub.url
    page.download_spec = lambda name, url: JobSpec.of(worker_jobs.download_from_the_test_hub,
                                                     name, url)
    return page


def download(qtbot, page, on_event=None):
    seen = []
    page.lane.event.connect(seen.append)
    if on_event:
        page.lane.event.connect(on_event)
    try:
        with qtbot.waitSignal(page.lane.finished, timeout=LONG):
            assert page.start_download()
    finally:
        page.lane.event.disconnect(seen.append)
        if on_event:
            page.lane.event.disconnect(on_event)
    return seen


def test_download_shows_progress_then_verifies_and_lists_the_model(page, qtbot, hub):
    texts = []
    seen = download(qtbot, page, lambda e: texts.append(page.download_text.text())
                    if isinstance(e, dl.DownloadProgress) else None)
    assert sum(isinstance(e, dl.DownloadProgress) for e in seen) > 10
    assert any(" of " in t and "/s" in t and "left" in t for t in texts), texts[-3:]
    assert page.download_text.text().startswith("Downloaded and verified: agentcpm-report")
    assert page.download_bar.value() == 1000
    assert "agentcpm-report" in [m["name"] for m in page.models]
    assert (models_dir() / "agentcpm-report.gguf").read_bytes() == hub.data


def test_pause_then_resume_continues_with_a_range_request(page, qtbot, hub):
    def pause_at_first_progress(event):
        if isinstance(event, dl.DownloadProgress) and page.pause_button.isEnabled():
            page.pause_button.click()

    download(qtbot, page, pause_at_first_progress)
    assert page.download_text.text().startswith("Paused")
    assert page.download_button.text() == "Resume" and page.cancel_button.isEnabled()
    download(qtbot, page)
    assert hub.range_requests and hub.range_requests[0].startswith("bytes=")
    assert page.download_text.text().startswith("Downloaded and verified")


def test_interrupted_download_resumes(page, qtbot, hub):
    hub.cut_after = 10 * MB
    download(qtbot, page)
    assert "ended early" in page.download_text.text()
    assert "press Resume to continue" in page.download_text.text()
    assert page.download_button.text() == "Resume"
    download(qtbot, page)
    assert hub.range_requests == [f"bytes={10 * MB}-"]
    assert (models_dir() / "agentcpm-report.gguf").read_bytes() == hub.data


def test_cancel_deletes_the_partial_file(page, qtbot, hub):
    hub.cut_after = 5 * MB
    download(qtbot, page)
    part = models_dir() / "agentcpm-report.gguf.part"
    assert part.is_file() and page.cancel_button.isEnabled()
    with qtbot.waitSignal(page.lane.finished, timeout=LONG):
        page.cancel_button.click()
    assert not part.exists() and page.download_button.text() == "Download"


def test_checksum_mismatch_is_refused(page, qtbot, hub):
    hub.advertised_sha256 = "0" * 64
    download(qtbot, page)
    assert "checksum mismatch" in page.download_text.text()
    assert "agentcpm-report" not in [m["name"] for m in page.models]
    assert not (models_dir() / "agentcpm-report.gguf.part").exists()


def test_a_full_disk_is_refused(page, qtbot):
    page.download_spec = lambda name, url: JobSpec.of(worker_jobs.download_on_a_full_disk,
                                                     name, url)
    download(qtbot, page)
    assert "not enough disk space" in page.download_text.text()


def test_import_by_dialog_and_drop_then_make_it_active(page, window, qtbot, demo_model_path,
                                                       tmp_path, monkeypatch):
    junk = tmp_path / "notes.gguf"
    junk.write_bytes(b"these are not model weights" * 10)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(junk), ""))
    with qtbot.waitSignal(page.lane.finished, timeout=LONG):
        page.import_button.click()
    assert page.message.text() == ("Import failed: notes.gguf is not a GGUF model file "
                                   "(wrong magic bytes)")
    copy = tmp_path / "tiny-chat.gguf"
    copy.write_bytes(demo_model_path.read_bytes())
    with qtbot.waitSignal(page.lane.finished, timeout=LONG):
        assert drop_on(page, [copy]) == (True, True)
    assert page.message.text().startswith("Imported tiny-chat")
    assert "tiny-chat" in [m["name"] for m in page.models]
    drop_on(page, [tmp_path / "readme.txt"])
    assert page.message.text() == "Not imported: readme.txt is not a .gguf model file."

    page.table.selectRow([m["name"] for m in page.models].index("tiny-chat"))
    page.use_button.click()
    assert window.run_bar.model.spec() == "tiny-chat"
    assert "tiny-chat" in window.extras.status_info.text()
    from engine.app_settings import load_settings

    assert load_settings().model == "tiny-chat"


def test_fit_against_the_reported_gpu_and_the_active_model(page, window):
    small_gpu = SystemInfo(backend="CUDA", offload=True, gpu_name="Test GPU",
                           gpu_total=80 * MB, gpu_free=64 * MB, ram_free=8 * 2**30)
    page.on_event(small_gpu)
    demo_row = [m["name"] for m in page.models].index("demo")
    fit = page.table.item(demo_row, 4).text()
    assert fit.startswith("Won't fit the GPU") and "64.0 MB" in fit
    assert "CUDA" in page.detected.text() and "64.0 MB free of 80.0 MB" in page.detected.text()
    from desktop.shell.settings_dialog import computer_text

    text = computer_text(small_gpu, "demo")
    assert "Won't fit the GPU" in text
    from desktop.models.fit import model_plan
    from engine.bundled import demo_llm_path

    plan, _, _ = model_plan(demo_llm_path(), small_gpu)
    assert f"KV cache {plan.kv_type}," in text     # what the run will use, not a constant
    big_gpu = SystemInfo("CUDA", True, "Big GPU", 80 * 2**30, 80 * 2**30, 8 * 2**30)
    page.on_event(big_gpu)
    assert page.table.item(demo_row, 4).text().startswith("Fits the GPU")
    cpu = SystemInfo("CPU", False, ram_free=8 * 2**30)
    assert computer_text(cpu, "demo").splitlines()[-1].startswith("Runs on the CPU")
