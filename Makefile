# claimscope: every set-up step a fresh machine needs lives here, in a project .venv built from the lock.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_FLAGS := --record-mode=none --block-network --allowed-hosts=127.0.0.1,localhost,::1
SEED := seeds/us_mexico_cartel_strikes.txt

.PHONY: install install-dev lock browser demo lint typecheck docs test record bench bench-smoke accuracy clean-venv

$(PY):
	$(PYTHON) -m venv $(VENV)

# One stamp per lock: installing again only when that lock file changed. Every version and hash comes from
# the lock (--require-hashes), installed by the pip of requirements/installer.txt (the one a new venv ships
# mishandles extras under --require-hashes); the project itself goes in editable, with no dependencies of
# its own to fetch.
$(VENV)/.installed-%: requirements/%.txt requirements/installer.txt | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements/installer.txt
	$(PY) -m pip install --quiet --require-hashes -r $<
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m pip check
	@touch $@

install: $(VENV)/.installed-app  ## the package with the HTTP service and the embedded-model build tools

install-dev: $(VENV)/.installed-dev  ## every extra plus the test, lint and docs tools

lock: install-dev  ## re-resolve requirements/*.txt from pyproject.toml (needs the package index)
	$(PY) scripts/lock.py

browser:  ## headless Chromium for the review-page browser test (Debian package)
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

demo: install  ## fetch + build the embedded model (cached), then extract the seed article
	$(PY) -m extractor model install
	$(PY) -m extractor extract $(SEED) --pretty

lint: install-dev
	$(PY) scripts/lock.py --check
	$(VENV)/bin/ruff check extractor schemas prompts tests benchmarks scripts
	$(VENV)/bin/ruff format --check extractor schemas prompts tests benchmarks scripts
	$(VENV)/bin/lint-imports

typecheck: install-dev
	$(PY) -m mypy

docs: install-dev  ## build the documentation site (mkdocs, strict: a broken link or reference fails) -> site/
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --site-dir site

test: install-dev browser lint typecheck docs  ## the CI command: offline, cassettes replayed, network blocked
	$(PY) -m pytest $(PYTEST_FLAGS) -q

record: install-dev  ## re-record cassettes against the embedded model (starts it if needed)
	CLAIMSCOPE_RECORD_API_BASE=$$($(PY) -m extractor model serve) \
		$(PY) -m pytest tests/recorded --record-mode=rewrite -q -p no:randomly

bench: install-dev  ## full benchmark suite -> benchmarks/results/latest.json
	$(PY) -m benchmarks.run

bench-smoke: install-dev  ## small version of every benchmark
	$(PY) -m benchmarks.run --smoke

accuracy: install-dev  ## dev-split accuracy on the embedded model -> benchmarks/results/accuracy{,_seesaw}.json
	$(PY) benchmarks/accuracy.py --no-cache
	$(PY) benchmarks/accuracy.py --no-cache --gold ../shared/eval/seesaw_dev.jsonl --out benchmarks/results/accuracy_seesaw.json

clean-venv:  ## remove the project environment (the next target rebuilds it from the lock)
	rm -rf $(VENV)
