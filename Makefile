# thutuc — every target creates .venv itself, so `make site` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site check test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## Validate the bundled catalogue (the site and checklists are built from it).
site: $(STAMP)
	$(BIN)/thutuc check catalogue

check: site

## Run every test.
test: $(STAMP)
	$(BIN)/python -m pytest

## Time check at 100, 1,000 and 5,000 synthetic procedures; writes bench-out/bench.json.
bench: $(STAMP)
	$(BIN)/python tests/bench/bench.py

clean:
	rm -rf $(VENV) bench-out build public
