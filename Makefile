# Everything a developer or CI needs, from a fresh clone. `make run` and `make test` set up first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup browser syncthing axe run test lint typecheck unit soak bench bench-tiny bench-app lock clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

run: setup
	$(BIN)/purpose app

# The end-to-end tests drive the served app in Debian's Chromium (never a downloaded browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is not installed: the end-to-end tests will be skipped (apt-get install chromium)."; fi; }

# Two Syncthing daemons on loopback prove sync with the real engine (tests/integration/test_syncthing.py).
syncthing:
	@command -v syncthing >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq syncthing >/dev/null; \
	  elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq syncthing >/dev/null; \
	  else echo "Syncthing is not installed: the real-engine sync test will be skipped (apt-get install syncthing)."; fi; }

# axe-core, the accessibility engine the e2e tests inject into the app: npm, pinned by package-lock.json.
AXE := tests/e2e/node_modules/axe-core/axe.min.js

axe: $(AXE)

$(AXE): tests/e2e/package.json tests/e2e/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	  elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; fi; }
	cd tests/e2e && npm ci --ignore-scripts --no-audit --no-fund --silent
	touch $(AXE)

# The unit, integration, cli and ui tests on two workers (pytest-xdist), then the browser tests one at a
# time: two Chromiums drawing at once on two cores starved one page for 50 s in a CI-like run.
TEST_WORKERS ?= 2

test: setup browser syncthing axe lint typecheck
	$(BIN)/python -m pytest -n $(TEST_WORKERS) -m "not e2e and not soak"
	$(BIN)/python -m pytest -m "e2e and not soak"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: setup
	$(BIN)/mypy

# The long reliability runs (kill -9 loops, fuzzers at high example counts, a long session with a
# canary scan), with counts of iterations, failures and data lost. Not in CI.
soak: setup
	$(BIN)/python tests/soak_run.py

# Purpose and jrnl side by side (jrnl from PyPI in a throw-away venv under .bench-cache/); about 15 min.
bench: setup
	$(BIN)/python -m benchmarks

# 1,000 entries, one run of each: what CI runs (tests/test_bench_tiny.py) to keep the suite working.
bench-tiny: setup
	$(BIN)/python -m benchmarks --tiny

# The served app in headless Chromium at 1,000 and 50,000 entries, the default key cost: each step from the
# person's action to its result on screen, and the server's memory (issue 14); about 20 min. Not in CI.
bench-app: setup browser
	$(BIN)/python -m benchmarks.app

# Regenerate the lock file after changing dependencies in pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml --extra web --extra dev --python-version 3.11 --universal --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
