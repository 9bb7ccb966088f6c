# Two commands for a fresh machine:
#   make run    install into .venv and open the desktop app
#   make test   install into .venv (with test extras) and run the whole test suite
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
# sentence-transformers needs torch; this pin takes the CPU build where one is provided
# locally (and a normal build elsewhere). Override with TORCH_SPEC=... if you like.
TORCH_SPEC ?= torch==2.13.0

.PHONY: run test install install-test bench clean installer

$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip wheel setuptools

$(VENV)/.installed: $(VENV)/bin/python pyproject.toml
	$(PIP) install --quiet "$(TORCH_SPEC)"
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(VENV)/bin/deepdraft

test: install-test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

$(VENV)/.installed-build: $(VENV)/.installed
	$(PIP) install --quiet -e ".[build]"
	touch $@

# PyInstaller one-folder bundle (build/dist/deepdraft), then dist/deepdraft_VERSION_amd64.deb
# and dist/deepdraft-VERSION-linux-x86_64.tar.gz. Linux only; other OSes: installers/README.md.
installer: $(VENV)/.installed-build
	rm -rf build/dist/deepdraft
	$(VENV)/bin/pyinstaller installers/deepdraft.spec --noconfirm --log-level WARN \
		--distpath build/dist --workpath build/pyi
	# Symbols off the shared libraries (libtorch_cpu: 415 -> 329 MB), except the wheels'
	# auditwheel-patched ones in *.libs, which strip breaks (numpy's OpenBLAS stops loading).
	find build/dist/deepdraft/_internal -name '*.so*' -type f -not -path '*.libs/*' \
		-exec strip {} +
	$(PY) installers/sizes.py build/dist/deepdraft
	bash installers/linux/package.sh

# Every benchmark in turn (long: a full WARP run and a FreshWiki ingest among them);
# run one alone with `.venv/bin/python tests/benchmarks/bench_NAME.py`.
bench: install-test
	set -e; for script in $$(grep -l '__main__' tests/benchmarks/bench_*.py); do \
		echo "== $$script"; $(PY) $$script; done

clean:
	rm -rf $(VENV) build dist *.egg-info
