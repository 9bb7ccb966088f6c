"""A CPU-only build says, before a big download, how long AgentCPM-Report 8B would take on
this computer: measured in the real engine process with the bundled demo model, scaled to
the 8B (engine.llm.cpu_estimate), shown on the first-run guide and the Models page, with
a shorter run one click away. This test venv's llama.cpp is a CPU build, as CI's is."""
from __future__ import annotations

import re

from desktop.models.cpu_notice import MEASURING, UNMEASURED, CpuEstimate, CpuNotice
from desktop.models.jobs import SystemInfo
from engine.llm import placement
from tests.desktop.helpers import LONG

ESTIMATE = re.compile(r"This build runs models on the CPU; AgentCPM-Report 8B takes about "
                      r"[\d.]+ (hours|minutes) for a full report on this machine \(about "
                      r"[\d.]+ (hours|minutes) with a (\d+)-step limit\)\.")


def test_the_guide_measures_on_request_and_offers_a_shorter_run(window, qtbot):
    assert not placement.gpu_offload_supported(), "this test needs a CPU build of llama.cpp"
    with qtbot.waitSignal(window.extras.system_lane.finished, timeout=LONG):
        window.extras.warm()                       # as desktop.shell.app does after showing
    notice = window.extras.guide.findChild(CpuNotice)
    assert notice.isVisible() and notice.label.text() == UNMEASURED
    assert notice.measure_button.isVisible() and not notice.limit_button.isVisible()

    with qtbot.waitSignal(window.extras.cpu.lane.finished, timeout=LONG):
        notice.measure_button.click()
        assert notice.label.text() == MEASURING
    match = ESTIMATE.fullmatch(notice.label.text())
    assert match, notice.label.text()
    assert notice.limit_button.isVisible() and not notice.measure_button.isVisible()
    notice.limit_button.click()
    assert window.run_bar.max_steps.value() == int(match.group(3))

    page = window.extras.open_models()             # remembered: no second measurement
    shown = page.findChild(CpuNotice)
    assert shown.label.text() == notice.label.text() and not window.extras.cpu.lane.busy
    assert shown.measure_button.text() == "Measure again"


def test_a_remembered_figure_is_shown_at_once_and_a_gpu_build_shows_nothing(window, qtbot):
    with qtbot.waitSignal(window.extras.cpu.lane.finished, timeout=LONG):
        window.extras.cpu.system_known(cpu_only=True)
        assert window.extras.cpu.measure()
    text = window.extras.cpu.text
    assert ESTIMATE.fullmatch(text), text

    later = CpuEstimate(window.engine, 40)          # the next launch
    notice = CpuNotice(later, lambda steps: None)
    later.system_known(cpu_only=True)
    assert notice.label.text() == text and not later.lane.busy

    gpu = CpuEstimate(window.engine, 40)
    quiet = CpuNotice(gpu, lambda steps: None)
    window.extras._on_system(SystemInfo("CUDA", True, "Test GPU", 8 * 2**30, 8 * 2**30))
    gpu.system_known(cpu_only=False)
    assert quiet.isHidden() and not gpu.measure()
