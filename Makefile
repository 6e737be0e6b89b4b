# huiqi: two commands on a fresh machine —  `make run`  (serve the demo)  and  `make test`.
# The CPU wheel of torch is installed before anything else: any other torch request pulls CUDA builds.

VENV   ?= .venv
PYTHON ?= python3
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
HUIQI  := $(VENV)/bin/huiqi

.PHONY: run test install install-test evals bench clean

$(VENV)/.base: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e ".[dev]"
	touch $@

# The local-llm extra (llama-cpp-python builds from source, ~6 min) joins the test install once the
# real llama.cpp end-to-end test lands.
$(VENV)/.test: $(VENV)/.base
	touch $@

install: $(VENV)/.base

install-test: $(VENV)/.test

## make run: install, ingest corpus/ (incremental) and serve on http://127.0.0.1:8000
run: install
	$(HUIQI) serve --ingest

## make test: install with the local-LLM extra and run the test suite
test: install-test
	$(PY) -m pytest -q $(PYTEST_ARGS)

evals: install
	$(PY) -m evals retrieval --out out/retrieval

bench: install
	$(PY) -m evals bench-ingest
	$(PY) -m evals bench-search

clean:
	rm -rf .huiqi out .pytest_cache
