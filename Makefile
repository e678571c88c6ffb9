# claimscope: every set-up step a fresh machine needs lives here.
PYTHON ?= python3
PIP := $(PYTHON) -m pip
PYTEST_FLAGS := --record-mode=none --block-network --allowed-hosts=127.0.0.1,localhost,::1
SEED := seeds/us_mexico_cartel_strikes.txt

.PHONY: install install-dev browser demo lint typecheck test record bench bench-smoke accuracy

install:  ## the package with the HTTP service
	$(PIP) install -q -e '.[api,embedded]'

install-dev:  ## the package with test and lint tools
	$(PIP) install -q -e '.[api,dev]'

browser:  ## headless Chromium for the review-page browser test (Debian package)
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

demo: install  ## fetch + build the embedded model (cached), then extract the seed article
	$(PYTHON) -m extractor model install
	$(PYTHON) -m extractor extract $(SEED) --pretty

lint:
	ruff check extractor schemas prompts tests benchmarks
	lint-imports

typecheck:
	mypy

test: install-dev browser  ## the CI command: offline, cassettes replayed, network blocked
	ruff check extractor schemas prompts tests benchmarks
	lint-imports
	mypy
	$(PYTHON) -m pytest $(PYTEST_FLAGS) -q

record: install-dev  ## re-record cassettes against the embedded model (starts it if needed)
	CLAIMSCOPE_RECORD_API_BASE=$$($(PYTHON) -m extractor model serve) \
		$(PYTHON) -m pytest tests/recorded --record-mode=rewrite -q -p no:randomly

bench:  ## full benchmark suite -> benchmarks/results/latest.json
	$(PYTHON) -m benchmarks.run

bench-smoke:  ## small version of every benchmark
	$(PYTHON) -m benchmarks.run --smoke

accuracy:  ## dev-split accuracy on the embedded model -> benchmarks/results/accuracy.json
	$(PYTHON) benchmarks/accuracy.py
