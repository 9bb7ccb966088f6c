"""Check the catalogue's pinned prompt-template checksums against the authors' real files
(not part of the suite: the project never holds the authors' text, so the real bytes come
from a checkout of their repository that you point this at).

    git clone https://github.com/OpenBMB/AgentCPM /tmp/AgentCPM
    python tests/benchmarks/check_pinned_templates.py /tmp/AgentCPM

Reads each file at the pinned commit (`git show COMMIT:FOLDER/FILE`) and prints whether
its sha256 matches the pin; exits 1 on any mismatch or missing file.
"""
from __future__ import annotations

import hashlib
import subprocess
import sys

from engine.llm.template_download import AGENTCPM_REPORT_TEMPLATES


def main(checkout: str) -> int:
    spec, bad = AGENTCPM_REPORT_TEMPLATES, 0
    for name, pinned in spec["files"].items():
        shown = subprocess.run(["git", "-C", checkout, "show",
                                f"{spec['commit']}:{spec['folder']}/{name}"],
                               capture_output=True)
        actual = hashlib.sha256(shown.stdout).hexdigest() if shown.returncode == 0 else None
        ok = actual == pinned
        bad += not ok
        print(f"{'ok  ' if ok else 'BAD '} {name} {actual or shown.stderr.decode().strip()}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
