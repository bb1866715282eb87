# The two commands: `make run` and `make test`. Both create .venv and install the project when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The machine is offline: no telemetry from Prefect or Great Expectations.
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export GX_ANALYTICS_ENABLED := false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 120

.PHONY: run test lint bench eval clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || { \
	  echo "ankestat needs Python 3.11; $(PYTHON) is $$($(PYTHON) --version 2>&1 || echo missing). Use: make $(MAKECMDGOALS) PYTHON=python3.11" >&2; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

run: $(VENV)/.installed
	$(BIN)/ankestat run

test: $(VENV)/.installed lint
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed
	$(BIN)/ruff check .

bench: $(VENV)/.installed
	$(BIN)/python -m tests.bench

# The extractor's development sets (../shared/eval, not part of the repository): one summary line each.
EVAL := ../shared/eval
eval: $(VENV)/.installed
	@if [ ! -f $(EVAL)/score.py ]; then echo "eval: $(EVAL) is not here; nothing to score"; exit 0; fi; \
	for set in minutes news; do $(BIN)/python $(EVAL)/score.py $$set --quiet | tail -1; done

clean:
	rm -rf $(VENV) data/ankestat.duckdb data/reports .pytest_cache .ruff_cache
