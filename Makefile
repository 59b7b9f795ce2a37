# thutuc — every target creates .venv itself, so `make site` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
AXE := tests/js/node_modules/axe-core/axe.min.js

.PHONY: site check serve test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

$(AXE): tests/js/package.json tests/js/package-lock.json
	npm ci --prefix tests/js --no-audit --no-fund --loglevel=error

## Check the catalogue and build the website into public/ (open public/index.html, or `make serve`).
site: $(STAMP)
	$(BIN)/thutuc build --catalogue catalogue --out public
	@echo "Site: public/index.html  (generated Markdown: build/site/; preview with: make serve)"

check: $(STAMP)
	$(BIN)/thutuc check catalogue

## Live preview on http://127.0.0.1:8000/ while you edit catalogue/.
serve: $(STAMP)
	$(BIN)/thutuc serve

## Run every test, browser tests included (needs Debian's chromium and npm; see README).
test: $(STAMP) $(AXE)
	$(BIN)/python -m pytest

## Time check and build at 100, 1,000 and 5,000 synthetic procedures; writes bench-out/bench.json.
bench: $(STAMP)
	$(BIN)/python tests/bench/bench.py

clean:
	rm -rf $(VENV) bench-out build public tests/js/node_modules
