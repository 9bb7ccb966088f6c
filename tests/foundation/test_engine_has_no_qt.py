"""The engine never imports Qt: import every engine module in a fresh interpreter and
check that no Qt binding got loaded."""
from __future__ import annotations

import json
import subprocess
import sys

QT_PREFIXES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")

CHECK = """
import importlib, json, pkgutil, sys
package = importlib.import_module(sys.argv[1])
names = [package.__name__]
if hasattr(package, "__path__"):
    names += [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
for name in names:
    importlib.import_module(name)
qt = sorted(m for m in sys.modules if m.split(".")[0] in %r)
print(json.dumps({"modules": names, "qt": qt}))
""" % (QT_PREFIXES,)


def qt_modules_loaded_by(package: str) -> tuple[list[str], list[str]]:
    result = subprocess.run([sys.executable, "-c", CHECK, package], capture_output=True,
                            text=True, timeout=300, env=None)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return data["modules"], data["qt"]


def test_no_engine_module_imports_qt():
    modules, qt = qt_modules_loaded_by("engine")
    assert len(modules) > 5, modules  # the walk really found the engine's modules
    assert qt == [], f"engine imported Qt: {qt}"


def test_check_detects_a_module_that_imports_qt():
    # The rule broken on purpose: desktop.qt imports PySide6, and the same check sees it.
    _, qt = qt_modules_loaded_by("desktop.qt")
    assert any(name.startswith("PySide6") for name in qt)
