# Two commands for a fresh machine:
#   make run    install into .venv and open the desktop app
#   make test   install into .venv (with test extras) and run the whole test suite
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
# sentence-transformers needs torch; this pin takes the CPU build where one is provided
# locally (and a normal build elsewhere). Override with TORCH_SPEC=... if you like.
TORCH_SPEC ?= torch==2.13.0

.PHONY: run test install install-test bench clean

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

# Every benchmark in turn (long: a full WARP run and a FreshWiki ingest among them);
# run one alone with `.venv/bin/python tests/benchmarks/bench_NAME.py`.
bench: install-test
	set -e; for script in $$(grep -l '__main__' tests/benchmarks/bench_*.py); do \
		echo "== $$script"; $(PY) $$script; done

clean:
	rm -rf $(VENV) build *.egg-info
